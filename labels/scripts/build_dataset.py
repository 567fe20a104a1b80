"""Assemble the labelled set from the selections and the annotation passes.

Inputs (all in the repository, except the corpus the texts come from):

- ``labels/passes/roundN/selection.jsonl`` (N = 1, 2, 3): which ``news-intl`` articles
  were chosen in each round, with their split;
- ``--corpus``: the ``news-intl`` ``articles.jsonl``; each document's text is its title,
  a blank line, then its text, exactly as in the corpus;
- ``labels/passes/guide2/p2_batch_*.jsonl`` and ``p3_batch_*.jsonl``: two independent
  passes over every article, both under the guide with section 12;
- ``labels/passes/guide2/adjudicated.jsonl``: a reader's decision, by the guide, for every
  sentence where those two passes disagree on the label, or on the speaker role of a
  narration sentence;
- ``labels/passes/guide2/review_*.jsonl``: a reader's decision on sentences re-read after a
  rule of the guide was revised (each file names the rule); it replaces the label above.

The earlier labels (``labels/passes/round1/labels_v1.jsonl``, round 1 as published before
guide 2, built from ``labels/passes/pass1/`` and its adjudication; ``labels/passes/round2/pass1/``
for round 2) were made before section 12 of the guide existed; they are kept as records and
shown to the adjudicator, but they do not decide a label.

Articles of different splits that share a sentence (wire copy, the same letter or tweet
quoted in two stories) are resolved so no content crosses splits (:func:`resolve_overlaps`):
a dev article overlapping train moves to train; a train or dev article overlapping the
unseen-outlet test split is left out of the set, and ``labels/passes/overlaps.jsonl``
records each decision.

Outputs: ``labels/docs.jsonl`` (``id``, ``text``, ``outlet``, ``date``, ``url``, ``corpus``,
``split``, ``round``) and ``labels/sentences.jsonl`` (``doc_id``, ``sentence_index``,
``start``, ``end``, ``text``, ``gap`` (the white space between the previous sentence and
this one, so the article's layout can be rebuilt from the sentences), ``label``,
``speaker_role`` on narration relayed from a speaker, ``annotator``, ``note``, ``split``,
``outlet``, ``round``). Every document's
sentences are exactly what ``framing.segment`` gives; the script refuses to write a set
where a sentence is unlabelled, labelled twice, or undecided. With ``--todo FILE`` it
writes the undecided sentences, in context, for adjudication instead of failing.

Usage: ``python labels/scripts/build_dataset.py --corpus PATH/articles.jsonl [--todo FILE]``
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import LABELS, segment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import document_text, read_articles, same_content, sentence_grams  # noqa: E402

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


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _overlapping_pairs(rows: list[dict], split_of: dict[str, str]) -> set[tuple[str, str]]:
    """Pairs of articles in different splits that share content: the same sentence (unless
    it is short furniture found in several articles), or long sentences (12+ words) whose
    word 4-grams overlap by half or more (Jaccard)."""
    pairs: set[tuple[str, str]] = set()
    by_text: dict[str, set[str]] = collections.defaultdict(set)
    for r in rows:
        by_text[_norm(r["text"])].add(r["doc_id"])
    for text, ids in by_text.items():
        if len({split_of[d] for d in ids}) > 1 and not (len(text.split()) <= 12 and len(ids) >= 2):
            pairs.update((a, b) for a, b in itertools.combinations(sorted(ids), 2) if split_of[a] != split_of[b])
    long = [(r["doc_id"], grams) for r in rows if (grams := sentence_grams(r["text"])) is not None]
    index: dict[str, list[int]] = collections.defaultdict(list)
    for i, (_d, grams) in enumerate(long):
        for g in grams:
            index[g].append(i)
    for posting in index.values():
        if len(posting) > 100:  # boilerplate 4-grams
            continue
        for a, b in itertools.combinations(posting, 2):
            (da, ga), (db, gb) = long[a], long[b]
            if split_of[da] != split_of[db] and same_content(ga, gb):
                pairs.add(tuple(sorted((da, db))))
    return pairs


def resolve_overlaps(docs: list[dict], rows: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Move or leave out articles until no content is shared across splits."""
    decisions = []
    while True:
        split_of = {d["id"]: d["split"] for d in docs}
        pairs = _overlapping_pairs(rows, split_of)
        if not pairs:
            return docs, rows, decisions
        drop: set[str] = set()
        move: set[str] = set()
        for a, b in sorted(pairs):
            sa, sb = split_of[a], split_of[b]
            if "test" in (sa, sb):
                other = a if sb == "test" else b
                drop.add(other)
                decisions.append({"doc_id": other, "action": "left out", "split": split_of[other],
                                  "overlaps": b if other == a else a, "reason": "shares content with a test article"})
            else:
                dev = a if sa == "dev" else b
                move.add(dev)
                decisions.append({"doc_id": dev, "action": "moved to train", "split": "dev",
                                  "overlaps": b if dev == a else a, "reason": "shares content with a train article"})
        docs = [dict(d, split="train") if d["id"] in move else d for d in docs if d["id"] not in drop]
        rows = [dict(r, split="train") if r["doc_id"] in move else r for r in rows if r["doc_id"] not in drop]


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
    selection = []
    rnd = 1
    while (P / f"round{rnd}" / "selection.jsonl").exists():
        selection += [(rnd, r) for r in _jsonl(P / f"round{rnd}" / "selection.jsonl")]
        rnd += 1
    corpus = read_articles(args.corpus, (r["id"] for _, r in selection))
    p2, p3 = _pass("p2_batch_*.jsonl"), _pass("p3_batch_*.jsonl")
    adj_path = P / "guide2" / "adjudicated.jsonl"
    adjudicated = {(r["doc_id"], r["sentence_index"]): r for r in _jsonl(adj_path)} if adj_path.exists() else {}
    first = _first_passes()
    reviewed = {}
    for path in sorted((P / "guide2").glob("review_*.jsonl")):
        reviewed.update({(r["doc_id"], r["sentence_index"]): r for r in _jsonl(path)})
    out_docs, out_rows, todo = [], [], []
    for rnd, sel in selection:
        a = corpus[sel["id"]]
        text = document_text(a)
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
            if key in reviewed:
                src, who = reviewed[key], reviewed[key]["annotator"]
            if src["label"] not in LABELS:
                raise SystemExit(f"{key}: unknown label {src['label']!r}")
            row = {"doc_id": doc["id"], "sentence_index": i, "start": s, "end": e, "text": text[s:e],
                   "gap": text[spans[i - 1][1] if i else 0 : s], "label": src["label"]}
            if src["label"] == "reporter_narration" and src.get("speaker_role"):
                row["speaker_role"] = src["speaker_role"]
            row["annotator"] = who
            notes = [n for n in (x.get("note"), y.get("note")) if n]
            if src is adjudicated.get(key) and src.get("reason"):
                notes.append(f"adjudicated: {src['reason']}")
            if src is reviewed.get(key) and src.get("reason"):
                notes.append(f"reviewed: {src['reason']}")
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
    out_docs, out_rows, decisions = resolve_overlaps(out_docs, out_rows)
    with (P / "overlaps.jsonl").open("w", encoding="utf-8") as fh:
        for dec in decisions:
            fh.write(json.dumps(dec, ensure_ascii=False) + "\n")
    print(f"overlaps across splits: {sum(d['action'] == 'moved to train' for d in decisions)} dev articles moved to "
          f"train, {len({d['doc_id'] for d in decisions if d['action'] == 'left out'})} articles left out")
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
