"""The document model: immutable sentences and documents with character offsets.

A :class:`Sentence` is a ``(start, end)`` span into its document's text; its
``text`` is always the slice ``document.text[start:end]``, never a copy that could
drift. A :class:`Document` keeps the text exactly as given.

JSON schema (``to_dict``), stable across versions of the same major number::

    Document: {"id": str, "sentences": [Sentence, ...], "profile": {...} | null,
               "meta": {...}}
    Sentence: {"index": int, "start": int, "end": int, "text": str,
               "label": str | null, "probabilities": {label: float} | null,
               "attribution": Attribution | null, ["explanation": {...}]}
    Attribution: {"cue": Span | null, "source": Span | null,
                  "mode": "direct" | "indirect" | "mixed" | "continued" | "act",
                  "source_name": str | null, "source_type": str, "resolved_from": Span | null,
                  "stance": "neutral" | "distancing" | "endorsing" | null}
    Span: {"start": int, "end": int, "text": str}

``attribution`` is set on attributed sentences (not ``reporter_narration``) whose
source was found; ``resolved_from`` is the earlier mention a pronoun source ("he said")
was resolved to, which then gives ``source_name`` and ``source_type``. Two modes have no
cue: ``continued`` (the sentence goes on in the previous sentence's voice, or is part of
a quotation whose speaker is named where it closes, in a later sentence; ``source`` is
null and ``resolved_from`` is that source mention, earlier or later) and ``act`` (an act or
report told as a fact, "The US has lifted an order ..."; ``source`` is its actor).
``stance`` is how the reporter's wording frames the claim (null when no cue frames it: an
``act``, or a ``continued`` sentence after one).

``probabilities`` lists the labels in :data:`LABELS` order and is rounded to
``decimals`` places (4 by default) in ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["LABELS", "Attribution", "Sentence", "Document"]

LABELS: tuple[str, ...] = (
    "state_media_quote",
    "official_claim",
    "analyst_assessment",
    "reporter_narration",
)
"""The four framing labels, in the fixed order used by every array, column and table."""

def rounded_shares(weights: Mapping[str, float], decimals: int) -> dict[str, float]:
    """``weights`` as shares rounded to ``decimals`` places that add up to exactly 1 as
    written (decimal text; a float sum may be off by 1e-16).

    Largest-remainder rounding: each share is floored to the grid, and the units left
    over go to the largest remainders (ties to the larger weight, then the earlier key),
    so no share moves by more than one unit of the last place. All zero weights give all
    zero shares.
    """
    total = sum(weights.values())
    if total <= 0:
        return {k: 0.0 for k in weights}
    scale = 10**decimals
    exact = {k: v / total * scale for k, v in weights.items()}
    units = {k: int(x) for k, x in exact.items()}
    left = scale - sum(units.values())
    keys = list(weights)
    order = sorted(keys, key=lambda k: (-round(exact[k] - units[k], 9), -weights[k], keys.index(k)))
    for k in order[:max(left, 0)]:
        units[k] += 1
    return {k: round(u / scale, decimals) for k, u in units.items()}


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if value is None:
        return None
    return MappingProxyType(dict(value))


@dataclass(frozen=True)
class Attribution:
    """Who a sentence's content is attributed to, as character offsets into the document.

    Parameters
    ----------
    cue : (int, int) or None
        The attribution cue ("said", "according to", "told Reuters"); ``None`` for the
        modes ``continued`` and ``act``, which have none.
    source : (int, int) or None
        The source as written ("KCNA", "a senior U.S. official", "he"); ``None`` when
        the cue names nobody in this sentence ("it was reported") and for ``continued``.
    mode : {"direct", "indirect", "mixed", "continued", "act"}
        Quoted words, reported speech, or both; or, with no cue, a sentence that goes
        on in the previous sentence's voice, or an act told as a fact with its actor.
    source_name : str or None
        Canonical name of the source (the lexicon's entry, or the resolved mention).
    source_type : str
        ``state_media``, ``official``, ``analyst``, ``independent_media``,
        ``nonstate``, ``other`` (named, of no known type) or ``pronoun`` (unresolved).
    resolved_from : (int, int) or None
        For a pronoun or "the agency", the earlier mention it was resolved to; for
        ``continued``, the source mention the sentence continues (earlier), or of the
        quotation it belongs to, named where the quotation closes (later).
    stance : {"neutral", "distancing", "endorsing"} or None
        How the reporter's wording frames the claim ("said", "claimed", "confirmed");
        ``None`` when no cue frames it (an ``act``, or a ``continued`` sentence after one).
    """

    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    mode: str
    source_name: str | None
    source_type: str
    resolved_from: tuple[int, int] | None = None
    stance: str | None = None

    def to_dict(self, text: str) -> dict[str, Any]:
        """Plain-dict form; ``text`` is the document text the offsets refer to."""

        def span(x: tuple[int, int] | None) -> dict[str, Any] | None:
            return None if x is None else {"start": x[0], "end": x[1], "text": text[x[0] : x[1]]}

        return {"cue": span(self.cue), "source": span(self.source), "mode": self.mode,
                "source_name": self.source_name, "source_type": self.source_type,
                "resolved_from": span(self.resolved_from), "stance": self.stance}


@dataclass(frozen=True, eq=True)
class Sentence:
    """One sentence: a span of its document's text and, once scored, its label.

    Parameters
    ----------
    index : int
        Position of the sentence in its document, from 0.
    start, end : int
        Character offsets into the document text; ``text == doc.text[start:end]``.
    doc_text : str
        The whole document text the offsets refer to (shared, not copied).
    label : str or None
        One of :data:`LABELS` once scored.
    probabilities : mapping of str to float or None
        Probability of each label, in :data:`LABELS` order.
    explanation : mapping or None
        Features that pushed the sentence towards its label (``explain=True``).
    attribution : Attribution or None
        Cue and source of an attributed sentence, once scored.
    """

    index: int
    start: int
    end: int
    doc_text: str = field(repr=False, compare=False)
    label: str | None = None
    probabilities: Mapping[str, float] | None = None
    explanation: Mapping[str, Any] | None = field(default=None, compare=False)
    attribution: Attribution | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end <= len(self.doc_text):
            raise ValueError(
                f"sentence span ({self.start}, {self.end}) lies outside a text of "
                f"{len(self.doc_text)} characters"
            )
        if self.label is not None and self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}; expected one of {LABELS}")
        a = self.attribution
        if a is not None:
            for what, x in (("cue", a.cue), ("source", a.source)):
                if x is not None and not self.start <= x[0] <= x[1] <= self.end:
                    raise ValueError(f"attribution {what} {x} lies outside sentence ({self.start}, {self.end})")
            r = a.resolved_from
            if r is not None and a.mode == "continued":
                # A continued voice points at another sentence's source: before this
                # sentence, or after it (named where its quotation closes).
                if not (0 <= r[0] <= r[1] <= self.start or self.end <= r[0] <= r[1] <= len(self.doc_text)):
                    raise ValueError(f"resolved_from {r} of a continued attribution must lie before sentence "
                                     f"({self.start}, {self.end}) or after it")
            elif r is not None:
                before = a.source[0] if a.source is not None else self.end
                if not 0 <= r[0] <= r[1] <= before:
                    raise ValueError(f"resolved_from {r} must lie before the source it resolves")
        object.__setattr__(self, "probabilities", _frozen_mapping(self.probabilities))
        object.__setattr__(self, "explanation", _frozen_mapping(self.explanation))

    @property
    def text(self) -> str:
        """The sentence text, sliced from the document by its offsets."""
        return self.doc_text[self.start : self.end]

    def to_dict(self, *, decimals: int = 4) -> dict[str, Any]:
        """Plain-dict form (see the module docstring for the schema)."""
        out: dict[str, Any] = {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "probabilities": None
            if self.probabilities is None
            else rounded_shares({k: float(self.probabilities[k]) for k in LABELS}, decimals),
        }
        if self.label is not None:
            out["attribution"] = None if self.attribution is None else self.attribution.to_dict(self.doc_text)
        if self.explanation is not None:
            out["explanation"] = _plain(self.explanation)
        return out


@dataclass(frozen=True, eq=True)
class Document:
    """A document: its id, its text exactly as given, its sentences and profile.

    Parameters
    ----------
    id : str
        Identifier (a file path, a record id, or ``"doc-N"``).
    text : str
        The original text; never altered.
    sentences : sequence of Sentence
        Sentences in order, each a span of ``text``.
    profile : mapping or None
        The framing profile, once scored.
    meta : mapping
        Other fields of the input record, kept as given.
    """

    id: str
    text: str = field(repr=False)
    sentences: Sequence[Sentence] = ()
    profile: Mapping[str, Any] | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        sentences = tuple(self.sentences)
        prev_end = 0
        for i, s in enumerate(sentences):
            if s.doc_text is not self.text and s.doc_text != self.text:
                raise ValueError(f"sentence {i} refers to another text")
            if s.index != i or s.start < prev_end:
                raise ValueError(f"sentence {i} is out of order or overlaps its predecessor")
            prev_end = s.end
        object.__setattr__(self, "sentences", sentences)
        object.__setattr__(self, "profile", _frozen_mapping(self.profile))
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    @classmethod
    def from_spans(
        cls,
        text: str,
        spans: Sequence[tuple[int, int]],
        *,
        id: str = "doc-0",  # noqa: A002 - the public field name
        meta: Mapping[str, Any] | None = None,
    ) -> Document:
        """Build an unlabelled document from ``(start, end)`` spans."""
        sentences = [Sentence(i, s, e, text) for i, (s, e) in enumerate(spans)]
        return cls(id=id, text=text, sentences=sentences, meta=meta or {})

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The ``(start, end)`` offsets of the sentences."""
        return [(s.start, s.end) for s in self.sentences]

    def to_dict(self, *, decimals: int = 4) -> dict[str, Any]:
        """Plain-dict form (see the module docstring for the schema)."""
        return {
            "id": self.id,
            "sentences": [s.to_dict(decimals=decimals) for s in self.sentences],
            "profile": None if self.profile is None else _plain(self.profile),
            "meta": _plain(self.meta),
        }


def _plain(value: Any) -> Any:
    """Turn mapping proxies and tuples into JSON-ready dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
