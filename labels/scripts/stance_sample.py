"""Draw the cue sample for the stance study (how the reporter frames an attributed claim).

Every labelled article is scored with the shipped model; each sentence whose *gold* label
is an attributed voice (state media, official, analyst) and whose attribution has a cue
becomes a candidate. Two strata, seeded, standard library plus framing:

- ``natural``: cues drawn at random, as they occur (mostly "said");
- ``diverse``: cues drawn with at most ``--cap`` per cue word form, so that rarer cues
  ("claimed", "acknowledged", "according to", participles) are measured too.

Writes ``labels/stance/sample.jsonl``: ``id``, ``doc_id``, ``sentence_index``, ``split``,
``stratum``, ``gold_label``, ``sentence`` (its text), ``cue_start``/``cue_end`` (offsets
into ``sentence``), ``cue``, ``previous`` (the sentence before, for context).

Usage::

    python labels/scripts/stance_sample.py [--natural 200] [--diverse 200] [--cap 3]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

import framing

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTED = {"state_media_quote", "official_claim", "analyst_assessment"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--natural", type=int, default=200)
    ap.add_argument("--diverse", type=int, default=200)
    ap.add_argument("--cap", type=int, default=3)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("-o", "--out", type=Path, default=ROOT / "labels" / "stance" / "sample.jsonl")
    args = ap.parse_args()

    docs = {}
    with open(ROOT / "labels" / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            docs[d["id"]] = d
    gold: dict[tuple[str, int], tuple[int, int, str]] = {}
    with open(ROOT / "labels" / "sentences.jsonl", encoding="utf-8") as fh:
        for line in fh:
            s = json.loads(line)
            gold[(s["doc_id"], s["start"])] = (s["sentence_index"], s["end"], s["label"])

    ids = sorted(docs)
    scored = framing.analyze_many({"id": i, "text": docs[i]["text"]} for i in ids)
    candidates = []
    for doc in scored:
        text = docs[doc.id]["text"]
        prev = ""
        for s in doc.sentences:
            g = gold.get((doc.id, s.start))
            a = s.attribution
            if g is not None and g[1] == s.end and g[2] in ATTRIBUTED and a is not None and a.cue is not None:
                candidates.append({
                    "doc_id": doc.id, "sentence_index": g[0], "split": docs[doc.id]["split"],
                    "gold_label": g[2], "sentence": text[s.start:s.end],
                    "cue_start": a.cue[0] - s.start, "cue_end": a.cue[1] - s.start,
                    "cue": text[a.cue[0]:a.cue[1]], "previous": prev,
                })
            prev = text[s.start:s.end]

    rng = random.Random(args.seed)
    rng.shuffle(candidates)
    natural = candidates[: args.natural]
    taken = {(c["doc_id"], c["sentence_index"]) for c in natural}
    per_form: Counter[str] = Counter()
    diverse = []
    for c in candidates[args.natural:]:
        form = c["cue"].lower()
        if len(diverse) >= args.diverse:
            break
        if per_form[form] >= args.cap or (c["doc_id"], c["sentence_index"]) in taken:
            continue
        per_form[form] += 1
        diverse.append(c)
    rows = [dict(c, stratum="natural") for c in natural] + [dict(c, stratum="diverse") for c in diverse]
    rng.shuffle(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for k, r in enumerate(rows):
            fh.write(json.dumps({"id": f"cue{k:04d}", **r}, ensure_ascii=False) + "\n")
    print(f"{len(candidates)} candidate cues; wrote {len(rows)} ({len(natural)} natural, {len(diverse)} diverse, "
          f"{len(per_form)} cue forms in diverse) to {args.out}")


if __name__ == "__main__":
    main()
