"""Assembly: tag the documents, pair each cue with its source, name and resolve the
source, and read the mode. The entry points are :func:`extract_attributions` and
:func:`extract_attributions_many`."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

import numpy as np

from .encode import _Encoded, encode
from .model import AttributionModel, SpanAttribution, load_attribution_model
from .names import _DOCUMENT_NOUNS, _ROLE_WORDS
from .resolve import SourceResolver
from .tagger import spans_from_labels, tag
from .tokens import _DOUBLE_QUOTES

__all__ = ["extract_attributions", "extract_attributions_many", "_agent", "_possessor", "_single_quoted"]

# An agent phrase after "according to" / a passive "by" ends at these tokens.
_AGENT_STOP = frozenset({",", ".", ";", ":", "(", ")", "[", "]", '"', "“", "”", "'", "‘", "’", "—", "–", "that",
                         "which", "who", "whom", "as", "on", "in", "at", "after", "before", "when", "while",
                         "because", "since", "and", "but", "or", "to", "for", "with", "from", "about", "during",
                         "if", "is", "was", "were", "are", "has", "have", "had", "said", "says"})
_AGENT_DETERMINERS = frozenset({"the", "a", "an", "some", "several", "many", "two", "three", "its", "his", "her",
                                "their", "one", "other", "another", "both", "all", "most"})
_AGENT_MAX = 8  # tokens
_POST_MAX = 2  # capitalised words of a role's post ("envoy to North Korea")
_CUE_TRAILING = frozenset({"a", "an", "the", "his", "her", "its", "their"})
_ABBREVIATIONS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Sgt", "Capt", "Adm",
                            "Prof", "St", "Jr", "Sr", "Maj", "Cmdr", "Amb", "Rev", "Pres", "Supt"})


def extract_attributions(
    text: str, spans: Sequence[tuple[int, int]], *, model: AttributionModel | None = None
) -> list[list[SpanAttribution]]:
    """Find the attributions of every sentence of a document.

    Parameters
    ----------
    text : str
        The document text; all offsets refer to it.
    spans : sequence of (int, int)
        Sentence offsets, as returned by :func:`framing.segment` (sorted, disjoint);
        a subset of a document's sentences is fine.
    model : AttributionModel, optional
        From :func:`load_attribution_model`; the shipped one by default.

    Returns
    -------
    list of list of SpanAttribution
        One list per sentence (empty when the sentence attributes nothing), cues in
        text order. Every cue and source lies inside its sentence, and
        ``text[start:end]`` is the phrase.
    """
    return extract_attributions_many([text], [spans], model=model)[0]


def extract_attributions_many(
    texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *, model: AttributionModel | None = None
) -> list[list[list[SpanAttribution]]]:
    """:func:`extract_attributions` for several documents in one tagger pass.

    The documents are tagged as one token sequence (joined by line breaks, which end
    quotations, and with sentence-bounded features, so no document sees another), which
    spreads numpy's per-call overhead over the batch; results are the same as one call
    per document. Offsets in the result are each document's own.

    Raises
    ------
    ValueError
        If a sentence span lies outside its text or the spans are not sorted.
    """
    if len(texts) != len(spans):
        raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
    if model is None:
        model = load_attribution_model()
    out: list[list[list[SpanAttribution]]] = [[[] for _ in doc] for doc in spans]
    joined_spans: list[tuple[int, int]] = []
    bases: list[int] = []
    first_sent: list[int] = []
    pos = 0
    for d, (text, doc_spans) in enumerate(zip(texts, spans)):
        prev = 0
        for a, b in doc_spans:
            if not prev <= a <= b <= len(text):
                raise ValueError(f"document {d}: sentence span ({a}, {b}) is unsorted or outside "
                                 f"the text (length {len(text)}); pass spans from framing.segment")
            prev = b
        bases.append(pos)
        first_sent.append(len(joined_spans))
        joined_spans += [(a + pos, b + pos) for a, b in doc_spans]
        pos += len(text) + 1
    first_sent.append(len(joined_spans))
    if not joined_spans:
        return out
    joined = texts[0] if len(texts) == 1 else "\n".join(texts)
    enc = encode(joined, joined_spans, model, doc_starts=first_sent[:-1])
    labels = tag(enc, model)
    cues = spans_from_labels(labels, enc.sent, 1)
    if not cues:
        return out
    sources = [_possessor(enc.tokens, x) for x in spans_from_labels(labels, enc.sent, 2)]
    tok = _TokenLists(enc, len(joined_spans))
    doc_of = np.searchsorted(np.array(first_sent), np.arange(len(joined_spans)), side="right") - 1
    doc_of_l = doc_of.tolist()
    by_doc_cues: dict[int, list[tuple[int, int]]] = {}
    by_doc_sources: dict[int, list[tuple[int, int]]] = {}
    for c in cues:
        by_doc_cues.setdefault(doc_of_l[tok.sent[c[0]]], []).append(c)
    for x in sources:
        by_doc_sources.setdefault(doc_of_l[tok.sent[x[0]]], []).append(x)
    for d, doc_cues in by_doc_cues.items():
        _assemble(joined, tok, doc_cues, by_doc_sources.get(d, []), bases[d], first_sent[d], out[d])
    return out


def _possessor(tokens: list[str], span: tuple[int, int]) -> tuple[int, int]:
    """A source tagged on the "s" of "Kim's remarks" means the possessor: move the span
    to the capitalised words before the apostrophe."""
    s, e = span
    if e - s == 1 and tokens[s] == "s" and s >= 2 and tokens[s - 1] in ("'", "’"):
        j = s - 1
        while j > 0 and tokens[j - 1][:1].isupper():
            j -= 1
        if j < s - 1:
            return j, s - 1
    return span


def _single_quoted(tokens: list[str], ends: list[int], starts: list[int], sent: list[int]) -> list[int]:
    """Tokens inside ‘single quotation marks’ (British and Asian house style, which the
    tagger's double-quote state does not see). An opening ‘ is unambiguous; the closing ’
    (or ') is the first one not followed by a letter or digit ("Korea’s" is an
    apostrophe). A quotation ends at the latest with its sentence or at a double quote
    mark (a nested quotation ends with the one around it)."""
    out: list[int] = []
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i] != "‘":
            i += 1
            continue
        k = i + 1
        while k < n and sent[k] == sent[i]:
            if tokens[k] == "‘":
                break  # a new quotation opens before this one closed
            if tokens[k] in _DOUBLE_QUOTES:
                break  # a nested quotation ends with the one around it
            if tokens[k] in ("’", "'") and (k + 1 == n or starts[k + 1] > ends[k] or not tokens[k + 1][:1].isalnum()):
                break
            k += 1
        out.extend(range(i + 1, k))
        i = k if k < n and tokens[k] in ("‘", *_DOUBLE_QUOTES) else k + 1
    return out


class _TokenLists:
    """The per-token arrays the span assembly reads, as Python lists (it indexes single
    tokens, where list access is ~10x cheaper than numpy scalar access)."""

    def __init__(self, enc: _Encoded, n_sentences: int) -> None:
        self.tokens = enc.tokens
        self.starts: list[int] = enc.starts.tolist()
        self.ends: list[int] = enc.ends.tolist()
        self.sent: list[int] = enc.sent.tolist()
        # Tokens of sentence i are [bounds[i], bounds[i + 1]).
        self.bounds: list[int] = np.searchsorted(enc.sent, np.arange(n_sentences + 1)).tolist()
        # For the mode: quoted words (inside quotation marks) and plain words (outside),
        # as a running count of quoted words and each sentence's first and last plain word.
        quoted = enc.quote >= 2
        if "‘" in enc.tokens:
            quoted[_single_quoted(enc.tokens, self.ends, self.starts, self.sent)] = True
        quoted &= enc.shape < 5
        plain = np.flatnonzero((enc.shape < 5) & ~quoted)
        self.quoted_before: list[int] = np.concatenate([[0], np.cumsum(quoted)]).tolist()
        b = np.asarray(self.bounds)
        i = np.searchsorted(plain, b[:-1])
        j = np.searchsorted(plain, b[1:]) - 1
        some = i <= j
        self.first_plain: list[int] = np.where(some, plain[np.minimum(i, plain.size - 1)], b[1:]).tolist() \
            if plain.size else b[1:].tolist()
        self.last_plain: list[int] = np.where(some, plain[np.maximum(j, 0)], -1).tolist() if plain.size else \
            [-1] * n_sentences

    def mode(self, si: int, skip: Sequence[tuple[int, int]]) -> str:
        """Indirect when no word of sentence ``si`` is inside quotation marks; direct when
        the unquoted words form one stretch around the cue and source (token spans
        ``skip``) with no quoted word inside it ('"...," said KCNA, the agency'); mixed
        otherwise (quoted fragments inside reported speech)."""
        lo, hi = self.bounds[si], self.bounds[si + 1]
        q = self.quoted_before
        if q[hi] == q[lo]:
            return "indirect"
        first = min([self.first_plain[si]] + [a for a, _b in skip])
        last = max([self.last_plain[si]] + [b - 1 for _a, b in skip])
        if first > last or q[last + 1] == q[first]:
            return "direct"
        return "mixed"


def _agent(tokens: list[str], c0: int, c1: int, hi: int, *, whole: bool = False) -> tuple[int, int] | None:
    """The source a cue introduces after itself: the phrase after "according to", or
    after a passive "by" ("were described by KCNA as ...", "quoted by"). A "by" phrase
    must start like an agent (a determiner or a capitalised word) so that "said by
    phone" or "responded by using" is not one. Token span, or None.

    With ``whole``, the phrase reads on over a preposition to who it names: a document's
    issuer ("a report from the Tasnim news agency"), a role's post ("the U.S. ambassador
    to NATO"). The name shown is read from it; the assembly keeps the shorter phrase, from
    which the sentence model's features were made."""
    low = [t.lower() for t in tokens[c0:c1]]
    nxt = tokens[c1].lower() if c1 < hi else ""
    if low[-2:] == ["according", "to"]:
        j, strict = c1, False
    elif low[-1] == "according" and nxt == "to":
        j, strict = c1 + 1, False
    elif len(low) >= 2 and low[-1] == "by":
        j, strict = c1, True
    elif nxt == "by":
        j, strict = c1 + 1, True
    else:
        return None
    e = limit = j
    while e < hi and e - limit < _AGENT_MAX:
        t = tokens[e]
        if t == "." and e > j and (tokens[e - 1] in _ABBREVIATIONS or (len(tokens[e - 1]) == 1 and
                                                                         tokens[e - 1].isupper())):
            e += 1  # "Mrs. Clinton", "John F. Kelly"
            continue
        # (An apostrophe inside a name, "O’Neill", does not end it.)
        if t.lower() in _AGENT_STOP and not (t in ("'", "’") and e > j and tokens[e - 1][:1].isupper()):
            if not (whole and _names_on(tokens, e, hi)):
                break
            limit = e + 1  # the issuer's or the post's words count on their own
        e += 1
    if e == j or (strict and not (tokens[j].lower() in _AGENT_DETERMINERS or tokens[j][:1].isupper())):
        return None
    return j, e


def _names_on(tokens: list[str], e: int, hi: int) -> bool:
    """Whether the agent phrase reads on over the preposition at ``e`` to who it names: a
    document's issuer ("a report from the Tasnim news agency") or a role's post, one or
    two capitalised words that end the phrase ("the U.S. ambassador to NATO"; not "US
    Ambassador to Ukraine Geoffrey Pyatt", whose speaker is named after the post)."""
    word, before = tokens[e].lower(), tokens[e - 1].lower()
    if word == "from":
        return before in _DOCUMENT_NOUNS
    k = e + 1
    while k < hi and tokens[k][:1].isupper():
        k += 1
    return word in ("to", "for") and before in _ROLE_WORDS and 1 <= k - e - 1 <= _POST_MAX and (
        k == hi or tokens[k].lower() in _AGENT_STOP)


class _Candidates:
    """The tagged sources of one sentence, in text order, with their starts and ends for
    :func:`_nearest`'s bisection (when they are in order and apart, as the tagger's are)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.firsts = [s for s, _e in spans]
        self.lasts = [e for _s, e in spans]
        self.ordered = all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def _nearest(cands: _Candidates, c0: int, c1: int) -> tuple[int, int]:
    """The candidate token span nearest the cue ``[c0, c1)``, the earlier on a tie: the
    minimum of (token distance, start). Found by bisection when the spans are in order and
    apart, so a sentence with many cues and sources costs linear-logarithmic time, not
    quadratic; otherwise by a scan."""
    spans = cands.spans
    if len(spans) < 8 or not cands.ordered:
        return min(spans, key=lambda se: (max(se[0] - c1, c0 - se[1], 0), se[0]))
    j = bisect.bisect_left(cands.lasts, c0)  # the first that ends at the cue's start or later
    i = bisect.bisect_right(cands.firsts, c1)  # the first that starts past the cue's end
    if j < i:
        return spans[j]  # it touches or overlaps the cue: distance 0, the earliest
    near = [spans[k] for k in (i - 1, i) if 0 <= k < len(spans)]
    return min(near, key=lambda se: (max(se[0] - c1, c0 - se[1], 0), se[0]))


def _inside(cands: _Candidates, lo: int, hi: int) -> tuple[int, int] | None:
    """The first candidate span inside ``[lo, hi)``, if any (by bisection when in order)."""
    if not cands.ordered:
        return next((x for x in cands.spans if lo <= x[0] and x[1] <= hi), None)
    k = bisect.bisect_left(cands.firsts, lo)
    return cands.spans[k] if k < len(cands.spans) and cands.spans[k][1] <= hi else None


def _assemble(text: str, tok: _TokenLists, cues: list[tuple[int, int]], sources: list[tuple[int, int]], base: int,
              s0: int, out: list[list[SpanAttribution]]) -> None:
    """Pair the cues of one document with sources, name and resolve them, and append them
    to ``out`` (indexed by the document's sentence number). Token spans index ``tok``;
    ``text`` and token offsets are shifted by ``base`` from the document's, and its
    sentences are numbered from ``s0``."""
    starts, ends, sent = tok.starts, tok.ends, tok.sent
    by_sent: dict[int, list[tuple[int, int]]] = {}
    for s, e in sources:
        by_sent.setdefault(sent[s], []).append((s, e))
    src_info: dict[tuple[int, int], tuple[str | None, str, bool, tuple[int, int] | None]] = {}
    nearby: dict[int, _Candidates] = {}
    hist_pos = 0
    all_sources = sorted((starts[s], ends[e - 1], sent[s]) for s, e in sources)
    describe = SourceResolver(text, base).describe

    for c0, c1 in cues:
        # A cue does not end on an article ("has released a"): the tagger's I-CUE runs on.
        while c1 - c0 > 1 and tok.tokens[c1 - 1].lower() in _CUE_TRAILING:
            c1 -= 1
        si = sent[c0]
        # Sources up to this cue's sentence are described in text order, so that
        # resolution only ever looks back.
        while hist_pos < len(all_sources) and all_sources[hist_pos][2] <= si:
            a, b, ssi = all_sources[hist_pos]
            src_info[(a, b)] = describe(a, b, ssi)
            hist_pos += 1
        if si not in nearby:
            nearby[si] = _Candidates(by_sent.get(si, []))
        cands = nearby[si]
        source = src_tok = None
        agent = _agent(tok.tokens, c0, c1, tok.bounds[si + 1])
        if agent is not None:
            # The cue names its source after itself; a tagged source inside that phrase
            # gives its exact extent ("the agency" of "the agency's report").
            src_tok = _inside(cands, *agent) or agent
            source = (starts[src_tok[0]], ends[src_tok[1] - 1])
            if source not in src_info:
                src_info[source] = describe(*source, si)
        elif cands.spans:
            # The nearest source in the sentence (by token distance to the cue).
            src_tok = _nearest(cands, c0, c1)
            source = (starts[src_tok[0]], ends[src_tok[1] - 1])
        if source is None:
            name, stype, resolved, resolved_from = None, "other", False, None
        else:
            name, stype, resolved, resolved_from = src_info[source]
            source = (source[0] - base, source[1] - base)
        skip = [(c0, c1)] + ([src_tok] if src_tok is not None else [])
        mode = tok.mode(si, skip)
        out[si - s0].append(SpanAttribution(
            source=source, cue=(starts[c0] - base, ends[c1 - 1] - base), mode=mode, source_name=name,
            source_type=stype, resolved=resolved, resolved_from=resolved_from))
