"""Watching a feed: conditional requests (ETag / Last-Modified) and only new entries stored."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsfuse import pipeline
from newsfuse.errors import InputError
from newsfuse.ingest import ReadOptions
from newsfuse.ingest.url import poll_feed

TEXT = ("The island council said on Thursday that the ferry to the mainland will run twice as often from next "
        "month, after a winter of long queues at the harbour. Two more crossings a day will be added at first and "
        "a second boat will join the route in the summer, once repairs to its hull are finished. Fares will not "
        "change, the council's transport officer said, and islanders with a resident card keep their discount. "
        "Shop owners on the harbour front welcomed the plan, saying the queues had kept visitors away all winter.")
LAST_MODIFIED = "Thu, 20 Mar 2025 08:00:00 GMT"


def feed(entries: int) -> bytes:
    items = "".join(f"<item><guid>urn:ferry:{n}</guid><title>Ferry news {n}</title><description>{TEXT} ({n})"
                    "</description></item>" for n in range(entries))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Lisk Courier</title>{items}</channel></rss>'.encode()


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    state = {"entries": 1, "conditional": [], "status": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state["conditional"].append((self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))
            etag = f'"e{state["entries"]}"'
            if self.headers.get("If-None-Match") == etag:
                state["status"].append(304)
                self.send_response(304)
                self.end_headers()
                return
            body = feed(state["entries"])
            state["status"].append(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.rss", state
    httpd.shutdown()
    httpd.server_close()


def test_a_second_poll_sends_the_validators_and_an_unchanged_feed_gives_nothing(server):
    url, state = server
    options = ReadOptions(allow_private=True)
    first = poll_feed(url, options)
    assert first.changed and len(first.documents) == 1 and first.etag == '"e1"' and first.last_modified == LAST_MODIFIED
    second = poll_feed(url, options, first.etag, first.last_modified)
    assert not second.changed and second.documents == []
    assert state["conditional"][1] == ('"e1"', LAST_MODIFIED) and state["status"] == [200, 304]


def test_watching_stores_only_new_entries_and_remembers_the_validators(server, store):
    url, state = server
    options = ReadOptions(allow_private=True)
    [first] = pipeline.poll_feeds([url], store, options)
    assert first.changed and len(first.report.ingested) == 1
    [unchanged] = pipeline.poll_feeds([url], store, options)
    assert not unchanged.changed and store.feed_state(url)["status"] == "unchanged"
    state["entries"] = 2
    [grown] = pipeline.poll_feeds([url], store, options)
    assert len(grown.report.ingested) == 1 and grown.report.unchanged == 1
    assert store.count_articles() == 2 and store.feed_state(url)["etag"] == '"e2"'


def test_a_feed_on_a_private_address_is_refused_unless_allowed(server, store):
    url, _ = server
    with pytest.raises(InputError):
        poll_feed(url, ReadOptions())
    [poll] = pipeline.poll_feeds([url], store, ReadOptions())
    assert poll.error and store.feed_state(url)["status"] == "failed"
