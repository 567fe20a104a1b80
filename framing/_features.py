"""Sentence features that carry who is speaking.

Each sentence becomes a list of feature strings in namespaces of their own:

``src:``
    The attribution's *source phrase* (the subject of a reporting verb, the object
    of "according to", the agent of "quoted by", the speaker after a closing quote)
    and its lexicon type (``src:T=state_media``): the decisive signal.
``cue:``
    The attribution cue ("said", "according to", "quoted by") and where it sits
    (sentence start, middle or end; inside or outside quotation marks).
``lex:``
    Lexicon types named anywhere in the sentence, outside the source phrase.
``q:``
    Quotation marks: opening, closing, share of the sentence inside quotes, a quote
    that continues from the previous sentence.
``ctx:``
    Document context: the source types of the previous and next sentences, the
    last named source (to resolve "he said", "the agency added"), the position.
``w:``
    Lower-cased content words (the topic; weakest signal, kept for recall).
``spk:``
    Who the speaker is, in the article's own words: the appositive or title next to the
    source phrase ("Leonid Petrov, a North Korea specialist at ...", "lawyer Mark
    Zaid"), and the description given the same person earlier in the article (a later
    "Petrov said" gets "specialist" back). Words, not types: the model learns which
    descriptions mark officials, analysts, companies, lawyers or witnesses.
``att:``
    The trained attribution tagger's view (:mod:`framing._attribution`): the source
    type of each tagged attribution (pronouns resolved), its source and cue words, the
    mode (direct, indirect, mixed) and a cue without a source. A second opinion next
    to the pattern-based ``src:``/``cue:`` features; computed only when asked for.

Extraction is pattern-based and stateless: nothing is fitted, so it runs the
same at training and scoring time. Cost: linear in the sentence's tokens, a few
dictionary look-ups per token.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ._lexicons import Lexicons, load_lexicons, piece_spans, token_pieces, tokenize

if TYPE_CHECKING:
    from ._attribution import SpanAttribution

__all__ = ["FEATURE_GROUPS", "Attribution", "Reading", "featurize", "find_attribution"]

FEATURE_GROUPS: tuple[str, ...] = ("src", "cue", "lex", "q", "ctx", "w", "att", "spk")
"""Feature namespaces, in the order they are documented (all on by default)."""

# Cues that put the source after them ("according to KCNA", "quoted by Xinhua").
_FORWARD_CUES = frozenset(
    {
        ("according", "to"), ("quoted", "by"), ("cited", "by"), ("reported", "by"), ("citing",), ("quoting",),
        ("broadcast", "by"), ("carried", "by"), ("published", "by"), ("released", "by"), ("aired", "by"),
        ("shown", "by"), ("quoted", "in"),
    }
)
_STOP_BACK = frozenset({",", ";", ":", '"', "“", "”", "'", "‘", "(", ")", "—", "–", "that", "which", "who",
                        "but", "while", "as", "when", "after", "because", "if", "since", "whom", "where"})
_STOP_FORWARD = frozenset({",", ";", ":", ".", "!", "?", '"', "“", "”", "(", ")", "—", "–", "that", "which", "who",
                           "on", "in", "as", "and", "but", "when", "after", "last", "earlier", "this"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "his", "her", "its", "their", "the agency",
                       "the report", "the statement", "the newspaper", "the broadcast", "the ministry", "the official",
                       "the spokesman", "the spokeswoman", "the analyst", "the expert"})
_QUOTES_OPEN = frozenset('"“‘«')
_DOUBLE_QUOTES = frozenset('"“”')
_QUOTE_MARK = re.compile(r'["“”‘’]')
_QUOTES_CLOSE = frozenset('"”’»')
_SOURCE_WINDOW = 7
_WIDE_WINDOW = 14
_SUBJECT_WINDOW = 6
_FORMER = frozenset({"former", "retired", "ex", "onetime", "erstwhile"})
_STOP_WIDE = frozenset({";", ":", '"', "“", "”", "(", ")", "that", "which", "—", "–", "but", "while", "because"})
_CAPITALISED_FUNCTION_WORDS = frozenset(
    "The A An In On At For But And Or If As It He She They We I This That These Those His Her Their Its "
    "According After Before When While Since Although Though Asked Still Yet So Then Now Also More Most "
    "Some Many Mr Mrs Ms Dr".split()
)
_IMPERSONAL = frozenset({"some", "many", "others", "few", "most"})
_SOURCE_TYPES = ("state_media", "official", "analyst", "independent_media", "nonstate")
_TYPE_PRIORITY = ("state_media", "analyst", "nonstate", "official", "independent_media")
# Cues whose object is the channel the words went through: "told state TV", "in an
# interview with TASS", "speaking to RIA Novosti".
_CHANNEL_CUES = frozenset({"told", "tells", "telling", "said in an interview with", "in an interview", "interview",
                           "speaking", "spoke", "wrote", "writing", "in a statement", "said in a statement"})


# Words that open a subordinate clause: an attribution right after one ("although Pyongyang
# said", "after Trump warned", "which the UN says") is not the sentence's main clause.
_SUBORDINATORS = frozenset({"although", "though", "while", "whereas", "after", "before", "as", "when", "since",
                            "because", "if", "unless", "until", "which", "whom", "whose", "who", "where"})


class Reading(NamedTuple):
    """How the lexicons read one sentence: its tokens, lower-cased tokens, lexicon matches
    ``(start, end, type)``, per-token flags for "inside a quotation", whether it starts
    inside a quotation opened before it, the attribution the patterns find in it
    (:func:`find_attribution`), if any, and the tokens each with the white space before it
    (their offsets, by :func:`~framing._lexicons.piece_spans`)."""

    tokens: list[str]
    lowered: list[str]
    matches: list[tuple[int, int, str]]
    quoted: list[bool]
    opens_in_quote: bool
    att: Attribution | None = None
    pieces: list[str] | None = None


@dataclass(frozen=True)
class Attribution:
    """The attribution found in one sentence (token offsets).

    ``source_span`` is the source phrase next to the cue; ``wide_span`` extends it over
    an appositive ("Smyth, a researcher at the University of Maryland, said").
    ``source_type`` is the lexicon type found in the source phrase (else in the wide
    span), or ``"pronoun"``, ``"other"`` (a source of unknown type) or ``"none"``.
    """

    cue: str
    cue_span: tuple[int, int]
    source_span: tuple[int, int]
    wide_span: tuple[int, int]
    source_type: str
    subordinate: bool = False


def _typed(matches: list[tuple[int, int, str]], lo: int, hi: int) -> str | None:
    """The source type named in ``[lo, hi)``: a state-media channel wins (TAXONOMY's
    "the channel wins"), then an analyst's role, then an official one; independent media
    only when nothing else is named ("Reuters quoted a senior Iraqi official" is official)."""
    found = {kind for s, e, kind in matches if s >= lo and e <= hi and kind in _SOURCE_TYPES}
    for kind in _TYPE_PRIORITY:
        if kind in found:
            return kind
    return None


def _source_type(matches: list[tuple[int, int, str]], lo: int, hi: int, lowered: list[str]) -> str:
    kind = _typed(matches, lo, hi)
    if kind is not None:
        return kind
    if hi > lo:
        words = lowered[lo:hi]
        if words[-1] in _IMPERSONAL and (len(words) == 1 or words[-2] in _IMPERSONAL):
            return "analyst"  # "some say", "many believe", "others argue": the guide's impersonal voice
        phrase = " ".join(words[-2:])
        if words[-1] in _PRONOUNS or phrase in _PRONOUNS or words[0] in _PRONOUNS:
            return "pronoun"
        return "other"
    return "none"


def find_attribution(tokens: list[str], lowered: list[str], matches: list[tuple[int, int, str]],
                     inq: Sequence[bool] | None = None) -> Attribution | None:
    """Find the main attribution of a sentence from its tokens and lexicon matches.

    Every cue gets a candidate source phrase; the first cue whose source has a
    known type wins, otherwise the first cue. Cues inside quotation marks (``inq``:
    per-token flags) are skipped when a cue outside them exists, and a cue right after
    a subordinating word ("although X said", "which the UN says") is used only when
    no main-clause cue exists.
    """
    best: Attribution | None = None
    demoted: Attribution | None = None
    n = len(tokens)
    # A cue inside a quotation is part of the quoted words; the attribution is outside.
    outside = inq is not None and any(kind == "cue" and not inq[s] for s, _e, kind in matches)
    for s, e, kind in matches:
        if kind != "cue" or (outside and inq[s]):
            continue
        key = tuple(lowered[s:e])
        cue = " ".join(key)
        if key in _FORWARD_CUES:
            lo = hi = e
            while hi < n and hi - lo < _SOURCE_WINDOW and lowered[hi] not in _STOP_FORWARD:
                hi += 1
            wlo, whi = lo, hi
            while whi < n and whi - wlo < _WIDE_WINDOW and lowered[whi] not in _STOP_WIDE:
                whi += 1
        else:
            lo = hi = s
            while lo > 0 and hi - lo < _SOURCE_WINDOW and lowered[lo - 1] not in _STOP_BACK:
                lo -= 1
            wlo, whi = lo, hi
            while wlo > 0 and whi - wlo < _WIDE_WINDOW and lowered[wlo - 1] not in _STOP_WIDE:
                wlo -= 1
            if lo == hi:
                appositive = _appositive_source(tokens, lowered, s)
                if appositive is not None:
                    # "Ege Seckin, an analyst at IHS, said ...": the source is the name
                    # before the appositive, and the appositive says who it is.
                    lo, hi, wlo, whi = appositive
                else:
                    # '"...," said KCNA.' / '..., said Smyth, an analyst at ...': the source
                    # follows the verb.
                    while hi < n and hi - e < _SOURCE_WINDOW and lowered[hi] not in _STOP_FORWARD:
                        hi += 1
                    lo = e if hi > e else lo
                    wlo, whi = lo, hi
                    while whi < n and whi - wlo < _WIDE_WINDOW and lowered[whi] not in _STOP_WIDE:
                        whi += 1
        stype = _source_type(matches, lo, hi, lowered)
        if cue in _CHANNEL_CUES or lowered[e : e + 1] in (["to"], ["with"]):
            channel = _typed(matches, e, min(n, e + _SOURCE_WINDOW))
            if channel == "state_media":
                stype = "state_media"
        if stype in ("other", "none"):
            wide = _typed(matches, wlo, whi)
            if wide is not None and not (wlo <= s < whi):
                stype = wide
        if stype == "official" and (_FORMER & set(lowered[wlo:whi]) or _served(lowered[wlo:whi])):
            stype = "analyst"  # former officials speaking out of office comment, they do not govern
        first = min(lo, s)  # the clause starts at the source phrase, or at a forward cue
        sub = first > 0 and lowered[first - 1] in _SUBORDINATORS
        found = Attribution(cue, (s, e), (lo, hi), (wlo, whi), stype, sub)
        if sub:  # kept only if no main-clause cue is found
            if demoted is None:
                demoted = found
            continue
        if best is None:
            best = found
        if found.source_type in _SOURCE_TYPES:
            return found
    return best if best is not None else demoted


def _appositive_source(
    tokens: list[str], lowered: list[str], cue: int
) -> tuple[int, int, int, int] | None:
    """``NAME , APPOSITIVE , cue``: return (name span, name+appositive span), else None."""
    if cue < 3 or tokens[cue - 1] != ",":
        return None
    if tokens[cue - 2] in _DOUBLE_QUOTES or tokens[cue - 2] in ("'", "’"):
        return None  # '"...," said X': an inversion, not an appositive
    j = cue - 2
    while j > 0 and cue - j < _WIDE_WINDOW and tokens[j] != "," and lowered[j] not in _STOP_WIDE:
        j -= 1
    if j <= 0 or tokens[j] != ",":
        return None
    lo = j
    while lo > 0 and j - lo < 5 and lowered[lo - 1] not in _STOP_BACK:
        lo -= 1
    if lo == j:
        return None
    return lo, j, lo, cue - 1


def _served(words: list[str]) -> bool:
    """"who was the State Department coordinator", "who served as ambassador": a past role."""
    return any(a == "who" and b in ("was", "served") for a, b in itertools.pairwise(words)) or "served" in words


def _name_runs(tokens: list[str]) -> list[tuple[int, int]]:
    """Runs of capitalised words ("Sergei Lavrov", "Michael Smyth")."""
    runs = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        if t[:1].isupper() and t[:1].isalpha() and t not in _CAPITALISED_FUNCTION_WORDS:
            j = i + 1
            while j < n and tokens[j][:1].isupper() and tokens[j][:1].isalpha():
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _learn_names(
    tokens: list[str], matches: list[tuple[int, int, str]], memory: dict[str, str],
    runs: list[tuple[int, int]] | None = None,
) -> None:
    """Remember the type of people named next to a role: "analyst Michael Smyth",
    "Smyth, a researcher at ...", "Lavrov, Russia's foreign minister"."""
    typed = [(s, e, kind) for s, e, kind in matches if kind in _SOURCE_TYPES]
    if not typed:
        return
    runs = _name_runs(tokens) if runs is None else runs
    # Runs are sorted and do not overlap: only those starting right after a match or
    # ending within four tokens before it can be next to it (found by bisection, so a
    # long sentence full of names costs n log n, not n squared), read in run order.
    starts = [rs for rs, _re in runs]
    ends = [re_ for _rs, re_ in runs]
    for s, e, kind in typed:
        near = sorted({*range(bisect.bisect_left(starts, e), bisect.bisect_right(starts, e + 1)),
                       *range(bisect.bisect_left(ends, s - 4), bisect.bisect_right(ends, s))})
        for k in near:
            rs, re_ = runs[k]
            if rs == s and re_ == e:
                continue  # the match itself ("Kim Jong Un")
            after = e <= rs <= e + 1
            before = re_ <= s and s - re_ <= 4 and "," in tokens[re_:s]
            if after or before:
                memory.setdefault(tokens[re_ - 1].removesuffix("'s"), kind)


# Words that open a description of the person just named: "Smyth, a researcher at ...",
# "Zaid, who represents ...", "Kim, the company's chief executive".
_DESC_OPENERS = frozenset({"a", "an", "the", "who", "whose", "his", "her", "its", "their", "former", "then", "now",
                           "one", "chief", "senior", "retired", "acting"})
_DESC_MAX = 12
# Words remembered per name: a name described again and again in one very long document
# stops collecting (bounded features and cost; ordinary articles stay far below this).
_DESC_CAP = 128


def _describe(tokens: list[str], lowered: list[str], memory: dict[str, frozenset[str]],
              runs: list[tuple[int, int]] | None = None) -> None:
    """Remember how people and bodies are described where they are named: the words of an
    appositive after the name, and lower-case title words right before it."""
    n = len(tokens)
    for rs, re_ in _name_runs(tokens) if runs is None else runs:
        key = tokens[re_ - 1].removesuffix("'s")
        words: list[str] = []
        if re_ + 1 < n and tokens[re_] == "," and lowered[re_ + 1] in _DESC_OPENERS:
            j = re_ + 1
            while j < n and j - re_ <= _DESC_MAX and tokens[j] not in {",", ";", ":", ")", "(", "—", "–", "."}:
                words.append(lowered[j])
                j += 1
        j = rs - 1
        while j >= 0 and rs - j <= 3 and tokens[j][:1].islower() and tokens[j].isalpha():
            words.append(lowered[j])
            j -= 1
        # Capitalised titles are part of the name run: "Foreign Minister Sergei Lavrov".
        words.extend(w for w in lowered[rs : re_ - 1] if w.isalpha())
        words = [w for w in words if w.isalpha() and len(w) > 2 and w not in _DESC_STOP]
        known = memory.get(key, frozenset())
        if words and len(known) < _DESC_CAP:
            memory[key] = known | frozenset(words)


_DESC_STOP = frozenset({"the", "and", "for", "who", "whose", "his", "her", "its", "their", "has", "had", "was", "were",
                        "said", "says", "told", "with", "from", "that", "this", "also", "about"})


def _speaker_features(p: _Parsed, descriptions: dict[str, frozenset[str]]) -> list[str]:
    att = p.att
    if att is None:
        return []
    lo, hi = att.source_span
    wlo, whi = att.wide_span
    feats = [f"spk:app={w}" for i, w in enumerate(p.lowered[wlo:whi], wlo)
             if not lo <= i < hi and w.isalpha() and len(w) > 2 and w not in _DESC_STOP]
    for t in reversed(p.tokens[lo:hi]):
        known = descriptions.get(t.removesuffix("'s"))
        if known:
            feats.extend(f"spk:desc={w}" for w in sorted(known))
            break
    return feats


def _bucket(x: float) -> str:
    return "0" if x <= 0 else "lo" if x < 0.34 else "mid" if x < 0.67 else "hi"


@dataclass
class _Parsed:
    tokens: list[str]
    lowered: list[str]
    matches: list[tuple[int, int, str]]
    att: Attribution | None
    quote_feats: list[str]
    ends_open: bool
    inq: list[bool]
    pieces: list[str]  # the tokens with the white space before each (offsets: piece_spans)
    eff_type: str = "nocue"
    voice: str = "nocue"  # the speaker whose quotation this sentence carries on (or its own source)


def _straight_opens(text: str, i: int, depth: bool) -> bool:
    """Whether the straight double quote at ``text[i]`` opens a quotation: one after a space
    (or at the start) and before a word opens, one after a word or punctuation and before a
    space (or at the end) closes; otherwise it toggles."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-") and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return False
    return not depth


def _quote_features(text: str, open_quote: bool) -> tuple[list[str], bool, list[tuple[int, int]]]:
    """Quotation features; straight double quotes open or close by the characters around
    them, curly ones open and close, and a right single quote closes only an open left
    single quote (else it is an apostrophe). Also returns the quoted character ranges."""
    feats = []
    depth_double = open_quote
    depth_single = False
    inside = 0
    last = 0
    n_marks = 0
    ranges: list[tuple[int, int]] = []
    start = -1  # where the current quotation opened (-1: before this sentence)
    for m in _QUOTE_MARK.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "’" and not depth_single:
            continue
        n_marks += 1
        was_in = depth_double or depth_single
        if was_in:
            inside += i - last
        if ch == '"':
            depth_double = _straight_opens(text, i, depth_double)
        elif ch == "“":
            depth_double = True
        elif ch == "”":
            depth_double = False
        elif ch == "‘":
            depth_single = True
        else:
            depth_single = False
        now_in = depth_double or depth_single
        if was_in and not now_in:
            ranges.append((start, i + 1))
        if now_in and not was_in:
            start = i
        last = i
    if depth_double or depth_single:
        inside += len(text) - last
        ranges.append((start, len(text) + 1))
    feats.append(f"q:frac={_bucket(inside / (len(text) or 1))}")
    if text[:1] in _QUOTES_OPEN:
        feats.append("q:starts")
    if text[-1:] in _QUOTES_CLOSE or text[-2:-1] in _QUOTES_CLOSE:
        feats.append("q:ends")
    if open_quote:
        feats.append("q:continues")
    if n_marks == 0 and not open_quote:
        feats.append("q:none")
    return feats, depth_double, ranges


def _token_in_quote(spans: list[tuple[int, int]], ranges: list[tuple[int, int]]) -> list[bool]:
    """For every token (character ``spans``), whether it lies inside a quotation."""
    out = []
    j = 0
    for a, _b in spans:
        while j < len(ranges) and ranges[j][1] <= a:
            j += 1
        out.append(j < len(ranges) and ranges[j][0] < a < ranges[j][1])
    return out


def _parse(text: str, lex: Lexicons, open_quote: bool) -> _Parsed:
    tokens, pieces = token_pieces(text)
    lowered = [t.lower() for t in tokens]
    matches = lex.find(tokens, lowered)
    qf, ends_open, ranges = _quote_features(text, open_quote)
    # Most sentences quote nothing: their tokens' offsets are not needed.
    inq = _token_in_quote(piece_spans(tokens, pieces), ranges) if ranges else [False] * len(tokens)
    att = find_attribution(tokens, lowered, matches, inq)
    return _Parsed(tokens, lowered, matches, att, qf, ends_open, inq, pieces)


def _effective_type(p: _Parsed, memory: dict[str, str], last_speaker: str) -> tuple[str, str]:
    """The source type after using the document's memory of names and the last speaker."""
    att = p.att
    if att is None:
        return "nocue", "none"
    if att.source_type in _SOURCE_TYPES:
        return att.source_type, "lexicon"
    lo, hi = att.source_span
    for t in reversed(p.tokens[lo:hi]):
        kind = memory.get(t.removesuffix("'s"))
        if kind is not None:
            return kind, "memory"
    if att.source_type == "pronoun":
        return last_speaker, "pronoun"
    return att.source_type, "none"


def _features(p: _Parsed, i: int, parsed: list[_Parsed], last_speaker: str, how: str) -> list[str]:
    tokens, lowered, att = p.tokens, p.lowered, p.att
    feats = list(p.quote_feats)
    etype = p.eff_type
    if att is not None:
        lo, hi = att.source_span
        cs, _ce = att.cue_span
        feats.append(f"src:T={etype}")
        feats.append(f"src:how={how}")
        feats.append(f"src:raw={att.source_type}")
        feats.append(f"cue:{att.cue}")
        feats.append(f"cue:{att.cue}|T={etype}")
        feats.append(f"cue:pos={_bucket(cs / max(1, len(tokens)))}")
        for w in lowered[lo:hi]:
            if w.isalnum():
                feats.append(f"src:w={w}")
        # A cue inside a quotation is part of the quoted content, not the attribution.
        q_before = sum(1 for t in tokens[:cs] if t in _DOUBLE_QUOTES)
        if p.inq[cs]:
            feats.append("cue:in_quote")
            feats.append(f"cue:in_quote|T={etype}")
        if cs > 0 and tokens[cs - 1] in {",", '"', "”"} and q_before:
            feats.append("cue:after_quote")
        if att.subordinate:
            feats.append("cue:subordinate")
            feats.append(f"cue:subordinate|T={etype}")
    else:
        feats.append("src:T=nocue")
    # The sentence's subject: the first source named before the first verb-like word
    # ("Pyongyang rejects ...", "Numerous U.S. officials have cast doubt ...").
    for s, _e, kind in p.matches:
        if s >= _SUBJECT_WINDOW:
            break
        if kind in _SOURCE_TYPES:
            feats.append(f"src:subj={kind}")
            nxt_word = lowered[_e] if _e < len(lowered) else ""
            feats.append(f"src:subj={kind}|{nxt_word}")
            break
    for s, e, kind in p.matches:
        if kind == "cue":
            feats.append(f"cue:any={' '.join(lowered[s:e])}")
            continue
        if att is None or not (s >= att.wide_span[0] and e <= att.wide_span[1]):
            feats.append(f"lex:{kind}")
            if kind == "state_media":
                feats.append(f"lex:sm={' '.join(lowered[s:e])}")
    feats.extend(["w:" + w for w in lowered if len(w) > 1 and w.isalpha()])
    prev = parsed[i - 1] if i else None
    nxt = parsed[i + 1] if i + 1 < len(parsed) else None
    if prev is not None and any(kind == "state_media" for _s, _e, kind in prev.matches):
        feats.append("ctx:prev_names_state_media")
    if att is not None and any(kind == "state_media" for _s, _e, kind in p.matches):
        feats.append("lex:state_media_with_cue")
    feats.append(f"ctx:prev={prev.eff_type if prev else 'start'}")
    feats.append(f"ctx:next={nxt.att.source_type if nxt and nxt.att else 'nocue'}")
    if att is None and ("q:continues" in p.quote_feats or "q:starts" in p.quote_feats):
        feats.append(f"ctx:quote_prev={prev.eff_type if prev else 'start'}")
        feats.append(f"ctx:quote_voice={prev.voice if prev else 'start'}")
        feats.append(f"ctx:quote_last={last_speaker}")
        if nxt is not None and nxt.att is not None:
            feats.append(f"ctx:quote_next={nxt.att.source_type}")
    if att is None and "q:none" not in p.quote_feats:
        feats.append(f"ctx:last_speaker={last_speaker}")
    if i == 0:
        feats.append("ctx:first")
    elif i < 3:
        feats.append("ctx:lede")
    return feats


def _tagger_features(text: str, tagged: Sequence[Sequence[SpanAttribution]]) -> list[list[str]]:
    """``att:`` features of every sentence from the attribution tagger's output for the
    whole document: how many attributions, the source type of each (pronouns resolved to
    an earlier source), the type of the first, its mode, and the source's words. (The
    cue's words and "cue without a source" were tried and did not help: the ``cue:``
    group has the cue words already.)"""
    out = []
    for atts in tagged:
        if not atts:
            out.append(["att:none"])
            continue
        feats = [f"att:n={min(len(atts), 3)}", f"att:first={atts[0].source_type}"]
        for a in atts:
            stype = a.source_type
            feats.append(f"att:T={stype}")
            feats.append(f"att:mode={a.mode}|T={stype}")
            if a.resolved:
                feats.append(f"att:resolved={stype}")
            if a.source is not None:
                feats.extend(f"att:w={w}" for w in tokenize(text[a.source[0] : a.source[1]].lower()) if w.isalnum())
        out.append(feats)
    return out


def featurize(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    groups: Sequence[str] = FEATURE_GROUPS,
    sources: list[list[tuple[str, str]]] | None = None,
    tagged: Sequence[Sequence[SpanAttribution]] | None = None,
    readings: list[Reading] | None = None,
) -> list[list[str]]:
    """Feature strings for every sentence of one document.

    Parameters
    ----------
    text : str
        The document text.
    spans : sequence of (int, int)
        Sentence offsets, as returned by :func:`framing.segment`.
    groups : sequence of str
        Feature namespaces to keep (see :data:`FEATURE_GROUPS`); for ablations.
    sources : list, optional
        When given, receives for each sentence the ``(name, type)`` of the
        lexicon entries inside its attribution's source phrase.
    tagged : sequence of sequence of SpanAttribution, optional
        The attribution tagger's output for every sentence of the document
        (:func:`~framing._attribution.extract_attributions` over ``spans``), for the
        ``att`` group; run here when not given. A caller scoring many documents tags
        them in one batch and passes each document's share.
    readings : list, optional
        When given, receives for each sentence its :class:`Reading` (how the lexicons read
        it), so the attribution step need not read the sentence again.

    Returns
    -------
    list of list of str
        One feature list per sentence, in order.

    Notes
    -----
    Sentences are read in order, as a reader would: people named next to a role
    ("analyst Michael Smyth", "Lavrov, Russia's foreign minister") are remembered, so
    a later "Smyth said" or "he added" gets the right source type.
    """
    lex = load_lexicons()
    keep = frozenset(groups)
    parsed = []
    open_quote = False
    for start, end in spans:
        p = _parse(text[start:end], lex, open_quote)
        parsed.append(p)
        if readings is not None:
            readings.append(Reading(p.tokens, p.lowered, p.matches, p.inq, open_quote, p.att, p.pieces))
        open_quote = p.ends_open
    # The tagger reads the whole document at once (and only when its group is asked for).
    att = None
    if "att" in keep:
        if tagged is None:
            from ._attribution import extract_attributions

            tagged = extract_attributions(text, spans)
        elif len(tagged) != len(spans):
            raise ValueError(f"tagged has {len(tagged)} sentences, spans {len(spans)}")
        att = _tagger_features(text, tagged)
    memory: dict[str, str] = {}
    descriptions: dict[str, frozenset[str]] = {}
    speakers = "spk" in keep
    last_speaker = "none"
    all_groups = keep >= set(FEATURE_GROUPS)
    out: list[list[str]] = []
    for i, p in enumerate(parsed):
        runs = _name_runs(p.tokens) if speakers else None  # shared by both memories
        _learn_names(p.tokens, p.matches, memory, runs)
        p.eff_type, how = _effective_type(p, memory, last_speaker)
        # A quotation carried over sentences keeps the voice of the sentence that opened it.
        prev = parsed[i - 1] if i else None
        carries = prev is not None and p.att is None and (
            "q:continues" in p.quote_feats or "q:starts" in p.quote_feats)
        p.voice = prev.voice if carries and prev.voice != "nocue" else p.eff_type
        feats = _features(p, i, parsed, last_speaker, how)
        if speakers:
            # Described before this sentence, or in it ("X, a lawyer, said"): the earlier
            # descriptions are read first, then this sentence's are remembered.
            feats.extend(_speaker_features(p, descriptions))
            _describe(p.tokens, p.lowered, descriptions, runs)
        if att is not None:
            feats.extend(att[i])
        if p.eff_type in _SOURCE_TYPES:
            last_speaker = p.eff_type
        if sources is not None:
            names = []
            if p.att is not None:
                lo, hi = p.att.wide_span if p.att.source_type not in _SOURCE_TYPES else p.att.source_span
                names = [(" ".join(p.tokens[s:e]).removesuffix("'s"), kind) for s, e, kind in p.matches
                         if kind in _SOURCE_TYPES and s >= lo and e <= hi]
            sources.append(names)
        out.append(feats)
    for i, feats in enumerate(out):
        if not all_groups:
            feats = [f for f in feats if f.split(":", 1)[0] in keep]
        feats.append("bias")
        # Features are binary: a word or a source type counts once however often it occurs.
        out[i] = list(dict.fromkeys(feats))
    return out


_TYPE_WORDS = {
    "state_media": "state media", "official": "an official", "analyst": "an analyst",
    "independent_media": "independent media", "nonstate": "a non-state group or person",
    "non_governing": "a non-governing speaker", "unnamed": "a source given no role",
    "other": "a source of no known type", "nocue": "no attributed source", "start": "the start of the article",
    "none": "no earlier speaker", "pronoun": "a pronoun", "lexicon": "a known name", "cue": "a reporting cue",
}
_BUCKET_WORDS = {"0": "none", "lo": "under a third", "mid": "a third to two thirds", "hi": "over two thirds"}


def _t(value: str) -> str:
    return _TYPE_WORDS.get(value, value.replace("_", " "))


def describe_feature(feature: str) -> str:
    """A feature string in words, for explanations ("src:T=state_media" -> "the sentence's
    source is state media"). Unknown shapes are returned as they are."""
    ns, _, rest = feature.partition(":")
    key, eq, value = rest.partition("=")
    base, bar, typed = rest.partition("|T=")
    if feature == "bias":
        return "the label's baseline (no feature)"
    if ns == "w":
        return f"the word '{rest}'"
    if ns == "src":
        words = {"T": f"the sentence's source is {_t(value)}",
                 "raw": f"its source phrase, by the lexicons alone, is {_t(value)}",
                 "how": f"the source was found through {_t(value)}",
                 "w": f"the source phrase contains '{value}'"}
        if key == "subj":
            kind, _, nxt = value.partition("|")
            return f"the sentence's subject is {_t(kind)}" + (f", followed by '{nxt}'" if nxt else "")
        return words.get(key, feature)
    if ns == "cue":
        if key == "pos":
            return f"the reporting cue stands {_BUCKET_WORDS.get(value, value)} of the way into the sentence"
        if key == "any":
            return f"the sentence contains the cue '{value}'"
        special = {"in_quote": "the reporting cue is inside a quotation",
                   "after_quote": "the reporting cue follows a closing quotation mark",
                   "subordinate": "the attribution sits in a subordinate clause"}
        if base in special:
            return special[base] + (f" (source: {_t(typed)})" if bar else "")
        return f"the reporting cue '{base}'" + (f" (source: {_t(typed)})" if bar else "")
    if ns == "lex":
        if rest == "state_media_with_cue":
            return "state media is named in a sentence with a reporting cue"
        if key == "sm":
            return f"the state outlet '{value}' is named"
        return f"{_t(rest)} is named outside the source phrase"
    if ns == "q":
        words = {"starts": "a quotation opens in the sentence", "ends": "a quotation closes in the sentence",
                 "continues": "a quotation continues from the previous sentence", "none": "no quotation marks"}
        if key == "frac":
            return f"share of the sentence inside quotation marks: {_BUCKET_WORDS.get(value, value)}"
        return words.get(rest, feature)
    if ns == "ctx":
        words = {"prev": f"the previous sentence's source is {_t(value)}",
                 "next": f"the next sentence's source is {_t(value)}",
                 "quote_prev": f"a quotation carried on from a sentence whose source is {_t(value)}",
                 "quote_voice": f"the quotation's voice so far is {_t(value)}",
                 "quote_last": f"the last named speaker before the quotation is {_t(value)}",
                 "quote_next": f"the next sentence attributes the quotation to {_t(value)}",
                 "last_speaker": f"the last named speaker is {_t(value)}"}
        fixed = {"first": "the first sentence (the headline)", "lede": "one of the opening sentences",
                 "prev_names_state_media": "the previous sentence names state media"}
        return words.get(key, fixed.get(rest, feature)) if eq else fixed.get(rest, feature)
    if ns == "spk":
        return {"app": f"the speaker's title or description includes '{value}'",
                "desc": f"earlier in the article the speaker was described with '{value}'"}.get(key, feature)
    if ns == "att":
        if rest == "none":
            return "the attribution tagger finds no attribution"
        mode, _, mtype = value.partition("|T=")
        words = {"T": f"the attribution tagger finds {_t(value)} as a source",
                 "first": f"the tagger's first attribution is to {_t(value)}",
                 "resolved": f"the tagger resolves a pronoun to {_t(value)}",
                 "n": f"the tagger finds {value} attribution(s)",
                 "w": f"the tagged source contains '{value}'",
                 "mode": f"the tagger finds {mode} speech from {_t(mtype)}"}
        return words.get(key, feature)
    if ns == "role":
        if key == "top":
            role, _, conf = value.partition("|")
            sure = {"hi": ", sure", "mid": ", fairly sure", "lo": ", unsure"}.get(conf, "")
            return f"the speaker-role component reads the speaker as {_t(role)}{sure}"
        return f"the speaker-role component also sees {_t(rest)} as possible"
    return feature
