"""Attribution spans: who said it (source), how it was said (cue), and in what mode.

For every sentence of a document this finds the *cue* ("said", "according to",
"told Reuters") and the *source* ("KCNA", "a senior U.S. official", "he") of each
attribution as character offsets into the document, whether the attributed content
is a direct quotation, indirect speech or mixed, and the canonical name and lexicon
type of the source. A pronoun or definite-description source ("he said", "the
agency added") is resolved to the nearest compatible named source earlier in the
document when one is near enough.

How it works
------------
A linear token tagger (labels ``O``, ``B-CUE``, ``I-CUE``, ``B-SRC``, ``I-SRC``)
trained on PolNeAR (see ``framing/models/attribution/README.md``). Every feature is
an index into a weight table, so a document is scored with a handful of numpy
gathers over all its tokens at once (no per-token Python beyond the tokenizer and
one dictionary look-up):

- the lower-cased word at offsets -3..+3 and its shape at -2..+2;
- the word bigrams (previous, current) and (current, next);
- the suffix (last three letters) and a crude stem (one inflectional ending off: "claims",
  "claimed", "claiming" share it) of the words at -1..+1, which generalise to unseen
  reporting verbs and to other forms of known ones (the windows are in ``model.json``;
  a model without them uses the current word's suffix only);
- whether the token is inside a quotation, and its distance from the sentence edges.

A second, equally cheap stage rescoring each token from the first stage's
probabilities around it (stacking) makes the spans hang together. The labels are then
decoded under the BIO transitions (an ``I`` only inside a span of its kind: Viterbi over
the short runs of tokens where that matters, see :func:`decode`). Runs of ``B``/``I``
tokens of one kind inside one sentence become spans; each cue takes the nearest
source in its sentence. Training: :mod:`framing._attribution_train`.
"""

from __future__ import annotations

import functools
import itertools
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ._errors import ModelError
from ._lexicons import load_lexicons, tokenize
from ._modelfile import _finite_arrays, _sha256_file, read_manifest, verify_manifest

__all__ = [
    "SpanAttribution", "AttributionModel", "extract_attributions", "extract_attributions_many",
    "load_attribution_model",
]

LABELS: tuple[str, ...] = ("O", "B-CUE", "I-CUE", "B-SRC", "I-SRC")
FORMAT = "framing-attribution"
FORMAT_VERSION = 1
META_FILE = "model.json"
ARRAYS_FILE = "weights.npz"

# Leading white space, then a token: a dotted acronym ("U.S."), a word (inner hyphens
# kept; an apostrophe splits, so "Trump's" ends "Trump" where PolNeAR sources end) or
# one other character. Matches tile the text, so offsets come from a cumulative sum of
# match lengths instead of a Python loop over match objects (3x cheaper).
_TOKEN = re.compile(r"\s*+(?:[A-Za-z]\.(?:[A-Za-z]\.)++|\w++(?:-\w++)*+|\S)")  # possessive: no backtracking
WORD_WINDOW = (-3, -2, -1, 0, 1, 2, 3)
SHAPE_WINDOW = (-2, -1, 0, 1, 2)
SUFFIX_WINDOW = (0,)  # defaults of models whose metadata names no windows (format 1 as first shipped)
STEM_WINDOW: tuple[int, ...] = ()
N_SHAPES = 9  # see _shape
N_POS = 6  # distance buckets from a sentence edge
_DOUBLE_QUOTES = frozenset('"“”')
PAD, UNK = 0, 1  # reserved rows of the word, suffix and bigram tables

_PRONOUN_WORDS = {
    "he": "person", "she": "person", "him": "person", "her": "person", "i": "person",
    "it": "org", "they": "group", "we": "group", "you": "person",
}
# Heads of definite descriptions that point back ("the agency", "the senator") and the
# kind of antecedent they need.
_ANAPHOR_HEADS = {
    "agency": "org", "newspaper": "org", "paper": "org", "daily": "org", "network": "org", "broadcaster": "org",
    "channel": "org", "outlet": "org", "ministry": "org", "department": "org", "report": "org",
    "statement": "org", "campaign": "org", "company": "org", "group": "org", "organization": "org",
    "committee": "org", "government": "org", "administration": "org", "magazine": "org", "station": "org",
    "official": "person", "spokesman": "person", "spokeswoman": "person", "spokesperson": "person",
    "analyst": "person", "expert": "person", "senator": "person", "candidate": "person", "president": "person",
    "minister": "person", "nominee": "person", "lawmaker": "person", "congressman": "person",
    "congresswoman": "person", "governor": "person", "businessman": "person", "billionaire": "person",
    "diplomat": "person", "leader": "person", "source": "person", "woman": "person", "man": "person",
    "officials": "group", "analysts": "group", "experts": "group", "lawmakers": "group", "sources": "group",
}
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_MEDIA_TYPES = frozenset({"state_media", "independent_media"})
_SOURCE_TYPES = ("state_media", "official", "analyst", "independent_media", "nonstate")
_TYPE_PRIORITY = ("state_media", "analyst", "nonstate", "official", "independent_media")
_RESOLVE_WINDOW = 6  # sentences: beyond this a pronoun is not resolved (too unreliable)
# An agent phrase after "according to" / a passive "by" ends at these tokens.
_AGENT_STOP = frozenset({",", ".", ";", ":", "(", ")", "[", "]", '"', "“", "”", "'", "‘", "’", "—", "–", "that",
                         "which", "who", "whom", "as", "on", "in", "at", "after", "before", "when", "while",
                         "because", "since", "and", "but", "or", "to", "for", "with", "from", "about", "during",
                         "if", "is", "was", "were", "are", "has", "have", "had", "said", "says"})
_AGENT_DETERMINERS = frozenset({"the", "a", "an", "some", "several", "many", "two", "three", "its", "his", "her",
                                "their", "one", "other", "another", "both", "all", "most"})
_AGENT_MAX = 8  # tokens
_CUE_TRAILING = frozenset({"a", "an", "the", "his", "her", "its", "their"})
_ABBREVIATIONS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Capt", "Adm",
                            "Prof", "St", "Jr", "Sr", "Maj", "Cmdr", "Amb", "Rev", "Pres", "Supt"})


@dataclass(frozen=True)
class SpanAttribution:
    """One attribution in a sentence; offsets are document character offsets.

    Attributes
    ----------
    source : (int, int) or None
        The source phrase ("KCNA", "a senior U.S. official", "he"); None when the
        sentence names none (an agentless "it was reported").
    cue : (int, int)
        The cue ("said", "according to", "told Reuters").
    mode : str
        ``"direct"`` (the content is a quotation), ``"indirect"`` (reported speech)
        or ``"mixed"`` (reported speech with quoted fragments).
    source_name : str or None
        Canonical name: the lexicon entry or proper name in the source phrase (for a
        resolved pronoun, the antecedent's), else the phrase itself; None if no source.
    source_type : str
        ``state_media``, ``official``, ``analyst``, ``independent_media``,
        ``nonstate``; ``pronoun`` for an unresolved pronoun; else ``other``
        (also when there is no source).
    resolved : bool
        True when a pronoun or definite description was resolved to an earlier source.
    resolved_from : (int, int) or None
        Offsets of the earlier source phrase it was resolved to.
    """

    source: tuple[int, int] | None
    cue: tuple[int, int]
    mode: str
    source_name: str | None
    source_type: str
    resolved: bool = False
    resolved_from: tuple[int, int] | None = None


@dataclass(frozen=True)
class AttributionModel:
    """Weight tables of the tagger (see the module docstring); load with :func:`load_attribution_model`."""

    vocab: dict[str, int]  # surface form -> row of the per-form arrays below
    form_word: np.ndarray  # form -> lower-cased word row (UNK if rare)
    form_shape: np.ndarray  # form -> shape id
    form_suffix: np.ndarray  # form -> suffix row
    lower_vocab: dict[str, int]  # lower-cased word -> word row (for forms not in ``vocab``)
    suffix_vocab: dict[str, int]
    bigram_keys: np.ndarray  # sorted int64 keys ``left * n_words + right``
    word: np.ndarray  # (len(WORD_WINDOW), n_words, L)
    shape: np.ndarray  # (len(SHAPE_WINDOW), N_SHAPES, L)
    suffix: np.ndarray  # (len(suffix_window), n_suffixes, L)
    bigram: np.ndarray  # (2, n_bigrams + 2, L): (prev, cur) and (cur, next)
    quote: np.ndarray  # (4, L): outside/inside x plain/quote mark
    pos: np.ndarray  # (2, N_POS, L): distance from the sentence start and end
    bias: np.ndarray  # (L,)
    stack: np.ndarray  # (n_stages, n_stack_features, L): later stages, each over the previous one's output
    stack_bias: np.ndarray  # (n_stages, L)
    stack_window: int
    o_offset: float
    meta: dict
    suffix_window: tuple[int, ...] = SUFFIX_WINDOW
    stem_window: tuple[int, ...] = STEM_WINDOW
    form_stem: np.ndarray | None = None  # form -> stem row
    stem_vocab: dict[str, int] | None = None  # crude stem (see _stem) -> stem row
    stem: np.ndarray | None = None  # (len(stem_window), n_stems, L)

    @property
    def n_words(self) -> int:
        return self.word.shape[1]

    @functools.cached_property
    def bigram_index(self) -> _KeyIndex:
        """Row of each bigram key, as a hash table (built on first use)."""
        return _KeyIndex(self.bigram_keys)


class _KeyIndex:
    """Position of int64 keys in a sorted array, by open addressing with vectorised
    linear probing: a look-up is a few gathers, where a binary search over tens of
    thousands of keys costs a cache miss per step."""

    _MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing

    def __init__(self, keys: np.ndarray) -> None:
        self.bits = max(4, int(np.ceil(np.log2(max(keys.size, 1) * 3))))
        size = 1 << self.bits
        self.slot_key = np.full(size, -1, dtype=np.int64)
        self.slot_row = np.zeros(size, dtype=np.int64)
        pending = np.arange(keys.size)
        slot = self._hash(keys)
        while pending.size:
            # Place each pending key whose slot is free (the first of any that collide
            # there); the others move to the next slot.
            s = slot[pending]
            free = self.slot_key[s] == -1
            _u, first = np.unique(s, return_index=True)
            place = np.zeros(pending.size, dtype=bool)
            place[first] = True
            place &= free
            self.slot_key[s[place]] = keys[pending[place]]
            self.slot_row[s[place]] = pending[place]
            pending = pending[~place]
            slot[pending] = (slot[pending] + 1) & (size - 1)

    def _hash(self, k: np.ndarray) -> np.ndarray:
        return ((k.astype(np.uint64) * self._MULT) >> np.uint64(64 - self.bits)).astype(np.int64)

    def find(self, k: np.ndarray, missing: int) -> np.ndarray:
        """Position of every key of ``k`` in the sorted key array, ``missing`` if absent."""
        out = np.full(k.size, missing, dtype=np.int64)
        slot = self._hash(k)
        pending = np.arange(k.size)
        mask = self.slot_key.size - 1
        while pending.size:
            s = slot[pending]
            sk = self.slot_key[s]
            hit = sk == k[pending]
            out[pending[hit]] = self.slot_row[s[hit]]
            pending = pending[~hit & (sk != -1)]
            slot[pending] = (slot[pending] + 1) & mask
        return out


# ----------------------------------------------------------------------------- features


def _shape(tok: str) -> int:
    """Coarse word shape: 0 pad, 1 lower, 2 Capitalised, 3 ALLCAPS, 4 digit, 5 double quote,
    6 comma, 7 other punctuation, 8 mixed/other."""
    c = tok[0]
    if tok in _DOUBLE_QUOTES:
        return 5
    if c.isalpha():
        if tok.islower():
            return 1
        if tok.isupper():
            return 3
        return 2 if c.isupper() else 8
    if c.isdigit():
        return 4
    if tok == ",":
        return 6
    return 7 if not c.isalnum() else 8


def _suffix(tok: str) -> str:
    return tok[-3:].lower() if len(tok) > 3 else "<short>"


_STEM_ENDINGS = ("ing", "ed", "es", "s", "e")


def _stem(tok: str) -> str:
    """Crude stem: the lower-cased word less one inflectional ending, so "claims",
    "claimed", "claiming" and "claim" share a row (generalises cue words across forms)."""
    w = tok.lower()
    for end in _STEM_ENDINGS:
        if w.endswith(end) and len(w) - len(end) >= 3:
            return w[: -len(end)]
    return w


def tokenize_spans(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tokens of ``text`` with their start and end character offsets."""
    found = _TOKEN.findall(text)
    n = len(found)
    ends = np.cumsum(np.fromiter(map(len, found), dtype=np.int64, count=n))
    toks = list(map(str.lstrip, found))
    starts = ends - np.fromiter(map(len, toks), dtype=np.int64, count=n)
    return toks, starts, ends


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


def _tokenize_within(text: str, spans: Sequence[tuple[int, int]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tokens inside the given sentences only, with document offsets.

    The sentences are joined by line breaks and tokenised in one pass (a token never
    crosses a line break); matches tile the joined string, so one cumulative sum over
    match lengths gives every offset there, and each sentence's shift maps it back to
    the document. No Python loop over tokens or sentences beyond building the string."""
    if not spans:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    joined = "\n".join([text[lo:hi] for lo, hi in spans])
    found = _TOKEN.findall(joined)
    n = len(found)
    ends = np.cumsum(np.fromiter(map(len, found), dtype=np.int64, count=n))
    toks = list(map(str.lstrip, found))
    starts = ends - np.fromiter(map(len, toks), dtype=np.int64, count=n)
    bounds = np.array(spans, dtype=np.int64).reshape(-1, 2)
    lengths = bounds[:, 1] - bounds[:, 0]
    where = np.zeros(len(spans), dtype=np.int64)  # where each sentence starts in ``joined``
    np.cumsum(lengths[:-1] + 1, out=where[1:])
    shift = bounds[:, 0] - where
    sent = np.searchsorted(where, starts, side="right") - 1
    return toks, starts + shift[sent], ends + shift[sent]


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


# ----------------------------------------------------------------------------- naming


def _is_pronoun(words: list[str]) -> str | None:
    """The antecedent kind a pronoun or definite description needs, else None."""
    if len(words) == 1 and words[0] in _PRONOUN_WORDS:
        return _PRONOUN_WORDS[words[0]]
    if 2 <= len(words) <= 3 and words[0] in _DETERMINERS and words[-1] in _ANAPHOR_HEADS:
        return _ANAPHOR_HEADS[words[-1]]
    return None


def _name_and_type(phrase: str) -> tuple[str | None, str, bool]:
    """(canonical name, lexicon type, is a proper name) of a source phrase."""
    lex = load_lexicons()
    toks = tokenize(phrase)
    lowered = [t.lower() for t in toks]
    matches = [m for m in lex.find(toks, lowered) if m[2] in _SOURCE_TYPES]
    stype = "other"
    if matches:
        kinds = {k for _s, _e, k in matches}
        stype = next(k for k in _TYPE_PRIORITY if k in kinds)
    # The name: the longest capitalised run (a person or organisation), else the
    # typed lexicon phrase, else the whole phrase.
    best: tuple[int, int] | None = None
    i = 0
    while i < len(toks):
        if toks[i][:1].isupper() and not (i == 0 and lowered[i] in _DETERMINERS | {"a", "an"}):
            j = i + 1
            while j < len(toks) and (toks[j][:1].isupper() or (toks[j] in ("'s", "’s") and False)):
                j += 1
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j
        else:
            i += 1
    if best is not None:
        rest = toks[best[1] :]
        if rest and len(rest) <= 3 and all(t.isalpha() and t.islower() for t in rest):
            # "South Korean lawmakers", "Iranian state media": a described group, not a name.
            return " ".join(toks[best[0] :]), stype, False
        name = " ".join(toks[best[0] : best[1]]).removesuffix("'s")
        return name, stype, True
    if matches:
        s, e, _k = next(m for m in matches if m[2] == stype)
        return " ".join(toks[s:e]).removesuffix("'s"), stype, False
    return " ".join(phrase.split()), stype, False


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Countries and capitals (``framing/data/places.txt``): actors, never persons."""
    raw = (resources.files("framing") / "data" / "places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


def _compatible(need: str, name: str, name_type: str, is_proper: bool, words: list[str]) -> bool:
    if need == "org":
        return name_type in _MEDIA_TYPES or (is_proper and name_type != "other") or name_type == "official"
    if need == "group":
        return words[-1].endswith("s") or name_type in _MEDIA_TYPES or name_type == "official"
    # A person: a proper name that is not a media outlet or a place ("The leader" is not
    # "North Korea"), or a singular role phrase.
    return name_type not in _MEDIA_TYPES and name not in _places() and (is_proper or not words[-1].endswith("s"))


# ----------------------------------------------------------------------------- extraction


def _possessor(tokens: list[str], span: tuple[int, int]) -> tuple[int, int]:
    """A source tagged on the "s" of "Kim's remarks" means the possessor: move the span
    to the capitalised words before the apostrophe."""
    s, e = span
    if e - s == 1 and tokens[s] == "s" and s >= 2 and tokens[s - 1] in ("'", "’"):
        j = s - 1
        while j > 0 and tokens[j - 1][:1].isupper():
            j -= 1
        if j < s - 1:
            return j, s - 1
    return span


@functools.lru_cache(maxsize=8192)
def _phrase_info(phrase: str) -> tuple[list[str], str | None, str | None, str, bool]:
    """(lower-cased words, antecedent kind if an anaphor, name, type, is proper) of a
    source phrase. Cached: the same few hundred phrases ("he", "officials", "KCNA")
    make up most sources."""
    words = [t.lower() for t in tokenize(phrase)]
    name, stype, proper = _name_and_type(phrase)
    return words, (_is_pronoun(words) if words else None), name, stype, proper


def extract_attributions(
    text: str, spans: Sequence[tuple[int, int]], *, model: AttributionModel | None = None
) -> list[list[SpanAttribution]]:
    """Find the attributions of every sentence of a document.

    Parameters
    ----------
    text : str
        The document text; all offsets refer to it.
    spans : sequence of (int, int)
        Sentence offsets, as returned by :func:`framing.segment` (sorted, disjoint);
        a subset of a document's sentences is fine.
    model : AttributionModel, optional
        From :func:`load_attribution_model`; the shipped one by default.

    Returns
    -------
    list of list of SpanAttribution
        One list per sentence (empty when the sentence attributes nothing), cues in
        text order. Every cue and source lies inside its sentence, and
        ``text[start:end]`` is the phrase.
    """
    return extract_attributions_many([text], [spans], model=model)[0]


def extract_attributions_many(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *, model: AttributionModel | None = None
) -> list[list[list[SpanAttribution]]]:
    """:func:`extract_attributions` for several documents in one tagger pass.

    The documents are tagged as one token sequence (joined by line breaks, which end
    quotations, and with sentence-bounded features, so no document sees another), which
    spreads numpy's per-call overhead over the batch; results are the same as one call
    per document. Offsets in the result are each document's own.

    Raises
    ------
    ValueError
        If a sentence span lies outside its text or the spans are not sorted.
    """
    if len(texts) != len(spans):
        raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
    if model is None:
        model = load_attribution_model()
    out: list[list[list[SpanAttribution]]] = [[[] for _ in doc] for doc in spans]
    joined_spans: list[tuple[int, int]] = []
    bases: list[int] = []
    first_sent: list[int] = []
    pos = 0
    for d, (text, doc_spans) in enumerate(zip(texts, spans)):
        prev = 0
        for a, b in doc_spans:
            if not prev <= a <= b <= len(text):
                raise ValueError(f"document {d}: sentence span ({a}, {b}) is unsorted or outside "
                                 f"the text (length {len(text)}); pass spans from framing.segment")
            prev = b
        bases.append(pos)
        first_sent.append(len(joined_spans))
        joined_spans += [(a + pos, b + pos) for a, b in doc_spans]
        pos += len(text) + 1
    first_sent.append(len(joined_spans))
    if not joined_spans:
        return out
    joined = texts[0] if len(texts) == 1 else "\n".join(texts)
    enc = encode(joined, joined_spans, model, doc_starts=first_sent[:-1])
    labels = tag(enc, model)
    cues = spans_from_labels(labels, enc.sent, 1)
    if not cues:
        return out
    sources = [_possessor(enc.tokens, x) for x in spans_from_labels(labels, enc.sent, 2)]
    tok = _TokenLists(enc, len(joined_spans))
    doc_of = np.searchsorted(np.array(first_sent), np.arange(len(joined_spans)), side="right") - 1
    doc_of_l = doc_of.tolist()
    by_doc_cues: dict[int, list[tuple[int, int]]] = {}
    by_doc_sources: dict[int, list[tuple[int, int]]] = {}
    for c in cues:
        by_doc_cues.setdefault(doc_of_l[tok.sent[c[0]]], []).append(c)
    for x in sources:
        by_doc_sources.setdefault(doc_of_l[tok.sent[x[0]]], []).append(x)
    for d, doc_cues in by_doc_cues.items():
        _assemble(joined, tok, doc_cues, by_doc_sources.get(d, []), bases[d], first_sent[d], out[d])
    return out


def _single_quoted(tokens: list[str], ends: list[int], starts: list[int], sent: list[int]) -> list[int]:
    """Tokens inside ‘single quotation marks’ (British and Asian house style, which the
    tagger's double-quote state does not see). An opening ‘ is unambiguous; the closing ’
    (or ') is the first one not followed by a letter or digit ("Korea’s" is an
    apostrophe). A quotation ends at the latest with its sentence or at a double quote
    mark (a nested quotation ends with the one around it)."""
    out: list[int] = []
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i] != "‘":
            i += 1
            continue
        k = i + 1
        while k < n and sent[k] == sent[i]:
            if tokens[k] == "‘":
                break  # a new quotation opens before this one closed
            if tokens[k] in _DOUBLE_QUOTES:
                break  # a nested quotation ends with the one around it
            if tokens[k] in ("’", "'") and (k + 1 == n or starts[k + 1] > ends[k] or not tokens[k + 1][:1].isalnum()):
                break
            k += 1
        out.extend(range(i + 1, k))
        i = k if k < n and tokens[k] in ("‘", *_DOUBLE_QUOTES) else k + 1
    return out


class _TokenLists:
    """The per-token arrays the span assembly reads, as Python lists (it indexes single
    tokens, where list access is ~10x cheaper than numpy scalar access)."""

    def __init__(self, enc: _Encoded, n_sentences: int) -> None:
        self.tokens = enc.tokens
        self.starts: list[int] = enc.starts.tolist()
        self.ends: list[int] = enc.ends.tolist()
        self.sent: list[int] = enc.sent.tolist()
        # Tokens of sentence i are [bounds[i], bounds[i + 1]).
        self.bounds: list[int] = np.searchsorted(enc.sent, np.arange(n_sentences + 1)).tolist()
        # For the mode: quoted words (inside quotation marks) and plain words (outside),
        # as a running count of quoted words and each sentence's first and last plain word.
        quoted = enc.quote >= 2
        if "‘" in enc.tokens:
            quoted[_single_quoted(enc.tokens, self.ends, self.starts, self.sent)] = True
        quoted &= enc.shape < 5
        plain = np.flatnonzero((enc.shape < 5) & ~quoted)
        self.quoted_before: list[int] = np.concatenate([[0], np.cumsum(quoted)]).tolist()
        b = np.asarray(self.bounds)
        i = np.searchsorted(plain, b[:-1])
        j = np.searchsorted(plain, b[1:]) - 1
        some = i <= j
        self.first_plain: list[int] = np.where(some, plain[np.minimum(i, plain.size - 1)], b[1:]).tolist() \
            if plain.size else b[1:].tolist()
        self.last_plain: list[int] = np.where(some, plain[np.maximum(j, 0)], -1).tolist() if plain.size else \
            [-1] * n_sentences

    def mode(self, si: int, skip: Sequence[tuple[int, int]]) -> str:
        """Indirect when no word of sentence ``si`` is inside quotation marks; direct when
        the unquoted words form one stretch around the cue and source (token spans
        ``skip``) with no quoted word inside it ('"...," said KCNA, the agency'); mixed
        otherwise (quoted fragments inside reported speech)."""
        lo, hi = self.bounds[si], self.bounds[si + 1]
        q = self.quoted_before
        if q[hi] == q[lo]:
            return "indirect"
        first = min([self.first_plain[si]] + [a for a, _b in skip])
        last = max([self.last_plain[si]] + [b - 1 for _a, b in skip])
        if first > last or q[last + 1] == q[first]:
            return "direct"
        return "mixed"


def _agent(tokens: list[str], c0: int, c1: int, hi: int) -> tuple[int, int] | None:
    """The source a cue introduces after itself: the phrase after "according to", or
    after a passive "by" ("were described by KCNA as ...", "quoted by"). A "by" phrase
    must start like an agent (a determiner or a capitalised word) so that "said by
    phone" or "responded by using" is not one. Token span, or None."""
    low = [t.lower() for t in tokens[c0:c1]]
    nxt = tokens[c1].lower() if c1 < hi else ""
    if low[-2:] == ["according", "to"]:
        j, strict = c1, False
    elif low[-1] == "according" and nxt == "to":
        j, strict = c1 + 1, False
    elif len(low) >= 2 and low[-1] == "by":
        j, strict = c1, True
    elif nxt == "by":
        j, strict = c1 + 1, True
    else:
        return None
    e = j
    while e < hi and e - j < _AGENT_MAX:
        t = tokens[e]
        if t == "." and e > j and (tokens[e - 1] in _ABBREVIATIONS or (len(tokens[e - 1]) == 1 and
                                                                         tokens[e - 1].isupper())):
            e += 1  # "Mrs. Clinton", "John F. Kelly"
            continue
        if t.lower() in _AGENT_STOP and not (t in ("'", "’") and e > j and tokens[e - 1][:1].isupper()):
            break  # an apostrophe inside a name ("O’Neill") does not end it
        e += 1
    if e == j or (strict and not (tokens[j].lower() in _AGENT_DETERMINERS or tokens[j][:1].isupper())):
        return None
    return j, e


def _assemble(text: str, tok: _TokenLists, cues: list[tuple[int, int]], sources: list[tuple[int, int]], base: int,
              s0: int, out: list[list[SpanAttribution]]) -> None:
    """Pair the cues of one document with sources, name and resolve them, and append them
    to ``out`` (indexed by the document's sentence number). Token spans index ``tok``;
    ``text`` and token offsets are shifted by ``base`` from the document's, and its
    sentences are numbered from ``s0``."""
    starts, ends, sent = tok.starts, tok.ends, tok.sent
    by_sent: dict[int, list[tuple[int, int]]] = {}
    for s, e in sources:
        by_sent.setdefault(sent[s], []).append((s, e))
    history: list[tuple[tuple[int, int], int, str, str, bool, list[str]]] = []  # named sources seen so far
    src_info: dict[tuple[int, int], tuple[str | None, str, bool, tuple[int, int] | None]] = {}
    hist_pos = 0
    all_sources = sorted((starts[s], ends[e - 1], sent[s]) for s, e in sources)

    def describe(a: int, b: int, si: int) -> tuple[str | None, str, bool, tuple[int, int] | None]:
        words, need, name, stype, proper = _phrase_info(text[a:b])
        if need is None:
            history.append(((a, b), si, name or "", stype, proper, words))
            return name, stype, False, None
        # Resolve to the nearest earlier compatible named source, if close enough.
        for (ha, hb), hsi, hname, htype, hproper, hwords in reversed(history):
            if si - hsi > _RESOLVE_WINDOW:
                break
            if hb <= a and _compatible(need, hname, htype, hproper, hwords):
                return hname, htype, True, (ha - base, hb - base)
        return None, stype if stype != "other" else "pronoun", False, None

    for c0, c1 in cues:
        # A cue does not end on an article ("has released a"): the tagger's I-CUE runs on.
        while c1 - c0 > 1 and tok.tokens[c1 - 1].lower() in _CUE_TRAILING:
            c1 -= 1
        si = sent[c0]
        # Sources up to this cue's sentence are described in text order, so that
        # resolution only ever looks back.
        while hist_pos < len(all_sources) and all_sources[hist_pos][2] <= si:
            a, b, ssi = all_sources[hist_pos]
            src_info[(a, b)] = describe(a, b, ssi)
            hist_pos += 1
        cands = by_sent.get(si, [])
        source = src_tok = None
        agent = _agent(tok.tokens, c0, c1, tok.bounds[si + 1])
        if agent is not None:
            # The cue names its source after itself; a tagged source inside that phrase
            # gives its exact extent ("the agency" of "the agency's report").
            src_tok = next((x for x in cands if agent[0] <= x[0] and x[1] <= agent[1]), agent)
            source = (starts[src_tok[0]], ends[src_tok[1] - 1])
            if source not in src_info:
                src_info[source] = describe(*source, si)
        elif cands:
            # The nearest source in the sentence (by token distance to the cue).
            src_tok = cands[0] if len(cands) == 1 else \
                min(cands, key=lambda se: (max(se[0] - c1, c0 - se[1], 0), se[0]))
            source = (starts[src_tok[0]], ends[src_tok[1] - 1])
        if source is None:
            name, stype, resolved, resolved_from = None, "other", False, None
        else:
            name, stype, resolved, resolved_from = src_info[source]
            source = (source[0] - base, source[1] - base)
        skip = [(c0, c1)] + ([src_tok] if src_tok is not None else [])
        mode = tok.mode(si, skip)
        out[si - s0].append(SpanAttribution(
            source=source, cue=(starts[c0] - base, ends[c1 - 1] - base), mode=mode, source_name=name,
            source_type=stype, resolved=resolved, resolved_from=resolved_from))


# ----------------------------------------------------------------------------- loading


def default_model_dir() -> Path:
    return Path(str(resources.files("framing") / "models" / "attribution"))


def _strings(a: np.ndarray) -> list[str]:
    """Strings stored as newline-joined UTF-8 bytes (no pickles in the npz)."""
    if a.size == 0:
        return []
    return bytes(a.astype(np.uint8)).decode("utf-8").split("\n")


def load_attribution_model(directory: str | Path | None = None) -> AttributionModel:
    """Load the attribution tagger, verifying the arrays' sha256.

    Parameters
    ----------
    directory : str or Path, optional
        A directory written by :mod:`framing._attribution_train`; the shipped model
        by default (cached per process).

    Returns
    -------
    AttributionModel

    Raises
    ------
    ModelError
        When the directory has no metadata, the format is unknown, or the arrays are
        missing, damaged or do not match their recorded sha256.
    """
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _load_default() -> AttributionModel:
    return _load(default_model_dir())


def _window(meta: dict, key: str, default: tuple[int, ...], where: Path) -> tuple[int, ...]:
    value = meta.get(key, list(default))
    if not (isinstance(value, list) and all(isinstance(x, int) and not isinstance(x, bool) and -8 <= x <= 8
                                            for x in value)):
        raise ModelError(f"{where}: {key!r} must be a list of small integers, not {value!r}")
    return tuple(value)


def _load(directory: Path) -> AttributionModel:
    meta_path = directory / META_FILE
    if not meta_path.is_file():
        raise ModelError(f"{directory}: no {META_FILE}; not an attribution model directory")
    meta = read_manifest(meta_path)
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{meta_path}: format {meta.get('format')!r} v{meta.get('format_version')!r}; "
                         f"expected {FORMAT!r} v{FORMAT_VERSION}")
    arrays_name = meta.get("arrays_file", ARRAYS_FILE)
    arrays_path = directory / str(arrays_name)
    if not isinstance(arrays_name, str) or arrays_path.parent != directory or not arrays_path.is_file():
        raise ModelError(f"{arrays_path}: missing")
    digest = _sha256_file(arrays_path)
    if digest != meta.get("arrays_sha256"):
        raise ModelError(f"{arrays_path}: sha256 {digest[:12]}… does not match the recorded "
                         f"{str(meta.get('arrays_sha256'))[:12]}…; the weights were altered or damaged")
    if meta.get("labels", list(LABELS)) != list(LABELS):
        raise ModelError(f"{meta_path}: label order {meta.get('labels')!r} differs from {list(LABELS)}")
    verify_manifest(meta, meta_path)
    stack_window, o_offset = meta.get("stack_window"), meta.get("o_offset")
    if isinstance(stack_window, bool) or not isinstance(stack_window, int) or not 0 <= stack_window <= 16:
        raise ModelError(f"{meta_path}: stack_window {stack_window!r} must be an integer from 0 to 16")
    if isinstance(o_offset, bool) or not isinstance(o_offset, int | float) or not np.isfinite(o_offset):
        raise ModelError(f"{meta_path}: o_offset {o_offset!r} must be a finite number")
    suffix_window = _window(meta, "suffix_window", SUFFIX_WINDOW, meta_path)
    stem_window = _window(meta, "stem_window", STEM_WINDOW, meta_path)
    try:
        with np.load(arrays_path, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        _finite_arrays(a, arrays_path)
        forms = _strings(a["forms"])
        words = _strings(a["words"])
        suffixes = _strings(a["suffixes"])
        f32 = {k: a[k].astype(np.float32) for k in
               ("word", "shape", "suffix", "bigram", "quote", "pos", "bias", "stack", "stack_bias")}
        if f32["suffix"].ndim == 2:  # one suffix table (models without windowed suffixes)
            f32["suffix"] = f32["suffix"][None]
        stems: dict = {}
        if "stem" in a:
            stems = {"stem_vocab": {s: i for i, s in enumerate(_strings(a["stems"]))},
                     "form_stem": a["form_stem"].astype(np.int64), "stem": a["stem"].astype(np.float32)}
        return AttributionModel(
            vocab={f: i for i, f in enumerate(forms)},
            form_word=a["form_word"].astype(np.int64), form_shape=a["form_shape"].astype(np.int64),
            form_suffix=a["form_suffix"].astype(np.int64),
            lower_vocab={w: i for i, w in enumerate(words)}, suffix_vocab={s: i for i, s in enumerate(suffixes)},
            bigram_keys=a["bigram_keys"].astype(np.int64), stack_window=stack_window,
            o_offset=float(o_offset), meta=meta, suffix_window=suffix_window,
            stem_window=stem_window if stems else (), **f32, **stems,
        )
    except ModelError:
        raise
    except (KeyError, ValueError, TypeError, IndexError, OSError, EOFError, UnicodeDecodeError,
            zipfile.BadZipFile) as exc:
        raise ModelError(f"{arrays_path}: incomplete or damaged arrays ({exc})") from None
