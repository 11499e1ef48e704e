"""JSON Lines: field mapping, .gz, streamed; a bad line is reported by number and the others go on."""

from __future__ import annotations

import gzip
import json

import pytest

from newsfuse import api
from newsfuse.ingest import ReadOptions, read_input
from newsfuse.ingest.options import DEFAULT_JSONL_FIELDS
from newsfuse.models import RawDocument, ReadFailure
from tests.ingest.conftest import JSONL

GOOD = {"id": "x-1", "title": "Tram line extended to the airport", "published": "2025-02-20", "outlet": "Nordwire",
        "text": "The city's tram line will reach the airport from June, the transport office said on Thursday.\n\n"
                "The extension adds four stops and cuts the journey from the centre to 22 minutes."}


def read_all(path: str, **options) -> list[RawDocument | ReadFailure]:  # type: ignore[no-untyped-def]
    return list(read_input(path, ReadOptions(**options)))


def test_default_fields_fill_title_date_outlet_url_and_external_id():
    first = read_all(str(JSONL))[0]
    assert isinstance(first, RawDocument) and first.kind == "jsonl"
    assert first.location == f"{JSONL}:1"
    assert first.declared["external_id"] == "vl-0001"
    assert first.declared["title"] == "Bridge repairs to close Old Quay road for a month"
    assert first.declared["published"] == "2025-03-09"
    assert first.declared["outlet"] == "Valtoria Ledger"
    assert first.declared["url"] == "https://ledger.example/2025/03/09/old-quay-bridge"


def test_each_document_keeps_its_line_as_the_original():
    lines = JSONL.read_bytes().splitlines()
    assert [d.content for d in read_all(str(JSONL))] == lines


def test_external_id_is_kept_on_the_stored_article(store):
    api.ingest([str(JSONL)], store)
    assert store.article("hd-0003").title == "School in Port Avel wins national robotics prize"


def test_html_in_the_text_field_becomes_paragraphs():
    second = read_all(str(JSONL))[1]
    paragraphs = second.declared["text"].split("\n\n")
    assert paragraphs[0].startswith("The weather service lifted its storm warning")
    assert paragraphs[1].startswith("About 3,000 homes")
    assert "<p>" not in second.declared["text"]


def test_field_mapping_reads_other_names_and_nested_keys(tmp_path):
    path = tmp_path / "custom.jsonl"
    row = {"uid": 7, "headline": GOOD["title"], "body": GOOD["text"], "meta": {"date": "2025-02-20"}}
    path.write_text(json.dumps(row) + "\n")
    fields = {**DEFAULT_JSONL_FIELDS, "id": "uid", "title": "headline", "text": "body", "published": "meta.date"}
    doc = read_all(str(path), jsonl_fields=fields)[0]
    assert doc.declared["title"] == GOOD["title"] and doc.declared["published"] == "2025-02-20"
    assert doc.declared["external_id"] == 7


def test_malformed_lines_are_reported_by_number_and_the_others_ingested(store, tmp_path):
    path = tmp_path / "mixed.jsonl"
    good2 = {**GOOD, "id": "x-2", "title": "Second", "text": GOOD["text"] + " Work starts in April."}
    path.write_text(json.dumps(GOOD) + "\n" + '{"id": "x-broken", "title": "oops", \n' + "[1, 2]\n" + json.dumps(good2) + "\n")
    report = api.ingest([str(path)], store)
    assert len(report.ingested) == 2
    reasons = {f.location: f.reason for f in report.failed}
    assert set(reasons) == {f"{path}:2", f"{path}:3"}
    assert "malformed JSON" in reasons[f"{path}:2"]
    assert "expected a JSON object" in reasons[f"{path}:3"]


def test_line_with_neither_text_nor_title_is_a_failure_naming_the_line(tmp_path):
    path = tmp_path / "empty-text.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "x-3", "title": "", "text": "  "}) + "\n")
    items = read_all(str(path))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[1], ReadFailure) and items[1].location == f"{path}:2"
    assert "'text' and 'title' are missing or empty" in items[1].reason


@pytest.mark.parametrize("text", [None, "  ", "<p></p>"], ids=["no-text", "blank", "markup-only"])
def test_line_with_a_title_and_no_text_is_a_headline(tmp_path, text):
    record = {"id": "h-1", "title": "Harbour authority raises ferry fares by 8 percent"}
    if text is not None:
        record["text"] = text
    path = tmp_path / "headlines.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (doc,) = read_all(str(path))
    assert isinstance(doc, RawDocument)
    assert doc.declared["headline_only"] is True and doc.declared["text"] == ""


def test_gzipped_jsonl_is_read(tmp_path):
    path = tmp_path / "articles.jsonl.gz"
    path.write_bytes(gzip.compress(JSONL.read_bytes()))
    docs = read_all(str(path))
    assert [d.declared["external_id"] for d in docs] == ["vl-0001", "nw-0002", "hd-0003"]


def test_truncated_gzip_keeps_the_lines_before_the_cut(tmp_path):
    rows = [json.dumps({**GOOD, "id": f"x-{i}", "text": GOOD["text"] + f" Note {i}." + " pad" * 200}) for i in range(50)]
    whole = gzip.compress(("\n".join(rows) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    items = read_all(str(path))
    assert sum(isinstance(i, RawDocument) for i in items) > 10
    assert isinstance(items[-1], ReadFailure) and "truncated or corrupt" in items[-1].reason


def test_a_cp1252_line_in_a_utf8_file_is_decoded(tmp_path):
    path = tmp_path / "mixed-encoding.jsonl"
    legacy = json.dumps({**GOOD, "id": "x-9", "title": "Caf\u00e9 closes"}, ensure_ascii=False).encode("cp1252")
    path.write_bytes(json.dumps(GOOD, ensure_ascii=False).encode("utf-8") + b"\n" + legacy + b"\n")
    docs = read_all(str(path))
    assert docs[1].declared["title"] == "Caf\u00e9 closes"


def test_empty_jsonl_file_is_a_failure(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n")
    assert [type(i) for i in read_all(str(path))] == [ReadFailure]
    assert "empty file" in read_all(str(path))[0].reason


def test_reingesting_jsonl_changes_nothing(store):
    api.ingest([str(JSONL)], store)
    again = api.ingest([str(JSONL)], store)
    assert again.ingested == [] and again.unchanged == 3


def test_cli_reports_the_bad_line_and_exits_non_zero(run_cli, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps(GOOD) + "\nnot json at all\n")
    result = run_cli("ingest", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: malformed JSON" in result.output
    assert "ingested 1" in result.output


def test_cli_field_option_maps_the_text_field(run_cli, tmp_path):
    path = tmp_path / "body.jsonl"
    path.write_text(json.dumps({"id": "b-1", "title": GOOD["title"], "body": GOOD["text"]}) + "\n")
    result = run_cli("ingest", "--field", "text=body", str(path))
    assert result.exit_code == 0, result.output
    assert "ingested 1" in result.output


def test_binary_file_named_jsonl_is_one_failure(tmp_path):
    path = tmp_path / "photo.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (failure,) = read_all(str(path))
    assert failure.location == str(path) and "binary file" in failure.reason


def test_utf16_jsonl_gets_a_clear_error(tmp_path):
    path = tmp_path / "utf16.jsonl"
    path.write_bytes((json.dumps(GOOD) + "\n").encode("utf-16"))
    (failure,) = read_all(str(path))
    assert "JSON Lines must be UTF-8" in failure.reason


def test_overlong_line_fails_alone(tmp_path, monkeypatch):
    from newsfuse.ingest import jsonl

    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({**GOOD, "text": "word " * 5000}) + "\n" + json.dumps(GOOD) + "\n")
    items = read_all(str(path))
    assert isinstance(items[0], ReadFailure) and items[0].location == f"{path}:1" and "byte limit" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].location == f"{path}:2"


def test_json_array_file_gets_a_clear_error(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([GOOD, GOOD], indent=2))
    (failure,) = read_all(str(path))
    assert failure.location == str(path) and "a JSON array, not JSON Lines" in failure.reason


@pytest.mark.parametrize("value, kind", [({"body": "text"}, "a JSON object"), (True, "the boolean true"),
                                          (42, "the number 42"), (["a", 1], "a list that is not all strings")])
def test_a_text_field_that_is_not_text_is_refused(tmp_path, value, kind):
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({**GOOD, "text": value}) + "\n" + json.dumps(GOOD) + "\n")
    failure, good = read_all(str(path))
    assert isinstance(failure, ReadFailure) and failure.location == f"{path}:1"
    assert f"field 'text' holds {kind}, not text" in failure.reason
    assert isinstance(good, RawDocument)


def test_a_text_field_holding_a_list_of_paragraphs_is_read(tmp_path):
    path = tmp_path / "list.jsonl"
    path.write_text(json.dumps({**GOOD, "text": ["First paragraph of the story.", "Second one."]}) + "\n")
    (doc,) = read_all(str(path))
    assert doc.declared["text"] == "First paragraph of the story.\n\nSecond one."


def test_a_gzip_of_newlines_is_stopped_at_its_expansion_limit(tmp_path):
    import time

    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write((json.dumps(GOOD) + "\n").encode())
        for _ in range(300):  # 300 MiB of newlines in about 300 KB
            handle.write(b"\n" * (1 << 20))
    started = time.monotonic()
    doc, failure = read_all(str(path))
    assert isinstance(doc, RawDocument) and doc.location == f"{path}:1"
    assert isinstance(failure, ReadFailure) and "decompresses to over 200,000,000 bytes" in failure.reason
    assert time.monotonic() - started < 120  # was: minutes, with nothing stored


def test_line_numbers_survive_blank_runs_and_blocks(tmp_path):
    path = tmp_path / "gaps.jsonl"
    path.write_bytes((json.dumps(GOOD) + "\n").encode() + b"\n" * 3_000_000 + b"  \r\n" + b"{oops\n"
                     + (json.dumps(GOOD) + "\n").encode())
    first, bad, last = read_all(str(path))
    assert (first.location, bad.location, last.location) == (f"{path}:1", f"{path}:3000003", f"{path}:3000004")
