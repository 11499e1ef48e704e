"""Options every reader accepts, in one record."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_JSONL_FIELDS = {
    "id": "id", "title": "title", "text": "text", "published": "published", "outlet": "outlet", "url": "url",
}


@dataclass(frozen=True)
class ReadOptions:
    outlet: str | None = None  # --outlet: used when the source itself names none; wins over anything inferred
    outlets_file: str | None = None  # the user's outlet registry (setting `outlets`), extending the shipped one
    follow_links: bool = False  # fetch feed entries that carry only a link
    allow_private: bool = False  # fetch private/loopback/link-local addresses
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 20_000_000
    max_file_bytes: int = 200_000_000
    jsonl_fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_JSONL_FIELDS))
