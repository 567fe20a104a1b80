"""The ``framing`` command line: a thin face over the library's pipeline.

Standard output carries data only; messages go to standard error. Exit codes:
0 ok, 1 a data error (some input could not be processed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import itertools
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from ._document import LABELS
from ._errors import FramingError, InputError, UsageError, require
from ._io import DEFAULT_MAX_CHARS, INPUT_FORMATS, check_encoding, iter_records, jsonl_lines
from ._report import FORMATS, SHARD_FORMATS, printable, write_documents
from ._segment import segment
from ._version import __version__

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        # main() prints "framing: error: ..."; name the subcommand, not the program twice.
        where = self.prog.removeprefix("framing").strip()
        raise UsageError(f"{where}: {message}" if where else message)


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", default=["-"], metavar="PATH",
                   help="text, HTML or JSONL files, directories, or - for standard input (default)")
    p.add_argument("--input-format", choices=list(INPUT_FORMATS), default="auto",
                   help="auto: .jsonl, .ndjson, .json and .parquet files (and input opening a JSON object) are "
                        "records, anything else but tables one document per file")
    p.add_argument("--id-field", default="id", help="id field of JSONL/Parquet records (default: id)")
    p.add_argument("--text-field", default="text", help="text field of JSONL/Parquet records (default: text)")
    p.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8; BOMs are honoured)")
    p.add_argument("--errors", default="strict", choices=["strict", "replace", "ignore"],
                   help="what to do with undecodable bytes (default: strict = report the file)")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"longest document accepted, in characters (default: {DEFAULT_MAX_CHARS:,}; 0 = no limit)")


def _records(args: argparse.Namespace, stdin=None):
    if args.max_chars < 0:
        raise UsageError("--max-chars must be 0 (no limit) or a positive number")
    check_encoding(args.encoding, option="--encoding")  # named as the option, before any record
    if stdin is None and "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        # Otherwise a new user sees nothing happen: say what the command is waiting for.
        _say("framing: reading a document from standard input; type or paste it, then Ctrl-D "
             "(or pass file paths: framing score article.txt)")
    return iter_records(
        args.paths,
        input_format=args.input_format,
        id_field=args.id_field,
        text_field=args.text_field,
        encoding=args.encoding,
        errors=args.errors,
        max_chars=args.max_chars or None,
        stdin=stdin,
    )


# Everything a reader may show as a new line, so "one sentence a line" holds.
_LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")

_MAX_BATCH = 10_000
"""Largest --batch-size: a batch of documents is held in memory whole."""


def _documents(n: int) -> str:
    return f"{n:,} document" + ("" if n == 1 else "s")


def _say(message: str) -> None:
    """A message on standard error, with control characters from the data escaped."""
    print(printable(message), file=sys.stderr)


def _cmd_segment(args: argparse.Namespace, out: TextIO) -> int:
    failed = done = 0
    for record in _records(args):
        if record.error is not None:
            failed += 1
            _say(f"framing segment: {record.error['message']}")
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
                out.write(_LINE_BREAKS.sub(" ", record.text[start:end]) + "\n")
        if args.format == "text":
            out.write("\n")
    _say(f"framing segment: {_documents(done)} segmented, {failed:,} failed")
    return 1 if failed else 0


def _default_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output:
        suffix = args.output.rsplit(".", 1)[-1].lower()
        return {"html": "html", "htm": "html", "csv": "csv", "json": "json", "jsonl": "jsonl"}.get(suffix, "jsonl")
    return "table" if sys.stdout.isatty() else "jsonl"


def _check_jobs(jobs: int) -> None:
    if jobs == 0 or jobs < -1:
        raise UsageError("--jobs takes a positive number of processes, or -1 for all cores")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or file-like stream without a terminal
        return False


def _progress(items, enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return items
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety; scoring goes on without it
        return items
    return tqdm(items, unit="doc", file=sys.stderr, leave=False)


def _reported(items):
    """Pass items through, telling standard error about each failed record."""
    for item in items:
        if isinstance(item, dict) and "error" in item:
            message = item["error"]["message"]
            where = "" if message.startswith(str(item["id"])) else f"{item['id']}: "
            _say(f"framing score: {where}{message}")
        yield item


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    from ._api import load_model, score_records
    from ._io import open_output

    fmt = _default_format(args)
    if args.level == "sentence" and fmt != "csv":
        raise UsageError("--level sentence applies to --format csv only")
    _check_jobs(args.jobs)
    if args.batch_size < 1:
        raise UsageError("--batch-size takes a positive number of documents")
    if args.batch_size > _MAX_BATCH:  # a batch is held in memory whole; output does not depend on it
        _say(f"framing score: --batch-size {args.batch_size} capped at {_MAX_BATCH:,}")
        args.batch_size = _MAX_BATCH
    cpus = os.cpu_count() or 1
    if args.jobs > cpus:
        _say(f"framing score: --jobs {args.jobs} capped at {cpus}, the number of CPUs")
    args.jobs = cpus if args.jobs == -1 else min(args.jobs, cpus)
    check_encoding(args.encoding, option="--encoding")
    if args.resume and (fmt != "jsonl" or not args.output):
        raise UsageError("--resume needs -o OUT with --format jsonl (the only format that can be continued)")
    model = load_model(args.model)
    if args.engine == "dask":
        return _score_with_dask(args, model)
    with open_output(args.output, out, resume=args.resume, id_key="id", inputs=args.paths) as sink:
        records = (r for r in _records(args) if not sink.already_done(r.id))
        items = score_records(records, model=model, explain=args.explain, n_jobs=args.jobs,
                              batch_size=args.batch_size, render_jsonl=fmt == "jsonl",
                              attribution=not args.no_attribution)
        # A table on the terminal is its own progress; a bar there would run into its lines.
        on_terminal = fmt == "table" and not args.output and _isatty(out)
        width = shutil.get_terminal_size().columns if on_terminal else None
        colour = on_terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        ok, failed = write_documents(_reported(_progress(items, not args.no_progress and not on_terminal)),
                                     sink.stream, fmt, level=args.level, width=width, colour=colour)
    skipped = sink.lines
    earlier = f" ({sink.failed} of them failed)" if sink.failed else ""
    _say(f"framing score: {_documents(ok)} scored, {failed:,} failed"
         + (f", {skipped} already done (--resume){earlier}" if skipped else ""))
    # The exit code says whether the output holds error records, resumed or not.
    return 1 if failed or sink.failed else 0


def _score_with_dask(args: argparse.Namespace, model) -> int:
    """Sharded JSONL in, sharded JSONL out, on a Dask scheduler (or a local cluster)."""
    if not args.output:
        raise UsageError("--engine dask writes shards: pass -o DIR for the part-NNNNN.jsonl files")
    if any(p == "-" for p in args.paths):
        raise UsageError("--engine dask reads files: pass JSONL or Parquet file paths or globs, not -")
    fmt_in = args.input_format
    if fmt_in == "auto":
        kinds = {"parquet" if p.lower().endswith(".parquet") else "jsonl" if p.lower().endswith(".jsonl") else None
                 for p in args.paths}
        if len(kinds) != 1 or None in kinds:
            raise UsageError("--engine dask reads .jsonl or .parquet files (one kind per run); "
                             "name the kind with --input-format jsonl|parquet")
        fmt_in = kinds.pop()
    if fmt_in not in SHARD_FORMATS:
        raise UsageError("--engine dask reads JSONL or Parquet: pass --input-format jsonl or parquet")
    out_dir = os.path.realpath(args.output)
    for pattern in args.paths:
        for p in glob.glob(pattern) or [pattern]:
            if os.path.dirname(os.path.realpath(p)) == out_dir or os.path.realpath(p) == out_dir:
                raise UsageError(f"-o {args.output} holds the input {p}: the shards would be written over the "
                                 "input; write them to another directory")
    from .distributed import _require_dask, score_shards

    _require_dask()
    from distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=max(1, args.jobs if args.jobs > 0 else os.cpu_count() or 1),
                                     threads_per_worker=1, dashboard_address=None))
    with client:
        ok, failed = score_shards(args.paths, args.output, model=model, text_field=args.text_field,
                                  id_field=args.id_field, explain=args.explain, input_format=fmt_in,
                                  output_format=args.shard_format)
    _say(f"framing score: {_documents(ok)} scored, {failed:,} failed (Dask, shards in {args.output})")
    return 1 if failed else 0


def _is_scored(obj: object, text_field: str = "text") -> bool:
    """A record of framing's scored output: sentences and a profile, or an error record
    (id and error only); never a record with the text field being read."""
    if not isinstance(obj, dict) or text_field in obj or "text" in obj:
        return False
    return (isinstance(obj.get("sentences"), list) and "profile" in obj) or (
        "error" in obj and set(obj) <= {"id", "error", "meta"})


_SNIFF_CHARS = 8 << 20  # enough for the first records of scored output; a text file is not read whole


def _first_record_scored(lines, text_field: str = "text") -> bool:
    """Whether the first record of ``lines`` that parses (of the first five non-blank
    lines: one damaged line does not hide what the file is) is framing's scored output."""
    for line in itertools.islice((line for line in lines if line.strip()), 5):
        try:
            return _is_scored(json.loads(line.removeprefix("\ufeff")), text_field)
        except (ValueError, RecursionError):
            continue
    return False


def _scored_json(text: str, text_field: str = "text") -> list | None:
    """The records of framing's scored output written as one JSON value (``--format json``:
    one object or a list), else None."""
    try:
        obj = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return None
    items = obj if isinstance(obj, list) else [obj]
    return items if items and all(_is_scored(o, text_field) for o in items) else None


def _one_json_value(head: str) -> bool:
    """Whether text starting with ``head`` may be one JSON value over several lines (a list,
    or an object whose first line is not the whole record)."""
    start = head.removeprefix("\ufeff").lstrip()
    return start.startswith("[") or (start.startswith("{") and start.split("\n", 1)[0].strip() == "{")


def _scored_records(objs, where: str, seen: set[str], failed: list[dict]):
    """Scored records as they are; error records, malformed lines and repeated ids go to ``failed``."""
    from ._profile import scored_document

    for n, obj in objs:
        if isinstance(obj, Exception):
            failed.append({"id": f"{where}:{n}", "message": f"malformed JSON ({obj})"})
            continue
        ident = str(obj.get("id", f"{where}:{n}")) if isinstance(obj, dict) else f"{where}:{n}"
        if not isinstance(obj, dict) or "error" in obj or not isinstance(obj.get("sentences"), list):
            err = obj.get("error") if isinstance(obj, dict) else None
            message = (err.get("message") if isinstance(err, dict) else err) or "not a scored record"
            failed.append({"id": ident, "message": str(message)})
            continue
        try:
            scored_document(obj)  # a damaged record is reported here, not fatal to the whole comparison
        except InputError as exc:
            failed.append({"id": ident, "message": f"{where}:{n}: {exc}"})
            continue
        if ident in seen:
            failed.append({"id": ident, "message": f"{where}:{n}: the id {ident!r} was read before; counted once"})
            continue
        seen.add(ident)
        yield obj


def _json_lines(lines):
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield n, exc


def _compare_inputs(args: argparse.Namespace, model, failed: list[dict]):
    """Every input's documents: framing's scored output read as it is, anything else scored now.

    Files are recognised as scored output by their first records (``.json``: by its whole
    content), standard input by its first lines. An id read twice is counted
    once and the repeat reported, whichever kind of input it came from.
    """
    import io

    from ._api import score_records
    from ._io import _expand, display_name

    seen: set[str] = set()
    raw, stdin = [], None
    for path, problem in _expand(args.paths):  # files of a directory, one by one, like named files
        if problem is not None:
            failed.append({"id": display_name(path), "message": str(problem)})
        elif path == "-":
            if stdin is not None:  # standard input is read once, however often it is named
                continue
            if sys.stdin is not None and sys.stdin.isatty():
                _say("framing: reading documents from standard input; paste them, then Ctrl-D "
                     "(or pass file paths: framing compare scored.jsonl --by outlet)")
            stdin = sys.stdin.buffer.read()
            text = stdin.decode("utf-8", "replace")
            lines = jsonl_lines(text)
            if _one_json_value(text) and (items := _scored_json(text, args.text_field)) is not None:
                yield from _scored_records(enumerate(items, 1), "<stdin>", seen, failed)
            elif _first_record_scored(lines, args.text_field):
                yield from _scored_records(_json_lines(lines), "<stdin>", seen, failed)
            else:
                raw.append(path)
        elif os.path.isfile(path) and not path.lower().endswith(".parquet"):
            # Scored output is recognised by its first records (or, written as one JSON value,
            # by its whole content), whatever the file is called.
            with open(path, encoding="utf-8-sig", errors="replace", newline="\n") as fh:
                head = fh.read(_SNIFF_CHARS)
                if _one_json_value(head):
                    items = _scored_json(head + fh.read(), args.text_field)
                    if items is not None:
                        yield from _scored_records(enumerate(items, 1), path, seen, failed)
                        continue
            if not _first_record_scored(jsonl_lines(head), args.text_field):
                raw.append(path)
                continue
            with open(path, encoding="utf-8-sig", errors="replace", newline="\n") as fh:
                yield from _scored_records(_json_lines(fh), path, seen, failed)
        else:
            raw.append(path)
    if raw:
        reading = argparse.Namespace(**{**vars(args), "paths": raw})
        records = _records(reading, stdin=io.BytesIO(stdin) if stdin is not None else None)
        for item in score_records(records, model=model, n_jobs=args.jobs, attribution=True):
            if isinstance(item, dict) and "error" in item:
                failed.append({"id": str(item["id"]), "message": item["error"]["message"]})
            elif item.id in seen:
                failed.append({"id": item.id, "message": f"the id {item.id!r} was read before; counted once"})
            else:
                seen.add(item.id)
                yield item


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    from ._api import load_model
    from ._comparison import render_comparison_html, write_comparison_csv
    from ._io import open_output
    from ._profile import corpus_profile

    if args.ci != 0 and not 0 < args.ci < 1:
        raise UsageError("--ci takes a confidence level between 0 and 1, such as 0.9 (0: no intervals)")
    if args.bootstrap < 10:
        raise UsageError("--bootstrap takes 10 resamples or more (default 1000)")
    if args.seed < 0:
        raise UsageError("--seed takes a number from 0 up")
    check_encoding(args.encoding, option="--encoding")
    _check_jobs(args.jobs)
    fmt = args.format or {"html": "html", "htm": "html", "csv": "csv"}.get(
        (args.output or "").rsplit(".", 1)[-1].lower(), "json")
    model = load_model(args.model)
    inputs = list(args.paths)  # every input, scored or not, is protected from being the output
    if args.output and args.output != "-":
        from ._io import _check_not_input, check_output_path

        _check_not_input(check_output_path(args.output), inputs, args.output)  # before reading: no work lost
    failed: list[dict] = []
    result = corpus_profile(_compare_inputs(args, model, failed), by=args.by, adjust=not args.no_adjust,
                            method=args.method, ci=None if args.ci == 0 else args.ci, n_bootstrap=args.bootstrap,
                            seed=args.seed, model=model)
    result["failed"] = failed
    for f in failed:
        _say(f"framing compare: {f['id']}: {f['message']}")
    with open_output(args.output, out, resume=False, id_key="id", inputs=inputs) as sink:
        if fmt == "html":
            sink.stream.write(render_comparison_html(result))
        elif fmt == "csv":
            write_comparison_csv(result, sink.stream)
        else:
            sink.stream.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    n = sum(g["n_documents"] for g in result["groups"].values())
    k = len(result["groups"])
    _say(f"framing compare: {_documents(n)} in {k:,} group{'' if k == 1 else 's'}, {len(failed):,} failed")
    return 1 if failed else 0


def _cmd_train(args: argparse.Namespace, out: TextIO) -> int:
    require("sklearn", "framing train")
    require("datasets", "framing train")
    from ._train import train

    _check_jobs(args.jobs)
    model = train(args.labelled, seed=args.seed, C=args.C, text_column=args.text_column,
                  label_column=args.label_column, doc_column=args.doc_column,
                  train_splits=tuple(args.splits.split(",")), n_jobs=args.jobs, verbose=True)
    path = model.save(args.output)
    metrics = model.meta.get("metrics", {})
    summary = {k: {"macro_f1": v.get("macro_f1"), "accuracy": v.get("accuracy")}
               for k, v in metrics.items() if isinstance(v, dict) and "macro_f1" in v}
    out.write(json.dumps({"model": str(path), "metrics": summary}, indent=2) + "\n")
    return 0


def _cmd_benchmark(args: argparse.Namespace, out: TextIO) -> int:
    import os

    from ._api import load_model
    from ._benchmark import run_benchmark

    require("datasets", "framing benchmark")

    baselines_train = None
    if args.baselines:
        baselines_train = args.baselines_train or ("labels/sentences.jsonl" if os.path.exists("labels/sentences.jsonl")
                                                   else None)
        if baselines_train is None:
            raise UsageError("--baselines needs the project's labelled train split: pass --baselines-train PATH")
    report = run_benchmark(args.dataset, model=load_model(args.model), split=args.split,
                           text_column=args.text_column, label_column=args.label_column,
                           doc_column=args.doc_column, baselines_train=baselines_train)
    out.write(render_benchmark(report, args.format))
    return 0


def _f3(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def render_benchmark(report: dict, fmt: str) -> str:
    """Render a benchmark report as JSON (4 decimals), a Markdown table or a plain table."""
    from ._report import SHORT

    if fmt == "json":
        from ._metrics import rounded

        return json.dumps(rounded(report, 4), indent=2) + "\n"
    rows = [("framing", report), *list(report.get("baselines", {}).items())]
    if fmt == "markdown":
        lines = ["| model | accuracy | macro-F1 | " + " | ".join(f"F1 {lab}" for lab in LABELS) + " |",
                 "|---|---|---|" + "---|" * len(LABELS)]
        for name, r in rows:
            lines.append(f"| {name} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | "
                         + " | ".join(_f3(r['per_label'][lab]['f1']) for lab in LABELS) + " |")
    else:
        width = max(14, *(len(name) + 2 for name, _ in rows))
        heads = [f"F1 {SHORT[lab].lower()}" for lab in LABELS]
        lines = [f"{'model':<{width}}{'accuracy':>10}{'macro-F1':>10}" + "".join(f"{h:>13}" for h in heads)]
        for name, r in rows:
            lines.append(f"{name:<{width}}{r['accuracy']:>10.3f}{r['macro_f1']:>10.3f}"
                         + "".join(f"{_f3(r['per_label'][lab]['f1']):>13}" for lab in LABELS))
        lines.append("(F1 state = state_media_quote, official = official_claim, analyst = analyst_assessment, "
                     "reporter = reporter_narration)")
    lines.append("")
    lines.append(f"n={report['n']}  ece={report.get('ece', 0):.3f}  "
                 f"sentences/s={report.get('sentences_per_second', 0):,.0f}"
                 + (f"  profile MAE={report['profile_error']['mae']:.3f}" if "profile_error" in report else ""))
    lines.append("confusion matrix (rows gold, columns predicted): " + ", ".join(LABELS))
    for lab, row in zip(LABELS, report["confusion_matrix"], strict=False):
        lines.append(f"  {lab:<20}" + "".join(f"{v:>7}" for v in row))
    return "\n".join(lines) + "\n"


_EXAMPLES = """examples:
  framing score article.txt                       a readable table on a terminal
  framing score articles/ -o scored.jsonl         every file of a directory, one JSON line each
  framing score corpus.jsonl --format csv -o profiles.csv
  framing score corpus.jsonl -o report.html       a self-contained HTML report
  framing segment article.txt --format text       the sentences, one a line
  framing compare scored.jsonl --by outlet -o comparison.html
  framing compare corpus.jsonl --by outlet --by date:year --format csv
  framing benchmark labels/sentences.jsonl --split test
  framing train labels/sentences.jsonl -o my-model && framing score article.txt --model my-model

Exit codes: 0 ok, 1 a document or data error (the other documents are still written), 2 usage error.
"""

_LABELLED_FIELDS = (
    "A labelled set has one row per sentence (JSONL, CSV or Parquet): 'text' (the sentence), 'label' (one of "
    + ", ".join(LABELS) + "), 'doc_id' (its document, so folds and profiles keep documents whole) and, "
    "optionally, 'split' (train, dev or test; test rows are never trained on), 'sentence_index' (its order in the "
    "document), 'gap' (the white space before it, so the article's text is rebuilt exactly) and "
    "'speaker_role' (non_governing, independent_media or unnamed on narration relayed from a "
    "speaker, for the speaker-role component). labels/sentences.jsonl is an example."
)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="framing", description="Show how a news article frames what it reports: whose voice "
                     "(state media, officials, analysts, the reporter) carries each sentence.",
                     epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("segment", help="split documents into sentences (character offsets)")
    _add_input_options(p)
    p.add_argument("--format", choices=["jsonl", "text"], default="jsonl",
                   help="jsonl: one object per sentence (doc_id, index, start, end, text); text: one per line")
    p.set_defaults(handler=_cmd_segment)

    p = sub.add_parser("score", help="label every sentence and profile each document")
    _add_input_options(p)
    p.add_argument("--format", choices=list(FORMATS), default=None,
                   help="table (default on a terminal), json, jsonl (default otherwise), csv or html")
    p.add_argument("--level", choices=["document", "sentence"], default="document",
                   help="csv rows: one per document (default) or per sentence")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of standard output")
    p.add_argument("--model", metavar="DIR", help="model directory (default: the shipped model)")
    p.add_argument("--explain", action="store_true", help="attach the features behind each sentence's label")
    p.add_argument("--no-attribution", action="store_true",
                   help="leave out each attributed sentence's cue and source (the profile's sources then come "
                        "from the lexicons; barely faster with the shipped model, whose features use the tagger)")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes (-1 = all cores; at most the number of CPUs; output is identical)")
    p.add_argument("--batch-size", type=int, default=64,
                   help=f"documents per batch (default 64, at most {_MAX_BATCH:,}; output does not depend on it)")
    p.add_argument("--resume", action="store_true",
                   help="with -o OUT (jsonl): skip documents whose id is already in OUT and append the rest")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="dask: score JSONL shards on a Dask cluster (needs the dask extra); -o is then a directory")
    p.add_argument("--shard-format", choices=list(SHARD_FORMATS), default="jsonl",
                   help="with --engine dask: write part-NNNNN.jsonl (default) or part-NNNNN.parquet shards")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://host:8786 (default: a local cluster)")
    p.set_defaults(handler=_cmd_score)

    p = sub.add_parser("compare", help="compare groups of documents: corrected shares with intervals", description=(
        "Label shares per group of documents (by outlet, date, any metadata field), corrected for the model's "
        "held-out errors, with bootstrap intervals and every pairwise difference. Reads text, JSONL or Parquet "
        "records (scored now) or the JSONL output of framing score (read as it is)."))
    _add_input_options(p)
    p.add_argument("--by", action="append", metavar="FIELD",
                   help="metadata field to group by (repeat for several; FIELD:month or FIELD:year groups a date)")
    p.add_argument("--method", choices=["cc", "pcc", "acc", "pacc", "em"], default=None,
                   help="share correction (default: the one chosen for the model on held-out outlets)")
    p.add_argument("--no-adjust", action="store_true", help="naive shares only (no correction)")
    p.add_argument("--ci", type=float, default=0.9, help="interval level (default 0.9; 0 = no intervals)")
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples of documents (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="seed of the resampling (same seed, same intervals)")
    p.add_argument("--format", choices=["json", "csv", "html"], default=None,
                   help="json (default), csv (one row per group) or html (a report); follows -o's suffix")
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of standard output")
    p.add_argument("--model", metavar="DIR", help="the model that scores (and whose error rates correct)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes for documents scored now (-1 = all cores)")
    p.set_defaults(handler=_cmd_compare)

    p = sub.add_parser("train", help="train a model from labelled sets", description=(
        "Train a sentence model from labelled sentences. " + _LABELLED_FIELDS + " Hyper-parameters are chosen by "
        "cross-validation grouped by document; progress goes to standard error. Needs the train extra."))
    p.add_argument("labelled", nargs="+", metavar="LABELLED", help="JSONL/CSV/Parquet files or directories")
    p.add_argument("-o", "--output", default="framing-model", metavar="MODEL_DIR",
                   help="model directory to write (default: framing-model)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same data and seed give identical files)")
    p.add_argument("--C", type=float, default=None, help="regularisation (default: chosen by grouped CV)")
    p.add_argument("--splits", default="train,dev", help="splits to train on (default: train,dev; never test)")
    p.add_argument("--jobs", type=int, default=1,
                   help="worker processes for the features, the C search and the dev and final models (-1 = all cores; "
                        "the model files do not depend on it)")
    p.add_argument("--text-column", default="text", help="column holding the sentence text (default: text)")
    p.add_argument("--label-column", default="label", help="column holding the label (default: label)")
    p.add_argument("--doc-column", default="doc_id",
                   help="column naming each sentence's document; folds never split a document (default: doc_id)")
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser("benchmark", help="evaluate a model on a labelled set", description=(
        "Score every document of a labelled set and compare with its labels: accuracy, macro-F1, per-label F1, "
        "calibration (ECE), the confusion matrix and the error of document profiles. " + _LABELLED_FIELDS
        + " Needs the train extra."))
    p.add_argument("dataset", metavar="DATASET",
                   help="JSONL/CSV/Parquet file or directory, or hf:OWNER/NAME for a Hugging Face hub dataset")
    p.add_argument("--model", metavar="DIR", help="model directory (default: the shipped model)")
    p.add_argument("--split", default=None, help="evaluate only rows of this split (e.g. test)")
    p.add_argument("--text-column", default="text", help="column holding the sentence text (default: text)")
    p.add_argument("--label-column", default="label", help="column holding the label (default: label)")
    p.add_argument("--doc-column", default="doc_id", help="document column, for profile error (default: doc_id)")
    p.add_argument("--format", choices=["table", "json", "markdown"], default="table",
                   help="table (default), json (every figure) or markdown")
    p.add_argument("--baselines", action="store_true",
                   help="add majority, keyword-rule and bag-of-words baselines (trained on the train split)")
    p.add_argument("--baselines-train", metavar="PATH",
                   help="labelled set whose 'train' split trains the baselines (default: labels/sentences.jsonl)")
    p.set_defaults(handler=_cmd_benchmark)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        parser = _build_parser()
        args = parser.parse_args(argv)
        handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
        code = handler(args, sys.stdout)
        sys.stdout.flush()  # a full device fails here, inside the handlers below
        return code
    except FramingError as exc:
        _say(f"framing: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("framing: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, and keep Python from complaining
        # about the unflushed rest of standard output at exit.
        _drop_stdout()
        return 0
    except OSError as exc:
        # Disk full, quota, an I/O error while writing: an -o file was not replaced (what
        # it held is safe; its .partial file can be resumed). Say what happened, no traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"framing: error: {where}{exc.strerror or exc}; the output is incomplete (an -o file keeps its old "
             "content, and --resume continues a JSONL run)")
        try:
            sys.stdout.flush()
        except OSError:
            _drop_stdout()
        return 1


def _drop_stdout() -> None:
    """Point standard output at the null device (its pending data cannot be written)."""
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
