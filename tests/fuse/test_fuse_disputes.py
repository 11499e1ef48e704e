"""A value counts as disputed only where it is said of what the conflict is about (written for the project):
another person's title, or a disputed speaker's name in another statement, marks nothing."""

from __future__ import annotations

from newsfuse.fuse.check import disputed_citations, states_disputed
from newsfuse.fuse.disputes import mark_disputes
from newsfuse.models import Article, Conflict, ConflictValue, Fact, SourceSpan, SummarySentence

NORTH = ("The port authority named Lena Ortiz its chairwoman on Monday. "
         "Union chairman Piet Vos said the strike would go on.")
SOUTH = ("Lena Ortiz, the port's chief executive, met the union on Monday. "
         "Union chairman Piet Vos said the strike would go on.")

TITLE = Conflict(slot="title", about="Lena Ortiz", values=(
    ConflictValue("chairwoman", ("north",)), ConflictValue("chief executive", ("south",))))
SPEAKER = Conflict(slot="attribution", about="“We will not sign a deal that cuts pensions,” he said.", values=(
    ConflictValue("Piet Vos", ("north",)), ConflictValue("the union", ("south",))))


def _article(key: str, text: str, outlet: str) -> Article:
    return Article(id=key, title=f"{outlet} report", text=text, paragraphs=(text,), outlet=outlet,
                   outlet_found_by="field", published="2026-03-02", published_found_by="field", language="en")


ARTICLES = {"north": _article("north", NORTH, "North Courier"), "south": _article("south", SOUTH, "South Ledger")}


def _span(key: str, phrase: str) -> SourceSpan:
    start = ARTICLES[key].text.index(phrase)
    return SourceSpan(key, 0, start, start + len(phrase))


def test_a_title_counts_only_next_to_the_person_it_is_disputed_for() -> None:
    assert states_disputed("The port authority named Lena Ortiz its chairwoman.", "chairwoman", TITLE)
    assert not states_disputed("Union chairwoman Ana Berg said the strike would go on.", "chairwoman", TITLE)
    assert states_disputed("Ms. Ortiz, the chief executive, spoke.", "chief executive", TITLE)


def test_a_speaker_counts_only_in_a_text_that_repeats_the_disputed_statement() -> None:
    assert states_disputed("“We will not sign a deal that cuts pensions,” Piet Vos said.", "Piet Vos", SPEAKER)
    assert not states_disputed("Piet Vos said the strike would go on.", "Piet Vos", SPEAKER)


def test_a_fact_about_someone_else_is_not_marked_disputed() -> None:
    phrase = "Union chairman Piet Vos said the strike would go on."
    other = Fact("f1", phrase, "all", (_span("north", phrase), _span("south", phrase)), ("North Courier", "South Ledger"))
    named = "The port authority named Lena Ortiz its chairwoman on Monday."
    ceo = "Lena Ortiz, the port's chief executive, met the union on Monday."
    about_her = Fact("f2", named, "all", (_span("north", named), _span("south", ceo)), ("North Courier", "South Ledger"))
    facts, conflicts = mark_disputes([other, about_her], [TITLE, SPEAKER], ARTICLES)
    assert facts[0].disputed == () and facts[0].conflicts == ()
    assert set(facts[1].disputed) == {"north", "south"} and facts[1].conflicts == (0,)
    assert conflicts[0].facts == ("f2",) and conflicts[1].facts == ()


def test_a_summary_sentence_about_someone_else_may_cite_both_outlets() -> None:
    phrase = "Union chairman Piet Vos said the strike would go on."
    fine = SummarySentence(phrase, ("north", "south"), "consensus", (_span("north", phrase), _span("south", phrase)))
    assert disputed_citations(fine, [TITLE, SPEAKER], ARTICLES) == []
    named = "The port authority named Lena Ortiz its chairwoman on Monday."
    wrong = SummarySentence(named, ("north", "south"), "consensus", (_span("north", named),))
    assert disputed_citations(wrong, [TITLE], ARTICLES)


def test_a_disputed_fact_is_told_in_the_words_of_a_source_that_states_no_disputed_value() -> None:
    from newsfuse.fuse.summary import consensus

    west_text = "Lena Ortiz met the union leaders on Monday in the harbour office, her spokesman said."
    articles = {**ARTICLES, "west": _article("west", west_text, "West Wire")}
    named = "The port authority named Lena Ortiz its chairwoman on Monday."
    ceo = "Lena Ortiz, the port's chief executive, met the union on Monday."
    west = SourceSpan("west", 0, 0, len(west_text))
    both = Fact("f3", named, "all", (_span("north", named), _span("south", ceo)), ("North Courier", "South Ledger"))
    three = Fact("f4", ceo, "all", (_span("south", ceo), west, _span("north", named)),
                 ("South Ledger", "West Wire", "North Courier"))
    facts, _ = mark_disputes([both, three], [TITLE], articles)
    assert all(f.disputed for f in facts)
    told = consensus(facts, {"f3": 0.1, "f4": 0.2}, articles, [TITLE])
    assert [s.kind for s in told] == ["disputed", "consensus"]
    assert told[0].text.startswith("North Courier says") and "South Ledger says" in told[0].text
    assert told[1].text == west_text and set(told[1].articles) == {"north", "south", "west"}
