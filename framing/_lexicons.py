"""Source-type lexicons: state outlets, officials, analysts, attribution cues.

The lists are data files in ``framing/data/lexicons/`` (see the README there). A
phrase written with a capital letter matches only with that capitalisation; one
written in lower case matches in any case. Matching runs over word tokens, longest
phrase first, so it costs a few dictionary look-ups per token.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["LEXICON_TYPES", "Lexicons", "load_lexicons", "piece_spans", "token_pieces", "token_spans", "tokenize"]

LEXICON_TYPES: tuple[str, ...] = ("state_media", "official", "analyst", "independent_media", "nonstate", "cue")
_FILES = {
    "state_media": "state_media.txt",
    "official": "official.txt",
    "analyst": "analyst.txt",
    "independent_media": "independent_media.txt",
    "nonstate": "nonstate.txt",
    "cue": "cues.txt",
}
# Words with inner hyphens or apostrophes stay whole ("state-run", "People's");
# acronyms with periods ("U.S.", "U.N.") are one token too. Possessive quantifiers: nothing
# follows a branch, so its first, longest path always matches and never backtracks
# (the tokens are those of the plain greedy pattern; 15% faster).
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}+|\w++(?:['’\-]\w++)*+|[^\w\s]")
# Every character that is not white space belongs to a token, so the tokens, each with the
# white space before it, tile the text up to its trailing white space: their offsets are a
# running sum of lengths, with no match objects.
_SPACED = re.compile(r"\s*+(?:" + _TOKEN.pattern + ")")
_MAX_PHRASE = 6


def tokenize(text: str) -> list[str]:
    """Split text into word and punctuation tokens (apostrophes normalised to ``'``)."""
    return _TOKEN.findall(text.replace("’", "'"))


def token_pieces(text: str) -> tuple[list[str], list[str]]:
    """The tokens of :func:`tokenize`, and the same tokens each with the white space before
    it (for :func:`piece_spans`), in one pass over ``text``."""
    # Trailing white space starts no token; stripped, it cannot make the pass quadratic.
    pieces = _SPACED.findall(text.replace("’", "'").rstrip())
    return list(map(str.lstrip, pieces)), pieces


def piece_spans(tokens: list[str], pieces: list[str]) -> list[tuple[int, int]]:
    """Character offsets of ``tokens`` from :func:`token_pieces` (the apostrophe swap keeps
    every offset: one character for one)."""
    return [(end - len(t), end) for end, t in zip(itertools.accumulate(map(len, pieces)), tokens)]


def token_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The tokens of :func:`tokenize` with their character offsets into ``text``."""
    tokens, pieces = token_pieces(text)
    return tokens, piece_spans(tokens, pieces)


_Entry = tuple[str | None, dict[str, list[tuple[tuple[str, ...], str]]]]


@dataclass(frozen=True)
class Lexicons:
    """Phrase tables keyed by their first token.

    ``exact`` holds phrases written with capitals (matched as written), ``folded``
    the lower-case ones (matched in any case). Each maps a first token to
    ``(type of the one-word phrase or None, {second token: [(phrase, type), ...]})``,
    longer phrases first, so most tokens cost one dictionary look-up.
    """

    exact: dict[str, _Entry]
    folded: dict[str, _Entry]

    def find(self, tokens: list[str], lowered: list[str]) -> list[tuple[int, int, str]]:
        """Longest-first matches as ``(start_token, end_token, type)``, left to right."""
        out = []
        n = len(tokens)
        i = 0
        exact, folded = self.exact, self.folded
        while i < n:
            hit = None
            entry = exact.get(tokens[i])
            if entry is not None:
                hit = _longest(entry, tokens, i, n, None)
            entry = folded.get(lowered[i])
            if entry is not None:
                hit = _longest(entry, lowered, i, n, hit)
            if hit is None and lowered[i][-2:] == "'s":
                # Possessives: "Xinhua's", "the ministry's".
                for table, key in ((exact, tokens[i][:-2]), (folded, lowered[i][:-2])):
                    entry = table.get(key)
                    if entry is not None and entry[0] is not None:
                        hit = (i, i + 1, entry[0])
                        break
            if hit is None:
                i += 1
            else:
                out.append(hit)
                i = hit[1]
        return out


def _longest(
    entry: _Entry, seq: list[str], i: int, n: int, hit: tuple[int, int, str] | None
) -> tuple[int, int, str] | None:
    """The longest phrase of ``entry`` starting at ``seq[i]``, if longer than ``hit``."""
    single, multi = entry
    if multi and i + 1 < n:
        nxt = seq[i + 1]
        for phrase, kind in multi.get(nxt) or multi.get(nxt.removesuffix("'s"), ()):
            if (hit is None or len(phrase) > hit[1] - hit[0]) and _same(seq, i, phrase):
                return (i, i + len(phrase), kind)
    if single is not None and hit is None:
        return (i, i + 1, single)
    return hit


def _same(seq: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` starts at ``seq[i]``; its last word may carry a possessive
    ("North Korea's" matches "North Korea")."""
    k = len(phrase)
    window = seq[i : i + k]
    if len(window) < k or tuple(window[:-1]) != phrase[:-1]:
        return False
    last = window[-1]
    return last == phrase[-1] or last == phrase[-1] + "'s"


def _parse(text: str) -> list[str]:
    phrases = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            phrases.append(line)
    return phrases


@functools.lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Load the packaged lexicons once per process.

    When a phrase appears in several files the first type in
    :data:`LEXICON_TYPES` order wins (state media before officials, and so on).
    """
    tables: dict[bool, dict[str, _Entry]] = {True: {}, False: {}}
    seen: set[tuple[bool, tuple[str, ...]]] = set()
    root = resources.files("framing") / "data" / "lexicons"
    for kind in LEXICON_TYPES:
        for phrase in _parse((root / _FILES[kind]).read_text(encoding="utf-8")):
            cased = phrase != phrase.lower()
            key = tuple(tokenize(phrase))
            if not key or len(key) > _MAX_PHRASE or (cased, key) in seen:
                continue
            seen.add((cased, key))
            single, multi = tables[cased].get(key[0], (None, {}))
            if len(key) == 1:
                single = kind
            else:
                multi.setdefault(key[1], []).append((key, kind))
            tables[cased][key[0]] = (single, multi)
    for table in tables.values():
        for _single, multi in table.values():
            for entries in multi.values():
                entries.sort(key=lambda e: -len(e[0]))  # stable: earlier types win ties
    return Lexicons(exact=tables[True], folded=tables[False])
