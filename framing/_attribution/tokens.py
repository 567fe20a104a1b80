"""Tokens and the surface features of a word form: offsets, shape, suffix and crude stem.

The tokenizer is one regular expression whose matches tile the text, so offsets come
from a cumulative sum of match lengths. :mod:`.encode` looks a form's shape, suffix and
stem up in the model's vocabulary, and computes them here for a form it has not seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["N_SHAPES", "tokenize_spans", "_tokenize_within", "_shape", "_suffix", "_stem", "_DOUBLE_QUOTES"]

# Leading white space, then a token: a dotted acronym ("U.S."), a word (inner hyphens
# kept; an apostrophe splits, so "Trump's" ends "Trump" where PolNeAR sources end) or
# one other character. Matches tile the text, so offsets come from a cumulative sum of
# match lengths instead of a Python loop over match objects (3x cheaper).
_TOKEN = re.compile(r"\s*+(?:[A-Za-z]\.(?:[A-Za-z]\.)++|\w++(?:-\w++)*+|\S)")  # possessive: no backtracking
N_SHAPES = 9  # see _shape
_DOUBLE_QUOTES = frozenset('"“”')


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
