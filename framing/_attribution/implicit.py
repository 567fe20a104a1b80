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
  is the sentence's subject when that is a source of the label's type (officials for
  ``official_claim``, state media for ``state_media_quote``, analysts for
  ``analyst_assessment``), found with the lexicons among the sentence's first words and
  widened to its name ("Republican Rep. Mark Meadows"): ``mode="act"``, no cue, no
  stance. A mention inside quotation marks, or after a preposition ("sanctions on the
  ministry"), is not a subject; nor is anything in a sentence that opens with or inside a
  quotation, whose voice is its speaker's.

An act's subject is taken before a continued voice. A check by two readers of 60 act
sources on dev articles found about half wrong when any mention of the type counted (most
were a state or body named inside someone's quotation, or the object of the verb); this
is why only subjects outside quotations count.
"""

from __future__ import annotations

import functools

from .._lexicons import load_lexicons, token_spans
from .names import _name_and_type

__all__ = ["WANTED_TYPES", "act_source", "leaves_quote_open", "typed_cue"]

WANTED_TYPES: dict[str, str] = {"official_claim": "official", "state_media_quote": "state_media",
                                "analyst_assessment": "analyst"}
SUBJECT_TOKENS = 6  # a mention starting this early is the sentence's subject
_QUOTES = frozenset('"“”«»')
_OPENING_QUOTES = frozenset('"“«‘\'')
_PREPOSITIONS = frozenset({"to", "of", "with", "by", "for", "from", "against", "on", "at", "in", "about", "toward",
                           "towards", "than", "into", "over", "under", "between", "among", "without", "like", "as",
                           "'s", "and", "or"})
# Words that may stand between a source and its cue ("Putin has repeatedly said").
_BRIDGE = frozenset({"has", "have", "had", "was", "were", "is", "are", "also", "again", "repeatedly", "later",
                     "previously", "recently", "now", "already", "then", "publicly", "once"})
_MODIFIERS = frozenset({"senior", "top", "former", "military", "intelligence", "defense", "defence", "foreign",
                        "state", "government", "administration", "security", "federal", "local", "chief",
                        "deputy", "acting", "regional", "provincial", "national", "party", "agency",
                        "ministry", "department"})


@functools.lru_cache(maxsize=256)
def _read(sentence: str) -> tuple[list[str], list[tuple[int, int]], list[str], list[tuple[int, int, str]]]:
    """Tokens, their offsets, lower-cased tokens and lexicon matches of a sentence (the two
    readers below often read the same sentence one after the other; callers do not mutate)."""
    tokens, spans = token_spans(sentence)
    lowered = [t.lower() for t in tokens]
    return tokens, spans, lowered, load_lexicons().find(tokens, lowered)


def act_source(text: str, sentence: tuple[int, int], label: str, *, opens_in_quote: bool = False
               ) -> tuple[tuple[int, int], str | None, str] | None:
    """The subject of an act told as a fact, when it is a source of the label's type.

    Parameters
    ----------
    text : str
        The document text.
    sentence : (int, int)
        The sentence's offsets.
    label : str
        The sentence's label; the mention must be of its source type.
    opens_in_quote : bool
        The sentence starts inside a quotation left open by the sentence before.

    Returns
    -------
    ((int, int), str or None, str) or None
        The mention's document offsets, its name and its source type.
    """
    want = WANTED_TYPES.get(label)
    if want is None:
        return None
    s0, s1 = sentence
    tokens, spans, lowered, matches = _read(text[s0:s1])
    if opens_in_quote or not tokens or tokens[0] in _OPENING_QUOTES:
        return None
    for lo, hi, kind in matches:
        if lo >= SUBJECT_TOKENS:
            return None
        if kind != want or sum(t in _QUOTES for t in tokens[:lo]) % 2:
            continue
        lo, hi = _widen(tokens, lowered, lo, hi)
        if lo > 0 and lowered[lo - 1] in _PREPOSITIONS:
            continue
        start, end = s0 + spans[lo][0], s0 + spans[hi - 1][1]
        name, _stype, _proper = _name_and_type(text[start:end])
        return (start, end), name, want
    return None


def _widen(tokens: list[str], lowered: list[str], lo: int, hi: int) -> tuple[int, int]:
    """A lexicon mention widened to the whole name: capitalised words and role modifiers
    before it, a capitalised name after it ("Republican Rep. Mark Meadows"), and "the"."""
    while lo > 0 and tokens[lo - 1][:1].isalpha() and (tokens[lo - 1][:1].isupper() or lowered[lo - 1] in _MODIFIERS):
        lo -= 1
    while hi < len(tokens) and tokens[hi][:1].isupper() and tokens[hi][:1].isalpha():
        hi += 1
    if lo > 0 and lowered[lo - 1] == "the":
        lo -= 1
    return lo, hi


def typed_cue(text: str, sentence: tuple[int, int], label: str
              ) -> tuple[tuple[int, int], tuple[int, int], str | None, str] | None:
    """An attribution read from the lexicons: a source of the label's type right before a
    cue ("state media claimed", "Putin has repeatedly said") or right after a cue ending in
    "by" ("quoted by the Korean Central News Agency").

    For a sentence whose label the tagger's attributions do not match ("X confirmed it,
    when state media claimed ..." labelled state media, with only "X confirmed" tagged),
    or whose tagged source runs past the name into the next clause.

    Returns
    -------
    ((int, int), (int, int), str or None, str) or None
        Cue and source document offsets, the source's name and type.
    """
    want = WANTED_TYPES.get(label)
    if want is None:
        return None
    s0, s1 = sentence
    tokens, spans, lowered, matches = _read(text[s0:s1])
    for k, (lo, hi, kind) in enumerate(matches):
        if kind != want or sum(t in _QUOTES for t in tokens[:lo]) % 2:
            continue
        cue = None
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        prev = matches[k - 1] if k else None
        # "Kim's remarks suggested", "the ministry's statement said": the owner speaks.
        noun = int(lowered[hi - 1].endswith("'s") and hi < len(tokens) and tokens[hi].isalpha()
                   and tokens[hi].islower())
        if nxt is not None and nxt[2] == "cue" and nxt[0] - hi - noun <= 2 and \
                all(w in _BRIDGE for w in lowered[hi + noun:nxt[0]]):
            hi += noun
            cue = (hi if hi < nxt[0] and lowered[hi] in _BRIDGE else nxt[0], nxt[1])
        elif prev is not None and prev[2] == "cue" and lowered[prev[1] - 1] == "by" and \
                all(w == "the" for w in lowered[prev[1]:lo]):
            cue = (prev[0], prev[1])
        if cue is None:
            continue
        lo, hi = _widen(tokens, lowered, lo, hi)
        start, end = s0 + spans[lo][0], s0 + spans[hi - 1][1]
        name, _stype, _proper = _name_and_type(text[start:end])
        return (s0 + spans[cue[0]][0], s0 + spans[cue[1] - 1][1]), (start, end), name, want
    return None


def leaves_quote_open(sentence: str) -> bool:
    """Whether a sentence opens a quotation it does not close (the next one starts inside)."""
    return sentence.count('"') % 2 == 1 or sentence.count("“") > sentence.count("”")
