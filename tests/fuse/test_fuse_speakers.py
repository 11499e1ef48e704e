"""One speaker per person or organisation, whatever form an outlet writes (fuse/speakers.py)."""

from __future__ import annotations

import dataclasses

import pytest

from newsfuse.fuse.entities import StoryEntities
from newsfuse.fuse.speakers import SOURCE_KEY, Speakers, initials, strip_titles
from newsfuse.models import Mention, Quote

TEXT = {
    "a": "Rep. Marcus Delaney welcomed the deal. The United Nations said it would help. The Russian Foreign "
         "Ministry said so. The Sorlund Foreign Ministry agreed.",
    "b": "Marcus Delaney, the four-term congressman, spoke. The UN said the same. Ines Corrado also spoke. "
         "Valtoria's Foreign Ministry disagreed.",
}
ENTITIES = [("a", "Marcus Delaney", "PERSON"), ("b", "Marcus Delaney", "PERSON"), ("a", "United Nations", "ORG"),
            ("b", "UN", "ORG"), ("a", "Russian Foreign Ministry", "ORG"), ("a", "Sorlund Foreign Ministry", "ORG"),
            ("b", "Ines Corrado", "PERSON"), ("b", "Valtoria's Foreign Ministry", "ORG")]


def _speakers_of(entities: list[tuple[str, str, str]], texts: dict[str, str]) -> Speakers:
    story = StoryEntities()
    for article, name, label in entities:
        start = texts[article].index(name)
        key = f"{label}:{name.lower()}:{article}"  # as if linking had kept each article's mention apart
        story.names[key], story.types[key] = name, label
        story.mentions[key].append(Mention(article, name, label, start, start + len(name), 0))
        story.key_at[(article, start)] = key
    return Speakers(story, texts)


@pytest.fixture(scope="module")
def speakers() -> Speakers:
    return _speakers_of(ENTITIES, TEXT)


def _quote(speaker: str, article: str = "b") -> Quote:
    return Quote(article, speaker, None, None, "said", None, None, "We will keep working on it.", 0, 10, True, 0)


@pytest.mark.parametrize("written", ["Delaney", "Mr. Delaney", "Rep. Marcus Delaney", "Marcus Delaney",
                                     "the four-term congressman", "the congressman"])
def test_every_form_of_a_persons_name_is_one_speaker(speakers, written):  # type: ignore[no-untyped-def]
    assert speakers.resolve(_quote(written))[1] == "Marcus Delaney"


def test_an_acronym_and_its_organisation_are_one_speaker(speakers):  # type: ignore[no-untyped-def]
    assert speakers.resolve(_quote("UN")) == speakers.resolve(_quote("United Nations"))
    assert speakers.resolve(_quote("UN"))[1] == "United Nations"


def test_one_organisation_written_two_ways_is_one_speaker(speakers):  # type: ignore[no-untyped-def]
    assert speakers.resolve(_quote("Russia's foreign ministry"))[1] == "Russian Foreign Ministry"


def test_two_countries_ministries_stay_apart(speakers):  # type: ignore[no-untyped-def]
    assert speakers.resolve(_quote("Valtoria's Foreign Ministry"))[0] != speakers.resolve(_quote("Sorlund Foreign Ministry"))[0]


def test_a_role_nobody_in_the_story_holds_stays_as_written(speakers):  # type: ignore[no-untyped-def]
    key, name = speakers.resolve(_quote("the mayor"))
    assert key.startswith("speaker:") and name == "mayor"


def test_names_lose_titles_and_possessives_but_organisations_keep_theirs():  # type: ignore[no-untyped-def]
    assert strip_titles("Meridian Post’s Sofia Brandt") == "Sofia Brandt"
    assert strip_titles("Foreign Minister Yevgeny Karsavin") == "Yevgeny Karsavin"
    assert strip_titles("State Administrative Council", person=False) == "State Administrative Council"
    assert initials("Federal Bureau of Investigation") == "FBI"


SHORT_TEXT = {
    "c": "Press secretary Hanna Lisbet Voss spoke first. Chairman Park Min Seo replied. Elena R. Tamm agreed. "
         "Minority Leader Oskar Brandvik objected.",
    "d": "Hanna Voss spoke again. Park said talks would go on. Elena Tamm agreed. Brandvik objected.",
}
SHORT_ENTITIES = [("c", "Hanna Lisbet Voss", "PERSON"), ("d", "Hanna Voss", "PERSON"), ("c", "Park Min Seo", "PERSON"),
                  ("d", "Park", "PERSON"), ("c", "Elena R. Tamm", "PERSON"), ("d", "Elena Tamm", "PERSON"),
                  ("c", "Minority Leader Oskar Brandvik", "PERSON"), ("d", "Brandvik", "PERSON")]


@pytest.fixture(scope="module")
def short_forms() -> Speakers:
    return _speakers_of(SHORT_ENTITIES, SHORT_TEXT)


@pytest.mark.parametrize(("short", "full"), [("Hanna Voss", "Hanna Lisbet Voss"), ("Elena Tamm", "Elena R. Tamm"),
                                             ("Park", "Park Min Seo"), ("Brandvik", "Oskar Brandvik")])
def test_a_name_without_its_middle_or_written_surname_first_is_one_speaker(short_forms, short, full):  # type: ignore[no-untyped-def]
    assert short_forms.resolve(_quote(short, "d")) == short_forms.resolve(_quote(full, "c"))
    assert short_forms.resolve(_quote(short, "d"))[1] == full


def test_a_capitalised_title_phrase_is_not_part_of_the_name() -> None:
    assert strip_titles("Minority Leader Oskar Brandvik") == "Oskar Brandvik"
    assert strip_titles("Border Patrol Agent Rodney S. Scott") == "Rodney S. Scott"
    assert strip_titles("Elena R. Tamm") == "Elena R. Tamm"


def test_different_people_sharing_a_first_name_stay_apart(short_forms):  # type: ignore[no-untyped-def]
    assert short_forms.resolve(_quote("Hanna Tamm", "d"))[0] != short_forms.resolve(_quote("Hanna Voss", "d"))[0]


def test_an_unnamed_i_or_we_is_no_speaker_of_the_story() -> None:
    from newsfuse.fuse.quotes import group_quotes
    from newsfuse.models import Analysis, Article

    text = ("“We will appeal,” said Ines Corrado. “I find it absurd that the port was closed,” she added. "
            "The hearing is set for May, when the harbour board will also publish its own report on the "
            "closure. “In the end I think the court knows it,” a union member wrote on a banner.")
    article = Article(id="e", title="Appeal", text=text, paragraphs=(text,), outlet="Harbor Daily",
                      outlet_found_by="field", published="2026-03-02", published_found_by="field", language="en")

    def quote(speaker: str, content: str, name: str = "") -> Quote:
        start = text.index(content)
        return Quote("e", speaker, None, None, "said", None, None, content, start, start + len(content), True, 0,
                     speaker_name=name)

    quotes = [quote("Ines Corrado", "“We will appeal,”"), quote("she", "“I find it absurd that the port was closed,”", "Ines Corrado"),
              quote("I", "the court knows it")]
    analysis = Analysis(article_id="e", sentences=(), mentions=(), quotes=tuple(quotes), dates=(), amounts=())
    grouped = group_quotes([article], {"e": analysis}, StoryEntities())
    assert {q.speaker for q in grouped} == {"Ines Corrado"}


def test_a_that_clause_around_a_quoted_fragment_is_reported_speech() -> None:
    from newsfuse.fuse.quotes import group_quotes
    from newsfuse.models import Analysis, Article

    text = "Ines Corrado said that the board “never once asked the crew” before the ferry sailed."
    article = Article(id="r", title="Ferry", text=text, paragraphs=(text,), outlet="Harbor Daily",
                      outlet_found_by="field", published="2026-03-02", published_found_by="field", language="en")
    content = "that the board “never once asked the crew” before the ferry sailed"
    start = text.index(content)
    quote = Quote("r", "Ines Corrado", 0, 12, "said", 13, 17, content, start, start + len(content), True, 0)
    [grouped] = group_quotes([article], {"r": Analysis("r", (), (), (quote,), (), ())}, StoryEntities())
    assert grouped.speaker == "Ines Corrado" and not grouped.direct


def test_a_surname_kept_apart_from_a_relatives_full_name_stays_apart() -> None:
    # Article "e" writes "President Varga and Ilona Varga, the first lady": linking kept the lone surname
    # apart from her, so the story must not join them because she is the only full name ending in it.
    texts = {"e": "President Varga and Ilona Varga, the first lady, welcomed the prime minister.",
             "f": "Varga said the bridge would be built."}
    speakers = _speakers_of([("e", "Varga", "PERSON"), ("e", "Ilona Varga", "PERSON"), ("f", "Varga", "PERSON")], texts)
    assert speakers.resolve(_quote("Varga", "e"))[1] == "Varga"
    assert speakers.resolve(_quote("Varga", "e"))[0] != speakers.resolve(_quote("Ilona Varga", "e"))[0]

def test_a_document_is_a_labelled_source_not_a_speaker(speakers):  # type: ignore[no-untyped-def]
    document = dataclasses.replace(_quote("the lawsuit"), speaker_type="SOURCE")
    key, name = speakers.resolve(document)
    assert key.startswith(SOURCE_KEY) and name == "the lawsuit"


def test_a_place_is_no_holder_of_the_role_written_after_it() -> None:
    texts = {"c": "The fire hit a church in Wasilla, the minister said on Sunday."}
    speakers = _speakers_of([("c", "Wasilla", "GPE")], texts)
    assert speakers.resolve(_quote("the church's minister", "c"))[1] != "Wasilla"
