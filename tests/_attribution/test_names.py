"""The name and type of a source phrase, and the antecedent an anaphor needs (framing._attribution.names)."""

import pytest

from framing._attribution.names import _name_and_type, _phrase_info, _places


@pytest.mark.parametrize(("phrase", "expected"), [
    ("KCNA, the state news agency", ("KCNA", "state_media", True)),
    ("Senator John Smith", ("Senator John Smith", "official", True)),
    ("South Korean lawmakers", ("South Korean lawmakers", "official", False)),  # a described group, not a name
    ("officials", ("officials", "official", False)),
    ("the agency", ("the agency", "other", False)),
])
def test_name_and_type(phrase, expected):
    assert _name_and_type(phrase) == expected


@pytest.mark.parametrize(("phrase", "need"), [
    ("he", "person"), ("It", "org"), ("they", "group"), ("the agency", "org"), ("The leader", "person"),
    ("the officials", "group"), ("KCNA", None), ("officials", None), ("the state news agency", None),
])
def test_anaphors_name_the_antecedent_they_need(phrase, need):
    assert _phrase_info(phrase)[1] == need


def test_places_are_read_without_comments():
    places = _places()
    assert {"North Korea", "Pyongyang"} <= places
    assert not any(p.startswith("#") or not p.strip() for p in places)
