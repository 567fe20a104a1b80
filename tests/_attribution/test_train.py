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
