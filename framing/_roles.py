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
    has_speaker = any(f.startswith(("src:T=", "att:T=")) for f in out)
    return out if has_speaker else []


def _bucket(p: float) -> str:
    return "hi" if p >= 0.8 else "mid" if p >= 0.5 else "lo"


def role_features(proba: np.ndarray, has_speaker: Sequence[bool]) -> list[list[str]]:
    """``role:`` features from role probabilities (rows of sentences with no speaker get none)."""
    out = []
    for p, speaks in zip(proba, has_speaker):
        if not speaks:
            out.append([])
            continue
        top = int(p.argmax())
        feats = [f"role:top={ROLES[top]}", f"role:top={ROLES[top]}|{_bucket(float(p[top]))}"]
        feats.extend(f"role:{ROLES[k]}" for k in np.flatnonzero(p >= 0.3) if k != top)
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
        scores = sparse_sum(self._coef_t, flat, offsets, self.intercept)
        scores -= scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)

    def features(self, feature_lists: Sequence[Sequence[str]]) -> list[list[str]]:
        """The ``role:`` features of each sentence, from its own features."""
        inputs = [role_inputs(f) for f in feature_lists]
        return role_features(self.predict_proba(inputs), [bool(x) for x in inputs])
