"""Stance of attribution cues (neutral / distancing / endorsing) against the labelled cues.

Reads ``labels/stance/gold.jsonl`` (400 cues of attributed sentences, each read by two
annotators and adjudicated; guide ``labels/STANCE.md``), scores every cue the annotators
did not call ``not_a_cue`` with :func:`framing._attribution.stance.cue_stance`, and prints accuracy,
per-stance precision / recall / F1 and the always-``neutral`` baseline, for:

- ``train+dev``: cues from train and dev articles, which the word lists were revised on once;
- ``test``: cues from test articles, never looked at while writing the lists (held out);
- ``all``.

Writes ``benchmarks/results/stance.json``. Standard library and framing only.

Usage::

    python benchmarks/stance.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table, write_result

from framing._attribution.stance import STANCES, cue_stance

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "labels" / "stance" / "gold.jsonl"


def scores(pairs: list[tuple[str, str]]) -> dict:
    n = len(pairs)
    out: dict = {"n": n, "accuracy": round(sum(g == p for g, p in pairs) / n, 4) if n else None,
                 "baseline_neutral": round(sum(g == "neutral" for g, _ in pairs) / n, 4) if n else None,
                 "per_stance": {}}
    for s in STANCES:
        tp = sum(g == s and p == s for g, p in pairs)
        fp = sum(g != s and p == s for g, p in pairs)
        fn = sum(g == s and p != s for g, p in pairs)
        prec = tp / (tp + fp) if tp + fp else None
        rec = tp / (tp + fn) if tp + fn else None
        f1 = 2 * prec * rec / (prec + rec) if prec and rec else (0.0 if tp + fn else None)
        out["per_stance"][s] = {"support": tp + fn, "precision": None if prec is None else round(prec, 4),
                                "recall": None if rec is None else round(rec, 4),
                                "f1": None if f1 is None else round(f1, 4)}
    return out


def main() -> int:
    with open(GOLD, encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh]
    parts: dict[str, list[tuple[str, str]]] = {"train+dev": [], "test": [], "all": []}
    not_cue = 0
    for g in gold:
        if g["stance"] == "not_a_cue":
            not_cue += 1
            continue
        s = g["sentence"]
        pair = (g["stance"], cue_stance(s, (g["cue_start"], g["cue_end"]), (0, len(s))))
        parts["test" if g["split"] == "test" else "train+dev"].append(pair)
        parts["all"].append(pair)
    results = {name: scores(pairs) for name, pairs in parts.items()}
    rows = []
    for name, r in results.items():
        row = {"cues": name, "n": r["n"], "accuracy": r["accuracy"], "always neutral": r["baseline_neutral"]}
        for s in STANCES:
            row[f"F1 {s}"] = r["per_stance"][s]["f1"]
        rows.append(row)
    cols = [("cues", "cues", ""), ("n", "n", "d"), ("accuracy", "accuracy", ".3f"),
            ("always neutral", "always neutral", ".3f")] + [(f"F1 {s}", f"F1 {s}", ".3f") for s in STANCES]
    print(table(rows, cols))
    print(f"{not_cue} of {len(gold)} marked cues were not cues by the annotators (left out above).")
    write_result("stance", {"gold": str(GOLD.relative_to(ROOT)),
                             "not_a_cue": not_cue, "n_marked": len(gold), "results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
