"""The tagger: stage-1 scores, the stacked stages, BIO decoding, and spans from the labels.

Stage 1 adds one weight-table row per feature (gathers over all tokens at once); each
stacked stage rescores a token from the previous stage's probabilities around it; the
labels are decoded under the BIO transitions (:func:`decode`).
"""

from __future__ import annotations

import numpy as np

from .encode import _Encoded
from .model import LABELS, PAD, SHAPE_WINDOW, WORD_WINDOW, AttributionModel

__all__ = ["stage1_scores", "stack_features", "decode", "tag", "spans_from_labels", "_softmax"]


def _softmax(z: np.ndarray) -> np.ndarray:
    """Row softmax in place. Column by column: numpy's reductions along a 5-wide axis
    are several times slower than five elementwise passes (same result)."""
    m = z[:, 0].copy()
    for j in range(1, z.shape[1]):
        np.maximum(m, z[:, j], out=m)
    z -= m[:, None]
    np.exp(z, out=z)
    s = z[:, 0].copy()
    for j in range(1, z.shape[1]):
        s += z[:, j]
    z /= s[:, None]
    return z


def stage1_scores(enc: _Encoded, model: AttributionModel) -> np.ndarray:
    """First-stage label scores, (n_tokens, L). Row gathers use ``np.take``, several
    times faster than fancy indexing for tables this narrow."""
    n = len(enc.tokens)
    z = np.empty((n, model.bias.size), dtype=np.float32)  # C order: astype of a broadcast is Fortran
    z[:] = model.bias
    # One gather per window offset, with padding past either end of the token run and,
    # for joined documents, past a document edge: the same additions in the same order
    # whether a document is tagged alone or in a batch, so results do not depend on it.
    windowed = [(model.word, enc.word, WORD_WINDOW, PAD), (model.shape, enc.shape, SHAPE_WINDOW, 0),
                (model.suffix, enc.suffix, model.suffix_window, PAD)]
    if model.stem is not None and model.stem_window:
        windowed.append((model.stem, enc.stem, model.stem_window, PAD))
    cross: dict[int, np.ndarray] = {}
    for table, ids, window, pad in windowed:
        for j, k in enumerate(window):
            if k == 0:
                z += np.take(table[j], ids, axis=0)
                continue
            at = np.full_like(ids, pad)
            if abs(k) < n:
                if k > 0:
                    at[:-k] = ids[k:]
                else:
                    at[-k:] = ids[:k]
                if enc.doc is not None:
                    if k not in cross:
                        d = enc.doc
                        cross[k] = np.flatnonzero(d[:-k] != d[k:]) if k > 0 else np.flatnonzero(d[-k:] != d[:k]) - k
                    at[cross[k]] = pad
            z += np.take(table[j], at, axis=0)
    for table, ids in ((model.bigram[0], enc.bigram_prev), (model.bigram[1], enc.bigram_next),
                       (model.quote, enc.quote), (model.pos[0], enc.pos_start), (model.pos[1], enc.pos_end)):
        z += np.take(table, ids, axis=0)
    return z


def stack_features(p: np.ndarray, enc: _Encoded, window: int) -> np.ndarray:
    """Second-stage inputs: first-stage probabilities at offsets ``-window..window`` (zero
    across a sentence edge), and the largest cue/source probability anywhere earlier and
    later in the sentence."""
    n, L = p.shape
    sent = enc.sent
    X = np.zeros((n, (2 * window + 1) * L + 4), dtype=p.dtype)
    for j, k in enumerate(range(-window, window + 1)):
        c = slice(j * L, (j + 1) * L)
        if k == 0:
            X[:, c] = p
        elif k > 0 and n > k:
            X[:-k, c] = p[k:]
            X[np.flatnonzero(sent[k:] != sent[:-k]), c] = 0.0
        elif k < 0 and n > -k:
            X[-k:, c] = p[:k]
            X[np.flatnonzero(sent[:k] != sent[-k:]) - k, c] = 0.0
    col = (2 * window + 1) * L
    for v in (p[:, 1] + p[:, 2], p[:, 3] + p[:, 4]):  # cue, source
        X[:, col] = _sentence_running_max(v, sent, reverse=False)
        X[:, col + 1] = _sentence_running_max(v, sent, reverse=True)
        col += 2
    return X


def _sentence_running_max(v: np.ndarray, sent: np.ndarray, *, reverse: bool) -> np.ndarray:
    """Largest ``v`` strictly before (after, if ``reverse``) each token within its sentence."""
    if v.size == 0:
        return v.copy()
    if reverse:
        # Reversed, sentence indices must still increase for the offset trick below.
        return _sentence_running_max(v[::-1], (sent[-1] - sent)[::-1], reverse=False)[::-1]
    # Offsetting each sentence by a large multiple of its index keeps the running max
    # from leaking across sentences (values are probabilities in [0, 1]).
    shifted = np.empty_like(v)
    shifted[0] = 0.0
    shifted[1:] = v[:-1]
    same = np.ones(v.size, dtype=bool)
    same[1:] = sent[1:] == sent[:-1]
    shifted[~same] = 0.0
    off = sent.astype(np.float64) * 4.0
    return (np.maximum.accumulate(shifted + off) - off).astype(v.dtype)


# BIO transitions: an I-X label only after B-X or I-X (rows: previous label, columns: next).
_BLOCKED = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
_BLOCKED[:, 2] = _BLOCKED[:, 4] = -1e4
_BLOCKED[1:3, 2] = _BLOCKED[3:5, 4] = 0.0
_I_MARGIN = 1.0  # a token is decoded jointly with its neighbours when an I label scores within this of its best


def decode(z: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """Label sequence of every sentence that obeys the BIO transitions (an I-X only after
    B-X or I-X), by Viterbi over the candidate spans.

    Only tokens where an I label scores within ``_I_MARGIN`` of the best label, each with
    the token before it, are decoded jointly, and only runs of them whose best labels break
    a transition; every other token keeps its best label. The runs are short, and the
    recursion steps through all of them at once, so the Python loop is as long as the
    longest such run, not the document."""
    best = z.argmax(axis=1)
    maybe = z[:, [2, 4]].max(axis=1) > z.max(axis=1) - _I_MARGIN
    maybe[:-1] |= maybe[1:] & (sent[:-1] == sent[1:])
    idx = np.flatnonzero(maybe)
    if idx.size == 0:
        return best
    new = np.ones(idx.size, dtype=bool)
    new[1:] = (idx[1:] != idx[:-1] + 1) | (sent[idx[1:]] != sent[idx[:-1]])
    # A run whose best labels already obey the transitions keeps them (they are its optimum).
    lab = best[idx]
    prev = np.where(new, 0, best[np.maximum(idx - 1, 0)])
    bad = ((lab == 2) & (prev != 1) & (prev != 2)) | ((lab == 4) & (prev != 3) & (prev != 4))
    if not bad.any():
        return best
    run = np.cumsum(new) - 1
    keep = np.isin(run, run[bad])
    idx, new = idx[keep], new[keep]
    run = np.cumsum(new) - 1
    at = np.arange(idx.size) - np.flatnonzero(new)[run]
    length = np.bincount(run)
    # Longest runs first, so the runs still going at step t are a prefix: live[t] of them.
    order = np.argsort(-length, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    run = rank[run]
    live = np.searchsorted(-length[order], -np.arange(int(length.max())), side="left")
    e = np.zeros((order.size, live.size, z.shape[1]), dtype=np.float32)
    e[run, at] = z[idx]
    delta = e[:, 0] + _BLOCKED[0]  # after an O (or at the sentence start)
    back = np.zeros((order.size, live.size, z.shape[1]), dtype=np.int64)
    rows = np.arange(order.size)
    for t in range(1, live.size):
        k = live[t]
        cand = delta[:k, :, None] + _BLOCKED
        back[:k, t] = cand.argmax(axis=1)
        delta[:k] = cand.max(axis=1) + e[:k, t]
    out = np.zeros((order.size, live.size), dtype=np.int64)
    cur = delta.argmax(axis=1)
    for t in range(live.size - 1, -1, -1):
        k = live[t]
        out[:k, t] = cur[:k]
        if t:
            cur[:k] = back[rows[:k], t, cur[:k]]
    best[idx] = out[run, at]
    return best


def tag(enc: _Encoded, model: AttributionModel) -> np.ndarray:
    """Label index of every token."""
    if not enc.tokens:
        return np.zeros(0, dtype=np.int64)
    z = stage1_scores(enc, model)
    for w, b in zip(model.stack, model.stack_bias):
        z = stack_features(_softmax(z), enc, model.stack_window) @ w + b
    # A constant taken off the O score trades precision for recall (tuned on dev).
    z[:, 0] -= model.o_offset
    return decode(z, enc.sent)


def spans_from_labels(labels: np.ndarray, sent: np.ndarray, kind: int) -> list[tuple[int, int]]:
    """Token spans ``[i, j)`` of label kind 1 (cue) or 2 (source): a ``B`` or an ``I``
    after anything else starts a span; spans never cross a sentence edge."""
    b, i_ = 2 * kind - 1, 2 * kind
    isin = (labels == b) | (labels == i_)
    if not isin.any():
        return []
    n = labels.size
    start = isin.copy()
    start[1:] &= (labels[1:] == b) | ~isin[:-1] | (sent[1:] != sent[:-1])
    starts = np.flatnonzero(start)
    out = []
    for s in starts.tolist():
        e = s + 1
        while e < n and labels[e] == i_ and sent[e] == sent[s]:
            e += 1
        out.append((s, e))
    return out
