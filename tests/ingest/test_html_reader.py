"""HTML pages: article text, title, author, date, site name and URL; bad pages become clear failures."""

from __future__ import annotations

import pytest

from newsfuse import api
from newsfuse.ingest import ReadOptions, read_input
from newsfuse.models import RawDocument, ReadFailure
from tests.ingest.conftest import FIXTURES

FERRY = FIXTURES / "html" / "ferry-harbor-daily.html"
CAFE = FIXTURES / "html" / "cafe-rules-valtoria-ledger.html"

PAGE = """<!DOCTYPE html><html><head><title>Dock workers vote to end strike</title></head><body>
<nav>Home | City | Sport</nav><main><h1>Dock workers vote to end strike</h1>
<p>Dock workers in Port Avel voted on Thursday to end a nine-day strike after the port authority offered a 6% pay rise over two years.</p>
<p>The union said 81% of its members backed the deal. Loading of container ships will restart on Friday morning.</p>
<p>Caf\u00e9 owners near the docks, who said they had lost half their trade during the strike, welcomed the news.</p>
</main></body></html>"""


def only(location: str) -> RawDocument | ReadFailure:
    items = list(read_input(location, ReadOptions()))
    assert len(items) == 1
    return items[0]


def test_page_metadata_comes_from_the_markup():
    doc = only(str(FERRY))
    assert isinstance(doc, RawDocument) and doc.kind == "html"
    assert doc.declared["title"] == "Ferry service resumes after storm"
    assert doc.declared["author"] == "Mira Okonjo"
    assert doc.declared["published"] == "2025-03-12"
    assert doc.declared["site_name"] == "Harbor Daily"
    assert doc.declared["url"] == "https://harbordaily.example/news/2025/03/12/ferry-service-resumes"


def test_body_keeps_paragraphs_and_drops_navigation_scripts_and_footer():
    text = only(str(FERRY)).declared["text"]
    paragraphs = text.split("\n\n")
    assert any(p.startswith("Ferry service between Port Avel") for p in paragraphs)
    assert any(p.startswith('"We checked every berth') for p in paragraphs)
    assert "Home" not in text and "tracking" not in text and "© 2025" not in text


def test_original_bytes_are_kept(store):
    report = api.ingest([str(FERRY)], store)
    article = store.article(report.ingested[0])
    assert api.original_bytes(store, article) == FERRY.read_bytes()
    assert article.published == "2025-03-12" and article.author == "Mira Okonjo"


def test_declared_windows_1252_page_is_decoded():
    doc = only(str(CAFE))
    assert "caf\u00e9 terraces" in doc.declared["text"]
    assert "\u201cThis is a fair compromise,\u201d" in doc.declared["text"]
    assert doc.declared["title"].startswith("Council approves caf\u00e9 licence rules")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_page_in_a_legacy_or_utf16_encoding_without_a_charset_is_decoded(tmp_path, encoding):
    path = tmp_path / "strike.html"
    path.write_bytes(PAGE.encode(encoding))  # Python's utf-16 codec writes a byte-order mark
    assert "Caf\u00e9 owners" in only(str(path)).declared["text"]


def test_utf8_page_with_a_few_cp1252_lines_keeps_both(tmp_path):
    lines = PAGE.split("\n")
    lines[3] = lines[3] + " The mayor said: \u201cgood news\u201d."
    raw = "\n".join(lines).encode("utf-8").replace("Caf\u00e9".encode("utf-8"), "Caf\u00e9".encode("cp1252"))
    path = tmp_path / "mixed.html"
    path.write_bytes(raw)
    text = only(str(path)).declared["text"]
    assert "Caf\u00e9 owners" in text and "\u201cgood news\u201d" in text


def test_broken_markup_with_an_article_is_still_read(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text(PAGE.replace("</p>", "").replace("</main></body></html>", "<div><b>unclosed"))
    doc = only(str(path))
    assert isinstance(doc, RawDocument)
    assert "81% of its members" in doc.declared["text"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (bytes(range(256)) * 20, "binary file"),
        (b"Just a line of prose about the harbour, with no markup at all, saved under the wrong name.", "not HTML"),
        (b"<html><body>" + b"<script>steal(document.cookie)</script>" * 50 + b"</body></html>", "no article text"),
        (b"<html><body>" + b"<div>" * 5000 + b"<p>deep</p>" + b"</div>" * 5000 + b"</body></html>", "nested more than"),
        (b"<html><head><title>Shooting on Elm Street leaves two wounded, police say</title></head><body>"
         b"<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><h1>Shooting on Elm Street leaves two wounded, "
         b"police say</h1><footer>Copyright 2016</footer></body></html>", "no article text"),
    ],
    ids=["empty", "whitespace", "binary", "plain-text", "scripts-only", "deep-nesting", "headline-and-menu"],
)
def test_bad_page_is_a_failure_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    failure = only(str(path))
    assert isinstance(failure, ReadFailure)
    assert failure.location == str(path) and reason in failure.reason


def test_page_with_only_navigation_is_not_stored(store, tmp_path):
    path = tmp_path / "home.html"
    path.write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    report = api.ingest([str(path)], store)
    assert report.ingested == [] and store.count_articles() == 0
    assert [f.location for f in report.failed] == [str(path)]
    assert "no article text" in report.failed[0].reason


def test_cli_reports_a_broken_page_and_ingests_the_good_one(run_cli, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    result = run_cli("ingest", str(bad), str(FERRY))
    assert result.exit_code == 1
    assert f"{bad}: binary file" in result.output
    assert "ingested 1" in result.output
