"""The trained model at scoring time: verified loading and numpy-only inference.

A model directory holds two files:

``model.json``
    Metadata: format name and version, label order, feature configuration
    (groups and the sha256 of the lexicons it was trained with), package
    version, training-data hash, metrics, temperature, and the sha256 of the
    arrays file. Written with sorted keys so equal models give equal bytes.
``weights.npz``
    ``coef`` (labels x features), ``intercept`` (labels) and ``vocabulary``
    (feature strings, UTF-8, newline-separated, as a ``uint8`` array), stored
    without pickles and loaded with ``allow_pickle=False``.

Loading checks the format version, the arrays' sha256, the label order, the
lexicons, and ``integrity_sha256``: the sha256 of the rest of the metadata in canonical
JSON, which holds the arrays' sha256, so one digest covers metadata and arrays together
(see :func:`verify_manifest`). Then it checks every value the scorer uses (temperature,
feature groups, shapes, finite weights) and refuses a tampered, truncated, mismatched
or malformed model with a :class:`~framing.ModelError`, never a traceback.

The digests detect corruption and accidental or partial edits. They are checksums, not
signatures: someone who can rewrite the model directory can recompute them.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ._document import LABELS
from ._errors import ModelError
from ._linear import decode_vocabulary, encode_vocabulary, feature_indices, padded_transpose, sparse_sum
from ._roles import RoleModel

__all__ = ["Model", "load_model", "lexicons_sha256", "FORMAT_VERSION", "INTEGRITY_KEY", "manifest_digest",
           "read_manifest", "verify_manifest"]

from ._modelfile import (  # noqa: F401  (re-exported: the model's file format)
    _ZIP_DATE,
    ARRAYS_FILE,
    FORMAT_NAME,
    FORMAT_VERSION,
    INTEGRITY_KEY,
    META_FILE,
    READABLE_FORMAT_VERSIONS,
    _finite_arrays,
    _sha256_file,
    _write_npz,
    lexicons_sha256,
    manifest_digest,
    read_manifest,
    verify_manifest,
)

N_CONTEXT = 6 * 4
"""Dense stage-2 inputs: the stage-1 probabilities of the sentence, the previous, the next,
the one before the previous, the one after the next (zeros past the document's edges),
and their mean over the whole document (what kind of article it is)."""
# Widths a model's stage 2 may have: models of format version 1 (framing 0.1) read the
# first 16 columns (the same values as before), so they score as they did.
_CONTEXT_WIDTHS = (4 * 4, N_CONTEXT)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def context_inputs(proba: np.ndarray, width: int = N_CONTEXT) -> np.ndarray:
    """Stage-2 dense inputs from one document's stage-1 probabilities: (n, 4) -> (n, width),
    ``width`` one of 16 (the neighbours, as models of format version 1 read them) or 24
    (:data:`N_CONTEXT`: also the sentence after the next and the document mean)."""
    n, k = proba.shape
    out = np.zeros((n, width))
    out[:, :k] = proba
    if n > 1:
        out[1:, k : 2 * k] = proba[:-1]
        out[:-1, 2 * k : 3 * k] = proba[1:]
    if n > 2:
        out[2:, 3 * k : 4 * k] = proba[:-2]
    if width > 4 * k:
        if n > 2:
            out[:-2, 4 * k : 5 * k] = proba[2:]
        if n:
            out[:, 5 * k : 6 * k] = proba.mean(axis=0)
    return out


class Model:
    """A fitted two-stage linear framing model, ready to score documents with numpy.

    Stage 1 is a linear model over each sentence's features; stage 2 is a linear model
    over the same features plus the stage-1 probabilities of the sentence, its
    neighbours (quotations and voices run over several sentences) and their mean over
    the document (:func:`context_inputs`). Probabilities
    are the stage-2 softmax at a temperature fitted on held-out folds.

    Build one with :func:`load_model` (verified) or :func:`framing.train`.

    Parameters
    ----------
    vocabulary : sequence of str
        Feature strings; position ``j`` is column ``j`` of ``coef``.
    coef, intercept : ndarray of shape (n_labels, n_features), (n_labels,)
        Stage 1.
    stack_coef, stack_intercept : ndarray of shape (n_labels, n_features + 24), (n_labels,)
        Stage 2 (optional: without it the model is single-stage).
    temperature : float
        Softmax temperature of the final scores (calibration).
    meta : mapping
        The metadata written to ``model.json``.
    role_model : RoleModel, optional
        The speaker-role component (:mod:`framing._roles`); its ``role:`` features are
        added to each sentence's features before scoring.
    """

    def __init__(
        self,
        vocabulary: Sequence[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        *,
        stack_coef: np.ndarray | None = None,
        stack_intercept: np.ndarray | None = None,
        temperature: float = 1.0,
        meta: Mapping[str, Any] | None = None,
        role_model: RoleModel | None = None,
    ) -> None:
        self.vocabulary = list(vocabulary)
        self.index = {f: j for j, f in enumerate(self.vocabulary)}
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.stack_coef = None if stack_coef is None else np.asarray(stack_coef, dtype=np.float64)
        self.stack_intercept = None if stack_intercept is None else np.asarray(stack_intercept, dtype=np.float64)
        self.temperature = float(temperature)
        self.meta = dict(meta or {})
        self.role_model = role_model
        k, v = len(LABELS), len(self.vocabulary)
        if self.coef.shape != (k, v) or self.intercept.shape != (k,):
            raise ModelError(f"model arrays have shapes {self.coef.shape} and {self.intercept.shape}; "
                             f"expected ({k}, {v}) and ({k},)")
        if (self.stack_coef is None) != (self.stack_intercept is None) or (
            self.stack_coef is not None
            and (self.stack_coef.shape not in [(k, v + w) for w in _CONTEXT_WIDTHS]
                 or self.stack_intercept.shape != (k,))
        ):
            raise ModelError(f"stage-2 arrays must have shapes ({k}, {v + N_CONTEXT}) (or ({k}, "
                             f"{v + _CONTEXT_WIDTHS[0]}) for a model of format version 1) and ({k},)")
        self._coef_t = padded_transpose(self.coef)
        self._stack_t = None if self.stack_coef is None else padded_transpose(self.stack_coef[:, :v])
        self._role_columns: tuple[np.ndarray, ...] | bool | None = None  # built on first use

    def with_roles(self, feature_lists: Sequence[Sequence[str]]) -> Sequence[Sequence[str]]:
        """The feature lists with the speaker-role component's ``role:`` features added
        (unchanged for a model without one)."""
        if self.role_model is None:
            return feature_lists
        return [[*f, *r] for f, r in zip(feature_lists, self.role_model.features(feature_lists))]

    def _columns(self, feature_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """:func:`feature_indices` of :meth:`with_roles`' lists. The role component reads
        the columns of the sentence's own features, found once for both models
        (:meth:`~framing._roles.RoleModel.features_at`); the role features' columns then
        follow each sentence's own, as in :meth:`with_roles`' lists, so every sum adds the
        same numbers in the same order."""
        if self.role_model is None:
            return feature_indices(self.index, feature_lists)
        if self._role_columns is None:
            self._role_columns = self.role_model.host_columns(self.vocabulary) or False
        flat, offsets = feature_indices(self.index, feature_lists)
        roles = None
        if self._role_columns is not False:
            v = len(self.vocabulary)
            unknown = np.flatnonzero(flat == v)
            strings = list(itertools.chain.from_iterable(feature_lists)) if unknown.size else []
            roles = self.role_model.features_at(self._role_columns, flat, offsets, [strings[k] for k in unknown])
        if roles is None:
            return feature_indices(self.index, self.with_roles(feature_lists))
        rflat, roff = feature_indices(self.index, roles)
        out = np.empty(len(flat) + len(rflat), dtype=np.intp)
        out[np.arange(len(flat)) + np.repeat(roff[:-1], np.diff(offsets))] = flat
        out[np.arange(len(rflat)) + np.repeat(offsets[1:], np.diff(roff))] = rflat
        return out, offsets + roff

    @property
    def groups(self) -> tuple[str, ...]:
        """Feature groups the model was trained with."""
        from ._features import FEATURE_GROUPS

        return tuple(self.meta.get("features", {}).get("groups", FEATURE_GROUPS))

    def decision_function(self, feature_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Raw label scores for the sentences of ONE document, shape ``(n_sentences, n_labels)``.

        The sentences must be one document in order: stage 2 reads each sentence's
        neighbours.
        """
        flat, offsets = self._columns(feature_lists)
        stage1 = sparse_sum(self._coef_t, flat, offsets, self.intercept)
        if self._stack_t is None:
            return stage1
        context = context_inputs(_softmax(stage1), self.stack_coef.shape[1] - len(self.vocabulary))
        stage2 = sparse_sum(self._stack_t, flat, offsets, self.stack_intercept)
        stage2 += context @ self.stack_coef[:, len(self.vocabulary) :].T
        return stage2

    def predict_proba(self, feature_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Calibrated label probabilities for ONE document's sentences; rows sum to 1."""
        return _softmax(self.decision_function(feature_lists) / self.temperature)

    def explain(self, features: Sequence[str], label: int, *, top: int = 5) -> dict[str, Any]:
        """The features that pushed one sentence most toward ``label`` and against the runner-up.

        Weights are those of the final stage over the sentence's own features; the
        influence of the neighbouring sentences (stage 2's context inputs) is not
        itemised. Each item gives the ``feature`` string and its ``description`` in words.
        """
        from ._features import describe_feature

        weights = self.coef if self.stack_coef is None else self.stack_coef[:, : len(self.vocabulary)]
        bias = self.intercept if self.stack_intercept is None else self.stack_intercept
        features = self.with_roles([features])[0]
        idx = sorted({self.index[f] for f in features if f in self.index})
        scores = bias + (weights[:, idx].sum(axis=1) if idx else 0.0)
        order = np.argsort(-scores, kind="stable")
        runner = int(order[1] if order[0] == label else order[0])
        toward = [(self.vocabulary[j], float(weights[label, j])) for j in idx]
        versus = [(self.vocabulary[j], float(weights[label, j] - weights[runner, j])) for j in idx]
        toward.sort(key=lambda kv: (-kv[1], kv[0]))
        versus.sort(key=lambda kv: (-kv[1], kv[0]))
        return {
            "label": LABELS[label],
            "runner_up": LABELS[runner],
            "toward_label": [{"feature": f, "description": describe_feature(f), "weight": round(w, 4)}
                             for f, w in toward[:top] if w > 0],
            "against_runner_up": [{"feature": f, "description": describe_feature(f), "weight": round(w, 4)}
                                  for f, w in versus[:top] if w > 0],
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model directory (``model.json`` + ``weights.npz``); returns its path."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        vocab = encode_vocabulary(self.vocabulary)
        arrays = {"coef": self.coef, "intercept": self.intercept, "vocabulary": vocab}
        if self.stack_coef is not None:
            arrays.update(stack_coef=self.stack_coef, stack_intercept=self.stack_intercept)
        if self.role_model is not None:
            arrays.update(role_coef=self.role_model.coef, role_intercept=self.role_model.intercept,
                          role_vocabulary=encode_vocabulary(self.role_model.vocabulary))
        _write_npz(out / ARRAYS_FILE, arrays)
        meta = dict(self.meta)
        if self.role_model is not None:
            from ._roles import ROLES

            meta["roles"] = {"labels": list(ROLES), "n_features": len(self.role_model.vocabulary)}
        meta.update(
            format=FORMAT_NAME,
            format_version=FORMAT_VERSION,
            labels=list(LABELS),
            temperature=self.temperature,
            n_features=len(self.vocabulary),
            stages=1 if self.stack_coef is None else 2,
            arrays_file=ARRAYS_FILE,
            arrays_sha256=_sha256_file(out / ARRAYS_FILE),
        )
        meta[INTEGRITY_KEY] = manifest_digest(meta)
        (out / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return out


def _load_roles(arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any], where: Path) -> RoleModel | None:
    """The speaker-role component from its arrays, checked against the metadata."""
    from ._roles import ROLES

    declared = meta.get("roles")
    if not arrays and declared is None:
        return None
    if len(arrays) != 3 or not isinstance(declared, dict) or declared.get("labels") != list(ROLES):
        raise ModelError(f"{where}: the speaker-role arrays and the metadata's 'roles' do not match "
                         f"(arrays {sorted(arrays)}, roles {declared!r}); the model is damaged")
    try:
        return RoleModel(decode_vocabulary(arrays["role_vocabulary"]), arrays["role_coef"], arrays["role_intercept"])
    except ValueError as exc:
        raise ModelError(f"{where}: {exc}") from None


def _default_model_dir() -> Path:
    return Path(str(resources.files("framing") / "models" / "default"))


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load and verify a model directory (the shipped default when ``path`` is None).

    Raises
    ------
    ModelError
        When the directory or a file is missing, the metadata is not a framing
        model of a supported format version, the arrays' sha256 does not match
        (tampered or truncated), the label order differs, or the model was trained
        with other lexicons than the installed ones.
    """
    directory = _default_model_dir() if path is None else Path(path)
    meta_path = directory / META_FILE
    if not directory.is_dir() or not meta_path.is_file():
        raise ModelError(f"{directory}: not a framing model directory (no {META_FILE}); "
                         "pass a directory written by `framing train`")
    meta = read_manifest(meta_path)
    if meta.get("format") != FORMAT_NAME:
        raise ModelError(f"{meta_path}: not framing model metadata")
    if meta.get("format_version") not in READABLE_FORMAT_VERSIONS:
        raise ModelError(
            f"{meta_path}: model format version {meta.get('format_version')!r}, but this framing reads "
            f"versions {', '.join(map(str, READABLE_FORMAT_VERSIONS))}; retrain it with `framing train` or "
            "install a matching framing"
        )
    arrays_name = meta.get("arrays_file", ARRAYS_FILE)
    arrays_path = directory / str(arrays_name)
    if not isinstance(arrays_name, str) or arrays_path.parent != directory or not arrays_path.is_file():
        raise ModelError(f"{directory}: arrays file {arrays_path.name!r} is missing")
    actual = _sha256_file(arrays_path)
    if actual != meta.get("arrays_sha256"):
        raise ModelError(
            f"{arrays_path}: sha256 {actual[:16]}... does not match the metadata "
            f"({str(meta.get('arrays_sha256'))[:16]}...); the model was modified or truncated. "
            "Refusing to load it: reinstall framing or retrain the model"
        )
    if meta.get("labels") != list(LABELS):
        raise ModelError(f"{meta_path}: label order {meta.get('labels')} differs from {list(LABELS)}")
    features = meta.get("features", {})
    if not isinstance(features, dict):
        raise ModelError(f"{meta_path}: 'features' must be an object, not {type(features).__name__}")
    want_lex = features.get("lexicons_sha256")
    if want_lex is not None and want_lex != lexicons_sha256():
        raise ModelError(
            f"{directory}: the model was trained with other lexicons than the installed ones; "
            "retrain it with `framing train` against this version"
        )
    verify_manifest(meta, meta_path)
    from ._features import FEATURE_GROUPS

    groups = features.get("groups", list(FEATURE_GROUPS))
    if not (isinstance(groups, list) and all(isinstance(g, str) and g in FEATURE_GROUPS for g in groups)):
        raise ModelError(f"{meta_path}: feature groups {groups!r} are not a list drawn from {list(FEATURE_GROUPS)}")
    temperature = meta.get("temperature", 1.0)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float) or not (
            math.isfinite(temperature) and temperature > 0):
        raise ModelError(f"{meta_path}: temperature {temperature!r} must be a positive finite number")
    try:
        with np.load(arrays_path, allow_pickle=False) as npz:
            coef, intercept, vocab = npz["coef"], npz["intercept"], npz["vocabulary"]
            stack_coef = npz["stack_coef"] if "stack_coef" in npz.files else None
            stack_intercept = npz["stack_intercept"] if "stack_intercept" in npz.files else None
            roles = {k: npz[k] for k in ("role_coef", "role_intercept", "role_vocabulary") if k in npz.files}
        arrays = {"coef": coef, "intercept": intercept, "vocabulary": vocab}
        if stack_coef is not None and stack_intercept is not None:
            arrays.update(stack_coef=stack_coef, stack_intercept=stack_intercept)
        arrays.update(roles)
        _finite_arrays(arrays, arrays_path)
        vocabulary = decode_vocabulary(vocab)
        role_model = _load_roles(roles, meta, arrays_path)
        return Model(vocabulary, coef, intercept, stack_coef=stack_coef, stack_intercept=stack_intercept,
                     temperature=float(temperature), meta=meta, role_model=role_model)
    except ModelError:
        raise
    except (ValueError, TypeError, KeyError, OSError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise ModelError(f"{arrays_path}: cannot read the model arrays ({exc})") from None
