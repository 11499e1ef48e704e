"""One speaker per person or organisation, whatever form an outlet writes (fuse/speakers.py)."""

from __future__ import annotations

import pytest

from newsfuse.fuse.entities import StoryEntities
from newsfuse.fuse.speakers import Speakers, initials, strip_titles
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


@pytest.fixture(scope="module")
def speakers() -> Speakers:
    story = StoryEntities()
    for article, name, label in ENTITIES:
        start = TEXT[article].index(name)
        key = f"{label}:{name.lower()}:{article}"  # as if linking had kept each article's mention apart
        story.names[key], story.types[key] = name, label
        mention = Mention(article, name, label, start, start + len(name), 0)
        story.mentions[key].append(mention)
        story.key_at[(article, start)] = key
    return Speakers(story, TEXT)


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
