"""Resolving a pronoun or definite description ("he", "the agency") to the nearest
earlier compatible named source of the same document."""

from __future__ import annotations

import re

from .._lexicons import load_lexicons
from .names import (
    _MEDIA_TYPES,
    _ORG_HEADS,
    _PERSON_TITLES,
    _ROLE_WORDS,
    _TITLE_WORDS,
    _WEEKDAYS,
    _is_adverb,
    _phrase_info,
    _places,
)

__all__ = ["SourceResolver", "_compatible"]

# Seats of government named for a building or street: bodies, not persons.
_SEATS = frozenset({"house", "hall", "street", "palace"})
_RESOLVE_WINDOW = 6  # sentences: beyond this a pronoun is not resolved (too unreliable)
_HEAD_ONLY = frozenset({"poll", "survey", "study"})  # resolved only to a name with the same head
_HEAD_WINDOW = 25  # sentences back for a name with a description's head ("the panel")
_SCAN = 200  # history entries read back at most: bounded work per anaphor however long a sentence
_NEXT_WORD = re.compile(r"[ \u00a0](\S+)")  # one space (or a no-break space), then a word
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})
_NOT_NAMES = _WEEKDAYS | _MONTHS | _ORG_HEADS | {"i", "in"}
_TRAILING = ".,;:!?\"”’)]"
_HEADLINE_WINDOW = 300  # characters: a longer line is prose, not a headline
_ANTECEDENT_WINDOW = 120  # characters read back for the name before a relative "who"
# A party and state tag ("R-Wyoming", "D-N.Y.") or a state's capitals ("NY") after a name.
_PARTY_TAG = re.compile(r"(?:[RDI]-[A-Z][\w.]*(?: [A-Z][\w.]*)?|[A-Z]{2}|[A-Z]\.[A-Z]\.)$")
_PARTY_ONLY = re.compile(r"[RDI]-[A-Z][\w.]*(?: [A-Z][\w.]*)?")  # a tagged span that is a party tag alone
_CLAUSE_MARKS = (",", ";", ":", "(", "\n", '"', "“", "”", ". ")


def _headline(text: str, a: int, b: int) -> bool:
    """Whether the line holding ``text[a:b]`` reads as a headline: in capitals, or no
    closing punctuation and at least half its words capitalised."""
    start = text.rfind("\n", max(0, a - _HEADLINE_WINDOW), a) + 1
    stop = text.find("\n", b, b + _HEADLINE_WINDOW)
    if (start == 0 and a > _HEADLINE_WINDOW) or (stop < 0 and len(text) - b > _HEADLINE_WINDOW):
        return False
    line = text[start:stop if stop >= 0 else len(text)].strip()
    words = line.split()
    return bool(words) and (line.isupper() or (line[-1] not in _TRAILING and
                                                sum(w[:1].isupper() for w in words) * 2 >= len(words)))


def _name_end(text: str, a: int, b: int) -> int:
    """Where the person's name that ``text[a:b]`` ends inside of ends: the tagger may cut
    a name short ("Former President Bill| Clinton, speaking in ..."). When the span's last
    word is capitalised and no known name, place or body (a lexicon entry: "Trump",
    "Hamas", "Paris") and not in capitals, up to three more capitalised words read on,
    joined by single spaces: an initial's full stop joins ("George W. Bush"), any other
    punctuation ends the name after its word; a weekday, month, reporting verb (a cue of
    the lexicons), body's head word ("Administration"), acronym or owner's possessive ends
    it before. Nothing reads on when a fourth capitalised word follows or the line is a
    headline."""
    lex = load_lexicons()
    last = (text[a:b].split() or [""])[-1]
    if not last[:1].isupper() or not last[-1:].isalpha() or (last.isupper() and len(last) > 1) \
            or last in _places() or (lex.find([last], [last.lower()]) and last.lower() not in _TITLE_WORDS):
        return b  # a known name, place or body; a title ("Minister") reads on to the name
    end, pos = b, b
    for _ in range(3):
        m = _NEXT_WORD.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        core = word.rstrip(_TRAILING)
        if not core[:1].isupper() or not core[-1:].isalpha() or core.lower() in _NOT_NAMES \
                or (core.isupper() and len(core) > 1) or "'" in core or "’" in core \
                or any(kind == "cue" for _lo, _hi, kind in lex.find([core], [core.lower()])):
            break  # a reporting verb ("Trump Says ...") is the cue lexicon's
        end = m.start(1) + len(core)
        if core != word:  # punctuation after it: "Clinton," "Smith." (an initial's stop joins)
            if word[len(core):] == "." and len(core) == 1:
                end, pos = m.end(1), m.end(1)
                continue
            break
        pos = m.end(1)
    else:
        m = _NEXT_WORD.match(text, pos)
        if m is not None and m.group(1)[:1].isupper():
            return b  # a fourth capitalised word: title case, not a name
    if end == b or _headline(text, a, b):
        return b
    return end


def _relative_antecedent(text: str, a: int) -> str | None:
    """The proper name a relative "who" at ``text[a:]`` follows ("..., said Vijay Prashad,
    who ..."): the phrase back to the clause boundary before it must end on that name's
    last word, so "North Korea watchers, who" names nobody. A place or a party tag in
    commas after the name is passed over ("Rep. Liz Cheney, R-Wyoming, who")."""
    end = a
    for _ in range(2):
        if text[max(0, end - 2):end] != ", ":
            return None
        end -= 2
        start = max(text.rfind(c, max(0, end - _ANTECEDENT_WINDOW), end) for c in _CLAUSE_MARKS) + 1
        if start == 0 and end > _ANTECEDENT_WINDOW:
            return None  # no boundary near: too far back to tell
        phrase = text[start:end]
        if phrase.strip() not in _places() and not _PARTY_TAG.match(phrase.strip()):
            break
        end = start + 1  # back to the ", " before the place or tag
    else:
        return None
    _words, need, name, _stype, proper = _phrase_info(phrase)
    last = phrase.rsplit(None, 1)[-1] if phrase.strip() else ""
    if need is None and proper and name and last[:1].isupper() and name.rsplit(None, 1)[-1] == last.rstrip("."):
        return name
    return None


# A proper name, a comma, then up to four words that open the description the tagged
# span ends ("Zvi Mazel, former Israeli |ambassador to Egypt", "Xinhua, |China's official
# news agency").
_APPOSITIVE_HEAD = re.compile(r"([A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|al|bin|de|van|von|der))*), "
                              r"((?:[\w'’-]+ ){0,4})$")


# Words that are no modifier of an appositive's head: a clause or a phrase of its own.
_NOT_MODIFIERS = frozenset({"and", "or", "but", "who", "which", "that", "according", "to", "in", "on", "at", "for",
                            "from", "with", "by", "of", "as", "said", "says", "told", "is", "was", "has", "had"})


def _plural_head(words: list[str]) -> bool:
    """Whether a role phrase ends in a plural ("other experts", "officials"): a group, no one's appositive."""
    last = words[-1] if words[-1] != "," else words[-2] if len(words) > 1 else ""
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is"))


# Capitalised words that open a fronted phrase, not a name ("In Paris, officials said").
_OPENING_WORDS = frozenset("In On At After Before When While As For From With By The A An But And Since During Under "
                           "Unlike Like Despite Although Though If Last This That Meanwhile".split())


def _appositive_head(text: str, a: int, b: int) -> str | None:
    """The proper name a role phrase ``text[a:b]`` describes, when the phrase is its
    appositive, set off by commas ("Zvi Mazel, former Israeli ambassador to Egypt, said":
    the tagger took the description for the speaker); None when no name stands right
    before it, or other words than modifiers stand between ("Kim, according to state media,")."""
    if not text[a:b].rstrip().endswith(",") and not text.startswith(",", b):
        return None
    m = _APPOSITIVE_HEAD.search(text, max(0, a - _ANTECEDENT_WINDOW), a)
    if m is None or any(w.lower() in _NOT_MODIFIERS or not w[:1].isalpha() for w in m.group(2).split()):
        return None
    if m.group(1).split(None, 1)[0] in _OPENING_WORDS:
        return None  # "In Paris, officials said": a fronted phrase, not a name
    before = text[max(0, m.start(1) - 3):m.start(1)].rstrip()
    if before and before[-1].isalnum():
        # The name must open its clause, not end a phrase ("Hours after meeting Recep
        # Tayyip Erdogan, the Swedish prime minister, ...").
        return None
    _words, need, name, _stype, proper = _phrase_info(m.group(1))
    last = m.group(1).rsplit(None, 1)[-1]
    if need is not None or not proper or not name or name in _places() or name.rsplit(None, 1)[-1] != last:
        return None
    return name


# After a span cut short: a title's full stop, or up to two lower-case words ending in a
# role noun, then a capitalised name of two to four words and punctuation ("said Lt.
# Col|. Wesley Miller.", "said former U.S. Mideast peace| negotiator Aaron David Miller.").
_ROLE_THEN_NAME = re.compile(r"(\.?)((?: [a-z][\w-]*){0,2}) ([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){1,3})(?=[.,;:!?)”\"]|$)")


def _role_then_name(text: str, a: int, b: int, words: list[str]) -> str | None:
    """The person a span cut short after a title or a role's first words goes on to name
    ("Lt. Col" in "said Lt. Col. Wesley Miller."); None when no such name follows."""
    m = _ROLE_THEN_NAME.match(text, b)  # anchored at b and bounded: a few words at most
    if m is None or not words:
        return None
    lead = m.group(2).split()
    if lead:
        if lead[-1].lower() not in _ROLE_WORDS:
            return None
    elif not (m.group(1) and words[-1] in _TITLE_WORDS):
        return None
    _w, need, name, _stype, proper = _phrase_info(text[a:m.end(3)])
    return name if need is None and proper and name and name.endswith(m.group(3).rsplit(None, 1)[-1]) else None


def _word_before(name: str, words: list[str]) -> str:
    """The word right before the name in its source phrase's lower-cased words, past a
    title's stop ("gen" for "Gen . Tomas Vik"); "" when none."""
    parts = name.lower().split()
    k = next((i for i, w in enumerate(words) if parts and w == parts[0]), None)
    while k and words[k - 1] == ".":
        k -= 1
    return words[k - 1] if k else ""


def _before_apposition(words: list[str]) -> list[str]:
    """A source phrase's words before a comma, dash or bracket: its own, not those of a
    description of it ("Jan Berg, an adviser to the president")."""
    return words[:next((k for k, w in enumerate(words) if w in (",", "(", "—", "–")), len(words))]


def _body_of(phrase: str) -> str | None:
    """The name of the body after a role phrase's first preposition ("a spokesman for the
    Foreign Ministry" -> "Foreign Ministry"), if it is a proper name."""
    m = re.search(r"\b(?:of|for|at|with|from|in)\s+", phrase)
    if m is None:
        return None
    _w, need, name, _t, proper = _phrase_info(phrase[m.end():])
    return name if need is None and proper and name else None


def _titled_person(name: str, words: list[str]) -> bool:
    """Whether a title stands right before the name in its source phrase ("Gen. John
    Abizaid", "Rep. Ralph Hall", "President Obama"): a person's title whatever the name's
    words; another title word ("U.S." of "U.S. State Department") only before a name of no body."""
    before = _word_before(name, words)
    if before in _PERSON_TITLES:
        return True
    if any(w in _ORG_HEADS or w in _SEATS for w in name.lower().split()):
        return False
    return before in _TITLE_WORDS or (before in _ROLE_WORDS and before != "official")


# Words before which a phrase's head noun stands (the head of "a spokesman for the ministry").
_HEAD_ENDS = frozenset({"of", "for", "at", "in", "on", "with", "from", "to", "by", ",", "("})


def _person_headed(words: list[str]) -> bool:
    """Whether a role phrase is headed by a person's role ("spokesman for the Foreign
    Ministry"): the word before its first preposition is a role noun."""
    k = next((i for i, w in enumerate(words) if w in _HEAD_ENDS), len(words))
    return k > 0 and words[k - 1] in _ROLE_WORDS


def _compatible(need: str, name: str, name_type: str, is_proper: bool, words: list[str]) -> bool:
    """Whether a named source (name, type, proper or not, lower-cased words) can be the
    antecedent of an anaphor that needs ``need`` (``org``, ``group`` or ``person``)."""
    if need == "org":
        if name_type in _MEDIA_TYPES:
            return True
        if _titled_person(name, words) if is_proper else _person_headed(words):
            return False  # "it" is not "Gen. John Abizaid" nor "a spokesman for the ministry"
        return name_type == "official" or (is_proper and (
            name_type != "other" or any(w in _ORG_HEADS for w in name.lower().split())))
    if need == "group":
        return (bool(words) and words[-1].endswith("s")) or name_type in _MEDIA_TYPES or name_type == "official"
    # A person: a proper name that is not a media outlet, a place ("The leader" is not
    # "North Korea"), a body ("he" is not the "Institute for the Study of War" or the
    # "White House") or a known body's acronym, unless titled ("Rep. Ralph Hall"); or a
    # singular role phrase.
    if is_proper and not _titled_person(name, words) and (
            any(w in _ORG_HEADS or w in _SEATS for w in name.lower().split()) or
            (" " not in name and name.isupper() and name_type not in ("other", "pronoun"))):
        return False
    return name_type not in _MEDIA_TYPES and name not in _places() and (
        is_proper or not (words and words[-1].endswith("s")))


class SourceResolver:
    """Names the source phrases of one document, given in text order, and resolves each
    anaphor to the nearest earlier compatible named source (no further back than
    ``_RESOLVE_WINDOW`` sentences): resolution only ever looks back.

    Parameters
    ----------
    text : str
        The text the offsets index (one document, or several joined).
    base : int
        Where the document starts in ``text``; taken off the offsets it returns.
    """

    def __init__(self, text: str, base: int) -> None:
        self.text = text
        self.base = base
        # Named sources seen so far: offsets, sentence, name shown, name of the span, type,
        # is proper, words.
        self.history: list[tuple[tuple[int, int], int, str, str, str, bool, list[str]]] = []

    def _mentioned_again(self, entry: tuple, si: int) -> None:
        """A resolved anaphor makes the entity of history ``entry`` mentioned again in
        sentence ``si``: "The president said ... He said" chains back through it, past a
        name in between."""
        self.history.append((entry[0], si, *entry[2:]))

    def describe(self, a: int, b: int, si: int) -> tuple[str | None, str, bool, tuple[int, int] | None]:
        """(name, type, resolved, offsets resolved from) of the source ``text[a:b]`` in
        sentence ``si``; a named source is remembered as a later anaphor's antecedent."""
        words, need, name, stype, proper = _phrase_info(self.text[a:b])
        if need is None:
            end = _name_end(self.text, a, b)
            # A name cut short reads on; the type, and what an anaphor may resolve to, stay
            # the span's: the sentence model's features are made of them.
            longer = _phrase_info(self.text[a:end])[2] if end > b else None
            # Only a name that extends the span's own ("Bill" -> "Bill Clinton") is shown; a
            # relative "who" shows the name it follows.
            # So is the person's name after a title the span stopped before or at ("former
            # New York City| Mayor Rudy Giuliani").
            title_after = (self.text[b:end].split() or [""])[0].lower() in _TITLE_WORDS or \
                (words[-1:] or [""])[0] in _TITLE_WORDS  # "German Economy Minister| Sigmar Gabriel"
            shown = longer if longer and name and (longer.startswith(name + " ") or (
                title_after and name not in longer and longer in self.text[b:end])) else name
            if end == b and (named := _role_then_name(self.text, a, b, words)) is not None:
                shown = named
            if words == ["who"] or _PARTY_ONLY.fullmatch(self.text[a:b].strip(" ,")):
                # "..., said Vijay Prashad, who ...", "Rep. Ann Lee, R-Texas,": the name before.
                shown = _relative_antecedent(self.text, a) or shown
            elif _is_adverb(self.text[a:b]):
                shown = None  # "testily said": the manner of saying names nobody
            elif not proper and words and not _plural_head(words):
                shown = _appositive_head(self.text, a, b) or shown
            if words:
                self.history.append(((a, b), si, shown or "", name or "", stype, proper, words))
            return shown, stype, False, None
        # Resolve to the nearest earlier compatible named source, if close enough. A source
        # that names nobody ("testily") gives the anaphor its type, as the sentence model's
        # features were made with, but not its name: that is the nearest named one's.
        nearest = None
        head = words[-1] if len(words) > 1 else None  # a description's head noun ("the panel")
        if head is not None:
            # The nearest name with the same head ("the panel" is the "National Defense
            # Panel") or named with it, not in a description of it ("the senator" is "Senator
            # Ana Ruiz"; "the survey", "a Gallup survey"), ahead of a nearer one of another kind.
            for entry in reversed(self.history[-_SCAN:]):
                (ha, hb), hsi, shown, hname, htype, hproper, hwords = entry
                if si - hsi > _HEAD_WINDOW:
                    break
                if hb > a or not shown:
                    continue
                if (hproper and shown.lower().rsplit(None, 1)[-1] == head) or (
                        head in _before_apposition(hwords) and _compatible(need, hname, htype, hproper, hwords)):
                    self._mentioned_again(entry, si)
                    return shown, htype, True, (ha - self.base, hb - self.base)
                if need == "org" and not hproper and _person_headed(hwords) and head in hwords:
                    # "the ministry" after "a spokesman for the Foreign Ministry": the body
                    # the role is of.
                    body = _body_of(self.text[ha:hb])
                    if body is not None and body.lower().rsplit(None, 1)[-1] == head:
                        return body, htype, True, (ha - self.base, hb - self.base)
        if head in _HEAD_ONLY:
            # A poll or study is its pollster's when named with the word ("a Gallup poll"),
            # else it is itself: the nearest body is no better guess.
            return name, stype, False, None
        for entry in reversed(self.history[-_SCAN:]):
            (ha, hb), hsi, shown, hname, htype, hproper, hwords = entry
            if si - hsi > _RESOLVE_WINDOW:
                break
            if hb <= a and _compatible(need, hname, htype, hproper, hwords):
                nearest = nearest or (htype, (ha - self.base, hb - self.base))
                if shown:
                    self._mentioned_again(entry, si)
                    return shown, nearest[0], True, (ha - self.base, hb - self.base)
        if nearest is not None:
            return None, nearest[0], True, nearest[1]
        return None, stype if stype != "other" else "pronoun", False, None
