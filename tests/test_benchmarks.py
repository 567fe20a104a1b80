"""The benchmark scripts' own checks stay valid as the code changes."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mutants():
    from mutants import MUTANTS  # benchmarks/ is on the path (conftest.py)

    return MUTANTS


@pytest.mark.parametrize("name", sorted(_mutants()))
def test_every_mutant_still_finds_its_snippet(name):
    # A snippet that no longer matches would make the mutation check skip that mutant.
    path, old, new, tests = _mutants()[name]
    assert (ROOT / path).read_text(encoding="utf-8").count(old) == 1
    assert old != new and all((ROOT / t).is_file() for t in tests)


def test_majority_spans_need_more_than_half_of_the_annotators():
    from attribution import _majority

    text = "abcdefghij"
    assert _majority(text, [[(0, 3)], [(1, 4)], [(2, 8)]]) == [(1, 4)]
    assert _majority(text, [[(0, 3)], [(5, 8)]]) == []  # one of two is not a majority
    assert _majority(text, [[(0, 3), (0, 3)], [(0, 2)]]) == [(0, 2)]  # a span twice is one vote
    assert _majority(text, [[(6, 10)], [(8, 10)], [(9, 10)]]) == [(8, 10)]  # a run to the text's end


def test_human_agreement_is_one_for_copies_and_zero_for_disjoint_annotations(tiny_polnear):
    from attribution import human_agreement

    rows, raw = human_agreement(str(tiny_polnear("same", {"a": "A", "b": "A", "c": "A"})[0]))
    assert raw["articles"] == 1 and raw["annotations"] == 3
    assert {r["f1"] for r in rows} == {1.0}
    rows, raw = human_agreement(str(tiny_polnear("apart", {"a": "A", "b": "B"})[0]))
    assert {r["f1"] for r in rows} == {0.0}
    assert raw["cue"]["pairwise"]["overlap"]["precision"] == 0.0
