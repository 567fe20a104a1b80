"""FramingClassifier follows scikit-learn's estimator conventions."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from framing import FramingClassifier

# Checks that cannot apply, and why:
EXPECTED_FAILURES = {
    # class_weight="balanced" by default re-weights samples, so sample weights of 1 and
    # repeated samples are not equivalent to the unweighted fit the check assumes.
    "check_sample_weight_equivalence_on_dense_data": "fit takes no sample_weight",
    "check_sample_weight_equivalence_on_sparse_data": "fit takes no sample_weight",
}


@parametrize_with_checks([FramingClassifier(cv=2)], expected_failed_checks=lambda est: EXPECTED_FAILURES)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_fit_returns_self_and_fitted_attributes():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    y = np.array(["a", "b", "c"] * 20)
    X[y == "a", 0] += 3
    clf = FramingClassifier(C=1.0, cv=3)
    assert clf.fit(X, y) is clf
    assert list(clf.classes_) == ["a", "b", "c"]
    assert clf.coef_.shape == (3, 5) and clf.n_features_in_ == 5
    assert clf.temperature_ > 0
    proba = clf.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1)
    assert (clf.predict(X) == clf.classes_[proba.argmax(axis=1)]).all()


def test_groups_keep_documents_together_in_calibration():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    y = np.array([0, 1] * 20)
    groups = np.repeat(np.arange(8), 5)
    clf = FramingClassifier(cv=4).fit(X, y, groups=groups)
    assert clf.oof_decision_.shape == (40, 2)


def test_single_class_is_a_clear_error():
    with pytest.raises(ValueError, match="1 class"):
        FramingClassifier().fit(np.ones((4, 2)), [1, 1, 1, 1])
