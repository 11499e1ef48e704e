"""How an article's outlet is named to a reader: the label cleaning gives it, and the same label inside a sentence."""

from __future__ import annotations

import re

UNKNOWN = "unknown outlet"
_UNKNOWN_WITH_HOST = re.compile(rf"{UNKNOWN} \((.+)\)")


def unknown_label(host: str | None) -> str:
    """The label of an outlet known only by its URL's host ("unknown outlet (x.com)"), or by nothing."""
    return f"{UNKNOWN} ({host})" if host else UNKNOWN


def prose_name(label: str) -> str:
    """A label as it reads inside a summary sentence: "unknown outlet (x.com)" is written "x.com" ("Only x.com
    reports: ..."), a name the reader can look up; every other label is itself."""
    match = _UNKNOWN_WITH_HOST.fullmatch(label)
    return match.group(1) if match else label
