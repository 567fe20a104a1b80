"""Sources of attributed sentences without a cue (framing._attribution.implicit and its use
in scoring)."""

from __future__ import annotations

import pytest

import framing
from framing import Attribution, Document
from framing._attribution.implicit import (
    SentenceRead,
    act_source,
    channel_in,
    pattern_source,
    speaker_after,
    typed_cue,
)
from framing._features import featurize


def _read(text: str, span: tuple[int, int]) -> SentenceRead:
    """The sentence at ``span`` read as scoring reads it (the feature step's reading)."""
    readings: list = []
    featurize(text, [span], readings=readings)
    return SentenceRead(text[span[0]:span[1]], readings[0])


def _joined(sents: list[str]) -> tuple[str, list[tuple[int, int]], list]:
    """Sentences joined by spaces: the text, each sentence's span, and the feature step's
    reading of each."""
    text = " ".join(sents)
    spans, pos = [], 0
    for s in sents:
        spans.append((pos, pos + len(s)))
        pos += len(s) + 1
    readings: list = []
    featurize(text, spans, readings=readings)
    return text, spans, readings


def _act(sentence: str, label: str, *, opens_in_quote: bool = False):
    text = "Intro. " + sentence  # offsets are document offsets, not sentence offsets
    hit = act_source(text, (7, len(text)), label, opens_in_quote=opens_in_quote, read=_read(text, (7, len(text))))
    return None if hit is None else (text[hit[0][0]:hit[0][1]], hit[1], hit[2])


def test_the_actor_of_an_official_act_is_its_source():
    assert _act("The Pentagon has mounted repeated shows of force.", "official_claim") == \
        ("The Pentagon", "Pentagon", "official")


def test_the_mention_is_widened_to_the_whole_name():
    span, _name, kind = _act("Last month, Republican Rep. Mark Meadows made a criminal referral.", "official_claim")
    assert span == "Republican Rep. Mark Meadows" and kind == "official"


def test_the_subject_after_a_short_fronted_phrase_is_the_actor():
    span, name, kind = _act("The day after the summit, North Korean state media paraphrased Kim's remarks.",
                            "state_media_quote")
    assert (span, name, kind) == ("North Korean state media", "North Korean state media", "state_media")
    # A mention inside the fronted phrase is not the subject; the one after its comma is.
    assert _act("After the ministry spoke on Monday, the Pentagon sent ships.", "official_claim")[0] == "the Pentagon"
    assert _act("But after the ministry spoke on Monday, the Pentagon sent ships.", "official_claim")[0] == \
        "the Pentagon"
    # A clause opened after the comma is not the main clause.
    assert _act("The missile launch, which the Pentagon had predicted, came on Tuesday.", "official_claim") is None


def test_only_a_source_of_the_labels_type_counts():
    assert _act("KCNA aired the footage after the ministry spoke.", "state_media_quote")[2] == "state_media"
    assert _act("The company sold its shares.", "official_claim") is None
    assert _act("Anything at all.", "reporter_narration") is None


def test_only_a_subject_outside_quotations_is_an_actor():
    assert _act("After weeks of talks that went nowhere at all in the end, the ministry closed the border.",
                "official_claim") is None  # too far in to be the subject, even after a comma
    assert _act("Sanctions on the ministry took effect.", "official_claim") is None  # after a preposition
    assert _act("“We are not coordinating with Iran,” he said.", "official_claim") is None  # a quotation's voice
    assert _act("He said “the Pentagon lied” again.", "official_claim") is None
    assert _act("The Pentagon lied.", "official_claim", opens_in_quote=True) is None
    assert _act("The Pentagon lied.", "official_claim")[0] == "The Pentagon"


@pytest.mark.parametrize("sentence", ["Xinhua’s report, said Mr. O’Neill,  “is   false.”  ", "U.S. officials said.",
                                      "\u2003Kim\u00a0said\t it\n"])
def test_token_offsets_come_from_the_feature_steps_reading(sentence):
    read = _read(sentence, (0, len(sentence)))
    assert [sentence[a:b].replace("’", "'") for a, b in read.spans] == read.tokens
    readings: list = []
    featurize("Lavrov said no.", [(0, 15)], readings=readings)
    with pytest.raises(ValueError, match="does not belong"):
        SentenceRead(sentence, readings[0]).spans  # noqa: B018 (a property that checks)
    mine: list = []
    featurize(sentence, [(0, len(sentence))], readings=mine)
    other_tokens = mine[0]._replace(tokens=[t.upper() for t in mine[0].tokens])
    if other_tokens.tokens != mine[0].tokens:
        with pytest.raises(ValueError, match="does not belong"):
            SentenceRead(sentence, other_tokens).spans  # noqa: B018


def test_a_quotation_left_open_is_carried_through_the_document():
    # The feature step's reading says where a sentence starts inside a quotation; the
    # act rule reads the same flags.
    sents = ["He said: “We have won.", "The war is long.", "The Defense Ministry has failed us.",
             "We go on,” he said.", "It rained."]
    text, spans, readings = _joined(sents)
    opens = [r[4] for r in readings]
    assert opens == [False, True, True, True, False]
    third = SentenceRead(text[spans[2][0]:spans[2][1]], readings[2])
    assert act_source(text, spans[2], "official_claim", opens_in_quote=opens[2], read=third) is None
    alone = _read(text, spans[2])  # the same sentence read on its own: no quotation open
    (a, b), _name, _kind = act_source(text, spans[2], "official_claim", read=alone)
    assert text[a:b] == "The Defense Ministry"


def test_a_name_stops_at_the_cue_and_in_headlines():
    assert _typed("Putin Said The Talks Were Over.", "official_claim") == ("Said", "Putin", "official")
    headline = "North Korea's KCNA Claims Successful Missile Test Over East Sea"
    cue, source, _kind = _typed(headline, "state_media_quote")
    assert cue == "Claims" and "Claims" not in source and "Test" not in source
    span, _name, _kind = _act("Afghan Government Investigates Reports That Mullah Omar Is Dead", "official_claim")
    assert span == "Government"


def test_lexicon_attributions_are_linear_in_the_sentence_length():
    # Each quote mark is counted once, not once per mention (this took tens of seconds).
    long = "The ministry, " * 20000 + "the ministry said the border was closed."
    text = "Intro. " + long
    hit = typed_cue(text, (7, len(text)), "official_claim", read=_read(text, (7, len(text))))
    assert hit is not None and text[hit[0][0]:hit[0][1]] == "said"


def _attributions(doc: Document) -> dict[int, Attribution]:
    return {s.index: s.attribution for s in doc.sentences if s.attribution is not None}


def test_scored_attributions_keep_their_invariants_in_every_mode():
    text = ("North Korea’s state media KCNA said on Monday that the drills were a rehearsal for invasion. "
            "“We will respond with overwhelming force,” the statement went on. "
            "The Pentagon has mounted repeated shows of force near the peninsula. "
            "It rained in Seoul.\n\nMoscow: Sanctions are destructive and myopic\n\nIt rained again.")
    # Labels given, not the model's: every mode below must run whatever a model says.
    from framing import LABELS, _api

    model = framing.load_model()
    (lab,) = _api._label_many([text], model)
    lab.labels = ["state_media_quote", "state_media_quote", "official_claim", "reporter_narration",
                  "official_claim", "reporter_narration"]
    lab.best = [LABELS.index(x) for x in lab.labels]
    doc = _api._build(lab, _api._attributions([lab])[0], id="x", meta=None, model=model, explain=False)
    modes = {a.mode for a in _attributions(doc).values()}
    assert {"continued", "act", "indirect"} <= modes, modes  # every branch below runs
    for i, a in _attributions(doc).items():
        s = doc.sentences[i]
        assert s.label != "reporter_narration"
        assert a.source is not None or a.resolved_from is not None
        if a.mode in ("continued", "act"):
            assert a.cue is None
        else:
            assert a.cue is not None and s.start <= a.cue[0] <= a.cue[1] <= s.end
        if a.mode == "continued":
            # The voice of the sentence before, or of the quotation's closing sentence after.
            assert a.source is None and (a.resolved_from[1] <= s.start or a.resolved_from[0] >= s.end)
            near = doc.sentences[i - 1] if a.resolved_from[1] <= s.start else doc.sentences[i + 1]
            assert near.label == s.label and near.attribution is not None
        if a.mode == "act":
            assert a.stance is None and s.start <= a.source[0] < a.source[1] <= s.end
        d = a.to_dict(text)
        assert d["mode"] == a.mode and (d["cue"] is None) == (a.cue is None)


def test_without_cue_continues_acts_and_leaves_narration_alone():
    sents = ["KCNA said the drills were a rehearsal.", "“We will respond,” it went on.",
             "The Pentagon mounted shows of force.", "It rained.", "“Nothing else,” a resident said."]
    said = Attribution(cue=(5, 9), source=(0, 4), mode="indirect", source_name="KCNA", source_type="state_media",
                       stance="neutral")
    labels = ["state_media_quote", "state_media_quote", "official_claim", "reporter_narration", "official_claim"]
    row = [said, None, None, None, None]
    text = _run_without_cue(sents, labels, row)
    assert row[1] == Attribution(cue=None, source=None, mode="continued", source_name="KCNA",
                                 source_type="state_media", resolved_from=(0, 4), stance="neutral")
    assert row[2].mode == "act" and text[row[2].source[0]:row[2].source[1]] == "The Pentagon"
    assert row[3] is None  # narration gets no source
    assert row[4] is None  # no official named, and the previous sentence is narration: nothing to carry on


def test_an_attribution_that_names_nobody_does_not_block_the_fallbacks():
    sents = ["The harbour minister said the port would reopen in May.", "Ferries would wait, it was said.",
             "The Coast Guard, it said, had cleared the channel.", "“Crews are ready.",
             "Cargo will move,” the envoy said.", "Storms may delay it, he said.", "Pilots agree."]
    labels = ["official_claim"] * 5 + ["analyst_assessment"] * 2
    text = " ".join(sents)
    minister = _said(text, "said", "The harbour minister")
    envoy = _said(text, "said", "the envoy", after=text.index("Cargo"))

    def nameless(cue: str, after: str, source: str | None = None) -> Attribution:
        """A cue tagged without a source, or (``source``) an anaphor left unresolved."""
        c, s = text.index(cue, text.index(after)), text.index(source or cue, text.index(after))
        return Attribution(cue=(c, c + len(cue)), source=None if source is None else (s, s + len(source)),
                           mode="indirect", source_name=None, source_type="other" if source is None else "pronoun")

    before = [minister, nameless("said", "Ferries"), nameless("said", "The Coast"), nameless("are", "“Crews"),
              envoy, nameless("said", "Storms", "he"), None]
    row = list(before)
    _run_without_cue(sents, labels, row)
    # Each keeps its cue, mode and stance when the voice before it or the act's subject
    # names its source; the speaker named later, where the quotation closes, makes it
    # that continued voice (only a continued attribution may point forward).
    assert all((row[i].cue, row[i].mode, row[i].stance) == (before[i].cue, before[i].mode, before[i].stance)
               for i in (1, 2))
    assert (row[1].source, row[1].source_name, row[1].resolved_from) == (None, minister.source_name, minister.source)
    assert text[row[2].source[0]:row[2].source[1]] == "The Coast Guard" and row[2].source_name
    assert (row[3].cue, row[3].mode, row[3].source_name, row[3].resolved_from) == (
        None, "continued", envoy.source_name, envoy.source)
    # An anaphor left unresolved keeps its row, and is not carried on to the next sentence.
    assert row[5] == before[5] and row[6] is None


def _run_without_cue(sents: list[str], labels: list[str], row: list) -> str:
    """Fill ``row`` by :func:`framing._api._without_cue` for the joined ``sents``; the text."""
    from types import SimpleNamespace

    from framing._api import _without_cue

    text, spans, readings = _joined(sents)
    _without_cue(SimpleNamespace(text=text, spans=spans, labels=labels, readings=readings), row)
    return text


def _said(text: str, cue: str, source: str, after: int = 0) -> Attribution:
    c, s = text.index(cue, after), text.index(source, after)
    return Attribution(cue=(c, c + len(cue)), source=(s, s + len(source)), mode="direct", source_name=source,
                       source_type="official", stance="neutral")


def test_a_quotation_over_sentences_takes_the_speaker_named_where_it_closes():
    sents = ["“The talks are over,” the minister said.",
             "“We will not wait.", "We have waited long enough.", "Our patience is gone,” the envoy said.",
             "“They never listened.", "Never,” he added, “did they listen.”"]
    official = ["official_claim"] * len(sents)
    text = " ".join(sents)
    envoy = _said(text, "said", "the envoy", after=text.index("Our patience"))
    minister = _said(text, "said", "the minister")
    inner = _said(text, "did", "they", after=text.index("Never,"))  # a cue inside the quotation
    row = [minister, None, None, envoy, None, inner]
    _run_without_cue(sents, official, row)
    # The envoy's quotation: both earlier sentences are the envoy's, not the minister's.
    assert [r.resolved_from for r in row[1:3]] == [envoy.source] * 2
    assert all(r.mode == "continued" and r.cue is None and r.source is None for r in row[1:3])
    # A speaker named inside the quotation ("did they") does not name it: the previous
    # sentence's speaker (the envoy) carries on, as before this rule.
    assert row[4].resolved_from == envoy.source
    # An attribution in a later clause does not name the quotation.
    later = ["“We will not wait.", "That is all.” Meanwhile, the envoy said talks would resume."]
    text = " ".join(later)
    row = [None, _said(text, "said", "the envoy")]
    _run_without_cue(later, ["official_claim"] * 2, row)
    assert row[0] is None
    # Another label in between stops it.
    row = [minister, None, None, envoy, None, inner]
    _run_without_cue(sents, [*official[:2], "analyst_assessment", *official[3:]], row)
    assert row[1].resolved_from == minister.source and row[2] is None


def _typed(sentence: str, label: str):
    text = "Intro. " + sentence
    hit = typed_cue(text, (7, len(text)), label, read=_read(text, (7, len(text))))
    return None if hit is None else (text[hit[0][0]:hit[0][1]], text[hit[1][0]:hit[1][1]], hit[3])


def test_a_source_of_the_labels_type_next_to_a_lexicon_cue():
    text = "North Korea confirmed the deployment, when state media claimed its forces had won."
    assert _typed(text, "state_media_quote") == ("claimed", "state media", "state_media")
    assert _typed(text, "official_claim") == ("confirmed", "North Korea", "official")
    assert _typed("In a speech quoted by the Korean Central News Agency (KCNA), Kim praised the troops.",
                  "state_media_quote") == ("quoted by", "the Korean Central News Agency", "state_media")
    assert _typed("Kim’s remarks suggested that the mission was over.", "official_claim") == \
        ("suggested", "Kim’s remarks", "official")
    assert _typed("Putin has repeatedly said the war would end.", "official_claim")[0] == "has repeatedly said"
    # The channel carries an official's words: "told RT" names RT for state media only.
    assert _typed("Aleksandr Smirnov told RT the deal was off.", "state_media_quote") == ("told", "RT", "state_media")
    assert _typed("The minister told the ministry staff to leave.", "official_claim")[1] == "The minister"
    # A possessive may stand between "by" and the source; other words may not.
    assert _typed("The footage, broadcast by the country’s state television KRT, shows troops.",
                  "state_media_quote")[:2] == ("broadcast by", "state television KRT")
    assert _typed("A letter, quoted by its official news agency KCNA, was read out.",
                  "state_media_quote")[:2] == ("quoted by", "official news agency KCNA")
    assert _typed("The footage, broadcast by a rival of state television KRT, shows troops.",
                  "state_media_quote") is None


def test_no_lexicon_attribution_without_adjacency_or_inside_quotes():
    assert _typed("The ministry, after weeks of silence and many rumours, said nothing.", "official_claim") is None
    assert _typed("He said “the Pentagon claimed it” again.", "official_claim") is None
    assert _typed("Analysts said the ministry was wrong.", "state_media_quote") is None


def test_a_state_outlet_past_its_owner_on_the_air_and_by_its_name():
    # An owner and a word saying whose the outlet is may stand between the cue and it.
    assert _typed("The governor told Russia's TASS news agency that the bridge would reopen.",
                  "state_media_quote") == ("told", "Russia's TASS", "state_media")
    assert _typed("Footage of the drill was released by China's official Xinhua news agency on Sunday.",
                  "state_media_quote")[:2] == ("released by", "Xinhua news agency")
    # "on" hands the words to the channel; a date or other words between do not.
    assert _typed("The admiral defended the exercise on state television on Tuesday.", "state_media_quote") == \
        ("on", "state television", "state_media")
    assert _typed("The admiral spoke on Monday about state television.", "state_media_quote") is None
    assert _typed("The admiral defended the exercise on state television.", "official_claim") is None
    # Generic media words lead on to the outlet's name.
    text = "Intro. The coach told the state news service BTA that the team was ready."
    hit = typed_cue(text, (7, len(text)), "state_media_quote", read=_read(text, (7, len(text))))
    assert text[hit[1][0]:hit[1][1]] == "the state news service BTA" and hit[2] == "BTA"
    assert _typed("The coach told the state news service that the team was ready.",
                  "state_media_quote")[1] == "the state news service"


def _after(sentence: str, cue: str):
    """:func:`speaker_after` for the first ``cue`` of ``sentence``: the mention, name and type."""
    text = "Intro. " + sentence
    c = text.index(cue, 7)
    hit = speaker_after(text, (7, len(text)), (c, c + len(cue)), read=_read(text, (7, len(text))))
    return None if hit is None else (text[hit[0][0]:hit[0][1]], hit[1], hit[2])


def test_the_speaker_named_after_the_verb():
    assert _after("“The reforms have stalled,” writes economist Mara Lindqvist.", "writes") == \
        ("economist Mara Lindqvist", "Mara Lindqvist", "analyst")
    assert _after("“Nobody expected it,” adds Dr. Tomas Ekberg of the Baltic Institute.", "adds")[:2] == \
        ("Dr. Tomas Ekberg", "Tomas Ekberg")  # where from is not the name
    assert _after("Prices will fall, says Secretary of State Ann Lowe, who visited Oslo.", "says")[1] == "Ann Lowe"
    assert _after("Demand will slow, said Eriksen at the central bank.", "said")[1] == "Eriksen"


def test_no_speaker_after_the_verb_where_the_name_is_not_its_subject():
    assert _after("The opposition stood united, condemning Damascus.", "condemning") is None  # a participle's object
    assert _after("Officials accused Norway of spying.", "accused") is None  # no quotation or clause before the verb
    assert _after("“We will stay,” told Bergen officials.", "told") is None  # who was spoken to
    assert _after("“Go home,” said Lindqvist’s lawyer.", "said") is None  # an owner
    assert _after("“They will pay,” warned Brussels would retaliate.", "warned") is None  # a clause's subject
    assert _after("“They will pay,” warned a professor at Oslo.", "warned") is None  # no role noun before the name
    assert _after("“They will pay,” warned “Brussels” today.", "warned") is None  # quoted



def test_a_cue_hands_the_words_on_past_by_with_and_a_nationality():
    # "by" right after the cue, "with" after "said in an interview", a nationality or
    # "citing" between: the outlet after them carries the words.
    hit = typed_cue(text := "Today: “We are ready,” Osman was quoted as saying by the semi-official Mehr news agency.",
                    (7, len(text)), "state_media_quote", read=_read(text, (7, len(text))))
    assert (text[hit[0][0]:hit[0][1]], hit[2], hit[3]) == ("was quoted as saying by", "Mehr", "state_media")
    assert _typed("“We are ready,” the aide was cited as saying by KCNA.", "state_media_quote")[:2] == \
        ("was cited as saying by", "KCNA")
    assert _typed("“We are ready,” Ivanov said in an interview with the Russian state news agency TASS.",
                  "state_media_quote")[1] == "the Russian state news agency TASS"
    assert _typed("Mr. Aliyev told Azerbaijani state media.", "state_media_quote")[1] == "Azerbaijani state media"
    assert _typed("Ten people died, the AP said, citing the state news agency BTA.", "state_media_quote")[1] == \
        "the state news agency BTA"
    # Not over other words, and "with" hands words to state media only.
    assert _typed("Ivanov said in an interview last week with TASS.", "state_media_quote") is None
    assert _typed("Ivanov met with officials in Oslo.", "official_claim") is None


def _pattern(text: str, span: tuple[int, int], label: str = "analyst_assessment"):
    readings: list = []
    featurize(text, [span], readings=readings)
    hit = pattern_source(text, span, label, readings[0].att, read=SentenceRead(text[span[0]:span[1]], readings[0]))
    return None if hit is None else (text[hit[0][0]:hit[0][1]], text[hit[1][0]:hit[1][1]], hit[2])


def test_the_patterns_name_a_speaker_the_tagger_missed_only_by_a_proper_name():
    text = "Rates will rise,” hinted Lindqvist. " + "Growth will slow,” said economist Mara Berg, of the bank."
    assert _pattern(text, (0, 35)) == ("hinted", "Lindqvist", "Lindqvist")
    assert _pattern(text, (36, len(text)))[2] == "Mara Berg"
    intro = "The economist Tomas Ekberg spoke. "
    text = intro + "Ekberg clarified, however, that rates would fall."
    assert _pattern(text, (len(intro), len(text)))[1:] == ("Ekberg", "Ekberg")
    # A lone capitalised word opening a sentence is a name only if the article named it mid-sentence.
    text = "Rates fell. Pilots agree that rates fell."
    assert _pattern(text, (12, len(text))) is None
    # Not a common phrase with a capital, a participle's object, a pronoun, or words in quotation marks.
    text = "Crime profiling shows that rates fell."
    assert _pattern(text, (0, len(text))) is None
    text = "Rates fell sharply, noting Oslo would pay."
    assert _pattern(text, (0, len(text))) is None
    text = "He said rates fell."
    assert _pattern(text, (0, len(text))) is None
    text = "“Ekberg said rates fell,” it was reported."
    assert _pattern(text, (0, len(text))) is None


def test_in_a_state_media_sentence_the_channel_named_before_wins():
    from types import SimpleNamespace

    from framing._api import _CHANNEL_WINDOW, _channel_carries

    sents = ["Lavrov told RIA Novosti the talks had failed.", "“We will not wait,” he said.",
             "“Nor will we stop,” he added.", "Oslo disagreed, its minister said."]
    text = " ".join(sents)
    r = text.index("RIA Novosti")
    channel = Attribution(cue=(7, 11), source=(r, r + 11), mode="indirect", source_name="RIA Novosti",
                          source_type="state_media", stance="neutral")
    he = [_said(text, w, "he", after=text.index(s)) for w, s in (("said", "“We"), ("added", "“Nor"))]
    minister = _said(text, "said", "its minister", after=text.index("Oslo"))
    labels = ["state_media_quote", "state_media_quote", "state_media_quote", "official_claim"]
    row = [channel, *he, minister]
    _channel_carries(SimpleNamespace(labels=labels), row)
    for a, before in zip(row[1:3], he):
        # The speaker's cue, span, mode and stance stay; the outlet is who speaks.
        assert (a.cue, a.source, a.mode, a.stance) == (before.cue, before.source, before.mode, before.stance)
        assert (a.source_name, a.source_type, a.resolved_from) == ("RIA Novosti", "state_media", channel.source)
    assert row[3] == minister  # another label keeps its own speaker
    # Too far back, or no outlet before it: the sentence keeps its speaker.
    far = [channel, *[None] * _CHANNEL_WINDOW, he[0]]
    _channel_carries(SimpleNamespace(labels=["state_media_quote"] * len(far)), far)
    assert far[-1] == he[0]
    alone = [he[0]]
    _channel_carries(SimpleNamespace(labels=["state_media_quote"]), alone)
    assert alone == [he[0]]


def test_a_cue_outside_quotation_marks_names_the_sentence_before_one_inside():
    from types import SimpleNamespace

    from framing._api import _outside_first
    from framing._attribution.model import SpanAttribution

    text = "“As they learned more, they changed their view,” Lindqvist said."
    _text, spans, readings = _joined([text])
    def span(word: str) -> tuple[int, int]:
        return text.index(word), text.index(word) + len(word)

    inner = SpanAttribution(source=span("they"), cue=span("learned"), mode="direct", source_name=None,
                            source_type="pronoun")
    outer = SpanAttribution(source=span("Lindqvist"), cue=span("said"), mode="direct", source_name="Lindqvist",
                            source_type="other")
    d = SimpleNamespace(text=text, spans=spans, readings=readings)
    assert _outside_first(d, 0, [inner, outer]) == [outer, inner]
    assert _outside_first(d, 0, [outer, inner]) == [outer, inner]


def test_the_patterns_read_a_speaker_named_after_the_verb_over_a_titles_stop():
    text = "“Growth will slow,” says Prof. Ye."
    assert _pattern(text, (0, len(text)))[1:] == ("Prof. Ye", "Ye")


@pytest.mark.parametrize(("text", "word", "named"), [
    ("The economist Tomas Ekberg spoke. ", "Ekberg", True),
    ("Ekberg spoke. ", "Ekberg", False),  # opening a sentence: maybe only its capital
    ("He met “Ekberg” there. ", "Ekberg", False),  # after an opening quotation mark
    ("The Ekbergs spoke. ", "Ekberg", False),  # not the whole word
    ("They met Ekberg_ there. ", "Ekberg", False),
])
def test_a_word_named_mid_sentence_before(text, word, named):
    from framing._attribution.implicit import _named_mid_sentence

    assert _named_mid_sentence(text + "Ekberg said so.", len(text), word) is named


@pytest.mark.parametrize(("sentence", "mention", "name"), [
    ("The minister made his announcement on state television on Monday.", "state television", "state television"),
    ("Kim is usually a one-man show in North Korean state media.", "North Korean state media",
     "North Korean state media"),
    ("The claim was repeated by the state news wire MTI within hours.", "the state news wire MTI", "MTI"),
    ("The coverage in the state-run paper praised the summit.", None, None),  # points back: carried on instead
    ("He called “state media” liars.", None, None),  # quoted
])
def test_the_outlet_a_state_media_sentence_names_without_a_cue(sentence, mention, name):
    text = "Today: " + sentence
    hit = channel_in(text, (7, len(text)), read=_read(text, (7, len(text))))
    if mention is None:
        assert hit is None
    else:
        assert (text[hit[0][0]:hit[0][1]], hit[1], hit[2]) == (mention, name, "state_media")


def test_a_state_media_sentence_with_no_cue_takes_the_outlet_it_names():
    sents = ["The minister made his announcement on state television."]
    row = [None]
    text = _run_without_cue(sents, ["state_media_quote"], row)
    assert (row[0].mode, row[0].cue, text[row[0].source[0]:row[0].source[1]]) == ("act", None, "state television")
    row = [None]
    _run_without_cue(sents, ["official_claim"], row)  # another voice: the outlet is not its source
    assert row[0] is None or row[0].source_type != "state_media"
