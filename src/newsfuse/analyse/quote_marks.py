"""Direct quotations by their marks: straight, curly and guillemet quotes, split and multi-paragraph ones."""

from __future__ import annotations

from dataclasses import dataclass

OPEN_CLOSE = {"“": "”", '"': '"', "«": "»", "„": "“"}
# Scraped text often mixes curly and straight marks ("“ If they restart ..., " Trump said"): a quotation
# opened by a curly mark whose own closing mark is not in its paragraph closes at a straight one. Without this the straight mark
# opens a "quotation" of the narrative after it.
MIXED_CLOSE = {"”": '"'}
DOUBLE_MARKS = frozenset('"“”«»„')
# Text delivered one sentence a line (NewsWCL50's articles, sentence-split feeds) breaks a quotation of several
# sentences over "paragraphs" that do not re-open it ('" The plan is done.\n\nIt works.\n\nIt is cheap, " she
# said.'). A quotation left open at a paragraph's end runs on over at most this many paragraphs without a
# quotation mark, to the first mark, when that mark can only be its closing one. Without this the opening mark
# was dropped and the closing one opened a "quotation" of the narrative after it ('" she said. … " Next …').
MAX_UNMARKED_PARAGRAPHS = 8
UNDECIDED = (-1, -1)  # _close_after: the marks do not tell where the quotation ends


def find_direct_spans(text: str, paragraph_starts: list[int]) -> list[tuple[int, int]]:
    """Inner spans of quotations; a paragraph that ends inside a quote continues when the next opens one."""
    spans: list[tuple[int, int]] = []
    ends = paragraph_starts[1:] + [len(text)]
    known: dict[tuple[int, str], tuple[int, int] | None] = {}  # _close_after's answers for this text
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
        if close is None:
            after = _close_after(text, paragraph_starts, ends, p, text[opener], known)
            close, q = after if after is not None and after != UNDECIDED else (None, p)
        if close is None:
            pos = opener + 1
            continue
        spans.append((opener + 1, close))
        p = q
        pos = close + 1
    return spans


def _close_after(text: str, starts: list[int], ends: list[int], p: int, opener: str,
                 known: dict[tuple[int, str], tuple[int, int] | None] | None = None) -> tuple[int, int] | None:
    """(closing mark, its paragraph) of a quotation left open at the end of paragraph p, None where it does not
    close, UNDECIDED where the marks do not tell.

    A paragraph that re-opens it with the same mark continues it (a multi-paragraph quotation). A paragraph
    without any quotation mark continues it (up to MAX_UNMARKED_PARAGRAPHS of them). Any other paragraph ends
    the search: its first mark closes the quotation only if it can be nothing else (see `_closes_here`).

    Where a re-opening paragraph's reading depends on the quotation open at its own end, that answer is found
    first, walking the chain of such paragraphs in a loop (not by recursion: a text of a thousand lines that
    each open with a straight mark would exceed Python's stack), and `known` keeps each paragraph's answer
    for the other quotations of the same text, so the walk is done once."""
    known = {} if known is None else known
    chain: list[tuple[int, int, int, int | None]] = []  # (paragraph, re-opening paragraph, its start, close)
    at = p
    while (at, opener) not in known:
        step = _scan_after(text, starts, ends, at, opener)
        if not isinstance(step, _Reopens):
            known[(at, opener)] = step
            break
        chain.append((at, step.paragraph, step.start, step.close))
        at = step.paragraph
    answer = known[(at, opener)]
    for at, q, start, close in reversed(chain):
        answer = _reading_of_reopening(answer, q, start, close)
        known[(at, opener)] = answer
    return answer


@dataclass(frozen=True)
class _Reopens:
    """Paragraph `paragraph` opens with the quotation's straight mark and holds an odd count of them: whether it
    re-opens the quotation or closes it depends on the quotation open at its own end."""
    paragraph: int
    start: int
    close: int | None  # a closing mark inside the paragraph after its opening one


def _reading_of_reopening(reopened: tuple[int, int] | None, q: int, start: int,
                          close: int | None) -> tuple[int, int] | None:
    """An odd re-opening paragraph q: either it re-opens the quotation, which then runs on past it, or (text
    split after a sentence's full stop) the mark that closes the quotation landed at the start of the next
    "paragraph" ('… the regional influence.\n\n" Mr. Macron said …'). Re-opening holds only where the
    quotation open at q's end (`reopened`) closes later."""
    if reopened is None:
        return start, q
    if reopened == UNDECIDED:
        return UNDECIDED if close is None else (close, q)
    return reopened if close is None else (close, q)


def _scan_after(text: str, starts: list[int], ends: list[int], p: int,
                opener: str) -> tuple[int, int] | None | _Reopens:
    """_close_after's reading of the paragraphs after p, up to the first that decides or defers (_Reopens)."""
    closer = OPEN_CLOSE[opener]
    unmarked = 0
    for q in range(p + 1, len(starts)):
        start, end = starts[q], ends[q]
        # A paragraph re-opens the quotation only straight after one that held it: text that runs a quotation
        # over paragraphs without marks does not re-open it either.
        if text[start:start + 1] == opener and not unmarked:
            close = _find_close(text, start + 1, end, closer)
            if opener == '"' and _marks(text, start, end) % 2:
                return _Reopens(q, start, close)
            if close is not None:
                return close, q
            continue
        first = next((i for i in range(start, end) if text[i] in DOUBLE_MARKS), None)
        if first is None:
            unmarked += 1
            if unmarked > MAX_UNMARKED_PARAGRAPHS:
                return None
            continue
        if opener == '"' and text[first] != '"':
            # A curly mark inside a straight-marked quotation may open a quotation within it: where this one
            # ends is not read from it.
            return UNDECIDED
        return (first, q) if _closes_here(text, first, start, end, opener) else None
    return None


def _closes_here(text: str, mark: int, start: int, end: int, opener: str) -> bool:
    """The first quotation mark of a paragraph that did not re-open an open quotation is its closing mark:
    a curly closing mark, or a straight one that leaves an even number after it in the paragraph (so the
    paragraph's own quotations pair up) and that ends a clause ('..., " she said'; '...) " Then ...'),
    never one that starts the paragraph."""
    c = text[mark]
    if c == OPEN_CLOSE[opener] and c != '"':
        return True
    if c != '"' or mark == start or not (opener == '"' or MIXED_CLOSE.get(OPEN_CLOSE[opener]) == '"'):
        return False
    if _marks(text, start, end) % 2 == 0:
        return False
    before = mark
    while before > start and text[before - 1] in " \xa0'’)]":
        before -= 1
    return before > start and text[before - 1] in ",.?!"


def _marks(text: str, start: int, end: int) -> int:
    return text.count('"', start, end)


def _next_open(text: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        c = text[i]
        if c in ("“", "«", "„"):
            return i
        if c == '"' and (i == 0 or not text[i - 1].isalnum()) and text[i + 1:end].strip():
            return i  # (a straight mark that ends its paragraph closes a quotation; it opens none)
    return None


def _find_close(text: str, start: int, end: int, closer: str) -> int | None:
    i = text.find(closer, start, end)
    return i if i >= 0 else None
