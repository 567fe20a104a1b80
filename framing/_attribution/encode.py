"""Token features: every token of the tagged sentences as rows of the weight tables.

:func:`encode` tokenises the sentences, maps each token to its word, shape, suffix,
stem and bigram rows, its quotation state and its distance from the sentence edges;
the window offsets are applied later, in :func:`.tagger.stage1_scores`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .model import PAD, UNK, AttributionModel
from .tokens import _shape, _stem, _suffix, _tokenize_within

__all__ = ["N_POS", "encode", "_Encoded", "_shift", "_bucket"]

N_POS = 6  # distance buckets from a sentence edge


@dataclass
class _Encoded:
    tokens: list[str]
    starts: np.ndarray
    ends: np.ndarray
    sent: np.ndarray  # sentence index of every token
    word: np.ndarray
    shape: np.ndarray
    suffix: np.ndarray
    stem: np.ndarray
    bigram_prev: np.ndarray
    bigram_next: np.ndarray
    quote: np.ndarray
    pos_start: np.ndarray
    pos_end: np.ndarray
    doc: np.ndarray | None = None  # document index of every token when several are tagged at once


def _shift(a: np.ndarray, k: int, fill: int) -> np.ndarray:
    """``out[t] = a[t + k]`` with ``fill`` past either end."""
    if k == 0:
        return a
    out = np.full_like(a, fill)
    if k > 0:
        out[:-k] = a[k:]
    else:
        out[-k:] = a[:k]
    return out


def _bucket(d: np.ndarray) -> np.ndarray:
    # 0, 1, 2, 3-5, 6-10, >10 tokens from the edge
    return np.searchsorted(np.array([1, 2, 3, 6, 11]), d, side="right")


def encode(text: str, spans: Sequence[tuple[int, int]], model: AttributionModel, *,
           doc_starts: Sequence[int] | None = None) -> _Encoded:
    """Tokenise the sentences ``spans`` of a document and map every token to its feature
    rows (vectorised). Only the sentences given are read, so a caller can tag just the
    attributed sentences of an article. ``doc_starts`` (sentence indices, from 0) marks
    where each of several joined documents begins: no window feature then reaches
    across a document edge, so every document is tagged as if alone."""
    toks, starts, ends = _tokenize_within(text, spans)
    n = len(toks)
    vocab = model.vocab
    ids = np.fromiter(map(vocab.get, toks, itertools.repeat(-1)), dtype=np.int64, count=n)
    safe = np.maximum(ids, 0)
    word = model.form_word.take(safe)
    shape = model.form_shape.take(safe)
    suffix = model.form_suffix.take(safe)
    use_stem = model.form_stem is not None and bool(model.stem_window)
    stem = model.form_stem.take(safe) if use_stem else np.zeros(n, dtype=np.int64)
    missing = np.flatnonzero(ids < 0)
    if missing.size:
        # Unseen surface forms (a few per cent): look up their lower-cased word and
        # compute shape and suffix here.
        lv, sv = model.lower_vocab, model.suffix_vocab
        mt = [toks[i] for i in missing]
        word[missing] = [lv.get(t.lower(), UNK) for t in mt]
        shape[missing] = [_shape(t) for t in mt]
        suffix[missing] = [sv.get(_suffix(t), UNK) for t in mt]
        if use_stem:
            tv = model.stem_vocab
            stem[missing] = [tv.get(_stem(t), UNK) for t in mt]
    nw = model.n_words
    nxt = _shift(word, 1, PAD)
    prv = _shift(word, -1, PAD)
    index = model.bigram_index

    def bigrams(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        i = index.find(a * nw + b, -1)
        return np.where(i >= 0, i + 2, UNK)

    # Sentence of every token; tokens are never outside a sentence when the spans come
    # from framing.segment, but guard anyway by clipping.
    if len(spans):
        sstart = np.fromiter((s for s, _ in spans), dtype=np.int64, count=len(spans))
        sent = np.clip(np.searchsorted(sstart, starts, side="right") - 1, 0, len(spans) - 1)
    else:
        sent = np.zeros(n, dtype=np.int64)
    doc = None
    if doc_starts is not None and len(doc_starts) > 1:
        doc = np.searchsorted(np.asarray(doc_starts), sent, side="right") - 1
        edge = np.flatnonzero(doc[1:] != doc[:-1])
        nxt[edge] = PAD
        prv[edge + 1] = PAD
    first = np.ones(n, dtype=bool)
    first[1:] = sent[1:] != sent[:-1]
    idx = np.arange(n)
    sent_first = np.maximum.accumulate(np.where(first, idx, 0)) if n else idx
    last = np.ones(n, dtype=bool)
    last[:-1] = sent[1:] != sent[:-1]
    sent_last = np.minimum.accumulate(np.where(last, idx, n)[::-1])[::-1] if n else idx
    # Inside a quotation: odd number of double-quote marks earlier in the paragraph.
    isq = shape == 5
    cq = np.cumsum(isq)
    para_first = first.copy()
    if n:
        nl = np.array([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
        if nl.size:
            para = np.searchsorted(nl, starts)
            para_first[1:] |= para[1:] != para[:-1]
        base = np.maximum.accumulate(np.where(para_first, idx, 0))
        before = cq - isq - (cq[base] - isq[base])
        inside = (before % 2).astype(np.int64)
    else:
        inside = np.zeros(0, dtype=np.int64)
    return _Encoded(
        tokens=toks, starts=starts, ends=ends, sent=sent, word=word, shape=shape, suffix=suffix, stem=stem,
        bigram_prev=bigrams(prv, word), bigram_next=bigrams(word, nxt),
        quote=inside * 2 + isq, pos_start=_bucket(idx - sent_first), pos_end=_bucket(sent_last - idx), doc=doc,
    )
