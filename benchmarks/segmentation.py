"""Sentence segmentation: framing against peers on gold data, speed on the same text.

Run: ``pip install ".[bench]" && python benchmarks/segmentation.py``

- Golden Rules (48 English cases): share of cases split exactly.
- Wikinews gold (24 articles, 765 sentences): boundary precision, recall, F1 and the share
  of documents split exactly. Boundaries are compared as counts of non-whitespace
  characters, so tools that normalise white space are not penalised for it.
- Speed on the same real news text (the labelled articles), single process, median of
  3 runs: sentences/s and characters/s, and the ratios to pySBD and sentencex.
- Worst cases: time for an input and for one twice as long (a ratio near 2 is linear).

Peers missing from the environment are reported as absent, not silently skipped.
Writes ``benchmarks/results/segmentation.json``.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable

from _common import ROOT, median_time, table, write_result
from _sbd import golden_rules, wikinews

from framing import segment


def _framing() -> Callable[[str], list[str]]:
    return lambda text: [text[s:e] for s, e in segment(text)]


def _pysbd():
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return seg.segment


def _syntok():
    from syntok import segmenter

    def run(text: str) -> list[str]:
        out = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                out.append("".join(t.spacing + t.value for t in sentence).strip())
        return out

    return run


def _sentencex():
    from sentencex import segment as sx

    return lambda text: list(sx("en", text))


def _blingfire():
    import blingfire

    return lambda text: blingfire.text_to_sentences(text).split("\n")


def _punkt():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tok = PunktSentenceTokenizer()  # untrained: its trained data cannot be downloaded here
    return tok.tokenize


def _spacy():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return lambda text: [s.text for s in nlp(text).sents]


def _sentence_splitter():
    from sentence_splitter import SentenceSplitter

    return SentenceSplitter(language="en").split


PEERS = {
    "framing": _framing,
    "pysbd": _pysbd,
    "syntok": _syntok,
    "sentencex": _sentencex,
    "blingfire": _blingfire,
    "nltk_punkt_untrained": _punkt,
    "spacy_sentencizer": _spacy,
    "sentence_splitter": _sentence_splitter,
}


def nonspace_boundaries(sentences: list[str]) -> set[int]:
    """Sentence ends (all but the last) as counts of non-whitespace characters before them."""
    out, count = set(), 0
    for s in sentences[:-1]:
        count += sum(1 for ch in s if not ch.isspace())
        out.add(count)
    return out


def score_wikinews(fn) -> dict[str, float]:
    tp = fp = fn_ = exact = 0
    docs = wikinews()
    for _name, text, gold in docs:
        g = nonspace_boundaries([text[s:e] for s, e in gold])
        p = nonspace_boundaries([s for s in fn(text) if s.strip()])
        tp += len(g & p)
        fp += len(p - g)
        fn_ += len(g - p)
        exact += g == p
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn_) if tp + fn_ else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "exact_documents": exact / len(docs)}


def score_golden(fn) -> float:
    cases = golden_rules()
    ok = sum([s.strip() for s in fn(c["text"]) if s.strip()] == c["sentences"] for c in cases)
    return ok / len(cases)


def speed(fn, texts: list[str]) -> dict[str, float]:
    n_sents = sum(len(fn(t)) for t in texts)  # also a warm-up
    seconds = median_time(lambda: [fn(t) for t in texts], repeat=3)
    chars = sum(map(len, texts))
    return {"seconds": seconds, "sentences": n_sents, "sentences_per_s": n_sents / seconds,
            "chars_per_s": chars / seconds}


def worst_cases() -> list[dict[str, float]]:
    cases = {
        "no punctuation (words)": lambda n: "word " * (n // 5),
        "consecutive periods": lambda n: "." * n,
        "one long token": lambda n: "x" * n,
        "spaced periods": lambda n: ". " * (n // 2),
        "titles": lambda n: "Mr. " * (n // 4),
        "line breaks": lambda n: "a\n" * (n // 2),
    }
    rows = []
    for name, make in cases.items():
        small, big = make(2_000_000), make(4_000_000)
        t1 = median_time(lambda s=small: segment(s), repeat=3)
        t2 = median_time(lambda b=big: segment(b), repeat=3)
        rows.append({"case": name, "chars": len(big), "seconds": t2, "ratio_2x": t2 / t1})
    return rows


def main() -> None:
    with (ROOT / "labels" / "docs.jsonl").open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    rows, absent = [], []
    for name, make in PEERS.items():
        try:
            fn = make()
        except ImportError as exc:
            absent.append(f"{name} ({exc.name or exc})")
            continue
        row = {"tool": name, "golden_exact": score_golden(fn)}
        row.update({f"wiki_{k}": v for k, v in score_wikinews(fn).items()})
        row.update(speed(fn, texts))
        rows.append(row)
    by = {r["tool"]: r for r in rows}
    fr = by["framing"]
    for r in rows:
        r["speed_vs_framing"] = r["chars_per_s"] / fr["chars_per_s"]
    ratios = {f"framing_vs_{peer}": fr["chars_per_s"] / by[peer]["chars_per_s"] for peer in ("pysbd", "sentencex")
              if peer in by}
    tracemalloc.start()
    for t in texts:
        segment(t)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    started = time.perf_counter()
    worst = worst_cases()
    print(table(rows, [("tool", "tool", ""), ("golden_exact", "Golden Rules exact", ".1%"),
                       ("wiki_precision", "Wikinews P", ".3f"), ("wiki_recall", "R", ".3f"), ("wiki_f1", "F1", ".3f"),
                       ("wiki_exact_documents", "exact docs", ".1%"), ("sentences_per_s", "sentences/s", ",.0f"),
                       ("chars_per_s", "chars/s", ",.0f"), ("speed_vs_framing", "speed vs framing", ".3f")]))
    print()
    print("framing speed ratios (characters/s on the same text): "
          + ", ".join(f"{k} {v:.1f}x" for k, v in ratios.items()))
    print(f"framing peak traced memory while segmenting {len(texts)} articles: {peak / 1e6:.3f} MB")
    print()
    print(table(worst, [("case", "worst case", ""), ("chars", "chars", ","), ("seconds", "seconds", ".3f"),
                        ("ratio_2x", "time(2n)/time(n)", ".2f")]))
    if absent:
        print("\nabsent peers (install the bench extra): " + ", ".join(absent))
    path = write_result("segmentation", {"text": f"{len(texts)} labelled news articles, {sum(map(len, texts)):,} chars",
                                         "rows": rows, "ratios": ratios, "framing_peak_traced_mb": peak / 1e6,
                                         "worst_cases": worst, "absent": absent,
                                         "worst_case_seconds": time.perf_counter() - started,
                                         "golden_cases": len(golden_rules()), "wikinews_articles": len(wikinews()),
                                         "wikinews_sentences": sum(len(g) for _n, _t, g in wikinews())})
    print(f"\nwrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
