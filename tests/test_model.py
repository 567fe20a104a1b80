"""The model: verified loading, refusal of tampered files, numpy-only scoring, training."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import framing
from framing import LABELS, ModelError, load_model
from framing._model import Model, _default_model_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def model_copy(tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(_default_model_dir(), dst)
    return dst


def test_shipped_model_loads_with_its_metadata():
    m = load_model()
    for key in ("format", "format_version", "labels", "features", "package_version", "training_data", "metrics",
                "arrays_sha256", "temperature"):
        assert key in m.meta
    assert m.meta["labels"] == list(LABELS)
    assert m.meta["features"]["lexicons_sha256"]
    size = sum(p.stat().st_size for p in _default_model_dir().iterdir())
    assert size <= 5 * 1024 * 1024


def test_tampered_arrays_are_refused(model_copy):
    arrays = model_copy / "weights.npz"
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"sha256 .* does not match"):
        load_model(model_copy)


def test_truncated_arrays_are_refused(model_copy):
    arrays = model_copy / "weights.npz"
    arrays.write_bytes(arrays.read_bytes()[:1000])
    with pytest.raises(ModelError, match="modified or truncated"):
        load_model(model_copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format_version": 99}, "format version 99"),
        ({"format": "something-else"}, "not framing model metadata"),
        ({"labels": list(reversed(LABELS))}, "label order"),
        ({"features": {"lexicons_sha256": "0" * 64}}, "other lexicons"),
    ],
)
def test_mismatched_metadata_is_refused(model_copy, change, message):
    meta_path = model_copy / "model.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(change)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        load_model(model_copy)


def test_missing_or_damaged_directories_are_refused(tmp_path, model_copy):
    with pytest.raises(ModelError, match="not a framing model directory"):
        load_model(tmp_path / "nowhere")
    (model_copy / "model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="unreadable metadata"):
        load_model(model_copy)


def test_no_pickle_in_the_model_files():
    with np.load(_default_model_dir() / "weights.npz", allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)


def test_save_load_round_trip_and_determinism(tmp_path):
    rng = np.random.default_rng(0)
    vocab = ["bias", "src:T=state_media", "w:said"]
    m = Model(vocab, rng.normal(size=(4, 3)), rng.normal(size=4), stack_coef=rng.normal(size=(4, 3 + 16)),
              stack_intercept=rng.normal(size=4), temperature=1.3, meta={"note": "x"})
    a, b = m.save(tmp_path / "a"), m.save(tmp_path / "b")
    assert (a / "weights.npz").read_bytes() == (b / "weights.npz").read_bytes()
    assert (a / "model.json").read_bytes() == (b / "model.json").read_bytes()
    loaded = load_model(a)
    doc = [["bias", "w:said"], ["bias", "src:T=state_media", "unknown"], []]
    np.testing.assert_allclose(loaded.predict_proba(doc), m.predict_proba(doc))
    assert np.allclose(loaded.predict_proba(doc).sum(axis=1), 1.0)


def test_stage_two_reads_neighbours_and_the_document_mean_and_old_models_score_as_before():
    from framing._model import N_CONTEXT, context_inputs

    p = np.random.default_rng(1).dirichlet(np.ones(4), size=5)
    c = context_inputs(p)
    assert c.shape == (5, N_CONTEXT) == (5, 24)
    np.testing.assert_array_equal(c[:, :4], p)
    np.testing.assert_array_equal(c[1:, 4:8], p[:-1])  # previous
    np.testing.assert_array_equal(c[:-1, 8:12], p[1:])  # next
    np.testing.assert_array_equal(c[2:, 12:16], p[:-2])  # the one before the previous
    np.testing.assert_array_equal(c[:-2, 16:20], p[2:])  # the one after the next
    np.testing.assert_allclose(c[:, 20:24], np.broadcast_to(p.mean(axis=0), (5, 4)))
    assert not c[0, 4:8].any() and not c[-2:, 16:20].any()  # zeros past the edges
    np.testing.assert_array_equal(context_inputs(p, 16), c[:, :16])
    assert context_inputs(p[:0]).shape == (0, 24)
    # A model of version 0.1 (16 context columns) scores with exactly those columns.
    rng = np.random.default_rng(0)
    vocab = ["bias", "w:said"]
    old = Model(vocab, rng.normal(size=(4, 2)), rng.normal(size=4), stack_coef=rng.normal(size=(4, 2 + 16)),
                stack_intercept=rng.normal(size=4))
    new = Model(vocab, old.coef, old.intercept, stack_intercept=old.stack_intercept,
                stack_coef=np.hstack([old.stack_coef, np.zeros((4, 8))]))
    doc = [["bias", "w:said"], ["bias"], ["w:said"], []]
    np.testing.assert_allclose(old.decision_function(doc), new.decision_function(doc))
    with pytest.raises(ModelError, match="stage-2 arrays"):
        Model(vocab, old.coef, old.intercept, stack_coef=np.zeros((4, 2 + 20)), stack_intercept=old.stack_intercept)


def test_model_files_of_format_version_1_still_load(tmp_path):
    from framing._model import FORMAT_VERSION, INTEGRITY_KEY, manifest_digest

    rng = np.random.default_rng(0)
    vocab = ["bias", "w:said"]
    old = Model(vocab, rng.normal(size=(4, 2)), rng.normal(size=4), stack_coef=rng.normal(size=(4, 2 + 16)),
                stack_intercept=rng.normal(size=4))
    path = old.save(tmp_path / "v1")
    meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
    assert meta["format_version"] == FORMAT_VERSION == 2  # what this framing writes
    meta["format_version"] = 1  # as framing 0.1 wrote it
    meta[INTEGRITY_KEY] = manifest_digest(meta)
    (path / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    doc = [["bias", "w:said"], ["bias"], []]
    np.testing.assert_allclose(load_model(path).predict_proba(doc), old.predict_proba(doc))


def test_scoring_does_not_import_training_machinery():
    code = (
        "import sys, framing\n"
        "framing.analyze('KCNA said the launch succeeded. Analysts doubted it.')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'datasets', 'scipy', 'pandas', 'joblib')]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_train_is_reproducible_and_loads(tmp_path):
    with (ROOT / "labels" / "sentences.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    keep = sorted({r["doc_id"] for r in rows if r["split"] == "train"})[:40]
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(json.dumps(r) + "\n" for r in rows if r["doc_id"] in keep), encoding="utf-8")
    m1 = framing.train(subset, seed=3, C=0.3)
    m2 = framing.train(subset, seed=3, C=0.3)
    d1, d2 = m1.save(tmp_path / "m1"), m2.save(tmp_path / "m2")
    assert (d1 / "weights.npz").read_bytes() == (d2 / "weights.npz").read_bytes()
    assert (d1 / "model.json").read_bytes() == (d2 / "model.json").read_bytes()
    loaded = load_model(d1)
    assert loaded.meta["training_data"]["n_documents"] == 40
    assert "calibration" in loaded.meta["metrics"]
    doc = framing.analyze("KCNA said the launch was a success. Experts doubted that.", model=loaded)
    assert len(doc.sentences) == 2


def test_explanations_name_features_and_weights():
    doc = framing.analyze("The ministry said in a statement that talks failed.", explain=True)
    ex = doc.sentences[0].explanation
    assert ex["label"] == doc.sentences[0].label
    assert ex["runner_up"] in LABELS and ex["runner_up"] != ex["label"]
    assert ex["toward_label"] and all(f["weight"] > 0 for f in ex["toward_label"])
    assert all(f["feature"] in load_model().index for f in ex["toward_label"])


def test_probabilities_are_the_softmax_of_scores_at_the_model_temperature():
    import copy

    from framing._features import featurize

    text = "KCNA said the launch succeeded. Officials in Seoul disagreed. It rained."
    model = copy.copy(load_model())
    feats = featurize(text, framing.segment(text), groups=model.groups)
    scores = model.decision_function(feats)
    for t in (0.5, 1.0, 3.0):
        model.temperature = t
        z = np.exp(scores / t - (scores / t).max(axis=1, keepdims=True))
        np.testing.assert_allclose(model.predict_proba(feats), z / z.sum(axis=1, keepdims=True), rtol=1e-9)
    model.temperature = 3.0
    hot = model.predict_proba(feats).max(axis=1)
    model.temperature = 0.5
    assert (model.predict_proba(feats).max(axis=1) > hot).all()  # a lower temperature is more confident


# --------------------------------------------------------------------------- hardening (#16)

import hashlib  # noqa: E402

INTEGRITY_KEY = "integrity_sha256"


def manifest_digest(meta):
    from framing._model import manifest_digest as digest

    return digest(meta)


def _edit(model_copy, change, *, rehash_arrays=False, rehash_meta=False):
    meta_path = model_copy / "model.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    change(meta)
    if rehash_arrays:
        meta["arrays_sha256"] = hashlib.sha256((model_copy / "weights.npz").read_bytes()).hexdigest()
    if rehash_meta:
        meta[INTEGRITY_KEY] = manifest_digest(meta)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")


def test_shipped_models_carry_a_digest_over_metadata_and_arrays():
    from framing._attribution import default_model_dir

    for d in (_default_model_dir(), default_model_dir()):
        meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
        assert meta[INTEGRITY_KEY] == manifest_digest(meta)


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m.update(temperature=m["temperature"] * 3),
        lambda m: m["features"].update(groups=["src", "cue"]),
        lambda m: m.update(metrics={}),
        lambda m: m.pop("training_data"),
    ],
)
def test_edited_metadata_is_refused(model_copy, change):
    _edit(model_copy, change)
    with pytest.raises(ModelError, match="integrity_sha256"):
        load_model(model_copy)


def test_changed_weights_with_a_recomputed_arrays_hash_are_refused(model_copy):
    with np.load(model_copy / "weights.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["coef"] = -arrays["coef"]
    from framing._model import _write_npz

    _write_npz(model_copy / "weights.npz", arrays)
    _edit(model_copy, lambda m: None, rehash_arrays=True)
    with pytest.raises(ModelError, match="integrity_sha256"):
        load_model(model_copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(temperature=0), "temperature"),
        (lambda m: m.update(temperature=-1.5), "temperature"),
        (lambda m: m.update(temperature="hot"), "temperature"),
        (lambda m: m.update(features=["src"]), "'features' must be an object"),
        (lambda m: m["features"].update(groups="src"), "feature groups"),
        (lambda m: m["features"].update(groups=["src", "nonsense"]), "feature groups"),
        (lambda m: m.update(arrays_file=["weights.npz"]), "missing"),
    ],
)
def test_malformed_values_are_model_errors_even_with_matching_digests(model_copy, change, message):
    _edit(model_copy, change, rehash_meta=True)
    with pytest.raises(ModelError, match=message):
        load_model(model_copy)


@pytest.mark.parametrize(
    "text",
    ['{"temperature": NaN}', "[" * 100_000 + "]" * 100_000, '{"a": ' * 50_000 + "1" + "}" * 50_000, "x" * 2_000_000,
     "\xff\xfe"],
)
def test_unreadable_manifests_are_model_errors(model_copy, text):
    (model_copy / "model.json").write_bytes(text.encode("latin-1"))
    with pytest.raises(ModelError, match=r"unreadable metadata|not framing model"):
        load_model(model_copy)


def test_nan_weights_are_refused_even_with_matching_digests(model_copy):
    from framing._model import _write_npz

    with np.load(model_copy / "weights.npz", allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["intercept"] = arrays["intercept"] * np.nan
    _write_npz(model_copy / "weights.npz", arrays)
    _edit(model_copy, lambda m: None, rehash_arrays=True, rehash_meta=True)
    with pytest.raises(ModelError, match="NaN or infinite"):
        load_model(model_copy)


def test_saved_models_carry_the_digest_and_one_without_it_is_refused(tmp_path):
    m = Model(["bias"], np.ones((4, 1)), np.zeros(4), temperature=1.0, meta={"note": "x"})
    d = m.save(tmp_path / "m")
    meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
    assert meta[INTEGRITY_KEY] == manifest_digest(meta)
    assert load_model(d).vocabulary == ["bias"]
    meta.pop(INTEGRITY_KEY)  # removing the key must not get an edited manifest past the check
    meta["temperature"] = 5.0
    (d / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="no integrity_sha256"):
        load_model(d)


def test_the_speaker_role_component_round_trips_and_is_verified(tmp_path):
    from framing._roles import ROLES, RoleModel

    rcoef = np.arange(len(ROLES) * 2, dtype=float).reshape(len(ROLES), 2)
    roles = RoleModel(["src:w=lawyer", "spk:app=professor"], rcoef, np.zeros(len(ROLES)))
    m = Model(["bias", "role:top=analyst"], np.ones((4, 2)), np.zeros(4), role_model=roles)
    d = m.save(tmp_path / "m")
    loaded = load_model(d)
    assert loaded.role_model is not None and loaded.role_model.vocabulary == roles.vocabulary
    np.testing.assert_array_equal(loaded.role_model.coef, rcoef)
    feats = [["src:T=other", "src:w=lawyer", "bias"]]
    np.testing.assert_allclose(loaded.predict_proba(feats), m.predict_proba(feats))
    # Role arrays without the metadata that declares them: refused.
    meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
    meta.pop("roles")
    meta[INTEGRITY_KEY] = manifest_digest(meta)
    (d / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="speaker-role"):
        load_model(d)


def test_saving_the_shipped_model_reproduces_its_files(tmp_path):
    # The trainer's writer and the shipped manifest (with its digest) agree byte for byte.
    d = load_model().save(tmp_path / "m")
    for name in ("model.json", "weights.npz"):
        assert (d / name).read_bytes() == (_default_model_dir() / name).read_bytes()


def _scores_through_strings(model: Model, feature_lists) -> np.ndarray:
    """The scores computed from :meth:`Model.with_roles`' lists, as before the role component
    read the sentence model's columns (the reference for the shared-columns path)."""
    from framing._linear import feature_indices, sparse_sum
    from framing._model import _softmax, context_inputs

    flat, offsets = feature_indices(model.index, model.with_roles(feature_lists))
    stage1 = sparse_sum(model._coef_t, flat, offsets, model.intercept)
    if model._stack_t is None:
        return stage1
    v = len(model.vocabulary)
    stage2 = sparse_sum(model._stack_t, flat, offsets, model.stack_intercept)
    stage2 += context_inputs(_softmax(stage1), model.stack_coef.shape[1] - v) @ model.stack_coef[:, v:].T
    return stage2


def test_shared_columns_score_exactly_as_the_role_features_strings_do():
    from framing._features import featurize

    model = load_model()
    assert model.role_model is not None and model.role_model.host_columns(model.vocabulary) is not None
    seed = Path(__file__).parents[1] / "seeds" / "kursk_propaganda_video.txt"
    texts = [seed.read_text(encoding="utf-8"),
             'Lavrov said the talks failed. "We will respond," he told RIA Novosti. It rained.']
    rng = np.random.default_rng(0)
    for text in texts:
        feats = featurize(text, framing.segment(text))
        odd = [list(f) for f in feats]
        odd[0] = odd[0] + ["src:T=never_seen", "spk:app=zzz_unknown"]  # an unknown speaker feature speaks
        odd[1] = [f for f in odd[1] if not f.startswith(("src:T=", "att:T="))]  # a sentence with no speaker
        odd.append([])  # a sentence with no features
        shuffled = [list(rng.permutation(f)) for f in feats]
        for lists in (feats, odd, shuffled, feats[:1]):
            assert np.array_equal(model.decision_function(lists), _scores_through_strings(model, lists))
    # A role input twice in one list counts once in the role model: read through the strings.
    twice = [feats[0] + [f for f in feats[0] if f.startswith("src:")]]
    assert np.array_equal(model.decision_function(twice), _scores_through_strings(model, twice))


def test_a_role_model_that_knows_features_the_sentence_model_does_not_still_scores():
    from framing._roles import ROLES, RoleModel

    roles = RoleModel(["src:w=lawyer"], np.ones((len(ROLES), 1)), np.zeros(len(ROLES)))
    assert roles.host_columns(["bias"]) is None
    assert roles.host_columns(["bias", "src:w=lawyer"]) is not None


def test_role_sums_do_not_depend_on_weights_that_add_exactly():
    # Weights chosen so that the order of addition matters (1 + 1e16 - 1e16): the role
    # component must add the same inputs in the same order as the string path, and a
    # vocabulary that lists one feature twice but lacks a role input reads the strings.
    from framing._roles import ROLES, RoleModel

    role_vocab = ["src:T=official", "src:w=a", "src:w=b"]
    rc = np.zeros((len(ROLES), 3))
    rc[1] = [1.0, 1e16, -1e16]
    vocab = ["bias", *role_vocab, "w:rain", *[f"role:top={r}" for r in ROLES]]
    coef = np.zeros((len(LABELS), len(vocab)))
    coef[0, vocab.index(f"role:top={ROLES[0]}")] = 5.0
    model = Model(vocab, coef, np.zeros(len(LABELS)), role_model=RoleModel(role_vocab, rc, np.zeros(len(ROLES))))
    for lists in ([["bias", "src:T=official", "src:w=a", "src:w=b"]],
                  [["bias", "w:rain", "src:T=official", "w:x", "src:w=a", "w:rain", "src:w=b", "src:T=x"]],
                  [["src:T=official", "spk:app=never", "src:w=a", "spk:app=never", "src:w=b"]]):
        assert np.array_equal(model.decision_function(lists), _scores_through_strings(model, lists))
    rc2 = np.zeros((len(ROLES), 2))
    rc2[1, 1] = 5.0
    twice = ["src:T=a", "src:T=a", *[f"role:top={r}" for r in ROLES]]
    c2 = np.zeros((len(LABELS), len(twice)))
    c2[0, 2] = 3.0
    lacking = Model(twice, c2, np.zeros(len(LABELS)), role_model=RoleModel(["src:T=a", "src:w=b"], rc2,
                                                                            np.zeros(len(ROLES))))
    assert lacking.role_model.host_columns(lacking.vocabulary) is None
    lists = [["src:T=a", "src:w=b"]]
    assert np.array_equal(lacking.decision_function(lists), _scores_through_strings(lacking, lists))
