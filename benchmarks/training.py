"""Training time: ``framing train`` on the whole labelled set, with a peer run in the same script.

Run: ``pip install ".[train]" && python benchmarks/training.py [--peer-tree DIR] [--repeat 3] [--jobs 2]``

- ``framing train labels/sentences.jsonl --seed 0 --jobs N`` in a fresh interpreter, timed
  from outside (wall clock, so loading the set, the features and every fit count); the
  median of ``--repeat`` runs.
- The C search's climb against the full grid: this tree's :func:`framing._train.select_C`
  on the same features, once climbing and once scoring every grid value, and whether
  both choose the same C (the bar asks for the slow path's choice).
- With ``--peer-tree DIR`` (an earlier checkout, e.g. ``git worktree add /tmp/prev
  <commit>``): that tree's trainer on the same set, alternated run by run with this
  one, so a busy machine slows both alike; the ratio of the medians, and whether both
  chose the same C and how far their cross-validated and dev figures lie apart.

Writes ``benchmarks/results/training.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, table, write_result

DATA = ROOT / "labels" / "sentences.jsonl"
BAR_SECONDS = 60.0


def run(tree: Path, out: Path, jobs: int) -> dict:
    # Run from the tree itself: "python -m" puts the working directory first on the path.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "framing", "train", str(DATA), "-o", str(out), "--seed", "0",
                           "--jobs", str(jobs)], env=env, capture_output=True, text=True, cwd=tree)
    seconds = time.perf_counter() - start
    if proc.returncode or "choosing C" not in proc.stderr:
        raise SystemExit(f"training with the code in {tree} failed:\n{proc.stderr[-2000:]}")
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    m = meta["metrics"]
    return {"seconds": seconds, "C": meta["params"]["C"], "grid": m["cv"]["grid"], "cv_macro_f1": m["cv"]["macro_f1"],
            "dev_macro_f1": m["dev"]["macro_f1"], "stage2_oof_macro_f1": m["stage2_oof"]["macro_f1"]}


def grid_check(jobs: int) -> dict:
    """The climb's choice of C against the full grid's, on the labelled set's train+dev."""
    from cv_experiments import load_docs

    from framing._train import document_features, select_C

    feats, y, doc_ids = document_features(load_docs(DATA))
    out = {}
    for name, exhaustive in (("climb", False), ("full grid", True)):
        start = time.perf_counter()
        best, results = select_C(feats, y, doc_ids, n_jobs=jobs, exhaustive=exhaustive)
        out[name] = {"C": best, "seconds": time.perf_counter() - start,
                     "scored": {str(c): round(r["macro_f1"], 4) for c, r in results.items()}}
    out["same_C"] = out["climb"]["C"] == out["full grid"]["C"]
    return out


def _commit(tree: Path) -> str | None:
    proc = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peer-tree", help="an earlier checkout of this repository to time this trainer against")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    trees = {"this": ROOT} | ({"peer": Path(args.peer_tree).resolve()} if args.peer_tree else {})
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for name, tree in trees.items():
                runs[name].append(run(tree, Path(tmp) / f"{name}{i}", args.jobs))
                print(f"{name} run {i + 1}: {runs[name][-1]['seconds']:.1f} s", file=sys.stderr)
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    rows = [{"trainer": k, "median": med[k], "runs": " / ".join(f"{r['seconds']:.1f}" for r in v), "C": v[0]["C"],
             "cv": v[0]["cv_macro_f1"], "dev": v[0]["dev_macro_f1"], "oof": v[0]["stage2_oof_macro_f1"]}
            for k, v in runs.items()]
    print(table(rows, [("trainer", "trainer", "s"), ("median", "median s", ".1f"), ("runs", "runs s", "s"),
                       ("C", "C chosen", "g"), ("cv", "CV macro-F1", ".4f"), ("dev", "dev macro-F1", ".4f"),
                       ("oof", "stage-2 OOF macro-F1", ".4f")]))
    result = {"data": str(DATA.relative_to(ROOT)), "jobs": args.jobs, "repeat": args.repeat,
              "cpus": os.cpu_count(), "runs": runs, "median_seconds": med,
              "bar": {"bar": f"training <= {BAR_SECONDS:.0f} s", "measured": med["this"],
                      "met": med["this"] <= BAR_SECONDS}}
    if "peer" in runs:
        this, peer = runs["this"][0], runs["peer"][0]
        result["peer"] = {
            "tree": args.peer_tree, "commit": _commit(Path(args.peer_tree)),
            "this_over_peer_time": med["this"] / med["peer"],
            "same_C": this["C"] == peer["C"],
            "dev_macro_f1_difference": this["dev_macro_f1"] - peer["dev_macro_f1"],
            "stage2_oof_macro_f1_difference": this["stage2_oof_macro_f1"] - peer["stage2_oof_macro_f1"],
        }
        print(f"this trainer takes {result['peer']['this_over_peer_time']:.2f}x the peer's time; same C: "
              f"{result['peer']['same_C']}; dev macro-F1 {this['dev_macro_f1']:.4f} vs {peer['dev_macro_f1']:.4f}")
    result["grid_check"] = grid_check(args.jobs)
    g = result["grid_check"]
    print(f"C search: the climb chose {g['climb']['C']} (scored {g['climb']['scored']}), the full grid "
          f"{g['full grid']['C']} (scored {g['full grid']['scored']}): same C: {g['same_C']}")
    print(f"bar: {result['bar']['bar']}: {med['this']:.1f} s, {'met' if result['bar']['met'] else 'not met'}")
    write_result("training", result)


if __name__ == "__main__":
    main()
