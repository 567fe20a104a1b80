#!/usr/bin/env python3
"""Choose which news-intl articles get labelled, and assign each to a split.

Reads  the news-intl articles.jsonl named by FRAMING_NEWS_INTL
Writes labels/_build/selection.jsonl                  (one line per selected article)
Prints a summary table.

Standard library only, deterministic (fixed seed, no use of the salted built-in
``hash``).  Run from anywhere:  python3 labels/scripts/select_articles.py [--show-pairs]

Steps
1. Per-article statistics: crude sentence estimate (blank-line paragraphs, then
   SENT_BOUNDARY + 1 per paragraph), state-media and analyst mentions, proxy counts of
   sentences each voice would carry, an English check and a page-furniture check.
2. Near-duplicate detection over the WHOLE corpus: word 5-gram shingles of the
   lower-cased text (photo-gallery and newsletter-sign-up paragraphs left out, shingles
   found in more than MAX_SHINGLE_DF articles dropped as boilerplate), inverted index,
   and an edge when Jaccard >= JACCARD_MIN or containment (of the smaller in the larger)
   >= CONTAINMENT_MIN.  Clusters are connected components; at most one article per
   cluster is selected, so a wire story can never straddle splits.
3. Selection inside a sentence budget: articles citing state media, densest first, until
   the proxy count of state-media sentences reaches STATE_VOICED_TARGET; then articles
   without state media that cite analysts / experts / monitors, densest first, capped
   per topic and per outlet, until the budget is spent.
4. Splits: `test` = whole outlet families (Fox News + Fox Online News, ...) with no
   article in train/dev (unseen-outlet test), chosen by an exhaustive search for ~20% of
   sentences and ~20% of state-media articles; the rest split by article (stratified by
   group, seeded) into `dev` (~12% of all sentences) and `train`.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = Path(os.environ.get("FRAMING_NEWS_INTL", "articles.jsonl"))
OUT = REPO / "labels" / "_build" / "selection.jsonl"

SEED = 20240611

# ---------------------------------------------------------------- dedup parameters
SHINGLE_N = 5
MAX_SHINGLE_DF = 20        # shingles in more articles than this are page furniture
JACCARD_MIN = 0.30
CONTAINMENT_MIN = 0.40       # 0.4-0.5 pairs were all the same story (see report)
MIN_SHARED_SHINGLES = 10   # ignore coincidences between very short texts

# ------------------------------------------------------------ selection parameters
N_STATE = 200                    # upper bound; the voiced target usually binds first
N_ANALYST = 170
STATE_VOICED_TARGET = 430        # proxy state-media-voiced sentences (need >= 400)
STATE_SENT_RANGE = (8, 60)       # 8-45 alone cannot reach 400 state-media sentences
ANALYST_SENT_RANGE = (6, 18)      # short analyst articles buy the >= 300 articles the set needs
ANALYST_OUTLET_CAP = 30          # articles per outlet within the analyst group
ANALYST_TOPIC_CAP = 40           # articles per topic within the analyst group
MIN_SENTENCES = 6
MIN_ARTICLES = 315               # the set needs >= 300 articles
SHORT_SENT_RANGE = (6, 14)
SHORT_OUTLET_CAP = 22
TOTAL_SENT_RANGE = (6400, 7600)
SENT_BUDGET = 7100               # >= 300 articles; make_batches adds the headline (+1 sentence an article)
OUTLET_CAP_SHARE = 0.25          # max share of the sentence budget for one outlet family
MIN_STOPWORD_RATIO = 0.15        # below this the text is treated as not English
MAX_FURNITURE_SHARE = 0.50       # share of "sentences" that are furniture lines (mostly furniture)

# ---------------------------------------------------------------- split parameters
TEST_SENT_TARGET = 0.20
TEST_SENT_RANGE = (0.18, 0.22)
TEST_STATE_TARGET = 0.20         # share of state-media (and, more loosely, analyst) articles
TEST_MIN_OUTLET_ARTICLES = 3     # a test outlet must bring at least this many articles
DEV_SENT_SHARE = 0.12            # of all selected sentences

# Outlet labels that belong to one publisher.  The unseen-outlet test split and the
# outlet caps work on these families, so that e.g. "Fox News" cannot be in test while
# "Fox Online News" is in train.  Labels not listed are their own family.
OUTLET_FAMILY = {
    "ABC News (Online)": "ABC News",
    "CNN (Web News)": "CNN", "CNN - Editorial": "CNN",
    "Fox News": "Fox News", "Fox News (Online)": "Fox News", "Fox News Opinion": "Fox News",
    "Fox Online News": "Fox News",
    "NBC (Web News)": "NBC News", "NBC News (Online)": "NBC News", "MSNBC": "NBC News",
    "CNBC": "NBC News",
    "NPR Online News": "NPR", "NPR Editorial ": "NPR",
    "New York Times - News": "New York Times", "New York Times - Opinion": "New York Times",
    "New York Times (Online News)": "New York Times", "Nicholas Kristof": "New York Times",
    "Bret Stephens": "New York Times",
    "Newsmax - News": "Newsmax", "Newsmax - Opinion": "Newsmax",
    "Wall Street Journal - News": "Wall Street Journal",
    "Wall Street Journal - Editorial": "Wall Street Journal", "MarketWatch": "Wall Street Journal",
    "Yahoo! News": "Yahoo News", "Yahoo! The 360": "Yahoo News",
    "Guest Writer - Left": "Guest Writer", "Guest Writer - Right": "Guest Writer",
    "The Verge": "Vox",
}

# Rough kinds of outlet family, used only to make the unseen-outlet test set diverse.
OUTLET_KIND = {
    "NPR": "public_broadcaster",
    "BBC News": "public_broadcaster",
    "CNN": "mainstream",
    "USA TODAY": "mainstream",
    "New York Times": "mainstream",
    "Christian Science Monitor": "mainstream",
    "ABC News": "mainstream",
    "CBS News": "mainstream",
    "NBC News": "mainstream",
    "Wall Street Journal": "mainstream",
    "Washington Post": "mainstream",
    "Los Angeles Times": "mainstream",
    "Time Magazine": "mainstream",
    "International Business Times": "mainstream",
    "Washington Times": "right_leaning",
    "Fox News": "right_leaning",
    "Newsmax": "right_leaning",
    "Townhall": "right_leaning",
    "Breitbart News": "right_leaning",
    "National Review": "right_leaning",
    "The Daily Caller": "right_leaning",
    "The Daily Wire": "right_leaning",
    "CBN": "right_leaning",
    "TheBlaze.com": "right_leaning",
    "American Spectator": "right_leaning",
    "InfoWars": "right_leaning",
    "New York Post": "right_leaning",
    "Washington Free Beacon": "right_leaning",
    "Vox": "digital_left",
    "Salon": "digital_left",
    "Daily Kos": "digital_left",
    "Daily Beast": "digital_left",
    "Democracy Now": "digital_left",
    "The Intercept": "digital_left",
    "Mother Jones": "digital_left",
    "HuffPost": "digital_left",
    "Vice": "digital_left",
    "Slate": "digital_left",
    "Politico": "politics_trade",
    "The Hill": "politics_trade",
}

# --------------------------------------------------------------------- regexes
PARA_SPLIT = re.compile(r"\n\s*\n")
SENT_BOUNDARY = re.compile(r"[.!?][\"”’)\]]*\s+(?=[A-Z\"“‘(])")

_MEDIA_WORDS = (r"(?:media|news|agency|television|TV|broadcaster|newspapers?|outlets?|channel|radio|"
                r"press|daily|wire|KCNA|Korean|Xinhua|TASS|Tass|ITAR|IRNA|SANA|CCTV|Sputnik|RIA|RT|"
                r"Syrian Arab|Islamic Republic)\b|[Aa]l-")
STATE_MEDIA = re.compile(
    r"\b(?=[CFGIKOPRSTXos])(?:"  # cheap first-letter test up front keeps the alternation fast
    r"\bKCNA\b|Korean Central News Agency|\bKRT\b|Rodong Sinmun|\b(?:TASS|Tass)\b|RIA[- ]Novosti|"
    r"\bSputnik(?= News| International|,? (?:reported|said|quoted|news))|\bRT\b|Russia Today|\bXinhua\b|\bCGTN\b|"
    r"\bCCTV\b(?! (?:footage|camera|cameras|images|video|pictures))|People['’]s Daily|Global Times|China Daily|"
    r"\bIRNA\b|Press TV|\bFars [Nn]ews|\bFars\b(?= (?:reported|said|quoted))|\bTasnim\b|\bIRIB\b|\bSANA\b|"
    r"\b[Ss]tate[- ]media\b|"
    r"\b[Ss]tate[- ](?:run|controlled|owned)\b(?=(?:\s+\S+){0,3}?\s+(?:" + _MEDIA_WORDS + r"))|"
    r"\b[Ss]tate (?:television|TV|news agency|broadcaster)\b|\b[Oo]fficial news agency\b)",
)
ANALYST = re.compile(
    r"\b(?=[acehioprst])(?:Human Rights Watch|Amnesty\b|analysts?|experts?|scholars?|researchers?|professors?|"
    r"think[- ]tanks?|institutes?|"
    r"observers|critics)\b",
    re.IGNORECASE,
)
# Proxies for how many sentences a label would give to each voice: a sentence that names
# the source, plus the sentences that continue it (a quote that runs on, "it said",
# "the agency added", "Pollack said" for an analyst introduced earlier).
_VERBS = (r"said|says|told|tells|added|adds|argued|argues|wrote|writes|noted|notes|explained|"
          r"warned|warns|believes|thinks|predicted|suggested|suggests|cautioned|estimated|"
          r"estimates|contended|contends|observed|pointed out")
_REPORT_VERB = "(?:" + _VERBS + ")"
QUOTE_START = re.compile(r"^[\"“‘]")
SM_FOLLOW = re.compile(
    r"\b(?:[Ii]t|[Tt]he (?:agency|report|reports|newspaper|paper|statement|broadcast|dispatch|"
    r"commentary|editorial|article|station|channel|network|outlet|broadcaster|footage|media|"
    r"announcement|bulletin))\b[^.]{0,60}?\b(?:" + _VERBS +
    r"|reported|reports|quoted|quotes|called|calls|claimed|claims|described|accused|showed|shows|"
    r"stated|quoting)\b|[Aa]ccording to (?:the|its) (?:agency|report|newspaper|statement|broadcast|dispatch)"
)
PRONOUN_SAID = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey) " + _REPORT_VERB + r"\b")
NAME_AFTER = re.compile(r"\b" + _REPORT_VERB + r",? (?:[A-Z][\w'’-]+ ){0,2}([A-Z][\w'’-]{2,})")
NAME_BEFORE = re.compile(r"\b([A-Z][\w'’-]{2,}),? " + _REPORT_VERB + r"\b")
NAME_APPOS = re.compile(r"\b([A-Z][\w'’-]{2,}), (?:a|an|the|who)\b[^.;]{0,80}?\b(?:analysts?|experts?|"
                        r"scholars?|researchers?|professors?|fellow|director|Institute|Center|Council|"
                        r"University|Foundation)\b")
NOT_NAMES = frozenset("The This That These Those There They Then He She It We But And For Officials "
                      "Experts Analysts Critics Some Many Most Other Others One Two".split())

FURNITURE_LINE = re.compile(
    r"^(?:READ MORE|Read more|RELATED|Related|Share this|SHARE|Sign up|Copyright|©|Photo|PHOTOS?:|"
    r"Video|VIDEO|Watch|WATCH|Story highlights|CLICK HERE|Click here|Advertisement|Contributing|"
    r"Follow |Enlarge this image|Getty|AP Photo|Image (?:copyright|caption)|Media caption|"
    r"\[pullquote\])"
)
GALLERY_PARA = re.compile(r"Hide Caption \d+ of \d+")
# paragraphs left out of the dedup shingles only: photo galleries and sign-up boxes that a
# site repeats on unrelated stories (they made unrelated CNN / Time pages look alike)
SKIP_FOR_DEDUP = re.compile(r"Hide Caption \d+ of \d+|[Ss]ign up|[Nn]ewsletter|Choose your country")
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
LETTER_WORD = re.compile(r"[^\W\d_]+")
STOPWORDS = frozenset(
    "the a an of to in and is was that for on with as by it he she they said at from his "
    "her be have has are were not but this which will would".split()
)


def paragraphs(text: str) -> list[str]:
    return [p for p in PARA_SPLIT.split(text) if p.strip()]


def sentences(text: str) -> list[str]:
    """Crude sentence split, the same boundaries as the estimate."""
    out = []
    for p in paragraphs(text):
        start = 0
        for m in SENT_BOUNDARY.finditer(p):
            out.append(p[start:m.end()].strip())
            start = m.end()
        out.append(p[start:].strip())
    return out


def voiced_sentences(sents: list[str], sm_hit: list[bool], an_hit: list[bool]) -> tuple[int, int]:
    """Proxy counts of (state-media-voiced, analyst-voiced) sentences."""
    names: set[str] = set()
    for s, hit in zip(sents, an_hit):
        if hit:
            for rx in (NAME_AFTER, NAME_BEFORE, NAME_APPOS):
                names.update(m.group(1) for m in rx.finditer(s))
    names -= NOT_NAMES
    name_said = None
    if names:
        alt = "|".join(sorted(map(re.escape, names)))
        name_said = re.compile(r"\b(?:(?:" + alt + r"),? " + _REPORT_VERB + r"|" + _REPORT_VERB
                               + r",? (?:[A-Z][\w'’-]+ ){0,2}(?:" + alt + r"))\b")
    n_sm = n_an = 0
    prev_sm = prev_an = False
    for s, s_hit, a_hit in zip(sents, sm_hit, an_hit):
        cont = bool(QUOTE_START.match(s))
        sm = s_hit or (prev_sm and (cont or bool(SM_FOLLOW.search(s))))
        an = (a_hit or bool(name_said and name_said.search(s))
              or (prev_an and not sm and (cont or bool(PRONOUN_SAID.search(s)))))
        n_sm += sm
        n_an += an
        prev_sm, prev_an = sm, an
    return n_sm, n_an


def stable_key(*parts) -> str:
    return hashlib.sha256("|".join(map(str, (SEED, *parts))).encode()).hexdigest()


# ----------------------------------------------------------------- statistics
def article_stats(a: dict) -> dict:
    text = a["text"]
    sents = sentences(text)
    words = [w.lower() for w in LETTER_WORD.findall(text)]
    sw_ratio = sum(w in STOPWORDS for w in words) / max(1, len(words))
    sm_n = [len(STATE_MEDIA.findall(s)) for s in sents]
    an_n = [len(ANALYST.findall(s)) for s in sents]
    furniture = sum(1 for x in sents
                    if FURNITURE_LINE.match(x) or GALLERY_PARA.search(x)
                    or (len(x.split()) < 5 and not x.rstrip("\"”’)").endswith((".", "?", "!"))))
    voiced = voiced_sentences(sents, [n > 0 for n in sm_n], [n > 0 for n in an_n])
    return {
        "n_chars": len(text),
        "est_sentences": len(sents),
        "state_media_mentions": sum(sm_n),
        "analyst_mentions": sum(an_n),
        "state_media_sents": sum(n > 0 for n in sm_n),
        "analyst_sents": sum(n > 0 for n in an_n),
        "state_media_voiced": voiced[0],
        "analyst_voiced": voiced[1],
        "stopword_ratio": sw_ratio,
        "english": sw_ratio >= MIN_STOPWORD_RATIO,
        "furniture_share": furniture / max(1, len(sents)),
        "furniture": furniture / max(1, len(sents)) > MAX_FURNITURE_SHARE,
    }


# ----------------------------------------------------------------------- dedup
def shingle_sets(articles: list[dict]) -> list[set[int]]:
    vocab: dict[str, int] = {}
    sets = []
    for a in articles:
        keep = [p for p in PARA_SPLIT.split(a["text"]) if p.strip() and not SKIP_FOR_DEDUP.search(p)]
        text = "\n".join(keep).lower().replace("’", "'").replace("‘", "'")
        toks = TOKEN.findall(text)
        s = set()
        for i in range(len(toks) - SHINGLE_N + 1):
            g = " ".join(toks[i:i + SHINGLE_N])
            s.add(vocab.setdefault(g, len(vocab)))
        sets.append(s)
    return sets


def near_duplicates(articles: list[dict]):
    sets = shingle_sets(articles)
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    furniture = {g for g, post in index.items() if len(post) > MAX_SHINGLE_DF}
    if furniture:
        sets = [s - furniture for s in sets]
    shared: Counter = Counter()
    for post in index.values():
        if 2 <= len(post) <= MAX_SHINGLE_DF:
            for i, j in itertools.combinations(post, 2):
                shared[(i, j)] += 1
    pairs = []  # (i, j, jaccard, containment, shared)
    for (i, j), n in shared.items():
        if n < MIN_SHARED_SHINGLES:
            continue
        a, b = len(sets[i]), len(sets[j])
        jac = n / (a + b - n)
        con = n / min(a, b)
        pairs.append((i, j, jac, con, n))
    return pairs, len(furniture)


def connected_components(n: int, edges) -> list[int]:
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(n)]


# ------------------------------------------------------------------- selection
def select(articles, stats, cluster_of):
    """Greedy, budgeted selection; returns {article index: group}.

    The sentence budget (TOTAL_SENT_RANGE) is the binding constraint: articles that cite
    state media average ~28 estimated sentences, so ~200 of them alone would use the
    whole budget.  State-media articles are therefore taken densest first until the
    proxy count of state-media-voiced sentences reaches STATE_VOICED_TARGET; the rest of
    the budget goes to analyst articles (short, dense, spread over topics and outlets).
    """
    budget = SENT_BUDGET
    outlet_cap = OUTLET_CAP_SHARE * budget          # in estimated sentences
    used_clusters: set = set()
    outlet_sents: Counter = Counter()
    chosen: dict[int, str] = {}

    def ok(i):
        return (cluster_of[i] not in used_clusters
                and outlet_sents[articles[i]["family"]] + stats[i]["est_sentences"] <= outlet_cap)

    def take(i, group):
        chosen[i] = group
        used_clusters.add(cluster_of[i])
        outlet_sents[articles[i]["family"]] += stats[i]["est_sentences"]

    def usable(s):
        return s["english"] and s["est_sentences"] >= MIN_SENTENCES and not s["furniture"]

    # -- state-media group: most state-media-voiced sentences per estimated sentence first
    lo, hi = STATE_SENT_RANGE
    state_cands = [i for i, s in enumerate(stats)
                   if s["state_media_mentions"] > 0 and usable(s) and lo <= s["est_sentences"] <= hi]
    state_cands.sort(key=lambda i: (-stats[i]["state_media_voiced"] / stats[i]["est_sentences"],
                                    -stats[i]["state_media_mentions"] / stats[i]["est_sentences"],
                                    stable_key(articles[i]["id"])))
    voiced = n_state = used = 0
    for i in state_cands:
        if voiced >= STATE_VOICED_TARGET or n_state >= N_STATE:
            break
        if ok(i):
            take(i, "state_media")
            n_state += 1
            voiced += stats[i]["state_media_voiced"]
            used += stats[i]["est_sentences"]

    # -- analyst group: articles without state media, densest analyst voice first (per
    #    estimated sentence), with caps per topic and per outlet to spread the group.
    lo, hi = ANALYST_SENT_RANGE
    an_cands = [i for i, s in enumerate(stats)
                if s["state_media_mentions"] == 0 and s["analyst_mentions"] > 0 and usable(s)
                and lo <= s["est_sentences"] <= hi and cluster_of[i] not in used_clusters]
    an_cands.sort(key=lambda i: (-stats[i]["analyst_voiced"] / stats[i]["est_sentences"],
                                 stats[i]["est_sentences"], stable_key(articles[i]["id"])))
    an_outlet: Counter = Counter()
    an_topic: Counter = Counter()
    n_an = 0
    for i in an_cands:
        n = stats[i]["est_sentences"]
        if n_an >= N_ANALYST or budget - used < lo:
            break
        if (n <= budget - used and ok(i)
                and an_outlet[articles[i]["family"]] < ANALYST_OUTLET_CAP
                and an_topic[articles[i]["topic"]] < ANALYST_TOPIC_CAP):
            take(i, "analyst")
            an_outlet[articles[i]["family"]] += 1
            an_topic[articles[i]["topic"]] += 1
            n_an += 1
            used += n

    # -- short group: brief articles of any voice (officials, narration, hard negatives)
    #    until the set holds MIN_ARTICLES articles; spread by a per-outlet cap.
    lo, hi = SHORT_SENT_RANGE
    short_cands = [i for i, s in enumerate(stats)
                   if i not in chosen and usable(s) and lo <= s["est_sentences"] <= hi
                   and cluster_of[i] not in used_clusters]
    short_cands.sort(key=lambda i: stable_key("short", articles[i]["id"]))
    short_outlet: Counter = Counter()
    for i in short_cands:
        if len(chosen) >= MIN_ARTICLES:
            break
        if ok(i) and short_outlet[articles[i]["family"]] < SHORT_OUTLET_CAP:
            take(i, "short")
            short_outlet[articles[i]["family"]] += 1
    return chosen


# ---------------------------------------------------------------------- splits
def choose_test_outlets(sel, stats, articles):
    """Exhaustive search over sets of 3-5 outlets for the unseen-outlet test split."""
    tot_s = sum(stats[i]["est_sentences"] for i in sel)
    tot_sm = sum(1 for g in sel.values() if g == "state_media")
    tot_an = len(sel) - tot_sm
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # sents, state arts, arts
    for i, g in sel.items():
        o = articles[i]["family"]
        per[o][0] += stats[i]["est_sentences"]
        per[o][1] += g == "state_media"
        per[o][2] += 1
    # candidate outlets: every outlet whose share alone does not exceed the target
    outs = sorted((o for o in per if per[o][0] / tot_s < TEST_SENT_RANGE[1]
                   and per[o][2] >= TEST_MIN_OUTLET_ARTICLES),
                  key=lambda o: (-per[o][0], o))
    best = None
    for k in (3, 4, 5):
        for combo in itertools.combinations(outs, k):
            kinds = {OUTLET_KIND.get(o, "other") for o in combo} - {"other"}
            if len(kinds) < 3 or "public_broadcaster" not in kinds or "mainstream" not in kinds:
                continue
            # "one large mainstream": a mainstream outlet with >= 10 selected articles
            if not any(OUTLET_KIND.get(o) == "mainstream" and per[o][2] >= 10 for o in combo):
                continue
            s = sum(per[o][0] for o in combo) / tot_s
            if not TEST_SENT_RANGE[0] <= s <= TEST_SENT_RANGE[1]:
                continue
            sm = sum(per[o][1] for o in combo) / max(1, tot_sm)
            an = sum(per[o][2] - per[o][1] for o in combo) / max(1, tot_an)
            score = (abs(s - TEST_SENT_TARGET) / 0.02 + abs(sm - TEST_STATE_TARGET) / 0.02
                     + abs(an - TEST_STATE_TARGET) / 0.10 + 0.25 * (k - 3)
                     + 1.0 * (k - len(kinds)))  # prefer one outlet per kind
            key = (round(score, 9), combo)
            if best is None or key < best:
                best = key
    if best is None:
        sys.exit("no outlet combination satisfies the test-split constraints")
    return list(best[1])


def assign_splits(sel, stats, articles, test_outlets):
    split = {}
    for i in sel:
        if articles[i]["family"] in test_outlets:
            split[i] = "test"
    rest = [i for i in sel if i not in split]
    total = sum(stats[i]["est_sentences"] for i in sel)
    rest_total = sum(stats[i]["est_sentences"] for i in rest)
    # dev: random by article, stratified by group so both groups are represented
    rng = random.Random(SEED)
    for group in ("state_media", "analyst", "short"):
        members = sorted((i for i in rest if sel[i] == group), key=lambda i: articles[i]["id"])
        rng.shuffle(members)
        g_total = sum(stats[i]["est_sentences"] for i in members)
        target = DEV_SENT_SHARE * total * g_total / rest_total
        acc = 0
        for i in members:
            s = stats[i]["est_sentences"]
            if acc + s / 2 <= target:
                split[i] = "dev"
                acc += s
            else:
                split[i] = "train"
    return split


# ------------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-pairs", action="store_true",
                    help="print the near-duplicate pairs close to the thresholds")
    args = ap.parse_args()

    articles = [json.loads(line) for line in SOURCE.open(encoding="utf-8") if line.strip()]
    articles.sort(key=lambda a: a["id"])
    for a in articles:
        a["family"] = OUTLET_FAMILY.get(a["outlet"], a["outlet"])
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids), "duplicate ids in source"
    stats = [article_stats(a) for a in articles]

    pairs, n_furniture = near_duplicates(articles)
    dup = [(i, j, jac, con, n) for i, j, jac, con, n in pairs
           if jac >= JACCARD_MIN or con >= CONTAINMENT_MIN]
    roots = connected_components(len(articles), [(i, j) for i, j, *_ in dup])
    members: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(roots):
        members[r].append(i)
    cluster_of = roots
    cluster_id = {r: "c" + ids[r] for r in members}      # named after its smallest id
    cluster_size = {r: len(m) for r, m in members.items()}

    sel = select(articles, stats, cluster_of)
    test_outlets = choose_test_outlets(sel, stats, articles)
    split = assign_splits(sel, stats, articles, test_outlets)

    # ---- output
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(sel, key=lambda i: (split[i], ids[i]))   # dev, test, train; then id
    with OUT.open("w", encoding="utf-8") as f:
        for i in rows:
            a, s = articles[i], stats[i]
            rec = {
                "id": a["id"], "outlet": a["outlet"], "date": a["date"], "url": a["url"],
                "title": a["title"], "split": split[i],
                "cluster_id": cluster_id[cluster_of[i]],
                "cluster_size": cluster_size[cluster_of[i]],
                "n_chars": s["n_chars"], "est_sentences": s["est_sentences"],
                "state_media_mentions": s["state_media_mentions"],
                "analyst_mentions": s["analyst_mentions"],
                "group": sel[i],
            }
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # ---- summary
    multi = [m for m in members.values() if len(m) > 1]
    print(f"source: {len(articles)} articles, {len({a['outlet'] for a in articles})} outlets")
    print(f"non-English (stopword ratio < {MIN_STOPWORD_RATIO}): "
          f"{sum(not s['english'] for s in stats)}; tiny (< {MIN_SENTENCES} est. sentences): "
          f"{sum(s['est_sentences'] < MIN_SENTENCES for s in stats)}")
    print(f"dedup: {SHINGLE_N}-gram shingles, {n_furniture} furniture shingles (df > {MAX_SHINGLE_DF}) "
          f"dropped; edge if Jaccard >= {JACCARD_MIN} or containment >= {CONTAINMENT_MIN}")
    print(f"       {len(dup)} duplicate pairs -> {len(multi)} clusters of size > 1 covering "
          f"{sum(map(len, multi))} articles; largest cluster sizes: "
          f"{sorted(map(len, multi), reverse=True)[:8]}")
    if args.show_pairs:
        near = sorted((p for p in pairs if abs(p[2] - JACCARD_MIN) < 0.1
                       or abs(p[3] - CONTAINMENT_MIN) < 0.1),
                      key=lambda p: (-max(p[2], p[3]), ids[p[0]]))
        print("\nborderline pairs (J, C, shared shingles; * = linked):")
        for i, j, jac, con, n in near:
            mark = "*" if (jac >= JACCARD_MIN or con >= CONTAINMENT_MIN) else " "
            for k, x in enumerate((i, j)):
                a = articles[x]
                head = f"{mark} J={jac:.2f} C={con:.2f} n={n:<5d}" if k == 0 else " " * 30
                print(f"{head} {a['id']} {a['outlet'][:22]:22s} {a['date'] or '----------'} "
                      f"{stats[x]['est_sentences']:4d}s  {a['title'][:60]}")
        print()

    cells = defaultdict(lambda: [0, 0])          # (split, group) -> [articles, sentences]
    for i in sel:
        cells[(split[i], sel[i])][0] += 1
        cells[(split[i], sel[i])][1] += stats[i]["est_sentences"]

    tot_n, tot_s = len(sel), sum(stats[i]["est_sentences"] for i in sel)
    print(f"\nselected {tot_n} articles, {tot_s} estimated sentences "
          f"(target {TOTAL_SENT_RANGE[0]}-{TOTAL_SENT_RANGE[1]})")
    print(f"\n{'split':6s} {'group':12s} {'articles':>8s} {'est_sent':>8s} {'%sent':>6s}")
    for sp in ("train", "dev", "test"):
        for g in ("state_media", "analyst", "short"):
            n, s = cells[(sp, g)]
            print(f"{sp:6s} {g:12s} {n:8d} {s:8d} {100 * s / tot_s:6.1f}")
        n = sum(cells[(sp, g)][0] for g in ("state_media", "analyst", "short"))
        s = sum(cells[(sp, g)][1] for g in ("state_media", "analyst", "short"))
        print(f"{sp:6s} {'(all)':12s} {n:8d} {s:8d} {100 * s / tot_s:6.1f}")
    for g in ("state_media", "analyst", "short"):
        n = sum(cells[(sp, g)][0] for sp in ("train", "dev", "test"))
        s = sum(cells[(sp, g)][1] for sp in ("train", "dev", "test"))
        print(f"{'(all)':6s} {g:12s} {n:8d} {s:8d} {100 * s / tot_s:6.1f}")
    sm_total = sum(1 for g in sel.values() if g == "state_media")
    sm_test = sum(1 for i, g in sel.items() if g == "state_media" and split[i] == "test")
    print(f"\nstate-media articles in test: {sm_test}/{sm_total} = {100 * sm_test / sm_total:.1f}%")
    print("\nsentences per split (crude split; 'mention' = names the source, 'voiced' = proxy "
          "that adds continuations such as 'it said', a running quote, 'Pollack said'):")
    print(f"  {'':22s} {'train':>6s} {'dev':>6s} {'test':>6s} {'total':>6s}")
    for key, name in (("state_media_sents", "state-media mention"),
                      ("state_media_voiced", "state-media voiced"),
                      ("analyst_sents", "analyst mention"),
                      ("analyst_voiced", "analyst voiced")):
        vals = [sum(stats[i][key] for i in sel if split[i] == sp) for sp in ("train", "dev", "test")]
        print(f"  {name:22s} " + " ".join(f"{v:6d}" for v in vals) + f" {sum(vals):6d}")
    long_sm = sum(1 for i, g in sel.items() if g == "state_media" and stats[i]["est_sentences"] > 45)
    print(f"state-media articles longer than 45 est. sentences: {long_sm}")
    print("\noutlet families per split (raw outlet labels are in the output):")
    for sp in ("train", "dev", "test"):
        c = Counter(articles[i]["family"] for i in sel if split[i] == sp)
        print(f"  {sp:5s} {len(c):3d} outlets: " + ", ".join(f"{o} {n}" for o, n in c.most_common()))
    print("\ntest outlet families (unseen in train/dev):")
    for o in test_outlets:
        n = sum(1 for i in sel if articles[i]["family"] == o)
        s = sum(stats[i]["est_sentences"] for i in sel if articles[i]["family"] == o)
        sm = sum(1 for i in sel if articles[i]["family"] == o and sel[i] == "state_media")
        print(f"  {o:28s} kind={OUTLET_KIND.get(o, 'other'):18s} articles={n:3d} "
              f"state_media={sm:3d} est_sent={s:5d}")
    top = Counter(articles[i]["family"] for i in sel).most_common(1)[0]
    fam_s: Counter = Counter()
    for i in sel:
        fam_s[articles[i]["family"]] += stats[i]["est_sentences"]
    o_s, n_s = fam_s.most_common(1)[0]
    print(f"\nlargest outlet family: {top[0]} {top[1]}/{tot_n} articles = "
          f"{100 * top[1] / tot_n:.1f}%; by sentences {o_s} {100 * n_s / tot_s:.1f}%")
    tc = Counter(articles[i]["topic"] for i in sel)
    print("topics: " + ", ".join(f"{t} {n}" for t, n in tc.most_common()))
    leak = {cluster_of[i] for i in sel if split[i] == "test"} & \
           {cluster_of[i] for i in sel if split[i] != "test"}
    assert not leak and len({cluster_of[i] for i in sel}) == len(sel)
    assert not ({articles[i]["family"] for i in sel if split[i] == "test"}
                & {articles[i]["family"] for i in sel if split[i] != "test"})
    print(f"wrote {OUT.relative_to(REPO)} ({len(sel)} lines)")


if __name__ == "__main__":
    main()
