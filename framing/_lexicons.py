"""Source-type lexicons: state outlets, officials, analysts, attribution cues.

The lists are data files in ``framing/data/lexicons/`` (see the README there). A
phrase written with a capital letter matches only with that capitalisation; one
written in lower case matches in any case. Matching runs over word tokens, longest
phrase first, so it costs a few dictionary look-ups per token.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["LEXICON_TYPES", "Lexicons", "load_lexicons", "tokenize"]

LEXICON_TYPES: tuple[str, ...] = ("state_media", "official", "analyst", "independent_media", "cue")
_FILES = {
    "state_media": "state_media.txt",
    "official": "official.txt",
    "analyst": "analyst.txt",
    "independent_media": "independent_media.txt",
    "cue": "cues.txt",
}
# Words with inner hyphens or apostrophes stay whole ("state-run", "People's");
# acronyms with periods ("U.S.", "U.N.") are one token too.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['’\-]\w+)*|[^\w\s]")
_MAX_PHRASE = 6


def tokenize(text: str) -> list[str]:
    """Split text into word and punctuation tokens (apostrophes normalised to ``'``)."""
    return [t.replace("’", "'") for t in _TOKEN.findall(text)]


@dataclass(frozen=True)
class Lexicons:
    """Phrase tables keyed by their first token, longest phrase first.

    ``exact`` holds phrases written with capitals (matched as written), ``folded``
    the lower-case ones (matched in any case); each maps a first token to
    ``[(phrase tokens, type), ...]``.
    """

    exact: dict[str, list[tuple[tuple[str, ...], str]]]
    folded: dict[str, list[tuple[tuple[str, ...], str]]]

    def find(self, tokens: list[str], lowered: list[str]) -> list[tuple[int, int, str]]:
        """Longest-first matches as ``(start_token, end_token, type)``, left to right."""
        out = []
        n = len(tokens)
        i = 0
        exact, folded = self.exact, self.folded
        while i < n:
            hit = None
            tok, low = tokens[i], lowered[i]
            for table, seq, key in ((exact, tokens, tok), (folded, lowered, low)):
                for phrase, kind in table.get(key, ()):
                    k = len(phrase)
                    if k == 1 or tuple(seq[i : i + k]) == phrase:
                        if hit is None or k > hit[1] - hit[0]:
                            hit = (i, i + k, kind)
                        break
            if hit is None and low.endswith("'s"):
                # Possessives: "Xinhua's", "the ministry's".
                for table, key in ((exact, tok[:-2]), (folded, low[:-2])):
                    entries = [kind for phrase, kind in table.get(key, ()) if len(phrase) == 1]
                    if entries:
                        hit = (i, i + 1, entries[0])
                        break
            if hit is None:
                i += 1
            else:
                out.append(hit)
                i = hit[1]
        return out


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
    exact: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    folded: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    seen: set[tuple[bool, tuple[str, ...]]] = set()
    root = resources.files("framing") / "data" / "lexicons"
    for kind in LEXICON_TYPES:
        for phrase in _parse((root / _FILES[kind]).read_text(encoding="utf-8")):
            cased = phrase != phrase.lower()
            key = tuple(tokenize(phrase))
            if not key or len(key) > _MAX_PHRASE or (cased, key) in seen:
                continue
            seen.add((cased, key))
            table = exact if cased else folded
            table.setdefault(key[0], []).append((key, kind))
    for table in (exact, folded):
        for entries in table.values():
            entries.sort(key=lambda e: -len(e[0]))  # stable: earlier types win ties
    return Lexicons(exact=exact, folded=folded)
