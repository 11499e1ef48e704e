"""How a piece of a quotation reads with its speaker: "Name: “words”", the quotation marks the piece cut open put right."""

from __future__ import annotations

import re

_EDGE_MARKS = re.compile(r'^[\s"“”]+|[\s"“”]+$')
_MARKS = re.compile(r'["“”]')


def shown_cue(cue: str | None) -> str:
    """The cue a report shows beside reported speech: the words that frame it ("said", "denied"), "" when the
    cue holds no word (a headline's "Report: ..." gives ":"), which would read as "reported speech: :"."""
    cue = " ".join((cue or "").split())
    return cue if any(ch.isalpha() for ch in cue) else ""


def has_inner_marks(words: str) -> bool:
    """Whether quotation marks stand inside the words, not only at their edges."""
    return bool(_MARKS.search(_EDGE_MARKS.sub("", words)))


def with_speaker(words: str, speaker: str) -> str:
    """The words as a quotation of the speaker; the words alone when no one is named. A sentence of a longer
    quotation carries one stray mark (`" The deal is terrible.` / `It was never made. "`): the marks at its
    edges give way to one pair around the whole, and marks inside it stay."""
    if not speaker:
        return words
    return f"{speaker}: “{_EDGE_MARKS.sub('', words)}”"
