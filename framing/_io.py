"""Reading inputs: text files, directories, standard input, JSONL records, saved web pages.

Every input yields exactly one :class:`Record`, in input order: either a document
to process (``text`` set) or a failure (``error`` set) that the caller reports in
its place, so no document is ever dropped silently.
"""

from __future__ import annotations

import base64
import bisect
import codecs
import contextlib
import datetime as _dt
import decimal
import hashlib
import html.parser
import io
import itertools
import json
import math
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import numpy as np

from ._errors import InputError, UsageError, require

__all__ = ["DEFAULT_MAX_CHARS", "INPUT_FORMATS", "MAX_DEPTH", "IdSet", "Record", "decode_bytes", "display_name",
           "html_to_text", "iter_records", "json_safe", "open_output", "record_of"]

DEFAULT_MAX_CHARS = 10_000_000
"""Default limit on one document's length in characters (about 10 MB of text)."""

INPUT_FORMATS = ("auto", "text", "jsonl", "parquet")
"""``auto`` reads ``.jsonl``, ``.ndjson``, ``.json`` and ``.parquet`` files (and input whose
first line is a JSON object) as records, anything else but tables as one document."""

MAX_DEPTH = 100
"""Deepest nesting of lists and objects accepted in a record's fields."""

BYTES_PER_CHAR = 12
"""Raw bytes allowed per character of ``max_chars`` (room for markup and JSON escapes):
one document's file, or one JSONL line, longer than ``BYTES_PER_CHAR * max_chars`` plus
1 MiB is refused as it is read, never held whole."""

_SURROGATE = re.compile("[\ud800-\udfff]")
# Byte-order marks and the codec each selects (UTF-32's before UTF-16's, which they start with).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_WIDE_BOMS = tuple(bom for bom, codec in _BOMS if codec != "utf-8")
_BIG_INT_BITS = 13_000  # about 3,900 decimal digits, under Python's int/str conversion limit (4,300)

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls")
# Read from a directory (tables there are left alone: often the outputs of earlier runs).
_DIR_SUFFIXES = (".txt", ".md", *_HTML_SUFFIXES, *_JSONL_SUFFIXES, ".parquet")


class IdSet:
    """A set of ids kept as 64-bit digests: 8 bytes an id instead of a Python string's 60-100.

    Recent digests sit in a small Python set, merged from time to time into one sorted
    numpy array that is searched by bisection. Memory grows by 8 bytes an id (1.6 MB
    for 200,000 ids), so a long stream runs in nearly flat memory while every repeat is
    still caught. Two different ids share a digest with probability about n**2 / 2**65
    (3e-8 for a million ids); such a pair would be reported as a duplicate, never
    silently dropped.
    """

    def __init__(self, ids: Iterable[str] = (), *, chunk: int = 8192) -> None:
        self._chunk = chunk
        self._recent: set[int] = set()
        self._sorted: np.ndarray | None = None
        self._view: memoryview | None = None
        self._n = 0
        for id_ in ids:
            self.add(id_)

    @staticmethod
    def _digest(id_: str) -> int:
        return int.from_bytes(hashlib.blake2b(id_.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")

    def _has(self, d: int) -> bool:
        if d in self._recent:
            return True
        view = self._view
        if view is None:
            return False
        i = bisect.bisect_left(view, d)  # on a memoryview: C-level, no numpy call per look-up
        return i < len(view) and view[i] == d

    def __contains__(self, id_: object) -> bool:
        return isinstance(id_, str) and self._has(self._digest(id_))

    def add(self, id_: str) -> None:
        """Add one id (adding an id twice keeps one)."""
        self._add_digest(self._digest(id_))

    def _add_digest(self, d: int) -> None:
        if self._has(d):
            return
        self._recent.add(d)
        self._n += 1
        sorted_n = 0 if self._sorted is None else len(self._sorted)
        # Merging costs a copy of the sorted array: merge when the recent set reaches a
        # 64th of it, so copies stay amortised O(1) an id while the set stays small.
        if len(self._recent) >= max(self._chunk, sorted_n // 64):
            fresh = np.fromiter(self._recent, dtype=np.uint64, count=len(self._recent))
            fresh.sort()
            if self._sorted is None:
                self._sorted = fresh
            else:
                self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, fresh), fresh)
            self._view = memoryview(self._sorted)
            self._recent = set()

    def __len__(self) -> int:
        return self._n


@dataclass(frozen=True)
class Record:
    """One input document, or the reason it could not be read.

    Parameters
    ----------
    id : str
        The document id (file path, record id, or ``<source>:<line>``).
    text : str or None
        The text to process; ``None`` when ``error`` is set.
    meta : dict
        Other fields of a JSONL record.
    error : dict or None
        ``{"type": ..., "message": ...}`` when the record could not be read.
    """

    id: str
    text: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None


def _failure(id_: str, exc: BaseException) -> Record:
    return Record(id=id_, text=None, error={"type": type(exc).__name__, "message": str(exc)})


def display_name(path: str) -> str:
    """A path as valid text: bytes of a file name that are not UTF-8 (which Python holds
    as lone surrogates) are shown as ``\\xNN`` escapes."""
    if not _SURROGATE.search(path):
        return path
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _surrogate_message(where: str, what: str, value: str) -> InputError:
    m = _SURROGATE.search(value)
    code = f"U+{ord(m.group()):04X}) at offset {m.start()}" if m else "?)"
    return InputError(f"{where}: {what} holds a lone surrogate ({code}, which is not valid Unicode "
                      "and cannot be written as UTF-8; decode the source with errors='replace'")


def json_safe(value: Any, where: str = "record", *, _depth: int = 0) -> Any:
    """``value`` as plain JSON data that every output format can write, or an :class:`InputError`.

    Non-finite floats (NaN, infinities) become ``None``; dates and times ISO 8601 text;
    durations seconds; decimals their exact text; bytes base64 text; tuples lists;
    numpy scalars Python numbers. Refused: text holding a lone surrogate, integers of
    more than about 3,900 digits, nesting deeper than :data:`MAX_DEPTH`, other types.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise _surrogate_message(where, "a field", value)
        return value
    if isinstance(value, int):
        if value.bit_length() > _BIG_INT_BITS:
            raise InputError(f"{where}: an integer of more than 3,900 digits; pass it as a string")
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.generic):
        return json_safe(value.item(), where, _depth=_depth)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping | list | tuple):
        if _depth >= MAX_DEPTH:
            raise InputError(f"{where}: fields nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                key = k if isinstance(k, str) else str(json_safe(k, where, _depth=_depth + 1))
                if _SURROGATE.search(key):
                    raise _surrogate_message(where, "a field name", key)
                out[key] = json_safe(v, where, _depth=_depth + 1)
            return out
        return [json_safe(v, where, _depth=_depth + 1) for v in value]
    raise InputError(f"{where}: a field of type {type(value).__name__} has no JSON form")


def decode_bytes(data: bytes, *, name: str, encoding: str = "utf-8", errors: str = "strict") -> str:
    """Decode a file's bytes, honouring byte-order marks.

    UTF-8 and UTF-16/32 byte-order marks select their codec and are removed.
    Binary data (NUL bytes in text that is not UTF-16/32) is refused.

    Raises
    ------
    InputError
        For binary data, or bytes that are invalid in ``encoding`` (the message
        names the byte offset and the options that get past it).
    """
    skip = 0
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding, skip = codec, len(bom)
            break
    else:
        if b"\x00" in data[:8192] and errors == "strict" and not _wide(encoding):
            raise InputError(
                f"{name}: looks like a binary file (it contains NUL bytes), not text; "
                "pass text, HTML or JSONL files"
            )
    try:
        return str(memoryview(data)[skip:], encoding, errors)  # past the mark, without copying the bytes
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        raise InputError(
            f"{name}: invalid {exc.encoding} at byte offset {at} "
            f"({data[at:at + 4]!r}); pass --encoding with the file's "
            "real encoding, or --errors replace to substitute U+FFFD"
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}; use a Python codec name such as utf-8") from None


class _ArticleText(html.parser.HTMLParser):
    """Collect the readable text of a saved web page, one block a paragraph.

    Scripts, styles and the like are always dropped. Page furniture (navigation, header,
    footer, aside) is dropped when its element is closed; one left open to the end of the
    page (a common error of saved pages) is kept, so an article after an unclosed
    ``<nav>`` is not lost. A ``<header>`` inside an ``<article>`` is the article's own
    (its headline and byline): kept. Forms are kept: content-management systems often wrap the
    whole page in one ``<form>``; their controls (buttons, selects, text areas) are not.
    """

    _SKIP = frozenset(
        "script style noscript template svg button select textarea option iframe head title".split()
    )
    _FURNITURE = frozenset("nav header footer aside".split())
    _BLOCK = frozenset(
        "p div br li ul ol h1 h2 h3 h4 h5 h6 section article blockquote tr td th "
        "figcaption figure pre table dd dt main hr form".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, int]] = []  # (text, furniture region it is in, or -1)
        self.skip_depth = 0
        self.region = -1  # the outermost open furniture element's region number
        self.region_depth = 0
        self.closed: set[int] = set()
        self._regions = 0
        self.title: list[str] = []
        self._in_title = False
        self.article_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag == "article":
            self.article_depth += 1
        if tag in self._SKIP:
            self.skip_depth += 1
        elif tag in self._FURNITURE and not (tag == "header" and self.article_depth):
            if self.region_depth == 0:
                self.region = self._regions
                self._regions += 1
            self.region_depth += 1
            self.parts.append(("\n\n", -1))
        elif tag in self._BLOCK:
            self.parts.append(("\n\n", -1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "article":
            self.article_depth = max(0, self.article_depth - 1)
        if tag in self._SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self._FURNITURE and not (tag == "header" and self.article_depth):
            if self.region_depth > 0:
                self.region_depth -= 1
                if self.region_depth == 0:
                    self.closed.add(self.region)
                    self.region = -1
            self.parts.append(("\n\n", -1))
        elif tag in self._BLOCK:
            self.parts.append(("\n\n", -1))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if self.skip_depth == 0:
            self.parts.append((re.sub(r"\s+", " ", data), self.region if self.region_depth else -1))

    def text(self) -> str:
        return "".join(t for t, region in self.parts if region < 0 or region not in self.closed)


def html_to_text(markup: str) -> str:
    """Reduce a saved web page to its article text, paragraphs separated by blank lines.

    Scripts, styles, form controls, and closed navigation, header, footer and aside
    elements are dropped; entities are decoded. Offsets of scored sentences refer to the
    returned text.
    """
    parser = _ArticleText()
    parser.feed(markup)
    parser.close()
    paragraphs = []
    for block in parser.text().split("\n\n"):
        block = " ".join(block.split())
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def _byte_limit(max_chars: int | None) -> int | None:
    return BYTES_PER_CHAR * max_chars + (1 << 20) if max_chars else None


def _read_bounded(fh: BinaryIO, name: str, max_chars: int | None, errors: str = "strict") -> bytes:
    """Read a whole document, but never more than its byte limit: a longer one (or an
    endless device such as ``/dev/zero``) is refused as soon as the limit is passed."""
    limit = _byte_limit(max_chars)
    try:
        if limit is None:
            return fh.read()
        if _is_regular(fh):
            size = os.fstat(fh.fileno()).st_size
            if size > limit:  # refused without reading a byte
                raise _too_long(name, size, limit, max_chars)
            data = fh.read(size + 1)  # one buffer of the file's size, as before the limit existed
            if len(data) > size:  # the file grew while being read
                data += fh.read(limit + 1 - len(data))
                if len(data) > limit:
                    raise _too_long(name, len(data), limit, max_chars)
            return data
        chunks, n = [], 0
        while n <= limit:
            chunk = fh.read(min(1 << 20, limit + 1 - n))
            if not chunk:
                break
            if not chunks and errors == "strict" and b"\x00" in chunk[:8192] and not chunk.startswith(_WIDE_BOMS):
                return chunk  # binary: decode_bytes refuses it; no need to read on
            chunks.append(chunk)
            n += len(chunk)
        if n > limit:
            raise _too_long(name, n, limit, max_chars)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def _too_long(name: str, n: int, limit: int, max_chars: int | None) -> InputError:
    more = "" if n <= limit + 1 else f" ({n:,} bytes)"
    return InputError(f"{name}: more than {limit:,} bytes{more}, over the limit for {max_chars:,} characters; "
                      "raise --max-chars (0 = no limit) or split it")


def _expand(paths: Iterable[str]) -> Iterator[tuple[str, Exception | None]]:
    """Yield input paths in order, directories expanded recursively and sorted."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = []
            errors: list[tuple[str, Exception]] = []

            def onerror(exc: OSError, _errors: list[tuple[str, Exception]] = errors, _top: str = path) -> None:
                name = exc.filename or _top
                _errors.append((name, InputError(f"{name}: cannot list directory ({exc.strerror})")))

            # followlinks=False: a symlink loop cannot make the walk endless.
            for root, dirs, files in os.walk(path, onerror=onerror):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(_DIR_SUFFIXES):
                        found.append(os.path.join(root, name))
            for p in sorted(found):
                yield p, _not_regular(p)
            yield from errors
        else:
            yield path, None


def _not_regular(path: str) -> Exception | None:
    """Why a file found in a directory is not read (a FIFO, socket or device would block
    or never end), or None for a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # reading it names the problem (no such file, a link loop...)
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return InputError(f"{display_name(path)}: {kind}, not a regular file; skipped (name it on the command line "
                      "to read it)")


def iter_records(
    paths: Iterable[str],
    *,
    input_format: str = "auto",
    id_field: str = "id",
    text_field: str = "text",
    encoding: str = "utf-8",
    errors: str = "strict",
    max_chars: int | None = DEFAULT_MAX_CHARS,
    stdin: BinaryIO | None = None,
) -> Iterator[Record]:
    """Read documents from files, directories and standard input.

    Parameters
    ----------
    paths : iterable of str
        Files, directories (read recursively: text, HTML, JSON and Parquet files by their
        suffix) or ``"-"`` for standard input.
    input_format : {"auto", "text", "jsonl", "parquet"}
        ``"auto"`` treats ``.jsonl``, ``.ndjson``, ``.json`` and ``.parquet`` files, and any
        input whose first line is a JSON object, as records; refuses tables (``.csv``,
        ``.tsv``, spreadsheets) with the fix; and reads everything else as one document per
        file. The others force one reading. Parquet is read a record batch at a time and
        needs a file path (not standard input).
    id_field, text_field : str
        Field (column) names of JSONL and Parquet records. Other fields are kept as ``meta``.
    encoding, errors : str
        Passed to :meth:`bytes.decode` (byte-order marks take precedence).
    max_chars : int or None
        Longest accepted document; longer ones become error records. ``None`` or
        0 means no limit. Enforced while reading: a file or JSONL line of more than
        :data:`BYTES_PER_CHAR` bytes per character (plus 1 MiB) is refused unread.

    Yields
    ------
    Record
        One per document, in input order; unreadable inputs yield a record with
        ``error`` set instead of raising: odd JSON values (see :func:`parse_record`),
        a FIFO or device inside a directory, over-long documents, duplicate ids.
        Metadata is JSON-safe (:func:`json_safe`).
    """
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {INPUT_FORMATS}, not {input_format!r}")
    check_encoding(encoding)
    seen_ids = IdSet()
    stdin_read = False
    for path, problem in _expand(paths):
        if problem is not None:
            yield _checked(_failure(display_name(path), problem), max_chars, seen_ids)
            continue
        if path == "-":
            if stdin_read:  # standard input is read once, however often it is named
                continue
            stdin_read = True
        name = "<stdin>" if path == "-" else display_name(path)
        if input_format == "auto" and path.lower().endswith(_TABLE_SUFFIXES):
            yield _checked(_failure(name, InputError(
                f"{name}: a table ({path.rsplit('.', 1)[-1]}) is not read; write its rows as JSONL (one object a "
                "line with a 'text' field) or Parquet, or pass --input-format text to score the file as one "
                "article")), max_chars, seen_ids)
            continue
        src: BinaryIO | None = None
        owned: BinaryIO | None = None
        kind = _kind_by_name(path) if input_format == "auto" else input_format
        try:
            if path == "-":
                src = _stdin_stream(stdin)
            if kind is None:  # auto, and the name does not tell: the first bytes do
                if src is None:  # opened once: a pipe's first bytes cannot be read twice
                    owned = src = _open_binary(path)
                head, src = _head(src)
                kind = _sniff(head, encoding)
        except InputError as exc:
            yield _failure(name, exc)
            continue
        try:
            yield from _records_of(path, src, kind, name, id_field, text_field, encoding, errors, max_chars,
                                   seen_ids)
        finally:
            if owned is not None:
                owned.close()


def _records_of(path: str, src: BinaryIO | None, kind: str, name: str, id_field: str, text_field: str,
                encoding: str, errors: str, max_chars: int | None, seen_ids: IdSet) -> Iterator[Record]:
    """The records of one input of a known ``kind``, read from ``src`` (a stream already
    open) or from ``path``."""
    if kind == "parquet":
        if path == "-":
            raise UsageError("Parquet cannot be read from standard input; pass a file path")
        yield from _parquet_records(path, id_field, text_field, max_chars, seen_ids)
        return
    try:
        fh = src if src is not None else _open_binary(path)
    except InputError as exc:
        yield _failure(name, exc)
        return
    with contextlib.nullcontext(fh) if src is not None else fh:
        if kind == "json":
            yield from _json_records(fh, name, id_field, text_field, encoding, errors, max_chars, seen_ids)
            return
        if kind == "jsonl":
            # Records stream line by line: memory stays flat however long the input is.
            lines = _decoded_lines(fh, name, encoding, errors, _byte_limit(max_chars))
            yield from _jsonl_records(lines, name, id_field, text_field, max_chars, seen_ids)
            return
        try:
            text = decode_bytes(_read_bounded(fh, name, max_chars, errors), name=name, encoding=encoding,
                                errors=errors)
        except InputError as exc:
            yield _failure(name, exc)
            return
    if _SURROGATE.search(text):  # --errors surrogateescape-like codecs
        yield _failure(name, _surrogate_message(name, "the text", text))
        return
    if kind == "html" or (kind == "text" and path.lower().endswith(_HTML_SUFFIXES)):
        text = html_to_text(text)
    yield _checked(Record(id=name, text=text), max_chars, seen_ids)


def _kind_by_name(path: str) -> str | None:
    """What a file's suffix says it holds (``auto``); None when only its content can tell."""
    lower = path.lower() if path != "-" else ""
    if lower.endswith(".json"):
        return "json"
    if lower.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(".parquet"):
        return "parquet"
    if lower.endswith(_HTML_SUFFIXES):
        return "html"
    return None


_SNIFF = 4096
# A saved page may open with an XML declaration or comments ("<!-- saved from url=... -->").
_HTML_START = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def _sniff(head: bytes, encoding: str = "utf-8") -> str:
    """What the first bytes of an input hold: JSON lines (a JSON object's ``{"`` on its
    first line), JSON (a list of objects, or an object over several lines), a web page,
    or text. No article starts like any of them. A byte-order mark picks the codec."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom):], codec
            break
    start = head.decode(encoding, "ignore").lstrip()
    if re.match(r'\{[ \t]*"', start):
        return "jsonl"
    if re.match(r'\[\s*\{\s*"|\{[ \t]*\r?\n\s*"', start):
        return "json"
    if _HTML_START.match(start):
        return "html"
    return "text"


class _Replayed(io.RawIOBase):
    """Bytes already read from a stream, then the rest of the stream (standard input or a
    pipe cannot be rewound after its first bytes were looked at)."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n], self._head = self._head[:n], self._head[n:]
            return n
        read1 = getattr(self._rest, "read1", self._rest.read)
        data = read1(len(b))
        b[: len(data)] = data
        return len(data)


def _stdin_stream(stdin: Any) -> BinaryIO:
    """Standard input (or the stream given for it) as a buffered binary stream."""
    src = stdin if stdin is not None else (sys.stdin.buffer if sys.stdin is not None else None)
    if src is None:
        raise InputError("standard input is closed; pass file paths, or pipe the documents in")
    if isinstance(src, io.BytesIO) or all(hasattr(src, a) for a in ("readline", "peek", "read1")):
        return src
    return io.BufferedReader(_Replayed(b"", src))  # any object with read(): lines and peeks work on it


def _head(src: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes of a stream, and a stream that reads them again: a regular file is
    rewound; a pipe is read until its head holds enough text to tell, then replayed."""
    if isinstance(src, io.BytesIO):
        return src.getvalue()[src.tell():src.tell() + _SNIFF], src
    if _is_regular(src):
        at = src.tell()
        head = src.read(_SNIFF)
        src.seek(at)
        return head, src
    chunks, n = [], 0
    read1 = getattr(src, "read1", src.read)
    while n < _SNIFF and len(b"".join(chunks).strip(b" \t\r\n\x00")) < 64:  # a pipe may deliver a byte at a time
        chunk = read1(_SNIFF - n)
        if not chunk:
            break
        chunks.append(chunk)
        n += len(chunk)
    head = b"".join(chunks)
    return head, io.BufferedReader(_Replayed(head, src))


def _json_records(fh: BinaryIO, name: str, id_field: str, text_field: str, encoding: str, errors: str,
                  max_chars: int | None, seen_ids: IdSet) -> Iterator[Record]:
    """The records of a JSON input: one object, a list of objects, or JSON lines (streamed,
    never held whole, when its first line is a record)."""
    if _first_line_is_record(fh):
        lines = _decoded_lines(fh, name, encoding, errors, _byte_limit(max_chars))
        yield from _jsonl_records(lines, name, id_field, text_field, max_chars, seen_ids)
        return
    try:
        # One value to parse whole: only each record's text is held to max_chars (a device
        # or pipe is still read no further than one document's limit).
        data = _read_bounded(fh, name, None if _is_regular(fh) else max_chars, errors)
        text = decode_bytes(data, name=name, encoding=encoding, errors=errors)
    except InputError as exc:
        yield _failure(name, exc)
        return
    try:
        obj = json.loads(text.removeprefix("\ufeff"), parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # one value after another: JSON lines (in a wide encoding, read whole)
            yield from _jsonl_records(jsonl_lines(text), name, id_field, text_field, max_chars, seen_ids)
            return
        yield _checked(_failure(name, InputError(
            f"{name}: malformed JSON ({exc.msg.removesuffix(' at')} at line {exc.lineno} column {exc.colno})")),
            max_chars, seen_ids)
        return
    except (ValueError, RecursionError) as exc:
        yield _checked(_failure(name, InputError(f"{name}: unreadable JSON ({exc})")), max_chars, seen_ids)
        return
    if isinstance(obj, dict):
        obj = [obj]
    if not isinstance(obj, list):
        kind = "null" if obj is None else {bool: "boolean", str: "string"}.get(type(obj), "number")
        yield _checked(_failure(name, InputError(
            f"{name}: holds a JSON {kind}; a JSON input holds an object with a {text_field!r} field, a list of "
            "such objects, or one object a line")), max_chars, seen_ids)
        return
    for k, item in enumerate(obj, start=1):
        where = f"{name}: record {k}"
        yield _checked(record_of(item, where, id_field, text_field), max_chars, seen_ids, where)


def _first_line_is_record(fh: BinaryIO) -> bool:
    """Whether a seekable JSON input's first line is a whole JSON object (JSON lines, to
    stream); the stream is left where it was. Not seekable: read as one value."""
    if not _is_regular(fh) or isinstance(fh, io.BytesIO):
        return False
    at = fh.tell()
    try:
        line = fh.readline(1 << 20).removeprefix(codecs.BOM_UTF8)
    finally:
        fh.seek(at)
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _checked(record: Record, max_chars: int | None, seen_ids: IdSet, where: str | None = None) -> Record:
    if record.error is None:
        assert record.text is not None
        if max_chars and len(record.text) > max_chars:
            return _failure(
                record.id,
                InputError(
                    f"{record.id}: document has {len(record.text):,} characters, over the "
                    f"limit of {max_chars:,}; raise --max-chars (0 = no limit) or split it"
                ),
            )
        if record.id in seen_ids:
            return _failure(
                record.id,
                InputError(f"{where + ': ' if where and where != record.id else ''}duplicate id {record.id!r}; "
                           "ids must be unique within one run"),
            )
        seen_ids.add(record.id)
    return record


def _open_binary(path: str) -> BinaryIO:
    name = display_name(path)
    try:
        return open(path, "rb")
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory; pass it alone to read its files") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied; check the file's permissions") from None
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None




class _TooLong(int):
    """The byte length of a JSONL line over the limit (skipped, never held whole)."""


def _is_regular(fh: BinaryIO) -> bool:
    try:
        return stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def _raw_lines(fh: BinaryIO, limit: int | None) -> Iterator[bytes | _TooLong]:
    """The lines of a binary stream; a line over ``limit`` bytes is skipped in bounded
    chunks and reported by its length. On a stream that is not a regular file (a pipe, a
    device), a line still running after 8 times the limit ends the reading: it may never
    end (the length is then reported negative)."""
    if limit is None:
        yield from fh
        return
    endless_after = None if _is_regular(fh) else 8 * limit
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        if len(raw) <= limit:
            yield raw
            continue
        n = len(raw)
        while not raw.endswith(b"\n"):
            if endless_after is not None and n > endless_after:
                yield _TooLong(-n)
                return
            raw = fh.readline(1 << 20)
            if not raw:
                break
            n += len(raw)
        yield _TooLong(n)


# A raw carriage return is never inside a JSON string, and "}" then "{" is never one value:
# a CR between them ends a record (files saved with old Mac line endings).
_CR_BETWEEN_RECORDS = re.compile(r"(?<=\})[ \t]*\r[ \t\r]*(?=\{)")


def jsonl_lines(text: str) -> list[str]:
    """The lines of decoded JSONL text: split at line feeds only (U+2028 and the other
    characters :meth:`str.splitlines` breaks at may sit raw inside a JSON string), a
    trailing CR dropped, records joined by bare CRs split apart, a leading BOM removed."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [part for line in lines for part in _CR_BETWEEN_RECORDS.split(line.rstrip("\r"))]


def check_encoding(encoding: str, *, option: str = "encoding") -> None:
    """:class:`UsageError` unless ``encoding`` is a text encoding Python knows (not
    ``rot13``, ``hex`` or ``undefined``, which Python's codec registry also holds)."""
    try:
        "a".encode(encoding)
    except LookupError as exc:
        why = "is not a text encoding" if "text encoding" in str(exc) else "is not a known encoding"
    except UnicodeError:
        why = "cannot decode anything"
    else:
        return
    raise UsageError(f"{option} {encoding!r} {why}; use a Python codec name such as utf-8, latin-1 or cp1252")


def _wide(encoding: str) -> bool:
    """Whether ``encoding`` is UTF-16 or UTF-32 (its lines cannot be split on the byte ``\\n``)."""
    try:
        return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False


def _decoded_lines(fh: BinaryIO, name: str, encoding: str, errors: str,
                   limit: int | None = None) -> Iterator[str | InputError]:
    """Decode a JSONL stream line by line; a line that cannot be decoded, or is over
    ``limit`` bytes, becomes an error."""
    # The first 8 KiB, whatever the stream (a file is read and rewound); of a pipe, what it
    # has buffered: reading further ahead would hold back the records already there.
    peek = getattr(fh, "peek", None)
    if isinstance(fh, io.BytesIO):
        head = fh.getvalue()[fh.tell() : fh.tell() + 8192]
    elif _is_regular(fh):
        at = fh.tell()
        head = fh.read(8192)
        fh.seek(at)
    else:
        head = peek(8192)[:8192] if peek is not None else b""
    wide = _wide(encoding)
    if _nul_first(head) and not head.startswith(_WIDE_BOMS) and not wide:
        # JSON never holds a raw NUL: UTF-16/32 text or a binary file. One clear error, not
        # one per line. (A NUL after a record is that line's error: the others are read.)
        yield InputError(f"{name}: holds NUL bytes, so it is not JSON lines in {encoding}: UTF-16/32 without a "
                         "byte-order mark (pass --encoding utf-16-le, utf-16-be, utf-32-le or utf-32-be), or a binary "
                         "file (Parquet: --input-format parquet)")
        return
    lines = _raw_lines(fh, limit)
    first = next(lines, b"")
    if wide or (isinstance(first, bytes) and first.startswith(_WIDE_BOMS)):
        # UTF-16/32 lines cannot be split on b"\n": decode the whole (rare) file at once.
        data = (first if isinstance(first, bytes) else b"") + b"".join(x for x in lines if isinstance(x, bytes))
        try:
            text = decode_bytes(data, name=name, encoding=encoding, errors=errors)
        except InputError as exc:
            yield exc
            return
        yield from jsonl_lines(text)
        return
    offset = 0
    if isinstance(first, bytes) and first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
        offset = len(codecs.BOM_UTF8)
        encoding = "utf-8"  # the byte-order mark wins over --encoding, as for text files
    for raw in itertools.chain([first], lines):
        if isinstance(raw, _TooLong) and raw < 0:
            yield InputError(f"{name}: a line of more than {-int(raw):,} bytes and still no line break, over the "
                             f"limit of {limit:,}; stopped reading this input")
            return
        if isinstance(raw, _TooLong):
            yield InputError(f"{name}: line of {int(raw):,} bytes, over the limit of {limit:,}; "
                             "raise --max-chars (0 = no limit) or split the record")
            offset += int(raw)
            continue
        try:
            line = raw.decode(encoding, errors).rstrip("\r\n")
            yield from (_CR_BETWEEN_RECORDS.split(line) if "\r" in line else (line,))
        except UnicodeDecodeError as exc:
            yield InputError(
                f"{name}: invalid {exc.encoding} at byte offset {offset + exc.start}; pass --encoding with the "
                "file's real encoding, or --errors replace to substitute U+FFFD"
            )
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; use a Python codec name such as utf-8") from None
        offset += len(raw)


def _jsonl_records(
    lines: Iterable[str | InputError], name: str, id_field: str, text_field: str, max_chars: int | None,
    seen_ids: IdSet,
) -> Iterator[Record]:
    first = True
    numbered = enumerate(lines, start=1)
    ahead: list[tuple[int, str | InputError]] = []  # a line read ahead, at most one
    while True:
        lineno, line = ahead.pop() if ahead else next(numbered, (0, ""))
        if not lineno:
            return
        where = f"{name}:{lineno}"
        if isinstance(line, InputError):
            yield _failure(where, InputError(f"{where}: {str(line).partition(': ')[2] or line}"))
            continue
        if not line.strip():
            continue
        if first and line.strip() in ("{", "["):
            # Pretty-printed JSON, unless the next line is a record of its own: then this
            # line is one malformed record, and the records after it are read.
            ahead = list(itertools.islice(((k, x) for k, x in numbered if not isinstance(x, str) or x.strip()), 1))
            if not (ahead and isinstance(ahead[0][1], str) and _an_object(ahead[0][1])):
                yield _failure(where, InputError(
                    f"{where}: pretty-printed JSON (one value over several lines), not one record a line; name the "
                    "file .json, or write one record a line"))
                return
        first = False
        yield _checked(parse_record(line, where, id_field, text_field), max_chars, seen_ids, where)


def _nul_first(head: bytes) -> bool:
    """Whether ``head`` holds a NUL byte before any line that is a JSON object."""
    nul = head.find(b"\x00")
    return nul >= 0 and not any(_an_object(raw.decode("utf-8", "replace")) for raw in head[:nul].split(b"\n")[:-1])


def _an_object(line: str) -> bool:
    """Whether ``line`` is a JSON object on its own."""
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (write null, or the value as a string)")


def parse_record(line: str, where: str, id_field: str = "id", text_field: str = "text") -> Record:
    """One JSONL line as a :class:`Record`, or an error record naming what is wrong
    (malformed or non-standard JSON, too deep, not an object, unusable fields)."""
    try:
        obj = json.loads(line, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        # json's messages may end in "at" ("Unterminated string starting at"): one "at" is enough.
        return _failure(where, InputError(f"{where}: malformed JSON ({exc.msg.removesuffix(' at')} at column "
                                          f"{exc.colno})"))
    except ValueError as exc:  # NaN / Infinity, or an integer over Python's digit limit
        why = ("an integer of more than 4,300 digits" if "digits" in str(exc) else str(exc))
        return _failure(where, InputError(f"{where}: unreadable JSON: {why}"))
    except RecursionError:
        return _failure(where, InputError(f"{where}: JSON nested too deeply to read"))
    if not isinstance(obj, dict):
        hint = (" (a JSON list of records is read as such from a .json file, or with the default "
                "--input-format auto)") if isinstance(obj, list) else ""
        return _failure(where, InputError(f"{where}: a record must be a JSON object, got {type(obj).__name__}{hint}"))
    return record_of(obj, where, id_field, text_field)


def record_of(obj: Any, where: str, id_field: str = "id", text_field: str = "text") -> Record:
    """A mapping (a parsed JSON line, a Parquet row) as a :class:`Record` whose id, text and
    metadata every output format can write (see :func:`json_safe`), or an error record."""
    if not isinstance(obj, dict):
        return _failure(where, InputError(f"{where}: a record must be a JSON object, got {type(obj).__name__}"))
    try:
        raw_id = json_safe(obj.get(id_field), where)
    except InputError as exc:
        return _failure(where, InputError(str(exc).replace("a field", f"field {id_field!r}", 1)))
    # JSON's spelling of a non-string id (true, 1.5, {"a": 1}), as every output writes it back.
    id_ = where if raw_id is None else raw_id if isinstance(raw_id, str) else json.dumps(
        raw_id, ensure_ascii=False, sort_keys=True)
    if text_field not in obj:
        return _failure(
            id_,
            InputError(
                f"{where}: no {text_field!r} field (fields: {', '.join(sorted(obj)) or 'none'}); "
                "name the text field with --text-field"
            ),
        )
    value = obj[text_field]
    if not isinstance(value, str):
        return _failure(
            id_, InputError(f"{where}: field {text_field!r} must be a string, got {type(value).__name__}")
        )
    if _SURROGATE.search(value):
        return _failure(id_, _surrogate_message(where, f"field {text_field!r}", value))
    try:
        meta = {k: json_safe(v, f"{where}: field {k!r}") for k, v in obj.items() if k not in (id_field, text_field)}
        meta = json_safe(meta, where)
    except InputError as exc:
        return _failure(id_, exc)
    except RecursionError:
        return _failure(id_, InputError(f"{where}: fields nested too deeply"))
    return Record(id=id_, text=value, meta=meta)


def _parquet_records(path: str, id_field: str, text_field: str, max_chars: int | None,
                     seen_ids: IdSet) -> Iterator[Record]:
    """Rows of a Parquet file, read one record batch at a time (flat memory)."""
    require("pyarrow", f"{path}: reading Parquet")  # a missing extra stops the run (exit 2) with the fix
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        yield _failure(path, InputError(f"{path}: not a readable Parquet file ({exc})"))
        return
    row = 0
    name = display_name(path)
    with pf:
        batches = pf.iter_batches(batch_size=1024)
        while True:
            try:
                batch = next(batches, None)
            except Exception as exc:  # a damaged row group: report it, and the rows it held are lost with it
                yield _failure(f"{name}:row {row + 1}", InputError(f"{name}: rows from {row + 1} on cannot be "
                                                                     f"read ({exc})"))
                return
            if batch is None:
                return
            try:
                rows = batch.to_pylist()
            except Exception:  # a value Python cannot hold (a timestamp past year 9999...): row by row
                rows = []
                for i in range(batch.num_rows):
                    try:
                        rows.append(batch.slice(i, 1).to_pylist()[0])
                    except Exception as exc:
                        rows.append(InputError(f"{name}:row {row + i + 1}: a value cannot be read ({exc})"))
            for obj in rows:
                row += 1
                where = f"{name}:row {row}"
                rec = _failure(where, obj) if isinstance(obj, Exception) else record_of(obj, where, id_field,
                                                                                         text_field)
                yield _checked(rec, max_chars, seen_ids)


@dataclass
class Sink:
    """Where output goes, and what an earlier run already wrote (``--resume``).

    ``done`` holds the ids of the earlier output's records, ``lines`` their number and
    ``failed`` how many of them are error records. An id the earlier output holds ``k``
    times is skipped ``k`` times (:meth:`already_done`): a duplicate-id error record after
    the interruption point is written again, not dropped.
    """

    stream: TextIO
    done: IdSet
    lines: int = 0
    failed: int = 0
    repeats: dict[int, int] = field(default_factory=dict)
    _taken: IdSet = field(default_factory=IdSet)

    def already_done(self, id_: str) -> bool:
        """Whether this occurrence of ``id_`` was written by the earlier run (consumes it)."""
        if id_ not in self.done:
            return False
        if id_ not in self._taken:
            self._taken.add(id_)
            return True
        d = IdSet._digest(id_)
        left = self.repeats.get(d, 0)
        if left:
            self.repeats[d] = left - 1
            return True
        return False


def _copy_prefix(src: BinaryIO, dst: BinaryIO, n: int) -> None:
    while n > 0:
        chunk = src.read(min(n, 1 << 20))
        if not chunk:
            break
        dst.write(chunk)
        n -= len(chunk)


@dataclass
class _Prefix:
    size: int = 0
    ids: IdSet = field(default_factory=IdSet)
    lines: int = 0
    failed: int = 0
    repeats: dict[int, int] = field(default_factory=dict)


def _completed_prefix(path: Path, id_key: str) -> _Prefix:
    """The complete JSON lines at the start of an earlier output: their byte length, ids
    (with repeats), count and error records; reading stops at a torn or unparsable last
    line, and refuses one with more output after it. Streams: nothing but ids is kept."""
    out = _Prefix()
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break  # the torn last line of an interrupted run
            try:
                obj = json.loads(raw)
            except (ValueError, RecursionError):
                obj = None
            if not (isinstance(obj, dict) and id_key in obj):
                if fh.read(1):  # cutting here would drop the complete records after it
                    raise UsageError(f"{display_name(str(path))}: line {out.lines + 1} is not a record of framing's "
                                     "output and more output follows it; --resume would drop that output. Repair "
                                     "or remove the line, or write to a new file")
                break
            id_ = str(obj[id_key])
            if id_ in out.ids:
                d = IdSet._digest(id_)
                out.repeats[d] = out.repeats.get(d, 0) + 1
            out.ids.add(id_)
            out.lines += 1
            out.failed += "error" in obj
            out.size += len(raw)
    return out


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _stdin_is(path: Path) -> bool:
    """Whether standard input is read from ``path`` (``framing score - -o f < f``)."""
    try:
        a, b = os.fstat(0), os.stat(path)
    except (OSError, ValueError):
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _check_not_input(final: Path, inputs: Iterable[str], shown: str) -> None:
    """Refuse an output that is one of the inputs, or would be read as one by a later run
    over the same directory."""
    for p in inputs:
        if p == "-":
            if final.exists() and _stdin_is(final):
                raise UsageError(f"-o {shown} is also the input (standard input is read from it); writing it would "
                                 "destroy the input. Write the output elsewhere")
            continue
        if os.path.isdir(p):
            inside = os.path.commonpath([os.path.realpath(p), str(final)]) == os.path.realpath(p)
            if inside and final.name.lower().endswith(_DIR_SUFFIXES):
                raise UsageError(f"-o {shown} is inside the input directory {display_name(p)} and would be read as "
                                 "input by the next run; write it elsewhere")
        elif final.exists() and _same_file(p, str(final)):
            raise UsageError(f"-o {shown} is also an input ({display_name(p)}); writing it would destroy the input. "
                             "Write the output elsewhere")


try:  # POSIX: an advisory lock on the .partial file; elsewhere the rename stays atomic
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]


def check_output_path(path: str) -> Path:
    """The real path an ``-o`` file will be written to; :class:`UsageError` naming the fix
    when it is a directory or its directory does not exist (a wrong argument, not bad
    data: exit 2, checked before any work)."""
    shown = display_name(str(path))
    final = Path(os.path.realpath(path))  # through a symlink: the link stays a link
    if final.is_dir():
        raise UsageError(f"{shown}: is a directory; -o takes a file path")
    if not final.parent.is_dir():
        raise UsageError(f"{shown}: the directory {display_name(str(final.parent))} does not exist; create it "
                         "first (mkdir -p), or write the output elsewhere")
    return final


@contextlib.contextmanager
def open_output(path: str | None, stdout: TextIO, *, resume: bool = False, id_key: str = "id",
                inputs: Iterable[str] = ()) -> Iterator[Sink]:
    """Open the output so it is never half-written, never written over an input, and
    never shared between two runs.

    Output goes to ``PATH.partial`` in the same directory, renamed to ``PATH`` only
    when the run succeeds; an interrupted run leaves the old ``PATH`` untouched and
    a ``.partial`` file. With ``resume``, the complete lines of ``PATH.partial`` (or
    of ``PATH``) are kept, their ids returned in ``Sink.done``, and output appended;
    the earlier output is streamed, never held in memory.

    ``PATH`` may not be one of ``inputs`` (nor sit inside an input directory with a
    suffix that is read). A symbolic link is written through (the link stays, its target
    gets the output); an existing file keeps its permission bits; a device or FIFO
    (``/dev/null``, ``/dev/stdout``) is written in place, never renamed over. The ``.partial`` file is
    locked while a run writes it: a second run on the same ``PATH`` stops with an error.

    Raises
    ------
    UsageError
        When ``PATH`` is an input, a directory, or in a directory that does not exist.
    InputError
        When ``PATH`` cannot be written, or another run is writing it.
    """
    if path is None or path == "-":
        yield Sink(stdout, IdSet())
        return
    shown = display_name(str(path))
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except OSError:
        special = False
    if special:
        # A device or FIFO (-o /dev/null, /dev/stdout, a named pipe): written in place.
        # Renaming a file over it would replace the device node itself.
        if resume:
            raise UsageError(f"--resume needs -o to be a regular file; {shown} is a device or pipe")
        try:
            fh = open(path, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"{shown}: cannot write output ({exc.strerror or exc})") from None
        with fh:
            yield Sink(fh, IdSet())
        return
    final = check_output_path(path)
    _check_not_input(final, inputs, shown)
    partial = final.with_name(final.name + ".partial")
    prefix = _Prefix()
    try:
        had_partial = partial.exists()
        fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o666)
    except OSError as exc:
        raise InputError(f"{shown}: cannot write output ({exc.strerror or exc})") from None
    fh = os.fdopen(fd, "a", encoding="utf-8", newline="")
    try:
        if _fcntl is not None:
            try:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            except OSError:
                raise InputError(f"{shown}: another run is writing this output (its .partial file is locked); "
                                 "wait for it, or write elsewhere") from None
        try:
            if resume and had_partial:
                prefix = _completed_prefix(partial, id_key)
                os.ftruncate(fd, prefix.size)  # drop a torn last line; keep what is complete
            elif resume and final.exists():
                prefix = _completed_prefix(final, id_key)
                os.ftruncate(fd, 0)
                with open(final, "rb") as src, os.fdopen(os.dup(fd), "ab") as dst:
                    _copy_prefix(src, dst, prefix.size)
            else:
                os.ftruncate(fd, 0)
            if final.exists() and hasattr(os, "fchmod"):  # keep the permissions of the file it replaces
                os.fchmod(fd, stat.S_IMODE(final.stat().st_mode))
        except OSError as exc:
            raise InputError(f"{shown}: cannot write output ({exc.strerror or exc})") from None
        yield Sink(fh, prefix.ids, prefix.lines, prefix.failed, prefix.repeats)
        fh.flush()
        os.fsync(fh.fileno())
        os.replace(partial, final)  # while still locked: no other run can slip in between
    except UsageError:
        if not had_partial:  # a usage error stops before any work worth resuming: leave nothing behind
            with contextlib.suppress(OSError):
                partial.unlink()
        raise
    finally:
        fh.close()
