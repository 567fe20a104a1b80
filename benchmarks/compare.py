"""Outlet comparisons: corrected shares and their intervals against the gold shares.

Run: ``python benchmarks/compare.py [--bootstrap 1000]``

The shipped model scores every article of the unseen-outlet test split; the articles are
grouped by outlet, and each group's shares are estimated by every method of
:mod:`framing._quantify` (``cc`` is the naive share). Against the gold shares of the
labelled set, per method:

- mean absolute error over (outlet, label) pairs, and the same weighting outlets by
  their sentences;
- coverage of the 90 % intervals: the share of (outlet, label) pairs whose gold share
  lies inside, with the held-out outlet spread that ``framing train`` recorded (the
  default) and from resampling documents alone.

The method the model uses by default was chosen by ``framing train`` on the dev split
grouped by outlet (``meta["quantification"]``); the test split only reports it here.
Bars (issue #19): the default method's error below the naive shares', and coverage
>= 85 %. Writes ``benchmarks/results/compare.json``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict

import numpy as np
from _common import ROOT, table, write_result

import framing
from framing import LABELS
from framing._quantify import METHODS


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--level", type=float, default=0.9)
    args = ap.parse_args()
    docs = [json.loads(line) for line in (ROOT / "labels" / "docs.jsonl").open(encoding="utf-8")]
    test = [d for d in docs if d["split"] == "test"]
    outlet = {d["id"]: d["outlet"] for d in test}
    gold: dict[str, Counter] = defaultdict(Counter)
    for line in (ROOT / "labels" / "sentences.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if r["doc_id"] in outlet:
            gold[outlet[r["doc_id"]]][r["label"]] += 1
    model = framing.load_model()
    scored = list(framing.analyze_many({"id": d["id"], "text": d["text"], "outlet": d["outlet"]} for d in test))
    q = model.meta.get("quantification", {})
    rows = []
    for method in METHODS:
        if method == "pacc" and not q.get("mean_probabilities"):
            continue
        for group_error in (True, False):
            r = framing.corpus_profile(scored, by="outlet", method=method, ci=args.level,
                                       n_bootstrap=args.bootstrap, seed=0, group_error=group_error, model=model)
            errs, weights, covered = [], [], []
            for name, g in r["groups"].items():
                n = sum(gold[name].values())
                for lab in LABELS:
                    truth = gold[name][lab] / n
                    errs.append(abs(g["adjusted_shares"][lab] - truth))
                    weights.append(n)
                    lo, hi = g["ci"][lab]
                    covered.append(lo - 1e-9 <= truth <= hi + 1e-9)
            rows.append({"method": method, "group_error": group_error, "mae": float(np.mean(errs)),
                         "mae_by_sentences": float(np.average(errs, weights=weights)),
                         "coverage": float(np.mean(covered)), "pairs": len(covered)})
    default = q.get("default_method", "cc")
    best = next(r for r in rows if r["method"] == default and r["group_error"])
    naive = next(r for r in rows if r["method"] == "cc" and r["group_error"])
    payload = {
        "n_articles": len(test), "n_outlets": len(gold),
        "outlets": {o: {"articles": sum(1 for d in test if d["outlet"] == o), "sentences": sum(gold[o].values())}
                    for o in sorted(gold)},
        "level": args.level, "n_bootstrap": args.bootstrap,
        "default_method": default, "dev_selection": q.get("held_out"),
        "rows": rows,
        "bars": {"mae_below_naive": best["mae"] < naive["mae"], "coverage_at_least_0.85": best["coverage"] >= 0.85},
    }
    print(f"test split: {len(test)} articles from {len(gold)} outlets; default method {default} "
          f"(chosen on dev by outlet: {q.get('held_out', {}).get('mae')})")
    print(table(rows, [("method", "method", ""), ("group_error", "outlet spread in CI", ""),
                       ("mae", "MAE", ".4f"), ("mae_by_sentences", "MAE (by sentences)", ".4f"),
                       ("coverage", f"{args.level:.0%} CI coverage", ".3f"), ("pairs", "pairs", "")]))
    print(f"bars: default MAE {best['mae']:.4f} vs naive {naive['mae']:.4f} "
          f"({'met' if payload['bars']['mae_below_naive'] else 'NOT met'}); coverage {best['coverage']:.3f} "
          f"({'met' if payload['bars']['coverage_at_least_0.85'] else 'NOT met'})")
    print("wrote", write_result("compare", payload).relative_to(ROOT))


if __name__ == "__main__":
    main()
