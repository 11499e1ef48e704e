"""Write one block of the `## Analysis` section of BENCHMARKS.md, leaving every other section as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
SECTION = "## Analysis"


def write_block(name: str, title: str, body: str, command: str) -> None:
    """Replace (or add) the block `name` inside `## Analysis`, creating the section at the end if needed."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    begin, end = f"<!-- analysis:{name} -->", f"<!-- /analysis:{name} -->"
    block = (f"{begin}\n### {title}\n\n{body.rstrip()}\n\nReproduce: `{command}` "
             f"(run {dt.date.today().isoformat()}).\n{end}")
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    elif SECTION in text:
        start = text.index(SECTION) + len(SECTION)
        nxt = text.find("\n## ", start)
        insert = len(text) if nxt < 0 else nxt
        text = text[:insert].rstrip() + "\n\n" + block + "\n" + text[insert:]
    else:
        text = text.rstrip() + f"\n\n{SECTION}\n\n{block}\n"
    BENCHMARKS.write_text(text, encoding="utf-8")
