"""Check one annotation pass file against its batch and convert it to JSONL.

A pass file has one line per article, ``<doc_id> <index><code> <index><code> ...``,
with codes S (state_media_quote), O (official_claim), A (analyst_assessment) and
R (reporter_narration), and optional note lines ``# note <doc_id> <index> <text>``.
From round 2 on, an R may carry the role of the speaker it relays (GUIDE.md, section 11):
``Rn`` non-governing, ``Rm`` independent media, ``Ru`` a source given no role; a bare R is
the reporter's own voice. The role is written as ``speaker_role``.

Usage: ``python labels/scripts/check_pass.py BATCH.md PASS.labels ANNOTATOR [OUT.jsonl]``
Prints every problem (missing, duplicate or unknown sentences and articles); exits 1
when there is one. With OUT, writes ``{doc_id, sentence_index, label, annotator, note}``.
"""

from __future__ import annotations

import json
import re
import sys

CODES = {"S": "state_media_quote", "O": "official_claim", "A": "analyst_assessment", "R": "reporter_narration"}
ROLES = {"n": "non_governing", "m": "independent_media", "u": "unnamed"}


def read_batch(path: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    current = None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"## (\S+)", line)
        if m:
            current = m.group(1)
            counts[current] = 0
        elif current and re.match(r"\[\d+\] ", line):
            counts[current] += 1
    return counts


def main(batch: str, labels: str, annotator: str, out: str | None = None) -> int:
    want = read_batch(batch)
    got: dict[str, dict[int, str]] = {}
    roles: dict[tuple[str, int], str] = {}
    notes: dict[tuple[str, int], str] = {}
    problems = []
    for lineno, line in enumerate(open(labels, encoding="utf-8"), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("# note "):
            parts = line.split(" ", 4)
            if len(parts) == 5 and parts[3].isdigit():
                notes[(parts[2], int(parts[3]))] = parts[4]
            else:
                problems.append(f"line {lineno}: malformed note")
            continue
        if line.startswith("#"):
            continue
        doc, *items = line.split()
        if doc not in want:
            problems.append(f"line {lineno}: unknown article {doc}")
            continue
        seen = got.setdefault(doc, {})
        for item in items:
            m = re.fullmatch(r"(\d+)(?:([SOA])|R([nmu]?))", item)
            if not m:
                problems.append(f"line {lineno}: bad item {item!r} (want e.g. 12R, 12Rn, 3O)")
                continue
            i = int(m.group(1))
            if i in seen:
                problems.append(f"{doc}: sentence {i} labelled twice")
            seen[i] = CODES[m.group(2) or "R"]
            if m.group(3):
                roles[(doc, i)] = ROLES[m.group(3)]
    for doc, n in want.items():
        have = got.get(doc, {})
        missing = [i for i in range(n) if i not in have]
        extra = [i for i in have if i >= n]
        if missing:
            problems.append(f"{doc}: missing sentences {missing}")
        if extra:
            problems.append(f"{doc}: sentences {extra} do not exist (article has {n})")
    for p in problems:
        print(p)
    done = sum(len(v) for v in got.values())
    print(f"{len(got)}/{len(want)} articles, {done}/{sum(want.values())} sentences labelled, {len(problems)} problems")
    if out and not problems:
        with open(out, "w", encoding="utf-8") as fh:
            for doc in got:
                for i in sorted(got[doc]):
                    row = {"doc_id": doc, "sentence_index": i, "label": got[doc][i], "annotator": annotator}
                    if (doc, i) in roles:
                        row["speaker_role"] = roles[(doc, i)]
                    if (doc, i) in notes:
                        row["note"] = notes[(doc, i)]
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
