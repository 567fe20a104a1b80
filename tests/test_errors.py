"""The exception hierarchy, and the message a missing optional extra gives."""

import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

import framing
from framing import FramingError, UsageError
from framing._cli import main
from framing._errors import _EXTRAS, DISTRIBUTION, require

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "kursk_propaganda_video.txt"


def _block(monkeypatch, *modules):
    # A None entry in sys.modules makes `import name` raise ImportError, as on a base install.
    for m in modules:
        monkeypatch.setitem(sys.modules, m, None)


def test_every_error_is_a_framing_error_with_its_exit_code():
    assert issubclass(UsageError, FramingError) and UsageError.exit_code == 2
    for cls in (framing.InputError, framing.ModelError, framing.DatasetError):
        assert issubclass(cls, FramingError) and cls.exit_code == 1


@pytest.mark.parametrize("module", sorted(_EXTRAS))
def test_require_names_the_extra_that_installs_a_missing_module(monkeypatch, module):
    _block(monkeypatch, module)
    with pytest.raises(UsageError) as info:
        require(module, "doing X")
    extra = _EXTRAS[module][1]
    assert str(info.value).startswith("doing X needs ")
    assert f"pip install '{DISTRIBUTION}[{extra}]'" in str(info.value)
    assert isinstance(info.value.__cause__, ImportError)


def test_require_returns_the_module_when_present():
    import numpy  # noqa: F401  (present in every install)

    assert require("sklearn", "training").__name__ == "sklearn"


def test_every_extra_named_in_a_message_exists_in_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["name"] == DISTRIBUTION
    extras = meta["optional-dependencies"]
    for _package, extra in _EXTRAS.values():
        assert extra in extras
    # The base install is what scoring needs; training and labelled sets are extras.
    base = {d.split(">")[0].split("[")[0] for d in meta["dependencies"]}
    assert base == {"numpy", "joblib"}
    assert {"scikit-learn", "datasets"} <= {d.split(">")[0] for d in extras["train"]}
    everything = {d.split(">")[0] for k in ("train", "parquet", "dask") for d in extras[k]}
    assert everything == {d.split(">")[0] for d in extras["all"]}


def test_cli_train_without_the_extra_exits_2_and_names_it(monkeypatch, tmp_path, capsys):
    _block(monkeypatch, "sklearn")
    assert main(["train", str(SEED), "-o", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "framing train needs scikit-learn" in err and f"{DISTRIBUTION}[train]" in err
    assert not (tmp_path / "m").exists()


def test_cli_benchmark_without_datasets_exits_2_and_names_the_extra(monkeypatch, capsys):
    _block(monkeypatch, "datasets")
    assert main(["benchmark", str(ROOT / "labels" / "sentences.jsonl")]) == 2
    assert f"{DISTRIBUTION}[train]" in capsys.readouterr().err


def test_training_api_without_the_extra_raises_usage_error(monkeypatch):
    _block(monkeypatch, "sklearn")
    with pytest.raises(UsageError, match=r"\[train\]"):
        framing.FramingClassifier  # noqa: B018
    with pytest.raises(UsageError, match=r"\[train\]"):
        framing.train  # noqa: B018


def test_loading_a_labelled_set_without_datasets_names_the_extra(monkeypatch):
    _block(monkeypatch, "datasets")
    with pytest.raises(UsageError, match=r"loading a labelled set needs datasets.*\[train\]"):
        framing.load_labelled(ROOT / "labels" / "sentences.jsonl")


def test_scoring_works_with_every_extra_missing(monkeypatch):
    _block(monkeypatch, "sklearn", "scipy", "datasets", "pyarrow", "dask", "pandas")
    doc = framing.analyze(SEED.read_text(encoding="utf-8"))
    assert doc.sentences and sum(doc.profile["counts"].values()) == len(doc.sentences)


def test_parquet_input_without_pyarrow_stops_with_the_extra_to_install(monkeypatch, tmp_path, capsys):
    path = tmp_path / "corpus.parquet"
    path.write_bytes(b"PAR1 not really")
    _block(monkeypatch, "pyarrow", "pyarrow.parquet")
    assert main(["score", str(path), "--format", "jsonl"]) == 2
    assert f"{DISTRIBUTION}[parquet]" in capsys.readouterr().err


def test_a_broken_install_is_not_called_left_out(monkeypatch):
    import importlib

    def broken(name, *args, **kwargs):
        if name == "sklearn":
            raise ModuleNotFoundError("No module named 'scipy_missing'", name="scipy_missing")
        return real(name, *args, **kwargs)

    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(UsageError, match=r"installed but fails to import.*--force-reinstall"):
        require("sklearn", "training")
