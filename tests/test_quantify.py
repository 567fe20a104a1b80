"""Corrected group shares: each method recovers known shares where its assumptions hold."""

import numpy as np
import pytest

from framing import LABELS, ModelError, UsageError
from framing._quantify import (
    METHODS,
    ErrorRates,
    GroupData,
    bootstrap,
    estimate,
    held_out_errors,
    interval,
)

K = len(LABELS)
# A confusion matrix like the shipped model's: narration and official claims mixed up most.
CONFUSION = np.array([[80, 8, 2, 10], [5, 80, 5, 10], [2, 15, 60, 23], [1, 10, 4, 85]], dtype=float)


def _rates(mean_probabilities=None, prior=None):
    return ErrorRates(CONFUSION, mean_probabilities,
                      np.full(K, 1 / K) if prior is None else np.asarray(prior, dtype=float))


def _group_with_expected_predictions(true_shares, n=100_000):
    """Predicted counts exactly as the confusion matrix says they would be for these true shares."""
    rates = CONFUSION / CONFUSION.sum(axis=1, keepdims=True)  # P(pred j | gold i)
    predicted = np.asarray(true_shares) @ rates * n
    return GroupData(predicted[None, :], predicted[None, :], np.zeros((0, K)), np.zeros(0, dtype=int))


def test_cc_is_the_share_of_predicted_labels():
    data = GroupData.from_documents([([0, 1, 1], np.eye(K)[[0, 1, 1]]), ([3], np.eye(K)[[3]])])
    assert estimate(data, "cc").tolist() == [0.25, 0.5, 0.0, 0.25]


def test_pcc_is_the_mean_probability():
    proba = np.array([[0.7, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]])
    data = GroupData.from_documents([([0, 3], proba)])
    assert np.allclose(estimate(data, "pcc"), proba.mean(axis=0))


@pytest.mark.parametrize("true", [[0.05, 0.3, 0.1, 0.55], [0.0, 0.5, 0.0, 0.5], [0.25, 0.25, 0.25, 0.25]])
def test_acc_recovers_the_true_shares_when_the_error_rates_hold(true):
    data = _group_with_expected_predictions(true)
    naive = estimate(data, "cc")
    adjusted = estimate(data, "acc", _rates())
    assert np.abs(adjusted - true).max() < 1e-9
    assert np.abs(naive - true).max() > 0.01  # the naive shares were biased


def test_pacc_recovers_the_true_shares_from_probabilities():
    mean_proba = np.array([[0.7, 0.1, 0.05, 0.15], [0.05, 0.75, 0.05, 0.15], [0.05, 0.2, 0.5, 0.25],
                           [0.02, 0.1, 0.08, 0.8]])
    true = np.array([0.1, 0.2, 0.3, 0.4])
    sums = (true @ mean_proba * 1000)[None, :]
    data = GroupData(sums, sums, np.zeros((0, K)), np.zeros(0, dtype=int))
    assert np.abs(estimate(data, "pacc", _rates(mean_proba)) - true).max() < 1e-9
    with pytest.raises(ModelError, match="mean probabilities"):
        estimate(data, "pacc", _rates(None))


def test_em_recovers_a_shifted_prior():
    # Four discrete "sentence kinds" with known label likelihoods; posteriors by Bayes
    # under a uniform training prior; the group is drawn with another prior.
    rng = np.random.default_rng(0)
    like = np.array([[0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.1, 0.1], [0.1, 0.1, 0.7, 0.1], [0.1, 0.1, 0.1, 0.7]])
    true = np.array([0.05, 0.15, 0.2, 0.6])
    y = rng.choice(K, size=40_000, p=true)
    x = np.array([rng.choice(K, p=like[c]) for c in y])
    post = like[:, x].T / like[:, x].T.sum(axis=1, keepdims=True)  # uniform prior
    data = GroupData.from_documents([(post.argmax(axis=1), post)])
    em = estimate(data, "em", _rates(prior=np.full(K, 0.25)))
    assert np.abs(em - true).max() < 0.02
    assert np.abs(estimate(data, "pcc") - true).max() > 0.1


def test_every_method_returns_a_distribution_and_unknown_methods_fail():
    rng = np.random.default_rng(1)
    proba = rng.dirichlet(np.ones(K), size=50)
    data = GroupData.from_documents([(proba[i:i + 5].argmax(axis=1), proba[i:i + 5]) for i in range(0, 50, 5)])
    rates = _rates(np.full((K, K), 0.25) + np.eye(K) * 0.5)
    for m in METHODS:
        p = estimate(data, m, rates)
        assert p.shape == (K,) and (p >= 0).all() and abs(p.sum() - 1) < 1e-9
    with pytest.raises(UsageError, match="unknown method"):
        estimate(data, "magic", rates)


def test_bootstrap_is_seeded_and_its_interval_holds_the_estimate():
    rng = np.random.default_rng(2)
    docs = [(rng.integers(0, K, size=20), rng.dirichlet(np.ones(K), size=20)) for _ in range(30)]
    data = GroupData.from_documents(docs)
    a = bootstrap(data, "cc", None, n_boot=300, rng=np.random.default_rng(7))
    b = bootstrap(data, "cc", None, n_boot=300, rng=np.random.default_rng(7))
    assert np.array_equal(a, b) and a.shape == (300, K)
    iv = interval(a, 0.9)
    est = estimate(data, "cc")
    assert ((iv[:, 0] <= est) & (est <= iv[:, 1])).all() and (iv[:, 1] > iv[:, 0]).all()


def test_held_out_errors_rank_the_methods_by_their_error():
    # Groups whose predictions follow the confusion matrix: acc is exact, cc is not.
    groups = {}
    for i, true in enumerate(([0.1, 0.3, 0.1, 0.5], [0.0, 0.6, 0.1, 0.3], [0.2, 0.2, 0.2, 0.4])):
        data = _group_with_expected_predictions(true, n=1000)
        data = GroupData(np.vstack([data.counts / 2] * 2), np.vstack([data.prob_sums / 2] * 2), data.posteriors,
                         data.sentence_doc)
        groups[f"g{i}"] = (data, np.asarray(true) * 1000)
    out = held_out_errors(_rates(), groups, n_boot=50)
    assert out["n_groups"] == 3 and "pacc" not in out["mae"]
    assert out["mae"]["acc"] < 1e-6 < out["mae"]["cc"]
    assert len(out["group_sd"]["cc"]) == K


def test_rates_come_from_model_metadata_or_fail_clearly():
    meta = {"quantification": {"confusion_matrix": CONFUSION.tolist(), "mean_probabilities": np.eye(K).tolist(),
                               "default_method": "acc", "held_out": {"group_sd": {"acc": [0.01] * K}}},
            "training_data": {"label_counts": dict(zip(LABELS, [1, 2, 3, 4]))}}
    r = ErrorRates.from_meta(meta)
    assert r.default_method == "acc" and r.train_prior.tolist() == [0.1, 0.2, 0.3, 0.4]
    with pytest.raises(ModelError, match="no held-out error rates"):
        ErrorRates.from_meta({"training_data": {}})
