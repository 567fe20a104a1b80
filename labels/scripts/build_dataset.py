"""Assemble the labelled set from the annotation passes.

Inputs (all in the repository):
- ``labels/_build/docs.jsonl`` from ``make_batches.py`` (document texts, metadata, split);
- ``labels/passes/pass1/batch_*.jsonl``: the first pass, one label per sentence;
- ``labels/passes/adjudicated.jsonl``: final labels for the agreement-study sentences
  where the two passes disagreed (decided after ``agreement.py``);
- ``labels/passes/pass1_segmentation.jsonl``: the spans annotators saw, for the few
  documents the segmenter has split differently since (fixes for "a.m. ET", "post-Sept.
  11", "Sec. Kerry"); labels follow the text by overlap, and
- ``labels/passes/realigned.jsonl``: a reader's decision for each re-segmented sentence
  whose old pieces carried different labels.

Outputs:
- ``labels/docs.jsonl``: one article a line (``id``, ``text``, ``outlet``, ``date``,
  ``url``, ``corpus``, ``split``);
- ``labels/sentences.jsonl``: one sentence a line (``doc_id``, ``sentence_index``,
  ``start``, ``end``, ``text``, ``label``, ``annotator``, ``note``, ``split``, ``outlet``).

Every document's sentences are exactly what ``framing.segment`` gives; the script
refuses to write a set where a sentence is unlabelled or labelled twice.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import LABELS, segment  # noqa: E402

LABELS_DIR = ROOT / "labels"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def main() -> None:
    docs = _jsonl(LABELS_DIR / "_build" / "docs.jsonl")
    first: dict[tuple[str, int], dict] = {}
    for path in sorted((LABELS_DIR / "passes" / "pass1").glob("batch_*.jsonl")):
        for row in _jsonl(path):
            key = (row["doc_id"], row["sentence_index"])
            if key in first:
                raise SystemExit(f"{path.name}: {key} labelled twice")
            first[key] = row
    adjudicated = {}
    adj_path = LABELS_DIR / "passes" / "adjudicated.jsonl"
    if adj_path.exists():
        adjudicated = {(r["doc_id"], r["sentence_index"]): r for r in _jsonl(adj_path)}
    seen_spans = {}
    seg_path = LABELS_DIR / "passes" / "pass1_segmentation.jsonl"
    if seg_path.exists():
        seen_spans = {r["doc_id"]: [tuple(x) for x in r["spans"]] for r in _jsonl(seg_path)}
    realigned = {}
    re_path = LABELS_DIR / "passes" / "realigned.jsonl"
    if re_path.exists():
        realigned = {(r["doc_id"], r["start"], r["end"]): r for r in _jsonl(re_path)}
    out_docs, out_rows, missing = [], [], []
    for d in docs:
        spans = segment(d["text"])
        old = seen_spans.get(d["id"], spans)
        rows = []
        for i, (s, e) in enumerate(spans):
            # The labels annotators gave the old sentences that overlap this one.
            parts = [j for j, (s2, e2) in enumerate(old) if s2 < e and s < e2]
            sources = [adjudicated.get((d["id"], j)) or first.get((d["id"], j)) for j in parts]
            if not parts or any(x is None for x in sources):
                missing.append((d["id"], i))
                continue
            src = sources[0]
            if len({x["label"] for x in sources}) > 1:
                src = realigned.get((d["id"], s, e))
                if src is None:
                    raise SystemExit(f"{d['id']} ({s}, {e}): re-segmented pieces disagree; decide it in {re_path}")
            if src["label"] not in LABELS:
                raise SystemExit(f"{key}: unknown label {src['label']!r}")
            row = {"doc_id": d["id"], "sentence_index": i, "start": s, "end": e, "text": d["text"][s:e],
                   "label": src["label"], "annotator": src["annotator"], "split": d["split"], "outlet": d["outlet"]}
            if src.get("note"):
                row["note"] = src["note"]
            rows.append(row)
        if len(rows) == len(spans):
            out_docs.append({k: d[k] for k in ("id", "text", "outlet", "date", "url", "corpus", "split")})
            out_rows.extend(rows)
    if missing:
        docs_missing = sorted({k[0] for k in missing})
        print(f"skipped {len(docs_missing)} documents with unlabelled sentences: {docs_missing[:10]}", file=sys.stderr)
    with (LABELS_DIR / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for d in out_docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    with (LABELS_DIR / "sentences.jsonl").open("w", encoding="utf-8") as fh:
        for r in out_rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {lab: sum(r["label"] == lab for r in out_rows) for lab in LABELS}
    print(f"{len(out_docs)} documents, {len(out_rows)} sentences: {counts}")


if __name__ == "__main__":
    main()
