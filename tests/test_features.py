"""Attribution features: who the source is, found by patterns and lexicons."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing import segment
from framing._features import FEATURE_GROUPS, featurize, find_attribution
from framing._lexicons import load_lexicons, tokenize


def source_types(text: str) -> list[str]:
    feats = featurize(text, segment(text))
    return [next(f for f in fs if f.startswith("src:T=")).split("=", 1)[1] for fs in feats]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops were deployed in October, according to NATO.", "official"),
        ("In a speech quoted by the Korean Central News Agency, Kim praised the troops.", "state_media"),
        ("Ege Seckin, an analyst at IHS Country Risk, said the U.S. is reluctant.", "analyst"),
        ('"This is part of their brinksmanship," said Daniel Pinkston, an expert with the Crisis Group.', "analyst"),
        ("Gen. Hajizadeh told state TV that his unit accepts full responsibility.", "state_media"),
        ("Bill Richardson, the former New Mexico governor, said the talks would fail.", "analyst"),
        ("The Trump campaign said the report was false.", "nonstate"),
        ("The storm hit the coast on Monday.", "nocue"),
    ],
)
def test_source_type_of_the_main_attribution(text, expected):
    assert source_types(text) == [expected]


def test_names_are_remembered_and_pronouns_resolved():
    text = ("Michael Smyth, an analyst at the Washington Institute, studies the militias. "
            "Smyth said the attack was planned. He added that more would follow.")
    feats = featurize(text, segment(text))
    assert "src:T=analyst" in feats[1] and "src:how=memory" in feats[1]
    assert "src:T=analyst" in feats[2] and "src:how=pronoun" in feats[2]


def test_possessive_multiword_names_match():
    lex = load_lexicons()
    tokens = tokenize("North Korea's army said so.")
    kinds = [k for _s, _e, k in lex.find(tokens, [t.lower() for t in tokens])]
    assert kinds[0] == "official"


def test_groups_select_namespaces():
    text = "KCNA said the launch succeeded."
    only = featurize(text, segment(text), groups=("src",))[0]
    assert all(f.startswith("src:") or f == "bias" for f in only)
    full = featurize(text, segment(text))[0]
    assert {f.split(":", 1)[0] for f in full} - {"bias"} <= set(FEATURE_GROUPS)


def test_tagger_features_from_given_or_own_tagging():
    from framing._attribution import extract_attributions

    text = "KCNA said the launch succeeded. It added that more would follow. The storm hit the coast."
    spans = segment(text)
    feats = featurize(text, spans)
    assert "att:T=state_media" in feats[0] and "att:none" in feats[2]
    assert any(f.startswith("att:resolved=") for f in feats[1])
    assert featurize(text, spans, tagged=extract_attributions(text, spans)) == feats
    with pytest.raises(ValueError, match="tagged"):
        featurize(text, spans, tagged=[[]])
    off = featurize(text, spans, groups=tuple(g for g in FEATURE_GROUPS if g != "att"))
    assert not any(f.startswith("att:") for fs in off for f in fs)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_features_never_fail_and_are_binary(text):
    feats = featurize(text, segment(text))
    assert len(feats) == len(segment(text))
    for fs in feats:
        assert len(fs) == len(set(fs)) and "bias" in fs


def test_a_name_described_again_and_again_keeps_a_bounded_description():
    import itertools
    import string

    from framing import segment
    from framing._features import _DESC_CAP

    words = ["".join(p) for p in itertools.islice(itertools.product(string.ascii_lowercase, repeat=4), 400)]
    # "Smith, the <word> <word>, said" 200 times with new words each time, then a last "Smith said".
    text = " ".join(f"Smith, the {a} {b}, said it rained." for a, b in zip(words[::2], words[1::2]))
    text += " Smith said so."
    feats = featurize(text, segment(text), groups=("src", "spk"))
    last = [f for f in feats[-1] if f.startswith("spk:desc=")]
    assert 0 < len(last) <= _DESC_CAP


def test_every_feature_of_the_shipped_model_has_a_description_in_words():
    from framing._features import describe_feature

    model = framing.load_model()
    raw = [f for f in model.vocabulary if describe_feature(f) == f or describe_feature(f).startswith(f"{f[:4]}")]
    assert not raw, raw[:10]
    assert describe_feature("src:T=state_media") == "the sentence's source is state media"
    assert describe_feature("cue:said|T=official") == "the reporting cue 'said' (source: an official)"
    assert describe_feature("unknown:thing") == "unknown:thing"


def test_explanations_carry_descriptions():
    doc = framing.analyze("KCNA said the launch succeeded.", explain=True)
    items = doc.to_dict()["sentences"][0]["explanation"]["toward_label"]
    assert items and all(i["description"] and i["description"] != i["feature"] for i in items)


def test_readings_are_the_lexicon_reading_of_each_sentence():
    from framing import segment
    from framing._lexicons import piece_spans, tokenize

    text = 'KCNA said: “We will win. The war goes on.” Officials said "no." It rained.'
    spans = segment(text)
    readings: list = []
    feats = featurize(text, spans, readings=readings)
    assert len(readings) == len(spans) == len(feats)
    for (s, e), (tokens, lowered, matches, inq, _opens, att, pieces) in zip(spans, readings):
        assert tokens == tokenize(text[s:e]) and lowered == [t.lower() for t in tokens]
        assert [text[s + a : s + b].replace("’", "'") for a, b in piece_spans(tokens, pieces)] == tokens
        assert len(inq) == len(tokens) and all(0 <= a < b <= len(tokens) for a, b, _k in matches)
        assert att == find_attribution(tokens, lowered, matches, inq)  # the patterns' attribution, kept
    assert [r[4] for r in readings][:2] == [False, True]  # the second sentence starts inside the quotation
    assert readings[0].att.cue == "said" and readings[-1].att is None


def test_learned_names_match_the_plain_reading_of_every_run():
    """_learn_names finds the runs next to each typed match by bisection; the result must
    be what reading every run against every match gives (values and the order keys were
    learnt in), on random sentences dense with names, roles and commas."""
    import random

    from framing._features import _learn_names, _name_runs

    def plain(tokens, matches, memory):
        runs = _name_runs(tokens)
        for s, e, kind in [m for m in matches if m[2] in ("official", "analyst", "state_media")]:
            for rs, re_ in runs:
                if rs == s and re_ == e:
                    continue
                if e <= rs <= e + 1 or (re_ <= s and s - re_ <= 4 and "," in tokens[re_:s]):
                    memory.setdefault(tokens[re_ - 1].removesuffix("'s"), kind)

    rng = random.Random(7)
    pool = ["Anna", "Berg", "Lee's", "said", "the", ",", "analyst", "minister", "KCNA", "and", "of", "Oslo", "."]
    lex = load_lexicons()
    learned = 0
    for _ in range(300):
        tokens = [rng.choice(pool) for _ in range(rng.randint(0, 40))]
        matches = lex.find(tokens, [t.lower() for t in tokens])
        fast: dict = {}
        slow: dict = {}
        _learn_names(tokens, matches, fast)
        plain(tokens, matches, slow)
        assert list(fast.items()) == list(slow.items())
        learned += len(slow) > 1
    assert learned > 100  # the sentences do put names next to roles, several at a time
