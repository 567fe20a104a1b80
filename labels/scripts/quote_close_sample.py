"""Draw the A/B sample of the quotation-closing check (labels/sources/README.md).

Scores the train and dev articles with the code of two checkouts (``--before``, the code
without the rule; ``--after``, with it), finds the attributed sentences whose source
changed, and draws 20 that had no source before and 40 whose source changed (seeded),
each shown with the sentences around it and the two sources in random order as A and B.
Writes ``quote_close_items.json`` (what readers see) and ``quote_close_key.json`` (which
of A and B is the rule's), in ``labels/sources/``.

Usage::

    python labels/scripts/quote_close_sample.py --before /tmp/prev --after .
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "labels" / "sources"
CHILD = """
import json, sys
sys.path.insert(0, {tree!r})
import framing
docs = [d for d in map(json.loads, open({docs!r}, encoding="utf-8")) if d["split"] in ("train", "dev")]
out = {{}}
for doc in framing.analyze_many({{"id": d["id"], "text": d["text"]}} for d in docs):
    for s in doc.sentences:
        a = s.attribution
        if a is not None:
            ref = a.source if a.source is not None else a.resolved_from
            out[f"{{doc.id}}:{{s.index}}"] = None if ref is None else list(ref)
print(json.dumps(out))
"""


def sources(tree: str) -> dict:
    code = CHILD.format(tree=str(Path(tree).resolve()), docs=str(ROOT / "labels" / "docs.jsonl"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True)
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.after).resolve()))
    import framing

    old, new = sources(args.before), sources(args.after)
    changed = sorted(k for k in new if new[k] is not None and old.get(k) != new[k])
    fresh = [k for k in changed if old.get(k) is None]
    moved = [k for k in changed if old.get(k) is not None]
    print(f"{len(changed)} sources changed: {len(fresh)} where there was none, {len(moved)} moved")
    rng = random.Random(args.seed)
    sample = rng.sample(fresh, min(20, len(fresh))) + rng.sample(moved, min(40, len(moved)))
    rng.shuffle(sample)
    docs = {d["id"]: d for d in map(json.loads, open(ROOT / "labels" / "docs.jsonl", encoding="utf-8"))}
    items, key = [], []
    for n, k in enumerate(sample):
        doc_id, i = k.rsplit(":", 1)
        i = int(i)
        text = docs[doc_id]["text"]
        spans = [tuple(x) for x in framing.segment(text)]

        def shown(ref, text=text, spans=spans):
            if ref is None:
                return None
            where = next(j for j, (a, b) in enumerate(spans) if a <= ref[0] < b)
            return {"speaker_text": text[ref[0]:ref[1]], "in_sentence": where}

        options = [("before", shown(old.get(k))), ("after", shown(new[k]))]
        rng.shuffle(options)
        items.append({"item": n, "article": doc_id, "sentence": i,
                      "context": [{"index": j, "text": text[a:b]} for j, (a, b) in enumerate(spans)
                                  if i - 3 <= j <= i + 4],
                      "A": options[0][1] or "no speaker given", "B": options[1][1] or "no speaker given"})
        key.append({"item": n, "article": doc_id, "sentence": i, "A": options[0][0], "B": options[1][0],
                    "had_none": old.get(k) is None})
    (OUT / "quote_close_items.json").write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
    (OUT / "quote_close_key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
