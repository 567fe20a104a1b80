"""Naming a source phrase: its canonical name and lexicon type, whether it is a proper
name, and the kind of antecedent it needs if it is a pronoun or definite description."""

from __future__ import annotations

import functools
import re
from importlib import resources

from .._lexicons import load_lexicons, tokenize

__all__ = ["_phrase_info", "_name_and_type", "_is_pronoun", "_is_adverb", "_places"]

_PRONOUN_WORDS = {
    "he": "person", "she": "person", "him": "person", "her": "person", "i": "person",
    "it": "org", "they": "group", "we": "group", "you": "person",
}
# Heads of definite descriptions that point back ("the agency", "the senator") and the
# kind of antecedent they need.
_ANAPHOR_HEADS = {
    "agency": "org", "newspaper": "org", "paper": "org", "daily": "org", "network": "org", "broadcaster": "org",
    "channel": "org", "outlet": "org", "ministry": "org", "department": "org", "report": "org",
    "statement": "org", "campaign": "org", "company": "org", "group": "org", "organization": "org",
    "committee": "org", "government": "org", "administration": "org", "magazine": "org", "station": "org",
    "panel": "org", "commission": "org", "council": "org", "court": "org", "board": "org", "institute": "org",
    "coalition": "org", "alliance": "org", "tribunal": "org", "poll": "org", "survey": "org", "study": "org",
    "official": "person", "spokesman": "person", "spokeswoman": "person", "spokesperson": "person",
    "analyst": "person", "expert": "person", "senator": "person", "candidate": "person", "president": "person",
    "minister": "person", "nominee": "person", "lawmaker": "person", "congressman": "person",
    "congresswoman": "person", "governor": "person", "businessman": "person", "billionaire": "person",
    "diplomat": "person", "leader": "person", "source": "person", "woman": "person", "man": "person",
    "officials": "group", "analysts": "group", "experts": "group", "lawmakers": "group", "sources": "group",
}
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
# Determiners a name or role phrase drops as it drops "the" ("its foreign minister"); not
# anaphors' determiners ("its agency" does not point back as "the agency" does).
_POSSESSIVE_DETERMINERS = frozenset({"its", "their", "his", "her"})
_NAME_DETERMINERS = _DETERMINERS | _POSSESSIVE_DETERMINERS | {"a", "an"}
# Where a body is based or who backs it, where a person was born ("the Brussels-based
# International Crisis Group", "the U.S.-backed Syrian Democratic Forces").
# Who controls or funds it too ("Kremlin-controlled Sputnik News", "Iranian-funded ...").
_DESCRIPTOR = re.compile(r"[A-Z][\w.'’]*-(?:based|born|run|backed|controlled|owned|linked|funded|affiliated|aligned|"
                         r"sponsored|financed|supported|allied)")
_DESCRIPTOR_ENDS = frozenset({"based", "born", "run", "backed", "controlled", "owned", "linked", "funded",
                              "affiliated", "aligned", "sponsored", "financed", "supported", "allied"})
# Titles and the words that build them ("Vice President", "CIA Director", "House Speaker"):
# a name never keeps them ("Secretary of State Rex Tillerson" is "Rex Tillerson").
_PLACE_ABBREVIATIONS = frozenset({"st", "mt", "ft"})
# A pronoun that points at or asks for a speaker names nobody ("which said", "Anyone who").
_NO_NAME = frozenset({"which", "that", "who", "whom", "whose", "what", "anyone", "anybody", "everyone",
                      "everybody", "someone", "somebody", "nobody", "no-one", "none", "each", "either",
                      # an article or a possessive determiner alone, or "there" ("There has been no mention")
                      "a", "an", "the", "their", "its", "our", "my", "your", "his", "there"})
_TITLE_WORDS = frozenset({
    "president", "vice", "secretary", "sen", "sen.", "senator", "rep", "rep.", "representative", "gov", "gov.",
    "governor", "speaker", "house", "minister", "prime", "foreign", "defense", "defence", "interior", "finance",
    "deputy", "director", "chairman", "chairwoman", "chair", "chief", "gen", "gen.", "general", "adm", "adm.",
    "admiral", "lt", "lt.", "col", "col.", "colonel", "maj", "maj.", "major", "capt", "capt.", "captain", "sgt",
    "sgt.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "professor", "judge", "justice",
    "ambassador", "attorney", "press", "spokesman", "spokeswoman", "spokesperson", "leader", "chancellor", "king",
    "queen", "prince", "crown", "sheikh", "supreme", "adviser", "advisor", "commander", "mayor", "premier", "envoy",
    "state", "national", "security", "democratic", "republican", "former", "acting", "cia", "fbi", "nsa", "u.s.",
    "us", "un", "u.n.", "eu", "white", "congressman", "congresswoman", "lawmaker", "pope", "emir", "ayatollah",
    "brig", "brig.", "cmdr", "cmdr.", "cdr", "cdr.", "rear", "cpl", "cpl.", "pvt", "pvt.", "counsel", "commissioner",
    "inspector", "administrator", "coordinator"})
_JOINERS = frozenset({"of", "for", "the", "on", "and"})
# Generational suffixes: they end a name but are none ("Martin Luther King Jr.").
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Title words that are also surnames or parts of names ("Peter King", "John Major", "Kim Jong Un").
_NAME_TITLES = frozenset({"king", "prince", "major", "un", "judge", "pope"})
# Words that make a capitalised run an organisation, whose name keeps every word.
_ORG_HEADS = frozenset({
    "ministry", "department", "agency", "office", "council", "committee", "senate", "congress", "parliament",
    "army", "navy", "force", "forces", "command", "court", "party", "institute", "university", "center", "centre",
    "news", "times", "post", "journal", "service", "services", "bureau", "commission", "administration",
    "government", "foundation", "organization", "organisation", "association", "union", "bank", "fund",
    "corps", "guard", "police", "staff", "cabinet", "assembly", "agency's", "kremlin", "pentagon", "panel", "board",
    "tribunal", "coalition", "alliance", "authority"})
# Quantifiers before a role phrase ("Some analysts", "One intelligence source"): the name
# is the role phrase alone, as for a determiner.
_QUANTIFIERS = frozenset({"some", "many", "several", "most", "other", "few", "a", "an", "one", "two", "three",
                          "four", "five", "multiple", "various", "numerous", "both", "all", "dozens", "hundreds"})
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
# Words of a time that may end a tagged span ("the army early this").
_TIME_WORDS = frozenset({"early", "late", "earlier", "later", "this", "last", "next", "yesterday", "today", "tonight",
                         "morning", "afternoon", "evening", "night"})
_PREPOSITIONS = frozenset({"of", "for", "the", "on", "at", "in", "from", "with", "to", "by", "and"})
_RELATIVES = frozenset({"who", "which", "that", "whose", "whom"})
_NOT_DESCRIPTOR = _PREPOSITIONS | _RELATIVES | {"or", "but", "his", "her", "its", "their", "said", "says"}
# Role nouns that introduce the name after them ("press secretary Jay Carney", "spokesman
# Brig. Gen. Ronen Manelis"): the person nouns of the anaphor heads and of the titles, and
# the ranks.
_ROLE_WORDS = frozenset({w for w, kind in _ANAPHOR_HEADS.items() if kind == "person"}) | (_TITLE_WORDS - {
    "vice", "house", "prime", "foreign", "defense", "defence", "interior", "finance", "deputy", "crown",
    "supreme", "state", "national", "security", "democratic", "republican", "former", "acting", "cia", "fbi",
    "nsa", "u.s.", "us", "un", "u.n.", "eu", "white", "rear", "press"}) | frozenset({
    "host", "anchor", "correspondent", "editor", "columnist", "commentator", "writer", "author", "reporter",
    "scholar", "fellow", "researcher", "economist", "strategist", "historian", "scientist", "specialist",
    "lawyer", "manager", "aide", "head", "founder", "ceo", "member", "mp", "negotiator", "prosecutor",
    "officer", "activist"})
# Lower-case particles inside a person's name ("Hans von Spakovsky", "Mohammed bin Salman").
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "von", "van", "der", "den", "de", "da", "di", "du",
                        "dos", "del", "della", "ben", "abu"})
# Generic words after an outlet's name: the "TASS news agency" is TASS.
_MEDIA_HEADS = frozenset({"news", "agency", "newspaper", "paper", "daily", "tabloid", "website", "broadcaster",
                          "channel", "network", "television", "tv", "radio", "wire", "service", "outlet",
                          "magazine", "weekly"})
_MEDIA_TYPES = frozenset({"state_media", "independent_media"})
# What a source may have said or written: "the inspector general's comments" are the
# inspector general's (NAMES.md: a document takes the name of who issued it).
_DOCUMENT_NOUNS = frozenset({"comments", "remarks", "statement", "statements", "report", "reports", "letter",
                             "memo", "article", "editorial", "study", "testimony", "words", "tweet", "post"})
# Nouns a described group or channel ends with ("South Korean lawmakers", "Iranian state
# media", "Hollande's administration"), not a verb after a name ("John Kirby released").
_GROUP_ENDS = frozenset(_ANAPHOR_HEADS) | _ROLE_WORDS | _MEDIA_HEADS | frozenset({
    "media", "press", "officials", "forces", "troops", "military", "authorities", "leaders", "leadership",
    "diplomats", "sources", "critics", "observers", "residents", "protesters", "rebels", "militants",
    "supporters", "opponents", "regime", "state", "intelligence", "prosecutors", "investigators", "police",
    "investigation", "inquiry", "probe", "review", "constitution", "law", "court", "panel", "survey", "poll",
}) | _DOCUMENT_NOUNS
# Words before a name that say what it is ("Russian news agency TASS", "Kremlin mouthpiece
# RT", "Human Rights Watch employee Ole Solvang"): the name after them speaks. (A set of
# the naming's own: the tagger's span assembly reads _ROLE_WORDS.)
_DESCRIBES_NEXT = _MEDIA_HEADS | frozenset({"media", "mouthpiece", "mouthpieces", "employee", "staffer",
                                            "spokesperson", "representative", "investor", "entrepreneur"})
# The words of an office named with "of" that no title list holds ("Director of National
# Intelligence", "Minister of Foreign Affairs"): no part of the person's name after it.
_OFFICE_WORDS = frozenset({"intelligence", "affairs", "investigation", "justice", "treasury", "health", "education",
                           "energy", "commerce", "labor", "labour", "agriculture", "transportation", "homeland",
                           "veterans", "housing", "staff", "police", "economy", "trade", "development"})
# Titles of a person alone (not of a body: "State", "House", "U.S." are left out).
_PERSON_TITLES = frozenset({
    "president", "vice", "secretary", "sen", "senator", "rep", "representative", "gov", "governor", "speaker",
    "minister", "deputy", "director", "chairman", "chairwoman", "chair", "chief", "gen", "general", "adm", "admiral",
    "lt", "col", "colonel", "maj", "major", "capt", "captain", "sgt", "mr", "mrs", "ms", "dr", "prof", "professor",
    "judge", "justice", "ambassador", "attorney", "spokesman", "spokeswoman", "spokesperson", "leader", "chancellor",
    "adviser", "advisor", "commander", "mayor", "premier", "envoy", "congressman", "congresswoman", "lawmaker",
    "counsel", "commissioner", "inspector", "administrator", "coordinator"})
# Plural titles before several names ("Senators Mark Warner and Susan Collins").
_PLURAL_TITLES = frozenset({"senators", "sens", "sens.", "reps", "reps.", "representatives", "generals"})
# A nationality or place adjective ("Israeli", "Syrian", "Chinese"): it describes the group
# after it ("Israeli rightists") and names no speaker alone.
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ian|ean|ese|ish|i|ic)")
# What a source shows or puts out, after its name ("State television footage", "Russian
# television reports"): the source is who puts it out.
_OUTPUT_NOUNS = frozenset({"footage", "images", "pictures", "video", "videos", "report", "reports", "broadcast",
                           "broadcasts", "coverage", "commentary", "editorial", "article", "statement"})
# A poll is its pollster's, even when the word follows the name alone ("a new NBC
# News/Marist poll").
_POLL_NOUNS = frozenset({"poll", "polls", "survey", "surveys"})
# Bodies an owner's name may go before ("Afghanistan's election commission").
_BODY_NOUNS = frozenset({"commission", "board", "office", "embassy", "mission", "council", "tribunal", "parliament",
                         "cabinet", "military", "army", "navy", "regime", "judiciary", "legislature"})
# Words a tagged span may open with that are no part of the source ("via state media",
# "And Chinese state media", "Even Pravda").
_LEADING = frozenset({"and", "but", "so", "via", "also", "then", "yet", "while", "through", "even", "only",
                      "still", "now"})
# Words a tagged span may end with that are no part of the source ("the United States
# both", "research has").
_TRAILING_WORDS = frozenset({"both", "all", "alone", "too", "also", "themselves", "itself", "himself", "herself",
                             "has", "have", "had", "is", "are", "was", "were", "will", "would", "now"})
# Quantifiers that never start a name, even before a capitalised word ("Some Israeli experts").
_VAGUE_QUANTIFIERS = frozenset({"some", "many", "several", "few", "numerous", "various", "multiple"})
_SOURCE_TYPES = ("state_media", "official", "analyst", "independent_media", "nonstate")
_TYPE_PRIORITY = ("state_media", "analyst", "nonstate", "official", "independent_media")


def _is_pronoun(words: list[str], toks: list[str]) -> str | None:
    """The antecedent kind a pronoun or definite description needs, else None. A body's
    description with a capitalised modifier is its name ("the Interior Ministry"); a
    person's still points back ("the Russian leader")."""
    if len(words) == 1 and words[0] in _PRONOUN_WORDS:
        return _PRONOUN_WORDS[words[0]]
    if 2 <= len(words) <= 3 and words[0] in _DETERMINERS and words[-1] in _ANAPHOR_HEADS:
        kind = _ANAPHOR_HEADS[words[-1]]
        if kind == "org" and any(t[:1].isupper() for t in toks[1:-1]):
            return None
        return kind
    return None


def _is_adverb(phrase: str) -> bool:
    """Whether a source phrase is one lower-case word ending in "-ly" ("testily said"): the
    tagger took the manner of saying for the speaker; it names nobody."""
    words = [t for t in tokenize(phrase) if t[:1].isalnum()]
    return len(words) == 1 and words[0].islower() and words[0].endswith("ly")


def _name_and_type(phrase: str) -> tuple[str | None, str, bool]:
    """(canonical name, lexicon type, is a proper name) of a source phrase."""
    lex = load_lexicons()
    toks = tokenize(phrase)
    lowered = [t.lower() for t in toks]
    # "Some lawmakers" is "lawmakers"; "All India Radio" keeps its first word.
    skip = 0
    while len(toks) > 1 and lowered[0] in _LEADING:
        toks, lowered, skip = toks[1:], lowered[1:], skip + 1
    words = [w for w in lowered if w[:1].isalnum()]
    if not words or (len(words) == 1 and words[0] in _NO_NAME):
        return None, "other", False
    # A vague quantifier before a capitalised word goes when a group follows ("Some Israeli
    # experts"), not from a name ("Many Rivers Foundation").
    while len(toks) > 1 and lowered[0] in _QUANTIFIERS and (toks[1][:1].islower() or (
            lowered[0] in _VAGUE_QUANTIFIERS and toks[-1].islower() and _plural(lowered[-1]))):
        toks, lowered, skip = toks[1:], lowered[1:], skip + 1
    keep = _without_trailing(toks)
    if keep < len(toks):
        toks, lowered = toks[:keep], lowered[:keep]
    matches = [m for m in lex.find(toks, lowered) if m[2] in _SOURCE_TYPES]
    stype = "other"
    if matches:
        kinds = {k for _s, _e, k in matches}
        stype = next(k for k in _TYPE_PRIORITY if k in kinds)
    # The type is the whole phrase's ("U.S.-backed" makes a group official); the name is not.
    named = _without_descriptors(toks, lowered)
    if named[0] != toks:
        toks, lowered = named
        matches = [m for m in lex.find(toks, lowered) if m[2] in _SOURCE_TYPES]
    # The name is the head capitalised run (a person or organisation; see _head_run), not
    # an appositive after a comma ("Richard Bush, director of the Center for ..."); else
    # the role phrase as given; else the typed lexicon phrase; else the whole phrase.
    role_headed = _role_headed(toks, lowered)
    if role_headed:
        # A role or group heads the phrase and a name after a preposition says whose or
        # where ("Critics of the Saudis", "An aide at the White House National Security
        # Council"): the role phrase as given (NAMES.md), or the person after a comma.
        after = _name_after_comma(toks, lowered, 0)
        if after is not None:
            a, b = _without_title(lowered, *after, toks)
            return _words(toks[a:b]), stype, True
    runs = []
    i = 0
    while not role_headed and i < len(toks):
        if toks[i] in (",", "(", "—", "–") and (runs or (
                lowered[0] in _DETERMINERS and i + 1 < len(toks) and toks[i + 1][:1].islower())):
            break  # after a name, or a role's description ("The mayor, a onetime supporter of ...")
        # "A" is an article unless it is an initial ("A. Q. Khan"); "His" alone determines nothing.
        article = i == 0 and not (i + 1 < len(toks) and toks[i + 1] == ".") and (
            lowered[i] in _DETERMINERS | {"a", "an"} or (lowered[i] in _POSSESSIVE_DETERMINERS and len(toks) > 1))
        # A name may open with a hyphenated particle ("al-Ikhbariya TV", "al-Qaeda").
        capital = toks[i][:1].isupper() or ("-" in toks[i] and _particle(toks, lowered, i))
        if capital and not article and not _weekday_alone(toks, lowered, i):
            j = _run_end(toks, lowered, i)
            # A particle that opens the name: "al Qaeda", "bin Laden".
            runs.append((i - 1 if i and lowered[i - 1] in _PARTICLES else i, j))
            i = j
        else:
            i += 1
    best = _head_run(runs, toks, lowered)
    if best is not None and best[0] and lowered[best[0] - 1] in _PREPOSITIONS and \
            " ".join(toks[best[0]:best[1]]) in _places():
        # "officials in Paris": the place says which officials, it does not speak; a name
        # after the comma does ("The ousted ambassador to Ukraine, Marie Yovanovitch").
        best = _name_after_comma(toks, lowered, best[1])
    if best is not None:
        a, b = best
        end = next((k for k in range(b, len(toks)) if toks[k] in (",", "(", "—", "–")), len(toks))
        # What the source puts out, or when, is not its name ("State television footage").
        while end > b + 1 and (lowered[end - 1] in _OUTPUT_NOUNS or lowered[end - 1] in _WEEKDAYS):
            end -= 1
        if end > b and lowered[end - 1] in _POLL_NOUNS and not (b - a == 1 and _DEMONYM.fullmatch(toks[a])):
            end -= 1
        rest = lowered[b:end]
        media_run = any(s == a and e in (b, end) and k in _MEDIA_TYPES for s, e, k in matches) or (
            toks[a:b] == [t.upper() for t in toks[a:b]] and " ".join(toks[a:b]) not in _places())
        if rest and media_run and all(w in _MEDIA_HEADS for w in rest) and \
                not all(w in _TITLE_WORDS for w in lowered[a:b]):  # "State television" is no "State"
            # "TASS news agency", "Global Times newspaper": the outlet is its name.
            return _words(toks[a:b]), stype, True
        untitled = _without_title(lowered, a, b, toks)
        titled = untitled != (a, b)
        # A typed phrase that runs on past the run to the end ("Syrian state TV", "White
        # House press secretary", "Syrian Observatory for Human Rights"), or that a generic
        # media run ends ("state TV", "38 North"); not around a titled person's name.
        typed = [] if titled else [m for m in matches if m[1] == end and m[0] <= b and (m[1] > b or (
            m[0] < a and (all(w in _MEDIA_HEADS for w in lowered[a:b]) or toks[m[0]][:1].isdigit())))]
        # A role noun before the name says whose the role is ("The leader of the opposition
        # Labour Party, Jeremy Corbyn,", "a spokesman for Prime Minister ..., Mark Regev,").
        owned_role = any(toks[k].islower() and _role_noun(lowered[k]) for k in range(a))
        if ((rest and _role_noun(rest[-1]) and not titled) or owned_role) and \
                (after := _name_after_comma(toks, lowered, end)):
            # "A Justice Department spokesman, Andrew Ames,": the person the role phrase introduces.
            a, b = _without_title(lowered, *after, toks)  # "..., Maj. Gen. Igor Konashenkov"
            return _words(toks[a:b]), stype, True
        if typed:
            start = _qualified(toks, lowered, min(a, *(m[0] for m in typed)))
            start += lowered[start] in _NAME_DETERMINERS
            proper = all(toks[k][:1].isupper() or lowered[k] in _JOINERS for k in range(start, end))
            return _words(toks[start:end]), stype, proper
        # A description after it ends the group's words ("U.S. lawmakers from both parties").
        gend = next((k for k in range(b + 1, end) if lowered[k] in _POST_MODIFIERS), end)
        group = lowered[b:gend]
        owner = lowered[b - 1].endswith("'s")
        if group and len(group) <= (5 if owner else 3) and \
                all(t[:1].isalpha() and t.islower() for t in toks[b:gend]) and group[0] not in _PREPOSITIONS and \
                not titled and (group[-1] in _GROUP_ENDS or group[-1] in _BODY_NOUNS or (
                    b - a == 1 and _plural(group[-1]) and (_DEMONYM.fullmatch(toks[a]) or (
                        a == 0 and not owner and toks[a][1:].islower() and _people(group[-1]))))):
            # "South Korean lawmakers", "Iranian state media", "Israeli rightists", "North
            # Korea's official state news agency": a described group, not a name; with the
            # words that qualify it ("senior Russian officials", NAMES.md's role phrase as given).
            return _words(toks[_qualified(toks, lowered, a):gend]), stype, False
        a, b = untitled
        return _words(toks[a:b]).removesuffix("'s"), stype, True
    if toks:
        # No name: the role phrase as given ("a senior administration official"), without
        # its determiner, up to a comma, a relative clause or a description after it
        # ("officials with direct knowledge of"); a place or body after a preposition stays
        # ("officials in Paris").
        start = 0
        while start < len(toks) and not toks[start][:1].isalnum():
            start += 1
        if start < len(toks) and lowered[start] in _NAME_DETERMINERS:
            start += 1
        while start + 1 < len(toks) and lowered[start] in {"of", "the"}:
            start += 1  # "one of the officials", its quantifier gone
        end = next((k for k in range(start, len(toks)) if toks[k] in (",", "(", "—", "–", ";", ":")
                    or lowered[k] in _RELATIVES), len(toks))
        own = next((k for k in range(start, end - 1) if lowered[k].endswith("'s") and
                    lowered[k + 1] in _DOCUMENT_NOUNS), None)
        if own is not None:
            end = own + 1  # "the inspector general's comments": the inspector general's
        post = next((k for k in range(start + 1, end) if lowered[k] in _POST_MODIFIERS), None)
        if post is not None and not any(t[:1].isupper() for t in toks[post + 1:end]):
            end = post
        if end - start >= 2 and lowered[end - 1] in _DOCUMENT_NOUNS and \
                any(m[0] >= start and m[1] == end - 1 for m in matches):
            end -= 1  # "a state television report": state television's
        while end - start >= 2 and (lowered[end - 1] in _WEEKDAYS or lowered[end - 1] in _TIME_WORDS):
            end -= 1  # "state media Tuesday", "the army early this": when, not who
        # A role's description may run longer ("aide at the White House National Security Council").
        if 0 < end - start <= (10 if role_headed else 6):
            return _words(toks[start:end]).removesuffix("'s"), stype, False
    if matches:
        s, e, _k = next(m for m in matches if m[2] == stype)
        return " ".join(toks[s:e]).removesuffix("'s"), stype, False
    return " ".join(phrase.split()[skip:]), stype, False


# The period of an initial or a title, a token of its own: "Clifford D . May" -> "Clifford D. May".
_PERIOD = re.compile(r" \.(?= |$)")
_SLASH = re.compile(r" / (?=[A-Z])")
# Words that start a description after a role phrase ("officials familiar with the talks").
_POST_MODIFIERS = (_PREPOSITIONS - {"the", "and"}) | {"familiar", "close", "briefed", "involved", "knowledgeable",
                                                     "speaking"}


def _qualified(toks: list[str], lowered: list[str], a: int) -> int:
    """Where a group's or role's words start when lower-case words qualify it before ``a``
    ("senior Russian officials", "top Kremlin aide"): back to a determiner, a quantifier
    ("many Syria experts" are "Syria experts"), a preposition or the start."""
    while a and toks[a - 1].isalpha() and toks[a - 1].islower() and lowered[a - 1] not in _NAME_DETERMINERS \
            and lowered[a - 1] not in _PREPOSITIONS and lowered[a - 1] not in _LEADING and \
            lowered[a - 1] not in _QUANTIFIERS:
        a -= 1
    return a


def _plural(word: str) -> bool:
    """A plural noun by its ending ("rightists", "groups"), not "-ss" or "-ous"."""
    return len(word) > 3 and word.isalpha() and word.endswith("s") and not word.endswith(("ss", "ous", "us", "is"))


def _name_after_comma(toks: list[str], lowered: list[str], i: int) -> tuple[int, int] | None:
    """The capitalised name of two words or more that stands alone after the first comma
    or dash from ``i`` on, up to the end or the next comma or dash ("..., Marie
    Yovanovitch", "advisers — Michele Flournoy and Colin Kahl —": the first of two named
    speaks, TAXONOMY's tie-break); else None."""
    c = next((k for k in range(i, len(toks)) if toks[k] in (",", "—", "–")), None)
    if c is None or c + 1 >= len(toks) or not toks[c + 1][:1].isupper():
        return None
    j = _run_end(toks, lowered, c + 1)
    ends = j == len(toks) or toks[j] in (",", "(", "—", "–") or (
        lowered[j] == "and" and j + 1 < len(toks) and toks[j + 1][:1].isupper())
    if j - (c + 1) < 2 or not ends or " ".join(toks[c + 1:j]) in _places():
        return None
    return c + 1, j


# Plural nouns for groups of people that head a phrase ("Soldiers with the 101st Airborne").
_GROUP_NOUNS = frozenset({"soldiers", "critics", "activists", "advocates", "proponents", "opponents", "witnesses",
                          "members", "researchers", "scientists", "economists", "people", "voters", "citizens",
                          "residents", "observers", "supporters", "protesters", "officials", "analysts", "experts",
                          "diplomats", "lawmakers", "sources", "leaders", "aides", "advisers", "advisors",
                          "governments", "hawks", "doves", "planners", "hardliners", "moderates", "conservatives",
                          "liberals", "progressives", "commanders", "strategists", "negotiators"})


_NOT_PEOPLE = _DOCUMENT_NOUNS | _OUTPUT_NOUNS | _POLL_NOUNS | (_MEDIA_HEADS - {"press"}) | _BODY_NOUNS | frozenset({
    "investigation", "inquiry", "probe", "review", "constitution", "law", "court", "panel", "regime", "state",
    "intelligence", "ministry", "department", "government", "administration", "committee", "campaign", "company",
    "group", "organization", "agency", "station", "network", "paper", "daily", "magazine"})


def _role_headed(toks: list[str], lowered: list[str]) -> bool:
    """Whether a role or group noun heads the phrase and a capitalised name only comes
    after a preposition ("a spokesman for the Foreign Ministry", "Critics of the
    Saudis"): after its determiner or quantifier, lower-case words (or, first, a plural
    group noun capitalised at a sentence's start) up to a preposition, the last a role or
    group noun."""
    k = 0
    while k < len(toks) and (lowered[k] in _NAME_DETERMINERS or lowered[k] in _QUANTIFIERS):
        k += 1
    start = k
    while k < len(toks) and toks[k].isalpha() and lowered[k] not in _POST_MODIFIERS and (
            toks[k].islower() or (k == start and toks[k][1:].islower() and lowered[k] in _GROUP_NOUNS)):
        k += 1
    if k == start or k + 1 >= len(toks) or lowered[k] not in _POST_MODIFIERS:
        return False
    head = lowered[k - 1]
    # People, not what they put out ("a report by ... ITAR-TASS" is ITAR-TASS's) or a body.
    people = _people(head) or (head in _GROUP_ENDS and head not in _NOT_PEOPLE)
    return people and any(t[:1].isupper() for t in toks[k + 1:]) and not _ends_in_person(toks, lowered)


def _ends_in_person(toks: list[str], lowered: list[str]) -> bool:
    """Whether the phrase ends in a person's name, two capitalised words or more of no
    body or place ("director of national intelligence James Clapper"): the words before
    it are the person's title, not a role phrase of its own. ``toks`` come without
    trailing words (:func:`_name_and_type` took them off)."""
    keep = k = len(toks)
    while k and (toks[k - 1][:1].isupper() or toks[k - 1] == "."):
        k -= 1
    # The capitalised run must follow a word of the title, not a preposition or article
    # ("aide at the White House National Security Council" names a body).
    if not k or not (toks[k - 1].isalpha() and toks[k - 1].islower()) or lowered[k - 1] in _PREPOSITIONS:
        return False
    while k < keep and (lowered[k] in _TITLE_WORDS or toks[k] == "."):
        k += 1  # "Maj. Gen. Igor Konashenkov": the name after its title
    name = [t for t in toks[k:keep] if t != "."]
    return 2 <= len(name) <= 4 and not any(t.isupper() and len(t) > 1 for t in name) and \
        not any(t.lower() in _ORG_HEADS for t in name) and " ".join(name) not in _places()


def _without_trailing(toks: list[str]) -> int:
    """Where the phrase ends without the lower-case words a tagged span may end with
    ("the United States both", "research has"); at least one token stays."""
    keep = len(toks)
    while keep > 1 and toks[keep - 1].islower() and toks[keep - 1] in _TRAILING_WORDS:
        keep -= 1
    return keep


def _people(word: str) -> bool:
    """A plural noun for people ("planners", "hawks"), not for things or acts ("Xinhua
    commentaries", "Trump tweets")."""
    return word in _GROUP_NOUNS or _role_noun(word)


def _role_noun(word: str) -> bool:
    """A role noun, singular or plural ("spokesman", "advisers")."""
    return word in _ROLE_WORDS or (word.endswith("s") and word[:-1] in _ROLE_WORDS)


def _words(toks: list[str]) -> str:
    """Tokens as words: spaced, with a title's or an initial's period kept on its word."""
    return _SLASH.sub("/", _PERIOD.sub(".", " ".join(toks)))


def _head_run(runs: list[tuple[int, int]], toks: list[str], lowered: list[str]) -> tuple[int, int] | None:
    """The run that names the speaker: the first one, unless it only owns or describes a
    later one. An owner ends in a possessive ("Middle East Institute's Paul Salem", "the
    North's official Korean Central News Agency"); a descriptor is followed by a role word
    and the person's name ("White House press secretary Jay Carney", "Communist leader
    Gennady Zyuganov"). Lower-case words between the two runs must be modifiers, not a
    preposition or a clause ("Wendy Sherman of the Council ...")."""
    for k, (a, b) in enumerate(runs):
        if k + 1 == len(runs):
            return a, b
        na = runs[k + 1][0]
        between = lowered[b:na]
        modifiers = all(t[:1].isalpha() and t == t.lower() and t not in _NOT_DESCRIPTOR for t in toks[b:na])
        owner = lowered[b - 1].endswith("'s") and modifiers
        # A role noun or media word before the name; or, before a person's full name, up to
        # two nouns no list holds ("Republican consultant Liz Mair").
        nb = runs[k + 1][1]
        person = nb - na >= 2 and all(toks[t][:1].isupper() and lowered[t] not in _ORG_HEADS for t in range(na, nb))
        described = bool(between) and modifiers and not ({"a", "an"} & set(between)) and (
            between[-1] in _ROLE_WORDS or between[-1] in _DESCRIBES_NEXT or (
                person and len(between) <= 2 and not any(w.endswith(("ed", "ing", "ly")) for w in between)))
        if not (owner or described):
            return a, b
    return None


def _without_descriptors(toks: list[str], lowered: list[str]) -> tuple[list[str], list[str]]:
    """The tokens without an "X-based" descriptor before a capitalised name: it says
    where the body is based, not what it is called ("the San Francisco-based Acme Corp",
    "the U.S.-backed Syrian Democratic Forces", which the tokenizer splits at the hyphen)."""
    i = 0
    while i < len(toks):
        split = toks[i + 1:i + 2] == ["-"] and lowered[i + 2:i + 3] and lowered[i + 2] in _DESCRIPTOR_ENDS
        k = i + 1 if _DESCRIPTOR.fullmatch(toks[i]) else i + 3 if split and toks[i][:1].isupper() else i
        if i < k < len(toks) and toks[k][:1].isupper():
            while i and toks[i - 1][:1].isupper() and not lowered[i - 1].endswith(("'s", "’s")):
                i -= 1  # the place's other words: "San Francisco-based"
            toks, lowered = toks[:i] + toks[k:], lowered[:i] + lowered[k:]
        i += 1
    return toks, lowered


def _weekday_alone(toks: list[str], lowered: list[str], i: int) -> bool:
    """A weekday not followed by a capitalised word: a date ("on Monday"), not a name
    ("Sunday Times", "Friday Prayers")."""
    return lowered[i] in _WEEKDAYS and not (i + 1 < len(toks) and toks[i + 1][:1].isupper())


def _run_end(toks: list[str], lowered: list[str], i: int) -> int:
    """End of the capitalised run starting at ``i``. It runs on over the period of a title
    ("Mr. Trump", "Gen. Mark Milley"); over "of", "for", "the", "on" between capitalised
    words inside an organisation's name or a title ("Institute for the Study of War",
    "Secretary of State Rex Tillerson"), and over "and" only inside an organisation's
    name ("Center for Strategic and International Studies"), so that "Obama and Putin"
    and "Wendy Sherman of the Council ..." stay two names; it stops after an owner's
    possessive ("Middle East Institute's")."""
    n = len(toks)
    j = i + 1
    while j < n:
        if lowered[j - 1].endswith("'s"):
            break  # an owner ends its run: "Middle East Institute's | Paul Salem"
        if _weekday_alone(toks, lowered, j):
            break  # "Carter Tuesday": the day is when, not who ("Sunday Times" is a name)
        if toks[j][:1].isupper():
            j += 1
            continue
        if lowered[j] == "and" and lowered[j - 1] in _PERSON_TITLES and j + 1 < n and \
                lowered[j + 1] in _PERSON_TITLES and toks[j + 1][:1].isupper():
            j += 1  # two offices of one person: "Economy Minister and Vice Chancellor Sigmar Gabriel"
            continue
        if toks[j] == "/" and j + 1 < n and toks[j + 1][:1].isupper() and \
                lowered[j - 1] not in _TITLE_WORDS and lowered[j + 1] not in _TITLE_WORDS:
            j += 2  # joint pollsters and partners: "NBC News/Marist", "TNS/Teleseker"
            continue
        # A particle inside a person's name ("Hans von Spakovsky", "Frans van der Linden",
        # "Hisham al-Suhail"); not inside a body's name, though one may come before the
        # person's title ("Iraqi Army Gen. Abdul Amir al-Zaidi").
        if _particle(toks, lowered, j) and not any(
                w in _ORG_HEADS for w in lowered[_after_title(lowered, i, j):j]):
            j += 1
            continue
        # The period of a title, an initial or a place's "St.": "Mr. Trump", "Clifford D. May",
        # "St. James's Palace".
        if toks[j] == "." and (lowered[j - 1] in _TITLE_WORDS or lowered[j - 1] in _PLURAL_TITLES or
                               lowered[j - 1] in _PLACE_ABBREVIATIONS or (
                len(toks[j - 1]) == 1 and toks[j - 1].isupper())) and j + 1 < n and toks[j + 1][:1].isupper():
            j += 1
            continue
        k = j
        while k < n and lowered[k] in _JOINERS:
            k += 1
        # Joined only inside an organisation's name or a title ("Secretary of State"), so
        # that "Wendy Sherman of the Council on Foreign Relations" stays two names.
        inside = any(w in _ORG_HEADS or w in _TITLE_WORDS for w in lowered[i:j])
        if k > j and k < n and toks[k][:1].isupper() and not _weekday_alone(toks, lowered, k) and inside and (
                "and" not in lowered[j:k] or any(w in _ORG_HEADS for w in lowered[i:j])):
            j = k
            continue
        break
    return j


def _particle(toks: list[str], lowered: list[str], j: int) -> bool:
    """Whether token ``j`` is a name particle: "von" or "van der" before a capitalised
    word, or a hyphenated "al-Suhail"."""
    k = j
    while k < len(toks) and lowered[k] in _PARTICLES:
        k += 1
    if k > j:
        return k < len(toks) and toks[k][:1].isupper()
    head, _, tail = toks[j].partition("-")
    return bool(tail) and head.lower() in _PARTICLES and tail[:1].isupper()


def _after_title(lowered: list[str], i: int, j: int) -> int:
    """Where the words after the last title or role word of ``lowered[i:j]`` start."""
    return max((k + 1 for k in range(i, j) if lowered[k] in _TITLE_WORDS or lowered[k] in _ROLE_WORDS), default=i)


def _without_title(lowered: list[str], a: int, b: int, toks: list[str]) -> tuple[int, int]:
    """A capitalised run without the title before the person's name ("Russian President
    Vladimir Putin" -> "Vladimir Putin", "Foreign Ministry Spokesman Geng Shuang" -> "Geng
    Shuang", "Director of National Intelligence James Clapper" -> "James Clapper",
    "President of the Palestinian Authority Mahmoud Abbas" -> "Mahmoud Abbas"); an
    organisation's run ("Foreign Ministry", "White House", "Ministry of Foreign Affairs")
    or a run that is only a title ("Prime Minister") is kept whole."""
    orgs = [k for k in range(a, b) if lowered[k].removesuffix("'s") in _ORG_HEADS]
    if orgs:
        # Only a role noun after the organisation's last word starts a person's name.
        titles = [k for k in range(orgs[-1] + 1, b) if lowered[k] in _ROLE_WORDS]
        if not titles and lowered[a] in _PERSON_TITLES and "of" in lowered[a:orgs[-1]]:
            # "President of the Palestinian Authority Mahmoud Abbas": an office named with
            # "of" and a body, then the person (two capitalised words or more).
            k = orgs[-1] + 1
            while k < b and (lowered[k] in _JOINERS or lowered[k] in _OFFICE_WORDS or lowered[k] in _TITLE_WORDS):
                k += 1
            if b - k >= 2 and all(t[:1].isupper() or t == "." for t in toks[k:b]):
                return k, b
    else:
        titles = [k for k in range(a, b) if lowered[k] in _TITLE_WORDS or lowered[k] in _PLURAL_TITLES]
    # The last title word with a name after it. A run that ends on an office is a title
    # ("Deputy Inspector General"), unless the word is also a surname or part of a name
    # ("Rep. Peter T. King", "Martin Luther King Jr.", "Chairman Kim Jong Un"): then the
    # title is an earlier word.
    # "Sen. Angus King of Maine": after a name-like title and "of" comes a place, not the name.
    for last in reversed(titles):
        start = last + 1
        while start < b and lowered[start] in {".", *_JOINERS}:
            start += 1
        if lowered[start - 1] == "of" and start + 1 < b and lowered[start] in _lower_places():
            start += 1  # "Mayor of London Sadiq Khan": the place is the title's
        # "State TV", "Press TV": a title word before media words is the outlet's name.
        named = any(w not in _TITLE_WORDS and w not in _SUFFIXES and w not in _JOINERS and w != "." and
                    w not in _MEDIA_HEADS for w in lowered[start:b])
        if lowered[last] in _NAME_TITLES and (not named or lowered[last + 1] in _JOINERS):
            continue
        if not named:
            return a, b
        break
    else:
        return a, b  # no title, or only a title ("Prime Minister", "Secretary of State")
    # "Rep. Tulsi Gabbard of Hawaii": what follows the person's name is where from.
    cut = next((k for k in range(start + 1, b) if lowered[k] in _JOINERS), b)
    if cut == b and "of" in lowered[a:start]:
        # An office named with "of" runs on past its title words ("Director of National
        # Intelligence James Clapper", "Minister of Foreign Affairs Ri Yong Ho").
        while start + 2 <= b and lowered[start] in _OFFICE_WORDS:
            start += 1
    return start, cut


@functools.lru_cache(maxsize=8192)
def _phrase_info(phrase: str) -> tuple[list[str], str | None, str | None, str, bool]:
    """(lower-cased words, antecedent kind if an anaphor, name, type, is proper) of a
    source phrase. Cached: the same few hundred phrases ("he", "officials", "KCNA")
    make up most sources."""
    toks = tokenize(phrase)
    toks = toks[:_without_trailing(toks)]  # "The ministry itself", "He himself" point back
    words = [t.lower() for t in toks]
    name, stype, proper = _name_and_type(phrase)
    return words, (_is_pronoun(words, toks) if words else None), name, stype, proper


@functools.lru_cache(maxsize=1)
def _lower_places() -> frozenset[str]:
    """:func:`_places` in lower case."""
    return frozenset(p.lower() for p in _places())


@functools.lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Countries and capitals (``framing/data/places.txt``): actors, never persons."""
    raw = (resources.files("framing") / "data" / "places.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))
