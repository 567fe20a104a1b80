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
    """Phrase tables, keyed by token tuples, mapping to their lexicon type."""

    exact: dict[tuple[str, ...], str]
    folded: dict[tuple[str, ...], str]
    max_len: int

    def find(self, tokens: list[str], lowered: list[str]) -> list[tuple[int, int, str]]:
        """Longest-first matches as ``(start_token, end_token, type)``, left to right."""
        out = []
        n = len(tokens)
        i = 0
        exact, folded = self.exact, self.folded
        while i < n:
            hit = None
            for length in range(min(self.max_len, n - i), 0, -1):
                key = tuple(tokens[i : i + length])
                kind = exact.get(key)
                if kind is None:
                    kind = folded.get(tuple(lowered[i : i + length]))
                if kind is None and length == 1 and lowered[i].endswith("'s"):
                    # Possessives: "Xinhua's", "the ministry's".
                    kind = exact.get((tokens[i][:-2],)) or folded.get((lowered[i][:-2],))
                if kind is not None:
                    hit = (i, i + length, kind)
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
    exact: dict[tuple[str, ...], str] = {}
    folded: dict[tuple[str, ...], str] = {}
    max_len = 1
    root = resources.files("framing") / "data" / "lexicons"
    for kind in LEXICON_TYPES:
        for phrase in _parse((root / _FILES[kind]).read_text(encoding="utf-8")):
            key = tuple(tokenize(phrase))
            if not key or len(key) > _MAX_PHRASE:
                continue
            max_len = max(max_len, len(key))
            if phrase != phrase.lower():
                exact.setdefault(key, kind)
            else:
                folded.setdefault(key, kind)
    return Lexicons(exact=exact, folded=folded, max_len=max_len)
