"""Quotation marks paired where text breaks a quotation over lines: project-written text, straight marks spaced
as tokenized feeds write them ('" The pier is old, " she said')."""

from __future__ import annotations

from itertools import accumulate

import pytest

from newsfuse.analyse.quote_marks import find_direct_spans


def _spans(paragraphs: list[str]) -> list[str]:
    text = "\n\n".join(paragraphs)
    starts, at = [], 0
    for p in paragraphs:
        starts.append(at)
        at += len(p) + 2
    return [" ".join(text[s:e].split()) for s, e in find_direct_spans(text, starts)]


def test_quotation_over_lines_that_do_not_reopen_it():
    # One sentence a line: the quotation runs on to the mark after "cheap,"; that mark closes it and opens
    # nothing, so "she said" is no quotation.
    spans = _spans(['Anna Berg spoke at the harbour.', '" The pier is old.', 'It leaks in every storm.',
                    'A new one would be cheap, " she said on Monday.', '" We will vote in May, " she added.'])
    assert spans == ['The pier is old. It leaks in every storm. A new one would be cheap,', 'We will vote in May,']


def test_closing_mark_split_onto_the_next_line():
    # The closing mark of the first quotation landed at the start of the next line, before the narrative.
    spans = _spans(['" I never doubted the plan, because it is sound, " Berg said.',
                    '" But the money must come first, and the council must find it.',
                    '" Berg said the aim would be to " open the pier by June, " a date no one has confirmed.'])
    assert spans == ['I never doubted the plan, because it is sound,',
                     'But the money must come first, and the council must find it.', 'open the pier by June,']


def test_mark_ending_a_paragraph_opens_nothing():
    spans = _spans(['" The pier will open in June, " Berg said.', 'The council agrees with her on the date. "',
                    '" We have the money now, " she added.'])
    assert spans == ['The pier will open in June,', 'We have the money now,']


def test_multi_paragraph_quotation_still_reopens():
    spans = _spans(['Berg said: " The first part of the plan is done.', '" The second part starts in May.',
                    '" The third part is the hardest, " she said.'])
    assert spans == ['The first part of the plan is done. " The second part starts in May. '
                     '" The third part is the hardest,']


def test_curly_marks_inside_a_straight_quotation_leave_it_open():
    # Where a curly mark follows, the straight quotation may hold it: nothing is read across the lines.
    spans = _spans(['The report quotes her: " The first time she saw the pier it was “ new, ” she said.',
                    '" She walked on it every day.', '“ It was a ship on legs, ” her neighbour said. "'])
    assert spans == ['new,', 'It was a ship on legs,']


def test_unmarked_lines_end_the_search_past_the_limit():
    lines = ['" The pier is old.'] + [f"Line {k} of the report has no marks." for k in range(12)] + [
        'It ends here, " she said.']
    assert not any(s.startswith("The pier is old") for s in _spans(lines))


def test_tagged_content_ends_at_its_closing_mark():
    from newsfuse.analyse.attribution import _closing_mark

    text = '" The memos show the plan was set " before the vote, they added.'
    quoted = [(1, text.index('" before'))]
    assert _closing_mark(quoted, 2, text.index(", they")) == quoted[0][1]
    # A content that stays inside its quotation, or goes on into another one, keeps its end.
    assert _closing_mark(quoted, 2, 20) == 20
    end = text.index(", they")
    assert _closing_mark(quoted + [(text.index("before"), end)], 2, end) == end


@pytest.mark.parametrize("text, speaker, words", [
    # Sentence-split feed: the quotation over three lines is Berg's, and the line after it opens with a new one.
    ('Anna Berg visited the harbour on Monday.\n\n" The pier is old.\n\nIt leaks in every storm.\n\n'
     'A new one would be cheap, " Berg said.\n\n" We will vote in May, " she added.', "Anna Berg",
     "It leaks in every storm"),
    # The quotation's first words taken for a second subject of the cue after it.
    ('" The council has no answer for the harbour.\n\nNo plans for the pier, " Berg said in a tweet.',
     "Berg", "No plans for the pier"),
    # "was quoted as saying": the one quoted.
    ('The harbour board met on Monday.\n\n" We are ready to build this summer.\n\nI hope the council agrees, " '
     'Anna Berg was quoted by the local radio as saying.', "Anna Berg", "ready to build"),
    # "recounts" is a cue.
    ('The harbour board met on Monday.\n\n" The mayor brought up the plan and said it bothered\n\nhim that the '
     'pier was closed, " Anna Berg recounts in her diary.', "Anna Berg", "brought up the plan"),
])
def test_speaker_of_quotations_paired_across_lines(analyse_text, text, speaker, words):  # type: ignore[no-untyped-def]
    quotes = [q for q in analyse_text(text).quotes if words in q.content]
    assert quotes and all(speaker in (q.speaker_name or q.speaker) and q.direct for q in quotes), [
        (q.speaker, q.content) for q in analyse_text(text).quotes]


def test_no_quotation_of_the_narrative_between_lines(analyse_text):  # type: ignore[no-untyped-def]
    text = ('Anna Berg visited the harbour.\n\n" The pier is old.\n\nIt leaks in every storm.\n\n'
            'A new one would be cheap, " Berg said, and she walked back along the sea wall with two engineers from '
            'the port authority before the storm came in.\n\n" We will vote in May, " she added.')
    contents = [q.content for q in analyse_text(text).quotes if q.direct]
    assert not any("sea wall" in c for c in contents), contents
    assert any(c.startswith("The pier is old") for c in contents), contents


def test_speech_reported_inside_a_quotation_is_the_quotation(analyse_text):  # type: ignore[no-untyped-def]
    text = ('" They do not see that the pier is failing.\n\nIt is failing right now.\n\nAnd the engineers are '
            'discussing a new design.\n\nSubject to money, they have my support, " Berg said.')
    quotes = analyse_text(text).quotes
    assert any("It is failing right now" in q.content for q in quotes if q.direct), [
        (q.speaker, q.content) for q in quotes]
    assert all("Berg" in (q.speaker_name or q.speaker) for q in quotes if q.direct), [
        (q.speaker, q.cue, q.content) for q in quotes]


def test_thousands_of_lines_opening_with_a_straight_mark_do_not_exhaust_the_stack() -> None:
    # A list or transcript pasted one item a line, each item opening with a straight mark: every line's
    # reading depends on the next, which used to be found by recursion, one level a line.
    lines = [f'" item {i} of the list' for i in range(3000)]
    text = "\n".join(lines)
    starts = [0, *accumulate(len(line) + 1 for line in lines[:-1])]
    spans = find_direct_spans(text, starts)
    assert spans and all(text[start - 1] == '"' and start <= end <= len(text) for start, end in spans)
