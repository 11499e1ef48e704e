"""One table of settings: defaults, help text, and where each comes from (flag > env > TOML > default)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "NEWSFUSE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", None, "SQLite database file (default: newsfuse.sqlite in the user data directory)"),
    Setting("config", None, "TOML file with any of these settings (default: newsfuse.toml in the user config directory)"),
    Setting("workers", 1, "processes for the per-article stages"),
    Setting("threads", 0, "threads per worker process in numeric libraries; 0: the cores shared out among the workers"),
    Setting("engine", "local", "engine for `run --shards`: local (a process pool) or ray (Ray Data, extra newsfuse[ray])"),
    Setting("shards", None, "directory for `run`'s shards: split inputs, per-shard Parquet outputs, completion markers"),
    Setting("shard_size", 200, "input units per shard: files, or documents of JSONL inputs"),
    Setting("ray_address", None, "an existing Ray cluster for the ray engine (e.g. ray://head:10001); default: a local Ray"),
    Setting("fetch_timeout", 20.0, "seconds before a URL fetch gives up"),
    Setting("fetch_max_bytes", 20_000_000, "largest response body a URL fetch accepts"),
    Setting("allow_private", False, "allow fetching private, loopback and link-local addresses"),
    Setting("max_file_bytes", 200_000_000, "largest single input file read whole (WARC files are streamed)"),
    Setting("quote_tagger", None, "attribution tagger weights: a .npz file, or `off` for the rules alone (default: shipped)"),
    Setting("llm_endpoint", None, "OpenAI-compatible endpoint for an optional generative summary"),
    Setting("token", None, "access token the web app requires on every request; required when it listens off loopback"),
    Setting("allowed_hosts", "", "comma-separated Host names the web app answers besides loopback and its bind address"),
    Setting("upload_max_bytes", 20_000_000, "largest upload the web app's add page accepts, all files together"),
    Setting("watch_interval", 300.0, "seconds between polls of watched feeds (newsfuse watch, the add page)"),
    Setting("outlets", None, "TOML file of outlets ([[outlet]] name, hosts, aliases, country, kind, lean) that extends "
            "or overrides the shipped outlet registry"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsfuse")) / "newsfuse.sqlite"


def _config_file(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    from_env = os.environ.get("NEWSFUSE_CONFIG")
    if from_env:
        return Path(from_env)
    from platformdirs import user_config_dir

    candidate = Path(user_config_dir("newsfuse")) / "newsfuse.toml"
    return candidate if candidate.exists() else None


def resolve(flags: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every setting's value: a CLI flag wins over NEWSFUSE_* env, which wins over the TOML file."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    values = {s.name: s.default for s in SETTINGS}
    path = _config_file(flags.get("config"))
    if path is not None:
        try:
            with open(path, "rb") as handle:
                file_values = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            from newsfuse.errors import NewsfuseError

            raise NewsfuseError(f"config file {path}: {exc}") from exc
        values.update({k: v for k, v in file_values.items() if k in _BY_NAME})
    for setting in SETTINGS:
        raw = os.environ.get(setting.env)
        if raw is not None:
            values[setting.name] = _coerce(raw, setting.default)
    values.update({k: v for k, v in flags.items() if k in _BY_NAME})
    if values["db"] is None:
        values["db"] = str(default_db_path())
    return values


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
