"""End-to-end scoring speed and memory, next to peers' segmentation alone on the same text.

Run: ``pip install ".[bench]" && python benchmarks/throughput.py``

- framing end to end (segment + features + two-stage model + profile) on the articles
  of the first labelling round (a fixed corpus, so figures compare across sessions), one
  process, one core: sentences/s, articles/s, MB/s (median of 3 runs), and the peak
  resident memory of a child process that only scores.
- The same text segmented by syntok and sentencex in the same run (median of 3), and by
  pySBD (median of 3 on the first 60 of the articles: it is about a hundred times
  slower), and the ratio of framing's end-to-end speed to each (characters per second).
- Where a sentence's time goes: each stage of the pipeline timed alone on the same
  articles (microseconds a sentence, against the 50 µs that 20,000 sentences/s allows),
  with two reference passes any pure-Python reading needs (one tokenisation, one look-up
  per feature).
- Cold start: ``python -X importtime -c "import framing"`` and ``framing score`` on the
  seed article from a fresh interpreter (median of 5), with ``python -c pass`` as the peer:
  with compiled bytecode, as an installed package has it, and again compiling every
  module on start (PYTHONDONTWRITEBYTECODE set, as in the environment these figures
  were first measured in).
- With ``--peer-model DIR`` (for example the previously shipped model, kept aside): both
  models score the same articles, alternated run by run in this process (median of 5
  each), and the ratio says whether the shipped model is slower than its predecessor.
- With ``--peer-tree DIR`` (an earlier checkout of this repository, e.g. ``git worktree add
  /tmp/prev <commit>``): this tree's code and that tree's code score the same articles
  with ``analyze_many``, each in a fresh interpreter, alternated (median of 5 each), and
  the ratio says whether the code got slower.

Writes ``benchmarks/results/throughput.json``.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, median_time, table, write_result

import framing

SEED = ROOT / "seeds" / "kursk_propaganda_video.txt"


def texts() -> list[str]:
    with (ROOT / "labels" / "docs.jsonl").open(encoding="utf-8") as fh:
        return [d["text"] for d in map(json.loads, fh) if d.get("round", 1) == 1]


def framing_run(docs: list[str], attribution: bool = True, model=None) -> int:
    return sum(len(d.sentences) for d in framing.analyze_many(docs, batch_size=64, attribution=attribution,
                                                              model=model))


def peer_model_runs(docs: list[str], peer_dir: str, repeat: int = 5) -> dict:
    """The shipped model and a peer model, alternated in one process (medians)."""
    models = {"shipped": framing.load_model(), "peer": framing.load_model(peer_dir)}
    times: dict[str, list[float]] = {k: [] for k in models}
    n = framing_run(docs, model=models["peer"])  # warm-up
    for _ in range(repeat):
        for name, m in models.items():
            start = time.perf_counter()
            framing_run(docs, model=m)
            times[name].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"peer_model": peer_dir, "sentences": n, "shipped_sentences_per_s": n / med["shipped"],
            "peer_sentences_per_s": n / med["peer"], "shipped_over_peer_speed": med["peer"] / med["shipped"]}


def peers() -> dict:
    out = {}
    try:
        import pysbd

        out["pysbd"] = pysbd.Segmenter(language="en", clean=False).segment
    except ImportError:
        pass
    try:
        from syntok import segmenter

        out["syntok"] = lambda t: [s for p in segmenter.analyze(t) for s in p]
    except ImportError:
        pass
    try:
        from sentencex import segment as sx

        out["sentencex"] = lambda t: list(sx("en", t))
    except ImportError:
        pass
    return out


BUDGET_US = 1e6 / 20_000  # the speed issue's bar, 20,000 sentences/s, as microseconds per sentence


def stages(docs: list[str], repeat: int = 3) -> dict:
    """Where a sentence's time goes: each stage of ``analyze_many`` run on its own over the
    same articles, in the order the data flows (segment, attribution tagger, features,
    model, choosing each sentence's attribution, building the documents), median of
    ``repeat`` each, in microseconds per sentence; and two reference passes that any
    pure-Python reading of the text needs at the least: one regular-expression
    tokenisation of every sentence, and one dictionary look-up of every feature string."""
    from framing._api import _TAG_BATCH, _attributions, _build, _Labelled
    from framing._attribution import extract_attributions_many
    from framing._features import featurize
    from framing._lexicons import tokenize

    model = framing.load_model()
    spans = [framing.segment(t) for t in docs]
    n = sum(map(len, spans))

    def tag() -> list:
        out: list = []
        for lo in range(0, len(docs), _TAG_BATCH):
            out += extract_attributions_many(docs[lo : lo + _TAG_BATCH], spans[lo : lo + _TAG_BATCH])
        return out

    def choose() -> list:
        for d in labelled:
            d.reads.clear()  # what a first reading of each sentence works out, as in a real run
        return _attributions(labelled)

    tagged = tag()
    feats = [featurize(t, sp, groups=model.groups, tagged=tg) for t, sp, tg in zip(docs, spans, tagged)]
    labelled = [_Labelled(t, sp, model, tg) for t, sp, tg in zip(docs, spans, tagged)]
    found = _attributions(labelled)
    steps = {
        "segment": lambda: [framing.segment(t) for t in docs],
        "attribution tagger": tag,
        "features": lambda: [featurize(t, sp, groups=model.groups, sources=[], tagged=tg, readings=[])
                             for t, sp, tg in zip(docs, spans, tagged)],
        "model (two stages and speaker roles)": lambda: [model.predict_proba(f) for f in feats if f],
        "choosing the attributions": choose,
        "building the documents": lambda: [_build(d, f, id="x", meta=None, model=model, explain=False)
                                           for d, f in zip(labelled, found)],
    }
    rows = [{"stage": k, "us_per_sentence": median_time(fn, repeat=repeat) / n * 1e6} for k, fn in steps.items()]
    total = sum(r["us_per_sentence"] for r in rows)
    for r in rows:
        r["share"] = r["us_per_sentence"] / total
    flat = [f for doc in feats for f in doc]
    index_get = model.index.get
    reference = [
        {"stage": "reference: one tokenisation pass of every sentence (Python re)",
         "us_per_sentence": median_time(lambda: [tokenize(t[a:b]) for t, sp in zip(docs, spans) for a, b in sp],
                                        repeat=repeat) / n * 1e6},
        {"stage": f"reference: one look-up of every feature string ({sum(map(len, flat)) / n:.0f} a sentence)",
         "us_per_sentence": median_time(lambda: [list(map(index_get, f)) for f in flat], repeat=repeat) / n * 1e6},
    ]
    return {"sentences": n, "rows": rows, "total_us_per_sentence": total, "reference": reference,
            "budget_us_per_sentence": BUDGET_US}


CHILD = """
import json, resource, sys
sys.path.insert(0, {root!r})
import framing
docs = [d["text"] for d in map(json.loads, open({docs!r}, encoding="utf-8")) if d.get("round", 1) == 1]
n = sum(len(d.sentences) for d in framing.analyze_many(docs))
print(json.dumps({{"sentences": n, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def cold_start() -> dict:
    """Fresh-interpreter times, medians of 5. An installed package has its bytecode
    compiled (pip does it at install time); a checkout run with PYTHONDONTWRITEBYTECODE
    set compiles every module on every start. Both are measured: with a bytecode cache
    (in a temporary PYTHONPYCACHEPREFIX, written by one untimed run first) and without."""
    def timed(cmd: list[str], env: dict[str, str]) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT, env=env)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    py = sys.executable
    score_cmd = [py, "-m", "framing", "score", str(SEED), "--format", "jsonl"]
    plain = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    out: dict[str, float | int | None] = {}
    with tempfile.TemporaryDirectory() as cache:
        cached = {**plain, "PYTHONPYCACHEPREFIX": cache}
        subprocess.run(score_cmd, check=True, capture_output=True, cwd=ROOT, env=cached)  # writes the cache
        out["python_c_pass_s"] = timed([py, "-c", "pass"], cached)
        out["import_framing_s"] = timed([py, "-c", "import framing"], cached)
        out["score_seed_s"] = timed(score_cmd, cached)
        proc = subprocess.run([py, "-X", "importtime", "-c", "import framing"], capture_output=True, text=True,
                              cwd=ROOT, env=cached)
    uncached = {**plain, "PYTHONDONTWRITEBYTECODE": "1"}
    out["import_framing_no_bytecode_s"] = timed([py, "-c", "import framing"], uncached)
    out["score_seed_no_bytecode_s"] = timed(score_cmd, uncached)
    cumulative = [int(m.group(1)) for m in re.finditer(r"\|\s*(\d+) \| framing$", proc.stderr, re.M)]
    out["importtime_framing_us"] = cumulative[-1] if cumulative else None
    return out


TREE_CHILD = """
import json, os, sys, time
sys.path.insert(0, {tree!r})
import framing
assert framing.__file__.startswith({tree!r} + os.sep), framing.__file__
with open({docs!r}, encoding="utf-8") as fh:
    texts = [d["text"] for d in map(json.loads, fh) if d.get("round", 1) == 1]
list(framing.analyze_many(texts[:20]))
t = time.perf_counter()
n = sum(len(d.sentences) for d in framing.analyze_many(texts))
print(json.dumps({{"sentences": n, "chars": sum(map(len, texts)), "seconds": time.perf_counter() - t}}))
"""


def peer_tree_runs(tree: str, repeat: int = 5) -> dict:
    """This tree's and ``tree``'s code on the same articles, fresh interpreters, alternated.
    The ratio is of characters per second: the same text, even if the trees split it into
    different numbers of sentences."""
    trees = {"this": str(ROOT), "peer": str(Path(tree).resolve())}
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    for _ in range(repeat):
        for k, path in trees.items():
            child = TREE_CHILD.format(tree=path, docs=str(ROOT / "labels" / "docs.jsonl"))
            proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, cwd="/")
            if proc.returncode:
                raise SystemExit(f"--peer-tree: the {k} tree ({path}) failed:\n{proc.stderr[-2000:]}")
            runs[k].append(json.loads(proc.stdout))
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    chars = {k: v[0]["chars"] for k, v in runs.items()}
    return {"peer_tree": tree,
            "this_sentences_per_s": runs["this"][0]["sentences"] / med["this"],
            "peer_sentences_per_s": runs["peer"][0]["sentences"] / med["peer"],
            "this_over_peer_speed": (chars["this"] / med["this"]) / (chars["peer"] / med["peer"]),
            "same_sentences": runs["this"][0]["sentences"] == runs["peer"][0]["sentences"],
            "seconds": {k: [r["seconds"] for r in v] for k, v in runs.items()}}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--peer-model", help="another model directory to time against the shipped one, alternated")
    ap.add_argument("--peer-tree", help="an earlier checkout of this repository to time this code against")
    args = ap.parse_args()
    docs = texts()
    chars = sum(map(len, docs))
    n_sents = framing_run(docs)  # warm-up, and the sentence count
    seconds = median_time(lambda: framing_run(docs), repeat=3)
    child = json.loads(subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT),
                                                                          docs=str(ROOT / "labels" / "docs.jsonl"))],
                                      capture_output=True, text=True, check=True).stdout)
    bare = median_time(lambda: framing_run(docs, attribution=False), repeat=3)
    rows = [{"tool": "framing end to end", "sentences_per_s": n_sents / seconds, "articles_per_s": len(docs) / seconds,
             "mb_per_s": chars / seconds / 1e6, "chars_per_s": chars / seconds},
            {"tool": "framing end to end, --no-attribution", "sentences_per_s": n_sents / bare,
             "articles_per_s": len(docs) / bare, "mb_per_s": chars / bare / 1e6, "chars_per_s": chars / bare}]
    for name, fn in peers().items():
        some = docs[:60] if name == "pysbd" else docs
        count = sum(len(fn(t)) for t in some)
        s = median_time(lambda fn=fn, some=some: [fn(t) for t in some], repeat=3)
        n_chars = sum(map(len, some))
        rows.append({"tool": f"{name} (segmentation only)" + (f", first {len(some)} articles" if some is not docs
                                                               else ""),
                     "sentences_per_s": count / s, "articles_per_s": len(some) / s, "mb_per_s": n_chars / s / 1e6,
                     "chars_per_s": n_chars / s})
    base = rows[0]["chars_per_s"]
    for r in rows:
        r["framing_speed_ratio"] = base / r["chars_per_s"]
    split = stages(docs)
    cold = cold_start()
    peer = peer_model_runs(docs, args.peer_model) if args.peer_model else None
    peer_tree = peer_tree_runs(args.peer_tree) if args.peer_tree else None
    print(f"{len(docs)} articles, {n_sents:,} sentences, {chars / 1e6:.2f} MB of text; one process\n")
    print(table(rows, [("tool", "tool", ""), ("sentences_per_s", "sentences/s", ",.0f"),
                       ("articles_per_s", "articles/s", ",.1f"), ("mb_per_s", "MB/s", ".2f"),
                       ("framing_speed_ratio", "framing is x times faster", ".2f")]))
    print(f"\nwhere a sentence's time goes (each stage alone, median of 3; the bar of 20,000 sentences/s leaves "
          f"{split['budget_us_per_sentence']:.0f} µs a sentence):\n")
    print(table(split["rows"] + split["reference"], [("stage", "stage", ""), ("us_per_sentence", "µs/sentence", ".1f"),
                                                     ("share", "share", ".0%")]))
    print(f"\nsum of the stages: {split['total_us_per_sentence']:.1f} µs a sentence; end to end "
          f"{1e6 * seconds / n_sents:.1f}")
    print(f"\npeak resident memory of a process scoring all {len(docs)} articles: {child['peak_rss_mb']:.0f} MB")
    print(f"cold start (median of 5): python -c pass {cold['python_c_pass_s']:.3f} s, import framing "
          f"{cold['import_framing_s']:.3f} s, framing score on the seed {cold['score_seed_s']:.3f} s; compiling "
          f"every module on start: import {cold['import_framing_no_bytecode_s']:.3f} s, "
          f"score {cold['score_seed_no_bytecode_s']:.3f} s")
    if peer:
        print(f"shipped model {peer['shipped_sentences_per_s']:,.0f} sentences/s, peer ({peer['peer_model']}) "
              f"{peer['peer_sentences_per_s']:,.0f}: the shipped one runs at {peer['shipped_over_peer_speed']:.2f}x "
              "the peer's speed (alternated, median of 5)")
    if peer_tree:
        print(f"this code {peer_tree['this_sentences_per_s']:,.0f} sentences/s, the code in {peer_tree['peer_tree']} "
              f"{peer_tree['peer_sentences_per_s']:,.0f}: this code runs at {peer_tree['this_over_peer_speed']:.2f}x "
              "its speed in characters per second (analyze_many, fresh interpreters alternated, median of 5)")
    path = write_result("throughput", {"articles": len(docs), "sentences": n_sents, "chars": chars, "rows": rows,
                                       "peak_rss_mb": child["peak_rss_mb"], "cold_start": cold, "stages": split,
                                       "peer_model": peer, "peer_tree": peer_tree})
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
