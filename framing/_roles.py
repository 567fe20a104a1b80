"""Speaker roles: what kind of speaker an attributed sentence's source is.

A sentence can be attributed and still be the reporter's narration: a lawyer, a company
or a witness speaks, and none of them governs or analyses. The role component learns,
from the labelled set, what kind of speaker a sentence's source is:

=====================  ============================================================
``state_media``        state-controlled media (the label ``state_media_quote``)
``official``           a government, state body or official (``official_claim``)
``analyst``            analysts, experts, think tanks, monitors (``analyst_assessment``)
``independent_media``  independent media relaying nobody (narration, role ``Rm``)
``non_governing``      companies, unions, lawyers, campaigns, armed groups, witnesses,
                       ordinary people (narration, role ``Rn``)
``unnamed``            a source given no role (narration, role ``Ru``)
=====================  ============================================================

Its inputs are the speaker features of the sentence (:mod:`framing._features`' ``src``,
``spk``, ``att``, ``cue`` and ``lex`` groups: the source phrase, its appositive or title,
the description given the same person earlier in the article, the tagger's source and
the lexicon types). Its output is fed to the sentence model as ``role:`` features. It is
a multinomial logistic regression fitted by :func:`framing._train.fit_roles`; scoring is a
sparse dot product with numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ._linear import feature_indices, padded_transpose, sparse_sum

__all__ = ["ROLES", "RoleModel", "role_inputs", "role_target"]

ROLES: tuple[str, ...] = ("state_media", "official", "analyst", "independent_media", "non_governing", "unnamed")
_FROM_LABEL = {"state_media_quote": 0, "official_claim": 1, "analyst_assessment": 2}
_FROM_NARRATION = {"independent_media": 3, "non_governing": 4, "unnamed": 5}
_INPUT_PREFIXES = ("src:", "spk:", "att:", "cue:", "lex:")
_NO_SPEAKER = frozenset({"src:T=nocue", "att:none"})
_SPEAKER_PREFIXES = ("src:T=", "att:T=")


def role_target(label: str, speaker_role: str | None) -> int:
    """The role index of a labelled sentence, or -1 when no speaker carries it (the
    reporter's own voice): the label fixes the role except for narration, whose relayed
    speaker is recorded as ``speaker_role``."""
    if label in _FROM_LABEL:
        return _FROM_LABEL[label]
    return _FROM_NARRATION.get(speaker_role or "", -1)


def role_inputs(features: Sequence[str]) -> list[str]:
    """The speaker features of one sentence (empty when it names no speaker)."""
    out = [f for f in features if f.startswith(_INPUT_PREFIXES) and f not in _NO_SPEAKER]
    has_speaker = any(f.startswith(_SPEAKER_PREFIXES) for f in out)
    return out if has_speaker else []


_TOP = tuple(f"role:top={r}" for r in ROLES)
_TOP_SURE = tuple({b: f"role:top={r}|{b}" for b in ("hi", "mid", "lo")} for r in ROLES)
_ALSO = tuple(f"role:{r}" for r in ROLES)


def role_features(proba: np.ndarray, has_speaker: Sequence[bool]) -> list[list[str]]:
    """``role:`` features from role probabilities (rows of sentences with no speaker get none):
    the most likely role, with how sure ("hi" at 0.8 or more, "mid" at 0.5 or more, else
    "lo"), then every other role of probability 0.3 or more."""
    proba = np.asarray(proba, dtype=np.float64).reshape(len(has_speaker), len(ROLES))
    rows = np.arange(len(proba))
    top = proba.argmax(axis=1)
    p_top = proba[rows, top]
    sure = np.where(p_top >= 0.8, "hi", np.where(p_top >= 0.5, "mid", "lo")).tolist()
    also = proba >= 0.3
    also[rows, top] = False
    out = []
    for speaks, t, b, more in zip(has_speaker, top.tolist(), sure, also.tolist()):
        if not speaks:
            out.append([])
            continue
        feats = [_TOP[t], _TOP_SURE[t][b]]
        feats.extend(_ALSO[k] for k, m in enumerate(more) if m)
        out.append(feats)
    return out


class RoleModel:
    """A fitted speaker-role classifier (numpy only at scoring time).

    Parameters
    ----------
    vocabulary : sequence of str
        Input feature strings, in column order.
    coef : ndarray of shape (n_roles, n_features)
    intercept : ndarray of shape (n_roles,)
    """

    def __init__(self, vocabulary: Sequence[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        self.vocabulary = list(vocabulary)
        self.index: Mapping[str, int] = {f: i for i, f in enumerate(self.vocabulary)}
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        if self.coef.shape != (len(ROLES), len(self.vocabulary)) or self.intercept.shape != (len(ROLES),):
            raise ValueError(f"role model arrays have shapes {self.coef.shape} and {self.intercept.shape}, "
                             f"expected ({len(ROLES)}, {len(self.vocabulary)}) and ({len(ROLES)},)")
        self._coef_t = padded_transpose(self.coef)

    def predict_proba(self, inputs: Sequence[Sequence[str]]) -> np.ndarray:
        """Role probabilities, one row per sentence's :func:`role_inputs` (features are binary:
        each distinct one counts once)."""
        # One gather and one segmented sum for the whole document, as the sentence model does.
        flat, offsets = feature_indices(self.index, [list(dict.fromkeys(f)) for f in inputs])
        return _softmax(sparse_sum(self._coef_t, flat, offsets, self.intercept))

    def features(self, feature_lists: Sequence[Sequence[str]]) -> list[list[str]]:
        """The ``role:`` features of each sentence, from its own features."""
        inputs = [role_inputs(f) for f in feature_lists]
        return role_features(self.predict_proba(inputs), [bool(x) for x in inputs])

    def host_columns(self, vocabulary: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """For a sentence model's ``vocabulary`` (and its unknown-feature column after it):
        the role column of each column (the zero padding row for a feature this model does
        not know), which columns are role inputs, and which name a speaker. None when a
        feature this model knows is missing from ``vocabulary``: the role model must then
        read the feature strings (:meth:`features`)."""
        if not set(self.vocabulary) <= set(vocabulary):
            return None
        pad = len(self.vocabulary)
        col = np.full(len(vocabulary) + 1, pad, dtype=np.intp)
        inputs = np.zeros(len(vocabulary) + 1, dtype=bool)
        speaker = np.zeros(len(vocabulary) + 1, dtype=bool)
        for j, f in enumerate(vocabulary):
            if f.startswith(_INPUT_PREFIXES) and f not in _NO_SPEAKER:
                inputs[j] = True
                speaker[j] = f.startswith(_SPEAKER_PREFIXES)
                col[j] = self.index.get(f, pad)
        return col, inputs, speaker

    def features_at(self, columns: tuple[np.ndarray, np.ndarray, np.ndarray], flat: np.ndarray, offsets: np.ndarray,
                    unknown: Sequence[str]) -> list[list[str]] | None:
        """:meth:`features` from the sentence model's columns of the same feature lists
        (``flat`` and ``offsets`` from :func:`~framing._linear.feature_indices`, with the
        strings of the features it did not know, in order, as ``unknown``), without reading
        the strings again: the same role inputs are summed in the same order, so the
        result is the same to the bit. None when a list holds a role input twice (the
        strings are then read: each counts once)."""
        col, is_input, speaker = columns
        v = len(col) - 1
        n = len(offsets) - 1
        keep = is_input[flat]
        marks = speaker[flat]
        at = np.flatnonzero(flat == v)
        if at.size:
            # A feature the sentence model never saw is still an input, and may name a speaker.
            keep[at] = [f.startswith(_INPUT_PREFIXES) and f not in _NO_SPEAKER for f in unknown]
            marks[at] = [f.startswith(_SPEAKER_PREFIXES) and f not in _NO_SPEAKER for f in unknown]
        sent = np.repeat(np.arange(n), np.diff(offsets))
        has_speaker = np.bincount(sent, weights=marks, minlength=n) > 0
        keep &= has_speaker[sent]  # a sentence with no speaker reads no inputs: the intercept alone
        cols, sents = flat[keep], sent[keep]
        keys = np.sort(sents * (v + 1) + cols)
        if keys.size > 1 and (keys[1:] == keys[:-1]).any():
            known_twice = ((keys[1:] == keys[:-1]) & (keys[1:] % (v + 1) != v)).any()
            strange = [(int(sent[i]), f) for i, f, k in zip(at, unknown, keep[at]) if k]
            if known_twice or len(set(strange)) < len(strange):
                return None
        offsets_in = np.zeros(n + 1, dtype=np.intp)
        np.cumsum(np.bincount(sents, minlength=n), out=offsets_in[1:])
        proba = _softmax(sparse_sum(self._coef_t, col[cols], offsets_in, self.intercept))
        return role_features(proba, has_speaker.tolist())


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores -= scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)
