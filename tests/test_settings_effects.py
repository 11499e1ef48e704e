"""Each setting changes what newsfuse does, and a flag beats NEWSFUSE_* beats the TOML file beats the default.

Every test runs the real CLI four times: with the setting in the TOML file only, in TOML and the
environment, in all three (the flag after the command), and nowhere; the values alternate so that each
layer visibly changes the outcome.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.settings import BY_NAME
from tests.conftest import SEEDS, chat_endpoint
from tests.ingest.conftest import FIXTURES, site  # noqa: F401 (the local HTTP server fixture)

FERRY_PAGE = (FIXTURES / "html" / "ferry-harbor-daily.html").read_bytes()
# Two short project-written articles: enough for the analysis stage to run, fast.
SHORT = [
    {"id": "s1", "title": "Harbour council votes to close the old bridge", "outlet": "Harbour Daily",
     "published": "2025-03-12",
     "text": "The harbour council voted on Tuesday to close the old bridge.\n\n"
             "Council member Dana Whitfield said the repairs would cost more than a new crossing."},
    {"id": "s2", "title": "Old bridge to close, council decides", "outlet": "Island Post", "published": "2025-03-12",
     "text": "The old bridge will close, the harbour council decided on Tuesday.\n\n"
             "\"A new crossing is cheaper,\" said Dana Whitfield, a council member."},
]

Run = Callable[[list[str], dict[str, str]], Any]


def cli(args: list[str], env: dict[str, str]) -> Any:
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def flag(name: str, value: Any) -> list[str]:
    row = BY_NAME[name]
    if row.type is bool:
        return [row.flags[0] if value else "--no-" + row.flags[0][2:]]
    return [row.flags[0], str(value)]


def layered(tmp_path: Path, name: str, values: tuple[Any, Any, Any], run: Run) -> list[Any]:
    """Outcomes of `run(flags, env)` with the setting from TOML; TOML + env; TOML + env + flag; nowhere."""
    toml_value, env_value, flag_value = values
    config = tmp_path / "layered.toml"
    config.write_text(f"{name} = {json.dumps(toml_value)}\n")
    toml_env = {"NEWSFUSE_CONFIG": str(config)}
    both = {**toml_env, BY_NAME[name].env: str(env_value).lower() if isinstance(env_value, bool) else str(env_value)}
    return [run([], toml_env), run([], both), run(flag(name, flag_value), both), run([], {})]


def test_db(tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = [str(tmp_path / f"{layer}.sqlite") for layer in ("toml", "env", "flag")]

    def run(flags: list[str], env: dict[str, str]) -> list[str]:
        before = {p.name for p in tmp_path.glob("*.sqlite")}
        assert cli(["stories", *flags], env).exit_code == 0
        return sorted({p.name for p in tmp_path.glob("*.sqlite")} - before)

    env_default = {"XDG_DATA_HOME": str(tmp_path / "data")}
    outcomes = layered(tmp_path, "db", tuple(files), lambda f, e: run(f, {**e, **env_default}))  # type: ignore[arg-type]
    assert outcomes == [["toml.sqlite"], ["env.sqlite"], ["flag.sqlite"], []]
    assert (tmp_path / "data" / "newsfuse" / "newsfuse.sqlite").exists()  # the default: the user data directory


def ingest_outcome(tmp_path: Path, source: str) -> Callable[[list[str], dict[str, str]], str]:
    counter = iter(range(100))

    def run(flags: list[str], env: dict[str, str]) -> str:
        db = str(tmp_path / f"run{next(counter)}.sqlite")
        result = cli(["ingest", "--json", "--db", db, source, *flags], env)
        summary = json.loads(result.stdout)
        return "ingested" if summary["ingested"] else summary["failures"][0]["reason"]

    return run


def test_max_file_bytes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    article = tmp_path / "bridge.txt"
    article.write_text("date 2025-03-12 Council closes the old bridge\n" + "The council voted to close it. " * 60)
    outcomes = layered(tmp_path, "max_file_bytes", (100, 100_000, 200), ingest_outcome(tmp_path, str(article)))
    assert [o if o == "ingested" else "refused" for o in outcomes] == ["refused", "ingested", "refused", "ingested"]
    assert "over the 100-byte limit" in outcomes[0] and "over the 200-byte limit" in outcomes[2]


def test_allow_private(tmp_path, site) -> None:  # type: ignore[no-untyped-def]
    url = site.add("/news/ferry", FERRY_PAGE)
    outcomes = layered(tmp_path, "allow_private", (True, False, True), ingest_outcome(tmp_path, url))
    assert outcomes[0] == "ingested" and "loopback" in outcomes[1]
    assert outcomes[2] == "ingested" and "loopback" in outcomes[3]


def test_fetch_max_bytes(tmp_path, site) -> None:  # type: ignore[no-untyped-def]
    url = site.add("/news/ferry", FERRY_PAGE)
    run = ingest_outcome(tmp_path, url)
    outcomes = layered(tmp_path, "fetch_max_bytes", (500, 1_000_000, 600),
                       lambda flags, env: run([*flags, "--allow-private"], env))
    assert "500-byte limit" in outcomes[0] and outcomes[1] == "ingested"
    assert "600-byte limit" in outcomes[2] and outcomes[3] == "ingested"


def test_fetch_timeout(tmp_path, site) -> None:  # type: ignore[no-untyped-def]
    url = site.add("/news/slow", FERRY_PAGE, delay=1.0)
    run = ingest_outcome(tmp_path, url)
    outcomes = layered(tmp_path, "fetch_timeout", (0.2, 10, 0.3),
                       lambda flags, env: run([*flags, "--allow-private"], env))
    assert "timed out after 0.2 s" in outcomes[0] and outcomes[1] == "ingested"
    assert "timed out after 0.3 s" in outcomes[2] and outcomes[3] == "ingested"


@pytest.fixture(scope="module")
def short_db(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A database holding the two short articles, ingested, not analysed."""
    folder = tmp_path_factory.mktemp("short")
    corpus = folder / "short.jsonl"
    corpus.write_text("".join(json.dumps(row) + "\n" for row in SHORT))
    db = folder / "short.sqlite"
    assert cli(["ingest", "--db", str(db), str(corpus)], {}).exit_code == 0
    return db


def fresh_copy(db: Path, tmp_path: Path, counter: Any) -> str:
    """A copy made through SQLite (a file copy would miss what is still in the write-ahead log)."""
    import sqlite3

    copy = tmp_path / f"copy{next(counter)}.sqlite"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return str(copy)


def test_workers(tmp_path, short_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    asked: list[int] = []

    class InProcessPool:  # records the size asked for; runs the work here, so the test stays fast
        def map(self, func, parts):  # type: ignore[no-untyped-def]
            return [func(part) for part in parts]

        def shutdown(self) -> None:
            pass

    monkeypatch.setattr(pipeline, "_analysis_pool", lambda workers: asked.append(workers) or InProcessPool())
    counter = iter(range(100))

    def run(flags: list[str], env: dict[str, str]) -> list[int]:
        asked.clear()
        assert cli(["analyse", "--db", fresh_copy(short_db, tmp_path, counter), *flags], env).exit_code == 0
        return list(asked)

    assert layered(tmp_path, "workers", (2, 3, 4), run) == [[2], [3], [4], []]  # default 1: no pool at all


def test_quote_tagger(tmp_path, short_db) -> None:  # type: ignore[no-untyped-def]
    counter = iter(range(100))

    def run(flags: list[str], env: dict[str, str]) -> str:
        db = fresh_copy(short_db, tmp_path, counter)
        result = cli(["analyse", "--db", db, *flags], env)
        if result.exit_code:
            return result.output
        detail = json.loads(cli(["article", "s1", "--db", db, "--json"], {}).stdout)
        return detail["analysis"]["components"]["quote_tagger"]

    outcomes = layered(tmp_path, "quote_tagger", ("toml-weights.npz", "off", "flag-weights.npz"), run)
    assert "toml-weights.npz" in outcomes[0] and "not a file" in outcomes[0]
    assert outcomes[1] == "off"
    assert "flag-weights.npz" in outcomes[2]
    assert outcomes[3].startswith("quote_tagger-")  # the shipped weights


@pytest.mark.seed
def test_llm_endpoint(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "seeds.sqlite")
    assert cli(["ingest", "--db", db, str(SEEDS)], {}).exit_code == 0
    assert cli(["analyse", "--db", db], {}).exit_code == 0
    calls: list[str] = []
    servers = {name: chat_endpoint("", calls, name) for name in ("toml", "env", "flag")}
    urls = tuple(f"http://127.0.0.1:{s.server_port}" for s in servers.values())

    def run(flags: list[str], env: dict[str, str]) -> list[str]:
        calls.clear()
        result = cli(["fuse", "--force", "--db", db, *flags], env)
        assert result.exit_code == 0, result.output
        return sorted(set(calls))

    try:
        assert layered(tmp_path, "llm_endpoint", urls, run) == [["toml"], ["env"], ["flag"], []]
    finally:
        for server in servers.values():
            server.shutdown()


def test_every_setting_is_accepted_before_or_after_the_command(tmp_path) -> None:  # type: ignore[no-untyped-def]
    samples = {int: 3, float: 2.5, bool: True, str: str(tmp_path / "x")}
    for name, row in BY_NAME.items():
        if not row.flags:
            continue
        value = samples[row.type]
        if name == "config":
            Path(value).write_text("")
        for args in ([*flag(name, value), "config", "--json"], ["config", *flag(name, value), "--json"]):
            result = cli(args, {})
            assert result.exit_code == 0, (args, result.output)
            shown = {r["name"]: r for r in json.loads(result.stdout)}[name]
            assert (shown["value"], shown["source"]) == (value, "flag"), args


def test_db_after_the_command_is_the_database_used(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "after.sqlite"
    result = cli(["stories", "--db", str(db)], {})
    assert result.exit_code == 0 and db.exists()


def test_config_command_says_where_each_value_came_from(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "newsfuse.toml"
    config.write_text("workers = 2\nfetch_timeout = 9.5\n")
    env = {"NEWSFUSE_CONFIG": str(config), "NEWSFUSE_FETCH_TIMEOUT": "4"}
    result = cli(["--db", str(tmp_path / "x.sqlite"), "config"], env)
    assert result.exit_code == 0
    lines = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("│")}
    assert "2" in lines["workers"] and "toml" in lines["workers"]
    assert "4.0" in lines["fetch_timeout"] and "env" in lines["fetch_timeout"]
    assert "flag" in lines["db"] and "default" in lines["max_file_bytes"]


def test_a_bad_config_file_stops_every_command_with_one_clear_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "newsfuse.toml"
    config.write_text("wokers = 2\n")
    result = cli(["stories", "--db", str(tmp_path / "x.sqlite")], {"NEWSFUSE_CONFIG": str(config)})
    assert result.exit_code == 1
    assert "unknown setting 'wokers'" in result.output and "valid settings are db, workers" in result.output
    assert "Traceback" not in result.output


def test_outlets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "one.jsonl"
    corpus.write_text(json.dumps({**SHORT[0], "outlet": None, "url": "https://news.gazette.example/bridge"}) + "\n")
    files = []
    for layer in ("Toml", "Env", "Flag"):
        registry = tmp_path / f"{layer.lower()}-outlets.toml"
        registry.write_text(f'[[outlet]]\nname = "{layer} Gazette"\nhosts = ["gazette.example"]\n')
        files.append(str(registry))
    counter = iter(range(100))

    def run(flags: list[str], env: dict[str, str]) -> str:
        db = str(tmp_path / f"outlets{next(counter)}.sqlite")
        assert cli(["ingest", "--db", db, str(corpus), *flags], env).exit_code == 0
        return json.loads(cli(["articles", "--db", db, "--json"], {}).stdout)[0]["outlet"]

    outcomes = layered(tmp_path, "outlets", tuple(files), run)  # type: ignore[arg-type]
    assert outcomes[:3] == ["Toml Gazette", "Env Gazette", "Flag Gazette"]
    assert "Gazette" not in outcomes[3]  # the shipped registry does not know the host


@pytest.mark.parametrize("name, values, given_as", [
    ("token", ("toml-token", "env-token", "flag-token"), "token"),
    ("upload_max_bytes", (1000, 2000, 3000), "upload_max_bytes"),
    ("watch_interval", (10.0, 20.0, 30.0), "watch_seconds"),
])
def test_web_app_settings(tmp_path, monkeypatch, name, values, given_as) -> None:  # type: ignore[no-untyped-def]
    """What `serve` hands the web app (its own tests show what the app does with each)."""
    import uvicorn

    import newsfuse.web

    seen: list[Any] = []
    monkeypatch.setattr(newsfuse.web, "create_app", lambda db, **kwargs: seen.append(kwargs[given_as]) or object())
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)

    def run(flags: list[str], env: dict[str, str]) -> Any:
        seen.clear()
        result = cli(["serve", "--db", str(tmp_path / "web.sqlite"), "--port", "0", *flags], env)
        assert result.exit_code == 0, result.output
        return seen[0]

    outcomes = layered(tmp_path, name, values, run)
    assert outcomes == [*values, BY_NAME[name].default]


def test_allowed_hosts(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Env and TOML only (a comma-separated list); `serve --allowed-host` adds to it."""
    import uvicorn

    import newsfuse.web

    seen: list[Any] = []
    monkeypatch.setattr(newsfuse.web, "create_app", lambda db, **kwargs: seen.append(kwargs["allowed_hosts"]) or object())
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    config = tmp_path / "newsfuse.toml"
    config.write_text('allowed_hosts = "a.example,b.example"\n')
    base = ["serve", "--db", str(tmp_path / "web.sqlite"), "--port", "0"]
    assert cli(base, {"NEWSFUSE_CONFIG": str(config)}).exit_code == 0
    assert cli(base, {"NEWSFUSE_CONFIG": str(config), "NEWSFUSE_ALLOWED_HOSTS": "c.example"}).exit_code == 0
    assert cli([*base, "--allowed-host", "d.example"], {"NEWSFUSE_ALLOWED_HOSTS": "c.example"}).exit_code == 0
    assert seen == [["a.example", "b.example"], ["c.example"], ["d.example", "c.example"]]
