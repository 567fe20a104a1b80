"""Sources of attributed sentences that carry no cue of their own.

The tagger finds attributions by their cues ("said", "according to"). A sentence the
model labels as an attributed voice can lack one in two common ways, and this step
names its source anyway:

- **continued**: the sentence goes on in the previous sentence's voice (same label, no
  cue: a quotation running on, a list of points a speaker made). It keeps that source:
  ``mode="continued"``, no cue and no source span of its own, ``resolved_from`` pointing
  at the source mention it continues, and the stance of that attribution.
- **act**: an official act or a state-media report told as a fact ("The US has lifted
  an order ...", "The footage, broadcast by state television KRT, shows ..."). Its source
  is the mention of a source of the label's type (officials for ``official_claim``,
  state media for ``state_media_quote``, analysts for ``analyst_assessment``), found with
  the lexicons and widened to its name ("Republican Rep. Mark Meadows"): ``mode="act"``,
  no cue, no stance.

A mention opening the sentence (within its first words) is taken before a continued
voice, and a continued voice before a mention further on.
"""

from __future__ import annotations

from .._lexicons import load_lexicons, token_spans
from .names import _name_and_type

__all__ = ["WANTED_TYPES", "act_source"]

WANTED_TYPES: dict[str, str] = {"official_claim": "official", "state_media_quote": "state_media",
                                "analyst_assessment": "analyst"}
SUBJECT_TOKENS = 6  # a mention starting this early is the sentence's subject
_MODIFIERS = frozenset({"senior", "top", "former", "military", "intelligence", "defense", "defence", "foreign",
                        "state", "government", "administration", "security", "federal", "local", "chief",
                        "deputy", "acting", "regional", "provincial", "national", "party", "agency",
                        "ministry", "department"})


def act_source(text: str, sentence: tuple[int, int], label: str, *, subject_only: bool
               ) -> tuple[tuple[int, int], str | None, str] | None:
    """The source mention of an act told as a fact, or None.

    Parameters
    ----------
    text : str
        The document text.
    sentence : (int, int)
        The sentence's offsets.
    label : str
        The sentence's label; the mention must be of its source type.
    subject_only : bool
        Only a mention starting within the sentence's first words.

    Returns
    -------
    ((int, int), str or None, str) or None
        The mention's document offsets, its name and its source type.
    """
    want = WANTED_TYPES.get(label)
    if want is None:
        return None
    s0, s1 = sentence
    tokens, spans = token_spans(text[s0:s1])
    lowered = [t.lower() for t in tokens]
    for lo, hi, kind in load_lexicons().find(tokens, lowered):
        if kind != want:
            continue
        if subject_only and lo >= SUBJECT_TOKENS:
            return None
        # Widen to the whole name: capitalised words and role modifiers before it,
        # a capitalised name after it ("Republican Rep. Mark Meadows").
        while lo > 0 and tokens[lo - 1][:1].isalpha() and (tokens[lo - 1][:1].isupper()
                                                            or lowered[lo - 1] in _MODIFIERS):
            lo -= 1
        while hi < len(tokens) and tokens[hi][:1].isupper() and tokens[hi][:1].isalpha():
            hi += 1
        if lo > 0 and lowered[lo - 1] == "the":
            lo -= 1
        start, end = s0 + spans[lo][0], s0 + spans[hi - 1][1]
        name, _stype, _proper = _name_and_type(text[start:end])
        return (start, end), name, want
    return None
