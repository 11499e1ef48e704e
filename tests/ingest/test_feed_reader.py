"""RSS and Atom feeds: entries with full content are ingested; a teaser-only entry is a headline unless
--follow-links fetches its page."""

from __future__ import annotations

import pytest

from newsfuse import api
from newsfuse.ingest import ReadOptions, read_input
from newsfuse.ingest.feeds import ONLY_A_LINK
from newsfuse.models import RawDocument, ReadFailure
from tests.ingest.conftest import ATOM, FIXTURES, RSS

FERRY_PAGE = (FIXTURES / "html" / "ferry-harbor-daily.html").read_bytes()


def read_all(location: str, **options) -> list[RawDocument | ReadFailure]:  # type: ignore[no-untyped-def]
    return list(read_input(location, ReadOptions(**options)))


def link_only_feed(link: str) -> str:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Daily</title>
<item><title>Ferry service resumes after storm</title><link>{link}</link><guid>ferry-1</guid>
<pubDate>Wed, 12 Mar 2025 08:30:00 GMT</pubDate><description>Crossings restart.</description></item>
</channel></rss>"""


def test_rss_entry_with_content_encoded_is_ingested_with_its_metadata():
    fleet = read_all(str(RSS))[0]
    assert isinstance(fleet, RawDocument) and fleet.location == f"{RSS}#hd-2025-0313-fleet"
    assert fleet.declared["title"] == "Fishing fleet returns early as prices fall"
    assert fleet.declared["published"] == "2025-03-13"
    assert fleet.declared["author"] == "Mira Okonjo"
    assert fleet.declared["site_name"] == "Harbor Daily"
    assert fleet.declared["url"] == "https://harbordaily.example/news/2025/03/13/fleet-returns"
    assert fleet.declared["text"].split("\n\n")[1].startswith("Skippers said fuel costs")


def test_rss_entry_original_is_its_own_xml():
    fleet = read_all(str(RSS))[0]
    assert fleet.content.startswith(b"<item") and b"hd-2025-0313-fleet" in fleet.content
    assert b"hd-2025-0312-lighthouse" not in fleet.content


def test_long_description_counts_as_full_content():
    lighthouse = read_all(str(RSS))[1]
    assert isinstance(lighthouse, RawDocument)
    assert "212 steps" in lighthouse.declared["text"]


def test_entry_with_only_a_teaser_is_a_headline_without_follow_links():
    timetable = read_all(str(RSS))[2]
    assert isinstance(timetable, RawDocument) and timetable.location == f"{RSS}#hd-2025-0311-timetable"
    assert timetable.declared["headline_only"] is True
    assert timetable.declared["title"] == "Ferry timetable changes for spring"
    assert timetable.declared["text"] == "New sailings from April."


def test_entry_with_only_a_link_and_no_title_needs_follow_links(tmp_path):
    feed = tmp_path / "bare.rss"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Daily</title>
<item><link>https://harbordaily.example/news/1</link><guid>bare-1</guid></item></channel></rss>""")
    (failure,) = read_all(str(feed))
    assert isinstance(failure, ReadFailure) and failure.reason == ONLY_A_LINK


def test_atom_entry_content_is_ingested():
    (rates,) = read_all(str(ATOM))
    assert rates.declared["title"] == "Valtoria central bank holds rates at 3.5%"
    assert rates.declared["published"] == "2025-03-14" and rates.declared["author"] == "Piet Ansgar"
    assert "three more months of data" in rates.declared["text"]


def test_follow_links_fetches_the_entry_page(site, tmp_path):
    link = site.add("/ferry", FERRY_PAGE)
    feed = tmp_path / "links.rss"
    feed.write_text(link_only_feed(link))
    (doc,) = read_all(str(feed), follow_links=True, allow_private=True)
    assert isinstance(doc, RawDocument) and doc.content == FERRY_PAGE
    assert doc.declared["published"] == "2025-03-12"
    assert "Lisk Island resumed on Wednesday" in doc.declared["text"]


def test_follow_links_still_refuses_private_addresses(site, tmp_path):
    feed = tmp_path / "links.rss"
    feed.write_text(link_only_feed(site.add("/ferry", FERRY_PAGE)))
    (failure,) = read_all(str(feed), follow_links=True)
    assert isinstance(failure, ReadFailure) and "--allow-private" in failure.reason


def test_feed_from_a_url_is_read_as_a_feed(site):
    url = site.add("/rss", RSS.read_bytes(), content_type="application/rss+xml")
    items = read_all(url, allow_private=True)
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "RawDocument"]


def test_malformed_feed_is_a_failure(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text("<?xml version='1.0'?><rss><channel><title>Broken</title><item><title>x</ti")
    items = read_all(str(path))
    assert all(isinstance(i, ReadFailure) for i in items)
    assert items[0].location.startswith(str(path))


def test_not_a_feed_is_a_malformed_feed_failure(tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("<?xml version='1.0'?><notes><note>buy bread</note></notes>")
    (failure,) = read_all(str(path))
    assert failure.location == str(path) and "malformed feed" in failure.reason


def test_stored_feed_articles_keep_feed_metadata(store):
    report = api.ingest([str(RSS), str(ATOM)], store)
    assert len(report.ingested) == 4 and not report.failed
    rates = next(a for a in store.articles() if a.title.startswith("Valtoria central bank"))
    assert rates.published == "2025-03-14" and rates.external_id == "urn:example:nordwire:2025-0314-rates"


def test_a_teaser_entry_is_stored_as_a_headline_only_article(store):
    report = api.ingest([str(RSS)], store)
    timetable = next(a for a in store.articles() if a.title == "Ferry timetable changes for spring")
    assert timetable.headline_only and timetable.text == "New sailings from April."
    assert report.headline_only == [timetable.id]
    fleet = next(a for a in store.articles() if a.title.startswith("Fishing fleet"))
    assert not fleet.headline_only


def test_cli_counts_headline_only_entries(run_cli):
    result = run_cli("ingest", str(RSS))
    assert result.exit_code == 0, result.output
    assert "ingested 3 (1 headline only)" in result.output


def test_cli_follow_links_ingests_linked_pages(run_cli, site, tmp_path):
    feed = tmp_path / "links.rss"
    feed.write_text(link_only_feed(site.add("/ferry", FERRY_PAGE)))
    result = run_cli("ingest", "--follow-links", "--allow-private", str(feed))
    assert result.exit_code == 0, result.output
    assert "ingested 1" in result.output


@pytest.mark.parametrize("cut", [200, 20], ids=["inside-the-entry", "at-its-start"])
def test_a_truncated_feed_says_which_entry_was_cut_off(tmp_path, cut):
    content = RSS.read_bytes()
    last_item = content.rindex(b"<item>")
    begun = content.count(b"<item>")
    path = tmp_path / "cut.rss"
    path.write_bytes(content[: last_item + cut])  # the last entry begun but cut short
    items = read_all(str(path))
    stored = [i for i in items if isinstance(i, RawDocument)]
    assert len(stored) <= begun - 1  # no half entry is stored as an article
    (failure,) = [i for i in items if f"entry {begun} " in getattr(i, "reason", "")]
    assert "is cut off" in failure.reason and f"the {begun - 1} entries before it were read" in failure.reason


def test_a_whole_feed_reports_no_feed_level_failure():
    assert not [i for i in read_all(str(RSS)) if i.location == str(RSS)]


@pytest.mark.parametrize("feed, why", [
    (ATOM.read_bytes().replace(b"</title>\n    <id>urn:example:n", b"</title"), "malformed"),  # summary None
    (b'<?xml version="1.0" encoding="\xd5\xd5"?><rss version="2.0"><channel></channel></rss>', "malformed feed"),
], ids=["summary-none", "undecodable-encoding-declaration"])
def test_feeds_that_crashed_the_reader_under_fuzzing_are_refused_by_name(tmp_path, feed, why):
    """Found by bench/fuzz.py: an Atom entry broken so that feedparser gives its summary as None, and an
    encoding declaration that is not UTF-8 (feedparser raised UnicodeDecodeError)."""
    path = tmp_path / "odd.rss"
    path.write_bytes(feed)
    failures = [i for i in read_all(str(path)) if isinstance(i, ReadFailure)]
    assert failures and all(f.location.startswith(str(path)) for f in failures)
    assert any(why in f.reason for f in failures)
