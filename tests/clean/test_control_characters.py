"""Control characters (a NUL, terminal escape codes) are removed at cleaning from every field, and logged."""

from __future__ import annotations

from newsfuse.clean import clean_document
from newsfuse.models import RawDocument

TEXT = ("The harbour council\x00 approved the new ferry timetable on Monday after a long debate.\n\n"
        "Council leader Ana Ruiz said the \x1b[31mchange\x1b[0m would add two crossings a day.\x0cThe plan "
        "takes effect in April, officials said.")


def test_control_characters_are_removed_from_every_field_and_logged():
    raw = RawDocument("jsonl", "feed.jsonl:1", TEXT.encode(), {
        "text": TEXT, "title": "Council\x00 backs \x1b]8;;http://evil.example\x07ferry timetable",
        "outlet": "Harbour\x00 Daily", "author": "Ana\x1b Ruiz", "url": "https://harbour.example/ferry\x00",
    })
    article = clean_document(raw).article
    stored = [article.title, article.text, article.outlet or "", article.author or "", article.url or "",
              *article.paragraphs]
    assert not any(c in field for field in stored for c in "\x00\x1b\x07\x0c")
    assert article.title == "Council backs ]8;;http://evil.exampleferry timetable"
    assert "two crossings a day.\n\nThe plan" in article.text  # the form feed broke the line
    (log,) = [r for r in article.removals if r.reason == "control-characters"]
    assert log.text == "4 × U+0000, 1 × U+0007, 1 × U+000C, 4 × U+001B"


def test_text_without_control_characters_logs_nothing():
    text = "The council approved the new ferry timetable on Monday.\n\nIt takes effect in April, officials said."
    raw = RawDocument("text", "plain.txt", text.encode(), {"text": text, "title": "Council backs timetable"})
    assert not [r for r in clean_document(raw).article.removals if r.reason == "control-characters"]
