"""How many sentences framing labels as attributed carry a source, on the labelled set.

For the dev and test articles of ``labels/``, scores every article with the shipped model
and counts, over the sentences it labels as an attributed voice (state media, official,
analyst): those with an attribution, those whose source span lies in the sentence, and
those whose source is known (in the sentence, or the earlier mention a ``continued``
sentence carries on), by mode. Whether the sources are the right ones is measured by
reading, in ``labels/sources/`` (see its README). Issue bar: at least 90% of attributed
sentences carry a source.

Writes ``benchmarks/results/sources.json``.

Usage::

    python benchmarks/sources.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from _common import ROOT, table, write_result

import framing

BAR = 0.90


def count(split: str) -> dict:
    with open(ROOT / "labels" / "docs.jsonl", encoding="utf-8") as fh:
        docs = [d for d in map(json.loads, fh) if d["split"] == split]
    c: Counter[str] = Counter()
    for doc in framing.analyze_many({"id": d["id"], "text": d["text"]} for d in docs):
        for s in doc.sentences:
            if s.label == "reporter_narration":
                continue
            a = s.attribution
            c["attributed"] += 1
            if a is None:
                continue
            c["with_attribution"] += 1
            c[f"mode_{a.mode}"] += 1
            c["source_in_sentence"] += a.source is not None
            c["source_known"] += a.source is not None or a.resolved_from is not None
    n = c["attributed"]
    return {"articles": len(docs), "attributed_sentences": n, "counts": dict(sorted(c.items())),
            **{f"share_{k}": round(c[k] / n, 4) if n else None
               for k in ("with_attribution", "source_in_sentence", "source_known")},
            "bar_met": bool(n and c["source_known"] / n >= BAR)}


def main() -> int:
    results = {split: count(split) for split in ("dev", "test")}
    rows = [{"split": k, "n": v["attributed_sentences"], "att": v["share_with_attribution"],
             "in": v["share_source_in_sentence"], "known": v["share_source_known"],
             "bar": "met" if v["bar_met"] else "NOT met"} for k, v in results.items()]
    print(table(rows, [("split", "split", ""), ("n", "sentences labelled attributed", ",d"),
                       ("att", "with an attribution", ".3f"), ("in", "source span in the sentence", ".3f"),
                       ("known", "source known", ".3f"), ("bar", f"bar >= {BAR:.0%}", "")]))
    write_result("sources", {"bar": BAR, "splits": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
