"""`newsfuse watch` and `newsfuse serve` as a user meets them: exit codes, messages, JSON."""

from __future__ import annotations

import json

from tests.ingest.test_feed_polling import server  # noqa: F401  (a loopback feed with an ETag)


def test_watch_once_stores_the_feed_and_a_second_poll_finds_it_unchanged(run_cli, server):  # noqa: F811
    url, state = server
    first = run_cli("watch", url, "--once", "--allow-private", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output.splitlines()[-1])["ingested"] == 1
    second = run_cli("watch", url, "--once", "--allow-private")
    assert second.exit_code == 0 and "not modified, 0 new" in second.output
    assert state["status"] == [200, 304]


def test_watch_refuses_a_loopback_feed_unless_allowed(run_cli, server):  # noqa: F811
    url, _ = server
    result = run_cli("watch", url, "--once")
    assert result.exit_code == 1 and url in result.output and "127.0.0.1" in result.output


def test_serve_refuses_to_listen_off_loopback_without_a_token(run_cli, monkeypatch):
    monkeypatch.delenv("NEWSFUSE_TOKEN", raising=False)
    result = run_cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1 and "without a token" in result.output
