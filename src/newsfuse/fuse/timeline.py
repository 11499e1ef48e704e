"""Dated events of a story: each resolved date with the statement it dates and the articles that give it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from newsfuse.fuse.align import readable
from newsfuse.fuse.propositions import Proposition
from newsfuse.models import Analysis, SourceSpan, TimelineEntry
from newsfuse.text.spans import TEXT_PART

# Date precisions worth a timeline row; a bare year ("in 2022") dates nothing precisely enough.
TIMELINE_PRECISIONS = ("day", "month")


def build_timeline(props: Sequence[Proposition], groups: list[list[int]], analyses: dict[str, Analysis]) -> list[TimelineEntry]:
    """One entry per (date, fact): the fact's words as written where the date is given (the first member
    that stands alone as a statement, else the whole sentence), oldest first."""
    group_of = {k: g for g, members in enumerate(groups) for k in members}
    by_article: dict[str, list[Proposition]] = defaultdict(list)
    for p in props:
        if p.part == TEXT_PART:  # analysed dates point into the text; a headline's statements, into the title
            by_article[p.article_id].append(p)
    entries: dict[tuple[str, int], list[tuple[Proposition, str]]] = defaultdict(list)
    for article_id, article_props in by_article.items():
        analysis = analyses.get(article_id)
        for date in analysis.dates if analysis else ():
            if date.precision not in TIMELINE_PRECISIONS:
                continue
            prop = next((p for p in article_props if p.start <= date.start < p.end), None)
            if prop is not None:
                entries[(date.value, group_of[prop.index])].append((prop, date.precision))
    out = []
    for (value, _group), found in entries.items():
        ordered = sorted(found, key=lambda item: (item[0].position, item[0].article_id))
        lead = next((p for p, _ in ordered if readable(p.text)), ordered[0][0])
        text, lead_span = _standing_alone(lead, analyses[lead.article_id])
        out.append(TimelineEntry(
            date=value, text=text,
            articles=tuple(dict.fromkeys(p.article_id for p, _ in found)),
            sources=tuple(lead_span if p is lead else SourceSpan(p.article_id, p.sentence, p.start, p.end)
                          for p, _ in found),
            precision=found[0][1],
        ))
    return sorted(_without_coarser_copies(out), key=lambda e: (e.date, -len(e.articles)))


def _without_coarser_copies(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """One statement dated twice, by its month ("this month") and by a day in it ("Tuesday"), is one row, the
    day's: the month adds nothing a reader can place."""
    days = {(e.text, e.date[:7]) for e in entries if e.precision == "day"}
    return [e for e in entries if not (e.precision == "month" and (e.text, e.date[:7]) in days)]


def _standing_alone(prop: Proposition, analysis: Analysis) -> tuple[str, SourceSpan]:
    """The statement's words, or its whole sentence when the statement is a clause that cannot stand alone
    ("which read, ...", "who will meet Kim next Friday ...")."""
    span = SourceSpan(prop.article_id, prop.sentence, prop.start, prop.end)
    if readable(prop.text):
        return prop.text, span
    sentence = next((s for s in analysis.sentences if s.index == prop.sentence), None)
    if sentence is None or not (sentence.start <= prop.start and prop.end <= sentence.end):
        return prop.text, span
    return sentence.text, SourceSpan(prop.article_id, prop.sentence, sentence.start, sentence.end)
