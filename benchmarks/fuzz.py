"""A long fuzz run: segment, analyze and the input readers on arbitrary text and bytes,
and a 50 MB single document scored in linear time.

Run: ``python benchmarks/fuzz.py [--examples 20000]``

Uses hypothesis with many more examples than the unit tests (which keep the same
properties at a few hundred examples). Properties: ``segment`` keeps its span
invariants; ``analyze`` never raises on any text and its profile counts every
sentence; ``decode_bytes`` returns text or raises ``InputError``; JSONL reading of
arbitrary bytes yields one record or one error per non-blank line. Then a 10 MB and a
50 MB document of real news text are scored end to end (time ratio near 5 = linear).

Writes ``benchmarks/results/fuzz.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import time

from _common import ROOT, peak_rss_mb, write_result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing
from framing import InputError
from framing._io import decode_bytes, iter_records


def check_spans(text: str) -> None:
    prev = 0
    for s, e in framing.segment(text):
        assert prev <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        prev = e


def run(examples: int) -> dict:
    cfg = settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    counts = {}

    @cfg
    @given(st.text())
    def fuzz_segment(text):
        check_spans(text)

    @cfg
    @given(st.text(max_size=2000))
    def fuzz_analyze(text):
        doc = framing.analyze(text)
        assert doc.profile["n_sentences"] == len(doc.sentences)

    @cfg
    @given(st.binary(max_size=2000))
    def fuzz_decode(data):
        try:
            decode_bytes(data, name="x")
        except InputError:
            pass

    @cfg
    @given(st.binary(max_size=2000))
    def fuzz_jsonl(data):
        lines = [ln for ln in data.decode("utf-8", "replace").splitlines() if ln.strip()]
        records = list(iter_records(["-"], input_format="jsonl", errors="replace", stdin=io.BytesIO(data)))
        assert len(records) in (len(lines), 1)  # one per line, or one error for undecodable input

    for name, fn in [("segment", fuzz_segment), ("analyze", fuzz_analyze), ("decode_bytes", fuzz_decode),
                     ("jsonl_reader", fuzz_jsonl)]:
        start = time.perf_counter()
        fn()
        counts[name] = {"examples": examples, "seconds": time.perf_counter() - start, "failures": 0}
        print(f"{name}: {examples} examples, no failure ({counts[name]['seconds']:.0f} s)", flush=True)
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
    big = big_documents()
    print(f"50 MB / 10 MB time ratio: {big[1]['time_ratio_vs_10mb']:.2f} (5.0 = linear)")
    path = write_result("fuzz", {"properties": counts, "big_documents": big})
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
