"""Scaling: time and peak memory for 1k, 10k and 100k articles, streamed.

Run: ``python benchmarks/scaling.py [--sizes 1000,10000,100000]``

Each size runs in a fresh child process that streams real articles from
the news-intl ``articles.jsonl`` (``FRAMING_NEWS_INTL``) (repeated cyclically, ids made unique)
through ``framing.analyze_many`` and discards the documents, as ``framing score``
does when writing to a file. Reported: seconds, articles/s, per-article cost relative
to the smallest size (linear time means ratios near 1), and peak resident memory
(flat memory means the 10k and 100k peaks are within 10%).

Writes ``benchmarks/results/scaling.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _common import ROOT, corpus, table, write_result

CHILD = """
import itertools, json, resource, sys, time
sys.path.insert(0, {root!r})
import framing
articles = [json.loads(line)["text"] for line in open({corpus!r}, encoding="utf-8")]
def stream(n):
    for i, text in zip(range(n), itertools.cycle(articles)):
        yield {{"id": str(i), "text": text}}
start = time.perf_counter()
sentences = 0
for doc in framing.analyze_many(stream({n}), batch_size=64):
    sentences += len(doc.sentences)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "sentences": sentences,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    sizes = [int(x) for x in parser.parse_args().sizes.split(",")]
    rows = []
    for n in sizes:
        code = CHILD.format(root=str(ROOT), corpus=str(corpus("FRAMING_NEWS_INTL")), n=n)
        result = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout)
        rows.append({"articles": n, **result, "articles_per_s": n / result["seconds"],
                     "sentences_per_s": result["sentences"] / result["seconds"]})
        print(f"{n:>7} articles: {result['seconds']:.1f} s, peak {result['peak_rss_mb']:.0f} MB", flush=True)
    base = rows[0]["seconds"] / rows[0]["articles"]
    for r in rows:
        r["per_article_cost_ratio"] = (r["seconds"] / r["articles"]) / base
    print()
    print(table(rows, [("articles", "articles", ","), ("seconds", "seconds", ".1f"),
                       ("articles_per_s", "articles/s", ",.0f"), ("sentences_per_s", "sentences/s", ",.0f"),
                       ("per_article_cost_ratio", "per-article cost vs smallest", ".2f"),
                       ("peak_rss_mb", "peak RSS MB", ".0f")]))
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        print(f"\nmemory {a['articles']:,} -> {b['articles']:,} articles: "
              f"{(b['peak_rss_mb'] / a['peak_rss_mb'] - 1) * 100:+.1f}%")
    path = write_result("scaling", {"corpus": "news-intl (repeated cyclically)", "rows": rows})
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
