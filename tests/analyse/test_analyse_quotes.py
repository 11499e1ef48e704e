"""Quotes with speakers: the seeds' quotes, and every quote form on project-written text."""

from __future__ import annotations

import pytest

from newsfuse.models import QUOTE_PART_JOINER

pytestmark = pytest.mark.seed


def _by_speaker(analysis, name):  # type: ignore[no-untyped-def]
    return [q for q in analysis.quotes if name.lower() in q.speaker.lower()]


def _quote_with(analysis, words):  # type: ignore[no-untyped-def]
    found = [q for q in analysis.quotes if words in q.content]
    assert found, f"no quote containing {words!r}: {[q.content[:50] for q in analysis.quotes]}"
    return found[0]


@pytest.mark.parametrize("words, direct", [
    ("friendly and longstanding partner", True),
    ("have a very solid foundation", True),
    ("We appreciate the traditionally friendly nature", True),
])
def test_lavrov_quotes_in_al_jazeera(seed_linked, words, direct):  # type: ignore[no-untyped-def]
    entities, analyses = seed_linked
    quote = _quote_with(analyses["Al Jazeera"], words)
    lavrov = next(e for e in entities if e.name.endswith("Lavrov"))
    assert quote.direct == direct
    assert quote.speaker_entity == lavrov.id


@pytest.mark.parametrize("words, speaker, cue", [
    ("Myanmar has also seen in Russia a seller of arms", "Cheng", "said"),
    ("But it’s a difficult time for Myanmar", "Cheng", "added"),
    ("ASEAN has to deal with challenges", "Prak Sokhonn", "told"),
])
def test_correspondent_and_minister_quotes(seed_linked, words, speaker, cue):  # type: ignore[no-untyped-def]
    quote = _quote_with(seed_linked[1]["Al Jazeera"], words)
    assert speaker in quote.speaker and quote.cue == cue and quote.direct


@pytest.mark.parametrize("words, speaker", [
    ("The key goal of the upcoming visit", "the ministry"),
    ("After the national parliamentarian elections", "the Russian Foreign Ministry"),
])
def test_foreign_ministry_statements_in_tass(seed_linked, words, speaker):  # type: ignore[no-untyped-def]
    entities, analyses = seed_linked
    quote = _quote_with(analyses["TASS"], words)
    ministry = next(e for e in entities if e.name == "Russian Foreign Ministry")
    assert quote.speaker == speaker
    assert quote.speaker_entity == ministry.id


def test_quote_spans_point_into_the_text(seed_articles, seed_analyses):  # type: ignore[no-untyped-def]
    for outlet, analysis in seed_analyses.items():
        text = seed_articles[outlet].text
        for q in analysis.quotes:
            if q.content_parts:  # a quote in pieces: its content is the pieces joined (models.QUOTE_PART_JOINER)
                assert q.content in (QUOTE_PART_JOINER.join(text[s:e] for s, e in q.content_parts),
                                     text[q.content_start:q.content_end])
            else:
                assert text[q.content_start:q.content_end] == q.content
            if q.speaker_start is not None and q.speaker_entity is None:
                assert text[q.cue_start:q.cue_end] == q.cue


def test_reported_speech_with_noted_on_twitter(seed_analyses):  # type: ignore[no-untyped-def]
    quote = _quote_with(seed_analyses["TBS News"], "Lavrov met with his colleague")
    assert quote.speaker == "the Russian Foreign Ministry" and quote.cue == "noted on Twitter" and not quote.direct


def test_according_to(seed_analyses):  # type: ignore[no-untyped-def]
    quote = _quote_with(seed_analyses["TBS News"], "arrived in Myanmar on Wednesday")
    assert quote.cue == "according to" and "TASS" in quote.speaker


# ---------------------------------------------------------------- project-written forms

FORMS = [
    ('"We will not give up," the mayor said on Monday.', "the mayor", "said", "We will not give up", True),
    ("“We will not give up,” said Anna Berg, the mayor.", "Anna Berg", "said", "We will not give up", True),
    ("Anna Berg said: “The bridge will open in May.”", "Anna Berg", "said", "The bridge will open in May.", True),
    ("The police chief said the suspect fled on foot.", "The police chief", "said", "the suspect fled on foot", False),
    ("The suspect fled on foot, according to the police.", "the police", "according to", "The suspect fled on foot", False),
    ("The Interior Ministry said that the border would stay closed.", "The Interior Ministry", "said",
     "that the border would stay closed", False),
]


@pytest.mark.parametrize("text, speaker, cue, content, direct", FORMS)
def test_quote_forms(analyse_text, text, speaker, cue, content, direct):  # type: ignore[no-untyped-def]
    quotes = analyse_text(text).quotes
    # The cue as the tagger marks it: PolNeAR keeps the colon of "said:" inside the cue.
    assert [(q.speaker, q.cue.rstrip(":"), q.content, q.direct) for q in quotes] == [(speaker, cue, content, direct)]


def test_quote_split_by_the_cue(analyse_text):  # type: ignore[no-untyped-def]
    text = "“The storm is over,” Anna Berg said, “and the clean-up starts today.”"
    quotes = analyse_text(text).quotes
    assert [q.content for q in quotes] == ["The storm is over … and the clean-up starts today."]
    assert quotes[0].speaker == "Anna Berg" and quotes[0].cue == "said" and quotes[0].direct
    assert [text[s:e] for s, e in quotes[0].content_parts] == ["The storm is over", "and the clean-up starts today."]


def test_curly_quote_closed_by_a_straight_mark(analyse_text):  # type: ignore[no-untyped-def]
    # Scraped text mixing marks: the straight mark closes the curly one; the narrative after it is no quote.
    text = ("“We will finish the bridge by June, \" Anna Berg said during a visit to the site.\n\n"
            "\"You can count on it.\"")
    contents = [q.content for q in analyse_text(text).quotes]
    assert any(c.startswith("We will finish the bridge by June") for c in contents), contents
    assert not any("visit to the site" in c for c in contents), contents


def test_nested_quotes_stay_inside(analyse_text):  # type: ignore[no-untyped-def]
    quotes = analyse_text("“They told us ‘go home’ and we did,” Anna Berg said.").quotes
    assert len(quotes) == 1 and quotes[0].content == "They told us ‘go home’ and we did"


def test_multi_paragraph_quote(analyse_text):  # type: ignore[no-untyped-def]
    text = "Anna Berg said: “The first part of the plan is done.\n\n“The second part starts next week and runs to June.”"
    quotes = analyse_text(text).quotes
    assert len(quotes) == 1
    assert quotes[0].content.startswith("The first part") and quotes[0].content.endswith("June.")
    assert quotes[0].speaker == "Anna Berg"


def test_pronoun_speaker_resolved_to_nearest_named_person(analyse_text):  # type: ignore[no-untyped-def]
    text = "Anna Berg visited the harbour on Monday. “The water is still rising,” she said."
    quote = analyse_text(text).quotes[0]
    assert quote.speaker == "Anna Berg" and quote.speaker_start is not None


def test_pronoun_it_resolved_to_organisation(analyse_text):  # type: ignore[no-untyped-def]
    text = "The European Central Bank raised its rates. It said inflation remained too high."
    quote = next(q for q in analyse_text(text).quotes if q.cue == "said")
    assert quote.speaker == "European Central Bank" and quote.content == "inflation remained too high"


def test_noted_on_twitter(analyse_text):  # type: ignore[no-untyped-def]
    quote = analyse_text("The minister met the delegation, the ministry noted on Twitter.").quotes[0]
    # PolNeAR marks the setting inside the cue ("said in a phone interview") or not; either way the ministry's.
    assert (quote.speaker, quote.content) == ("the ministry", "The minister met the delegation")
    assert quote.cue in ("noted", "noted on Twitter")


def test_scare_quotes_without_a_cue_are_not_quotes(analyse_text):  # type: ignore[no-untyped-def]
    assert analyse_text("The so-called “peace plan” was signed in May.").quotes == ()


@pytest.mark.parametrize("text, speaker, cue, content", [
    ("Clinton wants to sign up 5 million voters.", "Clinton", "wants", "to sign up 5 million voters"),
    ("The union called for higher wages.", "The union", "called for", "higher wages"),
])
def test_attitudes_are_kept_apart_from_speech(analyse_text, text, speaker, cue, content):  # type: ignore[no-untyped-def]
    quote = analyse_text(text).quotes[0]
    assert (quote.speaker, quote.cue, quote.content, quote.kind) == (speaker, cue, content, "attitude")


def test_interview_transcript_speaker(analyse_text):  # type: ignore[no-untyped-def]
    quote = analyse_text("WALLACE: Let us start with the debate tonight.").quotes[0]
    # A reported content ends before its full stop as PolNeAR marks it; the rules keep the stop.
    assert (quote.speaker, quote.cue, quote.content.rstrip(".")) == ("WALLACE", ":", "Let us start with the debate tonight")


@pytest.mark.parametrize("caption", [
    "Grim: The burned roof of the mill is seen from the road on Monday.",
    "Gruesome: Detectives examine the rifle at the corner.",
    "Ambushed: Jo Roe was shot on Tuesday.",
])
def test_a_photo_captions_one_word_label_is_no_speaker(analyse_text, caption):  # type: ignore[no-untyped-def]
    # Tabloid captions open with an adjective or participle and a colon; that word said nothing.
    quotes = analyse_text("The mill closed on Monday after a fire.\n\n" + caption).quotes
    assert not any(q.cue == ":" for q in quotes), [(q.speaker, q.content) for q in quotes]


@pytest.mark.parametrize("line", [
    "NEW: City official confirms what the mayor said.",
    "BREAKING: The mill will not reopen, the owners say.",
    "Updated: The bridge stays closed until Friday.",
])
def test_a_page_label_before_a_colon_is_no_speaker(analyse_text, line):  # type: ignore[no-untyped-def]
    quotes = analyse_text("The mill closed on Monday after a fire.\n\n" + line).quotes
    assert not any(q.cue == ":" for q in quotes), [(q.speaker, q.content) for q in quotes]


@pytest.mark.parametrize("text, speaker", [
    ("New Harbor Police: The fire was started on purpose.", "New Harbor Police"),
    ("Police: The fire was started on purpose.", "Police"),
    ("Smith: We will rebuild the mill.", "Smith"),
])
def test_one_word_speakers_before_a_colon_stay(analyse_text, text, speaker):  # type: ignore[no-untyped-def]
    quote = analyse_text(text).quotes[0]
    assert (quote.speaker, quote.cue) == (speaker, ":")


def test_quote_signed_with_a_dash(analyse_text):  # type: ignore[no-untyped-def]
    quote = analyse_text("“The new bridge is a disgrace to this city.” ― Carla Sanchez").quotes[0]
    assert (quote.speaker, quote.cue, quote.direct) == ("Carla Sanchez", "―", True)


def test_parenthetical_cue(analyse_text):  # type: ignore[no-untyped-def]
    # The content around the cue, in one piece or (as PolNeAR marks it) in two: either way, the cue's.
    quotes = analyse_text("To prevent problems, he said, local officials should be vigilant.").quotes
    quote = next(q for q in quotes if "officials should be vigilant" in q.content)
    assert (quote.cue, quote.direct) == ("said", False)


@pytest.mark.parametrize("text, speaker", [
    ("A flood closed the valley road on Monday, said the ranger who patrols the north ridge.", "the ranger"),
    ("The council first reported damage, but a resident who spoke to the crews later said the bridge was safe.",
     "a resident"),
])
def test_a_relative_clause_after_the_speaker_is_cut_before_its_pronoun(analyse_text, text, speaker):  # type: ignore[no-untyped-def]
    # The speaker's name ends before the relative clause, its "who" included; the source span keeps the clause.
    quote = next(q for q in analyse_text(text).quotes if q.kind == "speech")
    assert quote.speaker == speaker
    assert text[quote.source_start:quote.source_end].startswith(speaker + " who")


@pytest.mark.parametrize("text", [
    "Mara Quill joined the cast last year. She had appeared in the episode \"The Harbour of Lanterns\" in 2008.",
    "The finale airs on Saturday during \"Harbour Nights Live: The Last Lantern\", the network said.",
    "Reyes starred in \"A Winter on the Salt Flats\" and wrote \"Notes From the North Road\" before the series.",
])
def test_a_title_in_quotation_marks_is_no_quote(analyse_text, text):  # type: ignore[no-untyped-def]
    # Episode and show titles were listed as quotes of the nearest speaker ("Mara Quill (quote): The Harbour of
    # Lanterns").
    assert not [q for q in analyse_text(text).quotes if q.direct]


@pytest.mark.parametrize("text, content", [
    ("\"The harbour will reopen in May,\" the mayor said.", "The harbour will reopen in May"),
    ("\"SAVE THE HARBOUR NOW\" the crowd chanted outside the hall.", "SAVE THE HARBOUR NOW"),
])
def test_speech_in_quotation_marks_stays_a_quote(analyse_text, text, content):  # type: ignore[no-untyped-def]
    assert [q.content for q in analyse_text(text).quotes if q.direct] == [content]


@pytest.mark.parametrize("label", ["Summary", "Background", "Clarification", "Disclosure"])
def test_an_editorial_label_before_a_colon_is_no_speaker(analyse_text, label):  # type: ignore[no-untyped-def]
    # A blog's "Summary: During her keynote, ..." listed "Summary" as a speaker under who said what.
    text = f"{label}: During her keynote, the bank's chief gave her view of the merger and the new branch."
    assert all(q.speaker != label for q in analyse_text(text).quotes)
