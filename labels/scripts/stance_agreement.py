"""Agreement of the two stance passes, and the gold the adjudication makes of them.

Reads ``labels/stance/sample.jsonl``, ``pass_a.jsonl``, ``pass_b.jsonl`` and (when present)
``adjudicated.jsonl`` (one line per disagreement: ``id``, ``stance``, ``reason``,
``annotator``). Prints Cohen's kappa over all items and per stratum, and writes
``labels/stance/gold.jsonl``: each item with its gold ``stance`` (the agreed value, or the
adjudicated one) and ``annotator`` (``a+b`` or the adjudicator). Items still disagreed
without an adjudication are listed and left out of the gold.

Usage::

    python labels/scripts/stance_agreement.py [--json labels/stance/agreement.json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from _agreement import kappa, read_by_id

ROOT = Path(__file__).resolve().parents[2]
DIR = ROOT / "labels" / "stance"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, default=DIR / "agreement.json")
    args = ap.parse_args()
    sample = read_by_id(DIR / "sample.jsonl")
    pa, pb = read_by_id(DIR / "pass_a.jsonl"), read_by_id(DIR / "pass_b.jsonl")
    if set(pa) != set(sample) or set(pb) != set(sample):
        raise SystemExit("a pass does not cover exactly the sample's ids")
    adj = read_by_id(DIR / "adjudicated.jsonl")
    ids = list(sample)
    report = {"n": len(ids), "strata": {}}
    for name, subset in (("all", ids), *((s, [i for i in ids if sample[i]["stratum"] == s])
                                          for s in ("natural", "diverse"))):
        a = [pa[i]["stance"] for i in subset]
        b = [pb[i]["stance"] for i in subset]
        agree = sum(x == y for x, y in zip(a, b, strict=True))
        report["strata"][name] = {"n": len(subset), "agreement": round(agree / len(subset), 4),
                                  "kappa": round(kappa(a, b), 4)}
        print(f"{name:8} n={len(subset):3}  raw agreement {agree / len(subset):.3f}  kappa {kappa(a, b):.3f}")
    gold, open_ = [], []
    for i in ids:
        x, y = pa[i]["stance"], pb[i]["stance"]
        if x == y:
            gold.append({**sample[i], "stance": x, "annotator": f"{pa[i]['annotator']}+{pb[i]['annotator']}"})
        elif i in adj:
            gold.append({**sample[i], "stance": adj[i]["stance"], "annotator": adj[i]["annotator"],
                         "reason": adj[i].get("reason", "")})
        else:
            open_.append(i)
    report["disagreements"] = sum(pa[i]["stance"] != pb[i]["stance"] for i in ids)
    report["unresolved"] = open_
    report["gold_counts"] = dict(Counter(g["stance"] for g in gold))
    with open(DIR / "gold.jsonl", "w", encoding="utf-8") as fh:
        for g in gold:
            fh.write(json.dumps(g, ensure_ascii=False) + "\n")
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"disagreements {report['disagreements']}, unresolved {len(open_)}; gold {report['gold_counts']}")


if __name__ == "__main__":
    main()
