"""Training and evaluating the tagger on PolNeAR (framing._attribution.train)."""

import os
from pathlib import Path

import pytest

# PolNeAR is not shipped: the check on its dev split runs where FRAMING_POLNEAR names a copy.
POLNEAR = Path(os.environ.get("FRAMING_POLNEAR", "/nonexistent"))


# --------------------------------------------------------------------------- PolNeAR (skipped when absent)


@pytest.mark.skipif(not (POLNEAR / "dev").is_dir(), reason="PolNeAR not available")
def test_polnear_dev_sample_quality():
    from framing._attribution.train import evaluate, load_polnear

    arts = load_polnear(POLNEAR, "dev")[:20]
    r = evaluate(arts)
    assert r["cue"]["overlap"]["f1"] > 0.7
    assert r["source"]["overlap"]["f1"] > 0.6



def test_load_polnear_takes_the_first_annotator_unless_asked_for_every_one(tiny_polnear):
    from framing._attribution.train import load_polnear

    root, text, (cue_a, source_a), (cue_b, source_b) = tiny_polnear("corpus", {"bbbb": "B", "aaaa": "A"})
    (one,) = load_polnear(root, "test")
    assert (one.annotator, one.cues, one.sources) == ("aaaa", [cue_a], [source_a])
    every = load_polnear(root, "test", every_annotator=True)
    assert [(a.annotator, a.cues, a.sources) for a in every] == [
        ("aaaa", [cue_a], [source_a]), ("bbbb", [cue_b], [source_b])]
    assert {a.text for a in every} == {text}
