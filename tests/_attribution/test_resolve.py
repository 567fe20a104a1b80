"""Pronouns and definite descriptions resolved to earlier sources (framing._attribution.resolve)."""

from ._helpers import flat, only, run, sl


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
