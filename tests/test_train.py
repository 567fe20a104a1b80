"""Training: the estimator's conventions, grouped folds, and `framing train` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

import framing
from framing import FramingClassifier
from framing._cli import main


@parametrize_with_checks([FramingClassifier(cv=2)])
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
    # Each group is one point repeated with a random label: held-out scores can only be
    # right by chance unless a fold leaks the group's copies into training.
    rng = np.random.default_rng(1)
    n_groups, per = 40, 6
    centres = rng.normal(size=(n_groups, 64)) * 3
    labels = rng.integers(0, 2, size=n_groups)
    X = np.repeat(centres, per, axis=0) + rng.normal(scale=1e-3, size=(n_groups * per, 64))
    y = np.repeat(labels, per)
    groups = np.repeat(np.arange(n_groups), per)
    grouped = FramingClassifier(C=100.0, cv=4).fit(X, y, groups=groups)
    leaky = FramingClassifier(C=100.0, cv=4).fit(X, y)
    assert grouped.oof_decision_.shape == (n_groups * per, 2)
    acc_grouped = (grouped.oof_decision_.argmax(axis=1) == y).mean()
    acc_leaky = (leaky.oof_decision_.argmax(axis=1) == y).mean()
    assert acc_leaky > 0.9  # the data is memorisable when copies leak
    assert acc_grouped < 0.75


def test_single_class_is_a_clear_error():
    with pytest.raises(ValueError, match="1 class"):
        FramingClassifier().fit(np.ones((4, 2)), [1, 1, 1, 1])


# ---------------------------------------------------------------- training end to end
ROOT = Path(__file__).resolve().parents[1]


def _subset(directory: Path, n_train: int, n_dev: int) -> Path:
    """Whole articles of the project's labelled set: the first n_train train and n_dev dev ones."""
    with (ROOT / "labels" / "sentences.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    keep = set(sorted({r["doc_id"] for r in rows if r["split"] == "train"})[:n_train])
    keep |= set(sorted({r["doc_id"] for r in rows if r["split"] == "dev"})[:n_dev])
    path = directory / f"subset_{n_train}_{n_dev}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] in keep), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    return _subset(tmp_path_factory.mktemp("train"), 40, 12)


@pytest.fixture(scope="module")
def tiny_set(tmp_path_factory) -> Path:
    return _subset(tmp_path_factory.mktemp("train"), 10, 4)


def test_trained_model_predicts_held_out_articles_better_than_one_label(small_set):
    model = framing.train(small_set, C=0.3, train_splits=("train",))
    assert model.meta["training_data"]["n_documents"] == 40  # dev rows were not read
    report = framing.benchmark(str(small_set), model=model, split="dev")
    predicted = np.asarray(report["confusion_matrix"]).sum(axis=0)
    gold = np.asarray(report["confusion_matrix"]).sum(axis=1)
    majority_acc = gold.max() / gold.sum()
    assert (predicted > 0).sum() >= 3  # not a one-label model
    assert report["accuracy"] > majority_acc + 0.1
    assert report["macro_f1"] > 0.45


def test_train_command_options_take_effect(tiny_set, tmp_path, capsys):
    out_dir = tmp_path / "m"
    code = main(["train", str(tiny_set), "-o", str(out_dir), "--C", "0.7", "--seed", "5", "--splits", "train"])
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert code == 0 and summary["model"] == str(out_dir)
    # Progress on standard error: every planned fit reported, with the time left until the last.
    progress = [line for line in captured.err.splitlines() if line.startswith("[")]
    assert any("features of 10 documents" in line for line in progress)
    fits = [line for line in progress if "fold" in line or "fitted" in line or "stage 2" in line]
    assert len(fits) == (5 + 1) + 5 + 2 and all("left" in line for line in fits[:-1]) and "left" not in fits[-1]
    meta = framing.load_model(out_dir).meta
    assert meta["params"] == {"C": 0.7, "class_weight": "sqrt_balanced", "seed": 5, "train_splits": ["train"]}
    assert meta["training_data"]["n_documents"] == 10
    # Renamed columns, read through --text-column / --label-column / --doc-column.
    renamed = tmp_path / "renamed.jsonl"
    with tiny_set.open(encoding="utf-8") as fh, renamed.open("w", encoding="utf-8") as out:
        for line in fh:
            r = json.loads(line)
            r["body"], r["gold"], r["article"] = r.pop("text"), r.pop("label"), r.pop("doc_id")
            out.write(json.dumps(r) + "\n")
    code = main(["train", str(renamed), "--output", str(tmp_path / "r"), "--C", "0.7", "--seed", "5",
                 "--splits", "train", "--text-column", "body", "--label-column", "gold", "--doc-column", "article"])
    capsys.readouterr()
    assert code == 0
    assert (tmp_path / "r" / "weights.npz").read_bytes() == (out_dir / "weights.npz").read_bytes()
    # A doc column that does not exist: every sentence is its own document.
    code = main(["train", str(renamed), "-o", str(tmp_path / "x"), "--C", "0.7", "--splits", "train",
                 "--text-column", "body", "--label-column", "gold"])
    capsys.readouterr()
    assert code == 0 and framing.load_model(tmp_path / "x").meta["training_data"]["n_documents"] > 10


def test_train_default_chooses_C_by_grouped_cross_validation(tiny_set, tmp_path, capsys):
    from framing._train import C_GRID

    code = main(["train", str(tiny_set), "-o", str(tmp_path / "cv")])
    out = json.loads(capsys.readouterr().out)
    meta = framing.load_model(tmp_path / "cv").meta
    cv = meta["metrics"]["cv"]
    scored = [c for c in C_GRID if str(c) in cv["grid"]]
    assert code == 0 and len(scored) >= 3 and set(cv["grid"]) == {str(c) for c in scored}
    best = max(scored, key=lambda c: (cv["grid"][str(c)], -c))
    assert cv["C"] == meta["params"]["C"] == best
    # The climb stops at a peak: each grid neighbour of the choice was scored lower.
    i = C_GRID.index(best)
    for j in (i - 1, i + 1):
        if 0 <= j < len(C_GRID):
            assert cv["grid"][str(C_GRID[j])] <= cv["grid"][str(best)]
    assert meta["training_data"]["n_documents"] == 14  # train and dev by default
    assert "dev" in out["metrics"] and 0 < out["metrics"]["dev"]["macro_f1"] <= 1
    # Worker processes run the same fits: the files are byte for byte the same.
    code = main(["train", str(tiny_set), "-o", str(tmp_path / "cv2"), "--jobs", "2"])
    capsys.readouterr()
    assert code == 0
    for name in ("model.json", "weights.npz"):
        assert (tmp_path / "cv2" / name).read_bytes() == (tmp_path / "cv" / name).read_bytes()
    assert main(["train", str(tiny_set), "-o", str(tmp_path / "x"), "--jobs", "0"]) == 2


def test_select_C_returns_the_best_cross_validated_value(tiny_set):
    from framing._features import FEATURE_GROUPS
    from framing._labelled import group_documents, load_labelled
    from framing._train import document_features, select_C

    docs = group_documents(load_labelled(tiny_set))
    feats, y, doc_ids = document_features(docs, FEATURE_GROUPS)
    grid = (1.0, 0.01, 0.0001)
    _, results = select_C(feats, y, doc_ids, grid=grid)
    f1 = {c: results[c]["macro_f1"] for c in grid}
    assert max(f1.values()) - min(f1.values()) > 0.01  # C matters on this set
    # Whatever order the grid comes in, the choice is the best scored value.
    for order in (grid, tuple(sorted(grid, key=lambda c: f1[c]))):
        best, _ = select_C(feats, y, doc_ids, grid=order, exhaustive=True)
        assert best == max(grid, key=lambda c: (round(f1[c], 6), -c))
    assert best != min(grid) or f1[min(grid)] == max(f1.values())  # not just the first value


def test_select_C_climb_scores_a_subset_and_finds_the_peak(tiny_set):
    from framing._features import FEATURE_GROUPS
    from framing._labelled import group_documents, load_labelled
    from framing._train import document_features, select_C

    docs = group_documents(load_labelled(tiny_set))
    feats, y, doc_ids = document_features(docs, FEATURE_GROUPS)
    grid = (0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0)
    best_all, every = select_C(feats, y, doc_ids, grid=grid, exhaustive=True)
    assert list(every) == list(grid)
    f1 = {c: round(r["macro_f1"], 6) for c, r in every.items()}
    best, some = select_C(feats, y, doc_ids, grid=grid)
    assert set(some) < set(grid) or len(grid) <= 3
    assert all(round(some[c]["macro_f1"], 6) == f1[c] for c in some)  # the same fits
    i = grid.index(best)
    assert all(f1[grid[j]] <= f1[best] for j in (i - 1, i + 1) if 0 <= j < len(grid))
    # One peak on this grid (checked, not assumed): then the climb's choice is the full grid's.
    peak = grid.index(best_all)
    rising = all(f1[grid[j]] <= f1[grid[j + 1]] for j in range(peak))
    falling = all(f1[grid[j]] >= f1[grid[j + 1]] for j in range(peak, len(grid) - 1))
    if rising and falling:
        assert best == best_all


def test_classifier_start_gives_the_same_model_in_fewer_iterations():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 20))
    y = (X[:, :3] @ rng.normal(size=(3, 3))).argmax(axis=1)
    cold = FramingClassifier(C=1.0, calibrate=False).fit(X, y)
    near = cold.coef_ * 0.9, cold.intercept_ * 0.9
    warm = FramingClassifier(C=1.0, calibrate=False).fit(X, y, coef_init=near[0], intercept_init=near[1])
    assert warm.n_iter_[0] < cold.n_iter_[0]
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-2)
    # One start per fit: all rows, then each grouped calibration fold.
    groups = np.arange(300) // 10
    starts = np.stack([near[0]] * 4), np.stack([near[1]] * 4)
    cal = FramingClassifier(C=1.0, cv=3).fit(X, y, groups=groups, coef_init=starts[0], intercept_init=starts[1])
    ref = FramingClassifier(C=1.0, cv=3).fit(X, y, groups=groups)
    assert abs(cal.temperature_ - ref.temperature_) < 1e-2
    with pytest.raises(ValueError, match="coef_init has shape"):
        FramingClassifier().fit(X, y, coef_init=np.zeros((2, 20)))
    # Starts are matched to folds by position: a count that is not 1 + folds, or folds
    # that are not grouped, is refused rather than risk a start that saw its fold.
    for kwargs in ({"groups": groups, "coef_init": starts[0][:3], "intercept_init": starts[1][:3]},
                   {"coef_init": starts[0], "intercept_init": starts[1]},
                   {"groups": groups, "coef_init": np.stack([near[0]] * 6), "intercept_init": np.stack([near[1]] * 6)}):
        with pytest.raises(ValueError, match="starts"):
            FramingClassifier(C=1.0, cv=3).fit(X, y, **kwargs)
    with pytest.raises(ValueError, match="intercept_init without coef_init"):
        FramingClassifier().fit(X, y, intercept_init=near[1])
    # Binary: the two rows' difference is the solver's one row.
    yb = (y > 0).astype(int)
    b = FramingClassifier(C=1.0, calibrate=False).fit(X, yb)
    wb = FramingClassifier(C=1.0, calibrate=False).fit(X, yb, coef_init=b.coef_, intercept_init=b.intercept_)
    assert wb.n_iter_[0] <= 2
    np.testing.assert_allclose(wb.coef_, b.coef_, atol=1e-3)


def test_sqrt_balanced_weights_are_the_root_of_the_balanced_ones():
    from sklearn.utils.class_weight import compute_class_weight

    from framing._train import _class_weight

    y = np.array([0] * 90 + [1] * 9 + [3])
    balanced = compute_class_weight("balanced", classes=np.array([0, 1, 3]), y=y)
    w = _class_weight("sqrt_balanced", y)
    assert list(w) == [0, 1, 3]
    np.testing.assert_allclose([w[c] for c in (0, 1, 3)], np.sqrt(balanced))
    assert _class_weight("balanced", y) == "balanced" and _class_weight(None, y) is None
    # A rare label gains less from the square root than from full balancing, but still gains.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    yy = np.where(X[:, 0] > 1.2, 1, 0)
    share = {cw: FramingClassifier(C=1.0, class_weight=cw, calibrate=False).fit(X, yy).predict(X).mean()
             for cw in (None, "sqrt_balanced", "balanced")}
    assert share[None] <= share["sqrt_balanced"] <= share["balanced"]
    assert share[None] < share["balanced"]


def test_document_features_are_the_same_with_worker_processes(tiny_set, monkeypatch):
    from framing import _train
    from framing._features import featurize
    from framing._labelled import group_documents, load_labelled
    from framing._train import document_features

    monkeypatch.setattr(_train, "_TAG_BATCH", 3)  # batches end inside the set and inside each worker's share
    docs = group_documents(load_labelled(tiny_set))
    one = document_features(docs)
    two = document_features(docs, n_jobs=2)
    assert one[0] == two[0] and len(one[0]) == sum(len(d.spans) for d in docs)
    # The tagger runs over batches of documents: the same features as one document at a time.
    assert one[0] == [f for d in docs for f in featurize(d.text, d.spans)]
    assert np.array_equal(one[1], two[1]) and np.array_equal(one[2], two[2])


def test_restricting_the_full_matrix_equals_vectorizing_the_rows():
    from framing._train import _columns, _seen_in, build_vocabulary, vectorize

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    feats = [list(rng.choice(words, size=rng.integers(0, 8))) for _ in range(200)]
    X_all = vectorize(feats, build_vocabulary(feats, min_df=1))
    for min_df in (1, 2, 5):
        rows = np.sort(rng.choice(len(feats), size=120, replace=False))
        other = np.setdiff1d(np.arange(len(feats)), rows)
        vocab = build_vocabulary([feats[i] for i in rows], min_df=min_df)
        keep = _seen_in(X_all, rows, min_df)
        assert [build_vocabulary(feats, min_df=1)[j] for j in keep] == vocab
        for part in (rows, other):
            want = vectorize([feats[i] for i in part], vocab)
            got = _columns(X_all[part], keep)
            assert got.shape == want.shape and (got != want).nnz == 0
            assert np.array_equal(got.indices, want.indices) and np.array_equal(got.indptr, want.indptr)


def test_matrix_from_the_full_matrix_equals_vectorizing_rows_with_added_features():
    from framing._train import _matrix, build_vocabulary, vectorize

    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(30)]
    feats = [list(rng.choice(words, size=rng.integers(0, 6))) for _ in range(150)]
    # Added names sort among the base names ("v" < "w" < "x"), so columns interleave.
    extra = [[f"{p}{rng.integers(3)}" for p in ("v", "x") if rng.random() < 0.4] for _ in feats]
    vocab_all = build_vocabulary(feats, min_df=1)
    X_all = vectorize(feats, vocab_all)
    rows = np.sort(rng.choice(len(feats), size=100, replace=False))
    part, part_extra = [feats[i] for i in rows], [extra[i] for i in rows]
    for min_df in (1, 2, 4):
        for added in (None, part_extra):
            want, want_vocab = _matrix(part, added, min_df, None)
            got, got_vocab = _matrix(part, added, min_df, (X_all[rows], vocab_all))
            assert got_vocab == want_vocab and any(v[0] != "w" for v in want_vocab) == (added is not None)
            assert np.array_equal(got.indices, want.indices) and np.array_equal(got.indptr, want.indptr)
            assert got.dtype == want.dtype == np.float32
    with pytest.raises(ValueError, match="share names"):
        _matrix(part, [["w1"] for _ in part], 1, (X_all[rows], vocab_all))


def test_training_gives_the_same_model_files_with_worker_processes(tiny_set, tmp_path):
    one = framing.train(tiny_set, C=0.3, train_splits=("train", "dev"))
    two = framing.train(tiny_set, C=0.3, train_splits=("train", "dev"), n_jobs=2)
    assert "dev" in one.meta["metrics"] and one.role_model is not None
    a, b = one.save(tmp_path / "one"), two.save(tmp_path / "two")
    for name in ("weights.npz", "model.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_fitting_steps_run_in_lockstep_and_keep_their_results_apart():
    from framing._train import _drive, _run_here

    def steps(tag, rounds):
        got = []
        for r in range(rounds):
            got.append((yield [(str, (f"{tag}{r}.{k}",), "") for k in range(r % 3)]))  # r % 3 == 0: nothing to run
        return tag, got

    batches = []

    def run(tasks):
        batches.append(len(tasks))
        return _run_here(tasks, lambda message: None)

    assert _drive([steps("a", 4), steps("b", 2)], run) == [
        ("a", [[], ["a1.0"], ["a2.0", "a2.1"], []]), ("b", [[], ["b1.0"]])]
    assert batches == [0, 2, 2, 0]  # both steps' fits share a batch while both run
    with pytest.raises(RuntimeError, match="results came back"):
        _drive([steps("c", 2)], lambda tasks: [])


def test_dev_figures_come_from_a_model_that_never_saw_the_dev_articles(tiny_set):
    from framing._labelled import group_documents, load_labelled
    from framing._metrics import classification_report
    from framing._train import _predict, document_features

    both = framing.train(tiny_set, C=0.3, train_splits=("train", "dev"))
    train_only = framing.train(tiny_set, C=0.3, train_splits=("train",))
    dev = load_labelled(tiny_set).filter(lambda v: v == "dev", input_columns="split")
    feats, y, doc_ids = document_features(group_documents(dev, doc_column="doc_id"))
    proba = _predict(train_only, feats, doc_ids)
    want = classification_report(y, proba.argmax(axis=1), proba)
    got = both.meta["metrics"]["dev"]
    assert got["n"] == len(y) > 0
    for key in ("macro_f1", "accuracy"):
        assert got[key] == pytest.approx(want[key], abs=1e-6)
