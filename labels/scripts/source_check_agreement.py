"""Agreement and results of the source checks (labels/sources/CHECK.md).

For each check (``check`` on dev articles, ``check_test`` on test articles,
``check_train`` on train articles after the fixes of an independent review) reads the
sample and the two readers' passes, prints Cohen's kappa and, per stratum, how many
sources each reader judged right, partial, wrong or no_speaker, and writes
``labels/sources/results.json``.

Usage::

    python labels/scripts/source_check_agreement.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from _agreement import kappa

ROOT = Path(__file__).resolve().parents[2]
DIR = ROOT / "labels" / "sources"
VALUES = ("right", "partial", "wrong", "no_speaker")
CHECKS = {"dev (rules then revised on it)": ("check_sample", "check_a", "check_b"),
          "test (after the revision)": ("check_test_sample", "check_test_a", "check_test_b"),
          "train (after the review fixes)": ("check_train_sample", "check_train_a", "check_train_b")}


def read(name: str) -> list[dict]:
    with open(DIR / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def main() -> None:
    out = {}
    for title, (sample, pa, pb) in CHECKS.items():
        items = read(sample)
        a = {r["id"]: r["judgement"] for r in read(pa)}
        b = {r["id"]: r["judgement"] for r in read(pb)}
        ids = [r["id"] for r in items]
        if set(a) != set(ids) or set(b) != set(ids):
            raise SystemExit(f"{title}: a pass does not cover exactly the sample's ids")
        res = {"n": len(ids), "kappa": round(kappa([a[i] for i in ids], [b[i] for i in ids]), 4), "strata": {}}
        print(f"{title}: n={len(ids)} kappa={res['kappa']:.3f}")
        for stratum in ("cue", "continued", "act"):
            sub = [r["id"] for r in items if r["stratum"] == stratum]
            ca, cb = Counter(a[i] for i in sub), Counter(b[i] for i in sub)
            both_right = sum(a[i] == b[i] == "right" for i in sub)
            res["strata"][stratum] = {"n": len(sub), "reader_a": {v: ca[v] for v in VALUES},
                                      "reader_b": {v: cb[v] for v in VALUES}, "both_right": both_right}
            print(f"  {stratum:9} n={len(sub)}  right {ca['right']}/{cb['right']}  partial {ca['partial']}/"
                  f"{cb['partial']}  wrong {ca['wrong']}/{cb['wrong']}  no_speaker {ca['no_speaker']}/"
                  f"{cb['no_speaker']}  (both right: {both_right})")
        out[title] = res
    (DIR / "results.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
