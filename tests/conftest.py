"""Shared fixtures: the real seed articles, a fresh database, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
EXAMPLES = ROOT / "examples"

SEED_TBS = SEEDS / "000_9a1ddaff943672f7.txt"
SEED_ALJAZEERA = SEEDS / "001_f71878fb72305fb2.txt"
SEED_TASS = SEEDS / "002_82db80983b66ad16.txt"


def under_ci() -> bool:
    """True under `.ci/run` (NEWSFUSE_CI) or a CI service (CI): there nothing may skip for lack of a resource."""
    return bool(os.environ.get("NEWSFUSE_CI") or os.environ.get("CI"))


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    if SEEDS.is_dir():
        return
    skip = pytest.mark.skip(reason="../shared/seeds is not beside the repository")  # under CI: see below
    for item in items:
        if "seed" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def shared_data_under_ci() -> None:
    """Under CI, ../shared must be there: every test fails at once rather than the seed tests skipping."""
    if under_ci() and not SEEDS.is_dir():
        pytest.fail(f"under CI ../shared must be beside the repository: {SHARED} has no seeds/", pytrace=False)


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Tests see only the settings they give: no NEWSFUSE_* setting from the shell, no user config file."""
    from newsfuse.settings import SETTINGS

    for row in SETTINGS:
        monkeypatch.delenv(row.env, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "no-user-config"))


@pytest.fixture
def store(tmp_path):  # type: ignore[no-untyped-def]
    from newsfuse.store import open_store

    db = open_store(tmp_path / "test.sqlite")
    yield db
    db.close()


@pytest.fixture(scope="session")
def seed_articles():  # type: ignore[no-untyped-def]
    """The three seeds, cleaned as one batch, keyed by outlet."""
    from newsfuse.clean import clean_document, complete_date
    from newsfuse.ingest import ReadOptions, read_input

    cleaned = [clean_document(raw) for path in (SEED_TBS, SEED_ALJAZEERA, SEED_TASS)
               for raw in read_input(str(path), ReadOptions())]
    dates = [c.article.published for c in cleaned if c.article.published]
    articles = [complete_date(c, dates) for c in cleaned]
    return {a.outlet: a for a in articles}


@pytest.fixture(scope="session")
def ferry_story():  # type: ignore[no-untyped-def]
    """(FusedStory, {article id: Article}, {outlet: article id}) for tests/fixtures/fusion/ferry-settlement.jsonl:
    three outlets' reports of one settlement, written for fusion's tests."""
    from newsfuse.clean import clean_document, complete_date
    from newsfuse.ingest import ReadOptions, read_input
    from tests.fuse.conftest import _fuse

    path = ROOT / "tests" / "fixtures" / "fusion" / "ferry-settlement.jsonl"
    articles = [complete_date(clean_document(raw), []) for raw in read_input(str(path), ReadOptions())]
    return _fuse("ferry", articles), {a.id: a for a in articles}, {a.outlet: a.id for a in articles}


@pytest.fixture
def run_cli(tmp_path):  # type: ignore[no-untyped-def]
    """Invoke the CLI in-process against a fresh database; returns click's Result."""
    from click.testing import CliRunner

    from newsfuse.cli import main

    runner = CliRunner()
    db = str(tmp_path / "cli.sqlite")

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--db", db, *args], catch_exceptions=False)

    invoke.db = db  # type: ignore[attr-defined]
    return invoke


FEED_LAST_MODIFIED = "Thu, 20 Mar 2025 08:00:00 GMT"


@pytest.fixture
def feed_server():  # type: ignore[no-untyped-def]
    """A loopback RSS feed with an ETag and Last-Modified: (url, state). Append (title, text) to
    state["items"] to publish an entry; state["status"] lists the status of each answer (304 when a
    conditional request finds nothing new), state["conditional"] the validators each request sent."""
    import threading
    from html import escape
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    state: dict = {"items": [], "conditional": [], "status": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            state["conditional"].append((self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))
            etag = f'"e{len(state["items"])}"'
            if self.headers.get("If-None-Match") == etag:
                state["status"].append(304)
                self.send_response(304)
                self.end_headers()
                return
            items = "".join(f"<item><guid>urn:feed:{n}</guid><title>{escape(title)}</title>"
                            f"<description>{escape(text)}</description></item>"
                            for n, (title, text) in enumerate(state["items"]))
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Lisk Courier</title>{items}</channel></rss>'.encode()
            state["status"].append(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", FEED_LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/feed.rss", state
    httpd.shutdown()
    httpd.server_close()


def require(module: str, why: str):  # type: ignore[no-untyped-def]
    """Import an optional dependency, or skip saying why; under CI (which installs every extra), fail."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if under_ci():
            pytest.fail(f"{why} ({exc})")
        pytest.skip(f"{why} ({exc})")


# The test PostgreSQL server: scripts/test.sh starts one on loopback (scripts/postgres.sh) and names it here.
POSTGRES_ENV = "NEWSFUSE_TEST_POSTGRES"


@pytest.fixture
def postgres_url():  # type: ignore[no-untyped-def]
    """A fresh, empty PostgreSQL database for one test (dropped after it); its URL.

    Without a server the test skips, saying how to get one, except under CI, where it fails."""
    import os
    import uuid

    server = os.environ.get(POSTGRES_ENV)
    if not server:
        message = f"no PostgreSQL server: set {POSTGRES_ENV} (scripts/test.sh starts one with scripts/postgres.sh)"
        if under_ci():
            pytest.fail(message)
        pytest.skip(message)
    import psycopg

    from newsfuse.store import postgres

    name = f"newsfuse_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, _ = server.rpartition("/")
    yield f"{base}/{name}"
    postgres.close_pools()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):  # type: ignore[no-untyped-def]
    """A fresh store on each backend in turn."""
    from newsfuse.store import open_store

    target = request.getfixturevalue("postgres_url") if request.param == "postgresql" else tmp_path / "test.sqlite"
    db = open_store(target)
    yield db
    db.close()


def chat_endpoint(answer: str, calls: list[str] | None = None, name: str = ""):  # type: ignore[no-untyped-def]
    """A local stand-in for an OpenAI-compatible chat endpoint that always gives `answer` (and appends
    `name` to `calls` for each request). Returns the running server; call .shutdown() when done."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            self.rfile.read(int(self.headers["Content-Length"]))
            if calls is not None:
                calls.append(name)
            body = json.dumps({"choices": [{"message": {"content": answer}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
