"""Pick the articles for the agreement study and write their batch for a second pass.

From every first-pass batch, a seeded draw of one state-media, two analyst and one
short article (selection groups), topped up until the study holds at least 32 articles and 520
sentences. Writes ``labels/_build/batches/agreement.md`` in the batch format.

Usage: ``python labels/scripts/make_agreement_batch.py``
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "labels" / "_build"


def main() -> None:
    group = {f"news-intl:{r['id']}": r["group"] for r in map(json.loads, (BUILD / "selection.jsonl").open())}
    rng = random.Random(7)
    chosen: list[str] = []
    blocks: dict[str, str] = {}
    leftovers: list[str] = []
    for batch in sorted((BUILD / "batches").glob("batch_*.md")):
        text = batch.read_text(encoding="utf-8")
        parts = re.split(r"(?m)^(?=## )", text)
        by_group: dict[str, list[str]] = {}
        for part in parts:
            m = re.match(r"## (\S+)", part)
            if m:
                blocks[m.group(1)] = part
                by_group.setdefault(group[m.group(1)], []).append(m.group(1))
        for g, k in (("state_media", 1), ("analyst", 2), ("short", 1)):
            docs = sorted(by_group.get(g, []))
            rng.shuffle(docs)
            chosen.extend(docs[:k])
            leftovers.extend(docs[k:])
    rng.shuffle(leftovers)

    def n_sents(doc: str) -> int:
        return len(re.findall(r"(?m)^\[\d+\] ", blocks[doc]))

    while sum(map(n_sents, chosen)) < 520 or len(chosen) < 32:
        chosen.append(leftovers.pop())
    out = "".join("\n" + blocks[d].strip() + "\n" for d in sorted(chosen))
    (BUILD / "batches" / "agreement.md").write_text(out, encoding="utf-8")
    print(f"{len(chosen)} articles, {sum(map(n_sents, chosen))} sentences")


if __name__ == "__main__":
    main()
