"""The tagger's weight tables, the attribution record it produces, and loading a model
directory: the format constants and checks (integrity helpers from :mod:`framing._modelfile`)."""

from __future__ import annotations

import functools
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .._errors import ModelError
from .._modelfile import _finite_arrays, _sha256_file, read_manifest, verify_manifest

__all__ = [
    "SpanAttribution", "AttributionModel", "load_attribution_model", "default_model_dir", "LABELS", "FORMAT",
    "FORMAT_VERSION", "META_FILE", "ARRAYS_FILE", "WORD_WINDOW", "SHAPE_WINDOW", "SUFFIX_WINDOW", "STEM_WINDOW",
    "PAD", "UNK", "_KeyIndex",
]

LABELS: tuple[str, ...] = ("O", "B-CUE", "I-CUE", "B-SRC", "I-SRC")
FORMAT = "framing-attribution"
FORMAT_VERSION = 1
META_FILE = "model.json"
ARRAYS_FILE = "weights.npz"
# Feature windows (token offsets) of the weight tables.
WORD_WINDOW = (-3, -2, -1, 0, 1, 2, 3)
SHAPE_WINDOW = (-2, -1, 0, 1, 2)
SUFFIX_WINDOW = (0,)  # defaults of models whose metadata names no windows (format 1 as first shipped)
STEM_WINDOW: tuple[int, ...] = ()
PAD, UNK = 0, 1  # reserved rows of the word, suffix and bigram tables


@dataclass(frozen=True)
class SpanAttribution:
    """One attribution in a sentence; offsets are document character offsets.

    Attributes
    ----------
    source : (int, int) or None
        The source phrase ("KCNA", "a senior U.S. official", "he"); None when the
        sentence names none (an agentless "it was reported").
    cue : (int, int)
        The cue ("said", "according to", "told Reuters").
    mode : str
        ``"direct"`` (the content is a quotation), ``"indirect"`` (reported speech)
        or ``"mixed"`` (reported speech with quoted fragments).
    source_name : str or None
        Canonical name: the lexicon entry or proper name in the source phrase (for a
        resolved pronoun, the antecedent's), else the phrase itself; None if no source.
    source_type : str
        ``state_media``, ``official``, ``analyst``, ``independent_media``,
        ``nonstate``; ``pronoun`` for an unresolved pronoun; else ``other``
        (also when there is no source).
    resolved : bool
        True when a pronoun or definite description was resolved to an earlier source.
    resolved_from : (int, int) or None
        Offsets of the earlier source phrase it was resolved to.
    """

    source: tuple[int, int] | None
    cue: tuple[int, int]
    mode: str
    source_name: str | None
    source_type: str
    resolved: bool = False
    resolved_from: tuple[int, int] | None = None


@dataclass(frozen=True)
class AttributionModel:
    """Weight tables of the tagger (see :mod:`framing._attribution`); load with :func:`load_attribution_model`."""

    vocab: dict[str, int]  # surface form -> row of the per-form arrays below
    form_word: np.ndarray  # form -> lower-cased word row (UNK if rare)
    form_shape: np.ndarray  # form -> shape id
    form_suffix: np.ndarray  # form -> suffix row
    lower_vocab: dict[str, int]  # lower-cased word -> word row (for forms not in ``vocab``)
    suffix_vocab: dict[str, int]
    bigram_keys: np.ndarray  # sorted int64 keys ``left * n_words + right``
    word: np.ndarray  # (len(WORD_WINDOW), n_words, L)
    shape: np.ndarray  # (len(SHAPE_WINDOW), N_SHAPES, L)
    suffix: np.ndarray  # (len(suffix_window), n_suffixes, L)
    bigram: np.ndarray  # (2, n_bigrams + 2, L): (prev, cur) and (cur, next)
    quote: np.ndarray  # (4, L): outside/inside x plain/quote mark
    pos: np.ndarray  # (2, N_POS, L): distance from the sentence start and end
    bias: np.ndarray  # (L,)
    stack: np.ndarray  # (n_stages, n_stack_features, L): later stages, each over the previous one's output
    stack_bias: np.ndarray  # (n_stages, L)
    stack_window: int
    o_offset: float
    meta: dict
    suffix_window: tuple[int, ...] = SUFFIX_WINDOW
    stem_window: tuple[int, ...] = STEM_WINDOW
    form_stem: np.ndarray | None = None  # form -> stem row
    stem_vocab: dict[str, int] | None = None  # crude stem (see tokens._stem) -> stem row
    stem: np.ndarray | None = None  # (len(stem_window), n_stems, L)

    @property
    def n_words(self) -> int:
        return self.word.shape[1]

    @functools.cached_property
    def bigram_index(self) -> _KeyIndex:
        """Row of each bigram key, as a hash table (built on first use)."""
        return _KeyIndex(self.bigram_keys)


class _KeyIndex:
    """Position of int64 keys in a sorted array, by open addressing with vectorised
    linear probing: a look-up is a few gathers, where a binary search over tens of
    thousands of keys costs a cache miss per step."""

    _MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing

    def __init__(self, keys: np.ndarray) -> None:
        self.bits = max(4, int(np.ceil(np.log2(max(keys.size, 1) * 3))))
        size = 1 << self.bits
        self.slot_key = np.full(size, -1, dtype=np.int64)
        self.slot_row = np.zeros(size, dtype=np.int64)
        pending = np.arange(keys.size)
        slot = self._hash(keys)
        while pending.size:
            # Place each pending key whose slot is free (the first of any that collide
            # there); the others move to the next slot.
            s = slot[pending]
            free = self.slot_key[s] == -1
            _u, first = np.unique(s, return_index=True)
            place = np.zeros(pending.size, dtype=bool)
            place[first] = True
            place &= free
            self.slot_key[s[place]] = keys[pending[place]]
            self.slot_row[s[place]] = pending[place]
            pending = pending[~place]
            slot[pending] = (slot[pending] + 1) & (size - 1)

    def _hash(self, k: np.ndarray) -> np.ndarray:
        return ((k.astype(np.uint64) * self._MULT) >> np.uint64(64 - self.bits)).astype(np.int64)

    def find(self, k: np.ndarray, missing: int) -> np.ndarray:
        """Position of every key of ``k`` in the sorted key array, ``missing`` if absent."""
        out = np.full(k.size, missing, dtype=np.int64)
        slot = self._hash(k)
        pending = np.arange(k.size)
        mask = self.slot_key.size - 1
        while pending.size:
            s = slot[pending]
            sk = self.slot_key[s]
            hit = sk == k[pending]
            out[pending[hit]] = self.slot_row[s[hit]]
            pending = pending[~hit & (sk != -1)]
            slot[pending] = (slot[pending] + 1) & mask
        return out


# ----------------------------------------------------------------------------- loading


def default_model_dir() -> Path:
    return Path(str(resources.files("framing") / "models" / "attribution"))


def _strings(a: np.ndarray) -> list[str]:
    """Strings stored as newline-joined UTF-8 bytes (no pickles in the npz)."""
    if a.size == 0:
        return []
    return bytes(a.astype(np.uint8)).decode("utf-8").split("\n")


def load_attribution_model(directory: str | Path | None = None) -> AttributionModel:
    """Load the attribution tagger, verifying the arrays' sha256.

    Parameters
    ----------
    directory : str or Path, optional
        A directory written by :mod:`framing._attribution.train`; the shipped model
        by default (cached per process).

    Returns
    -------
    AttributionModel

    Raises
    ------
    ModelError
        When the directory has no metadata, the format is unknown, or the arrays are
        missing, damaged or do not match their recorded sha256.
    """
    if directory is None:
        return _load_default()
    return _load(Path(directory))


@functools.lru_cache(maxsize=1)
def _load_default() -> AttributionModel:
    return _load(default_model_dir())


def _window(meta: dict, key: str, default: tuple[int, ...], where: Path) -> tuple[int, ...]:
    value = meta.get(key, list(default))
    if not (isinstance(value, list) and all(isinstance(x, int) and not isinstance(x, bool) and -8 <= x <= 8
                                            for x in value)):
        raise ModelError(f"{where}: {key!r} must be a list of small integers, not {value!r}")
    return tuple(value)


def _load(directory: Path) -> AttributionModel:
    meta_path = directory / META_FILE
    if not meta_path.is_file():
        raise ModelError(f"{directory}: no {META_FILE}; not an attribution model directory")
    meta = read_manifest(meta_path)
    if meta.get("format") != FORMAT or meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{meta_path}: format {meta.get('format')!r} v{meta.get('format_version')!r}; "
                         f"expected {FORMAT!r} v{FORMAT_VERSION}")
    arrays_name = meta.get("arrays_file", ARRAYS_FILE)
    arrays_path = directory / str(arrays_name)
    if not isinstance(arrays_name, str) or arrays_path.parent != directory or not arrays_path.is_file():
        raise ModelError(f"{arrays_path}: missing")
    digest = _sha256_file(arrays_path)
    if digest != meta.get("arrays_sha256"):
        raise ModelError(f"{arrays_path}: sha256 {digest[:12]}… does not match the recorded "
                         f"{str(meta.get('arrays_sha256'))[:12]}…; the weights were altered or damaged")
    if meta.get("labels", list(LABELS)) != list(LABELS):
        raise ModelError(f"{meta_path}: label order {meta.get('labels')!r} differs from {list(LABELS)}")
    verify_manifest(meta, meta_path)
    stack_window, o_offset = meta.get("stack_window"), meta.get("o_offset")
    if isinstance(stack_window, bool) or not isinstance(stack_window, int) or not 0 <= stack_window <= 16:
        raise ModelError(f"{meta_path}: stack_window {stack_window!r} must be an integer from 0 to 16")
    if isinstance(o_offset, bool) or not isinstance(o_offset, int | float) or not np.isfinite(o_offset):
        raise ModelError(f"{meta_path}: o_offset {o_offset!r} must be a finite number")
    suffix_window = _window(meta, "suffix_window", SUFFIX_WINDOW, meta_path)
    stem_window = _window(meta, "stem_window", STEM_WINDOW, meta_path)
    try:
        with np.load(arrays_path, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        _finite_arrays(a, arrays_path)
        forms = _strings(a["forms"])
        words = _strings(a["words"])
        suffixes = _strings(a["suffixes"])
        f32 = {k: a[k].astype(np.float32) for k in
               ("word", "shape", "suffix", "bigram", "quote", "pos", "bias", "stack", "stack_bias")}
        if f32["suffix"].ndim == 2:  # one suffix table (models without windowed suffixes)
            f32["suffix"] = f32["suffix"][None]
        stems: dict = {}
        if "stem" in a:
            stems = {"stem_vocab": {s: i for i, s in enumerate(_strings(a["stems"]))},
                     "form_stem": a["form_stem"].astype(np.int64), "stem": a["stem"].astype(np.float32)}
        return AttributionModel(
            vocab={f: i for i, f in enumerate(forms)},
            form_word=a["form_word"].astype(np.int64), form_shape=a["form_shape"].astype(np.int64),
            form_suffix=a["form_suffix"].astype(np.int64),
            lower_vocab={w: i for i, w in enumerate(words)}, suffix_vocab={s: i for i, s in enumerate(suffixes)},
            bigram_keys=a["bigram_keys"].astype(np.int64), stack_window=stack_window,
            o_offset=float(o_offset), meta=meta, suffix_window=suffix_window,
            stem_window=stem_window if stems else (), **f32, **stems,
        )
    except ModelError:
        raise
    except (KeyError, ValueError, TypeError, IndexError, OSError, EOFError, UnicodeDecodeError,
            zipfile.BadZipFile) as exc:
        raise ModelError(f"{arrays_path}: incomplete or damaged arrays ({exc})") from None
