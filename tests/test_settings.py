"""Settings: one table, resolved flag > NEWSFUSE_* env > TOML > default; bad keys and values refused by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfuse import settings
from newsfuse.errors import SettingsError
from newsfuse.settings import SETTINGS, resolve

# Three distinct valid values per type: what the TOML file, the environment and a flag each say.
SAMPLES: dict[type, tuple[Any, Any, Any]] = {
    int: (3, 5, 7), float: (3.5, 5.5, 7.5), bool: (True, False, True), str: ("from-toml", "from-env", "from-flag"),
}
TOML_TEXT = {int: str, float: str, bool: lambda v: str(v).lower(), str: json.dumps}
ENV_TEXT = {int: str, float: str, bool: lambda v: "true" if v else "false", str: str}
ROWS = [row for row in SETTINGS if row.in_toml]


def write_toml(path: Path, values: dict[str, Any]) -> Path:
    path.write_text("".join(f"{k} = {TOML_TEXT[settings.BY_NAME[k].type](v)}\n" for k, v in values.items()))
    return path


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_flag_beats_env_beats_toml_beats_default(row, tmp_path) -> None:  # type: ignore[no-untyped-def]
    toml_value, env_value, flag_value = SAMPLES[row.type]
    config = write_toml(tmp_path / "newsfuse.toml", {row.name: toml_value})
    env = {"NEWSFUSE_CONFIG": str(config), row.env: ENV_TEXT[row.type](env_value)}

    given = resolve({row.name: flag_value}, env)
    assert (getattr(given, row.name), given.origin(row.name)) == (flag_value, "flag")
    from_env = resolve({}, env)
    assert (getattr(from_env, row.name), from_env.origin(row.name)) == (env_value, "env")
    from_toml = resolve({}, {"NEWSFUSE_CONFIG": str(config)})
    assert (getattr(from_toml, row.name), from_toml.origin(row.name)) == (toml_value, "toml")
    plain = resolve({}, {"NEWSFUSE_CONFIG": str(write_toml(tmp_path / "empty.toml", {}))})
    assert plain.origin(row.name) == "default"
    if row.name != "db":
        assert getattr(plain, row.name) == row.default


def test_the_config_file_itself_comes_from_flag_or_env(tmp_path) -> None:  # type: ignore[no-untyped-def]
    by_env = write_toml(tmp_path / "env.toml", {"workers": 2})
    by_flag = write_toml(tmp_path / "flag.toml", {"workers": 4})
    env = {"NEWSFUSE_CONFIG": str(by_env)}
    assert resolve({}, env).workers == 2
    chosen = resolve({"config": str(by_flag)}, env)
    assert (chosen.workers, chosen.config, chosen.origin("config")) == (4, str(by_flag), "flag")


def test_unknown_toml_key_is_refused_naming_the_valid_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "newsfuse.toml"
    config.write_text("workers = 2\nfetch_timout = 5\n")
    with pytest.raises(SettingsError) as caught:
        resolve({}, {"NEWSFUSE_CONFIG": str(config)})
    message = str(caught.value)
    assert str(config) in message and "'fetch_timout'" in message
    assert "fetch_timeout" in message and "max_file_bytes" in message


@pytest.mark.parametrize("text, complaint", [
    ('workers = "two"', "workers must be a whole number"),
    ("workers = 0", "workers must be at least 1"),
    ("fetch_timeout = -1", "fetch_timeout must be at least"),
    ('allow_private = "yes"', "allow_private must be a boolean"),
    ("workers = true", "workers must be a whole number"),
    ("workers =", "is not valid TOML"),
])
def test_bad_toml_values_are_refused_naming_file_and_setting(tmp_path, text, complaint) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "newsfuse.toml"
    config.write_text(text + "\n")
    with pytest.raises(SettingsError, match=complaint) as caught:
        resolve({}, {"NEWSFUSE_CONFIG": str(config)})
    assert str(config) in str(caught.value)


@pytest.mark.parametrize("variable, value, complaint", [
    ("NEWSFUSE_WORKERS", "many", "NEWSFUSE_WORKERS='many': workers must be a whole number"),
    ("NEWSFUSE_ALLOW_PRIVATE", "perhaps", "NEWSFUSE_ALLOW_PRIVATE='perhaps': use true or false"),
    ("NEWSFUSE_FETCH_MAX_BYTES", "0", "fetch_max_bytes must be at least 1"),
])
def test_bad_environment_values_are_refused_naming_the_variable(variable, value, complaint) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingsError, match=complaint.replace("(", r"\(")):
        resolve({}, {variable: value})


def test_a_missing_named_config_file_is_an_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SettingsError, match="does not exist"):
        resolve({}, {"NEWSFUSE_CONFIG": str(tmp_path / "nope.toml")})


def test_settings_are_frozen() -> None:
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        resolve({}, {}).workers = 4  # type: ignore[misc]


def test_each_default_is_written_once_in_the_table() -> None:
    from newsfuse.ingest import ReadOptions

    options = ReadOptions()
    for name in ("fetch_timeout", "fetch_max_bytes", "max_file_bytes", "allow_private"):
        assert getattr(options, name) == settings.BY_NAME[name].default
    changed = ReadOptions.from_settings(resolve({"fetch_timeout": 1.5}, {}), outlet="X")
    assert (changed.fetch_timeout, changed.outlet) == (1.5, "X")
