"""Quotations whole: split by the cue, over three paragraphs; what no one said is not a quote."""

from __future__ import annotations

from newsfuse.models import QUOTE_PART_JOINER

SPLIT = """The council voted on Tuesday to close the old bridge.

“We did not take this lightly,” Mayor Anna Berg told reporters after the vote, “but the bridge is no longer safe to cross.”"""

THREE_PARAGRAPHS = """Engineers inspected the bridge in March. Their leader, Tomas Lind, described what they found.

“The cables are corroded along most of the span, and two of the anchors have moved.

“We measured the deck every day for a week, and it sagged a little more each time.

“There is no repair that would make it safe for traffic.”

The council will meet again in June."""

LOOKALIKE = """Governor Maria Costa spoke after the court ruled on the water rights case.

Costa told a news conference after the decision that the state would appeal.

She told reporters on Friday.

The report, titled “A River in Debt,” was published in May."""


def test_quotation_split_by_its_cue_is_one_quote(analyse_text):  # type: ignore[no-untyped-def]
    quotes = [q for q in analyse_text(SPLIT).quotes if q.direct]
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.content == QUOTE_PART_JOINER.join(["We did not take this lightly", "but the bridge is no longer safe to cross."])
    assert [SPLIT[s:e] for s, e in quote.content_parts] == [
        "We did not take this lightly", "but the bridge is no longer safe to cross."]
    assert quote.speaker_name == "Anna Berg" and quote.cue.startswith("told")


def test_a_fragment_of_a_split_quote_is_never_a_quote_of_its_own(analyse_text):  # type: ignore[no-untyped-def]
    contents = [q.content for q in analyse_text(SPLIT).quotes]
    assert not any(c.startswith("but the bridge") for c in contents), contents


def test_quotation_over_three_paragraphs_is_one_quote(analyse_text):  # type: ignore[no-untyped-def]
    quotes = [q for q in analyse_text(THREE_PARAGRAPHS).quotes if q.direct]
    assert len(quotes) == 1, [q.content for q in quotes]
    quote = quotes[0]
    assert quote.content.startswith("The cables are corroded") and quote.content.endswith("safe for traffic.")
    assert len(quote.content_parts) == 3
    assert THREE_PARAGRAPHS[slice(*quote.content_parts[1])].startswith("We measured the deck")
    assert quote.speaker_name == "Tomas Lind"


def test_what_no_one_said_is_not_a_quote(analyse_text):  # type: ignore[no-untyped-def]
    analysis = analyse_text(LOOKALIKE)
    contents = [q.content for q in analysis.quotes]
    assert not any("news conference" in c and "appeal" not in c for c in contents), contents
    assert not any(c.strip(" .") in ("reporters on Friday", "reporters", "on Friday") for c in contents), contents
    assert not any("A River in Debt" in c for c in contents), contents
    appeal = [q for q in analysis.quotes if "the state would appeal" in q.content]
    assert appeal and appeal[0].speaker_name == "Maria Costa"


SPACED_MARKS = """The mayor toured the flooded district on Monday.

" The water came up faster than anyone expected.

We will rebuild every house on this street, " Mayor Anna Berg said.

" Nobody here will be left to do it alone. "

The council will meet on Friday."""


def test_a_cue_between_spaced_straight_marks_is_not_part_of_the_quotation(analyse_text):  # type: ignore[no-untyped-def]
    contents = [q.content for q in analyse_text(SPACED_MARKS).quotes if q.direct]
    assert any("Nobody here will be left" in c for c in contents), contents
    assert not any("Berg said" in c for c in contents), contents


def test_a_report_in_two_pieces_around_its_cue_is_one_quote(analyse_text):  # type: ignore[no-untyped-def]
    # The subject a raising or passive cue leaves in front is part of what is reported, not a quote of its own.
    text = "Police arrested a man near the quay on Friday. Berg is expected to appear in court on Monday."
    quotes = [q for q in analyse_text(text).quotes if "court" in q.content or q.content.strip() == "Berg"]
    assert len(quotes) == 1, [q.content for q in quotes]
    assert [text[s:e] for s, e in quotes[0].content_parts] == ["Berg", "to appear in court on Monday"]


def test_a_clause_of_its_own_before_the_cue_is_not_joined_to_its_content(analyse_text):  # type: ignore[no-untyped-def]
    text = ("On Monday a driver, Tom Lund, was shot dead on Mill Street; a man arrested on Wednesday is being "
            "questioned over that killing.")
    assert not any(q.content_parts for q in analyse_text(text).quotes)
