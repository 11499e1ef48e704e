"""Which facts state a value that outlets dispute: a fact is never shown as agreed when its sources differ.

A conflict (fuse/conflicts.py) says outlets give different values for one slot (a number, title, date,
place or speaker). A fact is disputed when its sources state competing values of a conflict, or when one
source states a value that another of its articles gives otherwise elsewhere ("chairwoman" in one
outlet's sentence, "chief executive" in the other outlet's report). Spellings of one name are no dispute,
and a value counts only where it is said of what the conflict is about (check.states_disputed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from newsfuse.fuse.check import span_text, states_disputed
from newsfuse.models import Article, Conflict, Fact


def mark_disputes(facts: Sequence[Fact], conflicts: Sequence[Conflict],
                  articles: dict[str, Article]) -> tuple[list[Fact], list[Conflict]]:
    """The facts with `disputed` (the articles involved) and `conflicts` (indexes) set, and the conflicts with
    the `facts` they touch."""
    touched: dict[int, list[str]] = defaultdict(list)
    out = []
    for fact in facts:
        disputed: set[str] = set()
        indexes = []
        for index, conflict in enumerate(conflicts):
            involved = _involved(fact, conflict, articles)
            if involved:
                disputed |= involved
                touched[index].append(fact.id)
                indexes.append(index)
        order = dict.fromkeys(s.article for s in fact.sources)
        out.append(replace(fact, disputed=tuple(a for a in order if a in disputed), conflicts=tuple(indexes)))
    return out, [replace(c, facts=tuple(touched.get(i, ()))) for i, c in enumerate(conflicts)]


def _involved(fact: Fact, conflict: Conflict, articles: dict[str, Article]) -> set[str]:
    """The fact's articles caught in a dispute over this conflict's values (empty when there is none)."""
    if conflict.kind == "spelling":
        return set()
    mentioned: dict[str, set[str]] = defaultdict(set)
    for span in fact.sources:
        text = span_text(articles, span)
        mentioned[span.article] |= {v.value for v in conflict.values if states_disputed(text, v.value, conflict)}
    mentioned = {a: v for a, v in mentioned.items() if v}
    if not mentioned:
        return set()
    stated = set().union(*mentioned.values())
    disputing = set()
    for article in dict.fromkeys(s.article for s in fact.sources):
        gives = {v.value for v in conflict.values if article in v.articles}
        if gives and not gives & stated:
            disputing.add(article)
    if len(mentioned) > 1 and not set.intersection(*mentioned.values()):
        disputing |= set(mentioned)
    return disputing | set(mentioned) if disputing else set()
