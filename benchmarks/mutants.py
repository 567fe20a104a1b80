"""A small mutation check: deliberate breaks that the test suite must catch.

Run: ``python benchmarks/mutants.py [--only NAME ...]``

Each mutant replaces one exact snippet of the package with a broken version, in a copy
of the repository's tracked files (the working tree is never touched), and runs the test
files that should notice. A mutant is *killed* when those tests fail and *survives* when
they pass; a snippet that is no longer found is reported as *stale* (the mutant needs
updating), never as killed. Prints a table and writes ``benchmarks/results/mutants.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, table, write_result

# name: (file, exact snippet, replacement, test files that should fail)
MUTANTS: dict[str, tuple[str, str, str, list[str]]] = {
    "cli: --explain forced off": (
        "framing/_cli.py", "model=model, explain=args.explain, n_jobs=args.jobs",
        "model=model, explain=False, n_jobs=args.jobs", ["tests/test_cli.py"]),
    "cli: --no-attribution ignored": (
        "framing/_cli.py", "attribution=not args.no_attribution", "attribution=True", ["tests/test_cli.py"]),
    "cli: segment --format text writes nothing": (
        "framing/_cli.py", 'out.write(_LINE_BREAKS.sub(" ", record.text[start:end]) + "\\n")', "pass",
        ["tests/test_cli.py"]),
    "cli: segment exits 0 on failed documents": (
        "framing/_cli.py",
        'segmented, {failed:,} failed")\n    return 1 if failed else 0',
        'segmented, {failed:,} failed")\n    return 0',
        ["tests/test_cli.py"]),
    "cli: --jobs 0 accepted": (
        "framing/_cli.py", "if jobs == 0 or jobs < -1:", "if jobs < -1:", ["tests/test_cli.py"]),
    "train: calibration folds ignore documents": (
        "framing/_train.py", "folds = GroupKFold(n_splits=n_splits).split(X, yi, groups)",
        "folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0).split(X, yi)",
        ["tests/test_train.py"]),
    "train: C not chosen by cross-validation": (
        "framing/_train.py", "best = max(results, key=key)",
        "best = next(iter(results))", ["tests/test_train.py"]),
    "train: dev model also fitted on the dev rows": (
        "framing/_train.py", 'tr = np.flatnonzero(splits != "dev")',
        "tr = np.arange(len(splits))", ["tests/test_train.py"]),
    "train: fit results handed to the wrong model": (
        "framing/_train.py", "        for i, step in batch:\n            advance(i, [next(done) for _ in step])",
        "        for i, step in reversed(batch):\n            advance(i, [next(done) for _ in step])",
        ["tests/test_train.py"]),
    "quantify: EM never re-weights": (
        "framing/_quantify.py", "ratio = np.where(prior > 0, pi / np.where(prior > 0, prior, 1.0), 0.0)",
        "ratio = np.where(prior > 0, 1.0, 0.0) + 0 * pi", ["tests/test_quantify.py"]),
    "names: the title kept on a name": (
        "framing/_attribution/names.py", "    for last in reversed(titles):",
        "    for last in reversed(titles[:0]):", ["tests/_attribution/test_names.py"]),
    "model: one label for everything": (
        "framing/_model.py", "return _softmax(self.decision_function(feature_lists) / self.temperature)",
        "s = self.decision_function(feature_lists); s[:] = 0; s[:, 3] = 1; return _softmax(s)",
        ["tests/test_train.py", "tests/test_api.py"]),
    "model: temperature ignored": (
        "framing/_model.py", "return _softmax(self.decision_function(feature_lists) / self.temperature)",
        "return _softmax(self.decision_function(feature_lists))", ["tests/test_model.py", "tests/test_api.py"]),
    "segment: glued domain/acronym rule off": (
        "framing/_segment.py", "if word and word.group() in _STARTERS and", "if False and word and",
        ["tests/test_segment.py"]),
    "train: log to standard output": (
        "framing/_train.py", "log = functools.partial(print, file=sys.stderr, flush=True) if verbose",
        "log = print if verbose", ["tests/test_train.py"]),
    "io: JSON lines split wherever splitlines splits": (
        "framing/_io.py", 'lines = text.removeprefix("\\ufeff").split("\\n")',
        'lines = text.removeprefix("\\ufeff").splitlines()', ["tests/test_io.py"]),
    "io: --resume cuts the output after a damaged line": (
        "framing/_io.py", "if fh.read(1):  # cutting here", "if False:  # cutting here", ["tests/test_io.py"]),
    "io: a pipe's first bytes are not replayed": (
        "framing/_io.py", "return head, io.BufferedReader(_Replayed(head, src))", "return head, src",
        ["tests/test_io.py"]),
    "api: a failing source ends the stream silently": (
        "framing/_api.py", "raise failure[0]", "pass", ["tests/test_api.py"]),
    "names: a state-media sentence keeps the speaker the outlet carries": (
        "framing/_api.py", 'elif lab == "state_media_quote" and last is not None and i - last <= _CHANNEL_WINDOW:',
        "elif False:", ["tests/_attribution/test_implicit.py"]),
    "names: a description takes a name from the sentence before": (
        "framing/_attribution/resolve.py", r"""((?:[\w'’-]+ ){0,4})$""", r"""((?:[\w'’.-]+ ){0,4})$""",
        ["tests/_attribution/test_resolve.py"]),
    "names: 'he' may resolve to a body": (
        "framing/_attribution/resolve.py", "any(w in _ORG_HEADS or w in _SEATS for w in name.lower().split()) or\n",
        "False or\n", ["tests/_attribution/test_resolve.py"]),
    "names: a role heading a phrase gives way to the name after its preposition": (
        "framing/_attribution/names.py", "    if role_headed:\n", "    if False:\n",
        ["tests/_attribution/test_names.py"]),
    "roles: every feature's row summed, not only the role inputs'": (
        "framing/_roles.py", "        cols, sents = flat[keep], sent[keep]\n",
        "        cols, sents = np.where(keep, flat, v), sent\n", ["tests/test_model.py"]),
    "lexicons: token offsets summed without the white space": (
        "framing/_lexicons.py", "zip(itertools.accumulate(map(len, pieces)), tokens)",
        "zip(itertools.accumulate(map(len, tokens)), tokens)", ["tests/test_lexicons.py"]),
    "io: a lone '{' first line swallows the records after it": (
        "framing/_io.py", "            if not (ahead and isinstance(ahead[0][1], str) and _an_object(ahead[0][1])):",
        "            if True:", ["tests/test_io.py"]),
    "io: any NUL byte makes the whole input one error": (
        "framing/_io.py", "    return nul >= 0 and not any(", "    return nul >= 0 or 0 * any(",
        ["tests/test_io.py"]),
}


def tracked_copy(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if not name:
            continue
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="names (or parts of names) of the mutants to run")
    args = ap.parse_args()
    chosen = {k: v for k, v in MUTANTS.items() if not args.only or any(o in k for o in args.only)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "repo"
        base.mkdir()
        tracked_copy(base)
        env = {**os.environ, "PYTHONPATH": str(base), "PYTHONDONTWRITEBYTECODE": "1"}
        # Each test set must pass on the unbroken copy, or its failures would prove nothing.
        baseline = {}
        for tests in {tuple(v[3]) for v in chosen.values()}:
            proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                                  cwd=base, env=env, capture_output=True, text=True)
            baseline[tests] = proc.returncode == 0
            print(f"baseline {' '.join(tests)}: {'passes' if baseline[tests] else 'FAILS'}", flush=True)
        for name, (path, old, new, tests) in chosen.items():
            if not baseline[tuple(tests)]:
                rows.append({"mutant": name, "outcome": "invalid (tests fail unmutated)", "seconds": 0.0})
                continue
            target = base / path
            original = target.read_text(encoding="utf-8")
            if original.count(old) != 1:
                rows.append({"mutant": name, "outcome": "stale (snippet not found once)", "seconds": 0.0})
                continue
            target.write_text(original.replace(old, new), encoding="utf-8")
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                                  cwd=base, env=env, capture_output=True, text=True)
            target.write_text(original, encoding="utf-8")
            outcome = "killed" if proc.returncode == 1 else "SURVIVED" if proc.returncode == 0 else \
                f"error (pytest exit {proc.returncode})"
            rows.append({"mutant": name, "outcome": outcome, "seconds": time.perf_counter() - start,
                         "tests": " ".join(tests)})
            print(f"{name}: {outcome}", flush=True)
    print()
    print(table(rows, [("mutant", "mutant", ""), ("outcome", "outcome", ""), ("seconds", "seconds", ".0f")]))
    survived = [r["mutant"] for r in rows if r["outcome"] != "killed"]
    print(f"\n{len(rows) - len(survived)} of {len(rows)} killed" + (f"; not killed: {survived}" if survived else ""))
    path = write_result("mutants", {"rows": rows, "killed": len(rows) - len(survived), "total": len(rows),
                                    "baseline_passes": {" ".join(k): v for k, v in baseline.items()}})
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
