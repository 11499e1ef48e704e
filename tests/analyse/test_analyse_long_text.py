"""Over-long paragraphs: parsed in pieces cut at sentence ends, so analysis stays linear in the text."""

from __future__ import annotations

import random
import time

import pytest

from newsfuse.analyse.sentences import MAX_PARSE_CHARS, parse_pieces
from newsfuse.models import Article

WORDS = ("the council said on Tuesday that the ferry to the island would stop because the harbour bridge needs "
         "repairs and the mayor told reporters the cost was higher than expected").split()


def long_paragraph(chars: int, seed: int = 3) -> str:
    """Project-written sentences (some quoted, with a speaker) run together into one paragraph."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."
        if rng.random() < 0.1:
            sentence = f'"{sentence}" said Dana Whitfield.'
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)[:chars]


def test_a_normal_paragraph_is_one_piece():
    text = long_paragraph(5_000)
    assert parse_pieces(text, 40) == [(40, text)]


def test_an_over_long_paragraph_is_cut_after_sentence_ends_and_keeps_its_offsets():
    text = long_paragraph(3 * MAX_PARSE_CHARS + 123)
    pieces = parse_pieces(text, 1000)
    assert len(pieces) == 4 and all(len(piece) <= MAX_PARSE_CHARS for _, piece in pieces)
    assert "".join(piece for _, piece in pieces) == text
    for offset, piece in pieces:
        assert text[offset - 1000:offset - 1000 + len(piece)] == piece
    assert all(piece.rstrip().endswith((".", '"')) for _, piece in pieces[:-1])


def test_a_paragraph_without_any_break_is_cut_anyway():
    text = "x" * (MAX_PARSE_CHARS * 2 + 5)
    assert [len(piece) for _, piece in parse_pieces(text, 0)] == [MAX_PARSE_CHARS, MAX_PARSE_CHARS, 5]


@pytest.mark.slow
def test_a_one_million_character_paragraph_is_analysed():
    """It did not finish in 400 s (80,000 characters took 34 s and 828 MB): now pieces of 20,000 characters
    each, with linear passes over each. The rules alone (the tagger's MiniLM windows are linear too, but slow)."""
    from newsfuse.analyse import analyse_article

    text = long_paragraph(1_000_000)
    article = Article(id="long", title="A long one", text=text, paragraphs=(text,), outlet="Test",
                      outlet_found_by="flag", published="2025-03-12", published_found_by="flag", language="en")
    started = time.monotonic()
    analysis = analyse_article(article, "off")
    assert time.monotonic() - started < 1800  # a hang guard, not a speed test (bench/reliability.py times it)
    assert len(analysis.sentences) > 8_000
    assert all(text[s.start:s.end] == s.text for s in analysis.sentences)
    assert analysis.sentences[-1].end > 990_000
    assert any(q.speaker and "Whitfield" in q.speaker for q in analysis.quotes)
