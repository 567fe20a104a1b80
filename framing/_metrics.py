"""Classification metrics in the fixed label order, with numpy only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._document import LABELS

__all__ = ["classification_report", "expected_calibration_error", "reliability_table", "profile_error"]


def expected_calibration_error(proba: np.ndarray, y_true: Sequence[int], *, n_bins: int = 10) -> float:
    """Expected calibration error of the top-label confidence, in equal-width bins."""
    proba = np.asarray(proba, dtype=float)
    if len(proba) == 0:
        return 0.0
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == np.asarray(y_true)
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            ece += mask.mean() * abs(conf[mask].mean() - correct[mask].mean())
    return float(ece)


def reliability_table(proba: np.ndarray, y_true: Sequence[int], *, n_bins: int = 10) -> list[dict[str, float]]:
    """Per confidence bin: range, count, mean confidence and accuracy."""
    proba = np.asarray(proba, dtype=float)
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == np.asarray(y_true)
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    rows = []
    for b in range(n_bins):
        mask = bins == b
        rows.append({
            "bin": f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}",
            "n": int(mask.sum()),
            "confidence": float(conf[mask].mean()) if mask.any() else 0.0,
            "accuracy": float(correct[mask].mean()) if mask.any() else 0.0,
        })
    return rows


def classification_report(
    y_true: Sequence[int], y_pred: Sequence[int], proba: np.ndarray | None = None
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label precision/recall/F1/support, confusion matrix, ECE.

    The confusion matrix has gold labels as rows and predictions as columns, in
    :data:`framing.LABELS` order. ``ece`` is present when ``proba`` is given. A label
    that is neither in the gold labels nor predicted has no F1 (``None``) and is left out
    of macro-F1: a small set without state media is not scored as failing on it.
    """
    yt = np.asarray(y_true, dtype=int)
    yp = np.asarray(y_pred, dtype=int)
    k = len(LABELS)
    cm = np.zeros((k, k), dtype=int)
    np.add.at(cm, (yt, yp), 1)
    per_label = {}
    f1s = []
    for i, name in enumerate(LABELS):
        tp = cm[i, i]
        pred = cm[:, i].sum()
        gold = cm[i, :].sum()
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        if not gold and not pred:
            per_label[name] = {"precision": None, "recall": None, "f1": None, "support": 0}
            continue
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_label[name] = {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(gold)}
        f1s.append(f)
    report: dict[str, Any] = {
        "n": len(yt),
        "labels": list(LABELS),
        "accuracy": float((yt == yp).mean()) if len(yt) else 0.0,
        "macro_f1": float(np.mean(f1s)) if f1s else 0.0,
        "per_label": per_label,
        "confusion_matrix": cm.tolist(),
    }
    if proba is not None:
        report["ece"] = expected_calibration_error(proba, yt)
    return report


def profile_error(doc_true: Sequence[Sequence[int]], doc_pred: Sequence[Sequence[int]]) -> dict[str, Any]:
    """Mean absolute difference between gold and predicted label shares per document.

    Returns the mean over documents and labels (``mae``), and per label.
    """
    k = len(LABELS)
    errs = []
    for t, p in zip(doc_true, doc_pred, strict=False):
        if not len(t):
            continue
        st = np.bincount(np.asarray(t, dtype=int), minlength=k) / len(t)
        sp = np.bincount(np.asarray(p, dtype=int), minlength=k) / len(p)
        errs.append(np.abs(st - sp))
    if not errs:
        return {"n_documents": 0, "mae": 0.0, "per_label": dict.fromkeys(LABELS, 0.0)}
    arr = np.vstack(errs)
    return {
        "n_documents": len(errs),
        "mae": float(arr.mean()),
        "per_label": {name: float(arr[:, i].mean()) for i, name in enumerate(LABELS)},
    }


def rounded(value: Any, decimals: int) -> Any:
    """``value`` with every float inside (dicts and lists walked) rounded to ``decimals`` places."""
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, dict):
        return {k: rounded(v, decimals) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v, decimals) for v in value]
    return value
