"""Who said it: one quotation given to two people is a conflict; a body speaking through its head, or two
different quotations that one fact groups, are not (written for the project)."""

from __future__ import annotations

from newsfuse.fuse.conflicts import compatible_titles
from newsfuse.models import Article
from tests.fuse.conftest import _fuse

QUOTE = "“We will reopen the grain corridor by the end of June, whatever the weather,”"


def _article(key: str, outlet: str, text: str) -> Article:
    return Article(id=key, title="Grain corridor to reopen", text=text, paragraphs=(text,), outlet=outlet,
                   outlet_found_by="field", published="2026-05-13", published_found_by="field", language="en")


def _attributions(*texts: tuple[str, str, str]) -> list[set[str]]:
    fused = _fuse("attribution", [_article(*t) for t in texts])
    return [{v.value for v in c.values} for c in fused.conflicts if c.slot == "attribution"]


def test_one_quotation_given_to_two_people_is_a_conflict() -> None:
    found = _attributions(("a", "Danube Courier", f"{QUOTE} said Karl Weber, the transport minister."),
                          ("b", "Lake Ledger", f"{QUOTE} said Anna Novak, the foreign minister."))
    assert any({"Karl Weber", "Anna Novak"} <= values for values in found), found


def test_a_ministry_and_its_minister_giving_one_quotation_is_no_conflict() -> None:
    found = _attributions(("a", "Danube Courier", f"{QUOTE} said Karl Weber, the transport minister."),
                          ("c", "Lake Ledger", f"{QUOTE} the Austrian Transport Ministry said in a statement."))
    assert found == [], found


def test_a_joined_title_agrees_with_each_of_its_offices() -> None:
    assert compatible_titles("president and chief executive of Majestic Steel", "president of Majestic Steel")
    assert not compatible_titles("former aide", "former deputy chief of staff")


def test_a_legislators_seat_and_a_post_held_with_it_agree() -> None:
    assert compatible_titles("Representative", "House Intelligence Committee Chairman")
    assert compatible_titles("Representative", "former DNC chairwoman")
    assert not compatible_titles("Representative", "Governor")


def test_a_rank_and_the_post_its_holder_serves_in_agree() -> None:
    assert compatible_titles("Constable", "Linz police spokesperson")
    assert compatible_titles("police spokesman", "Sergeant")
    assert not compatible_titles("Sergeant", "Captain")


def test_outlets_differ_on_who_said_it_only_where_they_name_the_speaker() -> None:
    # Each outlet names both ministers before the quote; "he" is our reading of who spoke, and two readings
    # of a pronoun are no disagreement between the outlets.
    lead = "Karl Weber, the transport minister, met Anna Novak, the foreign minister, in Linz on Monday. "
    found = _attributions(("a", "Danube Courier", f"{lead}Weber spoke to reporters after the talks. {QUOTE} he said."),
                          ("b", "Lake Ledger", f"{lead}Novak spoke to reporters after the talks. {QUOTE} he said."))
    assert found == [], found


def test_a_newspaper_cited_for_the_words_is_no_rival_speaker() -> None:
    # Both organisations, so only the cue tells the party that spoke from the newspaper that reported it.
    found = _attributions(("a", "Danube Courier", f"{QUOTE} the Green Alliance said in a statement."),
                          ("b", "Lake Ledger", f"{QUOTE} according to the Linz Herald."))
    assert found == [], found


def test_an_aide_and_an_adviser_are_one_title() -> None:
    assert compatible_titles("campaign adviser", "campaign aide")
    assert compatible_titles("former foreign policy advisor", "aide")
    assert not compatible_titles("former aide", "former deputy chief of staff")


def test_a_founder_may_hold_any_office() -> None:
    # "SeaMicro CEO" / "founder" was listed as a disagreement on the title of one man who was both.
    assert compatible_titles("founder", "Brightwave CEO")
    assert compatible_titles("co-founder", "Brightwave chief executive")
    assert not compatible_titles("Brightwave CEO", "Brightwave chairman")
    fused = _fuse("founder", [
        _article("a", "Danube Courier", "Brightwave CEO Mira Castell said the sensor plant would open in June."),
        _article("b", "Lake Ledger", "Brightwave founder Mira Castell said the sensor plant would open in June."),
    ])
    assert [c for c in fused.conflicts if c.slot == "title"] == []


def test_one_office_written_two_ways_is_one_side_of_a_title_conflict() -> None:
    from tests.fuse.conftest import _fuse

    fused = _fuse("titles", [
        _article("a", "Danube Courier", "The suit names former campaign manager Paul Marten, who was charged last year."),
        _article("b", "Lake Ledger", "The suit names former campaign chairman Paul Marten, who was charged last year."),
        _article("c", "Harbor Daily", "The suit names former campaign chair Paul Marten, who was charged last year.")])
    [conflict] = [c for c in fused.conflicts if c.slot == "title"]
    assert sorted((v.value, v.articles) for v in conflict.values) == [("chairman", ("b", "c")), ("manager", ("a",))]


def test_a_prosecutor_is_an_attorney_of_the_state() -> None:
    assert compatible_titles("Prosecutor", "Chief Deputy City Attorney")
    assert not compatible_titles("Prosecutor", "Judge")
