"""A long fuzz run: segment, analyze, the input readers and the writers on arbitrary
text, bytes and JSON values, and a 50 MB single document scored in linear time.

Run: ``python benchmarks/fuzz.py [--examples 20000]``

Uses hypothesis with many more examples than the unit tests (which keep the same
properties at a few hundred examples). Properties: ``segment`` keeps its span
invariants; ``analyze`` never raises on any text and its profile counts every
sentence; ``decode_bytes`` returns text or raises ``InputError``; JSONL reading of
arbitrary bytes yields exactly one record per non-blank line (the reader's own line
rules, stated here independently) and every record can be written as strict JSON in
UTF-8; JSON values of any kind (NaN, infinities, huge integers, lone surrogates, deep
nesting) give one writable record each; CSV output of any text reads back row for row
with no cell a formula; ``framing score`` of any JSONL (hostile lines included), cut
anywhere and resumed, gives the uninterrupted run's bytes. Then a 10 MB and a 50 MB
document of real news text are scored end to end (time ratio near 5 = linear).

For each property the result records the cases really tried (every call of the
property, shrinking included), the time, and the failures hypothesis found (0 when
none), with their messages. Writes ``benchmarks/results/fuzz.json``.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import re
import sys
import time

from _common import ROOT, peak_rss_mb, write_result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing import InputError
from framing._io import decode_bytes, iter_records
from framing._report import write_documents

_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def check_spans(text: str) -> None:
    prev = 0
    for s, e in framing.segment(text):
        assert prev <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        prev = e


def expected_jsonl_records(data: bytes) -> int:
    """How many records the JSONL reader must yield for ``data`` (``errors="replace"``):
    a stream with a NUL byte in its first 8 KiB before any line that is a JSON object is
    one (binary) error; a UTF-16/32 stream is decoded whole and split into lines; otherwise lines end
    at b"\\n" and at a carriage return between records ("}\\r{"; a UTF-8 byte-order mark
    is dropped), and a first line that is only "{" or "[" is one (pretty-printed JSON)
    error unless the next line is a JSON object. One record per line that is not blank."""
    head = data[:8192]
    nul = head.find(b"\x00")
    if nul >= 0 and not head.startswith(_WIDE_BOMS) and not any(
            _json_object(raw.decode("utf-8", "replace")) for raw in head[:nul].split(b"\n")[:-1]):
        return 1
    if data.startswith(_WIDE_BOMS):
        try:
            text = decode_bytes(data, name="x", errors="replace")
        except InputError:
            return 1
        return sum(1 for line in text.splitlines() if line.strip())
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    # A carriage return between "}" and "{" (spaces or tabs around it) ends a record too.
    kept = [part for raw in lines for part in re.split(r"(?<=\})[ \t]*\r[ \t\r]*(?=\{)",
                                                         raw.decode("utf-8", "replace").rstrip("\r\n"))
            if part.strip()]
    if kept and kept[0].strip() in ("{", "[") and not (len(kept) > 1 and _json_object(kept[1])):
        return 1
    return len(kept)


def _json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def writable(rec) -> None:
    obj = {"id": rec.id, "text": rec.text, "meta": rec.meta, "error": rec.error}
    json.dumps(obj, ensure_ascii=False, allow_nan=False).encode("utf-8")
    assert (rec.text is None) == (rec.error is not None)


_STR = st.text(max_size=8) | st.sampled_from(["\ud800", "a\udfff", "\udc80b"])
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(10**4000, 10**4400),
                  st.floats(allow_nan=True, allow_infinity=True), _STR)
_JSON = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                     max_size=3), max_leaves=12)
class _Raw(str):
    """A line written as it is (deep nesting), not JSON-encoded."""


_DEEP = st.integers(1, 3000).map(lambda n: _Raw("[" * n + "]" * n))


def prop_segment(text: str) -> None:
    check_spans(text)


def prop_analyze(text: str) -> None:
    doc = framing.analyze(text)
    assert doc.profile["n_sentences"] == len(doc.sentences)


def prop_decode(data: bytes) -> None:
    try:
        decode_bytes(data, name="x")
    except InputError:
        pass


def prop_jsonl(data: bytes) -> None:
    records = list(iter_records(["-"], input_format="jsonl", errors="replace", stdin=io.BytesIO(data)))
    assert len(records) == expected_jsonl_records(data), (len(records), expected_jsonl_records(data))
    for rec in records:
        writable(rec)


def prop_json_values(values: list) -> None:
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        # Only the deep-nesting lines go in raw: any other string (even one starting with
        # "[" and holding a line break) is a JSON value like the rest.
        lines = [v if isinstance(v, _Raw) else json.dumps(v) for v in values]
    finally:
        sys.set_int_max_str_digits(limit)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    records = list(iter_records(["-"], input_format="jsonl", stdin=io.BytesIO(data)))
    assert len(records) == len(lines)
    for rec in records:
        writable(rec)


def prop_csv(args: tuple[str, str]) -> None:
    text, id_ = args
    doc = framing.analyze(text, id=id_, attribution=False)
    for level in ("document", "sentence"):
        buf = io.StringIO()
        write_documents([doc, {"id": id_, "error": {"type": "InputError", "message": text}}], buf, "csv",
                        level=level)
        rows = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
        # A document without sentences keeps a row of its own at the sentence level too.
        assert len(rows) == 2 + (1 if level == "document" else max(1, len(doc.sentences)))
        assert not any(cell.startswith(_FORMULA) for row in rows[1:] for cell in row)


_HOSTILE_LINE = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}), st.sampled_from(["a", "b", "c", "d"]),
              st.text(max_size=80)),
    st.sampled_from([
        '{"id": "n", "text": "A.", "x": NaN}', '{"id": "h", "text": "B.", "n": ' + "7" * 5000 + "}",
        '{"id": "d", "text": "C.", "m": ' + "[" * 5000 + "]" * 5000 + "}", '{"id": "s", "text": "D \\ud800."}',
        '["x"]', '"text"', "{not json", "", '{"id": "e\\u001b[31m", "text": "=1+1, \\r -2"}',
    ]),
    st.text(max_size=30),
)


def prop_cli_resume(args: tuple[list[str], int, bytes]) -> None:
    """Scoring any JSONL, cut anywhere (a torn line included) and resumed, gives the
    uninterrupted run's bytes and exit code; one output line per non-blank input line."""
    import contextlib
    import tempfile
    from pathlib import Path

    from framing._cli import main

    lines, cut, torn = args
    with tempfile.TemporaryDirectory() as tmp:
        src, full, out = Path(tmp, "in.jsonl"), Path(tmp, "full.jsonl"), Path(tmp, "out.jsonl")
        src.write_bytes(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
        with contextlib.redirect_stderr(io.StringIO()):
            code = main(["score", str(src), "--format", "jsonl", "-o", str(full), "--no-progress"])
            done = full.read_bytes().splitlines(keepends=True)
            assert len(done) == expected_jsonl_records(src.read_bytes())
            for line in done:
                json.loads(line)
            Path(tmp, "out.jsonl.partial").write_bytes(b"".join(done[: cut % (len(done) + 1)]) + torn)
            again = main(["score", str(src), "--format", "jsonl", "-o", str(out), "--resume", "--no-progress"])
        assert out.read_bytes() == full.read_bytes() and again == code


PROPERTIES = [
    ("segment", prop_segment, st.text()),
    ("analyze", prop_analyze, st.text(max_size=2000)),
    ("decode_bytes", prop_decode, st.binary(max_size=2000)),
    ("jsonl_reader", prop_jsonl, st.binary(max_size=2000) | st.lists(
        st.sampled_from([b"{", b"}", b'"text"', b":", b'"a"', b",", b"\n", b"\r", b" ", b"NaN", b"\x00", b"\xff",
                         b"[", b"]", b"1" * 50, codecs.BOM_UTF8]), max_size=60).map(b"".join)),
    ("json_values", prop_json_values, st.lists(
        st.one_of(_JSON, _DEEP, st.fixed_dictionaries({"text": _STR}, optional={"id": _JSON, "x": _JSON})),
        min_size=1, max_size=4)),
    ("csv_writer", prop_csv, st.tuples(st.text(alphabet="=+-@\t\r\n,\"' aB.", min_size=1, max_size=40),
                                       st.text(alphabet="=+-@\t\r\n,\"' aB.", min_size=1, max_size=12))),
    ("cli_resume", prop_cli_resume, st.tuples(st.lists(_HOSTILE_LINE, max_size=8), st.integers(0, 20),
                                              st.sampled_from([b"", b'{"id": "a", "sen', b"\xff"]))),
]


def run_property(name: str, prop, strategy, examples: int) -> dict:
    """Run one property; returns the cases tried, the time and the failures found."""
    tried = 0

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              report_multiple_bugs=True)
    @given(strategy)
    def fuzz(x):
        nonlocal tried
        tried += 1
        prop(x)

    failures: list[str] = []
    start = time.perf_counter()
    try:
        fuzz()
    except Exception as exc:  # hypothesis re-raises what it found (several as a group)
        found = getattr(exc, "exceptions", None) or [exc]
        failures = [f"{type(e).__name__}: {e}"[:1000] for e in found]
    seconds = time.perf_counter() - start
    return {"examples": tried, "requested": examples, "seconds": seconds, "failures": len(failures),
            "failure_messages": failures}


def run(examples: int) -> dict:
    counts = {}
    for name, prop, strategy in PROPERTIES:
        counts[name] = r = run_property(name, prop, strategy, examples)
        verdict = "no failure" if not r["failures"] else f"{r['failures']} FAILURE(S): {r['failure_messages'][0]}"
        print(f"{name}: {r['examples']} cases tried, {verdict} ({r['seconds']:.0f} s)", flush=True)
    return counts


def big_documents() -> list[dict]:
    with (ROOT / "labels" / "docs.jsonl").open(encoding="utf-8") as fh:
        corpus = "\n\n".join(json.loads(line)["text"] for line in fh)
    rows = []
    for mb in (10, 50):
        text = (corpus * (mb * 1_000_000 // len(corpus) + 1))[: mb * 1_000_000]
        start = time.perf_counter()
        doc = framing.analyze(text)
        seconds = time.perf_counter() - start
        rows.append({"mb": mb, "seconds": seconds, "sentences": len(doc.sentences), "peak_rss_mb": peak_rss_mb()})
        print(f"{mb} MB document: {len(doc.sentences):,} sentences in {seconds:.1f} s", flush=True)
    rows[1]["time_ratio_vs_10mb"] = rows[1]["seconds"] / rows[0]["seconds"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000)
    args = parser.parse_args()
    counts = run(args.examples)
    failed = sum(c["failures"] for c in counts.values())
    big = big_documents()
    print(f"50 MB / 10 MB time ratio: {big[1]['time_ratio_vs_10mb']:.2f} (5.0 = linear)")
    path = write_result("fuzz", {"properties": counts, "big_documents": big})
    print(f"wrote {path.relative_to(ROOT)}")
    if failed:
        raise SystemExit(f"{failed} property failure(s); see the results file")


if __name__ == "__main__":
    main()
