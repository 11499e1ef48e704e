"""The local web app: pages and JSON routes over a database holding the seeds and hostile markup."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from newsfuse import api
from newsfuse.web import create_app
from tests.conftest import SEEDS

pytestmark = pytest.mark.seed

HOSTILE = '<script>alert("x")</script> Mayor <img src=x onerror=alert(1)> resigns'


@pytest.fixture(scope="module")
def client(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.txt"
    hostile.write_text(f"date 2024-01-02 {HOSTILE}\n\nThe mayor of a small town resigned on Tuesday after "
                       "a vote of no confidence, the council said in a statement.\n", encoding="utf-8")
    db = folder / "web.sqlite"
    with api.open_db(db) as store:
        api.run([str(SEEDS), str(hostile)], store, folder / "out")
    return TestClient(create_app(db))


def test_front_page_lists_the_seed_story_with_its_outlets(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "TASS" in page.text and "Al Jazeera" in page.text and "TBS News" in page.text


def test_story_page_is_the_fused_report(client):
    stories = client.get("/api/stories").json()
    seed_story = next(s for s in stories if len(s["articles"]) == 3)
    page = client.get(f"/stories/{seed_story['id']}")
    assert page.status_code == 200
    assert "Wunna Maung Lwin" in page.text


def test_story_json_follows_the_contract(client):
    stories = client.get("/api/stories").json()
    seed_story = next(s for s in stories if len(s["articles"]) == 3)
    data = client.get(f"/api/stories/{seed_story['id']}").json()
    for key in ("id", "title", "articles", "facts", "conflicts", "quotes", "entities", "framing", "timeline", "summary"):
        assert key in data
    assert {f["status"] for f in data["facts"]} <= {"all", "some", "one"}


def test_search_finds_the_trade_figure(client):
    hits = client.get("/api/search", params={"q": "trade turnover"}).json()
    assert hits[0]["outlet"] == "TASS"
    page = client.get("/search", params={"q": "trade turnover"})
    assert "TASS" in page.text


def test_stored_markup_is_escaped_everywhere(client):
    hits = client.get("/api/search", params={"q": "mayor resigned"}).json()
    article_id = hits[0]["id"]
    for path in ("/", f"/articles/{article_id}", "/search?q=mayor"):
        page = client.get(path)
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
    assert "&lt;script&gt;" in client.get(f"/articles/{article_id}").text


def test_unknown_story_is_a_404_with_a_message(client):
    page = client.get("/stories/nope")
    assert page.status_code == 404
    assert "nope" in page.text
    assert client.get("/api/stories/nope").status_code == 404


def test_article_json_has_the_cleaning_log(client):
    tass = next(h for h in client.get("/api/search", params={"q": "Zakharova"}).json() if h["outlet"] == "TASS")
    data = client.get(f"/api/articles/{tass['id']}").json()
    assert any(r["reason"] == "navigation" for r in data["removals"])
    json.dumps(data)
