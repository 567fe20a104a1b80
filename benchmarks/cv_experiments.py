"""Grouped cross-validation of the two-stage framing model on the train+dev rows only.

Never reads the ``test`` split: only ``train`` and ``dev`` rows are loaded (through
:func:`framing._labelled.load_labelled` with ``split=``), so this is safe to run while
developing features. Reports macro-F1, per-label F1 and the confusion counts of the
two-stage model, 5-fold GroupKFold by article (the same folds for every run).

Usage::

    PYTHONPATH=. python benchmarks/cv_experiments.py [--groups src,cue,...] [--C 0.3]
        [--min-df 2] [--json out.json] [--errors errors.jsonl] [--timing articles.jsonl]

Stage 2 is fitted by :func:`framing._train._fit_model` without its temperature
calibration (``calibrate=False``): the temperature divides all scores of a sentence
alike, so it never changes the argmax.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import datasets
import numpy as np
from sklearn.model_selection import GroupKFold

from framing._document import LABELS
from framing._features import FEATURE_GROUPS, featurize
from framing._labelled import group_documents, load_labelled
from framing._metrics import classification_report
from framing._train import _fit_model, _predict, document_features, document_roles

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "labels" / "sentences.jsonl"
SHORT = {"state_media_quote": "SMQ", "official_claim": "OFF", "analyst_assessment": "ANA",
         "reporter_narration": "NAR"}


def load_docs(path: Path = DATA):
    """Documents of the train and dev splits (test rows are filtered out at load)."""
    parts = [load_labelled(path, split=s) for s in ("train", "dev")]
    ds = datasets.concatenate_datasets(parts)
    assert set(ds["split"]) <= {"train", "dev"}
    return group_documents(ds, doc_column="doc_id")


def cross_validate(feats, y, doc_ids, *, C: float = 0.3, min_df: int = 2, n_splits: int = 5,
                   fold_seed: int | None = None, roles=None):
    """Out-of-fold two-stage predictions (folds grouped by article; ``fold_seed`` shuffles
    which articles share a fold, to see how much a difference owes to the fold split)."""
    pred = np.zeros(len(y), dtype=int)
    proba = np.zeros((len(y), len(LABELS)))
    splitter = GroupKFold(n_splits=n_splits) if fold_seed is None else GroupKFold(
        n_splits=n_splits, shuffle=True, random_state=fold_seed)
    for tr, te in splitter.split(np.zeros(len(y)), y, doc_ids):
        model, _ = _fit_model([feats[i] for i in tr], y[tr], doc_ids[tr], C=C, min_df=min_df, seed=0,
                              roles=None if roles is None else roles[tr],
                              calibrate=False)
        proba[te] = _predict(model, [feats[i] for i in te], doc_ids[te])
        pred[te] = proba[te].argmax(axis=1)
    return pred, proba


def confusion(y, pred) -> np.ndarray:
    k = len(LABELS)
    m = np.zeros((k, k), dtype=int)
    np.add.at(m, (y, pred), 1)
    return m


def featurize_cost(groups, path: Path, n_articles: int = 300) -> float:
    """Microseconds per sentence of :func:`featurize` (segmentation excluded) on the first
    ``n_articles`` articles of an unlabelled corpus."""
    from framing import segment

    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            if text:
                docs.append((text, segment(text)))
            if len(docs) >= n_articles:
                break
    featurize(docs[0][0], docs[0][1], groups=groups)  # warm caches (lexicons, tagger)
    n = sum(len(s) for _t, s in docs)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for text, spans in docs:
            featurize(text, spans, groups=groups)
        best = min(best, time.perf_counter() - t0)
    return best / n * 1e6


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", default=",".join(FEATURE_GROUPS))
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--fold-seed", type=int, default=None, help="shuffle the grouped folds with this seed")
    ap.add_argument("--tag", default="", help="name of the run, printed with the results")
    ap.add_argument("--roles", action="store_true", help="fit the speaker-role component inside each fold")
    ap.add_argument("--json", help="append the results as one JSON line to this file")
    ap.add_argument("--errors", help="write the misclassified sentences (train+dev only) to this JSONL file")
    ap.add_argument("--timing", help="also time featurize on this unlabelled articles.jsonl")
    args = ap.parse_args(argv)
    groups = tuple(g for g in args.groups.split(",") if g)
    docs = load_docs()
    t0 = time.perf_counter()
    feats, y, doc_ids = document_features(docs, groups)
    t_feat = time.perf_counter() - t0
    t0 = time.perf_counter()
    roles = document_roles(docs) if args.roles else None
    pred, proba = cross_validate(feats, y, doc_ids, C=args.C, min_df=args.min_df, fold_seed=args.fold_seed,
                                 roles=roles)
    t_cv = time.perf_counter() - t0
    rep = classification_report(y, pred)
    per = {name: rep["per_label"][name]["f1"] for name in LABELS} if "per_label" in rep else {}
    cm = confusion(y, pred)
    print(f"[{args.tag}] groups={','.join(groups)} C={args.C} min_df={args.min_df} folds={args.fold_seed} n={len(y)} "
          f"docs={len(docs)} featurize {t_feat:.1f}s cv {t_cv:.0f}s")
    print(f"macro-F1 {rep['macro_f1']:.4f}  accuracy {rep['accuracy']:.4f}")
    print("  ".join(f"{SHORT[k]} {v:.4f}" for k, v in per.items()))
    print("confusion (rows gold, cols predicted):  " + " ".join(f"{SHORT[n]:>5}" for n in LABELS))
    for i, name in enumerate(LABELS):
        print(f"  {SHORT[name]:>36}  " + " ".join(f"{v:5d}" for v in cm[i]))
    out = {"tag": args.tag, "groups": list(groups), "C": args.C, "min_df": args.min_df, "fold_seed": args.fold_seed,
           "macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"], "per_label_f1": per,
           "confusion": cm.tolist()}
    if args.timing:
        out["featurize_us_per_sentence"] = featurize_cost(groups, Path(args.timing))
        print(f"featurize {out['featurize_us_per_sentence']:.1f} us/sentence")
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(out) + "\n")
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as fh:
            k = 0
            for d in docs:
                for j, (s, e) in enumerate(d.spans):
                    if pred[k] != y[k]:
                        fh.write(json.dumps({"doc_id": d.id, "i": j, "gold": LABELS[y[k]], "pred": LABELS[pred[k]],
                                             "p": round(float(proba[k].max()), 3), "text": d.text[s:e],
                                             "feats": feats[k]}, ensure_ascii=False) + "\n")
                    k += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
