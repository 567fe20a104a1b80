"""Labelled sets: loading through Hugging Face ``datasets`` and grouping into documents.

``datasets`` is imported only when a labelled set is loaded (it is slow to import).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._document import LABELS
from ._errors import DatasetError, require

__all__ = ["document_column", "load_labelled", "LabelledDocument", "group_documents"]

_BUILDERS = {".jsonl": "json", ".json": "json", ".csv": "csv", ".parquet": "parquet"}


def _data_files(path: Path) -> tuple[str, list[str]]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in _BUILDERS and p.name != "docs.jsonl")
        if not files:
            raise DatasetError(f"{path}: no .jsonl, .csv or .parquet files in this directory")
    else:
        files = [path]
    kinds = {_BUILDERS.get(p.suffix) for p in files}
    if None in kinds or len(kinds) != 1:
        raise DatasetError(
            f"{path}: labelled sets must be all JSONL, all CSV or all Parquet "
            f"(found {sorted(p.suffix for p in files)})"
        )
    return kinds.pop(), [str(p) for p in files]


def load_labelled(
    source: str | os.PathLike[str],
    *,
    split: str | None = None,
    text_column: str = "text",
    label_column: str = "label",
    split_column: str = "split",
):
    """Load a labelled set as a ``datasets.Dataset`` with a ``ClassLabel`` label column.

    Parameters
    ----------
    source : str or path
        A JSONL, CSV or Parquet file, a directory of them, or ``"hf:OWNER/NAME"``
        for a Hugging Face hub dataset (needs a network connection). Only an
        ``hf:`` name ever reaches the network: a path that does not exist is an
        error at once.
    split : str, optional
        Keep only rows whose ``split_column`` equals this value (for example
        ``"train"``, ``"dev"``, ``"test"``). For hub datasets, the hub split.
    text_column, label_column : str
        Column names of the sentence text and its label; they are renamed to
        ``text`` and ``label`` in the result.
    split_column : str
        Column that assigns rows to splits in local files.

    Returns
    -------
    datasets.Dataset
        With ``text`` (string) and ``label`` (``ClassLabel`` in the fixed order
        :data:`framing.LABELS`) and every other column kept.

    Raises
    ------
    DatasetError
        Missing columns, labels outside the four, unreadable files, or a hub name
        while offline; the message names the problem.
    """
    datasets = require("datasets", "loading a labelled set")
    hub = str(source)[3:] if isinstance(source, str) and source.startswith("hf:") else None
    path = Path(source)
    if hub is None and not path.exists():
        # An offline tool: a mistyped path is said at once, never retried on the network.
        raise DatasetError(f"{source}: no such file or directory (for a Hugging Face hub dataset, write hf:OWNER/NAME)")
    datasets.disable_progress_bars()
    try:
        if hub is None:
            builder, files = _data_files(path)
            ds = datasets.load_dataset(builder, data_files={"data": files}, split="data")
        else:
            if os.environ.get("HF_DATASETS_OFFLINE") == "1" or os.environ.get("HF_HUB_OFFLINE") == "1":
                raise DatasetError(f"{source}: hub datasets cannot be fetched offline (HF_HUB_OFFLINE is set)")
            ds = datasets.load_dataset(hub, split=split or "train")
            split = None
    except DatasetError:
        raise
    except Exception as exc:  # datasets raises many types; report them as data errors
        if hub is not None:
            raise DatasetError(
                f"{source}: could not be loaded from the Hugging Face hub (offline or unknown name: "
                f"{type(exc).__name__})"
            ) from None
        if isinstance(exc, StopIteration):  # what datasets raises for a file without a single row
            raise DatasetError(f"{source}: holds no rows; a labelled set has one sentence a row") from None
        raise DatasetError(f"{source}: cannot be loaded as a labelled set ({type(exc).__name__}: {exc})") from None
    missing = [c for c in (text_column, label_column) if c not in ds.column_names]
    if missing:
        raise DatasetError(
            f"{source}: missing column(s) {missing}; columns are {ds.column_names}. "
            "Name them with --text-column / --label-column (text_column= / label_column=)"
        )
    if len(ds) == 0:
        raise DatasetError(f"{source}: holds no rows; a labelled set has one sentence a row")
    bad = [i for i, t in enumerate(ds[text_column]) if not isinstance(t, str)]
    if bad:
        raise DatasetError(f"{source}: {len(bad):,} row(s) have no text in column {text_column!r} (first: row "
                           f"{bad[0] + 1}); every sentence needs its text as a string")
    index = ds.features.get("sentence_index")
    if index is not None and not (isinstance(index, datasets.Value) and index.dtype.startswith(("int", "uint"))):
        raise DatasetError(f"{source}: column 'sentence_index' must hold whole numbers (the sentence's position "
                           "in its document)")
    if split is not None:
        if split_column not in ds.column_names:
            raise DatasetError(f"{source}: asked for split {split!r} but there is no {split_column!r} column")
        ds = ds.filter(lambda v: v == split, input_columns=split_column)
        if len(ds) == 0:
            raise DatasetError(f"{source}: split {split!r} is empty")
    if text_column != "text":
        if "text" in ds.column_names:
            ds = ds.remove_columns("text")
        ds = ds.rename_column(text_column, "text")
    if label_column != "label":
        if "label" in ds.column_names:
            ds = ds.remove_columns("label")
        ds = ds.rename_column(label_column, "label")
    feature = ds.features["label"]
    if isinstance(feature, datasets.ClassLabel):
        names = list(feature.names)
        if names != list(LABELS):
            unknown = sorted(set(names) - set(LABELS))
            if unknown:
                raise DatasetError(f"{source}: unknown label(s) {unknown}; labels must be among {list(LABELS)}")
            # The same names in another order: re-index them into the fixed order.
            remap = [LABELS.index(name) for name in names]
            ds = ds.map(lambda v: {"label": remap[v]}, input_columns="label",
                        features=datasets.Features({**ds.features, "label": datasets.ClassLabel(names=list(LABELS))}))
            return ds
    label_type = ds.features["label"]
    if isinstance(label_type, datasets.Value) and label_type.dtype.startswith("int"):
        # Class indices, as a Dataset with a ClassLabel writes them: positions in LABELS.
        bad = sorted({v for v in ds.unique("label") if not 0 <= v < len(LABELS)})
        if bad:
            raise DatasetError(f"{source}: label indices {bad[:10]} are outside 0-{len(LABELS) - 1}; "
                               f"integer labels are positions in {list(LABELS)}")
        return ds.cast_column("label", datasets.ClassLabel(names=list(LABELS)))
    values = ds.unique("label") if not isinstance(ds.features["label"], datasets.ClassLabel) else []
    if None in values:
        raise DatasetError(f"{source}: {sum(v is None for v in ds['label']):,} row(s) have no label; every "
                           f"sentence needs one of {list(LABELS)}")
    unknown = sorted({str(v) for v in values} - set(LABELS))
    if unknown:
        raise DatasetError(
            f"{source}: unknown label(s) {unknown[:10]}{' ...' if len(unknown) > 10 else ''}; "
            f"labels must be among {list(LABELS)}"
        )
    if not isinstance(ds.features["label"], datasets.ClassLabel):
        ds = ds.cast_column("label", datasets.ClassLabel(names=list(LABELS)))
    return ds


def document_column(ds, doc_column: str | None) -> str | None:
    """The column that groups ``ds``'s sentences into documents: ``doc_column``, or None
    (each sentence its own document) when the default ``doc_id`` is absent. A column
    named on purpose must exist: a typo would otherwise split every document apart."""
    if doc_column is None or doc_column in ds.column_names:
        return doc_column
    if doc_column == "doc_id":
        return None
    raise DatasetError(f"no document column {doc_column!r}; columns are {ds.column_names}. "
                       "Name it with --doc-column (doc_column=)")


@dataclass(frozen=True)
class LabelledDocument:
    """Sentences of one document with their gold labels, joined into a text with exact spans."""

    id: str
    text: str
    spans: list[tuple[int, int]]
    labels: list[int]
    rows: list[dict[str, Any]]


def group_documents(ds, *, doc_column: str | None = "doc_id") -> list[LabelledDocument]:
    """Group labelled sentences into documents, in sentence order.

    Rows with the same ``doc_column`` value form one document, ordered by
    ``sentence_index`` when present; without a document column each row is a
    document of one sentence. With a ``gap`` column (the white space before each
    sentence in the article, as the project's set has) the document text is rebuilt
    exactly, line breaks and paragraphs included, so features see the layout a scored
    article has; without it the sentences are joined with newlines.
    """
    columns = ds.column_names
    if doc_column is not None and doc_column not in columns:
        raise DatasetError(f"no document column {doc_column!r}; columns are {columns}")
    order: dict[str, list[dict[str, Any]]] = {}
    # Columns a batch at a time: a Dataset read row by row costs 30 times as much.
    rows_in = (dict(zip(batch, values)) for batch in ds.iter(batch_size=4096) for values in zip(*batch.values()))
    for i, row in enumerate(rows_in):
        key = str(row[doc_column]) if doc_column else f"row-{i}"
        order.setdefault(key, []).append(row)
    docs = []
    for key, rows in order.items():
        if "sentence_index" in columns:
            rows.sort(key=lambda r: r["sentence_index"])
        exact = all(isinstance(r.get("gap"), str) and not r["gap"].strip() for r in rows)
        parts: list[str] = []
        spans = []
        pos = 0
        for k, r in enumerate(rows):
            t = r["text"]
            sep = r["gap"] if exact else ("\n" if k else "")
            parts.append(sep + t)
            pos += len(sep)
            spans.append((pos, pos + len(t)))
            pos += len(t)
        docs.append(LabelledDocument(key, "".join(parts), spans, [int(r["label"]) for r in rows], rows))
    return docs


def labels_of(docs: Sequence[LabelledDocument]) -> list[int]:
    """Gold labels of all sentences, document by document."""
    return [y for d in docs for y in d.labels]
