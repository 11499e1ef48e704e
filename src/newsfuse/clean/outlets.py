"""The outlet registry: display names, hosts, country, kind and lean of outlets, shipped and user-extended.

The shipped table (`clean/data/outlets.toml`) names well-known outlets. A user's own TOML file of the same
shape (the setting `outlets`) adds outlets and overrides any field of a shipped one (matched by name or by a
host), `lean` included: newsfuse ships no lean of its own.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfuse.errors import NewsfuseError
from newsfuse.text.outlet_names import UNKNOWN, unknown_label

SHIPPED = Path(__file__).parent / "data" / "outlets.toml"
KINDS = ("wire agency", "public broadcaster", "state-owned", "newspaper", "digital", "broadcaster", "magazine")
# Web-archive copies ("web.archive.org/web/20170313014437/https://example.com/a"): the outlet is that of the
# wrapped original, never the archive (GVA corpus: 6,224 of 6,335 URLs are such copies).
ARCHIVE_WRAPPER = re.compile(r"^(?:https?://)?(?:web\.)?archive\.org/web/\d+[a-z_]*/(?P<original>.+)$", re.I)


@dataclass(frozen=True)
class Outlet:
    """One outlet as the registry knows it."""

    name: str
    hosts: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    country: str | None = None
    kind: str | None = None
    lean: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "hosts": list(self.hosts), "country": self.country, "kind": self.kind,
                "lean": self.lean}


class OutletRegistry:
    """Outlets by name, host and short name (case-insensitive); a host matches itself and its subdomains."""

    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.outlets: dict[str, Outlet] = {}
        self._keys: dict[str, str] = {}
        for outlet in outlets:
            self.add(outlet)

    def add(self, outlet: Outlet) -> None:
        """Add an outlet, or override the fields it sets on the one with its name or one of its hosts."""
        existing = self._find_existing(outlet)
        if existing is not None:
            merged = replace(
                existing, name=outlet.name,
                hosts=tuple(dict.fromkeys(existing.hosts + outlet.hosts)),
                aliases=tuple(dict.fromkeys(existing.aliases + outlet.aliases)),
                country=outlet.country or existing.country, kind=outlet.kind or existing.kind,
                lean=outlet.lean or existing.lean,
            )
            self.outlets.pop(existing.name.lower(), None)
            outlet = merged
        self.outlets[outlet.name.lower()] = outlet
        for key in (outlet.name, *outlet.hosts, *outlet.aliases):
            self._keys[_key(key)] = outlet.name.lower()

    def _find_existing(self, outlet: Outlet) -> Outlet | None:
        for key in (outlet.name, *outlet.hosts):
            found = self._keys.get(_key(key))
            if found in self.outlets:
                return self.outlets[found]
        return None

    def __len__(self) -> int:
        return len(self.outlets)

    def knows(self, raw: str) -> bool:
        """True when a name, short name or host (exactly, not a subdomain) is in the registry."""
        return _key(raw) in self._keys

    def lookup(self, raw: str | None) -> Outlet | None:
        """The outlet a name, short name, host or URL names, or None."""
        if not raw:
            return None
        key = _key(raw)
        if "/" in key:
            key = _key(bare_host(raw) or "")
        found = self._keys.get(key)
        if found is None:
            parts = key.split(".")
            for i in range(1, len(parts) - 1):
                found = self._keys.get(".".join(parts[i:]))
                if found:
                    break
        return self.outlets.get(found) if found else None


def _key(raw: str) -> str:
    return " ".join(raw.strip().lower().removeprefix("www.").split())


def _outlet_from_toml(entry: dict[str, Any], where: Path) -> Outlet:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise NewsfuseError(f"outlet registry {where}: every [[outlet]] needs a name (got {entry!r})")
    kind = entry.get("kind")
    if kind is not None and kind not in KINDS:
        raise NewsfuseError(f"outlet registry {where}: {name}: kind {kind!r} is not one of {', '.join(KINDS)}")

    def strings(field: str) -> tuple[str, ...]:
        value = entry.get(field, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise NewsfuseError(f"outlet registry {where}: {name}: {field} must be a list of strings")
        return tuple(v.strip().lower().removeprefix("www.") for v in value if v.strip())

    return Outlet(name=name.strip(), hosts=strings("hosts"), aliases=strings("aliases"),
                  country=entry.get("country"), kind=kind, lean=entry.get("lean"))


def _read(path: Path) -> list[Outlet]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NewsfuseError(f"outlet registry {path}: {exc}. Fix the file or unset the `outlets` setting.") from exc
    entries = data.get("outlet", [])
    if not isinstance(entries, list):
        raise NewsfuseError(f"outlet registry {path}: expected [[outlet]] tables")
    return [_outlet_from_toml(entry, path) for entry in entries]


@functools.lru_cache(maxsize=8)
def load_registry(user_file: str | None = None) -> OutletRegistry:
    """The shipped registry, extended and overridden by the user's file when one is given (cached per file)."""
    registry = OutletRegistry(_read(SHIPPED))
    if user_file:
        for outlet in _read(Path(user_file)):
            registry.add(outlet)
    return registry


def unwrap_archive(url: str) -> str:
    """The original URL inside a web-archive copy's URL; any other URL unchanged."""
    match = ARCHIVE_WRAPPER.match(url.strip())
    if not match:
        return url
    original = match.group("original")
    return original if re.match(r"^[a-z]+://", original, re.I) else "http://" + original


def bare_host(url: str | None) -> str | None:
    """The host of a URL without "www." (that of the original for a web-archive copy), or None."""
    try:
        host = urlsplit(unwrap_archive(url)).hostname if url else None
    except ValueError:  # a malformed URL names no host
        return None
    return host.removeprefix("www.") if host else None


def outlet_label(outlet: str | None, url: str | None, registry: OutletRegistry | None = None) -> str:
    """What a reader sees for an article's outlet: its name; "unknown outlet (host)" when only the URL's host
    is known (an unregistered host, or no outlet at all); "unknown outlet" when nothing is. Never an id."""
    registry = registry or load_registry()
    host = bare_host(url)
    known = registry.lookup(outlet)
    if known is not None:
        return known.name
    if outlet and not (host and outlet.lower() == host):
        return outlet
    return unknown_label(host)


def coverage(outlets: Iterable[str], registry: OutletRegistry | None = None) -> list[dict[str, Any]]:
    """Each outlet's registry entry (name, country, kind, lean), in the order given; None fields when unknown."""
    registry = registry or load_registry()
    out = []
    for name in dict.fromkeys(outlets):
        known = registry.lookup(name)
        out.append({"outlet": name, "country": known.country if known else None,
                    "kind": known.kind if known else None, "lean": known.lean if known else None})
    return out


def outlet_labels(articles: Iterable[tuple[str, str | None, str | None]],
                  registry: OutletRegistry | None = None) -> dict[str, str]:
    """article id -> outlet label for the (id, outlet, url) of one story's articles. Articles with nothing to
    name their outlet by are numbered ("unknown outlet 1", "unknown outlet 2"): nothing says they share one."""
    items = list(articles)
    labels = {article_id: outlet_label(outlet, url, registry) for article_id, outlet, url in items}
    nameless = [article_id for article_id, label in labels.items() if label == UNKNOWN]
    if len(nameless) > 1:
        for number, article_id in enumerate(nameless, start=1):
            labels[article_id] = f"{UNKNOWN} {number}"
    return labels
