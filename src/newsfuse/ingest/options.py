"""Options every reader accepts, in one record."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsfuse.settings import DEFAULTS, Settings

DEFAULT_JSONL_FIELDS = {
    "id": "id", "title": "title", "text": "text", "published": "published", "outlet": "outlet", "url": "url",
}


@dataclass(frozen=True)
class ReadOptions:
    outlet: str | None = None  # --outlet: used when the source itself names none; wins over anything inferred
    outlets_file: str | None = None  # the user's outlet registry (setting `outlets`), extending the shipped one
    follow_links: bool = False  # fetch feed entries that carry only a link
    # The limits below are settings: their defaults live once, in newsfuse.settings.
    allow_private: bool = DEFAULTS.allow_private  # fetch private/loopback/link-local addresses
    fetch_timeout: float = DEFAULTS.fetch_timeout
    fetch_max_bytes: int = DEFAULTS.fetch_max_bytes
    max_file_bytes: int = DEFAULTS.max_file_bytes
    jsonl_fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_JSONL_FIELDS))

    @classmethod
    def from_settings(cls, settings: Settings, **options: object) -> ReadOptions:
        """Reader options carrying the fetch and file limits and the outlet registry of `settings`, plus
        per-run `options`."""
        limits = {name: getattr(settings, name)
                  for name in ("allow_private", "fetch_timeout", "fetch_max_bytes", "max_file_bytes")}
        return cls(**{**limits, "outlets_file": settings.outlets, **options})  # type: ignore[arg-type]
