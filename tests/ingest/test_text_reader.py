"""Plain-text articles: the seed header, encodings (cp1252, mixed, UTF-16), empty and binary files."""

from __future__ import annotations

import pytest

from newsfuse.ingest import ReadOptions, read_input
from newsfuse.models import RawDocument, ReadFailure
from tests.conftest import SEED_TASS, SEED_TBS

ARTICLE = ("date 2025-03-12 Caf\u00e9 owners welcome end of dock strike\n"
           "Caf\u00e9 owners near the Port Avel docks said on Wednesday that the end of the strike would save their season.\n"
           "\u201cWe lost half our trade,\u201d said Lu\u00eds Avelar, who runs a bar on the quay.\n")


def only(path: str) -> RawDocument | ReadFailure:
    (item,) = read_input(path, ReadOptions())
    return item


@pytest.mark.seed
def test_seed_header_gives_date_and_title_line():
    doc = only(str(SEED_TBS))
    assert doc.declared["published"] == "2022-08-03" and doc.declared["header"]


@pytest.mark.seed
def test_seed_without_header_is_all_body():
    doc = only(str(SEED_TASS))
    assert "published" not in doc.declared and doc.declared["text"].startswith("All news")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_each_encoding_is_decoded(tmp_path, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    doc = only(str(path))
    assert doc.declared["published"] == "2025-03-12"
    assert "\u201cWe lost half our trade,\u201d said Lu\u00eds Avelar" in doc.declared["text"]


def test_utf8_file_with_a_few_cp1252_lines_keeps_every_character(tmp_path):
    lines = ARTICLE.split("\n")
    raw = "\n".join(lines[:2]).encode("utf-8") + b"\n" + lines[2].encode("cp1252") + b"\n"
    path = tmp_path / "mixed.txt"
    path.write_bytes(raw)
    doc = only(str(path))
    assert "Caf\u00e9 owners near" in doc.declared["text"] and "Lu\u00eds Avelar" in doc.declared["text"]
    assert "\ufffd" not in doc.declared["text"]


@pytest.mark.parametrize(
    ("content", "reason"), [(b"", "empty file"), (b"\n \n", "empty file"), (bytes(range(256)) * 8, "binary file")],
    ids=["empty", "blank", "binary"],
)
def test_unreadable_text_file_is_a_failure(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    failure = only(str(path))
    assert isinstance(failure, ReadFailure) and reason in failure.reason


def test_cli_names_each_bad_file(run_cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(ARTICLE.encode("cp1252"))
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(500))
    result = run_cli("ingest", str(tmp_path))
    assert result.exit_code == 1
    assert f"{binary}: binary file" in result.output and "ingested 1" in result.output


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode(encoding))  # these codecs write no BOM
    doc = only(str(path))
    assert doc.declared["encoding"] == f"{encoding} (no byte-order mark)"


def test_a_one_line_dump_is_refused_at_cleaning_quickly_and_in_little_memory(tmp_path):
    from newsfuse.clean import MAX_TEXT_CHARS, clean_document
    from newsfuse.errors import InputError

    path = tmp_path / "dump.txt"
    path.write_text("harbour ferry council " * (MAX_TEXT_CHARS // 10))  # 2.2 million characters, no line break
    with pytest.raises(InputError, match="over the 1,000,000-character limit of one article"):
        clean_document(only(str(path)))
