"""Scoring binary feature lists with a linear model: the numpy core both trained models share.

A weight matrix is kept transposed, ``(n_features + 1, n_classes)``, with a last all-zero
row that every unknown feature maps to, so a document's look-ups and sums stay in numpy.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["decode_vocabulary", "encode_vocabulary", "feature_indices", "padded_transpose", "sparse_sum"]


def padded_transpose(coef: np.ndarray) -> np.ndarray:
    """``coef`` of shape (n_classes, n_features) as (n_features + 1, n_classes), last row zero."""
    return np.ascontiguousarray(np.vstack([coef.T, np.zeros((1, coef.shape[0]))]))


def feature_indices(index: Mapping[str, int], feature_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Column of every feature of every list (``len(index)`` for an unknown one), and the
    offsets where each list starts and ends."""
    get, unknown = index.get, itertools.repeat(len(index))
    flat: list[int] = []
    offsets = [0]
    for feats in feature_lists:
        flat.extend(map(get, feats, unknown))
        offsets.append(len(flat))
    return np.asarray(flat, dtype=np.intp), np.asarray(offsets, dtype=np.intp)


def sparse_sum(weights_t: np.ndarray, flat: np.ndarray, offsets: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Scores of each list: ``base`` plus the rows of ``weights_t`` its features select."""
    n = len(offsets) - 1
    scores = np.tile(base, (n, 1))
    if len(flat):
        nonempty = np.diff(offsets) > 0
        scores[nonempty] += np.add.reduceat(weights_t[flat], offsets[:-1][nonempty], axis=0)
    return scores


def encode_vocabulary(vocabulary: Sequence[str]) -> np.ndarray:
    """Feature strings as one uint8 array (newline-separated UTF-8): no pickle needed."""
    return np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8)


def decode_vocabulary(raw: np.ndarray) -> list[str]:
    """The inverse of :func:`encode_vocabulary`."""
    return raw.astype(np.uint8).tobytes().decode("utf-8").split("\n") if raw.size else []
