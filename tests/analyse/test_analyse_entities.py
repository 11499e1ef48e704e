"""Entity mentions with corrected labels, and canonical entities linked across the seeds with evidence."""

from __future__ import annotations

import pytest

from newsfuse.analyse.name_rules import phonetic

pytestmark = pytest.mark.seed


def _entity(entities, name):  # type: ignore[no-untyped-def]
    found = [e for e in entities if e.name == name]
    assert found, f"no entity {name!r}: {[e.name for e in entities]}"
    return found[0]


def test_lavrov_spellings_are_one_entity(seed_linked):  # type: ignore[no-untyped-def]
    entities, _ = seed_linked
    lavrov = [e for e in entities if "Lavrov" in e.name or any("Lavrov" in a for a in e.aliases)]
    assert len(lavrov) == 1
    assert {"Sergei Lavrov", "Lavrov"} <= set(lavrov[0].aliases) | {lavrov[0].name}
    assert "Sergey Lavrov" in set(lavrov[0].aliases) | {lavrov[0].name}
    assert len(lavrov[0].article_ids) == 3


@pytest.mark.parametrize("descriptor", ["Russia’s foreign minister", "Russia’s top diplomat"])
def test_titles_link_to_the_person_with_evidence(seed_linked, descriptor):  # type: ignore[no-untyped-def]
    entities, analyses = seed_linked
    lavrov = _entity(entities, "Sergey Lavrov")
    assert descriptor in lavrov.aliases
    mention = next(m for a in analyses.values() for m in a.mentions if m.text == descriptor)
    assert mention.entity_id == lavrov.id and "Russian Foreign Minister" in mention.link_evidence


def test_ruling_body_descriptors_are_one_actor(seed_linked):  # type: ignore[no-untyped-def]
    entities, _ = seed_linked
    body = _entity(entities, "State Administrative Council")
    names = set(body.aliases)
    assert "The military junta" in names and "Myanmar’s military government" in names
    assert "Myanmar's ruling military council" in names
    assert any("led by Min Aung Hlaing" in e for e in body.evidence)


def test_capital_tagged_as_organisation_is_a_place(seed_analyses):  # type: ignore[no-untyped-def]
    labels = {m.label for a in seed_analyses.values() for m in a.mentions if m.text == "Naypyidaw"}
    assert labels and labels <= {"GPE", "LOC"}


def test_surname_tagged_as_organisation_is_a_person(seed_analyses):  # type: ignore[no-untyped-def]
    mentions = [m for m in seed_analyses["TBS News"].mentions if m.text == "Lavrov"]
    assert mentions and all(m.label == "PERSON" for m in mentions)
    assert any("corrected" in m.attrs for m in mentions)


def test_titles_are_not_part_of_names(seed_analyses):  # type: ignore[no-untyped-def]
    names = {m.text for m in seed_analyses["TASS"].mentions if m.label == "PERSON"}
    assert "Maria Zakharova" in names and "Spokeswoman Maria Zakharova" not in names


def test_mention_spans_point_into_text_or_title(seed_articles, seed_analyses):  # type: ignore[no-untyped-def]
    for outlet, analysis in seed_analyses.items():
        article = seed_articles[outlet]
        for m in analysis.mentions:
            source = article.text if m.part == "text" else article.title
            assert source[m.start:m.end] == m.text


def test_different_people_stay_apart(seed_linked):  # type: ignore[no-untyped-def]
    entities, _ = seed_linked
    assert _entity(entities, "Carlos Faria").id != _entity(entities, "Sergey Lavrov").id
    assert _entity(entities, "Prak Sokhonn").id != _entity(entities, "Wunna Maung Lwin").id


@pytest.mark.parametrize("a, b", [("Sergei", "Sergey"), ("Aleksandr", "Alexandr"), ("Yuri", "Yury")])
def test_transliteration_variants_share_a_key(a, b):  # type: ignore[no-untyped-def]
    assert phonetic(a) == phonetic(b)


def test_analysis_round_trips_through_dict(seed_analyses):  # type: ignore[no-untyped-def]
    from newsfuse.models import analysis_from_dict, to_dict

    analysis = seed_analyses["TASS"]
    assert analysis_from_dict(to_dict(analysis)) == analysis


def test_a_verb_run_into_a_persons_name_is_left_out(analyse_text):  # type: ignore[no-untyped-def]
    # The model tags "Karl Weber Sr told" as one person; the name ends before the lower-case verb.
    analysis = analyse_text("Karl Weber Sr told KTV4 on Monday that the mill would close.")
    people = [m.text for m in analysis.mentions if m.label == "PERSON"]
    assert "Karl Weber Sr" in people and not any(p.endswith("told") for p in people), people
    assert analysis.quotes and analysis.quotes[0].speaker_name == "Karl Weber Sr"


def test_a_ships_name_is_no_person_and_no_speaker(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text("A navy spokesman said the warship INS Tavor answered a distress call from MV Orla Breeze "
                            "on Saturday. The Tavor escorted the Orla Breeze to safety, he added.")
    ships = [m for m in analysis.mentions if "Orla Breeze" in m.text]
    assert ships and all(m.label != "PERSON" for m in ships), [(m.text, m.label) for m in ships]
    assert all("Orla" not in (q.speaker_name or q.speaker) for q in analysis.quotes)


def test_a_title_before_a_name_is_left_out_however_it_is_written(analyse_text):  # type: ignore[no-untyped-def]
    # "Gov." and "Rev." keep their stop; a title may be several words ("District Attorney").
    analysis = analyse_text("Gov. Karin Holm said the quay would open in May. The Rev. Ola Lind led the prayers on "
                            "Sunday. District Attorney Nils Berg declined to comment.")
    people = {m.text for m in analysis.mentions if m.label == "PERSON"}
    assert {"Karin Holm", "Ola Lind", "Nils Berg"} <= people, people


def test_a_titled_name_the_model_called_an_organisation_is_the_person(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text("Constable Ivar Lund said the road was closed. Miss Rita Dahl said the hearing was over.")
    people = {m.text for m in analysis.mentions if m.label == "PERSON"}
    assert {"Ivar Lund", "Rita Dahl"} <= people, [(m.text, m.label) for m in analysis.mentions]
    assert {q.speaker_name for q in analysis.quotes} == {"Ivar Lund", "Rita Dahl"}


def test_a_body_opening_with_a_qualifying_title_word_stays_a_body(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text("The State Law Enforcement Division told reporters it was investigating.")
    assert not any(m.label == "PERSON" for m in analysis.mentions), [(m.text, m.label) for m in analysis.mentions]
