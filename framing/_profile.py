"""Framing profiles: how much of a document each voice carries, and where.

Profile of one document (every mapping keyed by label, in :data:`framing.LABELS` order):

``n_sentences``
    Number of sentences.
``n_chars``
    Characters inside sentences (white space between sentences excluded).
``counts`` / ``shares``
    Sentences per label and their share of all sentences (shares sum to 1; all
    0.0 for a document without sentences).
``char_counts`` / ``char_shares``
    The same by characters, so long quotations weigh more than short transitions.
``mean_confidence``
    Mean probability of the predicted label over the sentences given that label
    (``null`` when no sentence has it): how sure the model was.
``attributed_share``
    Share of sentences carried by a source rather than the reporter
    (1 - ``shares["reporter_narration"]``).
``dominant_label``
    The label with most sentences (ties go to the earlier label in the fixed order);
    ``dominant_attributed_label`` is the same among the three attributed labels
    (``null`` when none occurs).
``opening``
    ``headline``: label of the first sentence; ``lede``: labels of the first three.
``positions``
    Per label: ``first_index`` (first sentence with the label, or ``null``),
    ``first_position`` (that index over ``n_sentences``, 0 = top), and
    ``share_first_half`` / ``share_second_half`` (where that label's sentences sit).
``sources``
    Per label: the state outlets, officials and analyst bodies named as the source
    of the label's sentences (lexicon entries inside the attribution's source
    phrase), with counts, most frequent first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._document import LABELS, Document, rounded_shares

__all__ = ["document_profile", "corpus_profile"]

_ATTRIBUTED = LABELS[:3]


def document_profile(
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
    confidences: Sequence[float],
    sources: Sequence[Sequence[tuple[str, str]]] | None = None,
    *,
    decimals: int = 4,
) -> dict[str, Any]:
    """Compute the profile of one document from its scored sentences.

    Parameters
    ----------
    spans : sequence of (int, int)
        Sentence offsets.
    labels : sequence of str
        Predicted label of each sentence.
    confidences : sequence of float
        Probability of each sentence's predicted label.
    sources : sequence of sequence of (str, str), optional
        Per sentence, the ``(name, type)`` of the sources its attribution names.
    decimals : int
        Rounding of shares and means (probabilities are estimates; 4 places keep
        output stable across platforms).
    """
    n = len(labels)
    counts = Counter(labels)
    chars: Counter[str] = Counter()
    conf_sum: Counter[str] = Counter()
    for (s, e), lab, c in zip(spans, labels, confidences, strict=False):
        chars[lab] += e - s
        conf_sum[lab] += c
    n_chars = sum(chars.values())
    half = n / 2
    positions = {}
    for lab in LABELS:
        idx = [i for i, x in enumerate(labels) if x == lab]
        first_half = sum(1 for i in idx if i < half)
        positions[lab] = {
            "first_index": idx[0] if idx else None,
            "first_position": round(idx[0] / n, decimals) if idx else None,
            "share_first_half": round(first_half / len(idx), decimals) if idx else None,
            "share_second_half": round(1 - first_half / len(idx), decimals) if idx else None,
        }
    named: dict[str, Counter[str]] = {lab: Counter() for lab in LABELS}
    if sources is not None:
        for lab, names in zip(labels, sources, strict=False):
            for name, _kind in names:
                named[lab][name] += 1
    shares = rounded_shares({lab: counts[lab] for lab in LABELS}, decimals)
    dominant = max(LABELS, key=lambda lab: (counts[lab], -LABELS.index(lab))) if n else None
    attributed = [lab for lab in _ATTRIBUTED if counts[lab]]
    dominant_attr = max(attributed, key=lambda lab: (counts[lab], -LABELS.index(lab))) if attributed else None
    return {
        "n_sentences": n,
        "n_chars": n_chars,
        "counts": {lab: counts[lab] for lab in LABELS},
        "shares": shares,
        "char_counts": {lab: chars[lab] for lab in LABELS},
        "char_shares": rounded_shares({lab: chars[lab] for lab in LABELS}, decimals),
        "mean_confidence": {
            lab: round(conf_sum[lab] / counts[lab], decimals) if counts[lab] else None for lab in LABELS
        },
        "attributed_share": round(1 - shares["reporter_narration"], decimals) if n else 0.0,
        "dominant_label": dominant,
        "dominant_attributed_label": dominant_attr,
        "opening": {"headline": labels[0] if n else None, "lede": list(labels[:3])},
        "positions": positions,
        "sources": {
            lab: dict(sorted(named[lab].items(), key=lambda kv: (-kv[1], kv[0]))) for lab in LABELS
        },
    }


def corpus_profile(
    documents: Iterable[Document], *, by: str | None = None, decimals: int = 4
) -> dict[str, dict[str, Any]]:
    """Aggregate document profiles, optionally grouped by a metadata field.

    Parameters
    ----------
    documents : iterable of Document
        Scored documents (with profiles).
    by : str, optional
        A field of ``Document.meta`` (for example ``"outlet"``) to group by;
        documents without it fall in the group ``"(none)"``. Without ``by``, one
        group ``"all"``.

    Returns
    -------
    dict
        Per group: ``n_documents``, ``n_sentences``, pooled ``counts`` and
        ``shares`` (every sentence weighs the same), ``mean_document_shares``
        (every document weighs the same), ``attributed_share`` and ``sources``.
    """
    groups: dict[str, dict[str, Any]] = {}
    for doc in documents:
        if doc.profile is None:
            raise ValueError(f"document {doc.id!r} has no profile; score it with framing.analyze first")
        key = "all" if by is None else str(doc.meta.get(by, "(none)"))
        g = groups.setdefault(key, {"n_documents": 0, "n_sentences": 0, "counts": Counter(), "doc_shares": Counter(),
                                    "sources": {lab: Counter() for lab in LABELS}})
        p: Mapping[str, Any] = doc.profile
        g["n_documents"] += 1
        g["n_sentences"] += p["n_sentences"]
        for lab in LABELS:
            g["counts"][lab] += p["counts"][lab]
            g["doc_shares"][lab] += p["shares"][lab]
            g["sources"][lab].update(p["sources"][lab])
    out = {}
    for key in sorted(groups):
        g = groups[key]
        n, d = g["n_sentences"], g["n_documents"]
        shares = rounded_shares({lab: g["counts"][lab] for lab in LABELS}, decimals)
        out[key] = {
            "n_documents": d,
            "n_sentences": n,
            "counts": {lab: g["counts"][lab] for lab in LABELS},
            "shares": shares,
            "mean_document_shares": rounded_shares({lab: g["doc_shares"][lab] for lab in LABELS}, decimals),
            "attributed_share": round(1 - shares["reporter_narration"], decimals) if n else 0.0,
            "sources": {lab: dict(g["sources"][lab].most_common(20)) for lab in LABELS},
        }
    return out
