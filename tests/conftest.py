import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


# A one-article PolNeAR-style (brat) corpus: "Kim" 0-3 "said" 4-8; "Lee" 13-16 "told" 17-21.
_BRAT_TEXT = "Kim said it. Lee told KCNA that it rained. The end."
_BRAT_ANNS = {
    "A": ("T1\tSource 0 3\tKim\nT2\tCue 4 8\tsaid\nT3\tContent 9 11\tit\n"
          "E1\tAttribution:T2 Cue:T2 Source:T1 Content:T3\n"),
    "B": ("T1\tSource 13 16\tLee\nT2\tCue 17 21\ttold\nT3\tContent 27 41\tthat it rained\n"
          "E1\tAttribution:T2 Cue:T2 Source:T1 Content:T3\n"),
}


@pytest.fixture
def tiny_polnear(tmp_path):
    """``make(name, {annotator suffix: "A" or "B"})`` writes the article ``art`` in the
    test split of a new corpus under ``tmp_path / name`` and returns the corpus root, the
    text and the two annotations' (cue, source) spans."""

    def make(name: str, annotators: dict[str, str]):
        root = tmp_path / name
        (root / "test" / "text").mkdir(parents=True)
        (root / "test" / "attributions").mkdir(parents=True)
        (root / "test" / "text" / "art.txt").write_text(_BRAT_TEXT, encoding="utf-8")
        for suffix, which in annotators.items():
            (root / "test" / "attributions" / f"art_{suffix}.ann").write_text(_BRAT_ANNS[which], encoding="utf-8")
        return root, _BRAT_TEXT, ((4, 8), (0, 3)), ((17, 21), (13, 16))

    return make
