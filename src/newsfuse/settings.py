"""Every setting in one table, resolved once (flag > NEWSFUSE_* env > TOML file > default) into a frozen Settings.

The `Settings` dataclass below *is* the table: each field is one setting with its default, help text,
CLI flags and the commands it concerns. Adding a setting means adding one field here; the TOML keys,
the `NEWSFUSE_*` variables, the CLI options, `newsfuse config` and validation all follow from it.
Only `resolve` reads the environment and the config file; everything downstream receives the object.
"""

from __future__ import annotations

import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from newsfuse.errors import SettingsError

# Where a value came from, as `newsfuse config` prints it.
FLAG, ENV, TOML, DEFAULT = "flag", "env", "toml", "default"
ALL_COMMANDS = None  # a setting whose flag every command accepts


def setting(default: Any, help: str, *, flags: tuple[str, ...] = (), commands: tuple[str, ...] | None = ALL_COMMANDS,
            minimum: float | None = None, in_toml: bool = True, metavar: str | None = None) -> Any:
    """One row of the table: a dataclass field carrying its help, flags (none: env and TOML only), the
    commands whose flags include it, and its bounds."""
    meta = {"help": help, "flags": flags, "commands": commands, "minimum": minimum, "in_toml": in_toml,
            "metavar": metavar}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """The effective settings of one run. Build it with `resolve`; pass it down; never edit it."""

    db: str | None = setting(
        None, "SQLite database file (default: newsfuse.sqlite in the user data directory), or a postgresql:// URL",
        flags=("--db",),
        metavar="FILE")
    config: str | None = setting(
        None, "TOML file with any of these settings (default: newsfuse.toml in the user config directory)",
        flags=("--config",), in_toml=False, metavar="FILE")
    workers: int = setting(1, "processes for the per-article stages", flags=("--workers",),
                           commands=("analyse", "run"), minimum=1)
    threads: int = setting(
        0, "threads per worker process in numeric libraries; 0: the cores shared out among the workers",
        flags=("--threads",), commands=("analyse", "run"), minimum=0)
    engine: str = setting(
        "local", "engine for `run --shards`: local (a process pool) or ray (Ray Data, extra newsfuse[ray])",
        flags=("--engine",), commands=("run",))
    shards: str | None = setting(
        None, "directory for `run`'s shards: split inputs, per-shard Parquet outputs, completion markers",
        flags=("--shards",), commands=("run",), metavar="DIR")
    shard_size: int = setting(
        200, "input units per shard: files, or documents of JSONL inputs", flags=("--shard-size",),
        commands=("run",), minimum=1)
    ray_address: str | None = setting(
        None, "an existing Ray cluster for the ray engine (e.g. ray://head:10001); default: a local Ray",
        flags=("--ray-address",), commands=("run",))
    fetch_timeout: float = setting(
        20.0, "seconds a URL fetch may take in all (connect, headers and body)", flags=("--timeout", "--fetch-timeout"),
        commands=("ingest", "run", "watch", "serve"), minimum=0.001)
    fetch_max_bytes: int = setting(
        20_000_000, "largest response body a URL fetch accepts", flags=("--max-bytes", "--fetch-max-bytes"),
        commands=("ingest", "run", "watch", "serve"), minimum=1)
    allow_private: bool = setting(
        False, "allow fetching private, loopback and link-local addresses", flags=("--allow-private",),
        commands=("ingest", "run", "watch", "serve"))
    max_file_bytes: int = setting(
        200_000_000, "largest input file or decompressed stream read (WARC files are streamed record by record)",
        flags=("--max-file-bytes",), commands=("ingest", "run"), minimum=1)
    quote_tagger: str | None = setting(
        None, "attribution tagger weights: a .npz file, `bilstm` for the earlier shipped tagger (no fine-tuned MiniLM "
        "layers), or `off` for the rules alone (default: the shipped ones)",
        flags=("--quote-tagger",), commands=("analyse", "run", "fuse", "watch", "serve"), metavar="FILE|bilstm|off")
    llm_endpoint: str | None = setting(
        None, "OpenAI-compatible endpoint for an optional generative summary", flags=("--llm-endpoint",),
        commands=("fuse", "run", "report", "serve", "watch"))
    token: str | None = setting(
        None, "access token the web app requires on every request; required when it listens off loopback",
        flags=("--token",), commands=("serve",))
    allowed_hosts: str = setting(
        "", "comma-separated Host names the web app answers besides loopback and its bind address "
        "(`serve --allowed-host` adds more)")
    upload_max_bytes: int = setting(
        20_000_000, "largest upload the web app's add page accepts, all files together", flags=("--upload-max-bytes",),
        commands=("serve",), minimum=1)
    watch_interval: float = setting(
        300.0, "seconds between polls of watched feeds (newsfuse watch, the add page)", flags=("--watch-interval",),
        commands=("serve", "watch"), minimum=0.1)
    outlets: str | None = setting(
        None, "TOML file of outlets ([[outlet]] name, hosts, aliases, country, kind, lean) that extends or overrides "
        "the shipped outlet registry", flags=("--outlets",), commands=("ingest", "run", "watch", "serve"), metavar="FILE")
    # Not a setting: where each value above came from (flag, env, toml or default), for `newsfuse config`.
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def origin(self, name: str) -> str:
        """Where the value of setting `name` came from: flag, env, toml or default."""
        return self.origins.get(name, DEFAULT)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed (as flags would), for callers of the Python API."""
        origins = {**self.origins, **{name: FLAG for name in changes}}
        return replace(self, **changes, origins=origins)


@dataclass(frozen=True)
class Row:
    """What the table says about one setting (read from the Settings fields)."""

    name: str
    default: Any
    type: type
    optional: bool
    help: str
    flags: tuple[str, ...]
    commands: tuple[str, ...] | None
    minimum: float | None
    in_toml: bool
    metavar: str | None

    @property
    def env(self) -> str:
        return "NEWSFUSE_" + self.name.upper()

    def concerns(self, command: str) -> bool:
        """Whether the flag is offered after this command (every flag is accepted before any command)."""
        return self.commands is None or command in self.commands


def _rows() -> tuple[Row, ...]:
    hints = typing.get_type_hints(Settings)
    rows = []
    for f in fields(Settings):
        if "help" not in f.metadata:
            continue
        kind, optional = _base_type(hints[f.name])
        rows.append(Row(f.name, f.default, kind, optional, f.metadata["help"], f.metadata["flags"],
                        f.metadata["commands"], f.metadata["minimum"], f.metadata["in_toml"],
                        f.metadata["metavar"] or kind.__name__.upper()))
    return tuple(rows)


def _base_type(hint: Any) -> tuple[type, bool]:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (inner,) = [a for a in args if a is not type(None)]
        return inner, True
    return hint, False


SETTINGS: tuple[Row, ...] = _rows()
BY_NAME: dict[str, Row] = {row.name: row for row in SETTINGS}
DEFAULTS = Settings()


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsfuse")) / "newsfuse.sqlite"


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("newsfuse")) / "newsfuse.toml"


def resolve(flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """The effective settings: a flag wins over NEWSFUSE_* in `environ` (default os.environ), over the TOML file.

    Flags that are None count as not given. A config file that is missing (when named), unreadable, not
    TOML, or holds a key that is not a setting is refused, naming the file and the valid keys.
    """
    environ = os.environ if environ is None else environ
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    unknown = sorted(set(given) - set(BY_NAME))
    if unknown:
        raise SettingsError(f"unknown setting {', '.join(unknown)}: valid settings are {', '.join(BY_NAME)}")
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    config_path, config_origin = _config_file(given.get("config"), environ)
    if config_path is not None:
        values["config"], origins["config"] = str(config_path), config_origin
        for name, raw in _read_toml(config_path).items():
            values[name], origins[name] = _check(BY_NAME[name], raw, f"{config_path}: {name}"), TOML
    for row in SETTINGS:
        raw = environ.get(row.env)
        if raw is not None and row.name != "config":
            values[row.name], origins[row.name] = _from_text(row, raw, row.env), ENV
    for name, raw in given.items():
        values[name], origins[name] = _check(BY_NAME[name], raw, f"--{name.replace('_', '-')}"), FLAG
    if values.get("db") is None:
        values["db"] = str(default_db_path())
    return Settings(**values, origins=origins)


def _config_file(explicit: str | None, environ: Mapping[str, str]) -> tuple[Path | None, str]:
    """The TOML file to read and where its name came from; a file named by flag or env must exist."""
    named = (explicit, FLAG) if explicit else (environ.get("NEWSFUSE_CONFIG"), ENV)
    if named[0]:
        path = Path(named[0]).expanduser()
        if not path.is_file():
            how = "--config" if named[1] == FLAG else "NEWSFUSE_CONFIG"
            raise SettingsError(f"config file {path} (from {how}) does not exist: create it or drop {how}")
        return path, named[1]
    candidate = default_config_path()
    return (candidate, DEFAULT) if candidate.is_file() else (None, DEFAULT)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            found = tomllib.load(handle)
    except OSError as exc:
        raise SettingsError(f"config file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from exc
    valid = [row.name for row in SETTINGS if row.in_toml]
    unknown = sorted(k for k in found if k not in valid)
    if unknown:
        raise SettingsError(
            f"config file {path}: unknown setting {', '.join(map(repr, unknown))}; valid settings are {', '.join(valid)}"
        )
    return found


def _from_text(row: Row, raw: str, where: str) -> Any:
    """A setting given as text (an environment variable) as its type."""
    text = raw.strip()
    if row.optional and text == "":
        return None
    if row.type is bool:
        lowered = text.lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise SettingsError(f"{where}={raw!r}: use true or false")
    if row.type in (int, float):
        try:
            number = row.type(text.replace("_", ""))
        except ValueError:
            raise SettingsError(f"{where}={raw!r}: {row.name} must be a {_type_name(row.type)}") from None
        return _check(row, number, where)
    return text


def _check(row: Row, value: Any, where: str) -> Any:
    """`value` if it has the setting's type and bounds, else a SettingsError naming `where`."""
    if value is None and row.optional:
        return None
    expected = (int, float) if row.type is float else row.type
    if isinstance(value, bool) and row.type is not bool or not isinstance(value, expected):
        raise SettingsError(f"{where} = {value!r}: {row.name} must be a {_type_name(row.type)}")
    if row.minimum is not None and value < row.minimum:
        raise SettingsError(f"{where} = {value!r}: {row.name} must be at least {row.minimum:g}")
    return float(value) if row.type is float else value


def _type_name(kind: type) -> str:
    return {bool: "boolean (true or false)", int: "whole number", float: "number", str: "string"}[kind]


def describe(settings: Settings) -> list[dict[str, Any]]:
    """Each setting's effective value, where it came from, its env variable, flags and help (`newsfuse config`)."""
    return [
        {"name": row.name, "value": getattr(settings, row.name), "source": settings.origin(row.name),
         "default": row.default, "env": row.env, "flags": list(row.flags), "help": row.help}
        for row in SETTINGS
    ]
