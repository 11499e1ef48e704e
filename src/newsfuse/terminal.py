"""Terminal output for the CLI: stored text shown safely (no markup, control characters escaped), tables, progress."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text

# Markup, emoji codes and highlighting off: stored text such as "[/y]Times" or "[link=…]" is data, never markup.
console = Console(soft_wrap=True, markup=False, emoji=False, highlight=False)
err_console = Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)
# Control characters (ESC starts terminal escape sequences; C1 0x9b is CSI on some terminals) and
# bidirectional overrides in stored text are shown as escapes, never sent to the terminal as they are.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Stored text made safe for a terminal: control and bidi characters shown as \\x.. / \\u.... escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def say(text: str, style: str | None = None) -> None:
    """Print one line (or block) of output whose stored parts are shown visibly."""
    console.print(visible(text), style=style)


def complain(label: str, text: str) -> None:
    """Print `label` in red, then `text`, on stderr."""
    err_console.print(Text.assemble((label, "red"), " ", visible(text)))


# A word longer than this (a URL, a run of letters) may be folded in a table rather than widen its column.
WORD_WIDTH_CAP = 24


def data_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], whole: Sequence[str] = ("id",)) -> Table:
    """A table of stored values: each cell shown visibly; `whole` columns (ids) never wrapped nor cut.

    Other columns wrap at word boundaries when the terminal is narrow, so outlet names stay whole too.
    """
    cells = [[visible("" if value is None else str(value)) for value in row] for row in rows]
    columns = []
    for i, header in enumerate(headers):
        if header in whole:
            width = max([len(header), *(len(row[i]) for row in cells)])
            columns.append(Column(header, no_wrap=True, min_width=width))
        else:  # as wide as its longest word (within reason), so that wrapping happens between words
            word = max([len(header), *(len(w) for row in cells for w in row[i].split())])
            columns.append(Column(header, overflow="fold", min_width=min(word, WORD_WIDTH_CAP)))
    table = Table(*columns)
    for row in cells:
        table.add_row(*row)
    return table


def with_progress(label: str, quiet: bool, work: Callable[[Callable[[Any], None]], Any]) -> Any:
    """Run `work(tick)` under a progress bar that advances once per tick (hidden with --json or no terminal)."""
    with progress_bar(quiet) as progress:
        task = progress.add_task(label, total=None)
        return work(lambda _item: progress.advance(task))


def progress_bar(quiet: bool) -> Progress:
    """A progress bar on stderr, hidden when `quiet` (--json) or when stderr is not a terminal."""
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, disable=quiet or not err_console.is_terminal, transient=True,
    )
