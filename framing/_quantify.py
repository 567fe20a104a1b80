"""Label shares of a group of documents, corrected for the model's known errors, with intervals.

Pooled predicted shares ("classify and count") are biased in a known direction: a class
the model over-predicts comes out too large in every group. The quantification
literature corrects for this with the classifier's error rates measured on held-out
data (Forman 2008; Bella et al. 2010; Saerens, Latinne and Decaestecker 2002):

``cc``
    Classify and count: the share of sentences given each label (no correction).
``pcc``
    Probabilistic classify and count: the mean predicted probability of each label.
``acc``
    Adjusted classify and count: solves ``q = M p`` for the true shares ``p``, where
    ``q`` are the ``cc`` shares and ``M[j, i]`` the held-out rate at which a sentence
    of label ``i`` is predicted ``j``.
``pacc``
    The same with probabilities: ``q`` from ``pcc`` and ``M[j, i]`` the mean held-out
    probability of ``j`` for sentences of label ``i``.
``em``
    Prior adjustment by expectation-maximisation (Saerens et al.): the sentence
    posteriors are re-weighted from the training label shares to the group's until
    the shares stop changing.

The corrected shares are clipped at 0 and renormalised to a distribution. The error
rates come from the model's own metadata (``meta["quantification"]``, written by
``framing train`` from its out-of-fold predictions), so a model trained on other labels
brings its own. Intervals are bootstrap percentiles with documents resampled (sentences
of one article are not independent), seeded, for any of the methods and for the
difference between two groups. Everything here is numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._document import LABELS
from ._errors import ModelError, UsageError

__all__ = ["METHODS", "DEFAULT_METHOD", "ErrorRates", "GroupData", "estimate", "bootstrap", "held_out_errors"]

METHODS = ("cc", "pcc", "acc", "pacc", "em")
#: For a model that carries no choice of its own (``meta["quantification"]["default_method"]``,
#: chosen by ``framing train`` on the dev split grouped by outlet).
DEFAULT_METHOD = "cc"
_EM_ITER = 200
_EM_TOL = 1e-6


@dataclass(frozen=True)
class ErrorRates:
    """What the corrections need to know about a model, from its held-out predictions.

    Attributes
    ----------
    confusion : ndarray of shape (4, 4)
        ``confusion[i, j]``: held-out sentences of gold label ``i`` predicted ``j``.
    mean_probabilities : ndarray of shape (4, 4) or None
        ``mean_probabilities[i, j]``: mean held-out probability of ``j`` over the
        sentences of gold label ``i`` (None for models trained before it was recorded:
        ``pacc`` is then unavailable).
    train_prior : ndarray of shape (4,)
        Label shares of the training sentences (the prior ``em`` starts from).
    default_method : str
        The method ``framing train`` chose on held-out groups (:func:`held_out_errors`).
    group_sd : mapping of method to 4 floats, optional
        Per label, the spread of held-out group errors beyond resampling noise; intervals
        add it so they cover a group's true share, not only its resampled estimate.
    """

    confusion: np.ndarray
    mean_probabilities: np.ndarray | None
    train_prior: np.ndarray
    default_method: str = DEFAULT_METHOD
    group_sd: Mapping[str, Sequence[float]] | None = None

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> ErrorRates:
        """Read the rates from a model's metadata; :class:`ModelError` if they are missing."""
        metrics = meta.get("metrics") or {}
        q = meta.get("quantification") or {}
        confusion = q.get("confusion_matrix") or (metrics.get("stage2_oof") or {}).get("confusion_matrix")
        counts = (meta.get("training_data") or {}).get("label_counts")
        if confusion is None or counts is None:
            raise ModelError("this model carries no held-out error rates (meta['quantification']); adjusted "
                             "shares need a model trained by framing 0.2 or later, or pass adjust=False")
        conf = np.asarray(confusion, dtype=float)
        prior = np.asarray([counts[lab] for lab in LABELS], dtype=float)
        mp = q.get("mean_probabilities")
        return cls(conf, None if mp is None else np.asarray(mp, dtype=float), prior / prior.sum(),
                   q.get("default_method", DEFAULT_METHOD), q.get("held_out", {}).get("group_sd"))


@dataclass(frozen=True)
class GroupData:
    """The sentences of a group's documents, as the estimators read them.

    ``counts`` and ``prob_sums`` are per document (``(d, 4)``); ``posteriors`` is per
    sentence (``(n, 4)``) with ``sentence_doc`` giving each sentence's document row.
    """

    counts: np.ndarray
    prob_sums: np.ndarray
    posteriors: np.ndarray
    sentence_doc: np.ndarray

    @classmethod
    def from_documents(cls, docs: Sequence[tuple[Sequence[int], np.ndarray]]) -> GroupData:
        """``docs``: per document, its predicted label indices and its ``(n, 4)`` probabilities."""
        k = len(LABELS)
        counts = np.zeros((len(docs), k))
        sums = np.zeros((len(docs), k))
        posts, owner = [], []
        for r, (labels, proba) in enumerate(docs):
            proba = np.asarray(proba, dtype=float).reshape(-1, k)
            np.add.at(counts[r], np.asarray(labels, dtype=int), 1)
            sums[r] = proba.sum(axis=0)
            posts.append(proba)
            owner.append(np.full(len(proba), r))
        return cls(counts, sums, np.concatenate(posts) if posts else np.zeros((0, k)),
                   np.concatenate(owner) if owner else np.zeros(0, dtype=int))


def _normalised(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.0, None)
    s = p.sum(axis=-1, keepdims=True)
    uniform = np.full_like(p, 1.0 / p.shape[-1])
    return np.where(s > 0, p / np.where(s > 0, s, 1.0), uniform)


def _adjusted(q: np.ndarray, M: np.ndarray) -> np.ndarray:
    # q = M p for each row q; M[j, i] = P(predicted j | gold i). A singular M (a label
    # never seen in training) falls back to least squares.
    p = np.linalg.lstsq(M, q.T, rcond=None)[0].T
    return _normalised(p)


def _em(post: np.ndarray, weights: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Saerens et al.'s EM for each row of ``weights`` (replicates x sentences).

    Each iteration re-weights every sentence's posterior by the replicate's prior ratio
    and renormalises it; summed over sentences, that is two matrix products (sentence
    normalisers, then the weighted sum), never the replicates x sentences x labels array.
    """
    total = weights.sum(axis=1, keepdims=True)
    total = np.where(total > 0, total, 1.0)
    pi = (weights @ post) / total
    for _ in range(_EM_ITER):
        # A label the training set lacked keeps a zero weight rather than a division by zero.
        ratio = np.where(prior > 0, pi / np.where(prior > 0, prior, 1.0), 0.0)  # (B, k)
        norm = (post @ ratio.T).T  # each sentence's re-weighted posterior sum, per replicate: (B, n)
        scale = np.divide(weights, norm, out=np.zeros(norm.shape), where=norm > 0)
        new = ratio * (scale @ post) / total
        done = np.abs(new - pi).max() < _EM_TOL
        pi = new
        if done:
            break
    return _normalised(pi)


def _estimate(data: GroupData, doc_weights: np.ndarray, method: str, rates: ErrorRates | None) -> np.ndarray:
    """Shares for each row of ``doc_weights`` (replicates x documents)."""
    n = doc_weights @ data.counts.sum(axis=1)
    n = np.where(n > 0, n, 1.0)[:, None]
    if method == "cc":
        return doc_weights @ data.counts / n
    if method == "pcc":
        return _normalised(doc_weights @ data.prob_sums / n)
    if rates is None:
        raise UsageError(f"method {method!r} needs the model's error rates")
    if method == "acc":
        M = rates.confusion / np.maximum(rates.confusion.sum(axis=1, keepdims=True), 1.0)
        return _adjusted(doc_weights @ data.counts / n, M.T)
    if method == "pacc":
        if rates.mean_probabilities is None:
            raise ModelError("this model has no held-out mean probabilities; use method='acc' or retrain it")
        return _adjusted(doc_weights @ data.prob_sums / n, rates.mean_probabilities.T)
    if method == "em":
        # 32 replicates at a time: their (replicates x sentences) weights stay small, and EM's
        # stopping test is shared within a chunk, so a fixed chunk keeps the results fixed.
        return np.vstack([_em(data.posteriors, doc_weights[b:b + 32][:, data.sentence_doc], rates.train_prior)
                          for b in range(0, len(doc_weights), 32)])
    raise UsageError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


def estimate(data: GroupData, method: str = DEFAULT_METHOD, rates: ErrorRates | None = None) -> np.ndarray:
    """The group's label shares by ``method`` (a distribution over :data:`framing.LABELS`)."""
    if data.counts.sum() == 0:
        return np.zeros(len(LABELS))
    return _estimate(data, np.ones((1, len(data.counts))), method, rates)[0]


def bootstrap(data: GroupData, method: str, rates: ErrorRates | None, *, n_boot: int,
              rng: np.random.Generator) -> np.ndarray:
    """``n_boot`` replicate share vectors, documents resampled with replacement.

    Documents without sentences add nothing to pooled shares, so only the others are
    resampled (a replicate of empty documents alone would have no shares at all). A group
    with no sentence has no interval: the replicates are NaN.
    """
    has = np.flatnonzero(data.counts.sum(axis=1) > 0)
    if len(has) == 0:
        return np.full((n_boot, len(LABELS)), np.nan)
    weights = np.zeros((n_boot, len(data.counts)))
    weights[:, has] = rng.multinomial(len(has), np.full(len(has), 1.0 / len(has)), size=n_boot)
    return _estimate(data, weights, method, rates)


def interval(replicates: np.ndarray, level: float) -> np.ndarray:
    """Percentile interval per column: ``(k, 2)`` (NaN where the replicates are NaN)."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    if np.isnan(replicates).all():
        return np.full((replicates.shape[1], 2), np.nan)
    return np.quantile(replicates, [lo, hi], axis=0).T


def held_out_errors(rates: ErrorRates, groups: Mapping[str, tuple[GroupData, np.ndarray]], *,
                    min_documents: int = 2, n_boot: int = 200, seed: int = 0) -> dict[str, Any]:
    """How far each method's group shares fall from the gold shares on held-out groups.

    ``groups`` maps a group (an outlet of the dev split, scored by a model that never
    saw it) to its data and its gold label counts. Returns, per method, the mean
    absolute error over (group, label) pairs (``mae``), and per label the spread of the
    errors beyond what resampling documents explains (``group_sd``: the square root of
    mean squared error minus mean bootstrap variance, floored at 0): the part of a
    group's error that intervals must add to cover the truth. Groups with fewer than
    ``min_documents`` documents are left out.
    """
    used = {k: v for k, v in groups.items() if len(v[0].counts) >= min_documents and v[1].sum() > 0}
    out: dict[str, Any] = {"n_groups": len(used), "mae": {}, "group_sd": {}}
    if not used:
        return out
    for method in METHODS:
        if method == "pacc" and rates.mean_probabilities is None:
            continue
        errs, boot_var = [], []
        for gi, (data, gold) in enumerate(used.values()):
            errs.append(estimate(data, method, rates) - gold / gold.sum())
            reps = bootstrap(data, method, rates, n_boot=n_boot, rng=np.random.default_rng([seed, gi]))
            boot_var.append(reps.var(axis=0))
        e, v = np.asarray(errs), np.asarray(boot_var)
        out["mae"][method] = round(float(np.abs(e).mean()), 6)
        out["group_sd"][method] = [round(float(x), 6) for x in np.sqrt(np.clip((e**2).mean(0) - v.mean(0), 0, None))]
    return out
