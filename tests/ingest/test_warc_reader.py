"""WARC archives: HTML responses become articles at `file#offset`; a truncated archive keeps its good records."""

from __future__ import annotations

import pytest

from newsfuse import api
from newsfuse.ingest import ReadOptions, detect_kind, read_input
from newsfuse.models import RawDocument, ReadFailure
from tests.ingest.conftest import write_warc


def read_all(location: str) -> list[RawDocument | ReadFailure]:
    return list(read_input(location, ReadOptions()))


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_each_html_response_becomes_a_document(tmp_path, warc_pages, gzip):
    path = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), warc_pages, gzip=gzip)
    docs = read_all(str(path))
    assert all(isinstance(d, RawDocument) and d.kind == "warc" for d in docs)
    assert [d.content for d in docs] == [body for _, body in warc_pages]  # the HTTP payload, byte for byte


def test_requests_images_and_error_pages_are_skipped(tmp_path, warc_pages):
    path = write_warc(tmp_path / "crawl.warc.gz", warc_pages)
    docs = read_all(str(path))
    assert [d.declared["warc_target_uri"] for d in docs] == [uri for uri, _ in warc_pages]


def test_location_offset_points_at_the_record(tmp_path, warc_pages):
    from warcio.archiveiterator import ArchiveIterator

    path = write_warc(tmp_path / "crawl.warc.gz", warc_pages)
    last = read_all(str(path))[-1]
    offset = int(last.location.rsplit("#", 1)[1])
    with open(path, "rb") as handle:
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
    assert record.rec_headers.get_header("WARC-Target-URI") == warc_pages[-1][0]


def test_page_metadata_is_extracted(tmp_path, warc_pages):
    path = write_warc(tmp_path / "crawl.warc.gz", warc_pages)
    ferry = next(d for d in read_all(str(path)) if d.declared.get("site_name") == "Harbor Daily")
    assert ferry.declared["title"] == "Ferry service resumes after storm"
    assert ferry.declared["url"] == "https://harbordaily.example/news/2025/03/12/ferry-service-resumes"


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_keeps_the_good_records_and_reports_the_rest(tmp_path, warc_pages, gzip):
    pages = warc_pages * 3
    whole = write_warc(tmp_path / "whole.warc", pages, gzip=gzip, extras=False).read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(whole[: len(whole) - len(pages[-1][1]) // 2])
    items = read_all(str(cut))
    assert [type(i) for i in items] == [RawDocument] * (len(pages) - 1) + [ReadFailure]
    assert "truncated" in items[-1].reason and items[-1].location.startswith(f"{cut}#")


def test_truncated_warc_stores_the_good_records(store, tmp_path, warc_pages):
    whole = write_warc(tmp_path / "whole.warc.gz", warc_pages, extras=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[:-40])
    report = api.ingest([str(cut)], store)
    assert len(report.ingested) == len(warc_pages) - 1 and len(report.failed) == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"this is not an archive\n" * 20, "not a WARC file"), (b"\x1f\x8b\x08" + bytes(50), "corrupt WARC")],
    ids=["empty", "garbage", "broken-gzip"],
)
def test_bad_warc_is_a_failure_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.warc"
    path.write_bytes(content)
    items = read_all(str(path))
    assert len(items) == 1 and isinstance(items[0], ReadFailure)
    assert items[0].location.startswith(str(path)) and reason in items[0].reason


def test_corrupt_data_between_records_is_reported_after_the_good_ones(tmp_path, warc_pages):
    first = write_warc(tmp_path / "a.warc", warc_pages[:1], gzip=False, extras=False).read_bytes()
    second = write_warc(tmp_path / "b.warc", warc_pages[1:], gzip=False, extras=False).read_bytes()
    path = tmp_path / "spliced.warc"
    path.write_bytes(first + b"garbage that is not a record\n" + second)
    items = read_all(str(path))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[-1], ReadFailure) and "corrupt WARC" in items[-1].reason


def test_warc_without_html_is_a_failure(tmp_path):
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "info-only.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record("info-only.warc.gz", {"software": "test"}))
    (failure,) = read_all(str(path))
    assert "no HTML response records" in failure.reason


def test_renamed_warc_gz_is_recognised_by_its_content(tmp_path, warc_pages):
    path = write_warc(tmp_path / "crawl.warc.gz", warc_pages)
    renamed = path.rename(tmp_path / "crawl-2025-03")
    assert detect_kind(str(renamed)) == "warc"


def test_cli_reports_a_truncated_warc(run_cli, tmp_path, warc_pages):
    whole = write_warc(tmp_path / "whole.warc.gz", warc_pages, extras=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[:-40])
    result = run_cli("ingest", str(cut))
    assert result.exit_code == 1
    assert f"{cut}#" in result.output and "truncated" in result.output
    assert f"ingested {len(warc_pages) - 1}" in result.output
