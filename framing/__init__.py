"""framing: whose voice carries each sentence of a news article.

Split an article into sentences (character offsets into the original text), label
each with whose voice carries it (state media, officials, analysts or the reporter)
and summarise the document's framing profile.

The scoring path is light: it needs numpy only. scikit-learn's training machinery
(:func:`train`, :class:`FramingClassifier`) and Hugging Face ``datasets``
(:func:`load_labelled`) are imported only when those are used.
"""

from typing import Any

from ._api import analyze, analyze_many, load_model, score_dataset
from ._benchmark import run_benchmark as benchmark
from ._comparison import plot_comparison
from ._comparison import render_comparison_html as comparison_to_html
from ._document import LABELS, Attribution, Document, Sentence
from ._errors import DatasetError, FramingError, InputError, ModelError, UsageError
from ._labelled import load_labelled
from ._model import Model
from ._profile import corpus_profile
from ._report import render_html as to_html
from ._segment import segment
from ._version import __version__

__all__ = [
    "LABELS",
    "Document",
    "Sentence",
    "Attribution",
    "Model",
    "segment",
    "analyze",
    "analyze_many",
    "load_model",
    "corpus_profile",
    "comparison_to_html",
    "plot_comparison",
    "score_dataset",
    "to_html",
    "benchmark",
    "load_labelled",
    "train",
    "FramingClassifier",
    "FramingError",
    "InputError",
    "ModelError",
    "DatasetError",
    "UsageError",
    "__version__",
]

_LAZY = {"train": "_train", "FramingClassifier": "_train"}


def __getattr__(name: str) -> Any:
    # Training needs scikit-learn's solvers; import them only when asked for.
    if name in _LAZY:
        import importlib

        from ._errors import require

        require("sklearn", f"framing.{name} (training)")
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
