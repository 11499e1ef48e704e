"""Watching a feed: conditional requests (ETag / Last-Modified) and only new entries stored."""

from __future__ import annotations

import pytest

from newsfuse import pipeline
from newsfuse.errors import InputError
from newsfuse.ingest import ReadOptions
from newsfuse.ingest.url import poll_feed
from tests.conftest import FEED_LAST_MODIFIED

TEXT = ("The island council said on Thursday that the ferry to the mainland will run twice as often from next "
        "month, after a winter of long queues at the harbour. Two more crossings a day will be added at first and "
        "a second boat will join the route in the summer, once repairs to its hull are finished. Fares will not "
        "change, the council's transport officer said, and islanders with a resident card keep their discount. "
        "Shop owners on the harbour front welcomed the plan, saying the queues had kept visitors away all winter.")


@pytest.fixture
def server(feed_server):  # type: ignore[no-untyped-def]
    url, state = feed_server
    state["items"].append(("Ferry news 0", TEXT))
    return url, state


def test_a_second_poll_sends_the_validators_and_an_unchanged_feed_gives_nothing(server):
    url, state = server
    options = ReadOptions(allow_private=True)
    first = poll_feed(url, options)
    assert first.changed and len(first.documents) == 1 and first.etag == '"e1"' and first.last_modified == FEED_LAST_MODIFIED
    second = poll_feed(url, options, first.etag, first.last_modified)
    assert not second.changed and second.documents == []
    assert state["conditional"][1] == ('"e1"', FEED_LAST_MODIFIED) and state["status"] == [200, 304]


def test_watching_stores_only_new_entries_and_remembers_the_validators(server, store):
    url, state = server
    options = ReadOptions(allow_private=True)
    [first] = pipeline.poll_feeds([url], store, options)
    assert first.changed and len(first.report.ingested) == 1
    [unchanged] = pipeline.poll_feeds([url], store, options)
    assert not unchanged.changed and store.feed_state(url)["status"] == "unchanged"
    state["items"].append(("Ferry news 1", TEXT + " A second crossing was announced later."))
    [grown] = pipeline.poll_feeds([url], store, options)
    assert len(grown.report.ingested) == 1 and grown.report.unchanged == 1
    assert store.count_articles() == 2 and store.feed_state(url)["etag"] == '"e2"'


def test_a_feed_on_a_private_address_is_refused_unless_allowed(server, store):
    url, _ = server
    with pytest.raises(InputError):
        poll_feed(url, ReadOptions())
    [poll] = pipeline.poll_feeds([url], store, ReadOptions())
    assert poll.error and store.feed_state(url)["status"] == "failed"
