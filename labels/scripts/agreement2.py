"""Agreement figures for round 2 and guide 2, per batch.

1. Round 2's first pass (guide without section 12): each agreement sample
   (``labels/passes/round2/pass1/agree_*.jsonl``, articles drawn from three first-pass
   batches and labelled again by an annotator who labelled none of them) against the
   first pass of the same sentences.
2. Guide 2: the two independent full passes (``labels/passes/guide2/p2_batch_NN`` and
   ``p3_batch_NN``, different annotators for each batch) against each other, per batch.
3. How far the labels moved: the labels before guide 2 against the final labels.

Cohen's kappa over the four labels, and per label (one against the rest); the speaker
role of narration is compared separately. Writes ``labels/agreement2.json`` and the
tables into ``labels/AGREEMENT.md`` between ``<!-- round2 -->`` and ``<!-- /round2 -->``.

Usage: ``python labels/scripts/agreement2.py``
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from _agreement import kappa  # noqa: E402
from _common import table  # noqa: E402

from framing import LABELS  # noqa: E402

P = ROOT / "labels" / "passes"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _figures(a: list[dict], b: list[dict]) -> dict:
    la, lb = [x["label"] for x in a], [y["label"] for y in b]
    both_r = [(x.get("speaker_role") or "-", y.get("speaker_role") or "-") for x, y in zip(a, b)
              if x["label"] == y["label"] == "reporter_narration"]
    return {
        "n_sentences": len(la),
        "n_documents": len({x["doc_id"] for x in a}),
        "observed_agreement": round(sum(x == y for x, y in zip(la, lb)) / len(la), 4),
        "kappa": round(kappa(la, lb), 4),
        "kappa_per_label": {lab: round(kappa([x == lab for x in la], [y == lab for y in lb]), 4) for lab in LABELS},
        "narration_role_agreement": round(sum(x == y for x, y in both_r) / len(both_r), 4) if both_r else None,
        "annotators": sorted({x["annotator"] for x in a} | {y["annotator"] for y in b}),
    }


def main() -> None:
    out: dict = {"round2_first_pass": {}, "guide2": {}}
    first = {}
    for p in sorted((P / "round2" / "pass1").glob("batch_*.jsonl")):
        for r in _rows(p):
            first[(r["doc_id"], r["sentence_index"])] = r
    all_a, all_b = [], []
    for p in sorted((P / "round2" / "pass1").glob("agree_*.jsonl")):
        b = _rows(p)
        a = [first[(r["doc_id"], r["sentence_index"])] for r in b]
        out["round2_first_pass"][p.stem] = _figures(a, b)
        all_a += a
        all_b += b
    out["round2_first_pass"]["all"] = _figures(all_a, all_b)

    p2 = {p.stem[3:]: _rows(p) for p in sorted((P / "guide2").glob("p2_batch_*.jsonl"))}
    p3 = {p.stem[3:]: {(r["doc_id"], r["sentence_index"]): r for r in _rows(p)}
          for p in sorted((P / "guide2").glob("p3_batch_*.jsonl"))}
    all_a, all_b = [], []
    for batch in sorted(set(p2) & set(p3)):
        a = p2[batch]
        b = [p3[batch][(r["doc_id"], r["sentence_index"])] for r in a]
        out["guide2"][batch] = _figures(a, b)
        all_a += a
        all_b += b
    if all_a:
        out["guide2"]["all"] = _figures(all_a, all_b)
        kappas = [v["kappa"] for k, v in out["guide2"].items() if k != "all"]
        out["guide2_min_batch_kappa"] = min(kappas)
        out["guide2_batches_below_0.9"] = sum(k < 0.9 for k in kappas)

    final = {(r["doc_id"], r["sentence_index"]): r for r in _rows(ROOT / "labels" / "sentences.jsonl")}
    before = {}
    for p in [P / "round1" / "labels_v1.jsonl", *sorted((P / "round2" / "pass1").glob("batch_*.jsonl"))]:
        for r in _rows(p):
            before[(r["doc_id"], r["sentence_index"])] = r
    keys = [k for k in before if k in final]
    if keys:
        out["before_guide2_vs_final"] = _figures([before[k] for k in keys], [final[k] for k in keys])

    (ROOT / "labels" / "agreement2.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    cols = [("unit", "unit", ""), ("n_documents", "articles", "d"), ("n_sentences", "sentences", "d"),
            ("observed_agreement", "agreement", ".3f"), ("kappa", "kappa", ".3f")] + [
        (f"k_{lab}", f"kappa {lab}", ".3f") for lab in LABELS] + [("narration_role_agreement", "role agr.", ".3f")]

    def rows(section: dict) -> list[dict]:
        return [{"unit": k, **v, **{f"k_{lab}": v["kappa_per_label"][lab] for lab in LABELS}}
                for k, v in section.items()]

    md = ["### Guide 2: two independent full passes, per batch", "",
          table(rows(out["guide2"]), cols), "",
          "### Round 2's first pass (before section 12): agreement samples, per sample", "",
          table(rows(out["round2_first_pass"]), cols)]
    if "before_guide2_vs_final" in out:
        f = out["before_guide2_vs_final"]
        md += ["", f"Labels before guide 2 against the final labels: agreement {f['observed_agreement']:.3f}, "
                   f"kappa {f['kappa']:.3f} over {f['n_sentences']:,} sentences."]
    text = (ROOT / "labels" / "AGREEMENT.md").read_text(encoding="utf-8")
    block = "<!-- round2 -->\n" + "\n".join(md) + "\n<!-- /round2 -->"
    if "<!-- round2 -->" in text:
        text = re.sub(r"<!-- round2 -->.*?<!-- /round2 -->", lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n## Round 2 and guide 2\n\n" + block + "\n"
    (ROOT / "labels" / "AGREEMENT.md").write_text(text, encoding="utf-8")
    print(json.dumps({k: v.get("all", v) if isinstance(v, dict) else v for k, v in out.items()}, indent=2))


if __name__ == "__main__":
    main()
