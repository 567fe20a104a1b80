"""Build the annotation batches from the article selection.

Reads ``labels/_build/selection.jsonl`` (written by ``select_articles.py``), takes each
article's text from the news-intl corpus (``FRAMING_NEWS_INTL``), forms the document text as
``title + "\\n\\n" + text`` (the headline is labelled like any sentence), segments it
with the project's segmenter and writes:

- ``labels/_build/docs.jsonl``: one document a line (``id``, ``text``, ``outlet``,
  ``date``, ``url``, ``corpus``, ``split``);
- ``labels/_build/batches/batch_NN.md``: the articles of one annotator's batch, every
  sentence numbered, for reading in context.

Usage: ``python labels/scripts/make_batches.py N_BATCHES``
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import segment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import document_text, read_articles  # noqa: E402

SOURCE = Path(os.environ.get("FRAMING_NEWS_INTL", "articles.jsonl"))


def main(n_batches: int) -> None:
    build = ROOT / "labels" / "_build"
    selection = [json.loads(line) for line in (build / "selection.jsonl").open(encoding="utf-8")]
    articles = read_articles(SOURCE, (r["id"] for r in selection))
    docs = []
    for r in selection:
        a = articles[r["id"]]
        text = document_text(a)
        docs.append({"id": f"news-intl:{a['id']}", "text": text, "outlet": a["outlet"], "date": a["date"],
                     "url": a["url"], "corpus": "news-intl", "split": r["split"]})
    with (build / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    # Interleave articles so each batch mixes splits, outlets and groups.
    batches: list[list[dict]] = [[] for _ in range(n_batches)]
    sizes = [0] * n_batches
    for d in sorted(docs, key=lambda d: -len(segment(d["text"]))):
        k = sizes.index(min(sizes))
        batches[k].append(d)
        sizes[k] += len(segment(d["text"]))
    out = build / "batches"
    out.mkdir(parents=True, exist_ok=True)
    for k, batch in enumerate(batches):
        lines = []
        for d in sorted(batch, key=lambda d: d["id"]):
            lines.append(f"\n## {d['id']}  ({d['outlet']}, {d['date']})\n")
            for i, (s, e) in enumerate(segment(d["text"])):
                lines.append(f"[{i}] {' '.join(d['text'][s:e].split())}")
        (out / f"batch_{k:02d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"batch_{k:02d}: {len(batch)} articles, {sizes[k]} sentences")


if __name__ == "__main__":
    main(int(sys.argv[1]))
