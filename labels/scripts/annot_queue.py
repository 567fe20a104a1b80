"""A work queue for annotators: claim a batch, label it, submit it.

The queue lives in a directory made by ``round2_batches.py`` (``queue/*.md``). Each
annotator claims one item at a time; a claim is refused when it would break the
independence of two passes: nobody labels an agreement sample (``agree_J``) drawn from
a batch they labelled (``batch_3J`` .. ``batch_3J+2``), nor the other way round, and
nobody labels two passes of one batch (``p2_batch_NN`` and ``p3_batch_NN``).

Usage::

    python annot_queue.py DIR claim NAME          # prints the item to label, or NONE
    python annot_queue.py DIR submit NAME ITEM FILE.labels
    python annot_queue.py DIR status

``submit`` runs ``check_pass.py`` on the file; on success the file is stored as
``done/ITEM.NAME.labels`` and ``done/ITEM.NAME.jsonl``; on failure the problems are printed
and nothing is stored.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _order(items: list[str]) -> list[str]:
    passes = sorted((i for i in items if i[:1] == "p" and i[1:2].isdigit()), key=lambda i: (i.split("_", 1)[1], i))
    if passes:
        return passes + sorted(i for i in items if i not in passes)
    # Agreement sample J becomes claimable after its three batches and eight more were offered.
    batches = sorted(i for i in items if i.startswith("batch_"))
    agrees = sorted(i for i in items if i.startswith("agree_"))
    out = list(batches)
    for a in reversed(agrees):
        j = int(a.split("_")[1])
        out.insert(min(len(out), 3 * j + 3 + 8), a)
    return out


def _conflicts(item: str, mine: set[str]) -> bool:
    if item[:1] == "p" and item[1:2].isdigit():
        base = item.split("_", 1)[1]
        return any(m.split("_", 1)[1] == base for m in mine if m[:1] == "p")
    kind, n = item.split("_")
    if kind == "agree":
        return any(f"batch_{k:02d}" in mine for k in range(3 * int(n), 3 * int(n) + 3))
    return f"agree_{int(n) // 3:02d}" in mine


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    cmd = argv[1]
    log = root / "claims.jsonl"
    with (root / "lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        claims = [json.loads(x) for x in log.open()] if log.exists() else []
        items = _order([p.stem for p in (root / "queue").glob("*.md")])
        claimed = {c["item"]: c["name"] for c in claims if c["event"] == "claim"}
        submitted = {c["item"]: c["name"] for c in claims if c["event"] == "submit"}
        if cmd == "status":
            for it in items:
                state = "done" if it in submitted else ("claimed" if it in claimed else "open")
                print(f"{it:10s} {state:8s} {submitted.get(it) or claimed.get(it) or ''}")
            return 0
        name = argv[2]
        if cmd == "claim":
            mine = {i for i, n in claimed.items() if n == name}
            open_mine = [i for i in mine if i not in submitted]
            if open_mine:
                print(f"you still hold {open_mine[0]}: submit it first ({root / 'queue' / open_mine[0]}.md)")
                return 1
            for it in items:
                if it not in claimed and not _conflicts(it, mine):
                    with log.open("a") as fh:
                        fh.write(json.dumps({"event": "claim", "item": it, "name": name, "time": time.time()}) + "\n")
                    print(root / "queue" / f"{it}.md")
                    return 0
            print("NONE")
            return 0
        if cmd == "submit":
            item, labels = argv[3], Path(argv[4])
            if claimed.get(item) != name:
                print(f"{item} is not claimed by {name}")
                return 1
            done = root / "done"
            done.mkdir(exist_ok=True)
            out = done / f"{item}.{name}.jsonl"
            r = subprocess.run([sys.executable, str(HERE / "check_pass.py"), str(root / "queue" / f"{item}.md"),
                                str(labels), name, str(out)], capture_output=True, text=True)
            print(r.stdout, end="")
            if r.returncode != 0:
                print("NOT SUBMITTED: fix the problems above and submit again")
                return 1
            (done / f"{item}.{name}.labels").write_text(labels.read_text(encoding="utf-8"), encoding="utf-8")
            with log.open("a") as fh:
                fh.write(json.dumps({"event": "submit", "item": item, "name": name, "time": time.time()}) + "\n")
            print(f"submitted {item}")
            return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
