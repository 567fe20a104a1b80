"""framing: whose voice carries each sentence of a news article.

Split an article into sentences (character offsets into the original text), label
each with whose voice carries it (state media, officials, analysts or the reporter)
and summarise the document's framing profile.

The scoring path is light: it needs numpy only; scikit-learn's training machinery
and Hugging Face ``datasets`` are imported lazily by the functions that need them.
"""

from ._document import LABELS, Document, Sentence
from ._errors import DatasetError, FramingError, InputError, ModelError, UsageError
from ._segment import segment
from ._version import __version__

__all__ = [
    "LABELS",
    "Document",
    "Sentence",
    "segment",
    "FramingError",
    "InputError",
    "ModelError",
    "DatasetError",
    "UsageError",
    "__version__",
]
