"""Model files on disk: the manifest, its integrity digest, and deterministic array files.

Shared by the sentence model (:mod:`framing._model`) and the attribution tagger
(:mod:`framing._attribution`), so neither imports the other to read or write its files.
See :mod:`framing._model` for what a model directory holds and what loading checks.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ._errors import ModelError

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "READABLE_FORMAT_VERSIONS", "META_FILE", "ARRAYS_FILE", "INTEGRITY_KEY",
           "manifest_digest", "read_manifest", "verify_manifest", "lexicons_sha256"]

FORMAT_NAME = "framing-model"
FORMAT_VERSION = 2
# Version 2 (framing 0.2): stage 2 reads 24 context inputs, version 1 read 16; this
# framing reads both.
READABLE_FORMAT_VERSIONS = (1, 2)
META_FILE = "model.json"
ARRAYS_FILE = "weights.npz"
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
INTEGRITY_KEY = "integrity_sha256"
"""Metadata key of the digest over the rest of the metadata (and so over the arrays' sha256)."""
_MAX_MANIFEST_BYTES = 1 << 20


def manifest_digest(meta: Mapping[str, Any]) -> str:
    """sha256 of a model's metadata without its own ``integrity_sha256``, as canonical JSON
    (sorted keys, no spaces, ASCII): independent of how the file is laid out."""
    body = {k: v for k, v in meta.items() if k != INTEGRITY_KEY}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_manifest(meta_path: Path) -> dict[str, Any]:
    """A model's ``model.json`` as a dict, or :class:`ModelError` (missing, over 1 MiB,
    not UTF-8, not strict JSON, nested too deeply, not an object)."""
    try:
        with open(meta_path, "rb") as fh:
            raw = fh.read(_MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise ModelError(f"{meta_path.parent}: not a framing model directory (no {meta_path.name}); "
                         "pass a directory written by `framing train`") from None
    except OSError as exc:
        raise ModelError(f"{meta_path}: unreadable metadata ({exc.strerror or exc})") from None
    if len(raw) > _MAX_MANIFEST_BYTES:
        raise ModelError(f"{meta_path}: unreadable metadata (over {_MAX_MANIFEST_BYTES:,} bytes); the file is damaged")
    try:
        meta = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{meta_path}: unreadable metadata ({exc}); the file is damaged") from None
    except RecursionError:
        raise ModelError(f"{meta_path}: unreadable metadata (nested too deeply); the file is damaged") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{meta_path}: unreadable metadata (not a JSON object); the file is damaged")
    return meta


def verify_manifest(meta: Mapping[str, Any], meta_path: Path) -> None:
    """Check ``integrity_sha256`` against the metadata (which holds the arrays' sha256,
    checked against the arrays file by the loader). A manifest without the digest is
    refused: removing the key must not be a way around the check.

    Raises
    ------
    ModelError
        When the digest does not match: the metadata was edited or damaged.
    """
    want = meta.get(INTEGRITY_KEY)
    if want is None:
        # Without the digest, an edited manifest (with its key removed) would pass unseen.
        raise ModelError(f"{meta_path}: no integrity_sha256 (saved by an older framing, or the key was removed); "
                         "refusing to load it unchecked: retrain it with `framing train` or reinstall framing")
    try:
        got = manifest_digest(meta)
    except (ValueError, TypeError, RecursionError):
        got = ""
    if got != want:
        raise ModelError(f"{meta_path}: the metadata does not match its integrity_sha256 "
                         f"({got[:16] or 'unhashable'}... vs {str(want)[:16]}...); it was edited or damaged. "
                         "Refusing to load it: reinstall framing or retrain the model")


def _finite_arrays(arrays: Mapping[str, np.ndarray], where: Path) -> None:
    for name, a in arrays.items():
        if a.dtype.kind not in "fiu":
            raise ModelError(f"{where}: array {name!r} has dtype {a.dtype}, not numbers")
        if a.dtype.kind == "f" and not np.isfinite(a).all():
            raise ModelError(f"{where}: array {name!r} holds NaN or infinite values; the model is damaged")


def lexicons_sha256() -> str:
    """sha256 over the packaged lexicon files (name and bytes, in name order)."""
    h = hashlib.sha256()
    root = resources.files("framing") / "data" / "lexicons"
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".txt"):
            h.update(entry.name.encode())
            h.update(entry.read_bytes())
    return h.hexdigest()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write arrays as an ``.npz`` with fixed timestamps, so equal arrays give equal bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
