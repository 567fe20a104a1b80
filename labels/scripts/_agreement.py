"""Agreement figures shared by the labelling scripts: Cohen's kappa, and reading passes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path


def kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two annotators' values for the same items (NaN for no items)."""
    n = len(a)
    if not n:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[c] * cb[c] for c in ca.keys() | cb.keys()) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def read_by_id(path: Path) -> dict[str, dict]:
    """The JSON lines of ``path`` keyed by their ``id`` (empty when the file does not exist)."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}
