"""A statement dated by its month and by a day in that month is one timeline row, the day's (written for the
project)."""

from __future__ import annotations

from newsfuse.models import Article
from tests.fuse.conftest import _fuse

DATED = "The council voted this month to close the bridge, and on Tuesday it posted the notice on the bridge."
OTHER = "The bridge over the Lune will close for repairs, the council said, after a vote by its members."


def _article(key: str, outlet: str, text: str) -> Article:
    return Article(id=key, title="Council to close bridge", text=text, paragraphs=(text,), outlet=outlet,
                   outlet_found_by="field", published="2025-04-24", published_found_by="field", language="en")


def test_a_statement_dated_by_month_and_day_is_one_row() -> None:
    fused = _fuse("timeline", [_article("a", "Harbor Daily", DATED), _article("b", "Nordwire", OTHER)])
    rows = [(row.date, row.precision) for row in fused.timeline if "posted the notice" in row.text]
    assert rows == [("2025-04-22", "day")], [(r.date, r.precision, r.text) for r in fused.timeline]
