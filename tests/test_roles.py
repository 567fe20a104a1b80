"""The speaker-role component: targets from labels, inputs, the fitted classifier."""

from __future__ import annotations

import numpy as np
import pytest

import framing
from framing._features import featurize
from framing._roles import ROLES, RoleModel, role_features, role_inputs, role_target


@pytest.mark.parametrize(("label", "role", "want"), [
    ("state_media_quote", None, "state_media"),
    ("official_claim", None, "official"),
    ("analyst_assessment", "non_governing", "analyst"),  # the label fixes the role
    ("reporter_narration", "non_governing", "non_governing"),
    ("reporter_narration", "independent_media", "independent_media"),
    ("reporter_narration", "unnamed", "unnamed"),
])
def test_role_target_follows_label_then_narration_role(label, role, want):
    assert ROLES[role_target(label, role)] == want


def test_reporter_voice_has_no_role():
    assert role_target("reporter_narration", None) == -1


def test_inputs_only_for_sentences_with_a_speaker():
    text = "Mark Zaid, a lawyer for the whistleblower, said the case was weak. It rained all day."
    feats = featurize(text, framing.segment(text))
    with_speaker, without = role_inputs(feats[0]), role_inputs(feats[1])
    assert without == []
    assert any(f.startswith("src:") for f in with_speaker)
    assert any(f == "spk:app=lawyer" for f in with_speaker)
    assert not any(f.startswith(("w:", "q:", "ctx:")) for f in with_speaker)


def test_role_model_probabilities_and_features():
    vocab = ["src:w=lawyer", "src:w=kcna"]
    coef = np.zeros((len(ROLES), 2))
    coef[ROLES.index("non_governing"), 0] = 5.0
    coef[ROLES.index("state_media"), 1] = 5.0
    model = RoleModel(vocab, coef, np.zeros(len(ROLES)))
    p = model.predict_proba([["src:w=lawyer", "src:T=other"], ["src:w=kcna", "src:T=state_media"], ["unknown"]])
    assert np.allclose(p.sum(axis=1), 1)
    assert ROLES[p[0].argmax()] == "non_governing" and ROLES[p[1].argmax()] == "state_media"
    assert np.allclose(p[2], 1 / len(ROLES))  # nothing known: uniform
    feats = model.features([["src:T=other", "src:w=lawyer"], ["w:rain"]])
    assert "role:top=non_governing" in feats[0] and "role:top=non_governing|hi" in feats[0]
    assert feats[1] == []  # no speaker, no role features
    with pytest.raises(ValueError, match="shapes"):
        RoleModel(vocab, coef[:, :1], np.zeros(len(ROLES)))


def test_role_features_skip_sentences_without_a_speaker():
    p = np.full((2, len(ROLES)), 0.05)
    p[0, 1] = 0.75
    assert role_features(p, [True, False]) == [["role:top=official", "role:top=official|mid"], []]


def test_fit_roles_learns_from_labelled_sentences_and_keeps_folds_apart():
    from framing._train import fit_roles

    rng = np.random.default_rng(0)
    feats, targets, docs = [], [], []
    words = {0: "kcna", 1: "minister", 2: "professor", 3: "reuters", 4: "lawyer", 5: "sources"}
    for d in range(30):
        for _ in range(6):
            r = int(rng.integers(0, len(ROLES)))
            feats.append(["src:T=other", f"src:w={words[r]}", f"src:w=noise{rng.integers(0, 50)}"])
            targets.append(r)
            docs.append(f"d{d}")
    feats.append(["w:rain"])  # a sentence with no speaker
    targets.append(-1)
    docs.append("d29")
    model, oof, has = fit_roles(feats, np.asarray(targets), np.asarray(docs))
    assert has[:-1].all() and not has[-1]
    assert (oof[:-1].argmax(axis=1) == np.asarray(targets[:-1])).mean() > 0.9
    p = model.predict_proba([role_inputs(["src:T=other", "src:w=professor"])])
    assert ROLES[p[0].argmax()] == "analyst"


def test_model_adds_role_features_before_scoring():
    from framing._model import Model

    vocab = ["role:top=non_governing", "bias"]
    coef = np.zeros((len(framing.LABELS), 2))
    coef[framing.LABELS.index("reporter_narration"), 0] = 4.0
    rcoef = np.zeros((len(ROLES), 1))
    rcoef[ROLES.index("non_governing"), 0] = 6.0
    roles = RoleModel(["src:w=lawyer"], rcoef, np.zeros(len(ROLES)))
    with_roles = Model(vocab, coef, np.zeros(len(framing.LABELS)), role_model=roles)
    without = Model(vocab, coef, np.zeros(len(framing.LABELS)))
    feats = [["src:T=other", "src:w=lawyer", "bias"]]
    assert framing.LABELS[with_roles.predict_proba(feats)[0].argmax()] == "reporter_narration"
    assert np.allclose(without.predict_proba(feats)[0], 0.25)


def test_role_features_match_a_row_by_row_reading():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.full(len(ROLES), 0.5), size=200)
    p[:5] = 1 / len(ROLES)  # ties: the first role wins
    p[5, :2] = [0.8, 0.2]
    p[5, 2:] = 0.0
    speaks = (rng.random(200) < 0.8).tolist()

    def by_row(row, speaker):
        if not speaker:
            return []
        top = int(np.argmax(row))
        sure = "hi" if row[top] >= 0.8 else "mid" if row[top] >= 0.5 else "lo"
        return [f"role:top={ROLES[top]}", f"role:top={ROLES[top]}|{sure}",
                *(f"role:{ROLES[k]}" for k in range(len(ROLES)) if k != top and row[k] >= 0.3)]

    assert role_features(p, speaks) == [by_row(r, s) for r, s in zip(p, speaks)]
    assert role_features(np.zeros((0, len(ROLES))), []) == []
