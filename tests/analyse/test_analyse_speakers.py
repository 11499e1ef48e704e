"""Speakers as entities: names, pronouns, roles, possessives and acronyms resolved; documents labelled SOURCE."""

from __future__ import annotations

import pytest

HARBOUR = """Harbour Minister Tomas Lind said on Tuesday that the new quay would open in May.

“We have the money and the workers,” he said.

The three-term minister added that the old pier would close for repairs.

The National Port Authority (NPA) said it would hire forty pilots. “Safety comes first,” the NPA said in a statement.

Previous reports said the project had stalled. Several local newspapers reported that the budget had doubled.

His office said Lind would visit the site on Friday."""


def _quote(analysis, words):  # type: ignore[no-untyped-def]
    found = [q for q in analysis.quotes if words in q.content]
    assert found, f"no quote containing {words!r}: {[q.content for q in analysis.quotes]}"
    return found[0]


def test_named_speaker(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(HARBOUR), "new quay")
    assert (quote.speaker_name, quote.speaker_type, quote.speaker_via) == ("Tomas Lind", "PERSON", "name")


def test_pronoun_speaker(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text(HARBOUR)
    quote = _quote(analysis, "money and the workers")
    assert (quote.speaker, quote.speaker_name, quote.speaker_via) == ("Tomas Lind", "Tomas Lind", "pronoun")
    assert HARBOUR[quote.speaker_start:quote.speaker_end] == "he"
    assert HARBOUR[quote.speaker_ref_start:quote.speaker_ref_end] == "Tomas Lind"


def test_speaker_named_only_by_role_after_a_first_full_mention(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(HARBOUR), "old pier")
    assert HARBOUR[quote.speaker_start:quote.speaker_end] == "The three-term minister"
    assert (quote.speaker_name, quote.speaker_type, quote.speaker_via) == ("Tomas Lind", "PERSON", "role")


def test_organisation_speaker_with_its_acronym(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text(HARBOUR)
    full = _quote(analysis, "forty pilots")
    short = _quote(analysis, "Safety comes first")
    assert full.speaker_name == short.speaker_name == "National Port Authority"
    assert (short.speaker_type, short.speaker_via) == ("ORG", "acronym")
    assert (short.speaker_ref_start, short.speaker_ref_end) == (full.speaker_ref_start, full.speaker_ref_end)


def test_possessive_office_is_its_owner(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(HARBOUR), "visit the site")
    assert (quote.speaker_name, quote.speaker_via) == ("Tomas Lind", "role")


def test_documents_and_the_media_are_sources_not_speakers(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text(HARBOUR)
    for words, phrase in (("had stalled", "Previous reports"), ("budget had doubled", "Several local newspapers")):
        quote = _quote(analysis, words)
        assert (quote.speaker, quote.speaker_type, quote.speaker_name) == (phrase, "SOURCE", "")
        assert quote.speaker_entity is None


def test_role_without_a_clear_holder_stays_unresolved(analyse_text):  # type: ignore[no-untyped-def]
    text = ("Anna Berg and Tomas Lind met on Monday to discuss the harbour. "
            "The official said the talks had gone well.")
    quote = _quote(analyse_text(text), "talks had gone well")
    assert quote.speaker_name == "" and quote.speaker == "The official"


def test_speaker_entity_across_articles(link_text):  # type: ignore[no-untyped-def]
    second = "Tomas Lind, the harbour minister, said the quay was late. “It will open,” the minister said."
    _, (first, other) = link_text(HARBOUR, second)
    by_role = _quote(first, "old pier")
    in_second = _quote(other, "It will open")
    assert by_role.speaker_entity is not None and by_role.speaker_entity == in_second.speaker_entity
    assert by_role.speaker_entity == _quote(first, "new quay").speaker_entity


FAMILY = ("President Varga welcomed the Dutch prime minister to the palace on Tuesday, with Ilona Varga, "
          "the first lady, at his side.\n\n"
          "“We will build a new bridge together,” Varga said after the talks.")


def test_surname_used_before_a_relatives_full_name_is_not_that_relative(analyse_text):  # type: ignore[no-untyped-def]
    # One sentence names "President Varga" and Ilona Varga: two people, and the lone surname is the president.
    quote = _quote(analyse_text(FAMILY), "new bridge")
    assert quote.speaker_name != "Ilona Varga"
    assert quote.speaker_name == "Varga"


def test_surname_after_the_full_name_is_that_person(analyse_text):  # type: ignore[no-untyped-def]
    text = ("Ilona Varga opened the children's hospital on Tuesday.\n\n"
            "“Every child deserves care close to home,” Varga said.")
    assert _quote(analyse_text(text), "close to home").speaker_name == "Ilona Varga"

WH_SUBJECT = """The senator toured the port on Monday with Harbour Minister Tomas Lind.

In welcoming her to what called the “finest harbour on the whole northern coast” in his speech, Lind praised the crews."""


def test_a_wh_word_is_no_speaker(analyse_text):  # type: ignore[no-untyped-def]
    for quote in analyse_text(WH_SUBJECT).quotes:
        assert quote.speaker.lower() not in ("what", "which", "that"), quote



RELATIVE = """The fishing accord was signed in Tavrosk on Friday.

“For the crews this ends a decade of doubt,” said Karin Holm, chair of the Northern Coastal Trawler Owners’ Association, who called the accord “late but welcome”."""


def test_a_relative_pronoun_speaker_is_the_name_it_stands_for(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(RELATIVE), "late but welcome")
    assert quote.speaker_name == "Karin Holm"


@pytest.mark.parametrize("text, speaker", [
    ("The mayor met fishermen from a small coastal town who for years have accused the council of neglect.", ""),
    ("The deal will not please the Northern League, whose leaders have said they will not negotiate.", ""),
    ("Karin Holm, who for years has led the association, has said the accord would fail.", "Karin Holm"),
])
def test_a_relative_pronoun_with_words_after_it_is_no_speaker_of_its_own(analyse_text, text, speaker):  # type: ignore[no-untyped-def]
    [quote] = analyse_text(text).quotes
    assert (quote.speaker_name or quote.speaker) == speaker, quote


REPORTED_SUBJECT = """Anna Berg, the port's chief engineer, said on Monday that Clara Voss would inspect the new cranes in May.

“The aim is to double what the harbour can handle by next spring,” she said."""

NAME_IN_QUOTATION = """The crews cheered Anna Berg at the opening of the new quay on Monday.

“Clara, you and your team did the hardest part of this work,” she said."""


@pytest.mark.parametrize("text, words", [(REPORTED_SUBJECT, "double what the harbour"),
                                         (NAME_IN_QUOTATION, "hardest part")])
def test_a_pronoun_speaker_is_the_narratives_subject(analyse_text, text, words):  # type: ignore[no-untyped-def]
    """Not the subject of a reported clause, nor a name inside the quotation itself."""
    assert _quote(analyse_text(text), words).speaker_name == "Anna Berg"


# Pronoun speakers after two or more people are named: "they" is the group the last plural subject names (its
# first name), "he"/"she" the person the narrative last put forward, through a name in apposition and through
# the pronouns between.
TWO_NAMED = """Mayor Karin Holm and Councillor Per Dahl opened the new bridge over the Lune on Friday.

“It took eleven years and two floods to build,” they said in a joint statement.

Dahl thanked the engineers. The city's treasurer, Marta Voss, said the bridge had come in under budget.

“We kept two million crowns in reserve and never touched them,” she said."""


def test_they_after_two_named_people_is_the_group(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(TWO_NAMED), "eleven years and two floods")
    assert TWO_NAMED[quote.speaker_start:quote.speaker_end] == "they"
    assert (quote.speaker_name, quote.speaker_via) == ("Karin Holm", "pronoun")


def test_she_is_the_name_in_apposition_to_the_last_subject(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(TWO_NAMED), "two million crowns")
    assert (quote.speaker_name, quote.speaker_via) == ("Marta Voss", "pronoun")


# "the adviser" takes up the unnamed adviser just introduced, not the adviser named earlier.
UNNAMED_ROLE = """Clara Voss, the mayor's senior adviser, signed off the inspection of the Lune bridge on Monday.

One adviser who worked on the project said on condition of anonymity that the steel had arrived late.

“We lost a whole winter waiting for it,” the adviser said."""


def test_a_definite_role_after_an_unnamed_one_is_not_the_named_holder(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(UNNAMED_ROLE), "whole winter")
    assert quote.speaker_name == ""
    assert quote.speaker.lower().endswith("adviser")


# A paragraph that is only a quotation goes on from the quote just before it, reported or direct, unless
# another speaker is named; a verb that starts a new sentence after a quotation closed by a full stop is
# narrative, not that quotation's cue.
CONTINUED = """“The bridge will carry ten thousand cars a day,” said Karin Holm, the mayor.

A spokeswoman for the regional council said the traffic figures were “optimistic.”

“We have asked for a count after the first six months.”

“The toll is fair,” said Leif Berg, who chairs the drivers' association. “Our members will pay it.” The council also did not respond to questions about the toll."""


def test_an_uncued_paragraph_continues_the_quote_just_before(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(CONTINUED), "count after the first six months")
    assert quote.speaker_via == "previous"
    assert "spokeswoman" in quote.speaker and quote.speaker_name != "Karin Holm"


def test_a_narrative_sentence_after_a_quotation_is_not_its_cue(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(CONTINUED), "Our members will pay it")
    assert (quote.speaker_name, quote.speaker_via) == ("Leif Berg", "previous")


PARTICIPLE = """Karin Holm and Per Dahl noted that Lind “never asked for a delay,” adding that while Lind “wrote long letters about the weather, he never once mentioned the steel.”"""


def test_a_participle_cue_speaks_for_the_subject_of_its_verb(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(PARTICIPLE), "never once mentioned the steel")
    assert quote.speaker_name == "Karin Holm"


# A role whose only names qualify it ("the Lune Council's press secretary") is the person named in apposition
# after it, not another holder of a like title named earlier.
ROLE_THEN_NAME = """Secretary of Transport Nils Berg opened the Lune bridge on Friday.

“The toll will stay at ten crowns,” the Lune Council's press secretary, Ida Rask, said."""


def test_a_role_qualified_by_a_name_is_the_name_in_apposition(analyse_text):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(ROLE_THEN_NAME), "ten crowns")
    assert quote.speaker_name == "Ida Rask"


# A question list: each question stands alone in its paragraph and the cue follows in the next one.
QUESTIONS = """The investigators sent the mayor's lawyers a list of questions on Monday.

“When did you first hear of the steel order?”

Ms. Dahl planned to ask, according to the list.

“Who signed the delivery notes?”

one question asks."""


def test_a_cue_in_the_next_paragraph_names_the_questions_asker(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text(QUESTIONS)
    assert _quote(analysis, "first hear of the steel order").speaker_name == "Dahl"
    assert _quote(analysis, "signed the delivery notes").speaker_type == "SOURCE"


@pytest.mark.parametrize("text, words", [
    ("The mayor Ann Holt opened the bridge. It was first announced that the road would close in June.",
     "the road would close"),
    ("Tom Reyes will leave the drama, but it's been revealed that he will also appear in the spring special.",
     "he will also appear"),
    ("The city council met on Monday. It is hard to believe the bridge will open on time.", "the bridge will open"),
])
def test_a_dummy_it_is_no_speaker(analyse_text, text, words):  # type: ignore[no-untyped-def]
    # "It was announced that ...", "it is hard to believe ...": the "it" stands for no one; it was resolved to the
    # last body or person ("The city council", "BBC") and listed as their words.
    quote = _quote(analyse_text(text), words)
    assert (quote.speaker, quote.speaker_name) == ("", "")


@pytest.mark.parametrize("text, words, speaker", [
    ("The Harbour Company met the unions on Monday. It said the plant would close in June.", "the plant would close",
     "Harbour Company"),
    ("The Harbour Company met the unions. It is ready to announce that the plant will close.", "the plant will close",
     "Harbour Company"),
])
def test_it_for_a_body_stays_that_body(analyse_text, text, words, speaker):  # type: ignore[no-untyped-def]
    assert _quote(analyse_text(text), words).speaker == speaker


def test_a_dummy_it_with_a_by_phrase_is_said_by_the_agent(analyse_text):  # type: ignore[no-untyped-def]
    text = "Harbour Bank was fined on Monday. It was told by regulators that its checks had failed."
    quote = _quote(analyse_text(text), "its checks had failed")
    assert quote.speaker == "regulators"
    assert text[quote.source_start:quote.source_end] == "regulators"


@pytest.mark.parametrize("text, speaker", [
    ("Harbour Motors is buying a rival. The Sunnyvale, Calif., company said it will pay $334 million for Delta Inc.",
     "The Sunnyvale, Calif., company"),
    ("Harbour Motors is buying a rival. The Portland, Ore., company said it will pay $334 million for Delta Inc.",
     "The Portland, Ore., company"),
])
def test_a_city_and_state_before_a_body_are_where_it_is_not_who_speaks(analyse_text, text, speaker):  # type: ignore[no-untyped-def]
    # "The Sunnyvale, Calif., company said ..." was listed under "Sunnyvale" (the city named the speaker).
    quote = _quote(analyse_text(text), "will pay $334 million")
    assert quote.speaker == speaker
    assert "Sunnyvale" not in quote.speaker_name and "Portland" not in quote.speaker_name


# A rank abbreviated before a name ("Lt.", "Sgt.") once ended the sentence at its stop: "..., harbour police Lt."
# and "Mara Quist said." were two sentences, the first a fact of its own and the quote without its speaker.
RANKED = ('"We think he planned it for days," said harbour police Lt. Mara Quist. The ferry left on time.\n\n'
          'Officers closed the quay by noon, Sgt. Oskar Brandt said.')


def test_rank_abbreviation_does_not_end_the_sentence(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text(RANKED)
    assert [s.text for s in analysis.sentences] == [
        '"We think he planned it for days," said harbour police Lt. Mara Quist.', "The ferry left on time.",
        "Officers closed the quay by noon, Sgt. Oskar Brandt said."]
    assert _quote(analysis, "planned it").speaker_name == "Mara Quist"


@pytest.mark.parametrize("text, words, not_the_speaker", [
    # A nationality word inside the speaker phrase is not the speaker.
    ("The Norlund warship was on patrol when the alarm came.\n"
     "The skipper of the Ethiopian vessel, sailing 150 nautical miles west of Tavrosk, radioed a message at around "
     "11 am saying that pirates had brought his ship under heavy fire.\nThe warship launched a helicopter.",
     "heavy fire", "Ethiopian"),
    # A bare name the model missed keeps its quote over the place in its apposition.
    ("There are very few posters around the city.\n"
     "`` I still don't know who I'm supposed to vote for, '' Maral, a resident of Ashgabat who declined to give "
     "her surname for fear of official intimidation, told The Harbor Post.",
     "vote for", "Ashgabat"),
])
def test_a_word_inside_or_beside_the_speaker_phrase_is_not_the_speaker(  # type: ignore[no-untyped-def]
        analyse_text, text, words, not_the_speaker):
    said = [q for q in analyse_text(text).quotes if words in q.content]
    assert said and all(q.speaker_name != not_the_speaker for q in said), [(q.speaker, q.speaker_name) for q in said]


# A role that names the body it serves ("the fire chief", "the council's engineer") is no one the article has
# described so: neither the person the passage is about nor a name the role phrase itself follows.
@pytest.mark.parametrize("text, words", [
    ("Karin Holm has apologised for the delay at the quay. The fire chief has said an inquiry is underway.",
     "inquiry is underway"),
    ("The blaze began in a shed rented by Karin Holm, the town's fire chief told reporters.", "shed rented"),
])
def test_a_role_naming_its_body_is_not_the_person_in_focus(analyse_text, text, words):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(text), words)
    assert quote.speaker_name != "Karin Holm"


# A person's name the model called an organisation, or whose surname opens a sentence as a common noun, is still
# the person "she" stands for: the article shows her as one ("Stone later said she ...", "the singer").
@pytest.mark.parametrize("full, surname", [("Nella Stone", "Stone"), ("Bettina Crane", "Crane")])
def test_she_is_the_person_the_article_shows_as_one(analyse_text, full, surname):  # type: ignore[no-untyped-def]
    text = (f"{full}, the singer, has died, her manager said. Olav Dahl confirmed the death on Friday. {surname} "
            "later said she was puzzled by her fame. “I have no idea why people still listen,” she told the Lune "
            "Courier in 2006.")
    analysis = analyse_text(text)
    quote = _quote(analysis, "still listen")
    assert (quote.speaker_name, quote.speaker_type) == (full, "PERSON")
    assert {m.label for m in analysis.mentions if m.text == full} == {"PERSON"}


# A name inside the clause a pronoun's verb reports is not who the pronoun is ("Berg was on probation, he said":
# had Berg said it, he would be "he" in it).
@pytest.mark.parametrize("first", [
    "An officer stopped Tom Berg near the bridge after he swerved twice, said Ivar Lund, a police spokesman.",
    "Tom Berg failed a breath test near the bridge, said police officer Ivar Lund.",
])
def test_a_name_in_the_reported_clause_is_not_the_pronoun_speaker(analyse_text, first):  # type: ignore[no-untyped-def]
    quote = _quote(analyse_text(first + " Berg was on probation for an earlier offence, he said."), "on probation")
    assert quote.speaker_name == "Ivar Lund"

