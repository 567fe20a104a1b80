"""Assemble the labelled set from the selections and the annotation passes.

Inputs (all in the repository, except the corpus the texts come from):

- ``labels/passes/round1/selection.jsonl`` and ``labels/passes/round2/selection.jsonl``:
  which ``news-intl`` articles were chosen in each round, with their split;
- ``--corpus``: the ``news-intl`` ``articles.jsonl``; each document's text is its title,
  a blank line, then its text, exactly as in the corpus;
- ``labels/passes/guide2/p2_batch_*.jsonl`` and ``p3_batch_*.jsonl``: two independent
  passes over every article, both under the guide with section 12;
- ``labels/passes/guide2/adjudicated.jsonl``: a reader's decision, by the guide, for every
  sentence where those two passes disagree on the label, or on the speaker role of a
  narration sentence.

The earlier labels (``labels/passes/round1/labels_v1.jsonl``, round 1 as published before
guide 2, built from ``labels/passes/pass1/`` and its adjudication; ``labels/passes/round2/pass1/``
for round 2) were made before section 12 of the guide existed; they are kept as records and
shown to the adjudicator, but they do not decide a label.

Outputs: ``labels/docs.jsonl`` (``id``, ``text``, ``outlet``, ``date``, ``url``, ``corpus``,
``split``, ``round``) and ``labels/sentences.jsonl`` (``doc_id``, ``sentence_index``,
``start``, ``end``, ``text``, ``label``, ``speaker_role`` on narration relayed from a
speaker, ``annotator``, ``note``, ``split``, ``outlet``, ``round``). Every document's
sentences are exactly what ``framing.segment`` gives; the script refuses to write a set
where a sentence is unlabelled, labelled twice, or undecided. With ``--todo FILE`` it
writes the undecided sentences, in context, for adjudication instead of failing.

Usage: ``python labels/scripts/build_dataset.py --corpus PATH/articles.jsonl [--todo FILE]``
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import LABELS, segment  # noqa: E402

L = ROOT / "labels"
P = L / "passes"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _pass(pattern: str) -> dict[tuple[str, int], dict]:
    out: dict[tuple[str, int], dict] = {}
    for path in sorted((P / "guide2").glob(pattern)):
        for row in _jsonl(path):
            key = (row["doc_id"], row["sentence_index"])
            if key in out:
                raise SystemExit(f"{path.name}: {key} labelled twice in one pass")
            out[key] = row
    return out


def _first_passes() -> dict[tuple[str, int], dict]:
    out: dict[tuple[str, int], dict] = {}
    # Round 1's labels as they stood before guide 2 (first pass, adjudicated, re-aligned), and round 2's first pass.
    for path in [P / "round1" / "labels_v1.jsonl", *sorted((P / "round2" / "pass1").glob("batch_*.jsonl"))]:
        for row in _jsonl(path):
            out[(row["doc_id"], row["sentence_index"])] = row
    return out


def _code(row: dict | None) -> str:
    if row is None:
        return "-"
    code = {"state_media_quote": "S", "official_claim": "O", "analyst_assessment": "A",
            "reporter_narration": "R"}[row["label"]]
    return code + {"non_governing": "n", "independent_media": "m", "unnamed": "u"}.get(row.get("speaker_role"), "")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--todo", type=Path, help="write the sentences still to adjudicate here instead of failing")
    args = ap.parse_args()
    selection = [(1, r) for r in _jsonl(P / "round1" / "selection.jsonl")]
    selection += [(2, r) for r in _jsonl(P / "round2" / "selection.jsonl")]
    wanted = {r["id"] for _, r in selection}
    corpus = {}
    with args.corpus.open(encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            if a["id"] in wanted:
                corpus[a["id"]] = a
    p2, p3 = _pass("p2_batch_*.jsonl"), _pass("p3_batch_*.jsonl")
    adj_path = P / "guide2" / "adjudicated.jsonl"
    adjudicated = {(r["doc_id"], r["sentence_index"]): r for r in _jsonl(adj_path)} if adj_path.exists() else {}
    first = _first_passes()
    out_docs, out_rows, todo = [], [], []
    for rnd, sel in selection:
        a = corpus[sel["id"]]
        text = f"{a['title'].strip()}\n\n{a['text']}" if a.get("title") else a["text"]
        doc = {"id": f"news-intl:{a['id']}", "text": text, "outlet": a["outlet"], "date": a["date"], "url": a["url"],
               "corpus": "news-intl", "split": sel["split"], "round": rnd}
        spans = segment(text)
        for i, (s, e) in enumerate(spans):
            key = (doc["id"], i)
            x, y = p2.get(key), p3.get(key)
            if x is None or y is None:
                raise SystemExit(f"{key}: missing from pass {'2' if x is None else '3'}")
            if _code(x) == _code(y):
                src, who = x, f"{x['annotator']}+{y['annotator']}"
            elif key in adjudicated:
                src, who = adjudicated[key], adjudicated[key]["annotator"]
            else:
                prev = text[spans[i - 1][0]:spans[i - 1][1]] if i else ""
                todo.append({"doc_id": doc["id"], "sentence_index": i, "previous": " ".join(prev.split()),
                             "sentence": " ".join(text[s:e].split()), "pass1": _code(first.get(key)),
                             "pass2": _code(x), "pass3": _code(y),
                             "notes": [n for n in (x.get("note"), y.get("note")) if n]})
                continue
            if src["label"] not in LABELS:
                raise SystemExit(f"{key}: unknown label {src['label']!r}")
            row = {"doc_id": doc["id"], "sentence_index": i, "start": s, "end": e, "text": text[s:e],
                   "label": src["label"]}
            if src["label"] == "reporter_narration" and src.get("speaker_role"):
                row["speaker_role"] = src["speaker_role"]
            row["annotator"] = who
            notes = [n for n in (x.get("note"), y.get("note")) if n]
            if src is adjudicated.get(key) and src.get("reason"):
                notes.append(f"adjudicated: {src['reason']}")
            if notes:
                row["note"] = " | ".join(notes)
            row.update({"split": doc["split"], "outlet": doc["outlet"], "round": rnd})
            out_rows.append(row)
        out_docs.append(doc)
    if todo:
        if args.todo:
            with args.todo.open("w", encoding="utf-8") as fh:
                for t in todo:
                    fh.write(json.dumps(t, ensure_ascii=False) + "\n")
            print(f"{len(todo)} sentences to adjudicate written to {args.todo}")
            return
        raise SystemExit(f"{len(todo)} sentences undecided; run with --todo FILE and adjudicate them")
    with (L / "docs.jsonl").open("w", encoding="utf-8") as fh:
        for d in out_docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    with (L / "sentences.jsonl").open("w", encoding="utf-8") as fh:
        for r in out_rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {lab: sum(r["label"] == lab for r in out_rows) for lab in LABELS}
    print(f"{len(out_docs)} documents, {len(out_rows)} sentences: {counts}")


if __name__ == "__main__":
    main()
