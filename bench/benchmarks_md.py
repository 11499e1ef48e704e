"""Write one `## ` section of BENCHMARKS.md, leaving every other section as it is."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def put_section(body: str, path: Path = BENCHMARKS) -> None:
    """Replace the section whose heading is `body`'s first line (up to the next `## ` heading) by `body`,
    or add `body` at the end when there is no such section yet."""
    heading = body.split("\n", 1)[0]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = body.rstrip("\n") + "\n"
    start = text.find(heading + "\n") if not text.startswith(heading + "\n") else 0
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")
        return
    end = text.find("\n## ", start + len(heading))
    rest = "" if end < 0 else "\n" + text[end + 1:]
    path.write_text(text[:start] + block + rest, encoding="utf-8")
