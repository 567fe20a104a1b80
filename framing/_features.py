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

Extraction is pattern-based and stateless: nothing is fitted, so it runs the
same at training and scoring time. Cost: linear in the sentence's tokens, a few
dictionary look-ups per token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ._lexicons import Lexicons, load_lexicons, tokenize

__all__ = ["FEATURE_GROUPS", "Attribution", "featurize", "find_attribution"]

FEATURE_GROUPS: tuple[str, ...] = ("src", "cue", "lex", "q", "ctx", "w")
"""Feature namespaces, in the order they are documented (all on by default)."""

# Cues that put the source after them ("according to KCNA", "quoted by Xinhua").
_FORWARD_CUES = frozenset(
    {
        ("according", "to"), ("quoted", "by"), ("cited", "by"), ("reported", "by"), ("citing",), ("quoting",),
        ("broadcast", "by"), ("carried", "by"), ("published", "by"), ("released", "by"), ("aired", "by"),
        ("shown", "by"), ("quoted", "in"),
    }
)
_STOP_BACK = frozenset({",", ";", ":", '"', "“", "”", "'", "‘", "(", ")", "—", "–", "that", "which", "who", "and",
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
_SOURCE_TYPES = ("state_media", "official", "analyst", "independent_media")


@dataclass(frozen=True)
class Attribution:
    """The attribution found in one sentence (token offsets).

    ``source_type`` is the lexicon type of the source phrase, or ``"pronoun"``,
    ``"other"`` (a named source of unknown type) or ``"none"`` when no cue was found.
    """

    cue: str
    cue_span: tuple[int, int]
    source_span: tuple[int, int]
    source_type: str


def _source_type(matches: list[tuple[int, int, str]], lo: int, hi: int, lowered: list[str]) -> str:
    for s, e, kind in matches:
        if s >= lo and e <= hi and kind in _SOURCE_TYPES:
            return kind
    if hi > lo:
        words = lowered[lo:hi]
        phrase = " ".join(words[-2:])
        if words[-1] in _PRONOUNS or phrase in _PRONOUNS:
            return "pronoun"
        return "other"
    return "none"


def find_attribution(tokens: list[str], lowered: list[str], matches: list[tuple[int, int, str]]) -> Attribution | None:
    """Find the main attribution of a sentence from its tokens and lexicon matches.

    Every cue gets a candidate source phrase; the first cue whose source has a
    known type wins, otherwise the first cue.
    """
    best: Attribution | None = None
    for s, e, kind in matches:
        if kind != "cue":
            continue
        key = tuple(lowered[s:e])
        cue = " ".join(key)
        if key in _FORWARD_CUES:
            lo = hi = e
            while hi < len(tokens) and hi - lo < _SOURCE_WINDOW and lowered[hi] not in _STOP_FORWARD:
                hi += 1
        else:
            lo = hi = s
            while lo > 0 and hi - lo < _SOURCE_WINDOW and lowered[lo - 1] not in _STOP_BACK:
                lo -= 1
            if lo == hi:
                # '"...," said KCNA.' / '..., the agency said': the source follows the verb.
                while hi < len(tokens) and hi - e < _SOURCE_WINDOW and lowered[hi] not in _STOP_FORWARD:
                    hi += 1
                lo = e if hi > e else lo
        found = Attribution(cue, (s, e), (lo, hi), _source_type(matches, lo, hi, lowered))
        if best is None:
            best = found
        if found.source_type in _SOURCE_TYPES:
            return found
    return best


def _bucket(x: float) -> str:
    return "0" if x <= 0 else "lo" if x < 0.34 else "mid" if x < 0.67 else "hi"


def _sentence_features(
    text: str, lex: Lexicons, open_quote: bool
) -> tuple[list[str], Attribution | None, list[tuple[str, str]], bool]:
    tokens = tokenize(text)
    lowered = [t.lower() for t in tokens]
    matches = lex.find(tokens, lowered)
    att = find_attribution(tokens, lowered, matches)
    feats: list[str] = []
    # Quotation marks: straight double quotes toggle; curly ones open and close;
    # a right single quote closes only an open left single quote (else it is an apostrophe).
    depth_double = open_quote
    depth_single = False
    inside = 0
    last = 0
    n_marks = 0
    for m in _QUOTE_MARK.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "’" and not depth_single:
            continue
        n_marks += 1
        if depth_double or depth_single:
            inside += i - last
        if ch == '"':
            depth_double = not depth_double
        elif ch == "“":
            depth_double = True
        elif ch == "”":
            depth_double = False
        elif ch == "‘":
            depth_single = True
        else:
            depth_single = False
        last = i
    if depth_double or depth_single:
        inside += len(text) - last
    feats.append(f"q:frac={_bucket(inside / (len(text) or 1))}")
    if text[:1] in _QUOTES_OPEN:
        feats.append("q:starts")
    if text[-1:] in _QUOTES_CLOSE or text[-2:-1] in _QUOTES_CLOSE:
        feats.append("q:ends")
    if open_quote:
        feats.append("q:continues")
    ends_open = depth_double
    if n_marks == 0 and not open_quote:
        feats.append("q:none")
    # Attribution.
    names: list[tuple[str, str]] = []
    if att is not None:
        lo, hi = att.source_span
        cs, _ce = att.cue_span
        feats.append(f"src:T={att.source_type}")
        feats.append(f"cue:{att.cue}")
        feats.append(f"cue:{att.cue}|T={att.source_type}")
        rel = cs / max(1, len(tokens))
        feats.append(f"cue:pos={_bucket(rel)}")
        for w in lowered[lo:hi]:
            if w.isalnum():
                feats.append(f"src:w={w}")
        # Cue inside a quotation is part of the quoted content, not the attribution.
        q_before = sum(1 for t in tokens[:cs] if t in _DOUBLE_QUOTES)
        if (q_before + open_quote) % 2 == 1:
            feats.append("cue:in_quote")
        if cs > 0 and tokens[cs - 1] in {",", '"', "”"} and q_before:
            feats.append("cue:after_quote")
    else:
        feats.append("src:T=nocue")
    for s, e, kind in matches:
        if kind == "cue":
            feats.append(f"cue:any={' '.join(lowered[s:e])}")
            continue
        in_src = att is not None and s >= att.source_span[0] and e <= att.source_span[1]
        if in_src:
            if kind in _SOURCE_TYPES:
                names.append((" ".join(tokens[s:e]), kind))
        else:
            feats.append(f"lex:{kind}")
            if kind == "state_media":
                feats.append(f"lex:sm={' '.join(lowered[s:e])}")
    for w in lowered:
        if w.isalpha() and len(w) > 1:
            feats.append(f"w:{w}")
    return feats, att, names, ends_open


def featurize(
    text: str,
    spans: Sequence[tuple[int, int]],
    *,
    groups: Sequence[str] = FEATURE_GROUPS,
    sources: list[list[tuple[str, str]]] | None = None,
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

    Returns
    -------
    list of list of str
        One feature list per sentence, in order.
    """
    lex = load_lexicons()
    per_sentence = []
    open_quote = False
    for start, end in spans:
        feats, att, names, open_quote_next = _sentence_features(text[start:end], lex, open_quote)
        per_sentence.append((feats, att, names))
        if sources is not None:
            sources.append(names)
        open_quote = open_quote_next
    out: list[list[str]] = []
    last_named = "none"
    n = len(per_sentence)
    keep = frozenset(groups)
    for i, (feats, att, _types) in enumerate(per_sentence):
        ctx = []
        prev_att = per_sentence[i - 1][1] if i else None
        next_att = per_sentence[i + 1][1] if i + 1 < n else None
        ctx.append(f"ctx:prev={prev_att.source_type if prev_att else 'nocue'}")
        ctx.append(f"ctx:next={next_att.source_type if next_att else 'nocue'}")
        if att is not None and att.source_type == "pronoun":
            ctx.append(f"ctx:resolved={last_named}")
        if "q:continues" in feats or "q:starts" in feats:
            ctx.append(f"ctx:quote_prev={prev_att.source_type if prev_att else 'nocue'}")
            ctx.append(f"ctx:quote_last={last_named}")
        if i == 0:
            ctx.append("ctx:first")
        elif i < 3:
            ctx.append("ctx:lede")
        if att is not None and att.source_type in _SOURCE_TYPES:
            last_named = att.source_type
        feats = [f for f in feats + ctx if f.split(":", 1)[0] in keep]
        feats.append("bias")
        out.append(feats)
    return out
