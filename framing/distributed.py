"""Scoring beyond one machine with Dask (the optional ``framing[dask]`` extra).

Records flow through the same pipeline as ``framing score``: every input record yields
exactly one output record (a scored document or an ``error`` object), in input order
within each partition. The model is put into the task graph once, as a single task that
every partition depends on, so it travels to each worker once, not once per partition.

With a real cluster, connect a client first (``distributed.Client("tcp://scheduler:8786")``);
every function here then runs on it. See the README's "Scale" section.
"""

from __future__ import annotations

import json
from typing import Any

from ._api import _score_batch, load_model
from ._document import LABELS, Document
from ._errors import UsageError
from ._io import Record
from ._model import Model

__all__ = ["score_bag", "score_dataframe", "score_jsonl_shards"]

_PARSE_ERROR = "__framing_parse_error__"


def _require_dask() -> Any:
    try:
        import dask
    except ImportError:
        raise UsageError("the Dask engine needs the dask extra: pip install 'framing[dask]'") from None
    return dask


def _record_of(item: Any, text_field: str, id_field: str, position: str) -> Record:
    if isinstance(item, dict) and _PARSE_ERROR in item:
        return Record(id=position, text=None, error={"type": "InputError", "message": item[_PARSE_ERROR]})
    if isinstance(item, str):
        return Record(id=position, text=item)
    if not isinstance(item, dict):
        return Record(id=position, text=None,
                      error={"type": "InputError", "message": f"{position}: expected a str or a dict record"})
    id_ = str(item.get(id_field, position))
    text = item.get(text_field)
    if not isinstance(text, str):
        return Record(id=id_, text=None, error={"type": "InputError",
                                                "message": f"{id_}: field {text_field!r} is missing or not a string"})
    return Record(id=id_, text=text, meta={k: v for k, v in item.items() if k not in (id_field, text_field)})


def _as_output(item: Document | dict[str, Any]) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, Document) else {"id": item["id"], "error": dict(item["error"])}


def _score_partition(items: list[Any], model: Model, text_field: str, id_field: str, explain: bool,
                     partition: int) -> list[dict[str, Any]]:
    records = [_record_of(x, text_field, id_field, f"partition-{partition}:{i}") for i, x in enumerate(items)]
    return [_as_output(x) for x in _score_batch(records, model, explain)]


def score_bag(bag: Any, *, model: Model | None = None, text_field: str = "text", id_field: str = "id",
              explain: bool = False) -> Any:
    """Score a ``dask.bag`` of records (dicts with ``text`` and ``id``) or plain texts.

    Returns
    -------
    dask.bag.Bag
        One JSON-ready dict per input item, in order: the document as
        ``Document.to_dict()`` gives it, or ``{"id": ..., "error": {...}}``.
    """
    dask = _require_dask()
    model_task = dask.delayed(model or load_model(), pure=True, traverse=False)
    parts = bag.to_delayed()
    scored = [dask.delayed(_score_partition)(p, model_task, text_field, id_field, explain, i)
              for i, p in enumerate(parts)]
    import dask.bag as db

    return db.from_delayed(scored)


def _score_frame(frame: Any, model: Model, text_column: str) -> Any:
    frame = frame.copy()
    labels, shares, attributed, dominant, errors = [], {lab: [] for lab in LABELS}, [], [], []
    for value in frame[text_column]:
        if not isinstance(value, str):
            labels.append(None)
            attributed.append(None)
            dominant.append(None)
            errors.append(f"{text_column!r} is {type(value).__name__}, not a string")
            for lab in LABELS:
                shares[lab].append(None)
            continue
        from ._api import analyze

        doc = analyze(value, model=model)
        p = doc.profile or {}
        labels.append(json.dumps([s.label for s in doc.sentences]))
        for lab in LABELS:
            shares[lab].append(p["shares"][lab])
        attributed.append(p["attributed_share"])
        dominant.append(p["dominant_label"])
        errors.append(None)
    frame["framing_labels"] = labels
    for lab in LABELS:
        frame[f"framing_share_{lab}"] = shares[lab]
    frame["framing_attributed_share"] = attributed
    frame["framing_dominant_label"] = dominant
    frame["framing_error"] = errors
    return frame


def score_dataframe(df: Any, *, text_column: str = "text", model: Model | None = None) -> Any:
    """Score the text column of a ``dask.dataframe``, partition by partition.

    Adds ``framing_labels`` (JSON list of sentence labels), ``framing_share_<label>``,
    ``framing_attributed_share``, ``framing_dominant_label`` and ``framing_error``.
    """
    dask = _require_dask()
    import pandas as pd

    if text_column not in df.columns:
        raise UsageError(f"no column {text_column!r}; columns are {list(df.columns)}")
    meta = df._meta.copy()
    meta["framing_labels"] = pd.Series(dtype="object")
    for lab in LABELS:
        meta[f"framing_share_{lab}"] = pd.Series(dtype="float64")
    meta["framing_attributed_share"] = pd.Series(dtype="float64")
    meta["framing_dominant_label"] = pd.Series(dtype="object")
    meta["framing_error"] = pd.Series(dtype="object")
    model_task = dask.delayed(model or load_model(), pure=True, traverse=False)
    return df.map_partitions(_score_frame, model_task, text_column, meta=meta)


def score_jsonl_shards(inputs: list[str], output_dir: str, *, model: Model | None = None, text_field: str = "text",
                       id_field: str = "id", explain: bool = False, blocksize: int = 16_000_000) -> tuple[int, int]:
    """Read JSONL files (one shard per block), score them on the current Dask scheduler,
    and write ``output_dir/part-NNNNN.jsonl`` shards in input order. Returns ``(ok, failed)``."""
    _require_dask()
    import dask.bag as db

    lines = db.read_text(inputs, blocksize=blocksize).filter(lambda s: bool(s.strip())).map(_parse_line)
    scored = score_bag(lines, model=model, text_field=text_field, id_field=id_field, explain=explain)
    out = scored.map(lambda d: json.dumps(d, ensure_ascii=False, allow_nan=False))
    paths = out.to_textfiles(f"{output_dir}/part-*.jsonl", name_function=lambda i: f"{i:05d}", last_endline=True)
    ok = failed = 0
    for path in sorted(paths):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if "error" in json.loads(line):
                    failed += 1
                else:
                    ok += 1
    return ok, failed


def _parse_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return {_PARSE_ERROR: f"malformed JSON ({exc.msg} at column {exc.colno})"}
