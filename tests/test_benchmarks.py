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
