"""Scoring beyond one machine with Dask (the optional ``dask`` extra).

Records flow through the same pipeline as ``framing score``: every input record yields
exactly one output record (a scored document or an ``error`` object), in input order
within each partition. The model is put into the task graph once, as a single task that
every partition depends on, so it travels to each worker once, not once per partition.

With a real cluster, connect a client first (``distributed.Client("tcp://scheduler:8786")``);
every function here then runs on it. See the README's "Scale" section.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import numpy as np

from ._api import _score_batch, load_model
from ._document import LABELS, Document
from ._errors import InputError as _InputError
from ._errors import UsageError, require
from ._io import IdSet, Record, _failure, parse_record, record_of
from ._model import Model
from ._report import SHARD_FORMATS

__all__ = ["SHARD_FORMATS", "score_bag", "score_dataframe", "score_shards"]

def _require_dask() -> Any:
    return require("dask", "the Dask engine")


class _Unreadable(str):
    """A Parquet row that could not be converted: the reason."""

    __slots__ = ()


class _Line(str):
    """One line of a JSONL shard, parsed where it is scored by the reader's own
    :func:`~framing._io.parse_record` (same errors as the local engine)."""

    __slots__ = ()


def _record_of(item: Any, text_field: str, id_field: str, position: str) -> Record:
    if isinstance(item, _Unreadable):
        return Record(id=position, text=None, error={"type": "InputError", "message": f"{position}: {item}"})
    if isinstance(item, _Line):
        return parse_record(str(item).rstrip("\r\n"), position, id_field, text_field)
    if isinstance(item, str):
        return record_of({"text": item}, position)
    if not isinstance(item, dict):
        return Record(id=position, text=None,
                      error={"type": "InputError", "message": f"{position}: expected a str or a dict record"})
    return record_of(item, position, id_field, text_field)


def _duplicate_message(id_: str) -> str:
    return f"duplicate id {id_!r}; ids must be unique within one run"


def _as_output(item: Document | dict[str, Any]) -> dict[str, Any]:
    return item.to_dict() if isinstance(item, Document) else {"id": item["id"], "error": dict(item["error"])}


def _score_partition(items: list[Any], model: Model, text_field: str, id_field: str, explain: bool,
                     partition: int, duplicates: Any = ()) -> list[dict[str, Any]]:
    records = [_record_of(x, text_field, id_field, f"partition-{partition}:{i}") for i, x in enumerate(items)]
    for i in duplicates:  # positions whose id an earlier record of the run already had
        records[i] = _failure(records[i].id, _InputError(_duplicate_message(records[i].id)))
    return [_as_output(x) for x in _score_batch(records, model, explain)]


def _id_digests(items: list[Any], text_field: str, id_field: str, partition: int) -> tuple[Any, Any]:
    """Positions and 64-bit digests of the ids of the readable records of one partition."""
    pos, digests = [], []
    for i, x in enumerate(items):
        r = _record_of(x, text_field, id_field, f"partition-{partition}:{i}")
        if r.error is None:
            pos.append(i)
            digests.append(IdSet._digest(r.id))
    return np.asarray(pos, dtype=np.int64), np.asarray(digests, dtype=np.uint64)


def _find_duplicates(bag: Any, text_field: str, id_field: str) -> list[list[int]]:
    """For each partition, the positions of records whose id an earlier record (in input
    order, across partitions) already had: the local engine's rule. Costs one extra read
    of the input and 8 bytes an id on the client."""
    import dask

    parts = bag.to_delayed()
    found = dask.compute(*[dask.delayed(_id_digests)(p, text_field, id_field, i) for i, p in enumerate(parts)])
    seen = IdSet()
    out: list[list[int]] = []
    for pos, digests in found:
        dup = []
        for i, d in zip(pos.tolist(), digests.tolist()):
            if seen._has(d):
                dup.append(i)
            else:
                seen._add_digest(d)
        out.append(dup)
    return out


def score_bag(bag: Any, *, model: Model | None = None, text_field: str = "text", id_field: str = "id",
              explain: bool = False, unique_ids: bool = False) -> Any:
    """Score a ``dask.bag`` of records (dicts with ``text`` and ``id``) or plain texts.

    With ``unique_ids``, a record whose id an earlier record already had becomes an error
    record, as with the local engine (this costs one extra pass over the bag).

    Returns
    -------
    dask.bag.Bag
        One JSON-ready dict per input item, in order: the document as
        ``Document.to_dict()`` gives it, or ``{"id": ..., "error": {...}}``.
    """
    dask = _require_dask()
    model_task = dask.delayed(model or load_model(), pure=True, traverse=False)
    parts = bag.to_delayed()
    dups = _find_duplicates(bag, text_field, id_field) if unique_ids else [[] for _ in parts]
    scored = [dask.delayed(_score_partition)(p, model_task, text_field, id_field, explain, i, dups[i])
              for i, p in enumerate(parts)]
    import dask.bag as db

    return db.from_delayed(scored)


def _score_frame(frame: Any, model: Model, text_column: str) -> Any:
    frame = frame.copy()
    from ._api import _analyze_batch

    values = list(frame[text_column])
    strings = [(str(i), v, {}) for i, v in enumerate(values) if isinstance(v, str)]
    # Sources are not among the columns, so the spans are not extracted.
    docs = iter([d for k in range(0, len(strings), 64)
                 for d in _analyze_batch(strings[k : k + 64], model, False, attribution=False)])
    labels, shares, attributed, dominant, errors = [], {lab: [] for lab in LABELS}, [], [], []
    for value in values:
        if not isinstance(value, str):
            labels.append(None)
            attributed.append(None)
            dominant.append(None)
            errors.append(f"{text_column!r} is {type(value).__name__}, not a string")
            for lab in LABELS:
                shares[lab].append(None)
            continue
        doc = next(docs)
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
    require("pandas", "score_dataframe")
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


def score_shards(inputs: list[str], output_dir: str, *, model: Model | None = None, text_field: str = "text",
                 id_field: str = "id", explain: bool = False, input_format: str = "jsonl",
                 output_format: str = "jsonl", blocksize: int = 16_000_000) -> tuple[int, int]:
    """Score sharded input on the current Dask scheduler and write sharded output.

    Parameters
    ----------
    inputs : list of str
        JSONL or Parquet files (paths or globs, local or any fsspec URL the workers reach).
    output_dir : str
        Directory for ``part-NNNNN.jsonl`` or ``part-NNNNN.parquet``, one per input
        partition, in input order.
    input_format, output_format : {"jsonl", "parquet"}
        JSONL is read in blocks of ``blocksize`` bytes; Parquet by row group. JSONL
        output lines equal ``framing score --format jsonl``'s; a Parquet row holds ``id``,
        ``error``, ``sentences`` (a list of structs), the profile's shares, dominant
        label and attributed share as columns, and ``profile`` / ``meta`` as JSON text.

    Returns
    -------
    (int, int)
        Documents scored and documents failed (one output record per input record).
    """
    _require_dask()
    for name, value in (("input_format", input_format), ("output_format", output_format)):
        if value not in SHARD_FORMATS:
            raise UsageError(f"{name} must be one of {SHARD_FORMATS}, not {value!r}")
    import dask
    import dask.bag as db

    if input_format == "jsonl":
        # Undecodable bytes stay as surrogates; parse_record turns such a line into an error record.
        lines = db.read_text(inputs, blocksize=blocksize, errors="surrogateescape")
        records = lines.filter(lambda s: bool(s.strip())).map(_Line)
    else:
        records = db.from_delayed(_parquet_parts(inputs, text_field))
    scored = score_bag(records, model=model, text_field=text_field, id_field=id_field, explain=explain,
                       unique_ids=True)
    os.makedirs(output_dir, exist_ok=True)
    names = [f"part-{i:05d}.{output_format}" for i in range(scored.npartitions)]
    writes = [dask.delayed(_write_shard)(part, os.path.join(output_dir, name), output_format)
              for name, part in zip(names, scored.to_delayed(), strict=True)]
    counts = dask.compute(*writes)
    _remove_stale_shards(output_dir, set(names))
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


_SHARD = re.compile(r"part-\d{5}\.(jsonl|parquet)(\.partial)?")


def _remove_stale_shards(output_dir: str, keep: set[str]) -> None:
    """Remove shards an earlier run left in a reused directory (other shard numbers or
    format), so the directory holds this run's output and nothing else of ours."""
    for name in os.listdir(output_dir):
        if _SHARD.fullmatch(name) and name not in keep:
            os.remove(os.path.join(output_dir, name))


def _parquet_parts(inputs: list[str], text_field: str) -> list[Any]:
    """One delayed partition per row group of every Parquet file (read with pyarrow, so no
    pandas round trip changes the values)."""
    import dask
    require("pyarrow", "the Dask engine with Parquet")
    import pyarrow.parquet as pq
    from fsspec.core import get_fs_token_paths

    fs, _, paths = get_fs_token_paths(inputs)
    if not paths:
        raise UsageError(f"no Parquet files match {inputs}")
    parts = []
    for path in paths:
        with fs.open(path, "rb") as fh:
            pf = pq.ParquetFile(fh)
            if text_field not in pf.schema_arrow.names:
                raise UsageError(f"{path}: no column {text_field!r} (columns: {pf.schema_arrow.names}); "
                                 "pass --text-field")
            n_groups = pf.num_row_groups
        parts += [dask.delayed(_read_row_group)(fs, path, i) for i in range(n_groups)]
    return parts


def _read_row_group(fs: Any, path: str, group: int) -> list[dict[str, Any]]:
    require("pyarrow", "the Dask engine with Parquet")
    import pyarrow.parquet as pq

    with fs.open(path, "rb") as fh:
        table = pq.ParquetFile(fh).read_row_group(group)
    try:
        return table.to_pylist()
    except Exception:  # a value Python cannot hold (a timestamp past year 9999...): row by row
        rows: list[Any] = []
        for i in range(table.num_rows):
            try:
                rows.append(table.slice(i, 1).to_pylist()[0])
            except Exception as exc:
                rows.append(_Unreadable(f"{path}: row {i + 1} of row group {group}: a value cannot be read ({exc})"))
        return rows


def _write_shard(records: list[dict[str, Any]], path: str, fmt: str) -> tuple[int, int]:
    failed = sum(1 for r in records if "error" in r)
    tmp = path + ".partial"
    if fmt == "jsonl":
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        require("pyarrow", "the Dask engine with Parquet")
        import pyarrow.parquet as pq

        pq.write_table(_arrow_table(records), tmp)
    os.replace(tmp, path)  # a shard is either complete or absent
    return len(records) - failed, failed


def _arrow_table(records: list[dict[str, Any]]) -> Any:
    require("pyarrow", "the Dask engine with Parquet")
    import pyarrow as pa

    probs = pa.struct([(lab, pa.float64()) for lab in LABELS])
    sentence = pa.struct([("index", pa.int64()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
                          ("label", pa.string()), ("probabilities", probs), ("attribution", pa.string()),
                          ("explanation", pa.string())])
    schema = pa.schema([("id", pa.string()), ("error", pa.struct([("type", pa.string()), ("message", pa.string())])),
                        ("sentences", pa.list_(sentence)),
                        *[(f"share_{lab}", pa.float64()) for lab in LABELS],
                        ("dominant_label", pa.string()), ("attributed_share", pa.float64()),
                        ("profile", pa.string()), ("meta", pa.string())])
    rows = []
    for r in records:
        profile = r.get("profile") or {}
        rows.append({
            "id": r["id"], "error": r.get("error"),
            "sentences": None if "error" in r else [
                {**{k: s[k] for k in ("index", "start", "end", "text", "label", "probabilities")},
                 "attribution": None if s.get("attribution") is None else json.dumps(s["attribution"],
                                                                                      ensure_ascii=False),
                 "explanation": json.dumps(s["explanation"]) if "explanation" in s else None}
                for s in r["sentences"]],
            **{f"share_{lab}": (profile.get("shares") or {}).get(lab) for lab in LABELS},
            "dominant_label": profile.get("dominant_label"), "attributed_share": profile.get("attributed_share"),
            "profile": json.dumps(profile, ensure_ascii=False) if profile else None,
            "meta": json.dumps(r.get("meta") or {}, ensure_ascii=False),
        })
    return pa.Table.from_pylist(rows, schema=schema)
