"""The Python API: analyse one text or a stream of them.

text -> sentences (segment) -> features -> labels (model) -> profile -> Document
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeGuard

import numpy as np

from ._attribution.assemble import _agent
from ._attribution.implicit import SentenceRead, act_source, channel_in, pattern_source, speaker_after, typed_cue
from ._attribution.names import _ROLE_WORDS, _is_adverb, _name_and_type
from ._attribution.stance import cue_stance
from ._document import LABELS, Attribution, Document, Sentence
from ._errors import InputError, UsageError
from ._features import Reading, featurize
from ._io import _SURROGATE, _surrogate_message
from ._model import Model
from ._model import load_model as _load_verified
from ._profile import document_profile, sentence_sources
from ._segment import segment

if TYPE_CHECKING:
    from ._attribution.model import SpanAttribution

__all__ = ["analyze", "analyze_many", "load_model", "score_dataset"]

# Documents per tagger call: enough to spread numpy's per-call cost (about 2% of the time
# at 8), few enough that the transient arrays stay small whatever batch a caller passes.
# At 64 (about 40 MB a call) glibc's heap fragmented and a long stream's memory crept up
# (165 -> 203 MB over 10,000 articles); at 8 it stays within a few MB.
_TAG_BATCH = 8
_LABEL_SOURCE_TYPE = {"state_media_quote": "state_media", "official_claim": "official",
                      "analyst_assessment": "analyst"}


@functools.lru_cache(maxsize=1)
def _default_model() -> Model:
    return _load_verified(None)


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load a verified model directory; the shipped default model when ``path`` is None.

    The default model is loaded once per process and shared.

    Raises
    ------
    ModelError
        If the directory is missing, tampered with, truncated or incompatible.
    """
    return _default_model() if path is None else _load_verified(path)


def analyze(
    text: str,
    *,
    id: str | None = None,  # noqa: A002 - the documented field name
    model: Model | None = None,
    explain: bool = False,
    meta: Mapping[str, Any] | None = None,
    attribution: bool = True,
) -> Document:
    """Segment, label and profile one article.

    Parameters
    ----------
    text : str
        The article, exactly as given; offsets refer to it.
    id : str, optional
        Document id (default ``"doc-0"``).
    model : Model, optional
        A model from :func:`load_model` or :func:`framing.train`; the shipped one by default.
    explain : bool
        Attach to every sentence the features that pushed it toward its label and
        against the runner-up, with their weights.
    meta : mapping, optional
        Extra fields kept on the document (for example ``outlet``).
    attribution : bool
        Find the cue and source of every attributed sentence (not
        ``reporter_narration``; see :class:`framing.Attribution`) and count the
        sources in the profile. ``False`` leaves ``attribution`` empty and takes the
        profile's sources from the lexicon entries in each sentence's source phrase;
        it saves the tagger's time only for a model whose features do not use the
        tagger (the shipped one does, so the saving is the span assembly).

    Returns
    -------
    Document
        With labelled sentences and a profile.
    """
    if not isinstance(text, str):
        raise InputError(f"analyze() needs the text as str, got {type(text).__name__}")
    _check_text(text, "analyze()")
    if meta is not None and not isinstance(meta, Mapping):
        raise InputError(f"analyze(): meta must be a mapping of field to value, got {type(meta).__name__}")
    model = model or load_model()
    (labelled,) = _label_many([text], model)
    found = _attributions([labelled])[0] if attribution else None
    return _build(labelled, found, id=id or "doc-0", meta=meta, model=model, explain=explain)


class _Labelled:
    """One text after the labelling stages: sentences, the tagger's attributions when the
    model's features used them, features, probabilities, labels and the lexicon sources
    of each sentence's pattern-found source phrase; and the sentences the attribution
    step has read (:func:`_sentence_read`), kept so each is tokenised once."""

    __slots__ = ("best", "feats", "labels", "readings", "reads", "rows", "sources", "spans", "tagged", "text")

    def __init__(self, text: str, spans: list[tuple[int, int]], model: Model, tagged: list | None) -> None:
        self.text = text
        self.spans = spans
        self.tagged = tagged
        self.sources: list[list[tuple[str, str]]] = []
        self.readings: list[Reading] = []
        self.feats = featurize(text, spans, groups=model.groups, sources=self.sources, tagged=tagged,
                               readings=self.readings)
        proba = model.predict_proba(self.feats) if spans else np.zeros((0, len(LABELS)))
        self.best: list[int] = proba.argmax(axis=1).tolist() if spans else []
        self.rows: list[list[float]] = proba.tolist()
        self.labels = [LABELS[k] for k in self.best]
        self.reads: dict[int, SentenceRead] = {}


def _label_many(texts: list[str], model: Model, *,
                catch: tuple[type[BaseException], ...] = ()) -> list[Any]:
    """Segment, tag (one tagger pass for the batch, when the model's features need the
    attribution tagger) and label ``texts``. An exception of a kind in ``catch`` takes
    the place of its text's result (a batch that fails in the tagger is retried text by
    text, so only the failing one is lost); others propagate."""
    out: list[Any] = [None] * len(texts)
    spans: dict[int, list[tuple[int, int]]] = {}
    for i, text in enumerate(texts):
        try:
            spans[i] = segment(text)
        except catch as exc:
            out[i] = exc
    tagged: dict[int, list | None] = dict.fromkeys(spans)
    if "att" in model.groups and spans:
        from ._attribution import extract_attributions_many

        ok = list(spans)
        for lo in range(0, len(ok), _TAG_BATCH):
            chunk = ok[lo : lo + _TAG_BATCH]
            try:
                tagged.update(zip(chunk, extract_attributions_many([texts[i] for i in chunk],
                                                                   [spans[i] for i in chunk]), strict=True))
            except catch:
                for i in chunk:
                    try:
                        tagged[i] = extract_attributions_many([texts[i]], [spans[i]])[0]
                    except catch as exc:
                        out[i] = exc
                        del spans[i]
    for i, sp in spans.items():
        try:
            out[i] = _Labelled(texts[i], sp, model, tagged[i])
        except catch as exc:
            out[i] = exc
    return out


def _attributions(docs: list[_Labelled]) -> list[list[Attribution | None]]:
    """The main attribution of each attributed sentence (None for narration and where no
    source is found): the first whose source type matches the sentence's label; else a
    source of that type next to a lexicon cue (also when the tagged source runs past a
    comma); else the first with a source, else the first; and for sentences with no cue,
    an act's subject or the previous sentence's source (:func:`_without_cue`). Each
    carries the stance of its cue. Reuses the tagging the features were made from;
    otherwise tags the attributed sentences of all ``docs`` in one pass (batching spreads
    the tagger's fixed per-call cost; results do not depend on it)."""
    from ._attribution import extract_attributions_many

    chosen = [[i for i, lab in enumerate(d.labels) if lab != "reporter_narration"] for d in docs]
    todo = [k for k, d in enumerate(docs) if d.tagged is None]
    per_doc: list[Any] = [None if d.tagged is None else [d.tagged[i] for i in ch] for d, ch in zip(docs, chosen)]
    for lo in range(0, len(todo), _TAG_BATCH):
        chunk = todo[lo : lo + _TAG_BATCH]
        fresh = extract_attributions_many([docs[k].text for k in chunk],
                                          [[docs[k].spans[i] for i in chosen[k]] for k in chunk])
        for k, f in zip(chunk, fresh, strict=True):
            per_doc[k] = f
    out: list[list[Attribution | None]] = []
    for d, ch, found_doc in zip(docs, chosen, per_doc, strict=True):
        row: list[Attribution | None] = [None] * len(d.spans)
        for i, found in zip(ch, found_doc, strict=True):
            found = _outside_first(d, i, found)
            # The voice the sentence was labelled with names the attribution to show
            # ("X confirmed it, when state media claimed ..." labelled state media).
            want = _LABEL_SOURCE_TYPE.get(d.labels[i])
            a = next((x for x in found if x.source_type == want), None)
            # A tagged "he said" or a name of no known type is taken as it is: the lexicons
            # would only find another speaker.
            # In a state-media sentence the channel wins (TAXONOMY): "Khanzadi was quoted
            # as saying by the semi-official Tasnim news agency" is Tasnim's.
            untyped = a is None and want != "state_media" and any(
                x.source is not None and x.source_type in ("pronoun", "other") for x in found)
            runs_on = a is not None and a.source is not None and \
                _RUNS_ON.search(d.text, a.source[0], a.source[1]) is not None
            if not untyped and (a is None or runs_on) and any(k == "cue" for _s, _e, k in d.readings[i].matches):
                # None of the label's type tagged, or its source runs on past a comma into
                # a clause ("the Korean Central News Agency (KCNA), Kim praised"): a source
                # of that type next to a cue in the lexicons, inside the tagged source if any.
                typed = typed_cue(d.text, d.spans[i], d.labels[i], read=_sentence_read(d, i))
                if typed is not None and (a is None or a.source[0] <= typed[1][0] <= typed[1][1] <= a.source[1]):
                    cue, source, name, stype = typed
                    row[i] = Attribution(cue=cue, source=source, mode=_mode(d.text, d.spans[i]),
                                         source_name=name, source_type=stype,
                                         stance=cue_stance(d.text, cue, d.spans[i], words=d.readings[i].lowered))
                    continue
            if a is None and found:
                a = next((x for x in found if x.source is not None), found[0])
            if a is not None:
                source, name, stype = _source_of(d, i, a)
                row[i] = Attribution(cue=a.cue, source=source, mode=a.mode, source_name=name, source_type=stype,
                                     resolved_from=a.resolved_from if source == a.source else None,
                                     stance=cue_stance(d.text, a.cue, d.spans[i], words=d.readings[i].lowered))
        _without_cue(d, row)
        _channel_carries(d, row)
        out.append(row)
    return out


# Sentences back to look for the state outlet that carries a speaker's words.
_CHANNEL_WINDOW = 6


def _channel_carries(d: _Labelled, row: list[Attribution | None]) -> None:
    """The channel wins (TAXONOMY): a sentence labelled state media whose attribution names
    a speaker of another type ("“...,” he said" after "Lavrov told RIA Novosti"; "the
    statement said", "Mr. Andrews explained"), or names nobody, takes the state outlet
    named by the nearest sentence before it (at most :data:`_CHANNEL_WINDOW` back) whose
    own attribution is a state outlet's. Its cue, span and stance stay, as for a resolved
    anaphor: the outlet's name, with ``resolved_from`` its mention."""
    last = None
    for i, lab in enumerate(d.labels):
        a = row[i]
        own = _named(a) and a.source_type == "state_media" and (a.source is not None or a.resolved_from is not None)
        if own:
            last = i
        elif lab == "state_media_quote" and last is not None and i - last <= _CHANNEL_WINDOW:
            row[i] = _naming(a, _continued(row[last]))


def _outside_first(d: _Labelled, i: int, found: list[SpanAttribution]) -> list[SpanAttribution]:
    """Sentence ``i``'s tagged attributions, those whose cue stands outside quotation marks
    first: a cue inside one is part of the quoted words ("“As they learned more, they
    changed their view,” Biden said" is Biden's)."""
    quoted = d.readings[i].quoted
    if len(found) < 2 or not any(quoted):
        return found
    inside = [quoted[_token_at(d, i, x.cue[0])] for x in found]
    return [x for x, q in zip(found, inside) if not q] + [x for x, q in zip(found, inside) if q]


# A comma, a capitalised word and a lower-case one: a source running into the next clause.
_RUNS_ON = re.compile(r",\s+[A-Z][\w’'.-]*\s+[a-z]")


def _source_of(d: _Labelled, i: int, a: SpanAttribution) -> tuple[tuple[int, int] | None, str | None, str]:
    """The source span, name and type to show for the tagger's attribution ``a`` in
    sentence ``i``. A lone adverb is no source ("testily said"); with no source, the
    speaker named right after the cue, if any ("..., adds Ms. Dalton."); an "according
    to" phrase read on to who it names ("a report from the Tasnim news agency"). Only
    what is shown: the features were made from the tagger's attribution as it is."""
    source = a.source
    if source is not None and _is_adverb(d.text[source[0]:source[1]]):
        source = None
    if source is None:
        hit = speaker_after(d.text, d.spans[i], a.cue, read=_sentence_read(d, i))
        if hit is not None:
            return hit
        return source, a.source_name, a.source_type
    agent = _agent_phrase(d, i, a.cue)
    if agent is None:
        return source, a.source_name, a.source_type
    if (longer := _agent_longer(agent, source)) is not None:
        # The tagger cut the agent phrase short ("according to state-run media| Al-Ahram"):
        # the whole phrase names the source.
        name, stype, _proper = _name_and_type(d.text[source[0]:longer])
        if name:
            return (source[0], longer), name, a.source_type
    if (on := _agent_names_on(agent, source)) is not None:
        prep, at, end = on
        if prep == "from":  # "a report from the Tasnim news agency": its issuer speaks
            issuer = d.text[at:end].split(None, 1)[-1]  # the words after "from"
            name, stype, _proper = _name_and_type(issuer)
            return (source[0], end), name, stype
        if a.source_name and a.source_name.rsplit(None, 1)[-1].lower() in _ROLE_WORDS:
            # "the Danish ambassador to NATO": the role and its post
            return (source[0], end), f"{a.source_name} {d.text[at:end]}", a.source_type
    return source, a.source_name, a.source_type


# Words after which an agent phrase speaks of time, not of its source.
_AGENT_ENDS = frozenset({"early", "late", "earlier", "later", "this", "last", "next", "yesterday", "today", "tonight",
                         "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


def _agent_longer(agent: _AgentPhrase, source: tuple[int, int]) -> int | None:
    """Where the agent phrase ends when it starts where the tagged ``source`` starts and
    runs on past its end; else None."""
    r, s0, _c0, _c1, short = agent
    if s0 + r.spans[short[0]][0] != source[0]:
        return None
    # Not on into who it cites or when ("state news agency WAFA citing medical sources",
    # "the army early this morning").
    e = next((k for k in range(short[0] + 1, short[1]) if r.lowered[k] in _AGENT_ENDS or (
        r.tokens[k].islower() and r.lowered[k].endswith(("ing", "ed")))), short[1])
    end = s0 + r.spans[e - 1][1]
    return end if end > source[1] else None


def _agent_names_on(agent: _AgentPhrase, source: tuple[int, int]) -> tuple[str, int, int] | None:
    """How the agent phrase that ``source`` ends reads on to who it names
    (:func:`~framing._attribution.assemble._agent`'s ``whole``): the preposition it reads
    on over, where that starts and where the phrase ends; None when it reads no further."""
    r, s0, c0, c1, short = agent
    if s0 + r.spans[short[1] - 1][1] != source[1]:
        return None
    whole = _agent(r.tokens, c0, c1, len(r.tokens), whole=True)
    if whole is None or whole[1] == short[1]:
        return None
    return r.lowered[short[1]], s0 + r.spans[short[1]][0], s0 + r.spans[whole[1] - 1][1]


# Sentence reading, its start, the cue's token span and the agent phrase's token span.
_AgentPhrase = tuple[SentenceRead, int, int, int, tuple[int, int]]


def _agent_phrase(d: _Labelled, i: int, cue: tuple[int, int]) -> _AgentPhrase | None:
    """The agent phrase a cue introduces after itself ("according to X", a passive "by
    X"), read once for both readers above; None for any other cue. Most cues are neither:
    a look at the text spares reading the sentence."""
    if not (d.text[cue[0]:cue[1]].lower().endswith(("according", "to", "by"))
            or d.text[cue[1]:cue[1] + 6].lower().lstrip().startswith(("by", "to"))):
        return None
    r, s0 = _sentence_read(d, i), d.spans[i][0]
    starts = [x for x, _y in r.spans]
    c0, c1 = bisect.bisect_left(starts, cue[0] - s0), bisect.bisect_left(starts, cue[1] - s0)
    if not 0 <= c0 < c1 <= len(starts):
        return None
    short = _agent(r.tokens, c0, c1, len(starts))
    return None if short is None else (r, s0, c0, c1, short)


def _sentence_read(d: _Labelled, i: int) -> SentenceRead:
    """Sentence ``i`` as the lexicons read it, from the feature step's reading; one per
    sentence, so what it works out when asked (token offsets) is worked out once."""
    reads = getattr(d, "reads", None)
    r = reads.get(i) if reads is not None else None
    if r is None:
        s0, s1 = d.spans[i]
        r = SentenceRead(d.text[s0:s1], d.readings[i])
        if reads is not None:
            reads[i] = r
    return r


def _mode(text: str, span: tuple[int, int]) -> str:
    """The mode of an attribution read from the lexicons: mixed when the sentence quotes."""
    return "mixed" if any(q in text[span[0]:span[1]] for q in '"“”‘') else "indirect"


def _without_cue(d: _Labelled, row: list[Attribution | None]) -> None:
    """Sources of the attributed sentences in which the tagger found no cue (see
    :mod:`framing._attribution.implicit`): the sentence's subject when it is a source of
    the label's type (an act told as a fact); else the proper name the feature step's
    patterns read next to a lexicon cue the tagger missed ("“...,” hinted Sanders.");
    else, for a quotation that runs on into the next sentences, the speaker named where
    it closes ("“... help. / It is hard,” he said."); else the previous sentence's source
    when the sentence goes on in its voice.
    An attribution that names nobody (a cue tagged without a source, an anaphor left
    unresolved) counts as none: it neither blocks these nor is carried on, and keeps its
    cue when they name it (:func:`_naming`)."""
    for i, lab in enumerate(d.labels):
        if lab == "reporter_narration" or _named(row[i]):
            continue
        hit = act_source(d.text, d.spans[i], lab, opens_in_quote=d.readings[i].opens_in_quote,
                         read=_sentence_read(d, i))
        if hit is not None:
            span, name, stype = hit
            row[i] = _naming(row[i], Attribution(cue=None, source=span, mode="act", source_name=name,
                                                 source_type=stype))
            continue
        found = pattern_source(d.text, d.spans[i], lab, d.readings[i].att, read=_sentence_read(d, i))
        if found is not None:
            cue, span, name, stype = found
            row[i] = _naming(row[i], Attribution(cue=cue, source=span, mode=_mode(d.text, d.spans[i]),
                                                 source_name=name, source_type=stype,
                                                 stance=cue_stance(d.text, cue, d.spans[i],
                                                                   words=d.readings[i].lowered)))
        elif lab == "state_media_quote" and (hit := channel_in(d.text, d.spans[i], read=_sentence_read(d, i))):
            span, name, stype = hit
            row[i] = _naming(row[i], Attribution(cue=None, source=span, mode="act", source_name=name,
                                                 source_type=stype))
    # Backwards, so a quotation over several sentences takes its closing speaker throughout:
    # the next sentence opens inside the quotation and names its speaker outside it.
    for i in range(len(d.labels) - 2, -1, -1):
        nxt = row[i + 1]
        if not _named(row[i]) and d.labels[i] != "reporter_narration" and d.labels[i + 1] == d.labels[i] and \
                d.readings[i + 1].opens_in_quote and _named(nxt) and _closes_quote(d, i + 1, nxt):
            row[i] = _naming(row[i], _continued(nxt))
    for i, lab in enumerate(d.labels):
        if lab == "reporter_narration" or _named(row[i]):
            continue
        prev = row[i - 1] if i and d.labels[i - 1] == lab else None
        if _named(prev) and (prev.source is not None or prev.resolved_from is not None):
            row[i] = _naming(row[i], _continued(prev))


def _named(a: Attribution | None) -> TypeGuard[Attribution]:
    """Whether ``a`` names its source: a cue tagged with no source (its ``source_name``
    None) or an anaphor left unresolved is no attribution to keep or carry on."""
    return a is not None and bool(a.source_name)


def _naming(a: Attribution | None, by: Attribution) -> Attribution:
    """``by`` (an act's subject, a voice carried on) for a sentence whose attribution ``a``
    names nobody, or that has none. A cue of ``a``'s own stays, with its mode and stance:
    ``by`` names its source, as if an anaphor had been resolved ("The leader also
    highlighted ..."; "“...,” he said"), unless ``by`` names it only later in the text."""
    if a is None or a.cue is None:
        return by
    ref = by.resolved_from if by.source is None else None
    if ref is not None and ref[1] > (a.source[0] if a.source is not None else a.cue[0]):
        # A voice named later (where a quotation closes): only a continued attribution,
        # with no cue of its own, may point forward.
        return by
    return Attribution(cue=a.cue, source=by.source if by.source is not None else a.source, mode=a.mode,
                       source_name=by.source_name, source_type=by.source_type,
                       resolved_from=by.resolved_from, stance=a.stance)


def _closes_quote(d: _Labelled, i: int, a: Attribution | None) -> bool:
    """Whether ``a``, sentence ``i``'s attribution, names the speaker of the quotation the
    sentence opens in: its cue and source stand outside quotation marks ("..., he said"),
    or it carries on the closing speaker of a later sentence."""
    if a is None or (a.source is None and a.resolved_from is None):
        return False
    if a.cue is None:
        return a.mode == "continued"
    quoted = d.readings[i].quoted
    cue = _token_at(d, i, a.cue[0])
    source = cue if a.source is None else _token_at(d, i, a.source[0])
    first = min(cue, source)
    if not 0 <= first < len(quoted) or quoted[cue] or quoted[source]:
        return False
    # The attribution follows the quotation's close ('...," he said'; '...," said X'), not a
    # later clause ('... all." Meanwhile, the envoy said ...').
    last = max((k for k in range(first) if quoted[k]), default=None)
    return last is not None and first - last <= _NEAR_CLOSE


# How far an attribution may start after the quotation's last quoted token (its closing
# mark): right after it ('gone,” the envoy said'), or after one comma or dash ('gone”,
# the envoy said'); a clause in between ('all.” Meanwhile, the envoy said') is too far.
_NEAR_CLOSE = 2


def _token_at(d: _Labelled, i: int, offset: int) -> int:
    """The index of sentence ``i``'s token that starts at or covers document ``offset``."""
    spans = _sentence_read(d, i).spans
    return bisect.bisect_right([a for a, _b in spans], offset - d.spans[i][0]) - 1


def _continued(a: Attribution) -> Attribution:
    """A sentence carried in ``a``'s voice: no cue or span of its own, ``a``'s source."""
    ref = a.source if a.source is not None else a.resolved_from
    return Attribution(cue=None, source=None, mode="continued", source_name=a.source_name,
                       source_type=a.source_type, resolved_from=ref, stance=a.stance)


def _build(d: _Labelled, found: list[Attribution | None] | None, *, id: str,  # noqa: A002
           meta: Mapping[str, Any] | None, model: Model, explain: bool) -> Document:
    """The Document of a labelled text, with its attributions (None: not extracted)."""
    sources = d.sources
    if found is None:
        found = [None] * len(d.spans)
    else:
        sources = sentence_sources(found, sources)
    sentences = [
        Sentence(index=i, start=start, end=end, doc_text=d.text, label=LABELS[k],
                 probabilities=dict(zip(LABELS, row)),
                 explanation=model.explain(d.feats[i], k) if explain else None, attribution=found[i])
        for i, ((start, end), k, row) in enumerate(zip(d.spans, d.best, d.rows))
    ]
    profile = document_profile(d.spans, d.labels, [row[k] for k, row in zip(d.best, d.rows)], sources,
                               stances=[None if a is None else a.stance for a in found])
    return Document(id=id, text=d.text, sentences=sentences, profile=profile, meta=meta or {})


def _check_text(text: str, where: str) -> None:
    # A lone surrogate is not Unicode: no output (UTF-8 JSON, HTML) could write the document.
    if _SURROGATE.search(text) is not None:
        raise _surrogate_message(where, "the text", text)


def _as_item(item: Any, position: int) -> tuple[str, str, dict[str, Any]]:
    if isinstance(item, str):
        _check_text(item, f"item {position}")
        return f"doc-{position}", item, {}
    if isinstance(item, Mapping):
        if "text" not in item:
            raise InputError(f"item {position}: record has no 'text' field (fields: {sorted(map(str, item))})")
        if not isinstance(item["text"], str):
            raise InputError(f"item {position}: 'text' must be a string, got {type(item['text']).__name__}")
        _check_text(item["text"], f"item {position}")
        meta = {k: v for k, v in item.items() if k not in ("id", "text")}
        ident = item.get("id", f"doc-{position}")
        return (ident if isinstance(ident, str) else json.dumps(ident, ensure_ascii=False, sort_keys=True, default=str),
                item["text"], meta)
    raise InputError(f"item {position}: expected a str or a mapping with 'text', got {type(item).__name__}")


def _analyze_batch(batch: list[tuple[str, str, dict[str, Any]]], model: Model, explain: bool, *,
                   attribution: bool = True) -> list[Document]:
    labelled = _label_many([text for _id, text, _meta in batch], model)
    found = _attributions(labelled) if attribution else [None] * len(batch)
    return [_build(d, f, id=id_, meta=meta, model=model, explain=explain)
            for (id_, _text, meta), d, f in zip(batch, labelled, found, strict=True)]


def analyze_many(
    texts_or_records: Iterable[str | Mapping[str, Any]],
    *,
    batch_size: int = 64,
    n_jobs: int = 1,
    model: Model | None = None,
    explain: bool = False,
    attribution: bool = True,
) -> Iterator[Document]:
    """Analyse a stream of texts or records, yielding documents in input order.

    Streams like spaCy's ``nlp.pipe``: input is consumed ``batch_size`` items at a
    time, so memory stays flat however long the stream is.

    Parameters
    ----------
    texts_or_records : iterable of str or mapping
        Plain texts (ids ``doc-0``, ``doc-1``, ...) or mappings with ``text`` and
        optionally ``id``; other fields are kept as ``Document.meta``.
    batch_size : int
        Items per batch (per task when ``n_jobs != 1``).
    n_jobs : int
        Worker processes (joblib; ``-1`` = all cores). Output order and content do
        not depend on it.
    model : Model, optional
        The shipped model by default.
    explain, attribution : bool
        As in :func:`analyze`.

    Raises
    ------
    InputError
        For an item that is neither a string nor a mapping with a string ``text``
        (the message gives its position).
    """
    if not isinstance(batch_size, int) or batch_size < 1:
        raise UsageError(f"batch_size must be a positive integer, not {batch_size!r}")
    if not isinstance(n_jobs, int) or n_jobs == 0:
        raise UsageError(f"n_jobs must be a non-zero integer (-1 = all cores), not {n_jobs!r}")
    if isinstance(texts_or_records, (str, bytes, Mapping)) or not isinstance(texts_or_records, Iterable):
        # Iterating one text would score each of its characters as a document.
        raise InputError(f"analyze_many() takes an iterable of texts or records, got "
                         f"{type(texts_or_records).__name__}; for one text pass [text], or use analyze(text)")
    model = model or load_model()
    items = (_as_item(x, i) for i, x in enumerate(texts_or_records))
    func = functools.partial(_analyze_batch, attribution=attribution)
    yield from _batched(func, items, model, explain, batch_size=batch_size, n_jobs=n_jobs)


_watched = False


def _watch_parent(parent: int | None = None) -> None:
    """In a worker process: exit when the process that started it (``parent``, by default
    this process's parent) is gone; killed with SIGKILL, it cannot stop its workers itself.
    Checked once a second by a daemon thread. Does nothing in the parent process itself
    (a thread backend), or when ``parent`` is alive but not this process's parent."""
    global _watched
    if _watched:
        return
    if parent is None:
        parent = os.getppid()
    if parent == os.getpid():
        return
    if parent != os.getppid():
        try:
            os.kill(parent, 0)
        except ProcessLookupError:  # it died before this worker got going
            os._exit(1)
        except OSError:
            pass
        return
    _watched = True
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="framing-parent-watch", daemon=True).start()


def _parallel(n_jobs: int) -> Any:
    """A joblib ``Parallel`` whose loky workers watch their parent from the moment they
    start (when joblib takes an initializer and no other backend was chosen); the first
    task of each worker starts the watch otherwise."""
    from joblib import Parallel

    kwargs: dict[str, Any] = {"n_jobs": n_jobs, "return_as": "generator", "pre_dispatch": "2*n_jobs"}
    try:
        from joblib._parallel_backends import LokyBackend
        from joblib.parallel import get_active_backend

        if type(get_active_backend()[0]) is LokyBackend:
            backend = LokyBackend(initializer=_watch_parent, initargs=(os.getpid(),))
            if getattr(backend, "backend_kwargs", {}).get("initializer") is _watch_parent:
                return Parallel(backend=backend, **kwargs)
    except Exception:  # another joblib: the per-task start below still applies
        pass
    return Parallel(**kwargs)


def _in_worker(func, batch: list[Any], model: Model, explain: bool, parent: int) -> Any:
    _watch_parent(parent)
    return func(batch, model, explain)


def _batched(func, items: Iterable[Any], model: Model, explain: bool, *, batch_size: int, n_jobs: int) -> Iterator[Any]:
    """Apply ``func(batch, model, explain)`` to consecutive batches, in order, in this
    process or in ``n_jobs`` worker processes; results come out in input order."""
    failure: list[BaseException] = []
    batches = _pulled(iter(items), batch_size, failure)
    n_jobs = min(n_jobs, os.cpu_count() or 1)  # more processes than CPUs only cost memory
    if n_jobs == 1:
        for batch in batches:
            yield from func(batch, model, explain)
    else:
        from joblib import delayed

        parallel = _parallel(n_jobs)
        me = os.getpid()
        results_of = parallel(delayed(_in_worker)(func, b, model, explain, me) for b in batches)
        try:
            for results in results_of:
                yield from results
        finally:
            # A consumer that stops early (a closed pipe, an error) makes joblib warn about the
            # batches it computed in advance; they are not wanted, and the warning is noise.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=r".*tasks .*(executed|cancelled)", category=UserWarning)
                results_of.close()
    if failure:  # the input failed: everything read before it has been yielded; now the caller hears of it
        raise failure[0]


def _pulled(it: Iterator[Any], size: int, failure: list[BaseException]) -> Iterator[list[Any]]:
    """Batches of ``it``. An exception from ``it`` (a bad item, a closed source, Ctrl-C)
    ends the batches after the items read before it, and is kept in ``failure`` for the
    caller's thread: joblib pulls batches on a thread of its own, where it would lose them."""
    batch: list[Any] = []
    while True:
        try:
            item = next(it)
        except StopIteration:
            break
        except BaseException as exc:
            failure.append(exc)
            break
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# Any failure while scoring one record becomes that record's error record (the run goes
# on); this is the one place where that happens, for every engine and output format.
_RECORD_ERRORS: tuple[type[BaseException], ...] = (Exception,)


def _error(r: Any, exc: BaseException) -> dict[str, Any]:
    return {"id": r.id, "error": {"type": type(exc).__name__, "message": str(exc)}}


def _score_batch(records: list[Any], model: Model, explain: bool, *,
                 attribution: bool = True) -> list[Document | dict[str, Any]]:
    out: list[Any] = [None] * len(records)
    readable = [i for i, r in enumerate(records) if r.error is None]
    for i, r in enumerate(records):
        if r.error is not None:
            out[i] = {"id": r.id, "error": r.error}
    for i, res in zip(readable, _label_many([records[i].text for i in readable], model, catch=_RECORD_ERRORS),
                      strict=True):
        out[i] = _error(records[i], res) if isinstance(res, BaseException) else res
    ok = [i for i, x in enumerate(out) if isinstance(x, _Labelled)]
    found: dict[int, list[Attribution | None] | None] = dict.fromkeys(ok)
    if attribution and ok:
        try:
            found.update(zip(ok, _attributions([out[i] for i in ok]), strict=True))
        except _RECORD_ERRORS:
            # Find the record that fails on its own; the others keep their results.
            for i in ok:
                try:
                    found[i] = _attributions([out[i]])[0]
                except _RECORD_ERRORS as exc:
                    out[i] = _error(records[i], exc)
    for i in ok:
        if isinstance(out[i], _Labelled):
            r = records[i]
            try:
                out[i] = _build(out[i], found[i], id=r.id, meta=r.meta, model=model, explain=explain)
            except _RECORD_ERRORS as exc:
                out[i] = _error(r, exc)
    return out


def _score_batch_jsonl(records: list[Any], model: Model, explain: bool, *, attribution: bool = True) -> list[Any]:
    from ._report import jsonl_line

    out = _score_batch(records, model, explain, attribution=attribution)
    for i, x in enumerate(out):
        if not isinstance(x, dict):
            try:
                out[i] = jsonl_line(x)
            except _RECORD_ERRORS as exc:
                out[i] = _error(records[i], exc)
    return out


def score_records(
    records: Iterable[Any],
    *,
    model: Model,
    explain: bool = False,
    n_jobs: int = 1,
    batch_size: int = 64,
    render_jsonl: bool = False,
    attribution: bool = True,
) -> Iterator[Any]:
    """Score :class:`~framing._io.Record` items, one output per input, in input order.

    A record that failed to read, or fails to score, yields an error mapping
    ``{"id": ..., "error": {"type": ..., "message": ...}}`` in its place. With
    ``render_jsonl`` a scored document comes back as its JSONL line
    (:class:`~framing._report.RenderedLine`), rendered in the worker that scored it.
    """
    func = functools.partial(_score_batch_jsonl if render_jsonl else _score_batch, attribution=attribution)
    yield from _batched(func, records, model, explain, batch_size=batch_size, n_jobs=n_jobs)


def score_dataset(
    ds: Any,
    *,
    text_column: str = "text",
    model: Model | None = None,
    num_proc: int | None = None,
    batch_size: int = 64,
) -> Any:
    """Score a Hugging Face ``datasets.Dataset`` column, adding label and profile columns.

    Runs ``Dataset.map(batched=True)``, so Arrow/Parquet corpora are scored in place,
    cached, and in ``num_proc`` processes if asked. Every row keeps its place: a row
    whose text is missing or not a string gets null results and a message in
    ``framing_error``.

    Parameters
    ----------
    ds : datasets.Dataset
        The corpus.
    text_column : str
        Column holding each article's text.
    model : Model, optional
        The shipped model by default.
    num_proc, batch_size : int
        Passed to ``Dataset.map``.

    Returns
    -------
    datasets.Dataset
        With ``framing_spans`` (``[start, end]`` per sentence), ``framing_labels``,
        ``framing_probabilities`` (per sentence, in :data:`framing.LABELS` order),
        ``framing_share_<label>`` for each label, ``framing_attributed_share``,
        ``framing_dominant_label``, ``framing_profile`` (the full profile as JSON) and
        ``framing_error``.
    """
    import json

    if not (hasattr(ds, "map") and hasattr(ds, "column_names") and hasattr(ds, "num_rows")):
        raise InputError(f"score_dataset() takes a datasets.Dataset, got {type(ds).__name__}; for a list of texts "
                         "use analyze_many, for a streaming IterableDataset analyze_many over its rows")
    if text_column not in ds.column_names:
        raise UsageError(f"no column {text_column!r}; columns are {ds.column_names}")
    model = model or load_model()

    def score(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {k: [] for k in _DATASET_COLUMNS}
        values = batch[text_column]
        docs = iter(_analyze_batch([(str(i), v, {}) for i, v in enumerate(values) if isinstance(v, str)],
                                   model, False))
        for value in values:
            if not isinstance(value, str):
                for k in _DATASET_COLUMNS:
                    out[k].append(None)
                out["framing_error"][-1] = f"{text_column!r} is {type(value).__name__}, not a string"
                continue
            doc = next(docs)
            p = doc.profile or {}
            out["framing_spans"].append([[s.start, s.end] for s in doc.sentences])
            out["framing_labels"].append([s.label for s in doc.sentences])
            out["framing_probabilities"].append(
                [[round(s.probabilities[k], 4) for k in LABELS] for s in doc.sentences]  # type: ignore[index]
            )
            for lab in LABELS:
                out[f"framing_share_{lab}"].append(p["shares"][lab])
            out["framing_attributed_share"].append(p["attributed_share"])
            out["framing_dominant_label"].append(p["dominant_label"])
            out["framing_profile"].append(json.dumps(doc.to_dict()["profile"], sort_keys=True))
            out["framing_error"].append(None)
        return out

    import datasets

    seq = getattr(datasets, "List", None) or datasets.Sequence
    features = datasets.Features({
        **ds.features,
        "framing_spans": seq(seq(datasets.Value("int64"))),
        "framing_labels": seq(datasets.Value("string")),
        "framing_probabilities": seq(seq(datasets.Value("float64"))),
        **{f"framing_share_{lab}": datasets.Value("float64") for lab in LABELS},
        "framing_attributed_share": datasets.Value("float64"),
        "framing_dominant_label": datasets.Value("string"),
        "framing_profile": datasets.Value("string"),
        "framing_error": datasets.Value("string"),
    })
    return ds.map(score, batched=True, batch_size=batch_size, num_proc=num_proc, features=features, desc="framing")


_DATASET_COLUMNS = (
    "framing_spans",
    "framing_labels",
    "framing_probabilities",
    *(f"framing_share_{lab}" for lab in LABELS),
    "framing_attributed_share",
    "framing_dominant_label",
    "framing_profile",
    "framing_error",
)
