"""Training: the scikit-learn estimator, feature vocabulary, model selection.

Imported only by :func:`framing.train`, ``framing train`` and the benchmarks: the
scoring path never loads scikit-learn.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._document import LABELS
from ._features import FEATURE_GROUPS, featurize
from ._labelled import LabelledDocument, document_column, group_documents, load_labelled
from ._metrics import classification_report, rounded
from ._model import N_CONTEXT, Model, context_inputs, lexicons_sha256
from ._roles import ROLES, RoleModel, role_features, role_inputs, role_target
from ._version import __version__

__all__ = ["FramingClassifier", "train", "build_vocabulary", "vectorize", "C_GRID"]

C_GRID: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0, 3.0)
"""Inverse regularisation strengths searched by grouped cross-validation."""

_TAG_BATCH = 64
"""Documents per attribution-tagger call while computing training features."""

CLASS_WEIGHT = "sqrt_balanced"
"""Label weights of every fit :func:`train` makes: the square root of scikit-learn's
"balanced" weights, so rare labels (state-media quotes) still count for more, but less
than in proportion (chosen by grouped cross-validation over train+dev:
``benchmarks/cv_experiments_results.md``)."""


def _class_weight(option, y):
    """``option`` as scikit-learn takes it: "sqrt_balanced" becomes the square root of the
    "balanced" weights of the labels in ``y`` (``n / (n_labels * count)``)."""
    if not (isinstance(option, str) and option == "sqrt_balanced"):
        return option
    classes, counts = np.unique(np.asarray(y), return_counts=True)
    w = np.sqrt(len(y) / (len(classes) * counts))
    return {c: float(x) for c, x in zip(classes.tolist(), w)}


def _logistic(C: float, class_weight, *, max_iter: int = 100) -> LogisticRegression:
    # Newton-CG, not L-BFGS: on the labelled set's stage-1 matrix (52,515 x 37,530) L-BFGS-B
    # took 139 iterations and 4.3 s, half of it in its own bookkeeping (scipy's setulb), and
    # stopped further from a tol=1e-8 optimum (largest weight difference 0.30) than
    # Newton-CG's 9 iterations in 1.9 s (0.25).
    return LogisticRegression(C=C, class_weight=class_weight, solver="newton-cg", max_iter=max_iter)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of held-out scores."""
    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 161))
    best_t, best_nll = 1.0, np.inf
    idx = np.arange(len(y))
    for t in grid:
        p = _softmax(scores / t)
        nll = -np.log(np.clip(p[idx, y], 1e-12, None)).mean()
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def _starts(coef_init, intercept_init, k: int, n_features: int) -> list[tuple[np.ndarray, np.ndarray] | None]:
    """``coef_init``/``intercept_init`` as one (coef, intercept) start per fit (all rows first)."""
    if coef_init is None:
        if intercept_init is not None:
            raise ValueError("intercept_init without coef_init: pass both, or neither")
        return [None]
    coef = np.asarray(coef_init, dtype=np.float64)
    intercept = np.zeros(coef.shape[:-1]) if intercept_init is None else np.asarray(intercept_init, np.float64)
    if coef.ndim == 2:
        coef, intercept = coef[None], intercept[None]
    if coef.ndim != 3 or coef.shape[1:] != (k, n_features) or intercept.shape != coef.shape[:2]:
        raise ValueError(f"coef_init has shape {coef.shape} and intercept_init {intercept.shape}; expected "
                         f"({k}, {n_features}) and ({k},), or one of each per fit: (1 + n_folds, {k}, "
                         f"{n_features}) and (1 + n_folds, {k})")
    if k == 2:
        # The binary solver keeps one row: the difference of the two classes' rows.
        coef, intercept = coef[:, 1:] - coef[:, :1], intercept[:, 1:] - intercept[:, :1]
    return list(zip(coef, intercept))


def _full_rows(coef: np.ndarray, n_classes: int) -> np.ndarray:
    """A fitted model's coefficients as one row per class (binary models keep one row)."""
    return np.vstack([-coef[0] / 2, coef[0] / 2]) if n_classes == 2 and len(coef) == 1 else coef


def _fit_from(model: LogisticRegression, X, y, start: tuple[np.ndarray, np.ndarray] | None) -> LogisticRegression:
    """Fit ``model``, its solver starting from ``start`` (coef, intercept) when given."""
    if start is not None:
        model.set_params(warm_start=True)
        model.coef_, model.intercept_ = start[0].copy(), start[1].copy()
    return model.fit(X, y)


class FramingClassifier(ClassifierMixin, BaseEstimator):
    """Multinomial logistic regression with class weights and temperature calibration.

    Works on any numeric feature matrix (dense or sparse); :func:`framing.train`
    feeds it the binary sentence features of :mod:`framing` (see the model card).

    Parameters
    ----------
    C : float, default=1.0
        Inverse L2 regularisation strength.
    class_weight : "balanced", "sqrt_balanced", dict or None, default="balanced"
        Weights that keep rare labels (state-media quotes) from being drowned out;
        "sqrt_balanced" is the square root of the "balanced" weights of each fit's labels.
    calibrate : bool, default=True
        Fit a softmax temperature on held-out folds so probabilities are calibrated.
    cv : int, default=5
        Folds for the held-out calibration scores (grouped when ``groups`` is passed to ``fit``).
    max_iter : int, default=100
        Newton iterations of the solver (scikit-learn's ``newton-cg``).
    random_state : int, default=0
        Seed for the calibration folds.

    Attributes
    ----------
    classes_ : ndarray
        Class labels seen in ``fit``.
    coef_ : ndarray of shape (n_classes, n_features)
    intercept_ : ndarray of shape (n_classes,)
    temperature_ : float
        Softmax temperature (1.0 when ``calibrate=False``).
    n_features_in_ : int
    oof_decision_ : ndarray or None
        Held-out decision scores used for calibration (None without calibration).
    """

    def __init__(self, C=1.0, *, class_weight="balanced", calibrate=True, cv=5, max_iter=100, random_state=0):
        self.C = C
        self.class_weight = class_weight
        self.calibrate = calibrate
        self.cv = cv
        self.max_iter = max_iter
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _logreg(self, y) -> LogisticRegression:
        return _logistic(self.C, _class_weight(self.class_weight, y), max_iter=self.max_iter)

    def fit(self, X, y, groups=None, *, coef_init=None, intercept_init=None):
        """Fit the linear model, then (optionally) the calibration temperature.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), optional
            Document of each sample; calibration folds then never split a document.
        coef_init : ndarray of shape (n_classes, n_features) or (1 + n_folds, n_classes, n_features), optional
            Where the solver starts (as in scikit-learn's ``SGDClassifier.fit``): fewer
            iterations from a good start, and the same optimum up to the solver's
            tolerance. A 2-D array starts the model on all of ``X``; the calibration
            folds then start from zero, since a start fitted on all rows has seen each
            fold's held-out rows. A 3-D array gives one start per fit: all of ``X``,
            then each calibration fold in order (grouped folds only; each start must
            have seen only that fold's training rows). A fit whose fold lacks a class
            starts from zero.
        intercept_init : ndarray of shape (n_classes,) or (1 + n_folds, n_classes), optional
            Intercepts matching ``coef_init``.

        Returns
        -------
        self : FramingClassifier
        """
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=(np.float64, np.float32))
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        yi = encoder.transform(y)
        if X.shape[0] < 2:
            raise ValueError(f"n_samples={X.shape[0]}: need at least 2 samples to fit")
        if len(self.classes_) < 2:
            raise ValueError(f"need samples of at least 2 classes; got 1 class: {self.classes_.tolist()}")
        starts = _starts(coef_init, intercept_init, len(self.classes_), X.shape[1])
        counts = np.bincount(yi)
        n_splits = min(self.cv, int(counts.min())) if groups is None else min(self.cv, len(set(groups)))
        if len(starts) > 1 and (groups is None or not self.calibrate or len(starts) != 1 + n_splits):
            # Matched to the folds by position: any other count, or folds not grouped (so
            # not the folds the starts were fitted on), could start a fold from a model
            # that saw its held-out rows.
            raise ValueError(f"coef_init gives {len(starts)} starts; one per fit means 1 + {n_splits} (all rows, "
                             "then each grouped calibration fold), with groups and calibrate=True; pass a 2-D "
                             "coef_init to start only the fit on all rows")
        model = _fit_from(self._logreg(yi), X, yi, starts[0])
        self.n_iter_ = model.n_iter_
        k = len(self.classes_)
        self.coef_ = _full_rows(model.coef_, k)
        self.intercept_ = _full_rows(model.intercept_[:, None], k)[:, 0]
        self.temperature_ = 1.0
        self.oof_decision_ = None
        if self.calibrate and n_splits >= 2:
            self.oof_decision_ = self._oof(X, yi, groups, n_splits, starts[1:])
            self.temperature_ = _fit_temperature(self.oof_decision_, yi)
        return self

    def _oof(self, X, yi, groups, n_splits, fold_starts=()):
        k = len(self.classes_)
        oof = np.zeros((X.shape[0], k))
        if groups is None:
            splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=self.random_state)
            folds = splitter.split(X, yi)
        else:
            folds = GroupKFold(n_splits=n_splits).split(X, yi, groups)
        for j, (tr, te) in enumerate(folds):
            start = fold_starts[j] if j < len(fold_starts) and len(np.unique(yi[tr])) == k else None
            m = _fit_from(self._logreg(yi[tr]), X[tr], yi[tr], start)
            scores = m.decision_function(X[te])
            if scores.ndim == 1:
                scores = np.column_stack([-scores / 2, scores / 2])
            full = np.full((len(te), k), -1e3)
            full[:, m.classes_] = scores
            oof[te] = full
        return oof

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=(np.float64, np.float32), reset=False)
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def decision_function(self, X):
        """Raw scores, shape (n_samples, n_classes); (n_samples,) for two classes, as in scikit-learn."""
        scores = self._scores(X)
        return scores[:, 1] - scores[:, 0] if scores.shape[1] == 2 else scores

    def predict_proba(self, X):
        """Calibrated probabilities, shape (n_samples, n_classes)."""
        return _softmax(self._scores(X) / self.temperature_)

    def predict(self, X):
        """Most probable class of each sample."""
        best = np.argmax(self._scores(X), axis=1)  # checks fitting first
        return self.classes_[best]


def build_vocabulary(feature_lists: Iterable[Sequence[str]], *, min_df: int = 2) -> list[str]:
    """Features seen in at least ``min_df`` sentences, sorted (deterministic column order)."""
    df: dict[str, int] = {}
    for feats in feature_lists:
        for f in set(feats):
            df[f] = df.get(f, 0) + 1
    return sorted(f for f, c in df.items() if c >= min_df)


def vectorize(feature_lists: Sequence[Sequence[str]], vocabulary: Sequence[str]) -> sp.csr_matrix:
    """Binary CSR matrix of the features present in each sentence, in single precision:
    the values are exact, and the solver's sparse products take about a quarter less time."""
    index = {f: j for j, f in enumerate(vocabulary)}
    indptr, indices = [0], []
    for feats in feature_lists:
        cols = sorted({index[f] for f in feats if f in index})
        indices.extend(cols)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)), shape=(len(indptr) - 1,
                                                                                               len(vocabulary)))


def _seen_in(X_all: sp.csr_matrix, rows: np.ndarray, min_df: int) -> np.ndarray:
    """Columns of a binary matrix seen in at least ``min_df`` of ``rows``."""
    return np.flatnonzero(np.bincount(X_all[rows].indices, minlength=X_all.shape[1]) >= max(min_df, 1))


def _columns(X: sp.csr_matrix, keep: np.ndarray) -> sp.csr_matrix:
    """``X`` restricted to the columns ``keep`` (sorted): for a matrix over the sorted
    features of every row, the same matrix as :func:`vectorize` over the vocabulary of
    those columns, built in C instead of Python."""
    out = X[:, keep].tocsr()
    out.sort_indices()
    return out


def _featurize_all(items: Sequence[tuple[str, Sequence[tuple[int, int]]]], groups: Sequence[str]) -> list[list[str]]:
    """Features of every sentence of ``items``, the attribution tagger run over batches of
    ``_TAG_BATCH`` documents: the same output as one document at a time, in about a fifth
    less time. (Scoring batches fewer documents to keep a long-running process's memory
    small; a training run is short.)"""
    tagged: list = [None] * len(items)
    if "att" in groups:
        from ._attribution import extract_attributions_many

        for lo in range(0, len(items), _TAG_BATCH):
            chunk = items[lo:lo + _TAG_BATCH]
            tagged[lo:lo + len(chunk)] = extract_attributions_many([t for t, _ in chunk], [list(s) for _, s in chunk])
    return [f for (text, spans), att in zip(items, tagged, strict=True)
            for f in featurize(text, spans, groups=groups, tagged=att)]


def document_features(docs: Sequence[LabelledDocument], groups: Sequence[str] = FEATURE_GROUPS, *,
                      n_jobs: int = 1):
    """Feature lists, gold labels and document ids of all sentences (``n_jobs`` worker
    processes share the documents, in contiguous chunks: the same lists in the same order)."""
    items = [(d.text, d.spans) for d in docs]
    if n_jobs in (None, 1) or len(items) < 2:
        feats = _featurize_all(items, groups)
    else:
        from joblib import Parallel, delayed

        n = min(4 * (n_jobs if n_jobs > 0 else os.cpu_count() or 1), len(items))
        cuts = [len(items) * i // n for i in range(n + 1)]
        parts = Parallel(n_jobs=n_jobs)(delayed(_featurize_all)(items[a:b], groups)
                                        for a, b in itertools.pairwise(cuts))
        feats = [f for part in parts for f in part]
    y = [v for d in docs for v in d.labels]
    doc_ids = [d.id for d in docs for _ in d.spans]
    return feats, np.asarray(y, dtype=int), np.asarray(doc_ids)


def document_roles(docs: Sequence[LabelledDocument]) -> np.ndarray:
    """Each sentence's speaker-role index (:func:`framing._roles.role_target`; -1 for none)."""
    return np.asarray([role_target(LABELS[y], row.get("speaker_role")) for d in docs
                       for y, row in zip(d.labels, d.rows, strict=True)], dtype=int)


def _data_hash(docs: Sequence[LabelledDocument]) -> str:
    h = hashlib.sha256()
    for d in sorted(docs, key=lambda d: d.id):
        for (s, e), y in zip(d.spans, d.labels, strict=False):
            h.update(json.dumps([d.id, d.text[s:e], int(y)], ensure_ascii=False).encode())
    return h.hexdigest()


def _doc_slices(doc_ids: np.ndarray) -> list[slice]:
    """Contiguous runs of one document's sentences (documents are never interleaved)."""
    bounds = [0, *(np.flatnonzero(doc_ids[1:] != doc_ids[:-1]) + 1).tolist(), len(doc_ids)]
    return [slice(a, b) for a, b in itertools.pairwise(bounds)]


def _logreg(C: float, y) -> LogisticRegression:
    return _logistic(C, _class_weight(CLASS_WEIGHT, y))


def _context(proba: np.ndarray, doc_ids: np.ndarray) -> np.ndarray:
    out = np.zeros((len(proba), N_CONTEXT))
    for sl in _doc_slices(doc_ids):
        out[sl] = context_inputs(proba[sl])
    return out


Tick = Callable[[str], None]


def _no_tick(message: str) -> None:
    pass


class _Progress:
    """Training progress on standard error: elapsed time, what finished, and a rough time left.

    ``total`` counts the logistic-regression fits planned; the estimate assumes the
    ones left take as long on average as the ones done.
    """

    def __init__(self, total: int, write: Callable[[str], None]) -> None:
        self.total, self.done, self.write = total, 0, write
        self.start = self.fits_start = time.perf_counter()

    @staticmethod
    def _clock(seconds: float) -> str:
        return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"

    def note(self, message: str) -> None:
        self.write(f"[{self._clock(time.perf_counter() - self.start):>7}] {message}")

    def __call__(self, message: str) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.fits_start
        left = elapsed / self.done * max(self.total - self.done, 0)
        self.note(f"{message}" + (f"; about {self._clock(left)} left" if self.done < self.total else ""))


Task = tuple[Callable[..., Any], tuple, str]
"""One fit: the function, its arguments, and the progress message once it is done."""
Steps = Generator[list[Task], list[Any], Any]
"""A fitting procedure as a generator: it yields the fits it needs next (independent of
each other), is sent their results in the same order, and returns its value."""


def _run_here(tasks: list[Task], tick: Tick) -> list[Any]:
    out = []
    for fn, args, message in tasks:
        out.append(_one_thread(fn, *args))
        tick(message)
    return out


def _run_in(pool, tick: Tick) -> Callable[[list[Task]], list[Any]]:
    """Run tasks in a joblib pool (``return_as="generator"``), ticking as each finishes."""
    from joblib import delayed

    def run(tasks: list[Task]) -> list[Any]:
        out = []
        results = pool(delayed(_one_thread)(fn, *args) for fn, args, _ in tasks)
        for (_, _, message), result in zip(tasks, results, strict=True):
            out.append(result)
            tick(message)
        del results  # the pool takes new tasks only once the last generator is gone
        return out

    return run


def _drive(steps: Sequence[Steps], run: Callable[[list[Task]], list[Any]]) -> list[Any]:
    """Advance fitting procedures in lockstep and return each one's value.

    The fits that all of them wait on at a given moment run as one batch, so worker
    processes share the fits of several models instead of each model having a worker
    of its own (two models of unequal size left one worker idle for a quarter of the
    time). Each fit is the same computation wherever it runs: the results do not depend
    on the batching.
    """
    values: list[Any] = [None] * len(steps)
    waiting: dict[int, list[Task]] = {}

    def advance(i: int, sent: list[Any] | None) -> None:
        try:
            waiting[i] = steps[i].send(sent)
        except StopIteration as stop:
            waiting.pop(i, None)
            values[i] = stop.value

    for i in range(len(steps)):
        advance(i, None)
    while waiting:
        batch = list(waiting.items())
        tasks = [t for _, step in batch for t in step]
        results = run(tasks)
        if len(results) != len(tasks):
            raise RuntimeError(f"{len(tasks)} fits were run but {len(results)} results came back")
        done = iter(results)
        for i, step in batch:
            advance(i, [next(done) for _ in step])
    return values


def _role_fit(X_all: sp.csr_matrix, rows: np.ndarray, targets: np.ndarray, C: float, k: int):
    """One speaker-role fit on ``rows``: the columns kept, and coefficients for every role."""
    keep = _seen_in(X_all, rows, 2)
    m = _logreg(C, targets[rows]).fit(_columns(X_all[rows], keep), targets[rows])
    coef, intercept = np.zeros((k, len(keep))), np.full(k, -1e3)
    coef[m.classes_], intercept[m.classes_] = m.coef_, m.intercept_
    return keep, coef, intercept


def _role_steps(feats, targets: np.ndarray, doc_ids: np.ndarray, *, C: float = 0.3, n_splits: int = 5,
                what: str = "speaker roles") -> Steps:
    """:func:`fit_roles` as fitting steps (one batch: every fold and the fit on all rows)."""
    inputs = [role_inputs(f) for f in feats]
    has = np.array([bool(x) for x in inputs])
    use = (targets >= 0) & has
    k = len(ROLES)
    vocab_all = build_vocabulary(inputs, min_df=1)
    X_all = vectorize(inputs, vocab_all)
    n_splits = min(n_splits, len(set(doc_ids)))
    folds = GroupKFold(n_splits=n_splits).split(np.zeros(len(feats)), targets, doc_ids) if n_splits >= 2 else []
    held = [(j, te, tr[use[tr]]) for j, (tr, te) in enumerate(folds)]
    held = [(j, te, rows) for j, te, rows in held if len(set(targets[rows])) >= 2]
    results = yield [*((_role_fit, (X_all, rows, targets, C, k), f"{what}: fold {j + 1}/{n_splits}")
                       for j, _, rows in held),
                     (_role_fit, (X_all, np.flatnonzero(use), targets, C, k), f"{what}: fitted on every sentence")]

    def model(keep: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> RoleModel:
        return RoleModel([vocab_all[j] for j in keep], coef, intercept)

    oof = np.zeros((len(feats), k))
    for (_, te, _), fitted in zip(held, results):
        oof[te] = model(*fitted).predict_proba([inputs[i] for i in te])
    return model(*results[-1]), oof, has


def fit_roles(feats, targets: np.ndarray, doc_ids: np.ndarray, *, C: float = 0.3,
              n_splits: int = 5, tick: Tick = _no_tick) -> tuple[RoleModel, np.ndarray, np.ndarray]:
    """Fit the speaker-role component (:mod:`framing._roles`).

    ``targets`` holds each sentence's role index (:func:`~framing._roles.role_target`;
    -1 where no speaker carries it). Returns the model fitted on every sentence with a
    role and a speaker, the out-of-fold role probabilities of every sentence (folds
    grouped by document, as the sentence model will see them on new text), and which
    sentences name a speaker at all.
    """
    steps = _role_steps(feats, targets, doc_ids, C=C, n_splits=n_splits)
    return _drive([steps], functools.partial(_run_here, tick=tick))[0]


def _matrix(feats, extra: list[list[str]] | None, min_df: int,
            base: tuple[sp.csr_matrix, list[str]] | None) -> tuple[sp.csr_matrix, list[str]]:
    """The binary matrix and vocabulary of ``feats`` with ``extra`` features added to each
    row: ``vectorize(rows, build_vocabulary(rows, min_df=min_df))``. With ``base`` (the
    matrix of ``feats`` over a vocabulary holding all of their features, and that
    vocabulary) only the ``extra`` columns are built in Python; the rest is column
    selection in C: the same matrix, about 1.3 s less on the labelled set."""
    if base is None:
        rows = feats if extra is None else [[*f, *r] for f, r in zip(feats, extra, strict=True)]
        vocab = build_vocabulary(rows, min_df=min_df)
        return vectorize(rows, vocab), vocab
    X, vocab_all = base
    if extra is not None:
        extra_vocab = build_vocabulary(extra, min_df=1)
        if not set(extra_vocab).isdisjoint(vocab_all):
            raise ValueError("added features share names with the base features; they would be counted twice")
        X = sp.hstack([X, vectorize(extra, extra_vocab)], format="csr")
        vocab_all = [*vocab_all, *extra_vocab]
    keep = sorted(_seen_in(X, np.arange(X.shape[0]), min_df).tolist(), key=vocab_all.__getitem__)
    return _columns(X, np.asarray(keep, dtype=np.int64)), [vocab_all[j] for j in keep]


def _stage1_fit(X, y: np.ndarray, C: float, start: tuple[np.ndarray, np.ndarray] | None) -> LogisticRegression:
    return _fit_from(_logreg(C, y), X, y, start)


def _stage2_fit(X2, y: np.ndarray, doc_ids: np.ndarray, C: float, calibrate: bool, seed: int, coef_init,
                intercept_init) -> FramingClassifier:
    return FramingClassifier(C=C, class_weight=CLASS_WEIGHT, calibrate=calibrate, random_state=seed).fit(
        X2, y, groups=doc_ids, coef_init=coef_init, intercept_init=intercept_init)


def _model_steps(feats, y, doc_ids, *, C: float, min_df: int, seed: int, calibrate: bool = True,
                 roles: np.ndarray | None = None, what: str = "model",
                 base: tuple[sp.csr_matrix, list[str]] | None = None) -> Steps:
    """:func:`_fit_model` as fitting steps: the speaker-role fits, the stage-1 folds, the
    stage-1 fit on every row, then stage 2 with its calibration folds."""
    role_model = extra = None
    if roles is not None and (roles >= 0).sum() and len(set(roles[roles >= 0])) >= 2:
        role_model, oof_roles, has = yield from _role_steps(feats, roles, doc_ids, what=f"{what}, speaker roles")
        extra = role_features(oof_roles, has)
    X, vocab = _matrix(feats, extra, min_df, base)
    k = len(LABELS)
    n_splits = min(5, len(set(doc_ids)))
    folds = list(GroupKFold(n_splits=n_splits).split(X, y, doc_ids))
    fold_models = yield [(_stage1_fit, (X[tr], y[tr], C, None), f"{what}, stage 1: fold {j + 1}/{n_splits}")
                         for j, (tr, _) in enumerate(folds)]
    oof = np.zeros((len(y), k))
    for (_, te), m in zip(folds, fold_models):
        oof[np.ix_(te, m.classes_)] = m.predict_proba(X[te])
    # The fit on every row starts from the mean of the fold fits (each saw all of these
    # rows but one fold): the same optimum in fewer solver iterations.
    whole = all(len(m.classes_) == len(np.unique(y)) for m in fold_models)
    start = (np.mean([m.coef_ for m in fold_models], axis=0), np.mean([m.intercept_ for m in fold_models], axis=0)) \
        if whole else None
    (stage1,) = yield [(_stage1_fit, (X, y, C, start), f"{what}, stage 1: fitted on every sentence")]
    X2 = sp.hstack([X, sp.csr_matrix(_context(oof, doc_ids).astype(X.dtype))]).tocsr()
    # Stage 2 starts where stage 1 ended (context weights at zero), each calibration fold
    # from the stage-1 model of the same fold (same documents held out): the same optimum
    # in about 40% fewer solver iterations.
    classes = list(stage1.classes_)
    coef_init = np.zeros((1 + len(fold_models), len(classes), X2.shape[1]))
    intercept_init = np.zeros(coef_init.shape[:2])
    for f, m in enumerate([stage1, *fold_models]):
        rows = [classes.index(c) for c in m.classes_]
        coef_init[f, rows, :X.shape[1]] = _full_rows(m.coef_, len(m.classes_))
        intercept_init[f, rows] = _full_rows(m.intercept_[:, None], len(m.classes_))[:, 0]
    if not calibrate:  # no calibration folds: only the fit on all rows has a start
        coef_init, intercept_init = coef_init[0], intercept_init[0]
    (stage2,) = yield [(_stage2_fit, (X2, y, doc_ids, C, calibrate, seed, coef_init, intercept_init),
                        f"{what}, stage 2 and calibration")]
    coef = np.zeros((k, len(vocab)))
    intercept = np.full(k, -1e3)
    coef[stage1.classes_] = stage1.coef_
    intercept[stage1.classes_] = stage1.intercept_
    coef2 = np.zeros((k, len(vocab) + N_CONTEXT))
    intercept2 = np.full(k, -1e3)
    coef2[stage2.classes_] = stage2.coef_
    intercept2[stage2.classes_] = stage2.intercept_
    model = Model(vocab, coef, intercept, stack_coef=coef2, stack_intercept=intercept2,
                  temperature=stage2.temperature_, role_model=role_model)
    oof2 = stage2.oof_decision_
    if oof2 is not None and oof2.shape[1] < k:
        # A label absent from these rows: its column scores like the model's absent classes.
        full = np.full((len(y), k), -1e3)
        full[:, stage2.classes_] = oof2
        oof2 = full
    return model, oof2


def _fit_model(feats, y, doc_ids, *, C: float, min_df: int, seed: int, calibrate: bool = True,
               roles: np.ndarray | None = None, tick: Tick = _no_tick,
               what: str = "model") -> tuple[Model, np.ndarray | None]:
    """Fit both stages on the given sentences (in document order) and return the Model.

    Stage 2 learns from stage-1 probabilities predicted out of fold (grouped by
    document), as it will see them on new text; its temperature is fitted on its
    own held-out folds unless ``calibrate`` is False (temperature 1: the same argmax,
    for experiments that only need labels). With ``roles`` (each sentence's role index,
    -1 for none), the speaker-role component is fitted first and its out-of-fold
    ``role:`` features are added to every sentence's features. Everything runs in this
    process with BLAS on one thread, as :func:`train`'s fits do (the same numbers).
    """
    steps = _model_steps(feats, y, doc_ids, C=C, min_df=min_df, seed=seed, calibrate=calibrate, roles=roles,
                         what=what)
    return _one_thread(_drive, [steps], functools.partial(_run_here, tick=tick))[0]


def _predict(model: Model, feats, doc_ids) -> np.ndarray:
    out = np.zeros((len(feats), len(LABELS)))
    for sl in _doc_slices(doc_ids):
        out[sl] = model.predict_proba(feats[sl])
    return out


def _one_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn`` with BLAS on one thread: multi-threaded reductions round differently with
    the thread count, so the model files would depend on the machine and on ``n_jobs``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return fn(*args, **kwargs)


def _fold_predict(X_tr, y_tr, X_te, C: float,
                  anchor: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, tuple | None]:
    """One fold's held-out predictions at ``C``: fitted from zero when ``anchor`` is None
    (and then the fit is returned, to be the fold's anchor), else starting from ``anchor``."""
    m = _stage1_fit(X_tr, y_tr, C, anchor)
    return m.predict(X_te), (m.coef_, m.intercept_) if anchor is None else None


def select_C(feats, y, doc_ids, *, grid: Sequence[float] = C_GRID, groups=FEATURE_GROUPS, min_df: int = 2,
             n_splits: int = 5, tick: Tick = _no_tick, n_jobs: int = 1,
             exhaustive: bool = False, X_all: sp.csr_matrix | None = None) -> tuple[float, dict[str, Any]]:
    """Choose C by cross-validated macro-F1, folds grouped by document.

    The grid is climbed from its middle: the middle value and its two neighbours are
    scored first, then one more value at a time beyond whichever end scores best, until
    the best scored value has a lower-scoring (or no) neighbour on each side. That is the
    full grid's choice whenever macro-F1 rises and then falls along the sorted grid (one
    peak), at two fifths less work for a five-value grid; ``exhaustive=True`` scores every
    value. Ties go to the smaller C. Each fold's vocabulary and matrices are built once
    for all the values scored. Each fold fits the grid's middle value from zero and
    starts every other value's fit from it (about a third less solver work): a value's
    score depends only on the folds, the value and the grid's middle value, so the
    climb and the full grid score the same fits. With ``n_jobs > 1`` the fits run in
    worker processes (the same fits, so the same choice). ``X_all``, when given, is
    ``feats`` vectorised over every feature they hold (``min_df=1``), built once by the
    caller.

    Returns
    -------
    best : float
    results : dict
        The classification report of every C scored, in increasing C.
    """
    from joblib import Parallel

    folds = list(GroupKFold(n_splits=n_splits).split(np.zeros(len(y)), y, doc_ids))
    if X_all is None:
        X_all = vectorize(feats, build_vocabulary(feats, min_df=1))
    mats = []
    for tr, te in folds:
        keep = _seen_in(X_all, tr, min_df)
        mats.append((_columns(X_all[tr], keep), _columns(X_all[te], keep)))
    values = sorted(set(grid))
    results: dict[float, dict[str, Any]] = {}

    def key(C: float) -> tuple[float, float]:
        return round(results[C]["macro_f1"], 6), -C

    with Parallel(n_jobs=n_jobs, return_as="generator") as pool:
        run = functools.partial(_run_here, tick=tick) if n_jobs == 1 else _run_in(pool, tick)
        mid = len(values) // 2
        anchors: list[tuple | None] = [None] * len(folds)
        todo = values if exhaustive else values[max(mid - 1, 0):mid + 2]
        while todo:
            preds = {C: np.zeros(len(y), dtype=int) for C in todo}
            # The middle value's fits first (the first round always scores it; they are the
            # anchors), then one task per (C, fold): small tasks keep the workers busy.
            waves = [[(values[mid], j) for j in range(len(folds)) if anchors[j] is None],
                     [(C, j) for C in todo if C != values[mid] for j in range(len(folds))]]
            for wave in filter(None, waves):
                done = run([(_fold_predict, (mats[j][0], y[folds[j][0]], mats[j][1], C, anchors[j]),
                             f"choosing C: C={C}, fold {j + 1}/{len(folds)}") for C, j in wave])
                for (C, j), (pred, anchor) in zip(wave, done, strict=True):
                    anchors[j] = anchors[j] or anchor
                    preds[C][folds[j][1]] = pred
            results.update({C: classification_report(y, preds[C]) for C in todo})
            scored = [C for C in values if C in results]
            best = max(scored, key=key)
            i = values.index(best)
            todo = [values[i - 1]] if best == scored[0] and i > 0 else \
                [values[i + 1]] if best == scored[-1] and i + 1 < len(values) else []
    best = max(results, key=key)
    return best, {C: results[C] for C in values if C in results}


def train(
    sources: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    seed: int = 0,
    C: float | None = None,
    groups: Sequence[str] = FEATURE_GROUPS,
    min_df: int = 2,
    train_splits: Sequence[str] = ("train", "dev"),
    text_column: str = "text",
    label_column: str = "label",
    doc_column: str = "doc_id",
    roles: bool = True,
    group_column: str = "outlet",
    n_jobs: int = 1,
    verbose: bool = False,
) -> Model:
    """Train a framing model from one or more labelled sets.

    Rows whose ``split`` is in ``train_splits`` are used (all rows when the set has
    no ``split`` column); a ``test`` split is never read. ``C`` is chosen by
    cross-validation grouped by document unless given. When a ``dev`` split is
    among the training rows, dev metrics come from a model fitted on the other
    rows; the returned model is then refitted on all of them. With a dev split and a
    ``group_column`` (the outlet), the dev documents grouped by it also choose how
    corpus shares are corrected (:func:`framing._quantify.held_out_errors`); the choice
    and the held-out errors go into ``meta["quantification"]``. ``n_jobs`` worker
    processes compute the features and run the fits (the C search's, then the dev and
    final models' together). Every fit runs with BLAS on one thread, so the files
    written depend on neither ``n_jobs`` nor the machine's core count.

    Returns
    -------
    Model
        With ``meta["metrics"]`` holding the cross-validated and dev figures.
    """
    import datasets

    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    parts = []
    for src in sources:
        ds = load_labelled(src, text_column=text_column, label_column=label_column)
        if "split" in ds.column_names:
            ds = ds.filter(lambda v, keep=frozenset(train_splits): v in keep, input_columns="split")
        parts.append(ds)
    ds = datasets.concatenate_datasets(parts) if len(parts) > 1 else parts[0]
    doc_col = document_column(ds, doc_column)
    log = functools.partial(print, file=sys.stderr, flush=True) if verbose else _no_tick
    docs = group_documents(ds, doc_column=doc_col)
    splits = np.asarray([d.rows[0].get("split", "") for d in docs for _ in d.spans])
    with_dev = "dev" in train_splits and (splits == "dev").any() and (splits != "dev").any()
    # The fits planned: three C values x folds (the climb may score more), then per model
    # (dev, final) role folds + stage-1 folds + 3.
    n_folds = min(5, len(docs))
    per_model = (n_folds + 1 if roles else 0) + n_folds + 2
    progress = _Progress((min(3, len(C_GRID)) * n_folds if C is None else 0) + per_model * (2 if with_dev else 1),
                         log)
    progress.note(f"features of {len(docs):,} documents ({ds.num_rows:,} sentences) ...")
    feats, y, doc_ids = document_features(docs, groups, n_jobs=n_jobs)
    role_y = document_roles(docs) if roles else None
    progress.note("features done")
    progress.fits_start = time.perf_counter()
    metrics: dict[str, Any] = {}
    held_out = None
    # Every sentence's features as one matrix, built once: the C search's folds and both
    # models select their columns from it.
    vocab_all = build_vocabulary(feats, min_df=1)
    X_all = vectorize(feats, vocab_all)
    if C is None:
        C, cv_results = select_C(feats, y, doc_ids, groups=groups, min_df=min_df, tick=progress, n_jobs=n_jobs,
                                 X_all=X_all)
        metrics["cv"] = {"C": C, "grid": {str(c): round(r["macro_f1"], 4) for c, r in cv_results.items()},
                         **cv_results[C]}
        progress.note(f"cross-validated macro-F1 by C: {metrics['cv']['grid']} -> C={C}")
    options = {"C": C, "min_df": min_df, "seed": seed}
    steps = [_model_steps(feats, y, doc_ids, roles=role_y, what="final model", base=(X_all, vocab_all), **options)]
    if with_dev:
        tr = np.flatnonzero(splits != "dev")
        te = np.flatnonzero(splits == "dev")
        steps.append(_model_steps([feats[i] for i in tr], y[tr], doc_ids[tr], roles=None if role_y is None else
                                  role_y[tr], what="model for dev", base=(X_all[tr], vocab_all), **options))
    if n_jobs != 1:
        from joblib import Parallel

        with Parallel(n_jobs=n_jobs, return_as="generator") as pool:
            fitted = _one_thread(_drive, steps, _run_in(pool, progress))
    else:
        fitted = _one_thread(_drive, steps, functools.partial(_run_here, tick=progress))
    model, oof = fitted[0]
    if with_dev:
        dev_model, dev_oof = fitted[1]
        proba = _predict(dev_model, [feats[i] for i in te], doc_ids[te])
        metrics["dev"] = classification_report(y[te], proba.argmax(axis=1), proba)
        sentence_group = np.asarray([str(d.rows[0].get(group_column, "")) for d in docs for _ in d.spans])
        if dev_oof is not None and (sentence_group[te] != "").all():
            held_out = _held_out(dev_model, dev_oof, y[tr], proba, y[te], doc_ids[te], sentence_group[te])
        progress.note(f"dev macro-F1 {metrics['dev']['macro_f1']:.3f} (model fitted on the other splits)")
    if held_out is not None and held_out["mae"]:
        held_out["group_column"] = group_column
        # The simplest method wins ties: corrections must earn their place on held-out outlets.
        choice = min(held_out["mae"], key=lambda m: (held_out["mae"][m], list(held_out["mae"]).index(m)))
        model.meta["quantification_choice"] = {"default_method": choice, "held_out": held_out}
        progress.note(f"corpus-share correction chosen on dev by {group_column}: {choice} "
                      f"(mean absolute error {held_out['mae']})")
    if oof is not None:
        from ._metrics import expected_calibration_error

        metrics["calibration"] = {
            "temperature": model.temperature,
            "ece_uncalibrated_oof": expected_calibration_error(_softmax(oof), y),
            "ece_calibrated_oof": expected_calibration_error(_softmax(oof / model.temperature), y),
        }
        calibrated = _softmax(oof / model.temperature)
        metrics["stage2_oof"] = classification_report(y, oof.argmax(axis=1), calibrated)
        # The error rates adjusted corpus shares correct for (framing._quantify), held out by document.
        model.meta["quantification"] = {
            "source": "out-of-fold stage-2 predictions, folds grouped by document",
            **_error_rates(oof, y, model.temperature),
        }
    # The choice made on dev joins the error rates (or stands alone for a model without them).
    choice = model.meta.pop("quantification_choice", None)
    if choice:
        model.meta.setdefault("quantification", {}).update(choice)
    meta = {
        "package_version": __version__,
        "features": {"groups": list(groups), "lexicons_sha256": lexicons_sha256(), "min_df": min_df},
        "params": {"C": C, "class_weight": CLASS_WEIGHT, "seed": seed, "train_splits": list(train_splits)},
        "training_data": {"sha256": _data_hash(docs), "n_sentences": len(y), "n_documents": len(docs),
                          "label_counts": {name: int((y == i).sum()) for i, name in enumerate(LABELS)}},
        "metrics": rounded(metrics, 6),
    }
    model.meta.update(meta)
    return model


def _error_rates(oof: np.ndarray, y: np.ndarray, temperature: float) -> dict[str, Any]:
    """Held-out confusion matrix and mean probabilities per gold label (for framing._quantify)."""
    calibrated = _softmax(oof / temperature)
    k = len(LABELS)
    conf = np.zeros((k, k), dtype=int)
    np.add.at(conf, (y, oof.argmax(axis=1)), 1)
    mean = [[round(float(v), 6) for v in calibrated[y == i].mean(axis=0)] if (y == i).any() else [0.0] * k
            for i in range(k)]
    return {"confusion_matrix": conf.tolist(), "mean_probabilities": mean}


def _held_out(dev_model: Model, dev_oof: np.ndarray, y_train: np.ndarray, proba: np.ndarray, y_dev: np.ndarray,
              doc_ids: np.ndarray, groups: np.ndarray) -> dict[str, Any]:
    """Each correction method's errors on the dev documents grouped by outlet (a model that never saw them)."""
    from ._quantify import ErrorRates, GroupData, held_out_errors

    r = _error_rates(dev_oof, y_train, dev_model.temperature)
    prior = np.bincount(y_train, minlength=len(LABELS)).astype(float)
    rates = ErrorRates(np.asarray(r["confusion_matrix"], dtype=float), np.asarray(r["mean_probabilities"]),
                       prior / prior.sum())
    data = {}
    for g in sorted(set(groups.tolist())):
        rows = np.flatnonzero(groups == g)
        per_doc = [proba[rows[doc_ids[rows] == d]] for d in dict.fromkeys(doc_ids[rows].tolist())]
        docs = [(p.argmax(axis=1), p) for p in per_doc]
        data[g] = (GroupData.from_documents(docs), np.bincount(y_dev[rows], minlength=len(LABELS)).astype(float))
    return held_out_errors(rates, data)


