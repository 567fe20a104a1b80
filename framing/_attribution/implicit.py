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

A cue the tagger found no source for may have its speaker right after it, the verb
before the subject ("..., adds Ms. Dalton."): :func:`speaker_after` reads the name there.

An act's subject is taken before a continued voice. A check by two readers of 60 act
sources on dev articles found about half wrong when any mention of the type counted (most
were a state or body named inside someone's quotation, or the object of the verb); this
is why only subjects outside quotations count.
"""

from __future__ import annotations

import bisect
import functools
from typing import TYPE_CHECKING

from .._lexicons import piece_spans, token_spans
from .names import _DEMONYM, _MEDIA_HEADS, _ROLE_WORDS, _TITLE_WORDS, _name_and_type, _particle

if TYPE_CHECKING:  # the features import this package: the types only, for annotations
    from .._features import Attribution as PatternAttribution
    from .._features import Reading

__all__ = ["WANTED_TYPES", "SentenceRead", "act_source", "channel_in", "pattern_source", "speaker_after",
           "typed_cue"]

WANTED_TYPES: dict[str, str] = {"official_claim": "official", "state_media_quote": "state_media",
                                "analyst_assessment": "analyst"}
SUBJECT_TOKENS = 6  # a mention starting this early is the sentence's subject
_FRONTED_TOKENS = 12  # a comma this early may close a fronted phrase before the subject
_CLAUSE_OPENERS = frozenset({"which", "who", "whom", "whose", "that", "as", "and", "but", "or", "when", "while",
                             "where", "if", "because", "although", "though"})
_FRONTING = frozenset({"after", "before", "when", "while", "as", "since", "in", "on", "at", "during", "following",
                       "despite", "although", "though", "if", "because", "with", "amid", "unlike", "like", "for",
                       "by", "from", "under", "until", "once", "without", "whereas", "earlier", "later"})
_OPENING_QUOTES = frozenset('"“«‘\'')
_PREPOSITIONS = frozenset({"to", "of", "with", "by", "for", "from", "against", "on", "at", "in", "about", "toward",
                           "towards", "than", "into", "over", "under", "between", "among", "without", "like", "as",
                           "'s", "and", "or"})
# A cue ending in one of these hands the words to the state outlet after it ("told RT",
# "in an interview with state television"): the channel carries them (TAXONOMY).
_CHANNEL_ENDS = frozenset({"told", "to", "with"})
# A cue ending in one of these hands the words on to the source after it, of any type
# ("quoted by", "citing the state news agency MENA").
_HANDS_ON = frozenset({"by", "citing", "quoting"})
# A word right after a cue that hands the words on as the cue's last word would ("was
# quoted as saying by", "said in an interview with").
_HAND_AFTER = frozenset({"by", "with", "to"})
# A verb before its subject follows what was said ("..., said Smith", "“...,” adds Lee"):
# the words after a transitive verb elsewhere are its object ("accused Iran of").
_INVERTS_AFTER = frozenset({",", '"', "”", "’", "'", "—", "–"})
# What may follow a speaker's name after the verb: punctuation, or where the speaker is
# from or who they are ("said analyst Kim Jae-won at the institute", "said Smith, who").
_AFTER_SPEAKER = frozenset({",", ".", ";", "—", "–", "at", "of", "from", "in", "on", "who"})
_ROLE_LEAD = 3  # lower-case words at most before the name, the last a role noun ("law professor")
# Words that may stand between a source and its cue ("Putin has repeatedly said").
_BRIDGE = frozenset({"has", "have", "had", "was", "were", "is", "are", "also", "again", "repeatedly", "later",
                     "previously", "recently", "now", "already", "then", "publicly", "once"})
_POSSESSIVES = frozenset({"its", "their", "his", "her", "our"})
# How an outlet's owner describes it ("Iran's semi-official Fars news agency").
_STATE_WORDS = frozenset({"state", "state-run", "official", "semi-official", "government-run"})


def _determiner(words: list[str]) -> bool:
    """Words between a cue ending in "by" and its source: none, "the", a possessive
    ("broadcast by the country's state television", "quoted by its news agency"), a word
    saying whose the outlet is ("quoted by the official KCNA")."""
    return len(words) <= 3 and all(w == "the" or w in _POSSESSIVES or w in _STATE_WORDS or
                                   w.endswith(("'s", "’s")) for w in words)


_MODIFIERS = frozenset({"senior", "top", "former", "military", "intelligence", "defense", "defence", "foreign",
                        "state", "government", "administration", "security", "federal", "local", "chief",
                        "deputy", "acting", "regional", "provincial", "national", "party", "agency",
                        "ministry", "department"})


class SentenceRead:
    """A sentence as the lexicons read it: the feature step's :class:`~framing._features.Reading`
    (tokens, lower-cased tokens, lexicon matches, quotation flags; one reading, so quotation
    marks are understood the same way by the features and here), with what the naming
    needs worked out when first asked for: token offsets, where cues start, and whether
    the sentence is set in capitals like a headline ("North Korea Rules Out Talks")."""

    def __init__(self, sentence: str, reading: Reading) -> None:
        self._sentence = sentence
        self.tokens, self.lowered, self.matches, self.quoted = reading[:4]
        self._pieces = reading.pieces

    @functools.cached_property
    def cue_starts(self) -> frozenset[int]:
        """Token indices where a lexicon cue starts."""
        return frozenset(lo for lo, _hi, kind in self.matches if kind == "cue")

    @functools.cached_property
    def headline(self) -> bool:
        """Whether most words are capitalised, as in a headline."""
        words = [t for t in self.tokens if t[:1].isalpha()]
        return len(words) >= 3 and sum(t[:1].isupper() for t in words) > 0.6 * len(words)

    @functools.cached_property
    def spans(self) -> list[tuple[int, int]]:
        """Character offsets of the tokens in the sentence."""
        # The pieces tile the sentence (joined, they are it, less trailing white space), and
        # they are the tokens, each with the white space before it.
        pieces = self._pieces
        if pieces is not None and "".join(pieces) == self._sentence.replace("’", "'").rstrip() \
                and list(map(str.lstrip, pieces)) == self.tokens:
            return piece_spans(self.tokens, pieces)
        tokens, spans = token_spans(self._sentence)
        if tokens != self.tokens:
            raise ValueError("reading does not belong to this sentence")
        return spans


def act_source(text: str, sentence: tuple[int, int], label: str, *, read: SentenceRead, opens_in_quote: bool = False
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
        The sentence starts inside a quotation left open before it.
    read : SentenceRead
        The sentence as the lexicons read it.

    Returns
    -------
    ((int, int), str or None, str) or None
        The mention's document offsets, its name and its source type.
    """
    want = WANTED_TYPES.get(label)
    if want is None:
        return None
    s0 = sentence[0]
    r = read
    if opens_in_quote or not r.tokens or r.tokens[0] in _OPENING_QUOTES:
        return None
    # After a fronted phrase ("The day after the summit, North Korean state media ..."),
    # the subject opens the main clause: right after the phrase's comma.
    # A phrase opened by a preposition or a conjunction ("After the ministry spoke, ...")
    # does not hold the subject either.
    comma = next((k for k in range(min(len(r.tokens), _FRONTED_TOKENS)) if r.tokens[k] == ","), None)
    first = 1 if r.lowered[0] in {"but", "and", "yet", "so"} and len(r.tokens) > 1 else 0
    fronting = comma is not None and r.lowered[first] in _FRONTING
    for lo, hi, kind in r.matches:
        if comma is not None and lo < comma and (fronting or lo >= SUBJECT_TOKENS):
            continue  # inside the fronted phrase: the subject may follow it
        # Right after the comma, unless a clause opens there ("The launch, which the
        # Pentagon had predicted, ...").
        opens_main = comma is not None and comma < lo <= comma + 3 and \
            not any(w in _CLAUSE_OPENERS for w in r.lowered[comma + 1:lo])
        if lo >= SUBJECT_TOKENS and not opens_main:
            return None
        if kind != want or r.quoted[lo]:
            continue
        lo, hi = _widen(r, lo, hi, 0, len(r.tokens))
        if lo > 0 and r.lowered[lo - 1] in _PREPOSITIONS:
            continue
        span, name, _stype, _proper = _mention(text, r, s0, lo, hi)
        return span, name, want
    return None


def channel_in(text: str, sentence: tuple[int, int], *, read: SentenceRead
               ) -> tuple[tuple[int, int], str | None, str] | None:
    """The state outlet a sentence labelled state media names outside quotation marks,
    where no cue and no subject gave it a source ("Kim is usually a one-man show in state
    media", "Mr Medvedev made his announcement on state television"): the channel wins
    (TAXONOMY), wherever the sentence names it. Widened to its name ("the state news
    wire MTI"); not a description that points back ("the state-run paper"), for which
    the outlet named before is carried on.

    Returns
    -------
    ((int, int), str or None, str) or None
        The mention's document offsets, its name and ``"state_media"``.
    """
    r, s0 = read, sentence[0]
    for lo, hi, kind in r.matches:
        if kind != "state_media" or r.quoted[lo]:
            continue
        lo, hi = _widen(r, lo, hi, 0, len(r.tokens))
        hi = _outlet_name(r, hi, len(r.tokens))
        if r.lowered[lo] == "the" and all(t.islower() for t in r.tokens[lo:hi] if t[:1].isalpha()):
            continue  # "the state-run paper" points back: the outlet named before is carried on
        span, name, _stype, _proper = _mention(text, r, s0, lo, hi)
        return span, name, "state_media"
    return None


def speaker_after(text: str, sentence: tuple[int, int], cue: tuple[int, int], *, read: SentenceRead
                  ) -> tuple[tuple[int, int], str | None, str] | None:
    """The speaker named right after a cue that has no source of its own, the verb before
    the subject after what was said ("..., adds Ms. Dalton.", "“...,” writes law professor
    Ann Lee.", "..., said analyst Kim Jae-won at the institute"): up to three lower-case
    words ending in a role noun, then a capitalised name outside quotation marks and not
    an owner ("said Lee's lawyer"), followed by punctuation or by at/of/from/in/on/who
    ("..., said North Korea had ..." names nobody). Not after a participle ("...,
    condemning Syria.") or a cue ending in "told", "to" or "with": the name there is who
    was spoken to or of.

    Returns
    -------
    ((int, int), str or None, str) or None
        The mention's document offsets (the role words included), its name and type.
    """
    r, s0 = read, sentence[0]
    tokens, lowered, n = r.tokens, r.lowered, len(r.tokens)
    starts = [a for a, _b in r.spans]
    c0 = bisect.bisect_left(starts, cue[0] - s0)
    k = bisect.bisect_left(starts, cue[1] - s0)  # the first token after the cue
    if r.headline or c0 == 0 or tokens[c0 - 1] not in _INVERTS_AFTER or k >= n or \
            lowered[k - 1].endswith("ing") or lowered[k - 1] in _CHANNEL_ENDS:
        return None
    j = k
    while j < n and j - k < _ROLE_LEAD and tokens[j].isalpha() and tokens[j].islower():
        j += 1
    if (j > k and lowered[j - 1] not in _ROLE_WORDS) or j == n or not tokens[j][:1].isupper() or r.quoted[j]:
        return None
    e = _speaker_end(tokens, lowered, j)
    if e == n or lowered[e] not in _AFTER_SPEAKER or lowered[e - 1].endswith(("'s", "’s")):
        return None
    span, name, stype, proper = _mention(text, r, s0, k, e)
    return (span, name, stype) if proper and name else None


_OPENERS = frozenset({"the", "a", "an", "former", "retired", "ex", "late"})


def pattern_source(text: str, sentence: tuple[int, int], label: str, att: PatternAttribution | None, *,
                   read: SentenceRead) -> tuple[tuple[int, int], tuple[int, int], str, str] | None:
    """The attribution the feature step's patterns found (:func:`framing._features.find_attribution`:
    the subject before a lexicon cue, or the speaker after it), for a sentence in which the
    tagger found no speaker ("Harrison clarified, however, that ...", "“...,” hinted
    Sanders.", "“...,” says Heather Conley, director of ..."). Only a proper name counts,
    in a phrase that opens on it, on its title or on a determiner: a pronoun or a common
    phrase would need resolving, which the tagger's step does, and the patterns' phrase
    may run back into another clause.

    Returns
    -------
    ((int, int), (int, int), str, str) or None
        Cue and source document offsets, the source's name and type.
    """
    if att is None or read.headline:
        return None
    lo, hi = att.source_span
    cs, ce = att.cue_span
    # A participle ("..., accusing", "noting") is no speaker's verb; the phrase must open
    # on its name, a role noun or a determiner, not on words of another clause ("to answer
    # critics by").
    if lo >= hi or read.quoted[lo] or read.quoted[cs] or read.lowered[ce - 1].endswith("ing") or \
            not (read.tokens[lo][:1].isupper() or read.lowered[lo] in _OPENERS or read.lowered[lo] in _ROLE_WORDS):
        return None
    if lo >= ce and read.tokens[lo][:1].isupper():
        hi = max(hi, _speaker_end(read.tokens, read.lowered, lo))  # "says Prof. Ye": over a title's stop
    s0 = sentence[0]
    span, name, stype, proper = _mention(text, read, s0, lo, hi)
    # A sentence's capital may be all that makes a common noun look proper ("Crime profiling
    # shows", "Pilots agree"): a lone word opening the sentence must be named mid-sentence before.
    if not name or not proper or (lo == 0 and hi - lo > 1 and read.tokens[1][:1].islower()) or (
            lo == 0 and hi == 1 and stype == "other" and not _named_mid_sentence(text, s0, read.tokens[0])):
        return None
    return (s0 + read.spans[cs][0], s0 + read.spans[ce - 1][1]), span, name, stype


_NAMED_WITHIN = 5000  # characters before the sentence: a bound on the cost in a long document
_ENDS_SENTENCE = frozenset('.!?"“”‘\'')


def _named_mid_sentence(text: str, before: int, word: str) -> bool:
    """Whether ``word`` stands capitalised inside a sentence in the :data:`_NAMED_WITHIN`
    characters before ``before``: after a word or a comma and a space, not after a full
    stop or an opening quotation mark. (``str.find`` over the window: most such words
    are new to the article, and one look settles it.)"""
    lo = max(0, before - _NAMED_WITHIN)
    at = text.find(word, lo, before)
    while at >= 0:
        end = at + len(word)
        k = at - 1
        while k >= lo and text[k].isspace():
            k -= 1
        if (end >= len(text) or not (text[end].isalnum() or text[end] == "_")) and lo <= k < at - 1 and \
                text[k] not in _ENDS_SENTENCE:
            return True
        at = text.find(word, at + 1, before)
    return False


def _speaker_end(tokens: list[str], lowered: list[str], j: int) -> int:
    """Where the capitalised name starting at ``j`` ends: it runs on over a title's or an
    initial's full stop ("Ms. Dalton", "John F. Kelly"), a particle ("Hans von Spakovsky")
    and the "of" or "for" of a title ("Secretary of State Ann Lee"), not over the "of"
    after a name ("Dr. Ann Lee of the Baltic Institute")."""
    e = j + 1
    while e < len(tokens) and (tokens[e][:1].isupper() or _particle(tokens, lowered, e) or (
            e + 1 < len(tokens) and tokens[e + 1][:1].isupper() and (
                (tokens[e] == "." and (lowered[e - 1] in _TITLE_WORDS or len(tokens[e - 1]) == 1)) or
                (lowered[e] in ("of", "for") and lowered[e - 1] in _TITLE_WORDS)))):
        e += 1
    return e


def _mention(text: str, r: SentenceRead, s0: int, lo: int, hi: int
             ) -> tuple[tuple[int, int], str | None, str, bool]:
    """Tokens ``[lo, hi)`` of the sentence starting at ``s0`` as a mention: document
    offsets, then its name, type and whether it is a proper name (:func:`_name_and_type`)."""
    start, end = s0 + r.spans[lo][0], s0 + r.spans[hi - 1][1]
    return (start, end), *_name_and_type(text[start:end])


def _widen(r: SentenceRead, lo: int, hi: int, floor: int, ceiling: int) -> tuple[int, int]:
    """A lexicon mention widened to the whole name within ``[floor, ceiling)``: role
    modifiers and capitalised words before it, a capitalised name after it ("Republican
    Rep. Mark Meadows"), and "the". Never over a cue, and over capitals only when the
    sentence is not set in capitals like a headline."""
    tokens, lowered = r.tokens, r.lowered
    caps = not r.headline
    while lo > floor and tokens[lo - 1][:1].isalpha() and lo - 1 not in r.cue_starts and (
            (caps and tokens[lo - 1][:1].isupper()) or lowered[lo - 1] in _MODIFIERS):
        lo -= 1
    while caps and hi < ceiling and tokens[hi][:1].isupper() and tokens[hi][:1].isalpha() and \
            hi not in r.cue_starts:
        hi += 1
    if lo > floor and lowered[lo - 1] == "the":
        lo -= 1
    return lo, hi


def typed_cue(text: str, sentence: tuple[int, int], label: str, *, read: SentenceRead
              ) -> tuple[tuple[int, int], tuple[int, int], str | None, str] | None:
    """An attribution read from the lexicons: a source of the label's type right before a
    cue ("state media claimed", "Putin has repeatedly said") or right after a cue ending in
    "by" ("quoted by the Korean Central News Agency"); for state media also after "told"
    or "with" ("Smirnov told RT": the channel carries the words).

    For a sentence whose label the tagger's attributions do not match ("X confirmed it,
    when state media claimed ..." labelled state media, with only "X confirmed" tagged),
    or whose tagged source runs past the name into the next clause. Linear in the
    sentence's length.

    Returns
    -------
    ((int, int), (int, int), str or None, str) or None
        Cue and source document offsets, the source's name and type.
    """
    want = WANTED_TYPES.get(label)
    if want is None:
        return None
    s0 = sentence[0]
    r = read
    tokens, lowered, matches = r.tokens, r.lowered, r.matches
    for k, (lo, hi, kind) in enumerate(matches):
        if kind != want or r.quoted[lo]:
            continue
        cue = None
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        p, owners = _past_owners(lowered, matches, k)
        prev = matches[p] if p >= 0 else None
        # "Kim's remarks suggested", "the ministry's statement said": the owner speaks.
        noun = int(lowered[hi - 1].endswith("'s") and hi < len(tokens) and tokens[hi].isalpha()
                   and tokens[hi].islower())
        if nxt is not None and nxt[2] == "cue" and nxt[0] - hi - noun <= 2 and \
                all(w in _BRIDGE for w in lowered[hi + noun:nxt[0]]):
            hi += noun
            cue = (hi if hi < nxt[0] and lowered[hi] in _BRIDGE else nxt[0], nxt[1])
            floor, ceiling = 0, cue[0]
        elif prev is not None and prev[2] == "cue" and (hand := _handed(tokens, lowered, prev, lo, owners)) and (
                hand[0] in _HANDS_ON or (want == "state_media" and hand[0] in _CHANNEL_ENDS)):
            cue = (prev[0], hand[1])
            floor, ceiling = cue[1], len(tokens)
        elif want == "state_media" and (on := _channel_on(lowered, lo)) is not None:
            # "denounced him on state television": "on" hands the words to the channel, as
            # "told" does.
            cue = (on, on + 1)
            floor, ceiling = on + 1, len(tokens)
        if cue is None:
            continue
        lo, hi = _widen(r, lo, hi, floor, ceiling)
        hi = _outlet_name(r, hi, ceiling)
        span, name, _stype, _proper = _mention(text, r, s0, lo, hi)
        return (s0 + r.spans[cue[0]][0], s0 + r.spans[cue[1] - 1][1]), span, name, want
    return None


def _handed(tokens: list[str], lowered: list[str], cue: tuple[int, int, str], lo: int, owners: set[int]
            ) -> tuple[str, int] | None:
    """The word that hands a cue's words on to the source at ``lo`` and where the cue ends
    with it: the cue's last word ("quoted by", "told"), or a "by"/"with"/"to" right after
    it ("was quoted as saying by", "said in an interview with"); None unless only
    determiner words stand between (owners and nationalities passed over: "told Iranian
    state media", "with the Russian state news agency")."""
    end = cue[1]
    if end < lo and lowered[end] in _HAND_AFTER:
        end += 1
    between = [w for t, w in enumerate(lowered[end:lo], end) if t not in owners and not _DEMONYM.fullmatch(tokens[t])]
    return (lowered[end - 1], end) if _determiner(between) else None


def _past_owners(lowered: list[str], matches: list[tuple[int, int, str]], k: int) -> tuple[int, set[int]]:
    """The match before ``matches[k]`` once the lexicon's owners and modifiers right before
    it are passed over ("told Russia's RIA Novosti", "released by North Korea's KCNA",
    "broadcast by the official KRT"), and the owners' tokens, which may stand between a
    cue and the outlet though they are no determiner words."""
    p, owners = k - 1, set()
    while p >= 0 and matches[p][2] != "cue" and matches[p][1] <= matches[k][0]:
        s, e, _kind = matches[p]
        if lowered[e - 1].endswith(("'s", "’s")):
            owners.update(range(s, e))
        elif not _determiner(lowered[s:e]):
            break
        p -= 1
    return p, owners


def _channel_on(lowered: list[str], lo: int) -> int | None:
    """The index of an "on" before the outlet at ``lo``, with only determiner words between
    ("on state television", "on the country's state TV"); else None."""
    for j in range(lo - 1, max(-1, lo - 5), -1):
        if lowered[j] == "on":
            return j if _determiner(lowered[j + 1:lo]) else None
    return None


def _outlet_name(r: SentenceRead, hi: int, ceiling: int) -> int:
    """Where an outlet's mention ending at ``hi`` ends when generic media words lead on to
    its capitalised name ("the state news wire MTI" is MTI), within ``ceiling``; else ``hi``."""
    h = hi
    while h < ceiling and r.lowered[h] in _MEDIA_HEADS:
        h += 1
    e = h
    while not r.headline and e < ceiling and r.tokens[e][:1].isupper() and r.tokens[e][:1].isalpha() and \
            e not in r.cue_starts:
        e += 1
    return e if h > hi and e > h and not r.quoted[h] else hi
