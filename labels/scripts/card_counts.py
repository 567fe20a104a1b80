"""Write the counts tables of the dataset card (labels/README.md) from the data itself.

Replaces the text between ``<!-- counts -->`` and ``<!-- /counts -->`` in the card.
Usage: ``python labels/scripts/card_counts.py``
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import LABELS  # noqa: E402

L = ROOT / "labels"


def main() -> None:
    with (L / "sentences.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    with (L / "docs.jsonl").open(encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    splits = ("train", "dev", "test")
    c = collections.Counter((r["split"], r["label"]) for r in rows)
    lines = ["| split | articles | outlets | sentences | " + " | ".join(LABELS) + " |",
             "|---|---:|---:|---:|" + "---:|" * len(LABELS)]
    for sp in (*splits, "all"):
        ds = [d for d in docs if sp == "all" or d["split"] == sp]
        n = sum(c[(s, lab)] for s in splits for lab in LABELS if sp in ("all", s))
        per = [sum(c[(s, lab)] for s in splits if sp in ("all", s)) for lab in LABELS]
        lines.append(f"| {sp} | {len(ds)} | {len({d['outlet'] for d in ds})} | {n} | "
                     + " | ".join(str(x) for x in per) + " |")
    test_outlets = sorted({d["outlet"] for d in docs if d["split"] == "test"})
    lines += ["", f"Test outlets (absent from train and dev): {', '.join(test_outlets)}."]
    by_round = collections.Counter(d.get("round", 1) for d in docs)
    sents_round = collections.Counter(r.get("round", 1) for r in rows)
    lines += ["", "By selection round: " + "; ".join(f"round {k}: {by_round[k]} articles, {sents_round[k]} sentences"
                                                      for k in sorted(by_round)) + "."]
    roles = collections.Counter(r.get("speaker_role", "reporter's own voice") for r in rows
                                if r["label"] == "reporter_narration")
    lines += ["", "Narration sentences by speaker role: " + ", ".join(f"{k} {v}" for k, v in roles.most_common()) + "."]
    agreed = sum("+" in r["annotator"] for r in rows)
    adjudicated = collections.Counter(r["annotator"] for r in rows if "+" not in r["annotator"])
    pairs = collections.Counter(a for r in rows if "+" in r["annotator"] for a in r["annotator"].split("+"))
    lines += ["", f"Decided by two agreeing annotators: {agreed} sentences (each annotator's share of those: "
              + ", ".join(f"{k} {v}" for k, v in sorted(pairs.items())) + "); by adjudication: "
              + ", ".join(f"{k} {v}" for k, v in sorted(adjudicated.items())) + "."]
    card = L / "README.md"
    text = card.read_text(encoding="utf-8")
    block = "<!-- counts -->\n" + "\n".join(lines) + "\n<!-- /counts -->"
    card.write_text(re.sub(r"<!-- counts -->.*?<!-- /counts -->", lambda _m: block, text, flags=re.S), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
