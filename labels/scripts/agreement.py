"""Agreement study: compare the second pass with the first on the same sentences.

Reads the first pass (``labels/passes/pass1/batch_*.jsonl``) and the independent second
pass (``labels/passes/pass2/agreement.jsonl``), and writes
- ``labels/_build/disagreements.md``: every disagreement in context, for adjudication;
- the figures (Cohen's kappa overall and per label, one label against the rest, and
  the confusion table) as JSON on standard output, and into ``labels/AGREEMENT.md``
  between the markers ``<!-- figures -->`` and ``<!-- /figures -->``.

Usage: ``python labels/scripts/agreement.py``
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from framing import LABELS, segment  # noqa: E402

L = ROOT / "labels"


def kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    cats = sorted(set(a) | set(b))
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def main() -> None:
    first = {}
    for p in sorted((L / "passes" / "pass1").glob("batch_*.jsonl")):
        for r in map(json.loads, p.open(encoding="utf-8")):
            first[(r["doc_id"], r["sentence_index"])] = r
    second = [json.loads(line) for line in (L / "passes" / "pass2" / "agreement.jsonl").open(encoding="utf-8")]
    pairs = [(first[(r["doc_id"], r["sentence_index"])], r) for r in second]
    a = [x["label"] for x, _ in pairs]
    b = [y["label"] for _, y in pairs]
    n = len(pairs)
    figures = {
        "n_sentences": n,
        "n_documents": len({x["doc_id"] for x, _ in pairs}),
        "observed_agreement": round(sum(x == y for x, y in zip(a, b)) / n, 4),
        "kappa": round(kappa(a, b), 4),
        "kappa_per_label": {lab: round(kappa([x == lab for x in a], [y == lab for y in b]), 4) for lab in LABELS},
        "counts_pass1": {lab: a.count(lab) for lab in LABELS},
        "counts_pass2": {lab: b.count(lab) for lab in LABELS},
        "confusion": [[sum(1 for x, y in zip(a, b) if x == r and y == c) for c in LABELS] for r in LABELS],
        "annotators": sorted({x["annotator"] for x, _ in pairs} | {y["annotator"] for _, y in pairs}),
    }
    print(json.dumps(figures, indent=2))
    docs = {d["id"]: d for d in map(json.loads, (L / "_build" / "docs.jsonl").open(encoding="utf-8"))}
    lines = ["# Disagreements to adjudicate", ""]
    for x, y in pairs:
        if x["label"] == y["label"]:
            continue
        d = docs[x["doc_id"]]
        spans = segment(d["text"])
        i = x["sentence_index"]
        prev = d["text"][spans[i - 1][0]:spans[i - 1][1]] if i else ""
        cur = d["text"][spans[i][0]:spans[i][1]]
        lines += [f"## {x['doc_id']} {i}", f"- previous: {' '.join(prev.split())}",
                  f"- SENTENCE: {' '.join(cur.split())}",
                  f"- pass 1 ({x['annotator']}): {x['label']}" + (f" — note: {x['note']}" if x.get("note") else ""),
                  f"- pass 2 ({y['annotator']}): {y['label']}" + (f" — note: {y['note']}" if y.get("note") else ""), ""]
    (L / "_build" / "disagreements.md").write_text("\n".join(lines), encoding="utf-8")
    agreement_md = L / "AGREEMENT.md"
    if agreement_md.exists():
        text = agreement_md.read_text(encoding="utf-8")
        block = "<!-- figures -->\n```json\n" + json.dumps(figures, indent=2) + "\n```\n<!-- /figures -->"
        text = re.sub(r"<!-- figures -->.*?<!-- /figures -->", lambda _m: block, text, flags=re.S)
        agreement_md.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
