"""Which reader an input goes to: by URL, by suffix, and by its first bytes when the name says nothing."""

from __future__ import annotations

import gzip

import pytest

from newsfuse.ingest import detect_kind
from tests.ingest.conftest import ATOM, HTML_PAGES, JSONL, RSS


@pytest.mark.parametrize("url", ["http://example.org/a", "HTTPS://example.org/feed.rss"])
def test_urls_go_to_the_url_reader(url):
    assert detect_kind(url) == "url"


@pytest.mark.parametrize(("path", "kind"), [(HTML_PAGES[0], "html"), (JSONL, "jsonl"), (RSS, "feed"), (ATOM, "feed")])
def test_suffix_decides(path, kind):
    assert detect_kind(str(path)) == kind


@pytest.mark.parametrize(
    ("source", "kind"),
    [(HTML_PAGES[0], "html"), (JSONL, "jsonl"), (RSS, "feed"), (ATOM, "feed")],
)
def test_content_decides_when_the_name_has_no_suffix(tmp_path, source, kind):
    path = tmp_path / "download"
    path.write_bytes(source.read_bytes())
    assert detect_kind(str(path)) == kind


def test_gzipped_jsonl_without_a_suffix_is_jsonl(tmp_path):
    path = tmp_path / "dump.gz"
    path.write_bytes(gzip.compress(JSONL.read_bytes()))
    assert detect_kind(str(path)) == "jsonl"


def test_plain_text_stays_text(tmp_path):
    path = tmp_path / "story"
    path.write_text("date 2025-03-12 Dock strike ends\nWorkers voted to return.\n")
    assert detect_kind(str(path)) == "text"
