"""A place conflict is two outlets putting one event in different places ("in", "at", "to", "from" before
each), not any two places that two reports of one fact mention (written for the project)."""

from __future__ import annotations

from newsfuse.models import Article
from tests.fuse.conftest import _fuse

COURIER = ("The two foreign ministers met in Vienna on Tuesday to discuss the grain corridor, officials said. "
           "Weber will meet President Anna Novak of Slovenia on Friday to discuss the corridor.")
LEDGER = ("The two foreign ministers met in Geneva on Tuesday to discuss the grain corridor, officials said. "
          "Weber will meet President Anna Novak in Ljubljana on Friday to discuss the corridor.")


def _article(key: str, outlet: str, text: str) -> Article:
    return Article(id=key, title="Ministers meet on grain corridor", text=text, paragraphs=(text,), outlet=outlet,
                   outlet_found_by="field", published="2026-05-13", published_found_by="field", language="en")


def test_two_outlets_putting_a_meeting_in_two_cities_is_a_place_conflict_and_nothing_else_is() -> None:
    articles = [_article("courier", "Danube Courier", COURIER), _article("ledger", "Lake Ledger", LEDGER)]
    fused = _fuse("places", articles)
    places = [{v.value for v in c.values} for c in fused.conflicts if c.slot == "place"]
    assert {"Vienna", "Geneva"} in places, places
    assert not any("Slovenia" in values for values in places), places  # "President ... of Slovenia" is no venue
