"""Agreement of the two source-name passes, and the gold made of them (guide: labels/NAMES.md).

Two names agree when, normalised (case, a leading "the", a possessive, curly apostrophes,
spaces), one equals the other or one of the other's aliases. Prints name agreement,
mention agreement (exact, and the same when both are null) and Cohen's kappa for the
kind; writes ``labels/names/agreement.json`` and ``labels/names/gold.jsonl``: the first
pass's fields where the names agree (aliases merged), the adjudicated fields
(``adjudicated.jsonl``: ``id``, ``mention``, ``name``, ``aliases``, ``kind``, ``reason``,
``annotator``) where they do not. Items still open are listed and left out.

Usage::

    python labels/scripts/names_agreement.py [--prefix dev_]
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from _agreement import kappa, read_by_id

ROOT = Path(__file__).resolve().parents[2]
DIR = ROOT / "labels" / "names"


def norm(name: str | None) -> str:
    """A name for comparison: lower case, no leading "the", no possessive, single spaces."""
    if not name:
        return ""
    s = name.replace("’", "'").lower().strip()
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s?$", "", s)
    return re.sub(r"\s+", " ", s).strip(" .,")


def forms(item: dict) -> set[str]:
    return {norm(item.get("name"))} | {norm(a) for a in item.get("aliases") or []} - {""}


def same_speaker(a: dict, b: dict) -> bool:
    return norm(a.get("name")) in forms(b) or norm(b.get("name")) in forms(a)


def read(name: str) -> dict[str, dict]:
    return read_by_id(DIR / name)


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prefix", default="", help='file prefix of the sample and passes ("dev_" for the dev sample)')
    prefix = ap.parse_args().prefix
    sample = read(f"{prefix}sample.jsonl")
    pa, pb = read(f"{prefix}pass_a.jsonl"), read(f"{prefix}pass_b.jsonl")
    adj = read(f"{prefix}adjudicated.jsonl")
    if set(pa) != set(sample) or set(pb) != set(sample):
        raise SystemExit("a pass does not cover exactly the sample's ids")
    bad = [i for i in sample for p in (pa, pb) if p[i].get("mention") and p[i]["mention"] not in sample[i]["sentence"]]
    ids = list(sample)
    agree = [i for i in ids if same_speaker(pa[i], pb[i])]
    mention_same = sum((pa[i].get("mention") or None) == (pb[i].get("mention") or None) for i in ids)
    report = {
        "n": len(ids),
        "name_agreement": round(len(agree) / len(ids), 4),
        "mention_exact_agreement": round(mention_same / len(ids), 4),
        "kind_kappa": round(kappa([pa[i]["kind"] for i in ids], [pb[i]["kind"] for i in ids]), 4),
        "mentions_not_in_sentence": bad,
        "by_label": {},
    }
    for lab in sorted({s["label"] for s in sample.values()}):
        sub = [i for i in ids if sample[i]["label"] == lab]
        report["by_label"][lab] = {"n": len(sub), "name_agreement": round(sum(i in agree for i in sub) / len(sub), 4)}
    # Per batch: the items one pair of annotator instances read (named by pass A's annotator).
    batches = sorted({pa[i]["annotator"] for i in ids})
    if len(batches) > 1:
        report["by_batch"] = {}
        for name in batches:
            sub = [i for i in ids if pa[i]["annotator"] == name]
            report["by_batch"][f"{name}+{pb[sub[0]]['annotator']}"] = {
                "n": len(sub), "name_agreement": round(sum(i in agree for i in sub) / len(sub), 4),
                "kind_kappa": round(kappa([pa[i]["kind"] for i in sub], [pb[i]["kind"] for i in sub]), 4)}
    gold, open_ = [], []
    agreed = set(agree)
    for i in ids:
        if i in adj:
            g = {k: adj[i].get(k) for k in ("mention", "name", "aliases", "kind")}
            g.update(annotator=adj[i]["annotator"], reason=adj[i].get("reason", ""))
        elif i in agreed:
            a, b = pa[i], pb[i]
            aliases = sorted({x for x in [*(a.get("aliases") or []), *(b.get("aliases") or []), b["name"]]
                              if norm(x) != norm(a["name"])})
            g = {"mention": a.get("mention"), "name": a["name"], "aliases": aliases, "kind": a["kind"],
                 "annotator": f"{a['annotator']}+{b['annotator']}"}
        else:
            open_.append(i)
            continue
        gold.append({"id": i, "doc_id": sample[i]["doc_id"], "sentence_index": sample[i]["sentence_index"],
                     "label": sample[i]["label"], **g})
    report["disagreements"] = len(ids) - len(agree)
    report["unresolved"] = open_
    with open(DIR / f"{prefix}gold.jsonl", "w", encoding="utf-8") as fh:
        for g in gold:
            fh.write(json.dumps(g, ensure_ascii=False) + "\n")
    (DIR / f"{prefix}agreement.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "unresolved"}, indent=1))
    print(f"unresolved: {len(open_)}")


if __name__ == "__main__":
    main()
