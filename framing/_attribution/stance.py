"""How the reporter frames an attributed claim: ``neutral``, ``distancing`` or ``endorsing``.

"Officials said X" relays X; "officials claimed, without evidence, X" keeps a distance
from it; "officials confirmed X" vouches for it. The stance of an attribution is read
from the reporter's wording only (the guide is ``labels/STANCE.md``):

1. ``distancing`` when the cue's verb is one of doubtful assertion ("claimed",
   "alleged"), or the cue's clause carries a distancing modifier ("without evidence",
   "so-called", "what it called"; a clause ends at ";" or at a comma before "which",
   "who", "but", "although" ...);
2. else ``endorsing`` when the cue's verb is factive or one of disclosure ("confirmed",
   "revealed", "acknowledged", "noted"), not negated just before it ("did not confirm",
   "hasn't confirmed");
3. else ``neutral``.

The cue's verb is its first word after auxiliaries and adverbs ("has also acknowledged"),
so "went on Sunday talk shows" is not read as "shows". Scare quotes are not read: the
annotators took most short quotations inside an attribution for the speaker's own words,
and only the loaded ones for distance, which the form does not tell apart.

The word lists are data (``framing/data/stance.txt``; ``*`` stands for one to
three words). Cost: one tokenisation of the sentence and a few comparisons per word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources

from .._lexicons import _parse, tokenize

__all__ = ["STANCES", "cue_stance"]

STANCES: tuple[str, ...] = ("neutral", "distancing", "endorsing")
_SECTIONS = ("distancing", "endorsing", "distancing-modifier", "negation")
_AUXILIARIES = frozenset({"has", "have", "had", "is", "was", "were", "are", "be", "been", "being", "did", "does",
                          "do", "will", "would", "also", "further", "later", "previously", "repeatedly", "publicly",
                          "since", "now", "already", "recently", "first", "again", "still", "quickly", "openly"})
_NEGATION_WINDOW = 3  # tokens before an endorsing cue word
_WILDCARD_MAX = 3
# Only words that open another clause with its own claim: an aside set off by commas
# (", after weeks of silence,") stays in the cue's clause.
_CLAUSE_OPENERS = frozenset({"which", "who", "whom", "whose", "whereas", "but", "although", "though"})


def _read_lists() -> str:
    return (resources.files("framing") / "data" / "stance.txt").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _lists() -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    """Each section's phrases, keyed by their first word (so a word costs one look-up)."""
    text = _read_lists()
    out: dict[str, dict[str, list[tuple[str, ...]]]] = {s: {} for s in _SECTIONS}
    section = None
    for line in _parse(text):  # the lexicons' reader: stripped lines, no blanks or comments
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            if section not in out:
                raise ValueError(f"stance.txt: unknown section [{section}]")
            continue
        if section is None:
            raise ValueError(f"stance.txt: {line!r} sits before any [section]")
        phrase = tuple(tokenize(line.lower()))
        if not phrase or phrase[0] == "*":
            raise ValueError(f"stance.txt: {line!r} must start with a word")
        out[section].setdefault(phrase[0], []).append(phrase)
    return {k: {w: tuple(ps) for w, ps in v.items()} for k, v in out.items()}


@functools.lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """Every word a stance phrase starts with: a sentence with none of them is neutral."""
    return frozenset(w for section in ("distancing", "endorsing", "distancing-modifier") for w in _lists()[section])


_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _match(words: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` starts at ``words[i]`` (``*`` matching one to three words)."""
    if not phrase:
        return True
    head, rest = phrase[0], phrase[1:]
    if head == "*":
        return any(_match(words, i + k, rest) for k in range(1, _WILDCARD_MAX + 1) if i + k <= len(words))
    return i < len(words) and words[i] == head and _match(words, i + 1, rest)


def _starts(words: list[str], i: int, phrases: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    return i < len(words) and any(_match(words, i, p) for p in phrases.get(words[i], ()))


def cue_stance(text: str, cue: tuple[int, int], sentence: tuple[int, int], *,
               words: Iterable[str] | None = None) -> str:
    """The stance of the attribution whose cue is ``text[cue[0]:cue[1]]``.

    Parameters
    ----------
    text : str
        The document text.
    cue : (int, int)
        The cue's character offsets.
    sentence : (int, int)
        The offsets of the sentence that holds the cue.
    words : iterable of str, optional
        The sentence's lower-cased tokens, when already at hand (a quick test: a sentence
        with none of the stance words is neutral).

    Returns
    -------
    str
        One of :data:`STANCES`.
    """
    lists = _lists()
    s0, s1 = sentence
    if _first_words().isdisjoint(_WORDS.findall(text[s0:s1].lower()) if words is None else words):
        return "neutral"
    before = [w.lower() for w in tokenize(text[s0 : cue[0]])]
    words = before + [w.lower() for w in tokenize(text[cue[0] : s1])]
    # The cue's verb: its first word after auxiliaries and adverbs, read past the cue's
    # end when the cue was cut there ("has" of "has acknowledged").
    head = len(before)
    while head < len(words) - 1 and words[head] in _AUXILIARIES:
        head += 1
    if _starts(words, head, lists["distancing"]):
        return "distancing"
    # Modifiers count within the cue's clause only: "confirmed the strike, which state
    # media falsely denied" is not distanced by the other clause's "falsely".
    lo, hi = _clause(words, len(before), head)
    modifiers = lists["distancing-modifier"]
    clause = words[:hi]  # once: a copy per word would make long sentences quadratic
    if not modifiers.keys().isdisjoint(clause[lo:]) and any(_starts(clause, i, modifiers) for i in range(lo, hi)):
        return "distancing"
    if _starts(words, head, lists["endorsing"]):
        window = words[max(0, head - _NEGATION_WINDOW) : head]
        if not any(w in lists["negation"] or w.endswith("n't") for w in window):
            return "endorsing"
    return "neutral"


def _clause(words: list[str], cue: int, head: int) -> tuple[int, int]:
    """Word range of the clause holding the cue: between the nearest boundaries (";", or
    "," before "which", "who", "but" ...) before the cue and after its verb."""
    lo = 0
    for j in range(cue - 1, -1, -1):
        if _boundary(words, j):
            lo = j + 1
            break
    hi = len(words)
    for j in range(head + 1, len(words)):
        if _boundary(words, j):
            hi = j
            break
    return lo, hi


def _boundary(words: list[str], j: int) -> bool:
    return words[j] == ";" or (words[j] == "," and j + 1 < len(words) and words[j + 1] in _CLAUSE_OPENERS)
