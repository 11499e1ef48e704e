"""What the CLI prints: stored text shown as text (never markup or escape codes), whole ids, clear edges."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from newsfuse import api
from newsfuse.models import Article, Entity, SourceRecord
from newsfuse.store.sqlite import sha256_hex

# Rich markup, a terminal hyperlink and escape sequences (colour, OSC 8 link, bell), as a hostile feed may send.
MARKUP_TITLE = "[/y]Times [link=http://evil.example]click here[/link] of the harbour"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \u202eevil"
OUTLET = "[bold]Harbour[/bold] Daily Gazette International"


def hostile_article(i: int, title: str, text: str) -> Article:
    paragraphs = (text, "The harbour council met on Tuesday to discuss the ferry timetable and the bridge.")
    return Article(id=f"{i:016x}", title=title, text="\n\n".join(paragraphs), paragraphs=paragraphs, outlet=OUTLET,
                   outlet_found_by="field", published="2025-03-12", published_found_by="field", language="en",
                   url="http://evil.example/[/y]")


@pytest.fixture
def hostile_db(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A database whose titles, outlet, text and entity hold markup and escape codes (as stored by an older
    version, or written by another program: the cleaner removes control characters on the way in)."""
    db = str(tmp_path / "hostile.sqlite")
    with api.open_db(db) as store:
        texts = [f"{MARKUP_TITLE} harbour ferry bridge {ESCAPES}", f"Harbour ferry bridge council [/y]Times {ESCAPES}"]
        articles = [hostile_article(i, f"{MARKUP_TITLE} {ESCAPES}", text) for i, text in enumerate(texts)]
        for article in articles:
            content = article.text.encode()
            store.add_article(article, SourceRecord("jsonl", f"hostile.jsonl:{article.id}", sha256_hex(content), {}), content)
        api.cluster(store)
        entity = Entity(id="e1", name="[/y]Times", type="ORG", aliases=(f"[link=http://evil.example]T{ESCAPES}",),
                        evidence=("[red]evidence[/red]",), article_ids=tuple(a.id for a in articles), mention_count=2)
        store.replace_entities([entity], [("e1", a.id, "[/y]Times", 0, 9) for a in articles], "linking.test")
    return db


def story_id(run: Any) -> str:
    return json.loads(run("stories", "--json").output)[0]["id"]


@pytest.mark.parametrize("command", [
    ["articles"], ["stories"], ["search", "harbour"], ["article", "0000000000000000"], ["story", "STORY"],
    ["entity", "[/y]Times"], ["entities"],
])
def test_stored_markup_and_escape_codes_print_as_text(hostile_db, command) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsfuse.cli import main

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, ["--db", hostile_db, *args], catch_exceptions=False)

    args = [story_id(run) if a == "STORY" else a for a in command]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "[/y]Times" in result.output  # shown as written, not parsed (it used to raise MarkupError)
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    if command[0] in ("article", "search"):
        assert "\\x1b[31mred" in result.output and "\\u202e" in result.output  # visible, not obeyed


def test_errors_quoting_stored_text_are_not_markup(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("article", "[/y]nothing")
    assert result.exit_code == 1 and "no article '[/y]nothing'" in result.output


def test_tables_keep_ids_and_outlet_names_whole(hostile_db) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsfuse.cli import main

    run = CliRunner().invoke
    listing = run(main, ["--db", hostile_db, "articles"], env={"COLUMNS": "100"}).output
    assert "0000000000000000" in listing and "0000000000000001" in listing
    stories = run(main, ["--db", hostile_db, "stories"], env={"COLUMNS": "100"}).output
    sid = json.loads(run(main, ["--db", hostile_db, "stories", "--json"]).output)[0]["id"]
    assert sid in stories
    for word in ("Harbour[/bold]", "International"):
        assert word in stories


@pytest.mark.parametrize("command", ["articles", "stories"])
@pytest.mark.parametrize("bound, value", [("--since", "notadate"), ("--until", "2025-13-01"), ("--since", "2025")])
def test_dates_are_checked(run_cli, command, bound, value) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(command, bound, value)
    assert result.exit_code == 1
    assert f"{bound[2:]} {value!r} is not a date: use YYYY-MM-DD" in result.output


def test_db_is_taken_after_the_command_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsfuse.cli import main

    db = tmp_path / "after.sqlite"
    result = CliRunner().invoke(main, ["articles", "--db", str(db), "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == [] and db.exists()


def test_serve_on_a_busy_port_fails_before_saying_it_serves(run_cli) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "another --port" in result.output
    assert "serving" not in result.output


def test_report_needs_a_format_or_a_file(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("report", "anything")
    assert result.exit_code == 2
    assert "say which --format to print (json, md or html), or give --out FILE" in result.output
    assert "<html" not in result.output


@pytest.mark.parametrize("wildcard", ["%", "_", "%Times%"])
def test_the_entity_filter_takes_wildcards_literally(hostile_db, wildcard) -> None:  # type: ignore[no-untyped-def]
    with api.open_db(hostile_db) as store:
        assert api.list_stories(store) and api.list_stories(store, entity=wildcard) == []
