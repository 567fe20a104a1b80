"""Scale: ``framing score`` with 1 job, N jobs and a local Dask cluster on the same input,
and a long stream generated on the fly in flat memory.

Run: ``pip install ".[dask]" && python benchmarks/scale.py [--articles 100000] [--stream 200000]``

1. Writes a JSONL file of ``--articles`` real articles (``news-intl``, repeated cyclically,
   ids made unique), then scores it with ``framing score --jobs 1``, ``--jobs N`` (N = the
   machine's cores) and ``--engine dask --jobs N`` (a local cluster): seconds, articles/s,
   speedup over one job, peak resident memory of the main process (workers not counted), and whether
   the outputs are identical (byte for byte for ``--jobs``; record for record for Dask,
   whose output is sharded).
2. Pipes a ``--stream``-article stream, generated on the fly, into ``framing score -``
   (JSONL on standard input, JSONL to /dev/null) and reports its peak memory next to a
   run one tenth as long: flat memory means the two peaks are close.

Writes ``benchmarks/results/scale.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import RESULTS, ROOT, corpus, machine, table, write_result


def articles() -> list[str]:
    with corpus("FRAMING_NEWS_INTL").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def write_input(path: Path, n: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, text in zip(range(n), itertools.cycle(texts)):
            fh.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")


RUNNER = ("import sys; from framing._cli import main; rc = main(sys.argv[1:]); "
          "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]; "
          "print(int(hwm[0].split()[1]) / 1024 if hwm else -1, file=sys.stderr); sys.exit(rc)")


def run_framing(args: list[str], **kw) -> tuple[float, float]:
    """Wall time of ``framing ARGS``, and the peak resident memory (MB) of its main process
    (VmHWM, which, unlike ru_maxrss, does not inherit the forking parent's peak)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUNNER, *args], cwd=ROOT, stdout=kw.get("stdout", subprocess.DEVNULL),
                          stderr=subprocess.PIPE, stdin=kw.get("stdin"), text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        # A failed run is not a timing: stop rather than report its speed.
        raise SystemExit(f"framing {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return seconds, float(proc.stderr.strip().splitlines()[-1])


def digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        with p.open("rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


STREAMER = """
import itertools, json, sys
texts = [json.loads(line)["text"] for line in open({corpus!r}, encoding="utf-8")]
out = sys.stdout
for i, text in zip(range({n}), itertools.cycle(texts)):
    out.write(json.dumps({{"id": f"s{{i}}", "text": text}}) + "\\n")
"""


def stream_peak(n: int) -> tuple[float, float]:
    """Time and peak memory of ``framing score -`` on an n-article stream generated on the fly."""
    code = STREAMER.format(corpus=str(corpus("FRAMING_NEWS_INTL")), n=n)
    gen = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    result = run_framing(["score", "-", "--input-format", "jsonl", "--format", "jsonl", "--no-progress"],
                         stdin=gen.stdout)
    gen.wait()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--stream", type=int, default=200_000, help="0 skips the stream runs")
    parser.add_argument("--engines", default="jobs,dask",
                        help="besides 1 job (always run, the peer of every ratio): 'jobs', 'dask' or both; rows "
                             "and stream figures not rerun are kept from the previous results file, with their "
                             "own peer and date")
    args = parser.parse_args()
    engines = set(args.engines.split(","))
    jobs = os.cpu_count() or 2
    texts = articles()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "input.jsonl"
        write_input(src, args.articles, texts)
        base = ["score", str(src), "--input-format", "jsonl", "--format", "jsonl", "--no-progress"]
        digests = {}
        runs = [("1 job", ["--jobs", "1"])] + ([(f"{jobs} jobs", ["--jobs", str(jobs)])] if "jobs" in engines else [])
        for name, extra in runs:
            out = tmpdir / f"{name.replace(' ', '_')}.jsonl"
            seconds, peak = run_framing([*base, "-o", str(out), *extra])
            digests[name] = digest([out])
            rows.append({"engine": name, "seconds": seconds, "peak_rss_mb": peak})
            print(f"{name}: {seconds:.1f} s", flush=True)
        if "dask" in engines:
            shards = tmpdir / "dask"
            seconds, peak = run_framing([*base, "--engine", "dask", "--jobs", str(jobs), "-o", str(shards)])
            digests["dask"] = digest(sorted(shards.glob("part-*.jsonl")))
            rows.append({"engine": f"Dask local cluster ({jobs} workers)", "seconds": seconds, "peak_rss_mb": peak})
            print(f"dask: {seconds:.1f} s", flush=True)
    one = rows[0]["seconds"]
    today = machine()["date"]
    for r in rows:
        r["articles_per_s"] = args.articles / r["seconds"]
        r["speedup"] = one / r["seconds"]
        r["measured"] = today
    previous = json.loads((RESULTS / "scale.json").read_text()) if (RESULTS / "scale.json").is_file() else {}
    kept = [r for r in previous.get("rows", [])[1:] if r["engine"] not in {x["engine"] for x in rows}]
    for r in kept:
        r.setdefault("measured", previous.get("machine", {}).get("date", "earlier run"))
    # Figures not rerun are kept with the date they were measured, never stamped with today's.
    before = previous.get("measured_at", {})
    earlier = previous.get("machine", {}).get("date", "earlier run")
    measured_at = {}
    if "jobs" in engines:
        identical_jobs = digests["1 job"] == digests[f"{jobs} jobs"]
        measured_at["jobs_output_identical"] = today
    else:
        identical_jobs = previous.get("jobs_output_identical")
        measured_at["jobs_output_identical"] = before.get("jobs_output_identical", earlier)
    if "dask" in engines:
        same_dask = digests["dask"] == digests["1 job"]
        measured_at["dask_output_equal"] = today
    else:
        same_dask = previous.get("dask_output_equal")
        measured_at["dask_output_equal"] = before.get("dask_output_equal", earlier)
    rows += kept
    if args.stream:
        short_s, short_peak = stream_peak(args.stream // 10)
        long_s, long_peak = stream_peak(args.stream)
        measured_at["stream"] = today
    else:
        old = previous["stream"]
        short_s, short_peak = old["short"]["seconds"], old["short"]["peak_rss_mb"]
        long_s, long_peak = old["long"]["seconds"], old["long"]["peak_rss_mb"]
        args.stream = old["long"]["articles"]
        measured_at["stream"] = before.get("stream", earlier)
    print(f"\n{args.articles:,} articles from a JSONL file\n")
    print(table(rows, [("engine", "engine", ""), ("seconds", "seconds", ".1f"),
                       ("articles_per_s", "articles/s", ",.0f"), ("speedup", "speedup vs 1 job", ".2f"),
                       ("peak_rss_mb", "peak RSS of the main process, MB", ".0f")]))
    print(f"\n--jobs {jobs} output byte-identical to --jobs 1: {identical_jobs} "
          f"(measured {measured_at['jobs_output_identical'][:10]}); Dask shards concatenated byte-identical: "
          f"{same_dask} (measured {measured_at['dask_output_equal'][:10]})")
    print(f"stream on standard input: {args.stream // 10:,} articles peak {short_peak:.0f} MB ({short_s:.0f} s); "
          f"{args.stream:,} articles peak {long_peak:.0f} MB ({long_s:.0f} s) "
          f"(measured {measured_at['stream'][:10]})")
    path = write_result("scale", {"articles": args.articles, "jobs": jobs, "rows": rows,
                                  "jobs_output_identical": identical_jobs, "dask_output_equal": same_dask,
                                  "measured_at": measured_at,
                                  "stream": {"short": {"articles": args.stream // 10, "seconds": short_s,
                                                       "peak_rss_mb": short_peak},
                                             "long": {"articles": args.stream, "seconds": long_s,
                                                      "peak_rss_mb": long_peak}}})
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
