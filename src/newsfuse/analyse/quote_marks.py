"""Direct quotations by their marks: straight, curly and guillemet quotes, split and multi-paragraph ones."""

from __future__ import annotations

OPEN_CLOSE = {"“": "”", '"': '"', "«": "»", "„": "“"}
# Scraped text often mixes curly and straight marks ("“ If they restart ..., " Trump said"): a quotation
# opened by a curly mark whose own closing mark is not in its paragraph closes at a straight one. Without this the straight mark
# opens a "quotation" of the narrative after it.
MIXED_CLOSE = {"”": '"'}


def find_direct_spans(text: str, paragraph_starts: list[int]) -> list[tuple[int, int]]:
    """Inner spans of quotations; a paragraph that ends inside a quote continues when the next opens one."""
    spans: list[tuple[int, int]] = []
    ends = paragraph_starts[1:] + [len(text)]
    p, pos = 0, 0
    while p < len(paragraph_starts):
        start, end = max(pos, paragraph_starts[p]), ends[p]
        match = _next_open(text, start, end)
        if match is None:
            p, pos = p + 1, 0
            continue
        opener = match
        closer = OPEN_CLOSE[text[opener]]
        close, q = _find_close(text, opener + 1, end, closer), p
        if close is None and closer in MIXED_CLOSE:
            close = _find_close(text, opener + 1, end, MIXED_CLOSE[closer])
        while close is None and q + 1 < len(paragraph_starts) and text[paragraph_starts[q + 1]:paragraph_starts[q + 1] + 1] == text[opener]:
            q += 1  # multi-paragraph quote: the next paragraph re-opens it
            close = _find_close(text, paragraph_starts[q] + 1, ends[q], closer)
        if close is None:
            pos = opener + 1
            continue
        spans.append((opener + 1, close))
        if q != p:
            p = q
        pos = close + 1
    return spans


def _next_open(text: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        c = text[i]
        if c in ("“", "«", "„"):
            return i
        if c == '"' and (i == 0 or not text[i - 1].isalnum()):
            return i
    return None


def _find_close(text: str, start: int, end: int, closer: str) -> int | None:
    i = text.find(closer, start, end)
    return i if i >= 0 else None
