"""Source and cue spans (framing._attribution)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import ModelError, segment
from framing._attribution import (
    SpanAttribution,
    default_model_dir,
    extract_attributions,
    load_attribution_model,
    tokenize_spans,
)

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "polnear" / "data"


def run(text: str) -> list[list[SpanAttribution]]:
    return extract_attributions(text, segment(text))


def flat(text: str) -> list[SpanAttribution]:
    return [a for sent in run(text) for a in sent]


def sl(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def only(text: str) -> SpanAttribution:
    found = flat(text)
    assert len(found) == 1, [(sl(text, a.cue), sl(text, a.source)) for a in found]
    return found[0]


# --------------------------------------------------------------------------- patterns


def test_subject_said():
    text = "South Korean lawmakers said the North had tested a new missile."
    a = only(text)
    assert sl(text, a.cue) == "said"
    assert sl(text, a.source) == "South Korean lawmakers"
    assert a.mode == "indirect"
    assert a.source_type == "official"


def test_inverted_quote_said_source():
    text = "“We will never give up our nuclear deterrent,” said KCNA, the state news agency."
    a = only(text)
    assert sl(text, a.cue) == "said"
    assert sl(text, a.source).startswith("KCNA")
    assert a.mode == "direct"
    assert a.source_type == "state_media"
    assert a.source_name == "KCNA"


def test_according_to():
    text = "The launch failed within seconds, according to a senior U.S. official."
    a = only(text)
    assert sl(text, a.cue) == "according to"
    assert sl(text, a.source) == "a senior U.S. official"
    assert a.source_type == "official"


def test_told_reuters():
    text = "Senator John Smith told Reuters that the sanctions were working."
    a = only(text)
    assert sl(text, a.cue).startswith("told")
    assert "John Smith" in sl(text, a.source)


def test_pronoun_resolves_to_earlier_named_source():
    text = ("North Korea's official KCNA news agency said the test was a success.\n\n"
            "The weather was cold on Tuesday.\n\n"
            "“The enemies will tremble,” the agency added.")
    found = run(text)
    last = [a for a in found[-1]]
    assert last, found
    a = last[0]
    assert sl(text, a.source) == "the agency"
    assert a.resolved
    assert a.resolved_from is not None and a.resolved_from[1] <= a.source[0]
    assert "KCNA" in sl(text, a.resolved_from)
    assert a.source_type == "state_media"


def test_he_said_resolves_to_person():
    text = "Donald Trump said on Monday that he would win.\n\n“It will be huge,” he said."
    found = run(text)
    a = found[-1][0]
    assert sl(text, a.source) == "he"
    assert a.resolved and a.source_name == "Donald Trump"


def test_unresolved_pronoun():
    text = "“It will be huge,” he said."
    a = only(text)
    assert sl(text, a.source) == "he"
    assert not a.resolved and a.resolved_from is None
    assert a.source_type == "pronoun"


def test_mixed_mode():
    text = 'The ministry said the drills were “a rehearsal for invasion” and must stop.'
    a = only(text)
    assert sl(text, a.cue) == "said"
    assert a.mode == "mixed"


def test_no_attribution():
    assert run("The sun rose over Pyongyang on a cold morning.") == [[]]
    assert extract_attributions("", []) == []


def test_repeated_phrases_get_their_own_offsets():
    text = "Officials said no. Officials said yes."
    found = run(text)
    assert [sl(text, a.source) for s in found for a in s] == ["Officials", "Officials"]
    cues = [a.cue for s in found for a in s]
    assert cues[0] != cues[1]


# --------------------------------------------------------------------------- invariants

WORDS = ["said", "says", "according to", "told Reuters", "he", "she", "the agency", "KCNA", "officials",
         "Kim Jong Un", "“", "”", '"', ",", ".", "\n\n", "the", "missile", "claimed", "wrote", "U.S.", "Mr.",
         "'s", "’", "—", "(", ")", "?", "!", "é", "İ", "\t", "1.", "2016", ":"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=60))
def test_offsets_are_inside_their_sentence(parts):
    text = " ".join(parts)
    spans = segment(text)
    found = extract_attributions(text, spans)
    assert len(found) == len(spans)
    for (s0, s1), atts in zip(spans, found):
        for a in atts:
            assert s0 <= a.cue[0] < a.cue[1] <= s1
            assert text[a.cue[0] : a.cue[1]].strip() == text[a.cue[0] : a.cue[1]]
            if a.source is not None:
                assert s0 <= a.source[0] < a.source[1] <= s1
                assert a.source[1] <= a.cue[0] or a.cue[1] <= a.source[0]
            assert a.mode in ("direct", "indirect", "mixed")
            assert a.source_type in ("state_media", "official", "analyst", "independent_media", "nonstate",
                                     "other", "pronoun")
            if a.resolved:
                assert a.resolved_from is not None and a.resolved_from[1] <= a.source[0]
            else:
                assert a.resolved_from is None


@given(st.text(max_size=200))
def test_tokens_are_slices(text):
    toks, starts, ends = tokenize_spans(text)
    assert [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())] == toks
    assert all(t and not t[0].isspace() for t in toks)
    assert "".join(text.split()) == "".join(toks)


def test_deterministic():
    text = "“No,” said KCNA. Officials told Reuters the test failed, according to a U.S. source."
    assert run(text) == run(text)


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


def test_inference_does_not_import_sklearn():
    import subprocess
    import sys

    code = ("import sys; from framing._attribution import extract_attributions; from framing import segment; "
            "t='Officials said so.'; extract_attributions(t, segment(t)); print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- PolNeAR (skipped when absent)


@pytest.mark.skipif(not (POLNEAR / "dev").is_dir(), reason="PolNeAR not available")
def test_polnear_dev_sample_quality():
    from framing._attribution_train import evaluate, load_polnear

    arts = load_polnear(POLNEAR, "dev")[:20]
    r = evaluate(arts)
    assert r["cue"]["overlap"]["f1"] > 0.7
    assert r["source"]["overlap"]["f1"] > 0.6


def test_decode_obeys_bio_transitions():
    from framing._attribution import decode

    rng = np.random.default_rng(0)
    z = rng.normal(size=(400, 5)).astype(np.float32) * 2
    z[:, [2, 4]] += 1.5  # many I labels win on their own: the decoder must repair them
    sent = np.repeat(np.arange(40), 10)
    y = decode(z, sent)
    prev = np.concatenate([[0], y[:-1]])
    prev[np.flatnonzero(np.diff(sent)) + 1] = 0  # a sentence starts outside any span
    assert not (((y == 2) & ~np.isin(prev, [1, 2])) | ((y == 4) & ~np.isin(prev, [3, 4]))).any()
    # where the best labels already obey the transitions, they are kept
    ok = z.copy()
    ok[:, [2, 4]] = -9
    assert (decode(ok, sent) == ok.argmax(axis=1)).all()
