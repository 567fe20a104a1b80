"""Profiles: counts, shares that sum to 1, positions, sources, corpus aggregation."""

import json
from pathlib import Path

import pytest

import framing
from framing import LABELS, Document, UsageError
from framing._profile import corpus_profile, document_profile, sentence_sources

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


def scored(doc_id, labels, meta):
    """A scored record as framing score writes it: sentences with label and probabilities, and a profile."""
    sentences = [{"index": i, "label": lab, "probabilities": {k: (0.7 if k == lab else 0.1) for k in LABELS}}
                 for i, lab in enumerate(labels)]
    return {"id": doc_id, "sentences": sentences, "profile": profile_of(labels), "meta": meta}


DOCS = [
    scored("a", [SM, RN], {"outlet": "X", "date": "2020-01-05"}),
    scored("b", [RN, RN, RN, OF], {"outlet": "X", "date": "2020-02-01"}),
    scored("c", [AN], {"outlet": "Y", "date": "2021-03-01"}),
    scored("d", [RN], {}),
]


def test_corpus_profile_groups_by_meta_field():
    agg = corpus_profile(DOCS, by="outlet", adjust=False)
    assert agg["by"] == ["outlet"] and agg["method"] is None and agg["ci_level"] is None
    assert list(agg["groups"]) == ["(none)", "X", "Y"]
    x = agg["groups"]["X"]
    assert x["n_documents"] == 2 and x["n_sentences"] == 6
    assert x["shares"][RN] == round(4 / 6, 4)  # pooled: every sentence weighs the same
    assert x["mean_document_shares"][RN] == round((0.5 + 0.75) / 2, 4)  # every document weighs the same
    assert "adjusted_shares" not in x and "ci" not in x
    assert corpus_profile(DOCS, adjust=False)["groups"]["all"]["n_documents"] == 4


def test_corpus_profile_groups_by_several_fields_and_by_date_periods():
    agg = corpus_profile(DOCS, by=["outlet", "date:month"], adjust=False)
    assert list(agg["groups"]) == ["(none) | (none)", "X | 2020-01", "X | 2020-02", "Y | 2021-03"]
    assert list(corpus_profile(DOCS, by="date:year", adjust=False)["groups"]) == ["(none)", "2020", "2021"]
    with pytest.raises(UsageError, match=":month or :year"):
        corpus_profile(DOCS, by="date:week")


def test_corpus_profile_adjusts_and_gives_seeded_intervals_and_differences():
    a = corpus_profile(DOCS, by="outlet", method="acc", ci=0.9, n_bootstrap=200, seed=3)
    b = corpus_profile(DOCS, by="outlet", method="acc", ci=0.9, n_bootstrap=200, seed=3)
    assert a == b and a["method"] == "acc" and a["ci_level"] == 0.9
    for g in a["groups"].values():
        assert sum(g["adjusted_shares"].values()) == pytest.approx(1.0, abs=1e-4)
        for lab in LABELS:
            lo, hi = g["ci"][lab]
            assert 0 <= lo <= hi <= 1 and g["naive_ci"][lab][0] <= g["naive_ci"][lab][1]
    assert set(a["differences"]) == {"(none) vs X", "(none) vs Y", "X vs Y"}
    d = a["differences"]["X vs Y"][RN]
    assert d["difference"] == pytest.approx(a["groups"]["X"]["adjusted_shares"][RN]
                                            - a["groups"]["Y"]["adjusted_shares"][RN], abs=1e-4)
    assert d["ci"][0] <= d["ci"][1]
    with pytest.raises(UsageError, match="between 0 and 1"):
        corpus_profile(DOCS, ci=90)


def test_documents_and_their_scored_records_give_the_same_comparison():
    texts = {"k": "KCNA said the launch succeeded. It rained.", "o": "Officials said no. Analysts disagreed."}
    docs = [framing.analyze(t, id=k, meta={"outlet": k}) for k, t in texts.items()]
    records = [json.loads(json.dumps(d.to_dict())) for d in docs]
    assert corpus_profile(docs, by="outlet", ci=0.9, n_bootstrap=50) == \
        corpus_profile(records, by="outlet", ci=0.9, n_bootstrap=50)


def test_corpus_profile_needs_scored_documents():
    with pytest.raises(ValueError, match="not scored"):
        corpus_profile([Document(id="a", text="x")])
    with pytest.raises(ValueError, match="error record"):
        corpus_profile([{"id": "e", "error": {"type": "InputError", "message": "unreadable"}}])
    with pytest.raises(ValueError, match="not framing's scored output"):
        corpus_profile([{"id": "r", "text": "raw"}])


def test_only_attributed_sentences_contribute_sources():
    p = profile_of([SM, RN, OF, RN], sources=[[("KCNA", "state_media")], [("Kim", "official")],
                                              [("NATO", "official")], [("Reuters", "independent_media")]])
    assert p["sources"][SM] == {"KCNA": 1} and p["sources"][OF] == {"NATO": 1}
    assert p["sources"][RN] == {}
    seed = Path(__file__).resolve().parents[1] / "seeds" / "kursk_propaganda_video.txt"
    doc = framing.analyze(seed.read_text(encoding="utf-8"))  # its narration names Kim: not a source
    assert doc.profile["sources"][RN] == {} and doc.profile["sources"][SM]


def test_intervals_ignore_empty_documents_and_other_groups():
    empty = {"id": "e", "sentences": [], "profile": profile_of([]), "meta": {"outlet": "Z"}}
    one = scored("z1", [RN], {"outlet": "Z"})
    r = corpus_profile([empty, one, *DOCS], by="outlet", adjust=False, ci=0.9, n_bootstrap=200, group_error=False)
    assert r["groups"]["Z"]["ci"][RN] == [1.0, 1.0]  # resampling never draws the empty document alone
    only_empty = corpus_profile([{**empty, "meta": {"outlet": "E"}}, *DOCS], by="outlet", adjust=False, ci=0.9,
                                n_bootstrap=100)
    assert only_empty["groups"]["E"]["ci"][RN] is None
    assert only_empty["differences"]["E vs X"][RN]["ci"] is None
    # A group's interval does not depend on which other groups are in the comparison.
    alone = corpus_profile(DOCS[:2], by="outlet", adjust=False, ci=0.9, n_bootstrap=200, group_error=False)
    assert alone["groups"]["X"]["ci"] == r["groups"]["X"]["ci"]


@pytest.mark.parametrize(("value", "month", "year"), [
    ("2023-01-05", "2023-01", "2023"), ("2023-01-05T10:00:00Z", "2023-01", "2023"), ("2023", "(no date)", "2023"),
    ("20230105", "(no date)", "(no date)"), (1700000000, "(no date)", "(no date)"), ("2023-1-5", "(no date)",
                                                                                       "(no date)")])
def test_date_groups_take_iso_dates_only(value, month, year):
    from framing._profile import _group_value

    assert _group_value({"d": value}, "d:month") == month and _group_value({"d": value}, "d:year") == year


def test_stance_is_counted_per_attributed_label():
    spans = [(0, 10), (11, 20), (21, 30), (31, 40), (41, 50)]
    p = document_profile(spans, [SM, SM, OF, RN, OF], [0.5] * 5,
                         stances=["distancing", "neutral", "endorsing", "neutral", None])
    assert p["stance"][SM] == {"n": 2, "counts": {"neutral": 1, "distancing": 1, "endorsing": 0},
                               "shares": {"neutral": 0.5, "distancing": 0.5, "endorsing": 0.0}}
    assert p["stance"][OF]["n"] == 1 and p["stance"][OF]["shares"]["endorsing"] == 1.0
    assert p["stance"][AN] == {"n": 0, "counts": {"neutral": 0, "distancing": 0, "endorsing": 0}, "shares": None}
    assert RN not in p["stance"]  # the reporter's own voice frames no claim of a source


def test_corpus_profile_adds_up_stance_counts_and_tolerates_records_without_them():
    a = scored("a", [SM, SM], {"outlet": "X"})
    a["profile"] = document_profile([(0, 5), (6, 9)], [SM, SM], [0.7, 0.7], stances=["distancing", "neutral"])
    b = scored("b", [SM], {"outlet": "X"})
    b["profile"] = document_profile([(0, 5)], [SM], [0.7], stances=["distancing"])
    old = scored("c", [SM], {"outlet": "X"})
    del old["profile"]["stance"]  # written before stances were read
    hostile = scored("d", [SM], {"outlet": "X"})
    hostile["profile"]["stance"] = {SM: {"counts": {"distancing": "many", "made_up": 3, "neutral": -1,
                                                    "endorsing": True}}}
    listed = scored("e", [SM], {"outlet": "X"})
    listed["profile"]["stance"] = [1, 2]
    inner = scored("f", [SM], {"outlet": "X"})
    inner["profile"]["stance"] = {SM: [3]}
    out = corpus_profile([a, b, old, hostile, listed, inner], by="outlet", adjust=False, ci=None)
    st = out["groups"]["X"]["stance"][SM]
    assert st["counts"] == {"neutral": 1, "distancing": 2, "endorsing": 0} and st["n"] == 3


def _said(name: str | None, stype: str) -> framing.Attribution:
    return framing.Attribution(cue=None, source=None, mode="continued", source_name=name, source_type=stype)


def test_profile_counts_a_surname_under_the_one_fuller_name_it_ends():
    found = [_said("Wendy Sherman", "official"), None, _said("Sherman", "other"), _said("Kim", "other"),
             _said("Kim Jong Un", "official"), _said("Smith", "other"), _said("John Smith", "analyst"),
             _said("Jane Smith", "analyst"), _said("Lee", "other"), _said("Robert Lee", "analyst"),
             _said("officials", "official"), _said("Pentagon officials", "official"),
             _said("Global Times", "state_media"), _said("Times", "independent_media")]
    lexicon = [[] for _ in found]
    lexicon[1] = [("KCNA", "state_media")]
    out = sentence_sources(found, lexicon)
    assert out[0] == out[2] == [("Wendy Sherman", "official")]  # one person, one source
    assert out[1] == [("KCNA", "state_media")]  # no attribution: the lexicon names stay
    assert out[3] == []  # "Kim" starts "Kim Jong Un": not a surname of it; untyped, so not counted
    assert out[5] == []  # two Smiths: which one is not known
    assert out[8] == []  # "Lee" came before "Robert Lee": not known to be him
    assert out[10] == [("officials", "official")]  # a lower-case role is not a surname
    assert out[13] == [("Times", "independent_media")]  # typed otherwise: another outlet
    acronyms = sentence_sources([_said("KCNA", "state_media"), _said("Korean Central News Agency", "state_media"),
                                 _said("NATO", "official")], [[], [], []])
    assert acronyms[0] == acronyms[1] == [("Korean Central News Agency", "state_media")]
    assert acronyms[2] == [("NATO", "official")]  # nothing it abbreviates
    unresolved = framing.Attribution(cue=(4, 8), source=(0, 3), mode="indirect", source_name=None,
                                     source_type="official")
    assert sentence_sources([unresolved], [[("leader", "official")]]) == [[]]  # an unresolved "The leader" names nobody


def test_group_names_are_json_spelled_and_equal_numbers_are_one_group():
    docs = [framing.analyze("Officials said so.", id=str(i), meta={"v": v}) for i, v in
            enumerate([1, 1.0, True, ["A", "B"], {"k": 1}, None, ""])]
    groups = corpus_profile(docs, by="v", adjust=False)["groups"]
    assert {k: g["n_documents"] for k, g in groups.items()} == {
        "1": 2, "true": 1, '["A", "B"]': 1, '{"k": 1}': 1, "(none)": 2}


def test_comparison_reads_counts_from_the_sentences_and_refuses_what_is_not_scored():
    rec = framing.analyze("KCNA said so. It rained. Officials agreed.", id="a").to_dict()
    counts = corpus_profile([rec], adjust=False)["groups"]["all"]["counts"]
    rec["profile"]["counts"] = {lab: 100 for lab in LABELS}  # an edited profile cannot skew the comparison
    assert corpus_profile([rec], adjust=False)["groups"]["all"]["counts"] == counts
    for bad, message in [("text", "got str"), ({**rec, "meta": [1]}, "'meta' must be an object"),
                         ({**rec, "profile": {}}, "'sources'"),
                         ({**rec, "sentences": [1]}, "sentence 0 has no known label")]:
        with pytest.raises(framing.InputError, match=message):
            corpus_profile([bad], adjust=False)


def test_comparison_misuse_is_a_framing_error_naming_the_fix():
    import datetime

    doc = framing.analyze("Officials said so.", meta={"date": datetime.date(2020, 5, 1)})
    assert list(corpus_profile([doc], by="date:month", adjust=False)["groups"]) == ["2020-05"]
    with pytest.raises(UsageError, match="seed=-1"):
        corpus_profile([doc], seed=-1)
    with pytest.raises(UsageError, match="give a field name"):
        corpus_profile([doc], by=3)
    for render in (framing.comparison_to_html, lambda r: framing._comparison.write_comparison_csv(r, None)):
        with pytest.raises(framing.InputError, match="not a comparison"):
            render({})
