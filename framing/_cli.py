"""The ``framing`` command line: a thin face over the library's pipeline.

Standard output carries data only; messages go to standard error. Exit codes:
0 ok, 1 a data error (some input could not be processed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from ._errors import FramingError, UsageError
from ._io import DEFAULT_MAX_CHARS, iter_records
from ._segment import segment
from ._version import __version__

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", default=["-"], metavar="PATH",
                   help="text, HTML or JSONL files, directories, or - for standard input (default)")
    p.add_argument("--input-format", choices=["auto", "text", "jsonl"], default="auto",
                   help="auto: .jsonl files are records, anything else one document per file")
    p.add_argument("--id-field", default="id", help="id field of JSONL records (default: id)")
    p.add_argument("--text-field", default="text", help="text field of JSONL records (default: text)")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8; BOMs are honoured)")
    p.add_argument("--errors", default="strict", choices=["strict", "replace", "ignore"],
                   help="what to do with undecodable bytes (default: strict = report the file)")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"longest document accepted, in characters (default: {DEFAULT_MAX_CHARS:,}; 0 = no limit)")


def _records(args: argparse.Namespace):
    if args.max_chars < 0:
        raise UsageError("--max-chars must be 0 (no limit) or a positive number")
    return iter_records(
        args.paths,
        input_format=args.input_format,
        id_field=args.id_field,
        text_field=args.text_field,
        encoding=args.encoding,
        errors=args.errors,
        max_chars=args.max_chars or None,
    )


def _cmd_segment(args: argparse.Namespace, out: TextIO) -> int:
    failed = done = 0
    for record in _records(args):
        if record.error is not None:
            failed += 1
            print(f"framing segment: {record.error['message']}", file=sys.stderr)
            if args.format == "jsonl":
                out.write(json.dumps({"doc_id": record.id, "error": record.error}, ensure_ascii=False) + "\n")
            continue
        assert record.text is not None
        done += 1
        for index, (start, end) in enumerate(segment(record.text)):
            if args.format == "jsonl":
                row = {"doc_id": record.id, "index": index, "start": start, "end": end,
                       "text": record.text[start:end]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                out.write(record.text[start:end].replace("\n", " ") + "\n")
        if args.format == "text":
            out.write("\n")
    print(f"framing segment: {done} documents segmented, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="framing", description="Show how a news article frames what it reports.")
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("segment", help="split documents into sentences (character offsets)")
    _add_input_options(p)
    p.add_argument("--format", choices=["jsonl", "text"], default="jsonl",
                   help="jsonl: one object per sentence (doc_id, index, start, end, text); text: one per line")
    p.set_defaults(handler=_cmd_segment)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        parser = _build_parser()
        args = parser.parse_args(argv)
        handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
        return handler(args, sys.stdout)
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("framing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
