"""Add an adjudicator's decisions file to ``labels/passes/guide2/adjudicated.jsonl``.

A decisions file (``adjudication_decisions_*.txt``, written by the adjudicator, a reader)
has one line per sentence: ``<doc_id> <sentence_index> <code> | <reason>``, with the pass
codes of ``check_pass.py`` (S, O, A, R, Rn, Rm, Ru). This script only converts: it checks
that every line parses, that every sentence of the to-do file (``build_dataset.py
--todo``) is decided exactly once and nothing else is, and appends the decisions.

Usage::

    python labels/scripts/add_adjudications.py TODO.jsonl ANNOTATOR DECISIONS.txt [...]

One annotator name per decisions file: ``adjudicator-g1=FILE`` pairs, or one name for all.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from check_pass import CODES, ROLES

OUT = Path(__file__).resolve().parents[1] / "passes" / "guide2" / "adjudicated.jsonl"
_LINE = re.compile(r"^(\S+)\s+(\d+)\s+([SOAR][nmu]?)\s*\|\s*(.*)$")


def parse(path: Path, annotator: str) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = _LINE.match(line.strip())
        if m is None or (len(m.group(3)) == 2 and m.group(3)[0] != "R"):
            raise SystemExit(f"{path}:{n}: not '<doc_id> <index> <code> | <reason>': {line!r}")
        doc_id, index, code, reason = m.groups()
        row = {"doc_id": doc_id, "sentence_index": int(index), "label": CODES[code[0]]}
        if len(code) == 2:
            row["speaker_role"] = ROLES[code[1]]
        row.update({"annotator": annotator, "reason": reason.strip()})
        rows.append(row)
    return rows


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    todo = {(t["doc_id"], t["sentence_index"]) for t in map(json.loads, Path(argv[0]).open(encoding="utf-8"))}
    rows = []
    for arg in argv[2:]:
        name, _, file = arg.partition("=") if "=" in arg else (argv[1], "", arg)
        rows += parse(Path(file), name)
    keys = [(r["doc_id"], r["sentence_index"]) for r in rows]
    problems = [f"decided twice: {k}" for k in {k for k in keys if keys.count(k) > 1}]
    problems += [f"not in the to-do list: {k}" for k in set(keys) - todo]
    problems += [f"undecided: {k}" for k in todo - set(keys)]
    if problems:
        print("\n".join(sorted(problems)))
        return 1
    with OUT.open("a", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"appended {len(rows)} decisions to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
