"""Tests for the stance of attribution cues (framing._attribution.stance)."""

from __future__ import annotations

import pytest

from framing._attribution import stance as stance_mod
from framing._attribution.stance import STANCES, cue_stance


def _stance(marked: str) -> str:
    """Stance of the cue written in [brackets] inside a one-sentence text."""
    a = marked.index("[")
    b = marked.index("]") - 1
    text = marked.replace("[", "").replace("]", "")
    return cue_stance(text, (a, b), (0, len(text)))


@pytest.mark.parametrize(
    ("marked", "expected"),
    [
        ("Officials [said] the talks would resume in March.", "neutral"),
        ("Pyongyang [claimed] the drills were a rehearsal for invasion.", "distancing"),
        ("The group [has alleged] that the vote was rigged.", "distancing"),
        ("Trump [said], without evidence, that millions voted illegally.", "distancing"),
        ("The agency [reported] on what it called a 'hostile act' by Seoul.", "distancing"),
        ("The minister [denounced] what the opposition describes as a coup.", "distancing"),
        ("The ministry [confirmed] that two soldiers were killed.", "endorsing"),
        ("The senator [has] acknowledged that the bill would not pass.", "endorsing"),  # cue cut after "has"
        ("The senator [has also acknowledged] that the bill would not pass.", "endorsing"),
        ("The Pentagon [did not confirm] the report.", "neutral"),
        ("The Pentagon declined to [confirm] the report.", "neutral"),
        ("Russia [denied] any role in the attack.", "neutral"),
        ("She [went on Sunday talk shows] with the account.", "neutral"),  # "shows" is no verb here
        ("The report [found] that the strikes hit civilians.", "endorsing"),
        ("The ministry didn't [confirm] the report.", "neutral"),  # contractions are one token
        ("The ministry hasn’t [confirmed] the report.", "neutral"),
        ("The Pentagon [confirmed] the strike, which state media falsely denied.", "endorsing"),
        ("Officials [said] the vote, which the Kremlin downplayed, was rigged.", "neutral"),
        ("Officials [said], without evidence, that the vote was rigged; others disagreed.", "distancing"),
        ("Officials [said] on Monday, after weeks of silence, without evidence, that the vote was rigged.",
         "distancing"),  # an aside between commas stays in the clause
        ("Without evidence, after weeks of silence, officials [said] the vote was rigged.", "distancing"),
        ("Officials [said], as they had before, that the so-called election was rigged.", "distancing"),
    ],
)
def test_stance_follows_the_guide(marked: str, expected: str) -> None:
    assert _stance(marked) == expected


def test_the_seed_state_media_claim_is_distancing() -> None:
    text = ("North Korea confirmed its deployment of soldiers to Ukraine in April, when state media "
            "claimed its forces had ‘completely liberated’ the Kursk border region.")
    a = text.index("claimed")
    assert cue_stance(text, (a, a + len("claimed")), (0, len(text))) == "distancing"
    b = text.index("confirmed")
    assert cue_stance(text, (b, b + len("confirmed")), (0, len(text))) == "endorsing"


def test_only_the_sentence_of_the_cue_is_read() -> None:
    text = "He claimed it was false. Officials said the strike hit a depot."
    a = text.index("said")
    assert cue_stance(text, (a, a + 4), (25, len(text))) == "neutral"
    assert cue_stance(text, (3, 10), (0, 24)) == "distancing"


def test_long_sentences_cost_linear_time() -> None:
    # "what" opens a modifier pattern ("what it called"): each occurrence is tried once.
    text = "Officials confirmed " + "what the " * 40000 + "."
    a = text.index("confirmed")
    assert cue_stance(text, (a, a + 9), (0, len(text))) in STANCES


def test_word_lists_reject_an_unknown_section(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stance_mod, "_read_lists", lambda: "[distancing]\nclaimed\n[hedging]\nmaybe\n")
    stance_mod._lists.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown section"):
            stance_mod._lists()
    finally:
        stance_mod._lists.cache_clear()
