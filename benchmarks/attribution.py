"""Source and cue spans on PolNeAR's test split, and what extracting them costs.

Run: ``python benchmarks/attribution.py [--polnear DIR] [--repeat 5]``

1. Accuracy of the shipped attribution tagger (``framing/models/attribution``) on the
   PolNeAR test split: cue and source precision/recall/F1 under exact and overlap
   matching, beside Citron's published PARC 3.0 figures (a different corpus: a
   reference point, not a like-for-like comparison). The bars (F1 >= 0.85 with overlap
   match for cue and source) are marked met / not met.
2. Cost: scoring with and without attribution (which tags only the sentences labelled
   as attributed) on the PolNeAR test texts and on 300 articles of the
   international-affairs corpus, in the same process, medians of ``--repeat`` runs: the
   ``framing score`` command end to end, ``analyze_many`` and one ``analyze`` call per
   document (see :func:`cost`). With the shipped model this measures the span output
   only (assembly, naming, rendering): its features need the tagger either way.
3. The tagger in all (:func:`feature_cost`): the shipped model's features use the tagger,
   so it is compared with a model trained without them, with and without span output.
   The bar (extraction adds at most 30% to scoring time) is judged here, on everything
   attribution costs: the shipped model with spans against the same data and C without
   the tagger at all.
4. How far people agree (:func:`human_agreement`): PolNeAR had 20 articles annotated by
   five or six people each (18 of them in train and dev). Each annotator is scored, with
   the same matching, against every other one (pairwise) and against the strict majority
   of the others (a character is in a span when more than half of them marked it; the
   runs of such characters are the spans): the level the bar asks of the tagger, set
   beside what trained annotators reach.
5. Writes ``benchmarks/results/attribution.json``.

Evaluation rules (see :mod:`framing._attribution.train`): one annotation per article
(the annotator suffix that sorts first; two test articles have six); gold spans are
the cues and sources linked by ``Attribution`` / ``Attribution-no-source`` events, a
discontinuous span taken as its extent, each distinct span counted once. *Overlap*:
a predicted span counts when it shares a character with a gold span of the same kind,
each gold span matched at most once. *Exact*: identical offsets after stripping
surrounding white space and punctuation from both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import ROOT, corpus, median_time, table, write_result

from framing import analyze, analyze_many, load_model, segment
from framing._attribution import extract_attributions, extract_attributions_many, load_attribution_model
from framing._attribution.train import evaluate, load_polnear, match_counts, prf

# Published reference: Citron on PARC 3.0, exact-match F1 (a different corpus; context only).
REFERENCE = {"cue": {"exact_f1": 0.823}, "source": {"exact_f1": 0.820}}
BARS = {"overlap_f1": 0.85, "cost_ratio": 0.30}
COLUMNS = [("kind", "span", ""), ("match", "match", ""), ("precision", "P", ".3f"), ("recall", "R", ".3f"),
           ("f1", "F1", ".3f"), ("reference", "Citron PARC 3.0 F1", ""), ("bar", "bar", "")]


def accuracy(arts: list) -> tuple[list[dict], dict]:
    model = load_attribution_model()
    r = evaluate(arts, model)
    rows = []
    for kind in ("cue", "source"):
        for match in ("overlap", "exact"):
            m = r[kind][match]
            bar = ""
            if match == "overlap":
                bar = f">= {BARS['overlap_f1']}: " + ("met" if m["f1"] >= BARS["overlap_f1"] else "NOT met")
            ref = f"{REFERENCE[kind]['exact_f1']:.3f}" if match == "exact" else ""
            rows.append({"kind": kind, "match": match, **m, "reference": ref, "bar": bar})
    return rows, r


def _majority(text: str, others: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Spans marked by more than half of ``others``: runs of characters that many cover."""
    votes = [0] * (len(text) + 1)
    for spans in others:
        for a, b in set(spans):
            votes[a] += 1
            votes[b] -= 1
    need = len(others) // 2 + 1
    out, run, level = [], None, 0
    for i in range(len(text) + 1):
        level += votes[i]
        if level >= need and run is None:
            run = i
        elif level < need and run is not None:
            out.append((run, i))
            run = None
    return out


def human_agreement(root: str) -> tuple[list[dict], dict]:
    """Cue and source agreement among PolNeAR's annotators on its multiply annotated
    articles (all splits: this scores people, not the tagger), pairwise and against the
    majority of the others, under the tagger's matching rules."""
    by_name: dict[str, list] = {}
    for split in ("train", "dev", "test"):
        for art in load_polnear(root, split, every_annotator=True):
            by_name.setdefault(f"{split}/{art.name}", []).append(art)
    multi = {k: v for k, v in by_name.items() if len(v) > 1}
    counts = {(kind, how): Counter() for kind in ("cue", "source") for how in ("pairwise", "majority")}
    by_split: dict[tuple[str, str], Counter] = {}
    for key, arts in multi.items():
        text = arts[0].text
        split = key.split("/")[0]
        for i, gold in enumerate(arts):
            others = [a for j, a in enumerate(arts) if j != i]
            for kind in ("cue", "source"):
                g = getattr(gold, kind + "s")
                for o in others:
                    m = match_counts(text, g, getattr(o, kind + "s"))
                    counts[kind, "pairwise"].update(m)
                    by_split.setdefault((split, kind), Counter()).update(m)
                counts[kind, "majority"].update(match_counts(text, g, _majority(text, [getattr(o, kind + "s")
                                                                                     for o in others])))
    rows, raw = [], {"articles": len(multi), "annotations": sum(map(len, multi.values())),
                     "articles_by_split": dict(Counter(k.split("/")[0] for k in multi))}
    for (kind, how), t in counts.items():
        for match in ("overlap", "exact"):
            m = prf(t[match], t["pred"], t["gold"])
            raw.setdefault(kind, {}).setdefault(how, {})[match] = m
            rows.append({"kind": kind, "against": how, "match": match, **m})
    raw["pairwise_overlap_f1_by_split"] = {f"{split}/{kind}": prf(t["overlap"], t["pred"], t["gold"])["f1"]
                                           for (split, kind), t in sorted(by_split.items())}
    return rows, raw


def cost(texts: list[str], repeat: int, tmp: Path) -> dict:
    """Scoring time with and without extraction, medians of ``repeat`` runs in this
    process, alternating the two so that machine noise hits both alike:

    - ``framing score`` (the CLI, in process) on the texts as a JSONL file, writing JSONL:
      the end-to-end path the bar is judged on (it tags a few documents per tagger call);
    - :func:`framing.analyze_many` (the same batching, no input parsing or output);
    - :func:`framing.analyze` one document per call (the tagger's fixed cost per call is
      paid by every document);

    and the tagger alone on every sentence, 64 documents per call (what the features of
    a model with the ``att`` group spend on it, with or without span output)."""
    from framing._cli import main as cli

    model = load_attribution_model()
    spans = [segment(t) for t in texts]
    n_sent = sum(len(s) for s in spans)
    src = tmp / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    for t in texts[:3]:  # warm caches (models, lexicons)
        analyze(t)
        extract_attributions(t, segment(t), model=model)
    runs = {
        "score": lambda on: cli(["score", str(src), "-o", str(tmp / "out.jsonl"), "--no-progress"]
                                + ([] if on else ["--no-attribution"])),
        "analyze_many": lambda on: list(analyze_many(texts, attribution=on)),
        "analyze": lambda on: [analyze(t, attribution=on) for t in texts],
    }
    times: dict[str, dict[bool, list[float]]] = {k: {False: [], True: []} for k in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            for on in (False, True):
                start = time.perf_counter()
                fn(on)
                times[name][on].append(time.perf_counter() - start)
    # The tagger alone on every sentence, in batches of documents as in scoring: what a
    # model whose features use the tagger (the shipped one) spends on it in any case.
    t_all = median_time(lambda: [extract_attributions_many(texts[i : i + 64], spans[i : i + 64], model=model)
                                 for i in range(0, len(texts), 64)], repeat=repeat)
    out: dict = {"sentences": n_sent, "documents": len(texts), "repeat": repeat,
                 "tagger_all_sentences_us_per_sentence": t_all / n_sent * 1e6, "paths": {}}
    for name in runs:
        off, on = statistics.median(times[name][False]), statistics.median(times[name][True])
        out["paths"][name] = {"without_us_per_sentence": off / n_sent * 1e6, "with_us_per_sentence": on / n_sent * 1e6,
                              "added": on / off - 1}
    added = out["paths"]["score"]["added"]
    out["added"] = added
    out["tagger_share_of_scoring"] = t_all / statistics.median(times["score"][True])
    return out


def feature_cost(texts: list[str], repeat: int) -> dict:
    """What the tagger costs in all: ``analyze_many`` with a model trained without the
    ``att`` feature group (same data, seed and C as the shipped model; trained here, about
    a minute) without and with span output, against the shipped model with span output.
    Medians of ``repeat`` alternated runs, per sentence."""
    from framing import train

    shipped = load_model()
    lean = train(str(ROOT / "labels" / "sentences.jsonl"), seed=0, C=float(shipped.meta["params"]["C"]),
                 groups=tuple(g for g in shipped.groups if g != "att"))
    n_sent = sum(len(segment(t)) for t in texts)
    runs = {"no att features, no spans": (lean, False), "no att features, spans": (lean, True),
            "shipped (att features), spans": (shipped, True)}
    for m, on in runs.values():  # warm up
        list(analyze_many(texts[:5], model=m, attribution=on))
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(repeat):
        for name, (m, on) in runs.items():
            start = time.perf_counter()
            list(analyze_many(texts, model=m, attribution=on))
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["no att features, no spans"])
    return {name: {"us_per_sentence": statistics.median(t) / n_sent * 1e6, "added": statistics.median(t) / base - 1}
            for name, t in times.items()}


def news_texts(n: int) -> list[str]:
    """The first ``n`` articles of the international-affairs corpus (the tool's domain)."""
    with corpus("FRAMING_NEWS_INTL").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for _, line in zip(range(n), fh)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="PolNeAR test: cue/source span accuracy and extraction cost")
    ap.add_argument("--polnear", default=os.environ.get("FRAMING_POLNEAR"),
                    help="PolNeAR's data/ directory (default: $FRAMING_POLNEAR)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if not args.polnear:
        print("PolNeAR is not shipped: pass --polnear DIR or set FRAMING_POLNEAR", file=sys.stderr)
        return 2
    try:
        arts = load_polnear(args.polnear, "test")
    except FileNotFoundError as exc:
        print(f"PolNeAR not found ({exc}); pass --polnear", file=sys.stderr)
        return 2
    rows, raw = accuracy(arts)
    print(f"PolNeAR test: {len(arts)} articles, {raw['cue']['gold']} gold cues, {raw['source']['gold']} gold sources\n")
    print(table(rows, COLUMNS))
    hrows, human = human_agreement(args.polnear)
    print(f"\nPeople against people: {human['articles']} articles annotated {human['annotations']} times in all "
          f"({human['articles_by_split']}); each annotation scored against every other one (pairwise) and "
          "against the strict majority of the others, with the tagger's matching rules:\n")
    print(table(hrows, [("kind", "span", ""), ("against", "against", ""), ("match", "match", ""),
                        ("precision", "P", ".3f"), ("recall", "R", ".3f"), ("f1", "F1", ".3f")]))
    print("pairwise overlap F1 by split: " + ", ".join(f"{k} {v:.3f}"
                                                     for k, v in human["pairwise_overlap_f1_by_split"].items()))
    with tempfile.TemporaryDirectory() as tmp:
        costs = {"polnear_test": cost([a.text for a in arts], args.repeat, Path(tmp)),
                 "news_intl_300": cost(news_texts(300), args.repeat, Path(tmp))}
    rows = [{"texts": k, "path": p, "sentences": c["sentences"], **v}
            for k, c in costs.items() for p, v in c["paths"].items()]
    print()
    print(table(rows, [("texts", "texts", ""), ("path", "path", ""), ("sentences", "sentences", ","),
                       ("without_us_per_sentence", "no attribution µs/sent", ".1f"),
                       ("with_us_per_sentence", "with attribution µs/sent", ".1f"),
                       ("added", "span output added", ".1%")]))
    print(f"medians of {args.repeat} runs, the paths alternated; tagger alone on every sentence (64 documents "
          "per call): " + ", ".join(f"{k} {c['tagger_all_sentences_us_per_sentence']:.1f} µs/sent = "
                                    f"{c['tagger_share_of_scoring']:.0%} of `framing score`" for k, c in costs.items()))
    if "att" in load_model().groups:
        print("The shipped model's features use the tagger, so it runs on every sentence with or without "
              "--no-attribution; 'span output added' is the span output alone (assembly, naming, rendering), "
              "not the cost of extraction: see the next table for that.")
    fc = feature_cost(news_texts(300), args.repeat)
    print("\nThe tagger in all (analyze_many on the 300 international-affairs articles, a model without the "
          "att features trained here for comparison):")
    full = fc["shipped (att features), spans"]["added"]
    bar = f"<= {BARS['cost_ratio']:.0%}: " + ("met" if full <= BARS["cost_ratio"] else "NOT met")
    print(table([{"configuration": k, **v, "bar": bar if k.startswith("shipped") else ""} for k, v in fc.items()],
                [("configuration", "configuration", ""), ("us_per_sentence", "µs/sentence", ".1f"),
                 ("added", "vs no att features, no spans", ".1%"), ("bar", "bar: extraction adds", "")]))
    model = load_attribution_model()
    write_result("attribution", {
        "split": "test", "articles": len(arts), "accuracy": raw, "reference_parc3_citron_exact": REFERENCE,
        "human_agreement": human,
        "bars": BARS, "bars_met": {f"{k}_overlap_f1": raw[k]["overlap"]["f1"] >= BARS["overlap_f1"]
                                   for k in ("cue", "source")} | {"cost_ratio": full <= BARS["cost_ratio"]},
        "cost_ratio_measured": full, "cost_ratio_is": "shipped model with spans vs a model without the tagger",
        "cost": costs, "feature_cost": fc, "model_sha256": model.meta["arrays_sha256"],
    })
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
