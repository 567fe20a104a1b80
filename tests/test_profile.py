"""Profiles: counts, shares that sum to 1, positions, sources, corpus aggregation."""

import pytest

from framing import LABELS, Document
from framing._profile import corpus_profile, document_profile

SM, OF, AN, RN = LABELS


def profile_of(labels, lengths=None, confidences=None, sources=None):
    lengths = lengths or [10] * len(labels)
    spans, pos = [], 0
    for n in lengths:
        spans.append((pos, pos + n))
        pos += n + 1
    return document_profile(spans, labels, confidences or [0.5] * len(labels), sources)


def test_counts_shares_and_char_shares():
    p = profile_of([RN, SM, SM, OF], lengths=[10, 30, 30, 30], confidences=[0.9, 0.8, 0.6, 0.7])
    assert p["n_sentences"] == 4 and p["n_chars"] == 100
    assert p["counts"] == {SM: 2, OF: 1, AN: 0, RN: 1}
    assert p["shares"] == {SM: 0.5, OF: 0.25, AN: 0.0, RN: 0.25}
    assert p["char_shares"] == {SM: 0.6, OF: 0.3, AN: 0.0, RN: 0.1}
    assert sum(p["shares"].values()) == pytest.approx(1.0)
    assert p["mean_confidence"] == {SM: 0.7, OF: 0.7, AN: None, RN: 0.9}
    assert p["attributed_share"] == 0.75
    assert p["dominant_label"] == SM and p["dominant_attributed_label"] == SM
    assert p["opening"] == {"headline": RN, "lede": [RN, SM, SM]}


def test_positions_and_ties():
    p = profile_of([RN, OF, RN, OF, AN, AN])
    assert p["dominant_label"] == OF  # ties go to the earlier label in the fixed order
    # OF sits at 1 (first half) and 3 (second half of six sentences).
    assert p["positions"][OF] == {"first_index": 1, "first_position": round(1 / 6, 4), "share_first_half": 0.5,
                                  "share_second_half": 0.5}
    assert p["positions"][AN]["share_second_half"] == 1.0
    assert p["positions"][SM] == {"first_index": None, "first_position": None, "share_first_half": None,
                                  "share_second_half": None}


def test_sources_are_counted_per_label():
    p = profile_of([SM, SM, OF], sources=[[("KCNA", "state_media")], [("KCNA", "state_media")], [("NATO", "official")]])
    assert p["sources"][SM] == {"KCNA": 2}
    assert p["sources"][OF] == {"NATO": 1}
    assert p["sources"][AN] == {}


def test_empty_document():
    p = profile_of([])
    assert p["n_sentences"] == 0 and p["dominant_label"] is None
    assert set(p["shares"].values()) == {0.0}


def test_corpus_profile_groups_by_meta_field():
    docs = [
        Document(id="a", text="", profile=profile_of([SM, RN]), meta={"outlet": "X"}),
        Document(id="b", text="", profile=profile_of([RN, RN, RN, OF]), meta={"outlet": "X"}),
        Document(id="c", text="", profile=profile_of([AN]), meta={"outlet": "Y"}),
        Document(id="d", text="", profile=profile_of([RN]), meta={}),
    ]
    agg = corpus_profile(docs, by="outlet")
    assert list(agg) == ["(none)", "X", "Y"]
    x = agg["X"]
    assert x["n_documents"] == 2 and x["n_sentences"] == 6
    assert x["shares"][RN] == round(4 / 6, 4)  # pooled: every sentence weighs the same
    assert x["mean_document_shares"][RN] == round((0.5 + 0.75) / 2, 4)  # every document weighs the same
    assert corpus_profile(docs)["all"]["n_documents"] == 4


def test_corpus_profile_needs_scored_documents():
    with pytest.raises(ValueError, match="no profile"):
        corpus_profile([Document(id="a", text="x")])
