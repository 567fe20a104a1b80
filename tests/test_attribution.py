"""Source and cue spans (framing._attribution)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import ModelError, segment
from framing._attribution import (
    SpanAttribution,
    _KeyIndex,
    _softmax,
    default_model_dir,
    extract_attributions,
    extract_attributions_many,
    load_attribution_model,
    tokenize_spans,
)

# PolNeAR is not shipped: the check on its dev split runs where FRAMING_POLNEAR names a copy.
POLNEAR = Path(os.environ.get("FRAMING_POLNEAR", "/nonexistent"))


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


@pytest.mark.parametrize(("tokens", "cue", "expected"), [
    ("troops were deployed , according to NATO , as part of".split(), (3, 5), "NATO"),
    ("troops were deployed , according to Mrs . Clinton 's aides".split(), (3, 5), "Mrs . Clinton 's aides"),
    ("These gatherings were described by KCNA as part".split(), (2, 4), "KCNA"),
    ("the speech was quoted by the state agency .".split(), (2, 5), "the state agency"),
    ("Kim told him by phone that".split(), (1, 2), None),
    ("He responded by using an example".split(), (1, 3), None),
    ("He pointed to the report".split(), (1, 3), None),
])
def test_agent_after_the_cue(tokens, cue, expected):
    from framing._attribution import _agent

    span = _agent(tokens, *cue, len(tokens))
    assert (None if span is None else " ".join(tokens[span[0]:span[1]])) == expected


def test_single_quotation_marks_quote():
    from framing._attribution import _single_quoted, tokenize_spans

    def quoted(text):
        toks, starts, ends = tokenize_spans(text)
        return " ".join(toks[i] for i in _single_quoted(toks, ends.tolist(), starts.tolist(), [0] * len(toks)))

    assert quoted("Kim praised the ‘combat activities of overseas forces,’ stating so.") == \
        "combat activities of overseas forces ,"
    assert quoted("Korea’s leader ‘won’t stop’ and Kim’s aides agree") == "won ’ t stop"
    assert quoted("“They called it ‘the comeback of the decade,'” the paper said") == \
        "the comeback of the decade ,"
    assert quoted("No quotation in Korea’s ‘ text") == "text"  # never closed: to the sentence end
    assert quoted("Plain text") == ""


def test_a_cue_never_ends_on_an_article():
    text = ("North Korea has released a propaganda video. Putin expressed in a letter his thanks. "
            "Officials issued their warning.")
    for a in flat(text):
        assert sl(text, a.cue).split()[-1].lower() not in ("a", "an", "the", "his", "her", "its", "their")


def test_according_to_takes_the_phrase_after_it():
    text = "North Korean troops were first deployed in October, according to NATO, as part of an effort."
    a = only(text)
    assert sl(text, a.cue).lower().startswith("according") and sl(text, a.source) == "NATO"


def test_a_person_anaphor_never_resolves_to_a_place():
    text = "North Korea said it fired a missile. The leader said the test succeeded."
    a = flat(text)[-1]
    assert sl(text, a.source) == "The leader" and not a.resolved and a.source_name is None
    text = "Pyongyang said the test succeeded. It added that more would follow."
    a = flat(text)[-1]
    assert sl(text, a.source) == "It" and a.resolved and a.source_name == "Pyongyang"


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


DOCS = [
    "“No,” said KCNA. He added that talks were over.",
    "Officials told Reuters the test failed, according to a U.S. source. The agency said so.",
    "",
    "\"We will respond,\" the ministry said in a statement.\n\nAnalysts said the move was risky.",
    "KCNA",
    "Kim praised the troops, the Korean Central News Agency (KCNA) reported. “Glory,” he said.",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DOCS), st.integers(0, 63)), max_size=6))
def test_batch_equals_one_document_at_a_time(docs):
    # Any batch, with any subset of each document's sentences, gives each document the
    # result it gets alone (no feature reaches across a document edge).
    texts = [t for t, _ in docs]
    spans = [[sp for i, sp in enumerate(segment(t)) if keep >> i & 1] for t, keep in docs]
    assert extract_attributions_many(texts, spans) == [extract_attributions(t, s) for t, s in zip(texts, spans)]


def test_batch_rejects_spans_outside_their_text():
    with pytest.raises(ValueError, match="outside"):
        extract_attributions_many(["Short.", "Officials said so."], [[(0, 6)], [(0, 40)]])
    with pytest.raises(ValueError, match="texts"):
        extract_attributions_many(["a"], [])


@given(st.sets(st.integers(0, 2**40), max_size=300), st.lists(st.integers(0, 2**40), max_size=50))
def test_key_index_finds_what_a_binary_search_finds(keys, queries):
    keys = np.array(sorted(keys), dtype=np.int64)
    q = np.array(list(keys[::2]) + queries, dtype=np.int64)
    expected = [int(np.searchsorted(keys, x)) if x in set(keys.tolist()) else -1 for x in q.tolist()]
    assert _KeyIndex(keys).find(q, -1).tolist() == expected


def test_softmax_rows():
    z = np.array([[1.0, 2.0, 3.0, 0.0, -1.0], [1000.0, 0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    expected = np.exp(z - z.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(_softmax(z.copy()), expected, rtol=1e-6)


def test_deterministic_across_processes_and_hash_seeds():
    import subprocess
    import sys

    text = "“No,” said KCNA. Officials told Reuters the test failed, according to a U.S. source. It said so."
    code = ("import json, sys, framing; t = sys.stdin.read(); d = framing.analyze(t); "
            "print(json.dumps([s['attribution'] for s in d.to_dict()['sentences']], sort_keys=True))")
    outs = [subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("0", "777")]
    assert outs[0] == outs[1] and json.loads(outs[0])[1]  # the second sentence has a cue and source


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


# --------------------------------------------------------------------------- hardening (#16)


def _att_edit(tmp_path, change, *, rehash_arrays=False, rehash_meta=False):
    import hashlib

    from framing._model import INTEGRITY_KEY, manifest_digest

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
    from framing._model import _write_npz

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
