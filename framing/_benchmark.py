"""Benchmarking a model on a labelled set, with baselines side by side.

Used by ``framing benchmark`` and ``benchmarks/accuracy.py``. The model scores the
gold sentences (not a re-segmentation), document by document so that context
features see each sentence's neighbours.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._document import LABELS
from ._errors import require
from ._features import featurize
from ._labelled import LabelledDocument, document_column, group_documents, load_labelled
from ._lexicons import load_lexicons, tokenize
from ._metrics import classification_report, profile_error, reliability_table
from ._model import Model

__all__ = ["evaluate", "keyword_baseline", "run_benchmark"]


def _predict_docs(model: Model, docs: Sequence[LabelledDocument]) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    probas = []
    for d in docs:
        feats = featurize(d.text, d.spans, groups=model.groups)
        probas.append(model.predict_proba(feats) if feats else np.zeros((0, len(LABELS))))
    elapsed = time.perf_counter() - start
    return (np.vstack(probas) if probas else np.zeros((0, len(LABELS)))), elapsed


def _split_by_doc(values: Sequence[int], docs: Sequence[LabelledDocument]) -> list[list[int]]:
    out, pos = [], 0
    for d in docs:
        out.append(list(values[pos : pos + len(d.spans)]))
        pos += len(d.spans)
    return out


def evaluate(model: Model, docs: Sequence[LabelledDocument], *, with_docs: bool = True) -> dict[str, Any]:
    """Score gold sentences with ``model``: metrics, calibration, speed, profile error."""
    y = np.asarray([v for d in docs for v in d.labels], dtype=int)
    proba, elapsed = _predict_docs(model, docs)
    pred = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=int)
    report = classification_report(y, pred, proba)
    report["sentences_per_second"] = float(len(y) / elapsed) if elapsed > 0 else 0.0
    report["reliability"] = reliability_table(proba, y)
    if with_docs:
        report["profile_error"] = profile_error(_split_by_doc(y.tolist(), docs), _split_by_doc(pred.tolist(), docs))
    return report


def keyword_baseline(text: str) -> int:
    """The keyword rule: a reporting cue plus the first source word found decides the label.

    State-media words win, then official, then analyst words; without a cue, or
    without a source word, the sentence is the reporter's.
    """
    lex = load_lexicons()
    tokens = tokenize(text)
    lowered = [t.lower() for t in tokens]
    kinds = {kind for _s, _e, kind in lex.find(tokens, lowered)}
    if "cue" not in kinds:
        return LABELS.index("reporter_narration")
    for kind, label in (("state_media", 0), ("official", 1), ("analyst", 2)):
        if kind in kinds:
            return label
    return LABELS.index("reporter_narration")


def _baselines(docs: Sequence[LabelledDocument], train_docs: Sequence[LabelledDocument]) -> dict[str, Any]:
    require("sklearn", "the benchmark's baselines (--baselines)")
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    y = np.asarray([v for d in docs for v in d.labels], dtype=int)
    texts = [d.text[s:e] for d in docs for s, e in d.spans]
    train_texts = [d.text[s:e] for d in train_docs for s, e in d.spans]
    y_train = np.asarray([v for d in train_docs for v in d.labels], dtype=int)
    majority = int(np.bincount(y_train, minlength=len(LABELS)).argmax())
    out: dict[str, Any] = {}
    out["majority"] = classification_report(y, np.full(len(y), majority))
    out["keyword_rules"] = classification_report(y, np.asarray([keyword_baseline(t) for t in texts], dtype=int))
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    clf = LogisticRegression(C=10.0, class_weight="balanced", max_iter=3000)
    clf.fit(vec.fit_transform(train_texts), y_train)
    out["bow_logreg"] = classification_report(y, clf.predict(vec.transform(texts)),
                                              clf.predict_proba(vec.transform(texts)))
    return out


def run_benchmark(
    dataset: str,
    *,
    model: Model | None = None,
    split: str | None = None,
    text_column: str = "text",
    label_column: str = "label",
    doc_column: str | None = "doc_id",
    baselines_train: str | None = None,
) -> dict[str, Any]:
    """Score a labelled set with a model and report how well it agrees.

    Parameters
    ----------
    dataset : str
        A JSONL, CSV or Parquet file or directory, or ``"hf:OWNER/NAME"`` for a Hugging Face hub dataset.
    model : Model, optional
        The shipped model by default.
    split : str, optional
        Only rows of this split (``"test"`` for the project's unseen-outlet test).
    text_column, label_column, doc_column : str
        Column names; with a document column the report adds ``profile_error``. A set
        without the default ``doc_id`` is read a sentence a document; a column named
        otherwise must exist (:class:`DatasetError`).
    baselines_train : str, optional
        A labelled set whose ``train`` split trains the baselines (majority label,
        keyword rule, bag-of-words logistic regression) reported beside the model.

    Returns
    -------
    dict
        ``n``, ``labels``, ``accuracy``, ``macro_f1``, ``per_label``,
        ``confusion_matrix`` (rows gold, columns predicted), ``ece``,
        ``sentences_per_second``, ``reliability`` and, as available,
        ``profile_error`` and ``baselines``.
    """
    if model is None:
        from ._api import load_model

        model = load_model()
    ds = load_labelled(dataset, split=split, text_column=text_column, label_column=label_column)
    doc_col = document_column(ds, doc_column)
    docs = group_documents(ds, doc_column=doc_col)
    report = evaluate(model, docs, with_docs=doc_col is not None)
    report["dataset"] = {"source": str(dataset), "split": split, "n_documents": len(docs) if doc_col else None}
    if baselines_train is not None:
        train = group_documents(load_labelled(baselines_train, split="train"), doc_column="doc_id")
        report["baselines"] = _baselines(docs, train)
    return report
