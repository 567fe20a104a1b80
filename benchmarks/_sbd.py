"""Gold sentence-boundary data shipped in ``tests/data`` and the scores used on it."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def golden_rules() -> list[dict]:
    """The 48 Golden Rules cases: ``id``, ``text``, ``sentences``."""
    return json.loads((DATA / "golden_rules" / "golden_en_rules.json").read_text(encoding="utf-8"))


def wikinews() -> list[tuple[str, str, list[tuple[int, int]]]]:
    """``(name, text, gold spans)`` for the 24 Wikinews articles.

    The gold file lists sentence strings in order; each is located after the
    previous one, so repeated sentences map to their own occurrence.
    """
    docs = []
    for txt in sorted((DATA / "wikinews").glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        sents = [s.strip() for s in txt.with_suffix(".sents").read_text(encoding="utf-8").split("\n") if s.strip()]
        spans, pos = [], 0
        for s in sents:
            i = text.find(s, pos)
            if i < 0:
                raise ValueError(f"{txt.name}: gold sentence not found in order: {s[:60]!r}")
            spans.append((i, i + len(s)))
            pos = i + len(s)
        docs.append((txt.stem, text, spans))
    return docs


def boundary_scores(pairs) -> dict[str, float]:
    """Boundary precision/recall/F1 and exact-document share over ``(gold, pred)`` span lists.

    A boundary is the end offset of every sentence but the last of a document.
    """
    tp = fp = fn = exact = n = 0
    for gold, pred in pairs:
        g = {e for _, e in gold[:-1]}
        p = {e for _, e in pred[:-1]}
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        exact += list(gold) == list(pred)
        n += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "exact_documents": exact / n if n else 0.0}
