"""The seed article's attributions against hand-checked spans (tests/data/seed_attributions.json).

The sentence labels are the hand-checked ones, so this checks the attribution step
(which attribution is shown for a label, its cue, source and stance), not the labels.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import framing
from framing import _api

ROOT = Path(__file__).resolve().parents[2]
GOLD = json.loads((ROOT / "tests" / "data" / "seed_attributions.json").read_text(encoding="utf-8"))
SEED = (ROOT / "seeds" / "kursk_propaganda_video.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def found():
    (d,) = _api._label_many([SEED], framing.load_model())
    assert len(d.spans) == len(GOLD["labels"])
    d.labels = list(GOLD["labels"])
    return _api._attributions([d])[0]


@pytest.mark.parametrize("index", list(GOLD["attributions"]))
def test_seed_attribution_has_the_hand_checked_source_and_cue(found, index):
    gold = GOLD["attributions"][index]
    a = found[int(index)]
    assert a is not None
    assert a.cue is not None and SEED[a.cue[0]:a.cue[1]] in gold["cue"]
    assert a.source is not None and SEED[a.source[0]:a.source[1]] in gold["source"]
    assert a.stance == gold["stance"]


def test_seed_narration_gets_no_attribution(found):
    for i, label in enumerate(GOLD["labels"]):
        if label == "reporter_narration":
            assert found[i] is None, i


def test_the_seed_state_media_claim_is_shown_as_distancing(found):
    a = found[21]
    assert (SEED[a.source[0]:a.source[1]], SEED[a.cue[0]:a.cue[1]], a.stance) == ("state media", "claimed",
                                                                                  "distancing")
