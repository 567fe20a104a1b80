"""Draw the sample for the source check: is the source framing names the right speaker?

Scores the articles of one split of the labelled set (``--split``: dev for the first
check, which the rules were then revised on; test for the check after that) with the shipped model and draws, seeded,
attributions of sentences the model labelled as an attributed voice, in three strata by
how the source was found: ``cue`` (the tagger's cue and source), ``continued`` (no cue;
the previous sentence's source carried on) and ``act`` (no cue; a source of the label's
type named in the sentence). Writes ``labels/sources/check_sample.jsonl`` with the
sentence, the two sentences before it, the predicted label, and the source as text with
its offsets relative to the sentence (for ``continued``: the mention in an earlier
sentence, quoted).

Usage::

    python labels/scripts/source_check_sample.py [--split dev] [--per-stratum 60] [-o FILE]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import framing

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-stratum", type=int, default=60)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "labels" / "sources" / "check_sample.jsonl")
    args = ap.parse_args()
    with open(ROOT / "labels" / "docs.jsonl", encoding="utf-8") as fh:
        docs = [d for d in map(json.loads, fh) if d["split"] == args.split]
    strata: dict[str, list[dict]] = {"cue": [], "continued": [], "act": []}
    for doc in framing.analyze_many({"id": d["id"], "text": d["text"]} for d in docs):
        t = doc.text
        for s in doc.sentences:
            a = s.attribution
            if a is None:
                continue
            kind = a.mode if a.mode in ("continued", "act") else "cue"
            ref = a.source if a.source is not None else a.resolved_from
            before = [t[x.start:x.end] for x in doc.sentences[max(0, s.index - 2):s.index]]
            strata[kind].append({
                "doc_id": doc.id, "sentence_index": s.index, "stratum": kind, "label": s.label,
                "sentence": s.text, "before": before,
                "source": None if ref is None else t[ref[0]:ref[1]],
                "source_in_sentence": a.source is not None,
                "source_start": None if a.source is None else a.source[0] - s.start,
                "source_end": None if a.source is None else a.source[1] - s.start,
                "cue": None if a.cue is None else t[a.cue[0]:a.cue[1]],
                "source_name": a.source_name,
            })
    rng = random.Random(args.seed)
    rows = []
    for items in strata.values():
        rows.extend(rng.sample(items, min(args.per_stratum, len(items))))
    rng.shuffle(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for k, r in enumerate(rows):
            fh.write(json.dumps({"id": f"src{k:04d}", **r}, ensure_ascii=False) + "\n")
    print({k: len(v) for k, v in strata.items()}, "->", len(rows), "items in", args.out)


if __name__ == "__main__":
    main()
