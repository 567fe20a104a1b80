"""Pronouns and definite descriptions resolved to earlier sources (framing._attribution.resolve)."""

import pytest

from framing._attribution.names import _phrase_info
from framing._attribution.resolve import SourceResolver, _name_end

from ._helpers import flat, only, run, sl


def test_pronoun_resolves_to_earlier_named_source():
    text = ("North Korea's official KCNA news agency said the test was a success.\n\n"
            "The weather was cold on Tuesday.\n\n"
            "“The enemies will tremble,” the agency added.")
    found = run(text)
    last = [a for a in found[-1]]
    assert last, found
    a = last[0]
    assert sl(text, a.source) == "the agency"
    assert a.resolved
    assert a.resolved_from is not None and a.resolved_from[1] <= a.source[0]
    assert "KCNA" in sl(text, a.resolved_from)
    assert a.source_type == "state_media"


def test_he_said_resolves_to_person():
    text = "Donald Trump said on Monday that he would win.\n\n“It will be huge,” he said."
    found = run(text)
    a = found[-1][0]
    assert sl(text, a.source) == "he"
    assert a.resolved and a.source_name == "Donald Trump"


def test_a_person_anaphor_never_resolves_to_a_place():
    text = "North Korea said it fired a missile. The leader said the test succeeded."
    a = flat(text)[-1]
    assert sl(text, a.source) == "The leader" and not a.resolved and a.source_name is None
    text = "Pyongyang said the test succeeded. It added that more would follow."
    a = flat(text)[-1]
    assert sl(text, a.source) == "It" and a.resolved and a.source_name == "Pyongyang"


def test_unresolved_pronoun():
    text = "“It will be huge,” he said."
    a = only(text)
    assert sl(text, a.source) == "he"
    assert not a.resolved and a.resolved_from is None
    assert a.source_type == "pronoun"


@pytest.mark.parametrize(("text", "span", "name"), [
    ("Former President Bill Clinton, speaking in New York, cast Syria as a test.", "Former President Bill",
     "Bill Clinton"),
    ('"I\'d strip them," said Fox News commentator Sean Hannity.', "Fox News commentator Sean", "Sean Hannity"),
    ("Officials said analyst Anna Maria Lopez spoke first.", "analyst Anna Maria", "Anna Maria Lopez"),
    ("said President George W. Bush, speaking in Texas on the ranch.", "President George", "George W. Bush"),
    ("said the commentator Sean\u00a0Hannity, on air.", "the commentator Sean", "Sean Hannity"),
    # Cut before a weekday or an owner, and at a sentence's end.
    ("Senator Jim Risch Tuesday said the deal was weak.", "Senator Jim", "Jim Risch"),
    ("Senator Jim Risch Sunday's interview was long, he said.", "Senator Jim", "Jim Risch"),
    ("a spokesman, John Smith. The White House said nothing more.", "a spokesman, John", "John Smith"),
    # A headline (title case, capitals), a known name or place, a reporting verb, a body,
    # a possessive, a fourth capitalised word: the span's name stands.
    ("Trump Defends McMaster as Conservatives Seek His Dismissal\n\nThe president", "Trump", "Trump"),
    ("Trump Slams Comey over Russia Memo\n\nThe president said", "Trump", "Trump"),
    ("TRUMP VOWS IRAQ WITHDRAWAL\n\nThe president said", "TRUMP", "TRUMP"),
    ("a statement by Putin Says officials were wrong, in part", "Putin", "Putin"),
    ("A former aide to Mr. Trump Michael Cohen said he lied.", "A former aide to Mr. Trump",
     "former aide to Mr. Trump"),
    ("the leader of Hamas Ismail Haniyeh said the truce held.", "the leader of Hamas", "leader of Hamas"),
    ("Officials in Paris France said on Monday that talks had stalled.", "Officials in Paris",
     "Officials in Paris"),
    ("Former President Bill Clinton's Foundation said it would help.", "Former President Bill", "Bill"),
    ("the agency said KCNA Director Kim reported the launch", "KCNA", "KCNA"),
    ("a statement by Bill Clinton Foundation Board Members said that", "Bill", "Bill"),
    ("said the author Stephen King In an interview on the radio.", "the author Stephen", "Stephen King"),
    ("Russia's Foreign Ministry said on Monday that it would respond", "Russia's", None),
])
def test_a_name_the_span_cuts_short_reads_on(text, span, name):
    a = text.index(span)
    if name is None:
        assert _name_end(text, a, a + len(span)) == a + len(span)
    else:
        assert SourceResolver(text, 0).describe(a, a + len(span), 0)[0] == name


def test_a_name_read_on_keeps_the_spans_type_and_resolution():
    text = "Former President Bill Clinton, speaking in New York, cast Syria as a test. He said it mattered."
    r = SourceResolver(text, 0)
    a = text.index("Former")
    name, stype, _, _ = r.describe(a, a + len("Former President Bill"), 0)
    assert name == "Bill Clinton" and stype == _phrase_info("Former President Bill")[3]
    he = text.index("He said")
    assert r.describe(he, he + 2, 1)[:3] == ("Bill Clinton", stype, True)


@pytest.mark.parametrize(("text", "name"), [
    ('"The war is over," said Vijay Prashad, who heads the institute.', "Vijay Prashad"),
    ("The report was written by Leonid Petrov, who teaches at ANU.", "Leonid Petrov"),
    ("He called it a mistake. Putin, who has ruled since 2000, disagreed.", "Putin"),
    ("Many North Korea watchers, who follow state media, said it was new.", None),  # no name right before
    ("Sen. Lindsey Graham (R-S.C.), who chairs the panel, said so.", None),  # a parenthesis, not a name
    ("Its critics who said so were few.", None),  # no comma: not a relative after a name
    ("Lawmakers, including Rep. Liz Cheney, R-Wyoming, who spoke, objected.", "Liz Cheney"),  # a party tag
    ("Democrats, including Rep. Max Rose of Staten Island, NY, who spoke, objected.", None),  # ends on a place
])
def test_a_relative_who_shows_the_name_it_follows(text, name):
    r = SourceResolver(text, 0)
    a = text.index("who")
    shown, stype, resolved, _ = r.describe(a, a + 3, 0)
    # Only the name shown changes: the type and what later anaphors resolve to are the span's.
    assert (shown, stype, resolved) == (name, _phrase_info("who")[3], False)


def test_an_adverb_names_nobody_and_an_anaphor_passes_it_for_its_name():
    text = "Mayor Ilse Brandt spoke first. Asked again, testily, came the answer. She said no."
    r = SourceResolver(text, 0)

    def describe(phrase: str, si: int):
        a = text.index(phrase)
        return r.describe(a, a + len(phrase), si)

    assert describe("Ilse Brandt", 0)[0] == "Ilse Brandt"
    assert describe("testily", 1)[0] is None  # the manner of saying, not a speaker
    # "She" is shown the name before the adverb; its type and resolution stay what the
    # sentence model's features were made with (the adverb's, the nearest compatible).
    name, stype, resolved, source = describe("She", 2)
    assert (name, stype, resolved) == ("Ilse Brandt", _phrase_info("testily")[3], True)
    assert text[source[0]:source[1]] == "Ilse Brandt"



@pytest.mark.parametrize(("text", "span", "name"), [
    ('"We know," Ilan Meir, former Israeli ambassador to Chile, said.', "ambassador to Chile,", "Ilan Meir"),
    ("Rates fell, Yonhap, South Korea's official news agency, reported.", "South Korea's official news agency",
     "Yonhap"),
    ("Last week, Lavrov, the foreign minister, said so.", "the foreign minister,", "Lavrov"),
    # Not after a fronted phrase, across other words, for a group, or with no comma closing
    # it: the span's own name (None: the name it describes is the span's).
    ("In Lima, a senior minister said so.", "a senior minister", None),
    ("Kim, according to state media, said so.", "state media,", None),
    ("Obama and Putin, other experts say, disagree.", "other experts", None),
    ("Ilan Meir, a senior envoy said, was wrong.", "a senior envoy", None),
    # Not a name from an earlier sentence, nor one that ends a fronted phrase.
    ("Talks were hosted by Ilan Meir, the host. A Western diplomat, who was there, said so.", "A Western diplomat,",
     None),
    ("Talks opened. Ilan Meir, the host spoke. A Western diplomat, who was there, said so.", "A Western diplomat,",
     None),
    ("Hours after meeting Ilan Meir, the Chilean envoy, asked again, said so.", "the Chilean envoy,", None),
])
def test_a_description_in_commas_shows_the_name_it_describes(text, span, name):
    r = SourceResolver(text, 0)
    a = text.index(span)
    shown, stype, resolved, _ = r.describe(a, a + len(span), 0)
    # Only the name shown changes: the type and what later anaphors resolve to are the span's.
    own = _phrase_info(span)
    assert (shown, stype, resolved) == (name or own[2], own[3], False) and own[2]


@pytest.mark.parametrize(("text", "span", "name"), [
    ('"We are ready," said Lt. Col. Ana Ruiz.', "Lt. Col", "Ana Ruiz"),  # a title's stop, then the name
    ('"Talks are over," said former U.S. Mideast peace negotiator Tomas Ekberg.', "former U.S. Mideast peace",
     "Tomas Ekberg"),  # the role's last word, then the name
    ('"Talks are over," said former U.S. Mideast peace talks in Oslo.', "former U.S. Mideast peace", None),
    ('"Talks are over," said Lt. Col. Ana Ruiz of the army and more.', "Lt. Col", None),  # no stop after the name
])
def test_a_span_cut_short_before_a_title_or_role_reads_on_to_the_name(text, span, name):
    r = SourceResolver(text, 0)
    a = text.index(span)
    shown, stype, _resolved, _ = r.describe(a, a + len(span), 0)
    own = _phrase_info(span)
    assert (shown, stype) == (name or own[2], own[3])  # the type stays the span's


def test_he_never_resolves_to_a_body_and_it_never_to_a_titled_person():
    text = ("Anna Berg spoke first. The Institute for Peace Studies said the plan was weak.\n\n"
            "“It will fail,” he said.")
    a = flat(text)[-1]
    assert sl(text, a.source) == "he" and a.source_name != "Institute for Peace Studies"
    text = ("The Ostland Council said the talks had failed.\n\n"
            "Gen. Tomas Vik said the army was ready.\n\n“It is over,” it said.")
    a = flat(text)[-1]
    assert sl(text, a.source) == "it" and a.source_name == "Ostland Council"


def test_an_anaphor_that_resolves_is_the_entitys_latest_mention():
    # "The senator" resolves to Ana Ruiz; "she" then chains back through it, past the
    # governor named in between.
    text = ("Senator Ana Ruiz said the bill would pass.\n\n"
            "Governor Mia Lund said she would sign it.\n\n"
            "The senator said the vote was close.\n\n"
            "She said more talks would follow.")
    found = flat(text)
    assert [a.source_name for a in found if sl(text, a.source) in ("The senator", "She")] == ["Ana Ruiz", "Ana Ruiz"]


def test_a_description_resolves_to_the_name_with_its_head_noun():
    text = ("The National Water Panel said on Monday that the dams were unsafe.\n\n"
            "Officials from the ministry said repairs had begun.\n\n"
            "The panel said the repairs were too slow.")
    a = flat(text)[-1]
    assert sl(text, a.source) == "The panel" and a.source_name == "National Water Panel"


def test_a_span_that_ends_on_a_title_reads_on_to_the_name():
    text = "Finance Minister Ola Berg said the budget was balanced."
    assert SourceResolver(text, 0).describe(0, len("Finance Minister"), 0)[0] == "Ola Berg"


def test_a_party_tag_tagged_as_the_source_shows_the_name_before_it():
    text = "In the radio address, Rep. Ann Lee, R-Texas, said Congress was doing its part."
    a = text.index("R-Texas")
    assert SourceResolver(text, 0).describe(a, a + len("R-Texas,"), 0)[0] == "Ann Lee"
    text = "As the officials noted, R-Texas, said so."  # no name before the tag: the span's own
    a = text.index("R-Texas")
    assert SourceResolver(text, 0).describe(a, a + len("R-Texas"), 0)[0] == "R-Texas"


@pytest.mark.parametrize("phrase", [" ", "\n", ",", "—", "/", "R-", "the , Ann Lee", "officials — Ann Lee and", "al-"])
def test_describe_takes_any_span_without_raising(phrase):
    text = f"{phrase} said the plan would work."
    name, stype, resolved, _from = SourceResolver(text, 0).describe(0, len(phrase), 0)
    assert (name is None or isinstance(name, str)) and isinstance(stype, str) and not resolved


def test_a_titled_person_may_have_a_bodys_word_in_the_name_and_a_head_noun_must_be_the_title():
    text = "Rep. Ralph Hall said the bill was bad.\n\nHe said he would fight it."
    a = flat(text)[-1]
    assert sl(text, a.source) == "He" and a.source_name == "Ralph Hall"
    # "the president" inside an appositive is not the title of the name it describes.
    text = ("Jan Berg, an adviser to the president, said the deal was good.\n\n"
            "Ana Ruiz said on Tuesday that the deal was historic.\n\n"
            "The president said he would sign it.")
    a = flat(text)[-1]
    assert sl(text, a.source) == "The president" and a.source_name != "Jan Berg"


def test_trailing_words_do_not_stop_a_description_pointing_back():
    text = "The Defense Ministry said the drills were over.\n\nThe ministry itself said the troops would return."
    a = flat(text)[-1]
    assert a.resolved and a.source_name == "Defense Ministry"


def test_a_body_named_in_a_role_phrase_is_what_the_description_points_back_to():
    text = ("A spokesman for the Interior Ministry said the border was closed.\n\n"
            "The ministry said it would reopen on Monday.")
    a = flat(text)[-1]
    assert sl(text, a.source) == "The ministry" and a.resolved and a.source_name == "Interior Ministry"
