"""Train the attribution tagger (:mod:`framing._attribution`) from PolNeAR.

Run::

    python -m framing._attribution.train --polnear PATH/TO/polnear/data \\
        --splits train dev --out framing/models/attribution

PolNeAR (Newell et al., LREC 2018) is brat standoff: one ``.txt`` per article and one
``.ann`` per annotator (``NAME_<annotator>.ann``). A few articles were annotated by
six annotators (agreement study); we keep **one annotation per text: the annotator
suffix that sorts first**, in every split, so training never sees contradictory
copies of one article and evaluation scores each article once.

Gold spans: the ``Cue`` and ``Source`` text-bound annotations that an ``Attribution``
or ``Attribution-no-source`` event links (``Discard``/``Discuss`` items are left out);
a discontinuous span is taken as its extent (first start, last end); a source shared
by several attributions counts once.

The model: stage 1 is multinomial logistic regression (scikit-learn, lbfgs) over the
one-hot index features of :func:`framing._attribution.encode.encode`; its coefficients become
the gather tables. Stage 2 is a second logistic regression over stage-1 probabilities
around each token, fitted on out-of-fold stage-1 output (folds by article). Everything
is deterministic given the seed. Only arrays and JSON are written (no pickles); the
PolNeAR text itself is never shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._modelfile import INTEGRITY_KEY, _sha256_file, _write_npz, manifest_digest
from .assemble import extract_attributions
from .encode import N_POS, _Encoded, _shift, encode
from .model import (
    ARRAYS_FILE,
    FORMAT,
    FORMAT_VERSION,
    LABELS,
    META_FILE,
    PAD,
    SHAPE_WINDOW,
    UNK,
    WORD_WINDOW,
    AttributionModel,
    default_model_dir,
    load_attribution_model,
)
from .model import STEM_WINDOW as FORMAT1_STEM_WINDOW  # the windows of a model whose metadata names none
from .model import SUFFIX_WINDOW as FORMAT1_SUFFIX_WINDOW
from .tagger import _softmax, stack_features, stage1_scores
from .tokens import N_SHAPES, _shape, _stem, _suffix, tokenize_spans

__all__ = ["Article", "load_polnear", "train", "main"]

# Feature windows of newly trained models (picked on PolNeAR dev; see the model card).
SUFFIX_WINDOW = (-1, 0, 1)
STEM_WINDOW = (-1, 0, 1)

# The project's layout: the shared corpora sit beside the repository checkout.
# PolNeAR is not shipped (publisher text): name its data/ directory with --polnear or
# FRAMING_POLNEAR.
DEFAULT_POLNEAR = os.environ.get("FRAMING_POLNEAR", "")


@dataclass
class Article:
    """One PolNeAR article with the gold spans of one annotator."""

    name: str
    annotator: str
    text: str
    cues: list[tuple[int, int]] = field(default_factory=list)
    sources: list[tuple[int, int]] = field(default_factory=list)
    # (cue, source or None, content fragments) per attribution
    attributions: list[tuple[tuple[int, int], tuple[int, int] | None, list[tuple[int, int]]]] = field(
        default_factory=list)


def _parse_ann(raw: str) -> tuple[dict[str, tuple[str, list[tuple[int, int]]]], list[dict[str, str]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in raw.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offs = parts[1].partition(" ")
            frags = []
            for frag in offs.split(";"):
                a, b = frag.split()
                frags.append((int(a), int(b)))
            spans[parts[0]] = (kind, frags)
        elif line.startswith("E") and len(parts) >= 2:
            ev = {}
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                ev[role] = ref
            events.append(ev)
    return spans, events


def _extent(spans: dict[str, tuple[str, list[tuple[int, int]]]], ref: str | None) -> tuple[int, int] | None:
    """A text-bound annotation as one span: its first start to its last end."""
    if ref is None or ref not in spans:
        return None
    frags = spans[ref][1]
    return frags[0][0], frags[-1][1]


def load_polnear(root: str | Path, split: str, *, every_annotator: bool = False) -> list[Article]:
    """Articles of one split (``train``, ``dev``, ``test``), one annotation each (see module
    doc); with ``every_annotator``, one :class:`Article` per annotation instead, so an
    article several people annotated comes once per annotator (for agreement studies)."""
    root = Path(root)
    by_name: dict[str, list[Path]] = {}
    for ann in sorted((root / split / "attributions").glob("*.ann")):
        by_name.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    # sorted: the first annotator suffix wins
    chosen = [(name, ann) for name, anns in sorted(by_name.items()) for ann in (anns if every_annotator else anns[:1])]
    out = []
    for name, ann in chosen:
        text = (root / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        spans, events = _parse_ann(ann.read_text(encoding="utf-8"))
        art = Article(name=name, annotator=ann.stem.rsplit("_", 1)[1], text=text)
        cues, sources = set(), set()
        for ev in events:
            if not ({"Attribution", "Attribution-no-source"} & ev.keys()) or "Cue" not in ev:
                continue
            cue = _extent(spans, ev["Cue"])
            if cue is None:
                continue
            src = _extent(spans, ev.get("Source"))
            content = spans[ev["Content"]][1] if ev.get("Content") in spans else []
            cues.add(cue)
            if src is not None:
                sources.add(src)
            art.attributions.append((cue, src, content))
        art.cues = sorted(cues)
        art.sources = sorted(sources)
        out.append(art)
    return out


# ----------------------------------------------------------------------------- features


def _token_labels(art: Article, enc: _Encoded) -> np.ndarray:
    """BIO label of every token: a token belongs to a gold span it overlaps."""
    y = np.zeros(len(enc.tokens), dtype=np.int64)
    for kind, spans in ((2, art.sources), (1, art.cues)):  # cues win a (rare) clash
        for a, b in spans:
            lo = int(np.searchsorted(enc.ends, a, side="right"))
            hi = int(np.searchsorted(enc.starts, b, side="left"))
            if hi > lo:
                y[lo] = 2 * kind - 1
                y[lo + 1 : hi] = 2 * kind
    return y


def _block_sizes(model: AttributionModel) -> list[int]:
    """Column blocks of the design matrix, in the order of :func:`_block_indices`."""
    nw, ns, nb = model.n_words, len(model.suffix_vocab), model.bigram_keys.size + 2
    nt = len(model.stem_vocab or ())
    return ([nw] * len(WORD_WINDOW) + [N_SHAPES] * len(SHAPE_WINDOW) + [ns] * len(model.suffix_window)
            + [nb, nb, 4, N_POS, N_POS] + [nt] * len(model.stem_window))


def _block_indices(enc: _Encoded, model: AttributionModel) -> list[np.ndarray]:
    cols = [_shift(enc.word, k, PAD) for k in WORD_WINDOW]
    cols += [_shift(enc.shape, k, 0) for k in SHAPE_WINDOW]
    cols += [_shift(enc.suffix, k, PAD) for k in model.suffix_window]
    cols += [enc.bigram_prev, enc.bigram_next, enc.quote, enc.pos_start, enc.pos_end]
    return cols + [_shift(enc.stem, k, PAD) for k in model.stem_window]


def _design(encs: list[_Encoded], model: AttributionModel):
    from scipy import sparse

    sizes = _block_sizes(model)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    blocks = [np.vstack(_block_indices(e, model)).T for e in encs if e.tokens]
    idx = np.vstack(blocks) + offsets[None, :]
    n, b = idx.shape
    data = np.ones(n * b, dtype=np.float32)
    indptr = np.arange(0, n * b + 1, b)
    return sparse.csr_matrix((data, idx.ravel(), indptr), shape=(n, int(sum(sizes))))


def _vocabulary(arts: Sequence[Article], min_form: int, min_word: int, min_suffix: int, min_bigram: int,
                suffix_window: Sequence[int] = FORMAT1_SUFFIX_WINDOW,
                stem_window: Sequence[int] = FORMAT1_STEM_WINDOW, min_stem: int = 2) -> AttributionModel:
    """An untrained model holding the vocabularies (weights are zero)."""
    forms: Counter[str] = Counter()
    for art in arts:
        forms.update(tokenize_spans(art.text)[0])
    words: Counter[str] = Counter()
    suffixes: Counter[str] = Counter()
    stems: Counter[str] = Counter()
    for f, c in forms.items():
        words[f.lower()] += c
        suffixes[_suffix(f)] += c
        stems[_stem(f)] += c
    word_list = ["<pad>", "<unk>", *sorted(w for w, c in words.items() if c >= min_word)]
    suffix_list = ["<pad>", "<unk>", *sorted(s for s, c in suffixes.items() if c >= min_suffix)]
    wv = {w: i for i, w in enumerate(word_list)}
    sv = {s: i for i, s in enumerate(suffix_list)}
    form_list = sorted(f for f, c in forms.items() if c >= min_form)
    nw = len(word_list)
    stem_list = ["<pad>", "<unk>", *sorted(w for w, c in stems.items() if c >= min_stem)] if stem_window else None
    windows = {"suffix_window": tuple(suffix_window), "stem_window": tuple(stem_window)}
    model = _empty(form_list, word_list, suffix_list, np.zeros(0, dtype=np.int64), stem_list, **windows)
    # Bigrams of known words.
    bigrams: Counter[int] = Counter()
    for art in arts:
        enc = encode(art.text, [(0, len(art.text))], model)
        w = enc.word
        if w.size > 1:
            bigrams.update((w[:-1] * nw + w[1:]).tolist())
    keys = np.array(sorted(k for k, c in bigrams.items() if c >= min_bigram and k % nw > UNK and k // nw > UNK),
                    dtype=np.int64)
    del wv, sv
    return _empty(form_list, word_list, suffix_list, keys, stem_list, **windows)


def _empty(forms: list[str], words: list[str], suffixes: list[str], keys: np.ndarray, stems: list[str] | None = None,
           *, suffix_window: Sequence[int] = FORMAT1_SUFFIX_WINDOW,
           stem_window: Sequence[int] = FORMAT1_STEM_WINDOW) -> AttributionModel:
    wv = {w: i for i, w in enumerate(words)}
    sv = {s: i for i, s in enumerate(suffixes)}
    L = len(LABELS)
    nb = keys.size + 2
    stem_parts: dict = {}
    if stems is not None and stem_window:
        tv = {t: i for i, t in enumerate(stems)}
        stem_parts = {"stem_vocab": tv, "form_stem": np.array([tv.get(_stem(f), UNK) for f in forms], np.int64),
                      "stem": np.zeros((len(stem_window), len(stems), L), np.float32)}
    return AttributionModel(
        vocab={f: i for i, f in enumerate(forms)},
        form_word=np.array([wv.get(f.lower(), UNK) for f in forms], dtype=np.int64),
        form_shape=np.array([_shape(f) for f in forms], dtype=np.int64),
        form_suffix=np.array([sv.get(_suffix(f), UNK) for f in forms], dtype=np.int64),
        lower_vocab=wv, suffix_vocab=sv, bigram_keys=keys,
        word=np.zeros((len(WORD_WINDOW), len(words), L), np.float32),
        shape=np.zeros((len(SHAPE_WINDOW), N_SHAPES, L), np.float32),
        suffix=np.zeros((len(suffix_window), len(suffixes), L), np.float32), bigram=np.zeros((2, nb, L), np.float32),
        quote=np.zeros((4, L), np.float32), pos=np.zeros((2, N_POS, L), np.float32),
        bias=np.zeros(L, np.float32), stack=np.zeros((0, 0, L), np.float32),
        stack_bias=np.zeros((0, L), np.float32), stack_window=0, o_offset=0.0, meta={},
        suffix_window=tuple(suffix_window), stem_window=tuple(stem_window) if stem_parts else (), **stem_parts,
    )


def _with_stage1(model: AttributionModel, coef: np.ndarray, intercept: np.ndarray) -> AttributionModel:
    """Split stage-1 coefficients (L, n_columns) into the gather tables."""
    import dataclasses

    tables = []
    pos = 0
    for size in _block_sizes(model):
        tables.append(coef[:, pos : pos + size].T.astype(np.float32))
        pos += size
    it = iter(tables)

    def take(k: int) -> list[np.ndarray]:
        return [next(it) for _ in range(k)]

    word, shape = np.stack(take(len(WORD_WINDOW))), np.stack(take(len(SHAPE_WINDOW)))
    suffix = np.stack(take(len(model.suffix_window)))
    bigram, (quote,), pos_ = np.stack(take(2)), take(1), np.stack(take(2))
    extra = {"stem": np.stack(take(len(model.stem_window)))} if model.stem_window else {}
    return dataclasses.replace(model, word=word, shape=shape, suffix=suffix, bigram=bigram, quote=quote, pos=pos_,
                               bias=intercept.astype(np.float32), **extra)


def _fit_lr(X, y: np.ndarray, C: float, seed: int, max_iter: int = 200):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    with warnings.catch_warnings():
        # lbfgs stops at max_iter with a warning; the dev score is what counts.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LogisticRegression(C=C, max_iter=max_iter, tol=1e-4, random_state=seed).fit(X, y)


@dataclass
class _Prepared:
    arts: list[Article]
    spans: list[list[tuple[int, int]]]
    encs: list[_Encoded]
    y: list[np.ndarray]


def _prepare(arts: list[Article], model: AttributionModel) -> _Prepared:
    from .._segment import segment

    spans = [segment(a.text) for a in arts]
    encs = [encode(a.text, s, model) for a, s in zip(arts, spans)]
    return _Prepared(arts, spans, encs, [_token_labels(a, e) for a, e in zip(arts, encs)])


def fit(arts: list[Article], *, C: float = 0.5, C2: float = 1.0, window: int = 3, stages: int = 2, folds: int = 3,
        o_offset: float = 0.0, seed: int = 0, min_form: int = 2, min_word: int = 2, min_suffix: int = 3,
        min_bigram: int = 3, max_iter: int = 200, suffix_window: Sequence[int] = SUFFIX_WINDOW,
        stem_window: Sequence[int] = STEM_WINDOW, min_stem: int = 2,
        log=print) -> AttributionModel:
    """Fit the stage-1 tables and ``stages`` stacked stages on ``arts``; returns the model (not saved)."""
    import dataclasses

    t0 = time.perf_counter()
    base = _vocabulary(arts, min_form, min_word, min_suffix, min_bigram, suffix_window, stem_window, min_stem)
    prep = _prepare(arts, base)
    X = _design(prep.encs, base)
    y = np.concatenate(prep.y)
    log(f"  {len(arts)} articles, {X.shape[0]:,} tokens, {X.shape[1]:,} columns, "
        f"label counts {np.bincount(y, minlength=len(LABELS)).tolist()} ({time.perf_counter() - t0:.0f}s)")
    lr = _fit_lr(X, y, C, seed, max_iter)
    model = dataclasses.replace(_with_stage1(base, lr.coef_, lr.intercept_), o_offset=o_offset)
    log(f"  stage 1 fitted ({time.perf_counter() - t0:.0f}s)")
    if stages == 0:
        return model
    # Out-of-fold scores (folds by article) train each later stage without the
    # optimism of in-sample scores.
    docs = [i for i, e in enumerate(prep.encs) if e.tokens]
    doc_fold = np.arange(len(arts)) % folds
    tok_fold = np.concatenate([np.full(len(prep.encs[i].tokens), doc_fold[i]) for i in docs])
    z_oof = {}
    for f in range(folds):
        tr = tok_fold != f
        lr_f = _fit_lr(X[tr], y[tr], C, seed, max_iter)
        m_f = _with_stage1(base, lr_f.coef_, lr_f.intercept_)
        for i in docs:
            if doc_fold[i] == f:
                z_oof[i] = stage1_scores(prep.encs[i], m_f)
        log(f"  stage-1 fold {f + 1}/{folds} ({time.perf_counter() - t0:.0f}s)")
    ws, bs = [], []
    for _stage in range(stages):
        S = {i: stack_features(_softmax(z_oof[i].copy()), prep.encs[i], window) for i in docs}
        allS = np.vstack([S[i] for i in docs])
        lr2 = _fit_lr(allS, y, C2, seed, 80)
        ws.append(lr2.coef_.T.astype(np.float32))
        bs.append(lr2.intercept_.astype(np.float32))
        if _stage + 1 < stages:
            for f in range(folds):
                lr_f = _fit_lr(allS[tok_fold != f], y[tok_fold != f], C2, seed, 80)
                for i in docs:
                    if doc_fold[i] == f:
                        z_oof[i] = S[i] @ lr_f.coef_.T + lr_f.intercept_
        log(f"  stage {_stage + 2} fitted ({time.perf_counter() - t0:.0f}s)")
    return dataclasses.replace(model, stack=np.stack(ws), stack_bias=np.stack(bs), stack_window=window)



# ----------------------------------------------------------------------------- evaluation


_STRIP = " \t\n\r.,;:!?\"'“”‘’()[]—–-"


def _strip(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A span without surrounding whitespace and punctuation (unchanged if nothing is left)."""
    a, b = span
    while a < b and text[a] in _STRIP:
        a += 1
    while b > a and text[b - 1] in _STRIP:
        b -= 1
    return (a, b) if b > a else span


def match_counts(text: str, gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> dict[str, int]:
    """True positives under exact and overlap matching; each gold span matches at most once.

    Exact: identical offsets after stripping surrounding whitespace and punctuation from
    both. Overlap: the spans share at least one character (greedy, predictions in text
    order, each taking the first unmatched gold span it overlaps).
    """
    gold = sorted(set(gold))
    pred = sorted(set(pred))
    gs = {_strip(text, g) for g in gold}
    exact = len(gs & {_strip(text, p) for p in pred})
    used = [False] * len(gold)
    overlap = 0
    for a, b in pred:
        for j, (ga, gb) in enumerate(gold):
            if not used[j] and a < gb and ga < b:
                used[j] = True
                overlap += 1
                break
    return {"gold": len(gold), "pred": len(pred), "exact": exact, "overlap": overlap}


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def evaluate(arts: list[Article], model: AttributionModel | None = None) -> dict[str, dict]:
    """Cue and source precision/recall/F1 (exact and overlap) over ``arts``."""
    from .._segment import segment

    totals = {k: Counter() for k in ("cue", "source")}
    modes: Counter[tuple[str, str]] = Counter()
    for art in arts:
        spans = segment(art.text)
        found = extract_attributions(art.text, spans, model=model)
        cues = [a.cue for sent in found for a in sent]
        sources = [a.source for sent in found for a in sent if a.source is not None]
        totals["cue"].update(match_counts(art.text, art.cues, cues))
        totals["source"].update(match_counts(art.text, art.sources, sources))
        gold_mode = {cue: gold_mode_of(art.text, content) for cue, _src, content in art.attributions}
        for a in (a for sent in found for a in sent):
            hit = next((g for g in gold_mode if g[0] < a.cue[1] and a.cue[0] < g[1]), None)
            if hit is not None:
                modes[(gold_mode[hit], a.mode)] += 1
    out: dict[str, dict] = {}
    for kind, t in totals.items():
        out[kind] = {"gold": t["gold"], "pred": t["pred"],
                     "exact": prf(t["exact"], t["pred"], t["gold"]), "overlap": prf(t["overlap"], t["pred"], t["gold"])}
    n_modes = sum(modes.values())
    out["mode"] = {"matched_cues": n_modes,
                   "accuracy": sum(v for (g, pr), v in modes.items() if g == pr) / n_modes if n_modes else 0.0,
                   "confusion": {f"{g}->{pr}": v for (g, pr), v in sorted(modes.items())}}
    return out


def gold_mode_of(text: str, content: Sequence[tuple[int, int]]) -> str:
    """Mode of a gold attribution from its content: no quotation mark in it -> indirect;
    quotation marks only at its ends (after stripping trailing punctuation) -> direct;
    otherwise mixed. PolNeAR does not annotate the mode; this is our rule."""
    if not content:
        return "indirect"
    s = " ".join(text[a:b] for a, b in content).strip(" \n\t.,;:!?")
    marks = sum(s.count(q) for q in '"“”')
    if marks == 0:
        return "indirect"
    inner = s.strip('"“”').strip(" \n\t.,;:!?")
    if not any(q in inner for q in '"“”'):
        return "direct"  # marks only at its ends (one end when the quote spans sentences)
    return "mixed"


# ----------------------------------------------------------------------------- saving


def _bytes(strings: list[str]) -> np.ndarray:
    for s in strings:
        if "\n" in s:
            raise ValueError(f"vocabulary entry with a newline: {s!r}")
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def save(model: AttributionModel, out: str | Path, meta: dict) -> Path:
    """Write ``weights.npz`` (float16 tables, no pickles) and ``model.json`` with its sha256."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    forms = sorted(model.vocab, key=model.vocab.__getitem__)
    words = sorted(model.lower_vocab, key=model.lower_vocab.__getitem__)
    suffixes = sorted(model.suffix_vocab, key=model.suffix_vocab.__getitem__)
    small = np.int32
    arrays = {
        "forms": _bytes(forms), "words": _bytes(words), "suffixes": _bytes(suffixes),
        "form_word": model.form_word.astype(small), "form_shape": model.form_shape.astype(np.int8),
        "form_suffix": model.form_suffix.astype(small), "bigram_keys": model.bigram_keys.astype(np.int64),
        # float16 halves the file; the rounding (about 1e-3 relative) does not change
        # argmax decisions measurably (checked on dev).
        **{k: getattr(model, k).astype(np.float16) for k in ("word", "shape", "suffix", "bigram", "quote", "pos")},
        "bias": model.bias.astype(np.float32), "stack": model.stack.astype(np.float32),
        "stack_bias": model.stack_bias.astype(np.float32),
    }
    windows = {"suffix_window": list(model.suffix_window)}
    if model.stem is not None and model.stem_window:
        stems = sorted(model.stem_vocab, key=model.stem_vocab.__getitem__)
        arrays.update(stems=_bytes(stems), form_stem=model.form_stem.astype(small), stem=model.stem.astype(np.float16))
        windows["stem_window"] = list(model.stem_window)
    path = out / ARRAYS_FILE
    _write_npz(path, arrays)  # fixed zip timestamps: the same weights give the same bytes
    digest = _sha256_file(path)
    full = {"format": FORMAT, "format_version": FORMAT_VERSION, "arrays_file": ARRAYS_FILE,
            "arrays_sha256": digest, "labels": list(LABELS), "stack_window": model.stack_window,
            "o_offset": model.o_offset, **windows, **meta}
    full[INTEGRITY_KEY] = manifest_digest(full)  # metadata and (through arrays_sha256) arrays
    (out / META_FILE).write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    return path


def train(polnear: str | Path = DEFAULT_POLNEAR, splits: Sequence[str] = ("train", "dev"),
          out: str | Path | None = None, *, C: float = 0.5, C2: float = 1.0, window: int = 3, seed: int = 0,
          o_offset: float = 1.0, log=print, **options) -> AttributionModel:
    """Train on ``splits`` of PolNeAR and (if ``out``) save; returns the reloaded model.
    ``options`` go to :func:`fit` (and are recorded in the metadata)."""
    np.random.seed(seed)
    arts = [a for s in splits for a in load_polnear(polnear, s)]
    model = fit(arts, C=C, C2=C2, window=window, seed=seed, o_offset=o_offset, log=log, **options)
    if out is None:
        return model
    meta = {
        "trained_on": {"corpus": "PolNeAR (Newell et al., LREC 2018)", "splits": list(splits),
                       "articles": len(arts), "annotation_rule": "one .ann per text: first annotator suffix"},
        "hyperparameters": {"C": C, "C2": C2, "stack_window": window, "seed": seed, "o_offset": o_offset,
                            **{k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}},
    }
    save(model, out, meta)
    return load_attribution_model(out)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--polnear", default=DEFAULT_POLNEAR or None, required=not DEFAULT_POLNEAR,
                    help="PolNeAR's data/ directory (default: $FRAMING_POLNEAR)")
    ap.add_argument("--splits", nargs="+", default=["train", "dev"])
    ap.add_argument("--out", default=str(default_model_dir()))
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--C2", type=float, default=1.0)
    ap.add_argument("--window", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--o-offset", type=float, default=1.0, help="taken off the O score (trades precision for recall)")
    ap.add_argument("--eval", nargs="*", default=[], help="splits to evaluate after training (e.g. dev)")
    args = ap.parse_args(argv)
    model = train(args.polnear, args.splits, args.out, C=args.C, C2=args.C2, window=args.window, seed=args.seed,
                  o_offset=args.o_offset)
    for split in args.eval:
        r = evaluate(load_polnear(args.polnear, split), model)
        for kind in ("cue", "source"):
            print(split, kind, {m: {k: round(v, 4) for k, v in r[kind][m].items()} for m in ("overlap", "exact")})


if __name__ == "__main__":
    main()
