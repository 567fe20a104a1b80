"""Build round 2's annotation batches and the agreement sample from its selection.

Reads ``labels/passes/round2/selection.jsonl`` (``select_round2.py``), takes each article
from the ``news-intl`` corpus (``--corpus``), forms the document text as
``title + "\\n\\n" + text`` and segments it with ``framing.segment``. Writes, under
``--out``:

- ``docs.jsonl``: one document a line (``id``, ``text``, ``outlet``, ``date``, ``url``,
  ``corpus``, ``split``);
- ``queue/batch_NN.md``: first-pass batches of about ``--sentences`` sentences, articles
  dealt so every batch mixes splits, outlets and state-media articles;
- ``queue/agree_NN.md``: the agreement sample: from each of three consecutive batches,
  three articles (one citing state media where the batch has one), labelled again by an
  annotator who labelled none of those three batches.

Usage: ``python labels/scripts/round2_batches.py --corpus PATH/articles.jsonl --out DIR``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import segment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import document_text, read_articles  # noqa: E402

SELECTION = ROOT / "labels" / "passes" / "round2" / "selection.jsonl"


def _block(d: dict) -> str:
    lines = [f"\n## {d['id']}  ({d['outlet']}, {d['date']})\n"]
    for i, (s, e) in enumerate(segment(d["text"])):
        lines.append(f"[{i}] {' '.join(d['text'][s:e].split())}")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--sentences", type=int, default=550)
    ap.add_argument("--selection", type=Path, default=SELECTION, help="a round's selection.jsonl")
    ap.add_argument("--first-batch", type=int, default=0, help="number of the first batch (later rounds go on)")
    args = ap.parse_args()
    selection = [json.loads(line) for line in args.selection.open(encoding="utf-8")]
    articles = read_articles(args.corpus, (r["id"] for r in selection))
    docs = []
    for r in selection:
        a = articles[r["id"]]
        text = document_text(a)
        docs.append({"id": f"news-intl:{a['id']}", "text": text, "outlet": a["outlet"], "date": a["date"],
                     "url": a["url"], "corpus": "news-intl", "split": r["split"],
                     "_n": len(segment(text)), "_state": r["family_hits"]["state"] > 0})
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({k: v for k, v in d.items() if not k.startswith("_")}, ensure_ascii=False) + "\n")
    total = sum(d["_n"] for d in docs)
    n_batches = max(1, round(total / args.sentences))
    batches: list[list[dict]] = [[] for _ in range(n_batches)]
    sizes = [0] * n_batches
    # State-media articles dealt first, then the rest, each largest first, to the lightest batch.
    for d in sorted(docs, key=lambda d: (not d["_state"], -d["_n"], d["id"])):
        k = sizes.index(min(sizes))
        batches[k].append(d)
        sizes[k] += d["_n"]
    queue = args.out / "queue"
    queue.mkdir(exist_ok=True)
    rng = random.Random(20261206)
    agree_groups: list[list[dict]] = []
    for k, batch in enumerate(batches):
        batch.sort(key=lambda d: d["id"])
        (queue / f"batch_{args.first_batch + k:02d}.md").write_text("".join(_block(d) for d in batch),
                                                                    encoding="utf-8")
        state = [d for d in batch if d["_state"] and d["_n"] <= 40]
        other = [d for d in batch if not d["_state"]]
        rng.shuffle(state)
        rng.shuffle(other)
        pick = (state[:1] + other)[:3]
        if k % 3 == 0:
            agree_groups.append([])
        agree_groups[-1].extend(pick)
        print(f"batch_{k:02d}: {len(batch)} articles, {sizes[k]} sentences")
    for j, group in enumerate(agree_groups):
        group.sort(key=lambda d: d["id"])
        (queue / f"agree_{j:02d}.md").write_text("".join(_block(d) for d in group), encoding="utf-8")
        print(f"agree_{j:02d} (batches {3 * j:02d}-{min(3 * j + 2, n_batches - 1):02d}): "
              f"{len(group)} articles, {sum(d['_n'] for d in group)} sentences")


if __name__ == "__main__":
    main()
