"""What a new user installs: the size of a fresh environment, and a built wheel that works.

Run: ``python benchmarks/install.py`` (``build`` and ``twine`` come with the bench extra)

1. Builds the sdist and the wheel (``python -m build``) and checks them with ``twine check``;
   lists what the wheel must carry (the shipped model and its metadata, the attribution model and
   the ``framing._attribution`` subpackage, the lexicons, ``py.typed``) and fails if any is missing.
2. In a fresh virtual environment per case, measures its size on disk before and after:
   - ``pip install .`` from this clone (the README's first command), base dependencies only;
   - ``pip install <wheel>`` (what ``pip install framing-voices`` would install);
   - ``pip install "<wheel>[train]"`` (what training and benchmarks add).
   Each then scores the seed article from a directory outside the clone (exit code 0 and a
   profile), and the base installs run ``framing train`` to show the missing extra is named
   (exit code 2, message naming ``[train]``).

Bar (issue #18): the base install stays under 150 MB and scores the seed.
Writes ``benchmarks/results/install.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _common import ROOT, table, write_result

SEED = ROOT / "seeds" / "kursk_propaganda_video.txt"
MUST_CARRY = ["framing/py.typed", "framing/models/default/model.json", "framing/models/default/weights.npz",
              "framing/models/attribution/", "framing/data/lexicons/", "framing/_attribution/"]
BAR_MB = 150


def _size_mb(path: Path) -> float:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for f in files:
            p = os.path.join(dirpath, f)
            if not os.path.islink(p):
                total += os.path.getsize(p)
    return total / 1e6


def _run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=1800)


def _venv_case(name: str, spec: str, work: Path, *, base: bool) -> dict:
    env_dir = work / f"venv-{name}"
    _run([sys.executable, "-m", "venv", str(env_dir)]).check_returncode()
    before = _size_mb(env_dir)
    pip = env_dir / "bin" / "pip"
    start = time.perf_counter()
    r = _run([str(pip), "install", "-q", spec], cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"{name}: pip install {spec} failed:\n{r.stderr[-2000:]}")
    installed_s = time.perf_counter() - start
    after = _size_mb(env_dir)
    outside = work / "elsewhere"
    outside.mkdir(exist_ok=True)
    score = _run([str(env_dir / "bin" / "framing"), "score", str(SEED), "--format", "json"], cwd=outside)
    scored = score.returncode == 0 and '"profile"' in score.stdout
    row = {"case": name, "spec": spec, "venv_before_mb": round(before, 1), "venv_after_mb": round(after, 1),
           "added_mb": round(after - before, 1), "install_s": round(installed_s, 1), "scores_seed": scored,
           "packages": sorted(line.split("==")[0] for line in
                              _run([str(pip), "freeze", "--all"]).stdout.split() if "==" in line)}
    if base:
        t = _run([str(env_dir / "bin" / "framing"), "train", str(SEED), "-o", str(work / "m")], cwd=outside)
        row["train_without_extra"] = {"exit_code": t.returncode, "message": t.stderr.strip()[-300:]}
        row["names_extra"] = t.returncode == 2 and "[train]" in t.stderr
    return row


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dist = work / "dist"
        b = _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)])
        if b.returncode != 0:
            raise SystemExit(f"python -m build failed (pip install build?):\n{b.stderr[-2000:]}")
        wheel = next(dist.glob("*.whl"))
        sdist = next(dist.glob("*.tar.gz"))
        tw = _run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)])
        names = zipfile.ZipFile(wheel).namelist()
        carried = {m: any(n.startswith(m) for n in names) for m in MUST_CARRY}
        if not all(carried.values()):
            raise SystemExit(f"the wheel lacks {[m for m, ok in carried.items() if not ok]}")
        rows = [
            _venv_case("clone, pip install .", ".", work, base=True),
            _venv_case("wheel, base", str(wheel), work, base=True),
            _venv_case("wheel, [train]", f"{wheel}[train]", work, base=False),
        ]
        payload = {
            "wheel": {"name": wheel.name, "size_mb": round(wheel.stat().st_size / 1e6, 2), "files": len(names),
                      "carries": carried},
            "sdist": {"name": sdist.name, "size_mb": round(sdist.stat().st_size / 1e6, 2)},
            "twine_check": {"passed": tw.returncode == 0, "output": tw.stdout.strip()[-500:]},
            "cases": rows,
            "bar_mb": BAR_MB,
            "bar_met": all(r["venv_after_mb"] < BAR_MB and r["scores_seed"] and r["names_extra"]
                           for r in rows if "names_extra" in r),
        }
    print(f"wheel {payload['wheel']['name']} ({payload['wheel']['size_mb']} MB), sdist "
          f"{payload['sdist']['size_mb']} MB; twine check {'passed' if payload['twine_check']['passed'] else 'FAILED'}")
    print(table(rows, [("case", "install", ""), ("venv_before_mb", "empty venv MB", ".1f"),
                       ("venv_after_mb", "after MB", ".1f"), ("install_s", "install s", ".1f"),
                       ("scores_seed", "scores the seed", ""), ("names_extra", "train names [train]", "")]))
    print(f"bar: base install < {BAR_MB} MB, scores the seed, names the extra: "
          f"{'met' if payload['bar_met'] else 'NOT met'}")
    print("wrote", write_result("install", payload).relative_to(ROOT))
    print(json.dumps({r["case"]: r["packages"] for r in rows}, indent=1)[:2000])


if __name__ == "__main__":
    main()
