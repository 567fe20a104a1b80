"""The weight tables and loading a model directory (framing._attribution.model)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from framing import ModelError
from framing._attribution.model import _KeyIndex, default_model_dir, load_attribution_model


@given(st.sets(st.integers(0, 2**40), max_size=300), st.lists(st.integers(0, 2**40), max_size=50))
def test_key_index_finds_what_a_binary_search_finds(keys, queries):
    keys = np.array(sorted(keys), dtype=np.int64)
    q = np.array(list(keys[::2]) + queries, dtype=np.int64)
    expected = [int(np.searchsorted(keys, x)) if x in set(keys.tolist()) else -1 for x in q.tolist()]
    assert _KeyIndex(keys).find(q, -1).tolist() == expected


# --------------------------------------------------------------------------- loading


def test_loading_refuses_tampered_weights(tmp_path):
    d = tmp_path / "model"
    shutil.copytree(default_model_dir(), d)
    load_attribution_model(d)  # intact copy loads
    raw = bytearray((d / "weights.npz").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (d / "weights.npz").write_bytes(bytes(raw))
    with pytest.raises(ModelError, match="sha256"):
        load_attribution_model(d)


def test_loading_refuses_missing_or_foreign(tmp_path):
    with pytest.raises(ModelError):
        load_attribution_model(tmp_path)
    d = tmp_path / "m"
    shutil.copytree(default_model_dir(), d)
    meta = json.loads((d / "model.json").read_text())
    meta["format_version"] = 99
    (d / "model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="format"):
        load_attribution_model(d)


def test_shipped_model_is_small_and_pickle_free():
    d = default_model_dir()
    assert (d / "weights.npz").stat().st_size < 3_200_000
    with np.load(d / "weights.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)


# --------------------------------------------------------------------------- hardening (#16)


def _att_edit(tmp_path, change, *, rehash_arrays=False, rehash_meta=False):
    import hashlib

    from framing._modelfile import INTEGRITY_KEY, manifest_digest

    d = tmp_path / "att"
    shutil.copytree(default_model_dir(), d)
    meta = json.loads((d / "model.json").read_text())
    change(d, meta)
    if rehash_arrays:
        meta["arrays_sha256"] = hashlib.sha256((d / "weights.npz").read_bytes()).hexdigest()
    if rehash_meta:
        meta[INTEGRITY_KEY] = manifest_digest(meta)
    (d / "model.json").write_text(json.dumps(meta, indent=2))
    return d


def _negate_bias(d, meta):
    from framing._modelfile import _write_npz

    with np.load(d / "weights.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["bias"] = -arrays["bias"]
    _write_npz(d / "weights.npz", arrays)


@pytest.mark.parametrize(
    ("change", "rehash_arrays"),
    [
        (lambda d, m: m.update(o_offset=5.0), False),
        (lambda d, m: m.update(labels=["O", "B-SRC", "I-SRC", "B-CUE", "I-CUE"]), False),
        (lambda d, m: m.update(stack_window=1), False),
        (_negate_bias, True),
    ],
)
def test_tagger_metadata_and_arrays_are_verified_together(tmp_path, change, rehash_arrays):
    d = _att_edit(tmp_path, change, rehash_arrays=rehash_arrays)
    with pytest.raises(ModelError, match=r"integrity_sha256|label order"):
        load_attribution_model(d)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, m: m.update(o_offset=float("inf")), "o_offset|unreadable"),
        (lambda d, m: m.update(o_offset="big"), "o_offset"),
        (lambda d, m: m.update(stack_window=-3), "stack_window"),
        (lambda d, m: m.update(suffix_window="0"), "suffix_window"),
    ],
)
def test_malformed_tagger_values_are_model_errors(tmp_path, change, message):
    try:
        d = _att_edit(tmp_path / "a", change, rehash_meta=True)
    except ValueError:  # inf cannot even be hashed as strict JSON: write it raw
        d = _att_edit(tmp_path / "b", change)
    with pytest.raises(ModelError, match=message):
        load_attribution_model(d)


def test_deeply_nested_tagger_metadata_is_a_model_error(tmp_path):
    d = tmp_path / "att"
    shutil.copytree(default_model_dir(), d)
    (d / "model.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ModelError, match="unreadable"):
        load_attribution_model(d)
