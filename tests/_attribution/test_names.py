"""The name and type of a source phrase, and the antecedent an anaphor needs (framing._attribution.names)."""

import pytest

from framing._attribution.names import _name_and_type, _phrase_info, _places


@pytest.mark.parametrize(("phrase", "expected"), [
    ("KCNA, the state news agency", ("KCNA", "state_media", True)),
    ("Senator John Smith", ("John Smith", "official", True)),  # a name never keeps its title
    ("South Korean lawmakers", ("South Korean lawmakers", "official", False)),  # a described group, not a name
    ("officials", ("officials", "official", False)),
    ("the agency", ("agency", "other", False)),  # a role phrase loses its determiner (NAMES.md)
    ("a senior administration official", ("senior administration official", "official", False)),  # as given
    ("Syrian state TV", ("Syrian state TV", "state_media", False)),  # a described channel, not "Syrian"
    ("state TV", ("state TV", "state_media", False)),
    ("the state-run TASS news agency", ("TASS", "state_media", True)),  # the outlet, not its kind
])
def test_name_and_type(phrase, expected):
    assert _name_and_type(phrase) == expected


@pytest.mark.parametrize(("phrase", "name"), [
    ("Vice President Joe Biden", "Joe Biden"),
    ("Russian President Vladimir Putin", "Vladimir Putin"),
    ("U.S. Secretary of State Mike Pompeo", "Mike Pompeo"),
    ("Mr. Trump", "Trump"),
    ("Gen. Mark Milley", "Mark Milley"),
    ("Institute for the Study of War", "Institute for the Study of War"),
    ("Center for Strategic and International Studies", "Center for Strategic and International Studies"),
    ("the Ministry of Foreign Affairs", "Ministry of Foreign Affairs"),
    ("Foreign Ministry", "Foreign Ministry"),  # an organisation keeps every word
    ("White House", "White House"),
    ("Prime Minister", "Prime Minister"),  # only a title: nothing to strip it from
    ("Martin Luther King Jr.", "Martin Luther King Jr"),  # "King" is part of the name: a suffix follows it
    ("King Charles III", "Charles III"),  # a title, then a name with its number
    ("Rep. Peter T. King", "Peter T. King"),  # the name ends on a title word: the title is the one before
    ("Secretary of State", "Secretary of State"),  # only title words: kept whole
    ("Deputy Inspector General", "Deputy Inspector General"),  # ends on an office: a title, kept whole
    ("the U.S. Trade Representative", "U.S. Trade Representative"),
    ("Chairman Kim Jong Un", "Kim Jong Un"),  # "Un" ends the name
    ("Sen. Angus King of Maine", "Angus King"),  # after "King of" comes a place, not the name
    ("King of Jordan", "King of Jordan"),
    ("Obama and Putin", "Obama"),  # two people stay two names
    ("Leonid Petrov, a North Korea specialist at Kookmin University", "Leonid Petrov"),
    ("Richard Bush III, director of the Center for Northeast Asian Policy Studies", "Richard Bush III"),
    ("Wendy Sherman of the Council on Foreign Relations", "Wendy Sherman"),  # the person, not the body
    ("Middle East Institute's Paul Salem", "Paul Salem"),  # the owner is not the speaker
    ("North Korea's KCNA", "KCNA"),
    ("Clifford D. May", "Clifford D. May"),  # an initial's period does not end the name
    ("A. Q. Khan", "A. Q. Khan"),  # an initial, not an article
    ("Mr. Litwak of the", "Litwak"),  # a preposition after a name is not a description
    ("Ash Carter Tuesday", "Ash Carter"),  # the day is when, not who
    ("the White House on Monday", "White House"),
    ("The Sunday Times", "Sunday Times"),  # ... but a day that starts a name stays
    ("Some lawmakers", "lawmakers"),  # a quantifier goes, as a determiner does
    ("One intelligence source", "intelligence source"),
    ("Multiple reviews", "reviews"),
    ("All India Radio", "All India Radio"),  # ... but not from a name
    # An owner before modifiers, and a descriptor ending in a role word, are not the speaker.
    ("the North's official Korean Central News Agency", "Korean Central News Agency"),
    ("China's state-run Global Times newspaper", "Global Times"),
    ("White House press secretary Jay Carney", "Jay Carney"),
    ("Communist leader Gennady Zyuganov", "Gennady Zyuganov"),
    ("Obama and his advisers", "Obama"),  # a second phrase, not a descriptor
    # A role noun after an organisation's name starts the person's name.
    ("Foreign Ministry Spokesman Geng Shuang", "Geng Shuang"),
    ("Labor Party MP Emily Thornberry", "Emily Thornberry"),
    ("Ministry of Foreign Affairs", "Ministry of Foreign Affairs"),  # "Foreign" is not a role noun
    ("Democratic Rep. Tulsi Gabbard of Hawaii", "Tulsi Gabbard"),  # where from is not the name
    ("Hans von Spakovsky", "Hans von Spakovsky"),  # particles inside a person's name
    ("Hisham al-Suhail, a member of parliament", "Hisham al-Suhail"),
    ("Frans van der Linden", "Frans van der Linden"),
    ("Iraqi Army Gen. Abdul Amir al-Zaidi", "Abdul Amir al-Zaidi"),  # a body before the title: still a person
    ("al Qaeda", "al Qaeda"),
    ("Putin and his spokesman Dmitry Peskov", "Putin"),  # "and his": a second phrase
    ("Kim's talks with South Korean President Moon Jae-in", "Kim"),  # an owner only before modifiers
    ("US Navy spokesman Cmdr. Clayton Doss", "Clayton Doss"),  # ranks are titles
    ("IDF spokesman Brig. Gen. Ronen Manelis", "Ronen Manelis"),
    ("Democratic Rep. Adam Smith of Washington state, who", "Adam Smith"),
    ("State Department spokesman John Kirby released in a", "John Kirby"),  # a verb does not describe a group
    ("state-run CCTV", "CCTV"),  # a modifier before an outlet's name is not part of it
    ("Egypt's news agency MENA", "MENA"),
    ("U.S. television", "U.S. television"),  # a country in capitals is not an outlet
    # Role phrases as given, without what describes them after; a place there stays.
    ("an administration official with direct knowledge of", "administration official"),
    ("officials familiar with the matter", "officials"),
    ("officials in Paris", "officials in Paris"),
    ("one of the officials", "officials"),
    ("The inspector general's comments", "inspector general"),  # what a source said is the source's
    ("A state television report in 2015", "state television"),
])

def test_names_drop_titles_and_keep_whole_organisations(phrase, name):
    assert _name_and_type(phrase)[0] == name


@pytest.mark.parametrize(("phrase", "name"), [
    # Where a body is based or who backs it, where a person was born: no part of the name.
    ("the Oslo-based Nordic Peace Institute", "Nordic Peace Institute"),
    ("the New York-based Harbor Watch Foundation", "Harbor Watch Foundation"),  # every word of the place
    ("Chile's Santiago-based Andes Policy Center", "Andes Policy Center"),  # not the owner before it
    ("the U.S.-backed Free Valley Forces", "Free Valley Forces"),  # split at the hyphen by the tokenizer
    ("the Lagos-born Ngozi Adeyemi", "Ngozi Adeyemi"),
    # A possessive determiner goes as "the" does.
    ("Its defence minister", "defence minister"),
    ("their chief negotiator", "chief negotiator"),
    ("His spokeswoman, Ana Ruiz", "Ana Ruiz"),
])
def test_descriptors_and_possessives_before_a_name_are_dropped(phrase, name):
    assert _name_and_type(phrase)[0] == name


def test_a_descriptor_keeps_its_type_and_a_lone_possessive_names_nobody():
    # The type is the whole phrase's, as the sentence model's features were made with.
    assert _name_and_type("the U.S.-backed Free Valley Forces") == ("Free Valley Forces", "official", True)
    assert _name_and_type("His") == (None, "other", False)  # a possessive alone names nobody
    assert _name_and_type("a Lagos-based analyst")[0] == "Lagos-based analyst"  # no name after it: as given


def test_a_typed_name_in_capitals_stays_a_proper_name():
    assert _name_and_type("the Syrian Observatory for Human Rights") == (
        "Syrian Observatory for Human Rights", "analyst", True)


@pytest.mark.parametrize(("phrase", "need"), [
    ("he", "person"), ("It", "org"), ("they", "group"), ("the agency", "org"), ("The leader", "person"),
    ("the officials", "group"), ("KCNA", None), ("officials", None), ("the state news agency", None),
    ("the Interior Ministry", None),  # a body's capitalised description is a name ...
    ("the Russian leader", "person"),  # ... a person's still points back
])
def test_anaphors_name_the_antecedent_they_need(phrase, need):
    assert _phrase_info(phrase)[1] == need


def test_places_are_read_without_comments():
    places = _places()
    assert {"North Korea", "Pyongyang"} <= places
    assert not any(p.startswith("#") or not p.strip() for p in places)


@pytest.mark.parametrize(("phrase", "name"), [
    ("which", None), ("Anyone", None), ("that", None),
    ("the St. Regis Hotel", "St. Regis Hotel"), ("Mt. Sinai Hospital", "Mt. Sinai Hospital"),
])
def test_pronouns_name_nobody_and_a_place_abbreviation_stays_in_its_name(phrase, name):
    assert _name_and_type(phrase)[0] == name


@pytest.mark.parametrize(("phrase", "name"), [
    # Words before an outlet's or a person's name that say what it is: the name after them.
    ("Hungarian news agency MTI", "MTI"),
    ("the Belarusian state news agency BelTA", "BelTA"),
    ("Kremlin mouthpiece Zvezda", "Zvezda"),
    ("Ankara-controlled Anadolu Agency", "Anadolu Agency"),  # who controls it is no part of the name
    ("Amnesty International employee Lena Berg", "Lena Berg"),
    # A title word before media words is the outlet's own name.
    ("State TV", "State TV"), ("Press TV", "Press TV"), ("Iran’s Press TV", "Press TV"),
    ("the semi-official Mehr news agency", "Mehr"),
    # What a source shows, or when, is not its name.
    ("State television footage", "State television"), ("state media Tuesday", "state media"),
    # Words a span opens with that are no part of the source.
    ("via state media", "state media"), ("And Cuban state media", "Cuban state media"),
    # A nationality describes the group after it; lower-case qualifiers stay (the role
    # phrase as given); a quantifier and a description after the group do not.
    ("Kenyan farmers", "Kenyan farmers"), ("Peruvian opposition groups", "Peruvian opposition groups"),
    ("senior Chilean officials", "senior Chilean officials"), ("many Balkans experts", "Balkans experts"),
    ("U.S. lawmakers from both parties on Monday", "U.S. lawmakers"),
    # An owner before a body named by its role keeps the whole role phrase.
    ("Chad’s official state news agency", "Chad's official state news agency"),
    ("Nepal's election commission", "Nepal's election commission"),
    # A plural title before several names; a role phrase, then the name after its comma.
    ("Senators Ann Lee, D-Ohio, and Bo Park", "Ann Lee"),
    ("The former envoy to Ghana, Mary Okafor", "Mary Okafor"),
])
def test_names_read_past_descriptions_and_keep_role_phrases(phrase, name):
    assert _name_and_type(phrase)[0] == name


def test_a_demonym_alone_is_no_name_but_a_proper_name_still_is():
    assert _name_and_type("Kenyan farmers")[2] is False
    assert _name_and_type("Hamid Karzai")[:1] == ("Hamid Karzai",) and _name_and_type("Hamid Karzai")[2]
    assert _name_and_type("the Jordanian foreign minister")[0] == "Jordanian foreign minister"


def test_a_place_after_a_titles_of_is_the_titles():
    assert _name_and_type("Mayor of Paris Rosa Quispe")[0] == "Rosa Quispe"  # a place of places.txt
    assert _name_and_type("Secretary of State Ann Lowe")[0] == "Ann Lowe"


@pytest.mark.parametrize(("phrase", "name"), [
    ("Liberal pollster Ana Ruiz", "Ana Ruiz"),  # a noun no list holds, before a person's full name
    ("A Treasury Department spokesman, Tom Hale,", "Tom Hale"),  # the person a role phrase introduces
    ("The mayor, a onetime ally of former President Jan Novak,", "mayor"),  # not a name inside the description
    ("Their", None), ("the", None), ("There", None),  # an article, a possessive or "there" alone names nobody
    ("Even Pravda", "Pravda"), ("Even the", None), ("via,", None),
    ("Reps. Ann Lee and Bo Park", "Ann Lee"),  # a plural title's stop, a token of its own
    ("the army early this", "army"),  # when, not who
])
def test_names_of_people_introduced_by_roles_and_words_that_name_nobody(phrase, name):
    assert _name_and_type(phrase)[0] == name


@pytest.mark.parametrize(("phrase", "name"), [
    # A vague quantifier never starts a name, before a capitalised word too.
    ("Some Turkish economists", "Turkish economists"), ("Several U.S. senators", "U.S. senators"),
    ("All India Radio", "All India Radio"),  # a name's own first word stays
    # Words a span may end with are no part of the source.
    ("the African Union both", "African Union"), ("most economic research has", "economic research"),
    # Joint pollsters stay whole; a poll is its pollster's.
    ("a new Gallup/Knight poll", "Gallup/Knight"), ("the Reuters/Ipsos survey", "Reuters/Ipsos"),
    ("Lazio polls", "Lazio"), ("Israeli polls", "Israeli polls"),  # a nationality alone names no pollster
    ("the Senate statement", "Senate statement"),  # other output words stay when alone after the name
    # A role or group noun heads the phrase: the role phrase as given (NAMES.md).
    ("An adviser at the Federal Reserve Bank of Boston", "adviser at the Federal Reserve Bank of Boston"),
    ("Critics of the Kremlin", "Critics of the Kremlin"), ("a report by the Kyodo news agency", "Kyodo"),
    # ... unless it introduces a person after a comma or a dash; the first of two speaks.
    ("The head of the opposition Green Party, Lena Moss,", "Lena Moss"),
    ("two former top Senate aides — Mia Lund and Tom Berg —", "Mia Lund"),
    ("a spokesman for Prime Minister Ola Berg, Ivan Sok,", "Ivan Sok"),
    # A capitalised common word that opens a sentence, then a plural: a group.
    ("Military planners", "Military planners"), ("Navarro says", "Navarro"),  # "says" is a verb
    ("Tory Legislative Counsel Ana Ruiz", "Ana Ruiz"),  # "Counsel" is a title
    ("Finance Minister and Deputy Premier Ola Berg", "Ola Berg"),  # two offices of one person
    ("Obama and Putin", "Obama"), ("the Senate and House", "Senate and House"),
    ("Director of National Intelligence Ana Ruiz", "Ana Ruiz"),  # an office named with "of" runs on
    ("Minister of Foreign Affairs Ri Yong Ho", "Ri Yong Ho"), ("Secretary of State Jan B. Berg III", "Jan B. Berg III"),
    ("President of the Ostland Authority Jan Berg", "Jan Berg"),
    ("Bank of Ostland Merrill Lynch", "Bank of Ostland Merrill Lynch"),  # no title before the body: whole
    # A person's full name ends the phrase: the words before it are a lower-case title.
    ("director of national intelligence Ana Ruiz", "Ana Ruiz"), ("chief of staff Jan Berg", "Jan Berg"),
    ("a spokesman for the ministry, Maj. Gen. Jan Berg", "Jan Berg"),  # the title after the comma goes
    # Not groups, joints or shorter names.
    ("Xinhua commentaries", "Xinhua"), ("U.S./NATO officials", "U.S."),
    ("the White House and State Department", "White House"),
    ("Multiple Sclerosis Society", "Multiple Sclerosis Society"), ("Many Rivers Foundation", "Many Rivers Foundation"),
])
def test_quantifiers_pollsters_role_heads_and_groups(phrase, name):
    assert _name_and_type(phrase)[0] == name
