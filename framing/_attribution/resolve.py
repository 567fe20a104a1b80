"""Resolving a pronoun or definite description ("he", "the agency") to the nearest
earlier compatible named source of the same document."""

from __future__ import annotations

from .names import _MEDIA_TYPES, _phrase_info, _places

__all__ = ["SourceResolver", "_compatible"]

_RESOLVE_WINDOW = 6  # sentences: beyond this a pronoun is not resolved (too unreliable)


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
        # Named sources seen so far: offsets, sentence, name, type, is proper, words.
        self.history: list[tuple[tuple[int, int], int, str, str, bool, list[str]]] = []

    def describe(self, a: int, b: int, si: int) -> tuple[str | None, str, bool, tuple[int, int] | None]:
        """(name, type, resolved, offsets resolved from) of the source ``text[a:b]`` in
        sentence ``si``; a named source is remembered as a later anaphor's antecedent."""
        words, need, name, stype, proper = _phrase_info(self.text[a:b])
        if need is None:
            self.history.append(((a, b), si, name or "", stype, proper, words))
            return name, stype, False, None
        # Resolve to the nearest earlier compatible named source, if close enough.
        for (ha, hb), hsi, hname, htype, hproper, hwords in reversed(self.history):
            if si - hsi > _RESOLVE_WINDOW:
                break
            if hb <= a and _compatible(need, hname, htype, hproper, hwords):
                return hname, htype, True, (ha - self.base, hb - self.base)
        return None, stype if stype != "other" else "pronoun", False, None
