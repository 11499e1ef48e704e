"""Read the words a source span points to: into an article's text, or into its title (a headline's span)."""

from __future__ import annotations

# SourceSpan.part / Mention.part values: where a span's character offsets point.
TEXT_PART = "text"
TITLE_PART = "title"


def part_text(title: str, text: str, part: str, start: int, end: int) -> str:
    """The words of a span: offsets into `title` when `part` is "title", into `text` otherwise."""
    return (title if part == TITLE_PART else text)[start:end]
