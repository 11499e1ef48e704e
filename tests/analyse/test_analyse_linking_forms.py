"""Linking on project-written texts: back-references, defined acronyms, titles, transliterations."""

from __future__ import annotations

import pytest


def _entity_of(entities, analyses, text):  # type: ignore[no-untyped-def]
    ids = {m.entity_id for a in analyses for m in a.mentions if m.text == text}
    assert len(ids) == 1, f"{text!r} has entities {ids}"
    return ids.pop()


def test_the_council_refers_back_to_the_named_council(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "The army handed power to the Transitional Governing Council in June. The council has promised elections.")
    assert _entity_of(entities, analyses, "The council") == _entity_of(entities, analyses, "Transitional Governing Council")


def test_acronym_defined_in_one_article_links_in_another(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "Ministers of the Association of Southeast Asian Nations (ASEAN) met in Phnom Penh on Monday.",
        "ASEAN ministers said on Tuesday that the plan had failed.",
    )
    assert _entity_of(entities, analyses, "ASEAN") == _entity_of(entities, analyses, "Association of Southeast Asian Nations")


def test_transliterated_first_names_merge_across_articles(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "Foreign Minister Yevgeny Karsavin arrived in Tavrosk on Wednesday.",
        "Foreign Minister Evgeny Karsavin said the talks went well.",
    )
    assert _entity_of(entities, analyses, "Yevgeny Karsavin") == _entity_of(entities, analyses, "Evgeny Karsavin")


def test_different_first_names_stay_apart(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text("Anna Berg met Erik Berg in Oslo on Monday.")
    assert _entity_of(entities, analyses, "Anna Berg") != _entity_of(entities, analyses, "Erik Berg")


def test_role_descriptor_links_to_the_titled_person(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "Russian Foreign Minister Sergey Lavrov arrived in Myanmar. Russia’s top diplomat met the junta's leader.")
    assert _entity_of(entities, analyses, "Russia’s top diplomat") == _entity_of(entities, analyses, "Sergey Lavrov")


def test_every_link_keeps_its_evidence(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text("Anna Berg visited Oslo. Berg said the visit went well.")
    berg = next(m for a in analyses for m in a.mentions if m.text == "Berg")
    assert berg.link_evidence == "surname of 'Anna Berg' in the same article"


def test_appositive_title_links_a_later_descriptor(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "Sergey Lavrov, Russia's foreign minister, arrived on Wednesday.",
        "Russia's foreign minister met the junta's leader in Naypyidaw.",
    )
    assert _entity_of(entities, analyses, "Russia's foreign minister") == _entity_of(entities, analyses, "Sergey Lavrov")


# The lone surname "Varga" of the first article is always President Peter Varga. In one sentence with
# "Ilona Varga, the first lady" it is not her (two people of one family); in a standfirst before the full
# name it is the person named in full after it.
SURNAME_CASES = {
    "beside a relative": ("President Varga welcomed the Dutch prime minister on Tuesday, with Ilona Varga, the first "
                          "lady, at his side. Varga said the talks went well.",
                          "President Peter Varga flew to Brussels on Monday."),
    "in a standfirst": ("It looks like Varga has changed his mind on the bridge.\n\n"
                        "President Peter Varga said on Monday that the bridge would be built after all.",
                        "Ilona Varga opened a hospital in Szeged on Friday."),
}


@pytest.mark.parametrize("case", SURNAME_CASES)
def test_a_lone_surname_links_to_the_person_it_means(link_text, case):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(*SURNAME_CASES[case])
    lone = {m.entity_id for m in analyses[0].mentions if m.text == "Varga"}
    assert lone == {_entity_of(entities, analyses, "Peter Varga")}
    assert _entity_of(entities, analyses, "Ilona Varga") not in lone


def test_surname_after_the_full_name_in_one_sentence_is_that_person(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "The treaty was signed by Foreign Minister Marisa Ferrant during Ferrant's visit to Orsenna.")
    assert _entity_of(entities, analyses, "Marisa Ferrant") == _entity_of(entities, analyses, "Ferrant")


def test_a_headline_run_into_the_first_sentence_does_not_make_a_relative(link_text):  # type: ignore[no-untyped-def]
    # The headline and the standfirst are one "sentence" here, so "Varga's" comes before "President Peter Varga"
    # as if they were two relatives; the article calls the lone surname "President Varga", the full name's
    # title, so every "Varga" of it is Peter Varga, not the one other Varga of the corpus.
    entities, analyses = link_text(
        "Nora Lind, Varga's pick for finance minister, quits after a week, report says President Peter Varga says "
        "the bridge will be built.\n\nPresident Varga told reporters on Monday that the money was found. "
        "Varga said work would start in May.",
        "Ilona Varga opened a hospital in Szeged on Friday.",
    )
    lone = {m.entity_id for m in analyses[0].mentions if m.text == "Varga"}
    assert lone == {_entity_of(entities, analyses, "Peter Varga")}


@pytest.mark.parametrize("named, descriptor", [
    ("Turkish Foreign Minister Ayla Demir", "Turkey's foreign minister"),
    ("Israeli Prime Minister Dov Arieli", "Israel's prime minister"),
    ("Russian Foreign Minister Yevgeny Karsavin", "Russia's foreign minister"),
])
def test_a_country_and_its_demonym_are_one_country_for_a_title(link_text, named, descriptor):  # type: ignore[no-untyped-def]
    surname = named.split()[-1]
    entities, analyses = link_text(f"{named} arrived in Vienna on Monday.",
                                   f"{descriptor} met the mediators on Tuesday, {surname}'s office said.")
    assert _entity_of(entities, analyses, descriptor) == _entity_of(entities, analyses, " ".join(named.split()[-2:]))


@pytest.mark.parametrize("short, full", [("Bob Tarrant", "Robert W. Tarrant"), ("Mike Delacroix", "Michael Delacroix"),
                                         ("Bill Ostrander", "William Ostrander")])
def test_a_short_given_name_is_the_full_one(link_text, short, full):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(f"Rep. {short} chaired the hearing on Tuesday.",
                                   f"The committee chairman, {full}, said the hearing was closed.")
    assert _entity_of(entities, analyses, short) == _entity_of(entities, analyses, full)


def test_a_short_given_name_keeps_other_given_names_apart(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text("Rep. Bob Tarrant chaired the hearing on Tuesday.",
                                   "The committee's lawyer, Anna Tarrant, said the hearing was closed.")
    assert _entity_of(entities, analyses, "Bob Tarrant") != _entity_of(entities, analyses, "Anna Tarrant")


def test_a_generational_suffix_names_another_person(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text("Dwayne Holm Jr. was shot on Saturday, police said.",
                                   "His father, Dwayne Holm, was not hurt.")
    assert _entity_of(entities, analyses, "Dwayne Holm Jr.") != _entity_of(entities, analyses, "Dwayne Holm")


def test_two_countries_navies_stay_apart_through_the_bare_name(link_text):  # type: ignore[no-untyped-def]
    entities, analyses = link_text(
        "The Indian Navy captured pirates off Somalia on Saturday. The Navy said the pirates surrendered.",
        "The U.S. Navy sent a destroyer to the Gulf of Aden. The Navy said the ship would stay a month.",
        "India and the United States patrol the Gulf of Aden. The Navy said more ships would come.",
    )
    assert _entity_of(entities, analyses, "Indian Navy") != _entity_of(entities, analyses, "U.S. Navy")
