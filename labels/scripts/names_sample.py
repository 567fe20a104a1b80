"""Draw a sample of sentences for the source-name gold (guide: labels/NAMES.md).

From one split of the labelled set (``--split``, test by default), draws (seeded) ``--per-label`` sentences of each
attributed gold label, at most ``--per-article`` from one article, and writes
``labels/names/sample.jsonl``: ``id``, ``doc_id``, ``sentence_index``, ``label`` (gold),
``sentence``, ``context`` (the article's text before the sentence, up to 2,500
characters, cut at a sentence start). Standard library only.

Usage::

    python labels/scripts/names_sample.py [--split test] [--per-label 100] [--per-article 3] [-o FILE]
        [--exclude SAMPLE ...]

``--exclude`` leaves out the articles of earlier samples, so a new sample of the same
split reads articles no name gold has seen.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTED = ("state_media_quote", "official_claim", "analyst_assessment")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-label", type=int, default=100)
    ap.add_argument("--per-article", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--split", default="test", choices=("train", "dev", "test"))
    ap.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier samples whose articles to leave out")
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "labels" / "names" / "sample.jsonl")
    args = ap.parse_args()
    seen: set[str] = set()
    for path in args.exclude:
        with open(path, encoding="utf-8") as fh:
            seen.update(json.loads(line)["doc_id"] for line in fh)
    with open(ROOT / "labels" / "docs.jsonl", encoding="utf-8") as fh:
        docs = {d["id"]: d for d in map(json.loads, fh) if d["split"] == args.split and d["id"] not in seen}
    by_doc: dict[str, list[dict]] = {}
    with open(ROOT / "labels" / "sentences.jsonl", encoding="utf-8") as fh:
        for s in map(json.loads, fh):
            if s["doc_id"] in docs:
                by_doc.setdefault(s["doc_id"], []).append(s)
    rng = random.Random(args.seed)
    pool = [s for d in sorted(by_doc) for s in by_doc[d] if s["label"] in ATTRIBUTED]
    rng.shuffle(pool)
    taken: Counter[str] = Counter()
    per_label: Counter[str] = Counter()
    rows = []
    for s in pool:
        if per_label[s["label"]] >= args.per_label or taken[s["doc_id"]] >= args.per_article:
            continue
        text = docs[s["doc_id"]]["text"]
        starts = [x["start"] for x in sorted(by_doc[s["doc_id"]], key=lambda x: x["start"])]
        cut = next((a for a in starts if a >= s["start"] - 2500), s["start"])
        rows.append({"doc_id": s["doc_id"], "sentence_index": s["sentence_index"], "label": s["label"],
                     "sentence": text[s["start"]:s["end"]], "context": text[cut:s["start"]]})
        taken[s["doc_id"]] += 1
        per_label[s["label"]] += 1
    rows.sort(key=lambda r: (r["doc_id"], r["sentence_index"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for k, r in enumerate(rows):
            fh.write(json.dumps({"id": f"name{k:04d}", **r}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences ({dict(per_label)}) from {len(taken)} articles -> {args.out}")


if __name__ == "__main__":
    main()
