"""Shared pieces of the benchmark scripts: machine facts, timing, result files, tables."""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))

# The corpora the benchmarks read are not shipped (publisher text): point at a copy with
# FRAMING_NEWS_INTL (the Article-Bias-Prediction international-affairs articles.jsonl,
# Baly et al. 2020) and FRAMING_POLNEAR (PolNeAR's data/ directory, Newell et al. 2018).
CORPUS_HELP = {
    "FRAMING_NEWS_INTL": "the news-intl articles.jsonl (international-affairs articles of the Article-Bias-Prediction "
                         "collection, Baly et al., EMNLP 2020; one JSON object a line: id, outlet, date, url, title, "
                         "text)",
    "FRAMING_POLNEAR": "PolNeAR's data/ directory (Newell et al., LREC 2018: brat .ann/.txt files, metadata.tsv)",
}


def corpus(var: str) -> Path:
    """The corpus named by environment variable ``var``, or a clear exit saying how to set it."""
    value = os.environ.get(var)
    if not value or not Path(value).exists():
        raise SystemExit(f"set {var} to {CORPUS_HELP[var]}" + (f" (not found: {value})" if value else ""))
    return Path(value)


def machine() -> dict[str, Any]:
    """Facts about the machine and the software the figures were measured with."""
    import numpy

    import framing

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "framing": framing.__version__,
        "numpy": numpy.__version__,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def median_time(fn: Callable[[], Any], *, repeat: int = 5) -> float:
    """Median wall time of ``repeat`` calls (seconds)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"benchmark": name, "machine": machine(), **payload}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    """A Markdown table: ``columns`` is ``[(key, header, format), ...]``."""
    head = "| " + " | ".join(h for _, h, _ in columns) + " |"
    sep = "|" + "|".join("---" if i == 0 else "---:" for i in range(len(columns))) + "|"
    body = []
    for r in rows:
        cells = []
        for key, _h, fmt in columns:
            v = r.get(key)
            cells.append("n/a" if v is None else format(v, fmt) if fmt else str(v))
        body.append("| " + " | ".join(cells) + " |")
    return "\n".join([head, sep, *body])
