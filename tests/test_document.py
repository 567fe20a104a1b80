"""Document model: offsets are the truth, objects are immutable, dicts follow the schema."""

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framing import LABELS, Attribution, Document, Sentence, segment


def test_sentence_text_is_a_slice_of_the_document():
    text = "Hello there. Hello there."
    doc = Document.from_spans(text, segment(text), id="d")
    assert [s.text for s in doc.sentences] == ["Hello there.", "Hello there."]
    assert doc.sentences[1].start == 13  # the second occurrence, not a re-search
    assert doc.spans == [(0, 12), (13, 25)]


def test_objects_are_immutable():
    doc = Document.from_spans("A b. C d.", [(0, 4), (5, 9)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.id = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.sentences[0].start = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        doc.meta["k"] = 1  # type: ignore[index]


def test_invalid_spans_and_labels_are_refused():
    with pytest.raises(ValueError, match="outside"):
        Sentence(0, 0, 10, "short")
    with pytest.raises(ValueError, match="unknown label"):
        Sentence(0, 0, 1, "x", label="propaganda")
    with pytest.raises(ValueError, match="out of order"):
        Document.from_spans("abc def", [(4, 7), (0, 3)])


def test_to_dict_schema_and_rounding():
    text = "KCNA said so."
    probs = dict(zip(LABELS, [0.123456, 0.2, 0.3, 0.376544]))
    s = Sentence(0, 0, len(text), text, label="state_media_quote", probabilities=probs)
    doc = Document(id="d1", text=text, sentences=[s], profile={"n_sentences": 1}, meta={"outlet": "X"})
    d = doc.to_dict()
    assert list(d) == ["id", "sentences", "profile", "meta"]
    assert d["sentences"][0] == {
        "index": 0, "start": 0, "end": 13, "text": "KCNA said so.", "label": "state_media_quote",
        "probabilities": {"state_media_quote": 0.1235, "official_claim": 0.2, "analyst_assessment": 0.3,
                          "reporter_narration": 0.3765},
        "attribution": None,
    }
    assert list(d["sentences"][0]["probabilities"]) == list(LABELS)
    assert d["meta"] == {"outlet": "X"}
    json.dumps(d)


def test_attribution_spans_serialise_as_slices_and_must_lie_in_the_sentence():
    text = "Lavrov spoke. He said it was over."
    att = Attribution(cue=(17, 21), source=(14, 16), mode="indirect", source_name="Lavrov",
                      source_type="official", resolved_from=(0, 6))
    s = Sentence(1, 14, len(text), text, label="official_claim", probabilities=None, attribution=att)
    d = s.to_dict()["attribution"]
    assert d["cue"] == {"start": 17, "end": 21, "text": "said"}
    assert d["source"]["text"] == "He" and d["resolved_from"]["text"] == "Lavrov"
    assert (d["mode"], d["source_name"], d["source_type"]) == ("indirect", "Lavrov", "official")
    with pytest.raises(ValueError, match="outside sentence"):
        Sentence(1, 14, len(text), text, label="official_claim", attribution=Attribution((0, 6), None, "direct",
                                                                                         None, "other"))
    with pytest.raises(ValueError, match="before the source"):
        Sentence(1, 14, len(text), text, label="official_claim",
                 attribution=Attribution((17, 21), (14, 16), "indirect", "x", "other", resolved_from=(17, 21)))


def test_a_continued_voice_points_at_another_sentence_before_or_after():
    text = "“We will not wait. We waited,” the envoy said. Lavrov spoke."
    first = (0, 18)
    envoy = (text.index("the envoy"), text.index("the envoy") + 9)

    def continued(span, ref, mode="continued"):
        return Sentence(0, *span, text, label="official_claim",
                        attribution=Attribution(None, None, mode, "envoy", "official", resolved_from=ref))

    assert continued(first, envoy).attribution.resolved_from == envoy  # named where the quotation closes
    assert continued((47, len(text)), envoy).attribution.resolved_from == envoy  # carried on from before
    for bad in ((3, 9), (0, len(text)), (10, 25), (len(text), len(text) + 1)):  # itself, overlapping, outside
        with pytest.raises(ValueError, match="continued attribution"):
            continued(first, bad)
    # Only a continued voice may point forward.
    with pytest.raises(ValueError, match="before the source"):
        continued(first, envoy, mode="direct")


@given(st.text(max_size=300))
def test_from_segment_round_trip(text):
    doc = Document.from_spans(text, segment(text))
    for s in doc.sentences:
        assert s.text == text[s.start : s.end]
        assert s.to_dict()["text"] == s.text
