"""Sentence segmentation for English news text.

The segmenter never alters the text: it returns ``(start, end)`` character offsets,
and ``text[start:end]`` is the sentence. Spans are sorted, do not overlap, never
start or end with whitespace, and together cover every non-whitespace character
exactly once.

How it works, in one pass over the text and in time linear in its length:

1. Line breaks split the text into blocks. A blank line always ends a sentence;
   a single line break ends one too (headlines, datelines, bylines, captions and
   list items have no final punctuation) unless the next line starts in lower case,
   which marks a hard-wrapped sentence.
2. Inside a block, every run of terminal marks (``.``, ``!``, ``?``, ``…``, spaced
   ellipses), with the closing quotes and brackets attached to it and followed by
   white space, is a candidate. A candidate ends a sentence unless the next word
   starts in lower case, or the word before it is a known abbreviation, initial or
   acronym that the next word does not clearly leave behind.
3. A block that opens with a list marker (``1.``, ``2)``, ``a.``, ``•``) is also cut
   before each following marker of the same list.

The rules were written against the Golden Rules of pySBD and Wikinews gold
boundaries (see ``benchmarks/segmentation.py``); no regular expression here can
backtrack more than a bounded distance, so worst-case input stays linear.
"""

from __future__ import annotations

import itertools
import re

from ._errors import InputError

__all__ = ["segment"]

# Titles and other abbreviations that precede a name or number: a period after them
# never ends a sentence when a capitalised word or a number follows.
_TITLES = frozenset(
    """
    mr mrs ms messrs mme mlle dr prof gen gens sen sens rep reps gov govs lt col capt
    cpt sgt adm maj cpl pvt brig cmdr cdr amb atty rev hon pres supt insp det mt st ft
    fr sr jr sec secs
    """.split()
)
# Words abbreviated before a number ("No. 7", "p. 55", "Vol. 2"): no end before the
# number; before anything else they are ordinary words ("He said no. Then ...").
_NUMBERED = frozenset("no nos n° p pp fig figs vol vols art arts ch para ref tel approx est".split())
# Months: "Jan. 5" never ends; "in Jan. The" does (decided by the next word).
_NUMERIC_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations that may end a sentence: a period after them ends one only when the
# next word is one that typically starts a sentence.
_ABBREVIATIONS = frozenset(
    """
    inc corp co ltd llc plc bros cos dept depts univ assn assoc ave blvd rd hwy etc
    vs v al cf ca ie eg viz ibid ph phd mass calif ala ariz ark colo conn del fla ga
    ill ind kan kans ky la md mich minn miss mo mont neb nev okla ore pa tenn tex va
    vt wash wis wyo mins hrs yrs sq oz lb lbs ft km kg cm mm mi pt pts min max govt
    """.split()
)
_TIME_ABBREVIATIONS = frozenset(["a.m", "p.m"])

# Capitalised words that usually begin a sentence rather than continue a name.
_STARTERS = frozenset(
    """
    A An The This That These Those It Its He She They We I You His Her Their Our My
    Your There Here But And Or So Yet However Meanwhile In On At For After Before As
    If When While Although Though Since What Why How Who Whom Whose Where Which Some
    Many Most Several Such One No Not Still Also Then Now Later Earlier According
    Last Did Please Let Yes Both Each Every All Other Another More Even Just Only
    Despite During Under With Without By From To Of Over About Among Until Because
    Instead Thus Therefore Indeed Nevertheless Furthermore Moreover Today Yesterday
    Tomorrow Asked Officials Experts Analysts
    """.split()
)

_TERMINALS = ".!?…"
# A run of terminal marks, including spaced ellipses (". . ."); the closing quotes
# and brackets that belong to the sentence it ends.
_TERMINAL_RUN = re.compile(r"[.!?…‼⁇⁈⁉]+(?:[ \u00a0][.!?…]+)*")
# Left quotes count as closers only when stuck to the mark ("decision.“ However"),
# a common typing slip; an opening quote always follows white space.
_CLOSERS = frozenset("\"'”’»)]}“‘«")
_OPENERS = frozenset("\"'“‘«([{")
# Line breaks with the white space around them.
_LINE_BREAK = re.compile(r"(?:\r\n|[\r\n\u2028\u2029\x85\x0b\x0c])\s*")
_LINE_BREAK_CHARS = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_BULLETS = "•⁃▪◦‣∙●■►–-*"
_LIST_START = re.compile(
    r"[\s]*(?:(?P<bullet>[•⁃▪◦‣∙●■►])[ \t\u00a0]*)?"
    r"(?:(?P<num>\d{1,3})|(?P<letter>[a-z]))(?P<style>\.\)|\)|\.)(?=\s)"
)
_BULLET_ONLY = re.compile(r"[\s]*(?P<bullet>[•⁃▪◦‣∙●■►])")
_LIST_MARKER_ONLY = re.compile(
    r"\s*(?:[•⁃▪◦‣∙●■►][ \t\u00a0]*)?(?:\d{1,3}|[a-zA-Z])(?:\.\)|\)|\.)?\s*\Z"
)
# Credit lines glued to a caption ("... in Washington. Image: U.S. Navy.") are a
# sentence of their own.
_CREDIT = re.compile(r"(?<=\s)(?:Image|Photo|Photograph|Picture|Credit|Video|Illustration)s?:(?=\s)")
_TOKEN_WINDOW = 48
_GLUED_WORD = re.compile(r"(?<![\w.@/])[a-z]{2,}\Z")
# A domain or an acronym before a lost space ("cnn.com.Then", "U.S.The"): glued only
# when the next word is one that usually opens a sentence.
_GLUED_DOMAIN_OR_ACRONYM = re.compile(r"(?:\b[\w-]+\.(?:com|org|net|gov|edu|int|io|co\.uk)|\b(?:[A-Z]\.)+[A-Z])\Z")
_NEXT_WORD = re.compile(r"[A-Z][a-z]+")


def segment(text: str) -> list[tuple[int, int]]:
    """Split English news text into sentences, as character offsets.

    Parameters
    ----------
    text : str
        The document, exactly as given. It is never modified.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets of each sentence, in order; ``text[start:end]``
        is the sentence. Spans are non-overlapping, never start or end with white
        space, and cover every non-whitespace character exactly once. An empty or
        whitespace-only text gives an empty list.

    Notes
    -----
    Runs in time linear in ``len(text)`` (about 3 µs per sentence of typical news on
    one core) and uses memory proportional to the number of sentences.

    Examples
    --------
    >>> text = "Mr. Kim met Gen. Smith at 5 p.m. on Jan. 5. They talked."
    >>> [text[s:e] for s, e in segment(text)]
    ['Mr. Kim met Gen. Smith at 5 p.m. on Jan. 5.', 'They talked.']
    """
    if not isinstance(text, str):
        hint = "; decode bytes first (text = data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
        raise InputError(f"segment() expects str, got {type(text).__name__}{hint}")
    cuts: list[int] = []
    block_start = 0
    for brk in _LINE_BREAK.finditer(text):
        nxt = brk.end()
        blank_line = len(_LINE_BREAK_CHARS.findall(brk.group())) > 1
        if not blank_line and nxt < len(text) and text[nxt].islower() and not _ends_line(text, brk.start()):
            continue  # a hard-wrapped line: the sentence goes on
        _cut_block(text, block_start, brk.start(), cuts)
        cuts.append(brk.start())
        block_start = nxt
    _cut_block(text, block_start, len(text), cuts)
    return _spans(text, cuts)


def _ends_line(text: str, pos: int) -> bool:
    """Whether the line before ``pos`` ends with a terminal mark (and closers)."""
    i = pos - 1
    while i >= 0 and text[i] in _CLOSERS:
        i -= 1
    return i >= 0 and text[i] in _TERMINALS


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans = []
    prev = 0
    for cut in [*cuts, len(text)]:
        if cut <= prev:
            continue
        piece = text[prev:cut]
        stripped = piece.lstrip()
        if stripped:
            start = prev + len(piece) - len(stripped)
            end = start + len(stripped.rstrip())
            spans.append((start, end))
        prev = cut
    return spans


def _cut_block(text: str, start: int, end: int, cuts: list[int]) -> None:
    """Append the sentence cuts inside ``text[start:end]`` (a block with no line break)."""
    if start >= end:
        return
    list_cuts = _list_cuts(text, start, end)
    credit_cuts = [m.start() for m in _CREDIT.finditer(text, start, end)]
    if credit_cuts:
        list_cuts = sorted({*list_cuts, *credit_cuts})
    li = 0
    last = start
    for run in _TERMINAL_RUN.finditer(text, start, end):
        while li < len(list_cuts) and list_cuts[li] <= run.start():
            last = list_cuts[li]
            cuts.append(last)
            li += 1
        cut = _decide(text, run, last, end)
        if cut is not None:
            cuts.append(cut)
            last = cut
    cuts.extend(list_cuts[li:])


def _decide(text: str, run: re.Match[str], last: int, end: int) -> int | None:
    """Return the cut position if this run of terminal marks ends a sentence."""
    rs, re_ = run.span()
    close = re_
    while close < end and text[close] in _CLOSERS:
        close += 1
    if close < end and not text[close].isspace():
        # "border.The terrorists": a space lost when the page was scraped. Only a
        # lower-case word, one mark and a capitalised word qualify, which keeps
        # "U.S", "3.5", "example.com", "mean...see" and "Yahoo!-style" whole.
        if (
            re_ - rs == 1
            and close + 1 < end
            and text[close].isupper()
            and text[close + 1].islower()
            and _GLUED_WORD.search(text, max(last, rs - _TOKEN_WINDOW), rs)
        ):
            return close
        if re_ - rs == 1 and _GLUED_DOMAIN_OR_ACRONYM.search(text, max(last, rs - _TOKEN_WINDOW), rs):
            word = _NEXT_WORD.match(text, close, end)
            if word and word.group() in _STARTERS and not text[word.end() : word.end() + 1].isalnum():
                return close
        return None
    # The next word, past white space and opening quotes or brackets.
    nxt = close
    while nxt < end and text[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return close
    word_start = nxt
    while word_start < end and text[word_start] in _OPENERS:
        word_start += 1
    first = text[word_start] if word_start < end else ""
    if first.islower():
        return None
    marks = run.group()
    dots = marks.replace(" ", "").replace("\u00a0", "")
    if first in "-–—":
        return None  # '"... a long game." - Matthew Ingram': the attribution follows
    if text[rs - 1 : rs] == "[" and text[re_ : re_ + 1] == "]":
        # An elision "[...]" ends a sentence only before a capitalised word,
        # not before a citation "(Smith 55)" or a continuing clause.
        return close if word_start == nxt and first.isupper() else None
    if "!" in dots or "?" in dots or "‼" in dots:
        return close
    if dots in ("...", "…"):
        return None  # an ellipsis of three dots marks an omission, not an end
    if len(dots) > 1:
        # "compounds. . . . The": the first period ends the sentence and the
        # spaced ellipsis opens the next one; "period . . . . Next" keeps all four.
        if marks[1:2] == " " and rs > last and not text[rs - 1].isspace():
            return rs + 1
        return close
    if rs == last or text[rs - 1].isspace():
        return close
    return close if _period_ends(text, rs, last, word_start, end, first) else None


def _period_ends(text: str, pos: int, last: int, word_start: int, end: int, first: str) -> bool:
    """Decide a single period at ``pos`` followed by a word that is not lower case."""
    window_start = max(last, pos - _TOKEN_WINDOW)
    token = text[window_start:pos].rsplit(None, 1)[-1] if pos > window_start else ""
    while token and token[0] in _OPENERS:
        token = token[1:]
    if "-" in token[1:]:
        token = token.rsplit("-", 1)[1]  # "post-Sept. 11", "ex-Gov. Smith"
    if pos - last < 12 and _LIST_MARKER_ONLY.fullmatch(text, last, pos + 1):
        return False  # "1. The first item": the marker opens the sentence
    low = token.lower()
    next_word = _word_at(text, word_start, end)
    if low in _TIME_ABBREVIATIONS:
        # "at 11 a.m. ET on Sunday", "6:30 p.m. Moscow time" go on; "... at 6 P.M. Mr. Smith
        # then ..." ends, but "At 5 a.m. Mr. Smith went" does not: a fronted time phrase
        # is not a sentence.
        if next_word in _STARTERS:
            return True
        return next_word.lower() in _TITLES and text.count(" ", last, pos) > 3
    if low in _TITLES:
        return False
    if low in _NUMBERED:
        if first.isdigit():
            return False
        if len(token) > 1:
            return True
    if low in _NUMERIC_ABBREVIATIONS:
        return not first.isdigit() and next_word in _STARTERS
    if (
        low in _ABBREVIATIONS
        or (len(token) == 1 and token.isalpha())
        or _ACRONYM.fullmatch(token)
    ):
        return next_word in _STARTERS
    return True


def _word_at(text: str, start: int, end: int) -> str:
    stop = start
    while stop < end and (text[stop].isalnum() or text[stop] in "'’-"):
        stop += 1
    return text[start:stop]


def _list_cuts(text: str, start: int, end: int) -> list[int]:
    """Cuts before each further marker of a list that opens the block."""
    m = _LIST_START.match(text, start, end)
    if m is None:
        b = _BULLET_ONLY.match(text, start, end)
        if b is None:
            return []
        bullet = b.group("bullet")
        return [i for i in _find_all(text, bullet, b.end(), end) if text[i - 1].isspace()]
    if m.group("bullet"):
        bullet = m.group("bullet")
        return [i for i in _find_all(text, bullet, m.end(), end) if text[i - 1].isspace()]
    style = m.group("style")
    if m.group("num") is not None:
        value = int(m.group("num"))
        labels = (str(n) for n in itertools.count(value + 1))
    else:
        value = ord(m.group("letter"))
        labels = (chr(c) for c in range(value + 1, ord("z") + 1))
    cuts = []
    pos = m.end()
    for label in labels:
        marker = f" {label}{style} "
        i = text.find(marker, pos, end)
        if i < 0:
            break
        cuts.append(i + 1)
        pos = i + len(marker)
    return cuts


def _find_all(text: str, needle: str, start: int, end: int) -> list[int]:
    found = []
    i = text.find(needle, start, end)
    while i >= 0:
        found.append(i)
        i = text.find(needle, i + 1, end)
    return found
