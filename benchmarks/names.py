"""Source-name accuracy against the hand-made name golds (labels/names/: test, two dev and four train samples).

For each gold sentence (its voice is a source's), framing's attribution is read two ways:

- ``end to end``: ``framing.analyze_many`` on the article; the sentence's ``source_name``
  (none when the model labelled the sentence narration, or found no source);
- ``given the label``: the attribution step alone, with the sentence's gold label (the
  name framing gives when the label is right).

A name is right when, normalised (case, a leading "the", a possessive), it equals the
gold name or one of its aliases (``labels/scripts/names_agreement.py``'s rule). Also
reported: the share of sentences with any name, accuracy over those (how often a name
shown is right), and the resolution accuracy: over the sentences whose gold mention
points back ("he", "it", "the agency", "the Russian leader"), how often the name is the
speaker's. Issue bar: name accuracy >= 0.85. The wrong names are listed for the samples
read while naming is worked on, not for the held-out ones (``HELD_OUT``).

Writes ``benchmarks/results/names.json``.

Usage::

    python benchmarks/names.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

from _common import ROOT, table, write_result

import framing
from framing import _api

sys.path.insert(0, str(ROOT / "labels" / "scripts"))
from names_agreement import forms, norm

BAR = 0.85
SAMPLES = (("test", "gold.jsonl"), ("dev", "dev_gold.jsonl"), ("dev2", "dev2_gold.jsonl"),
           ("train", "train_gold.jsonl"), ("train2", "train2_gold.jsonl"), ("train3", "train3_gold.jsonl"),
           ("train4", "train4_gold.jsonl"))
# Samples whose errors are not for reading while the naming is worked on (the test split,
# and the samples kept back to give clean figures): their wrong names are not written out.
HELD_OUT = frozenset({"test", "train3", "dev2"})
# A gold mention that points back: a pronoun, or a determiner and a noun or two ("the
# agency", "the Russian leader"); its name is right only if framing resolved it.
_ANAPHOR = re.compile(r"(?i)(?:he|she|it|they|we|i|him|her|them|(?:the|this|that|these|those)(?: [\w.’'-]+){1,2})")


def evaluate(gold: list[dict], docs: dict[str, dict], model: framing.Model, *, list_errors: bool = True) -> dict:
    """Name accuracy end to end and given the gold label, over the ``gold`` sentences;
    with ``list_errors``, the first 60 wrong names too."""
    wanted = {g["doc_id"] for g in gold}
    labels: dict[str, dict[int, str]] = defaultdict(dict)
    with open(ROOT / "labels" / "sentences.jsonl", encoding="utf-8") as fh:
        for s in map(json.loads, fh):
            if s["doc_id"] in wanted:
                labels[s["doc_id"]][s["sentence_index"]] = s["label"]
    ids = sorted(wanted)
    scored = {d.id: d for d in framing.analyze_many(({"id": i, "text": docs[i]["text"]} for i in ids), model=model)}
    given = {}
    for i in ids:
        (lab,) = _api._label_many([docs[i]["text"]], model)
        if len(lab.spans) != len(labels[i]):
            raise SystemExit(f"{i}: framing's segmentation no longer matches the labelled sentences")
        lab.labels = [labels[i][k] for k in range(len(lab.spans))]
        given[i] = _api._attributions([lab])[0]
    results = {}
    for way in ("end to end", "given the label"):
        rows = []
        for g in gold:
            if way == "end to end":
                a = scored[g["doc_id"]].sentences[g["sentence_index"]].attribution
            else:
                a = given[g["doc_id"]][g["sentence_index"]]
            name = a.source_name if a is not None else None
            rows.append((g, name, bool(name) and norm(name) in forms(g)))
        n = len(rows)
        named = [r for r in rows if r[1]]
        right = sum(r[2] for r in rows)
        per_label = {lab: round(sum(r[2] for r in rows if r[0]["label"] == lab) /
                                max(1, sum(r[0]["label"] == lab for r in rows)), 4)
                     for lab in ("state_media_quote", "official_claim", "analyst_assessment")}
        # Resolution: the sentences whose speaker the gold mention names only by pointing back.
        back = [r for r in rows if r[0].get("mention") and _ANAPHOR.fullmatch(r[0]["mention"])]
        results[way] = {"n": n, "accuracy": round(right / n, 4), "named_share": round(len(named) / n, 4),
                        "anaphors": {"n": len(back), "accuracy": round(sum(r[2] for r in back) / len(back), 4)
                                     if back else None},
                        "accuracy_when_named": round(right / len(named), 4) if named else None,
                        "per_label": per_label, "bar_met": right / n >= BAR}
        if list_errors:
            results[way]["errors"] = [{"id": g["id"], "gold": g["name"], "framing": name}
                                      for g, name, ok in rows if not ok][:60]
    return results


def main() -> int:
    with open(ROOT / "labels" / "docs.jsonl", encoding="utf-8") as fh:
        docs = {d["id"]: d for d in map(json.loads, fh)}
    model = framing.load_model()
    out = {}
    for split, path in SAMPLES:
        file = ROOT / "labels" / "names" / path
        if not file.exists():
            continue
        with open(file, encoding="utf-8") as fh:
            gold = [json.loads(line) for line in fh]
        out[split] = evaluate(gold, docs, model, list_errors=split not in HELD_OUT)
    rows = [{"split": split, "way": way, **r, "anaphors_n": r["anaphors"]["n"],
             "anaphors_accuracy": r["anaphors"]["accuracy"]} for split, res in out.items() for way, r in res.items()]
    print(table(rows, [("split", "sample", ""), ("way", "attribution", ""), ("n", "sentences", "d"),
                       ("accuracy", "name right", ".3f"), ("named_share", "a name given", ".3f"),
                       ("accuracy_when_named", "right when given", ".3f"),
                       ("anaphors_n", "anaphors", "d"), ("anaphors_accuracy", "anaphors resolved right", ".3f")]))
    write_result("names", {"bar": BAR, "samples": out})
    return 0


if __name__ == "__main__":
    sys.exit(main())
