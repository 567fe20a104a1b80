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
    Per attributed label: the state outlets, officials and analyst bodies named as the
    source of the label's sentences (lexicon entries inside the attribution's source
    phrase), with counts, most frequent first. Always empty for ``reporter_narration``:
    a name in the reporter's own voice is not a source speaking.
``stance``
    Per attributed label: how the reporter's wording frames that label's claims, over
    the sentences whose attribution has a stance (``n``): ``counts`` and ``shares`` of
    ``neutral`` ("said"), ``distancing`` ("claimed", "without evidence") and
    ``endorsing`` ("confirmed", "acknowledged"); shares are ``null`` when ``n`` is 0.
"""

from __future__ import annotations

import datetime
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from ._attribution.stance import STANCES
from ._document import LABELS, Attribution, Document, rounded_shares
from ._errors import InputError, ModelError, UsageError
from ._model import Model

__all__ = ["document_profile", "corpus_profile", "sentence_sources"]

_ATTRIBUTED = LABELS[:3]
# Source types that name a speaker the profile counts (not "other" or "pronoun").
_TYPED = frozenset({"state_media", "official", "analyst", "independent_media", "nonstate"})
_ISO_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-\d{2})?(?:[T ].*)?)?$")


def document_profile(
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
    confidences: Sequence[float],
    sources: Sequence[Sequence[tuple[str, str]]] | None = None,
    *,
    stances: Sequence[str | None] | None = None,
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
    stances : sequence of str or None, optional
        Per sentence, the stance of its attribution (``None``: none).
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
            if lab == "reporter_narration":  # the reporter's voice: a name in it is not a source speaking
                continue
            for name, _kind in names:
                named[lab][name] += 1
    framed: dict[str, dict[str, int]] = {lab: {} for lab in _ATTRIBUTED}  # plain dicts: per document, cheap
    if stances is not None:
        for lab, st in zip(labels, stances, strict=False):
            if st is not None and lab in framed:
                framed[lab][st] = framed[lab].get(st, 0) + 1
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
        "stance": {lab: stance_summary(framed[lab], decimals) for lab in _ATTRIBUTED},
    }


def _initials(name: str) -> str:
    """ "Korean Central News Agency" -> "KCNA" (lower-case joiners skipped)."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def sentence_sources(found: list[Attribution | None],
                     lexicon: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """Per sentence, the (name, type) of its source for the profile: a typed source the
    tagger found; else the lexicon entries in the pattern-found source phrase.

    A one-word name counts under the one typed fuller name that ends with it and was
    given first ("Sherman" under "Wendy Sherman"), and an acronym under the one typed
    name it abbreviates ("KCNA" under "Korean Central News Agency"), so that a speaker is
    one source of the profile; sentences keep the name as written. Left alone: a surname
    two fuller names end with, a name met before its fuller form, a lower-case word
    ("officials"), and a name typed otherwise ("Times" is not the "Global Times"). A
    source phrase left unnamed (an anaphor nothing resolves) counts as no source.
    """
    first: dict[str, int] = {}
    for i, a in enumerate(found):
        if a is not None and a.source_name:
            first.setdefault(a.source_name, i)
    typed = {a.source_name: a.source_type for a in found
             if a is not None and a.source_name and a.source_type in _TYPED}
    full: dict[str, tuple[str, str]] = {}
    for a in found:
        n = a.source_name if a is not None else None
        if not n or " " in n or not n[:1].isupper() or n in full:
            continue
        if len(n) > 1 and n.isupper():
            # An acronym of a typed name anywhere in the document ("KCNA").
            longer = [m for m in typed if " " in m and _initials(m) == n]
        else:
            longer = [m for m in typed if m.endswith(" " + n) and first[m] < first[n]]
        if len(longer) == 1 and a.source_type in {"other", "pronoun", typed[longer[0]]}:
            full[n] = (longer[0], typed[longer[0]])
    out = []
    for a, lex in zip(found, lexicon, strict=True):
        name = a.source_name if a is not None else None
        if name in full:
            out.append([full[name]])
        elif name and a.source_type in _TYPED:
            out.append([(name, a.source_type)])
        elif a is not None and a.source is not None and name is None:
            out.append([])  # an anaphor nothing resolves ("The leader" unresolved) names nobody
        else:
            out.append(lex)
    return out


def stance_summary(counts: Mapping[str, int], decimals: int = 4) -> dict[str, Any]:
    """``{"n", "counts", "shares"}`` of stance counts (shares null when there are none)."""
    full = {st: int(counts.get(st, 0)) for st in STANCES}
    n = sum(full.values())
    return {"n": n, "counts": full, "shares": rounded_shares(full, decimals) if n else None}


def _group_value(meta: Mapping[str, Any], field: str) -> str:
    """``meta[field]`` as a group name; ``field:month`` / ``field:year`` cut an ISO date."""
    name, _, unit = field.partition(":")
    value = meta.get(name)
    if value is None or value == "":
        return "(none)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1 and 1.0 are one group
    if isinstance(value, (datetime.date, datetime.time)):
        value = value.isoformat()  # a date from Python, not JSON: grouped by month or year like its text
    # JSON's spelling for anything but text: true, not Python's True; ["a", "b"], not ['a', 'b'].
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if unit:
        # ISO 8601 dates only ("2020", "2020-05", "2020-05-01", "2020-05-01T12:00"): anything else,
        # epoch numbers or "20200501" included, is not guessed at.
        m = _ISO_DATE.match(text) if isinstance(value, str) else None
        if m is None or (unit == "month" and m.group(2) is None):
            return "(no date)"
        return m.group(1) if unit == "year" else f"{m.group(1)}-{m.group(2)}"
    return text


class ScoredDocument(NamedTuple):
    """What a comparison reads of one scored document."""

    id: str
    meta: Mapping[str, Any]
    labels: list[int]
    probabilities: np.ndarray
    sources: Mapping[str, Mapping[str, int]]
    stance: Any


def scored_document(doc: Document | Mapping[str, Any]) -> ScoredDocument:
    """Check a scored document, or its JSON record (``framing score`` output), and read it.

    Label counts come from the sentences themselves, so a record whose profile was
    edited or cut cannot skew a comparison; its ``sources`` must be well formed.

    Raises
    ------
    InputError
        Naming the document and what is wrong (an error record, a document not scored,
        a sentence without a known label and four finite probabilities, malformed
        ``meta`` or ``sources``).
    """
    if isinstance(doc, Document):
        if doc.profile is None or any(s.label is None for s in doc.sentences):
            raise InputError(f"document {doc.id!r} is not scored; score it with framing.analyze first")
        sentences: list[Any] = [{"label": s.label, "probabilities": s.probabilities} for s in doc.sentences]
        ident, meta, profile = doc.id, doc.meta, doc.profile
    elif isinstance(doc, Mapping):
        ident = str(doc.get("id"))
        if "error" in doc:
            err = doc["error"]
            message = err.get("message", "") if isinstance(err, Mapping) else str(err)
            raise InputError(f"record {ident!r} is an error record ({message}); "
                             "leave error records out of a comparison")
        sentences, profile, meta = doc.get("sentences"), doc.get("profile"), doc.get("meta") or {}
        if not isinstance(sentences, list) or not isinstance(profile, Mapping):
            raise InputError(f"record {ident!r} is not framing's scored output (no sentences and profile)")
        if not isinstance(meta, Mapping):
            raise InputError(f"record {ident!r}: 'meta' must be an object, got {type(meta).__name__}")
    else:
        raise InputError(f"a comparison reads scored documents (framing.Document or framing score's JSON "
                         f"records), got {type(doc).__name__}")
    labels, proba = [], np.zeros((len(sentences), len(LABELS)))
    for i, s in enumerate(sentences):
        lab = s.get("label") if isinstance(s, Mapping) else None
        probs = s.get("probabilities") if isinstance(s, Mapping) else None
        try:
            row = [float(probs[k]) for k in LABELS] if isinstance(probs, Mapping) else None
        except (KeyError, TypeError, ValueError):
            row = None
        if lab not in LABELS or row is None or not all(0.0 <= v <= 1.0 for v in row):
            raise InputError(f"document {ident!r}: sentence {i} has no known label with four probabilities "
                             "between 0 and 1; pass framing score's output unchanged")
        labels.append(LABELS.index(lab))
        proba[i] = row
    sources = profile.get("sources")
    if not (isinstance(sources, Mapping) and all(
            lab in LABELS and isinstance(named, Mapping)
            and all(isinstance(k, str) and type(v) is int and v >= 0 for k, v in named.items())
            for lab, named in sources.items())):
        raise InputError(f"document {ident!r}: its profile's 'sources' are not label -> name -> count")
    return ScoredDocument(ident, meta, labels, proba, sources, profile.get("stance"))


def corpus_profile(
    documents: Iterable[Document | Mapping[str, Any]],
    *,
    by: str | Sequence[str] | None = None,
    adjust: bool = True,
    method: str | None = None,
    ci: float | None = None,
    n_bootstrap: int = 1000,
    seed: int = 0,
    group_error: bool = True,
    model: Model | None = None,
    decimals: int = 4,
) -> dict[str, Any]:
    """Label shares of groups of documents, corrected for the model's errors, with intervals.

    Parameters
    ----------
    documents : iterable of Document or scored JSON records
        Scored documents, or their ``to_dict()`` records (``framing score`` output).
    by : str or sequence of str, optional
        Fields of each document's ``meta`` to group by (for example ``"outlet"``, or
        ``["outlet", "date:year"]``); ``FIELD:month`` and ``FIELD:year`` group an ISO
        date by month or year. A document without the field falls in ``"(none)"``;
        several fields join their values with ``" | "``. Without ``by``: one group ``"all"``.
    adjust : bool
        Add ``adjusted_shares``: shares corrected for the model's held-out error rates
        by ``method`` (see :mod:`framing._quantify`); the naive ``shares`` stay beside them.
    method : {"cc", "pcc", "acc", "pacc", "em"}, optional
        The correction (default: the one ``framing train`` chose for the model on its
        dev split grouped by outlet; ``cc``, no correction, when it chose none or the
        model records no choice).
    ci : float, optional
        Confidence level of bootstrap intervals (for example 0.9): documents resampled
        with replacement ``n_bootstrap`` times (seeded by ``seed``), for the naive and
        adjusted shares of each group and for the difference between every two groups.
    group_error : bool
        Widen the intervals by the spread of the model's errors across held-out outlets
        (recorded by ``framing train``): without it an interval covers only the
        resampling of documents, not that the model errs differently on each outlet.
    model : Model, optional
        The model that scored the documents, whose error rates the correction uses
        (default: the shipped model).

    Returns
    -------
    dict
        ``{"by", "method", "ci_level", "n_bootstrap", "groups", "differences"}``. Per group
        (sorted by name): ``n_documents``, ``n_sentences``, pooled ``counts`` and
        ``shares`` (every sentence weighs the same), ``mean_document_shares`` (every
        document weighs the same), ``attributed_share``, ``adjusted_shares`` (with
        ``adjust``), ``ci`` (the interval of the reported shares: adjusted when
        ``adjust``, else naive) and ``naive_ci`` (with ``ci``), ``sources``, and ``stance``
        (per attributed label, the documents' stance counts added up, with their shares).
        ``differences`` (with ``ci`` and two groups or more): for each pair ``"A vs B"``
        and label, the difference of the reported shares A - B and its interval.

    Cost
    ----
    Linear in the sentences; with ``ci``, ``n_bootstrap`` re-estimates per group
    (``em`` is the slowest: it iterates over every sentence of each replicate).
    """
    from ._quantify import DEFAULT_METHOD, METHODS, ErrorRates, GroupData, estimate, interval

    if not (by is None or isinstance(by, str) or (isinstance(by, Sequence) and all(isinstance(f, str) for f in by))):
        raise UsageError(f"by={by!r}: give a field name, or a list of them (for example by='outlet')")
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise UsageError(f"seed={seed!r}: give a whole number from 0 up")
    fields = [] if by is None else [by] if isinstance(by, str) else list(by)
    for f in fields:
        if f.partition(":")[2] not in ("", "month", "year"):
            raise UsageError(f"by={f!r}: a field may end in :month or :year, nothing else")
    rates = None
    if adjust or ci is not None:
        if model is None:
            from ._model import load_model

            model = load_model()
        try:
            rates = ErrorRates.from_meta(model.meta)
        except ModelError:
            if adjust and method not in (None, "cc", "pcc"):
                raise
    method = method or (rates.default_method if rates is not None else DEFAULT_METHOD)
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if ci is not None and not 0 < ci < 1:
        raise UsageError(f"ci={ci!r}: give a confidence level between 0 and 1, such as 0.9")
    if ci is not None and n_bootstrap < 10:
        raise UsageError("n_bootstrap must be at least 10")
    groups: dict[str, dict[str, Any]] = {}
    missing = {f.partition(":")[0] for f in fields}  # fields no document has yet
    present: set[str] = set()
    for doc in documents:
        sd = scored_document(doc)
        labels, proba = sd.labels, sd.probabilities
        missing.difference_update(sd.meta)
        if missing and len(present) < 50:
            present.update(sd.meta)
        key = " | ".join(_group_value(sd.meta, f) for f in fields) if fields else "all"
        g = groups.setdefault(key, {"n_documents": 0, "n_sentences": 0, "counts": Counter(), "doc_shares": Counter(),
                                    "sources": {lab: Counter() for lab in LABELS},
                                    "stance": {lab: Counter() for lab in _ATTRIBUTED}, "docs": []})
        g["n_documents"] += 1
        g["n_sentences"] += len(labels)
        counts = Counter(LABELS[j] for j in labels)
        g["counts"].update(counts)
        g["doc_shares"].update(rounded_shares({lab: counts[lab] for lab in LABELS}, decimals))
        for lab, named in sd.sources.items():
            g["sources"][lab].update(named)
        # Scored files from before stances were read carry none; anything malformed is skipped.
        framed = sd.stance
        for lab, st in (framed.items() if isinstance(framed, Mapping) else ()):
            counts = st.get("counts") if isinstance(st, Mapping) else None
            if lab in g["stance"] and isinstance(counts, Mapping):
                g["stance"][lab].update({k: v for k, v in counts.items() if k in STANCES and type(v) is int and v >= 0})
        g["docs"].append((labels, proba))
    if missing and groups:
        seen = ", ".join(sorted(present)[:20]) or "none"
        raise UsageError(f"by: no document has the field{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(map(repr, sorted(missing)))} (fields: {seen}); check the spelling "
                         "(top-level fields of each record; nested fields are not read)")
    out: dict[str, Any] = {"by": fields, "method": method if adjust else None, "ci_level": ci,
                           "n_bootstrap": n_bootstrap if ci is not None else 0, "groups": {}}
    reported: dict[str, np.ndarray] = {}
    names = sorted(groups)
    for key in names:
        g = groups[key]
        n, d = g["n_sentences"], g["n_documents"]
        shares = rounded_shares({lab: g["counts"][lab] for lab in LABELS}, decimals)
        row: dict[str, Any] = {
            "n_documents": d,
            "n_sentences": n,
            "counts": {lab: g["counts"][lab] for lab in LABELS},
            "shares": shares,
            "mean_document_shares": rounded_shares({lab: g["doc_shares"][lab] for lab in LABELS}, decimals),
            "attributed_share": round(1 - shares["reporter_narration"], decimals) if n else 0.0,
        }
        data = GroupData.from_documents(g["docs"])
        if adjust:
            adj = estimate(data, method, rates)
            row["adjusted_shares"] = rounded_shares(dict(zip(LABELS, adj.tolist())), decimals) if n else \
                {lab: 0.0 for lab in LABELS}
        if ci is not None:
            # Seeded by the group's name, so a group's interval does not change with the other groups.
            stream = [seed, zlib.crc32(key.encode("utf-8", "surrogatepass"))]
            naive = _replicates(data, "cc", rates, n_bootstrap, stream, group_error)
            row["naive_ci"] = _intervals(interval(naive, ci), decimals)
            reported[key] = _replicates(data, method, rates, n_bootstrap, stream, group_error) if adjust \
                else naive
            row["ci"] = _intervals(interval(reported[key], ci), decimals) if adjust else row["naive_ci"]
        row["sources"] = {lab: dict(g["sources"][lab].most_common(20)) for lab in LABELS}
        row["stance"] = {lab: stance_summary(g["stance"][lab], decimals) for lab in _ATTRIBUTED}
        out["groups"][key] = row
    if ci is not None and len(names) >= 2:
        head = "adjusted_shares" if adjust else "shares"
        diffs = {}
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                iv = _intervals(interval(reported[a] - reported[b], ci), decimals)
                diffs[f"{a} vs {b}"] = {
                    lab: {"difference": round(out["groups"][a][head][lab] - out["groups"][b][head][lab], decimals),
                          "ci": iv[lab]} for lab in LABELS}
        out["differences"] = diffs
    return out


def _replicates(data, method: str, rates, n_boot: int, seed: list[int], group_error: bool) -> np.ndarray:
    """Bootstrap replicates of a group's shares, plus the held-out spread of outlet errors."""
    from ._quantify import bootstrap

    rng = np.random.default_rng(seed)
    reps = bootstrap(data, method, rates, n_boot=n_boot, rng=rng)
    sd = (rates.group_sd or {}).get(method) if group_error and rates is not None else None
    if sd is not None and data.counts.sum():
        reps = np.clip(reps + rng.normal(0.0, 1.0, size=reps.shape) * np.asarray(sd), 0.0, 1.0)
    return reps


def _intervals(iv: np.ndarray, decimals: int) -> dict[str, list[float] | None]:
    """Per label ``[low, high]``, or None for a group with no sentence to resample."""
    return {lab: None if np.isnan(iv[j]).any() else [round(float(iv[j, 0]), decimals),
                                                      round(float(iv[j, 1]), decimals)]
            for j, lab in enumerate(LABELS)}
