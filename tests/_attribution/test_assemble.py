"""Cues paired with sources, the mode, and the entry points (framing._attribution.assemble)."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import segment
from framing._attribution.assemble import (
    _Candidates,
    _inside,
    _nearest,
    extract_attributions,
    extract_attributions_many,
)

from ._helpers import flat, only, run, sl

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
    from framing._attribution.assemble import _agent

    span = _agent(tokens, *cue, len(tokens))
    assert (None if span is None else " ".join(tokens[span[0]:span[1]])) == expected


@pytest.mark.parametrize(("tokens", "cue", "short", "whole"), [
    ("ships left , according to a report from the Baltic Maritime Institute in Riga".split(), (3, 5), "a report",
     "a report from the Baltic Maritime Institute"),  # a document's issuer
    ("ships left , according to a letter from Mrs . Clinton , as".split(), (3, 5), "a letter",
     "a letter from Mrs . Clinton"),
    ("ships left , according to a statement from the Port Authority of the City of Gdansk".split(), (3, 5),
     "a statement", "a statement from the Port Authority of the City of Gdansk"),  # its own length limit
    ("ships left , according to the Danish ambassador to NATO .".split(), (3, 5), "the Danish ambassador",
     "the Danish ambassador to NATO"),  # a role's post
    ("ships left , according to the ambassador to the region .".split(), (3, 5), "the ambassador",
     "the ambassador"),  # no name after "to"
    ("ships left , according to the U.S. ambassador to Norway Ann Berg .".split(), (3, 5), "the U.S. ambassador",
     "the U.S. ambassador"),  # the person named after the post is who speaks
    ("ships left , according to officials from Oslo .".split(), (3, 5), "officials", "officials"),  # no document
])
def test_an_agent_read_whole_runs_on_to_who_it_names(tokens, cue, short, whole):
    from framing._attribution.assemble import _agent

    # The tagger's assembly reads the short phrase (the features are made from it); the
    # name shown reads the whole.
    for kind, expected in ((False, short), (True, whole)):
        j, e = _agent(tokens, *cue, len(tokens), whole=kind)
        assert " ".join(tokens[j:e]) == expected


def test_single_quotation_marks_quote():
    from framing._attribution.assemble import _single_quoted
    from framing._attribution.tokens import tokenize_spans

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


def test_deterministic_across_processes_and_hash_seeds():
    import subprocess
    import sys

    text = "“No,” said KCNA. Officials told Reuters the test failed, according to a U.S. source. It said so."
    code = ("import json, sys, framing; t = sys.stdin.read(); d = framing.analyze(t); "
            "print(json.dumps([s['attribution'] for s in d.to_dict()['sentences']], sort_keys=True))")
    outs = [subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("0", "777")]
    assert outs[0] == outs[1] and json.loads(outs[0])[1]  # the second sentence has a cue and source


def test_inference_does_not_import_sklearn():
    import subprocess
    import sys

    code = ("import sys; from framing._attribution import extract_attributions; from framing import segment; "
            "t='Officials said so.'; extract_attributions(t, segment(t)); print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@st.composite
def _spans_and_cue(draw):
    """Token spans in order and apart (as the tagger's), now and then two that overlap,
    and a cue."""
    pos, spans = 0, []
    for gap, length in draw(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), min_size=1, max_size=30)):
        pos += gap
        spans.append((pos, pos + length))
        pos += length
    if draw(st.booleans()) and len(spans) > 2:
        spans[1] = (spans[0][0], spans[1][1])  # out of order: the scan, not the bisection
    c0 = draw(st.integers(0, pos + 2))
    return spans, c0, c0 + draw(st.integers(1, 6))


@given(_spans_and_cue())
def test_the_nearest_source_is_the_scans_whatever_the_search(case):
    spans, c0, c1 = case
    cands = _Candidates(spans)
    assert _nearest(cands, c0, c1) == min(spans, key=lambda se: (max(se[0] - c1, c0 - se[1], 0), se[0]))
    assert _inside(cands, c0, c1) == next((x for x in spans if c0 <= x[0] and x[1] <= c1), None)
