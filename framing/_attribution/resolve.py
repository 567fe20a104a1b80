"""Resolving a pronoun or definite description ("he", "the agency") to the nearest
earlier compatible named source of the same document."""

from __future__ import annotations

import re

from .names import _MEDIA_TYPES, _WEEKDAYS, _phrase_info, _places

__all__ = ["SourceResolver", "_compatible"]

_RESOLVE_WINDOW = 6  # sentences: beyond this a pronoun is not resolved (too unreliable)
# Up to three capitalised words after a span, and what follows them.
_GOES_ON = re.compile(r"((?: [A-Z][\w’'.-]*){1,3})(?=(.?.?))")
_NOT_NAMES = _WEEKDAYS | {"i", "says", "said", "tells", "told", "warns", "urges", "calls", "claims", "denies"}


def _name_end(text: str, a: int, b: int) -> int:
    """Where the proper name that ``text[a:b]`` ends inside of ends: the tagger may cut a
    name short ("Former President Bill| Clinton, speaking in ..."). A run of up to three
    capitalised words read on, when the span ends on a capitalised word (not an owner's
    possessive, not in capitals), the run does not end at a fourth capitalised word and
    holds no acronym, weekday or reporting verb ("Trump Says ..."), and the line is not
    in title case (a headline: lower case only for short words)."""
    last = text[a:b].rsplit(None, 1)[-1] if b > a else ""
    if not last[:1].isupper() or not last[-1:].isalpha() or "'" in last or "’" in last:
        return b
    m = _GOES_ON.match(text, b)
    if m is None or (last.isupper() and len(last) > 1) or (m.group(2)[:1] == " " and m.group(2)[1:2].isupper()):
        return b  # capitals ("TRUMP VOWS") or a fourth capitalised word: a headline
    words = m.group(1).split()
    if any(w.lower().rstrip(".") in _NOT_NAMES or (w.isupper() and len(w) > 1) for w in words):
        return b
    stop = text.find("\n", b)
    line = text[text.rfind("\n", 0, a) + 1:stop if stop >= 0 else len(text)].split()
    if all(len(w) <= 3 for w in line if w[:1].islower()):
        return b  # a line in title case, lower case only for short words ("Trump Defends McMaster as ...")
    run = m.group(1)
    # A sentence's full stop is not part of the name; an initial's or a title's is ("Jr.").
    if run.endswith(".") and len(words[-1]) > 3:
        run = run[:-1]
    return b + len(run)


def _compatible(need: str, name: str, name_type: str, is_proper: bool, words: list[str]) -> bool:
    """Whether a named source (name, type, proper or not, lower-cased words) can be the
    antecedent of an anaphor that needs ``need`` (``org``, ``group`` or ``person``)."""
    if need == "org":
        return name_type in _MEDIA_TYPES or (is_proper and name_type != "other") or name_type == "official"
    if need == "group":
        return words[-1].endswith("s") or name_type in _MEDIA_TYPES or name_type == "official"
    # A person: a proper name that is not a media outlet or a place ("The leader" is not
    # "North Korea"), or a singular role phrase.
    return name_type not in _MEDIA_TYPES and name not in _places() and (is_proper or not words[-1].endswith("s"))


class SourceResolver:
    """Names the source phrases of one document, given in text order, and resolves each
    anaphor to the nearest earlier compatible named source (no further back than
    ``_RESOLVE_WINDOW`` sentences): resolution only ever looks back.

    Parameters
    ----------
    text : str
        The text the offsets index (one document, or several joined).
    base : int
        Where the document starts in ``text``; taken off the offsets it returns.
    """

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base
        # Named sources seen so far: offsets, sentence, name shown, name of the span, type,
        # is proper, words.
        self.history: list[tuple[tuple[int, int], int, str, str, str, bool, list[str]]] = []

    def describe(self, a: int, b: int, si: int) -> tuple[str | None, str, bool, tuple[int, int] | None]:
        """(name, type, resolved, offsets resolved from) of the source ``text[a:b]`` in
        sentence ``si``; a named source is remembered as a later anaphor's antecedent."""
        words, need, name, stype, proper = _phrase_info(self.text[a:b])
        if need is None:
            end = _name_end(self.text, a, b)
            # A name cut short reads on; the type, and what an anaphor may resolve to, stay
            # the span's: the sentence model's features are made of them.
            shown = (_phrase_info(self.text[a:end])[2] if end > b else None) or name
            self.history.append(((a, b), si, shown or "", name or "", stype, proper, words))
            return shown, stype, False, None
        # Resolve to the nearest earlier compatible named source, if close enough.
        for (ha, hb), hsi, shown, hname, htype, hproper, hwords in reversed(self.history):
            if si - hsi > _RESOLVE_WINDOW:
                break
            if hb <= a and _compatible(need, hname, htype, hproper, hwords):
                return shown, htype, True, (ha - self.base, hb - self.base)
        return None, stype if stype != "other" else "pronoun", False, None
