"""The web app through its HTTP interface: pages, JSON API, errors, guards, the add page and background fusion."""

from __future__ import annotations

import html
import json
import re
import time

import pytest
from fastapi.testclient import TestClient

from newsfuse import api
from newsfuse.errors import NewsfuseError
from newsfuse.web import create_app
from tests.conftest import EXAMPLES, SEEDS
from tests.ingest.test_feed_polling import server  # noqa: F401  (a loopback feed with an ETag)

pytestmark = pytest.mark.seed

HOSTILE = '<script>alert("x")</script> Mayor <img src=x onerror=alert(1)> resigns'
LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def db(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.txt"
    hostile.write_text(f"date 2024-01-02 {HOSTILE}\n\nThe mayor of a small town resigned on Tuesday after "
                       "a vote of no confidence, the council said in a statement.\n", encoding="utf-8")
    path = folder / "web.sqlite"
    with api.open_db(path) as store:
        api.run([str(SEEDS), str(hostile)], store, folder / "out")
    return path


@pytest.fixture(scope="module")
def client(db):  # type: ignore[no-untyped-def]
    with TestClient(create_app(db, background=False), base_url=LOCAL) as c:
        yield c


def seed_story(client) -> dict:  # type: ignore[no-untyped-def]
    return next(s for s in client.get("/api/stories").json()["items"] if len(s["articles"]) == 3)


def test_front_page_shows_each_story_with_lead_coverage_and_counts(client):
    page = client.get("/")
    assert page.status_code == 200
    card = seed_story(client)
    assert card["state"] == "fused" and card["lead"]
    tass = next(c for c in card["coverage"] if c["outlet"] == "TASS")
    assert (tass["country"], tass["kind"]) == ("RU", "wire agency")
    assert card["counts"]["all"] >= 1 and sum(card["counts"][k] for k in ("all", "some", "one")) >= 5
    assert "RU · wire agency" in page.text and "by all" in page.text


def test_stories_api_pages_with_offset_and_limit(client):
    first = client.get("/api/stories", params={"limit": 1}).json()
    assert first["total"] == 2 and len(first["items"]) == 1 and first["next_offset"] == 1
    second = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert second["items"][0]["id"] != first["items"][0]["id"] and second["next_offset"] is None


def test_front_page_filters_by_outlet_and_words(client):
    assert client.get("/api/stories", params={"outlet": "TASS"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "mayor"}).json()["items"][0]["state"] == "single"
    page = client.get("/", params={"q": "no such words anywhere"})
    assert "No stories match these filters" in page.text


def test_every_page_has_the_navigation_header(client):
    story = seed_story(client)
    for path in ("/", f"/stories/{story['id']}", "/search?q=Zakharova", "/add", "/entities/Sergey Lavrov"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'href="/add"' in page.text and 'action="/search"' in page.text and 'class="home" href="/"' in page.text


def test_story_page_links_every_cell_to_the_sentence_in_its_article(client):
    story = seed_story(client)
    page = client.get(f"/stories/{story['id']}").text
    cells = re.findall(r'href="/articles/(\w+)\?hl=(\d+)-(\d+)#hl" data-fact="[^"]+" data-article="\w+"', page)
    assert len(cells) >= 10
    article_id, start, end = cells[0]
    article = client.get(f"/articles/{article_id}", params={"hl": f"{start}-{end}"}).text
    text = client.get(f"/api/articles/{article_id}").json()["text"]
    assert f'<mark id="hl">{text[int(start):int(end)]}' in article.replace("&#39;", "'").replace("&quot;", '"')
    assert f'href="/stories/{story["id"]}"' in article


def test_every_entity_link_on_a_story_page_opens_an_entity_page(client):
    # A story's entities, speakers and framing actors include names never stored as entities
    # (nationalities such as "Russian", "the ministry"): such a name is text, not a link to "not found".
    story = seed_story(client)
    page = client.get(f"/stories/{story['id']}").text
    links = set(re.findall(r'href="/entities/([^"]+)"', page))
    assert len(links) >= 3
    assert [name for name in links if client.get(f"/entities/{name}").status_code != 200] == []
    fused = client.get(f"/api/stories/{story['id']}").json()
    names = {e["name"] for e in fused["entities"]} | {q["speaker"] for q in fused["quotes"]}
    unlinked = [n for n in names if client.get(f"/entities/{n}").status_code == 404]
    assert unlinked, "the seed story should have a name without an entity page"
    assert all(html.escape(n) in page for n in unlinked)  # still named, as text


def test_a_story_page_says_how_many_entities_it_leaves_out(client):
    # The page names the 40 entities in most articles; a reader must not take them for all of them.
    story = seed_story(client)
    total = len(client.get(f"/api/stories/{story['id']}").json()["entities"])
    assert total > 40
    assert f"… and {total - 40} more" in client.get(f"/stories/{story['id']}").text


def test_story_page_puts_articles_side_by_side_with_fact_spans(client):
    story = seed_story(client)
    page = client.get(f"/stories/{story['id']}").text
    assert page.count('class="article-col"') == 3
    assert len(re.findall(r'<span data-facts="[^"]+">', page)) >= 10
    for section in ("Facts × outlets", "Timeline", "Who said what", "How each outlet names the actors", "Sources"):
        assert section in page


def test_a_story_not_fused_yet_answers_at_once_and_says_so(tmp_path):
    path = tmp_path / "db.sqlite"
    names = ("strike-harbor-daily-2025-03-12.txt", "strike-orsenna-ledger-2025-03-12.txt")
    with api.open_db(path) as store:
        api.ingest([str(EXAMPLES / "articles" / n) for n in names], store)
        api.cluster(store)
        [story] = [s for s in api.list_stories(store) if len(s.article_ids) == 2]
    with TestClient(create_app(path, background=False), base_url=LOCAL) as c:
        started = time.monotonic()
        page = c.get(f"/stories/{story.id}")
        took = time.monotonic() - started
        assert page.status_code == 200 and "being fused" in page.text and 'http-equiv="refresh"' in page.text
        assert took < 1.0
        assert c.get(f"/api/stories/{story.id}").json()["state"] == "fusing"
    with api.open_db(path) as store:
        assert store.fused(story.id) is None  # the request fused nothing


def test_the_background_worker_fuses_the_story_the_page_was_waiting_for(tmp_path):
    path = tmp_path / "db.sqlite"
    names = ("strike-harbor-daily-2025-03-12.txt", "strike-orsenna-ledger-2025-03-12.txt")
    with api.open_db(path) as store:
        api.ingest([str(EXAMPLES / "articles" / n) for n in names], store)
    with TestClient(create_app(path), base_url=LOCAL) as c:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            items = c.get("/api/stories").json()["items"]
            if any(s["state"] == "fused" for s in items):
                break
            time.sleep(0.5)
        [story] = [s for s in items if len(s["articles"]) == 2]
        assert story["state"] == "fused"
        assert "Facts × outlets" in c.get(f"/stories/{story['id']}").text


def test_api_errors_are_json_and_page_errors_are_styled_html(client):
    for path in ("/api/nope", "/api/stories/nope"):
        reply = client.get(path)
        assert reply.status_code == 404 and reply.headers["content-type"].startswith("application/json")
        assert "error" in reply.json()
    bad = client.get("/api/stories", params={"limit": 0})
    assert bad.status_code == 422 and "limit" in bad.json()["error"]
    page = client.get("/stories/nope")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "nope" in page.text and "newsfuse stories" not in page.text and 'href="/static/style.css"' in page.text
    assert client.get("/no/such/page").status_code == 404


def test_openapi_has_typed_schemas_and_docs_load_local_assets_only(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"StoryCard", "StoryPage", "FusedStory", "ArticleOut", "Job"} <= set(schemas)
    assert "coverage" in schemas["StoryCard"]["properties"]
    for path in ("/api/docs", "/api/redoc"):
        page = client.get(path).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert assets and all(a.startswith("/static/") for a in assets)
        for asset in assets:
            assert client.get(asset).status_code == 200


def test_pages_carry_a_strict_csp_and_no_inline_script_or_style(client):
    story = seed_story(client)
    for path in ("/", f"/stories/{story['id']}", "/add", "/search?q=mayor"):
        page = client.get(path)
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)
        assert " style=" not in page.text and "<style" not in page.text


def test_stored_markup_is_escaped_everywhere(client):
    hits = client.get("/api/search", params={"q": "mayor resigned"}).json()
    article_id = hits[0]["id"]
    story = client.get("/api/stories", params={"q": "mayor"}).json()["items"][0]
    for path in ("/", f"/articles/{article_id}", "/search?q=mayor", f"/stories/{story['id']}", "/fragments/stories"):
        page = client.get(path)
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;" in client.get(f"/articles/{article_id}").text


def test_an_unknown_host_header_is_refused(client):
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/api/stories", headers={"host": "attacker.example"}).json()["status"] == 400


def test_off_loopback_without_a_token_the_app_refuses_to_start(db):
    with pytest.raises(NewsfuseError, match="token"):
        create_app(db, bind_host="0.0.0.0", background=False)


def test_off_loopback_every_request_needs_the_token(db):
    app = create_app(db, bind_host="0.0.0.0", token="s3cret-token", allowed_hosts=["news.example"], background=False)
    with TestClient(app, base_url="http://news.example", follow_redirects=False) as c:
        assert c.get("/").status_code == 401
        assert c.get("/api/stories").status_code == 401
        assert c.get("/static/style.css").status_code == 401
        assert c.get("/api/stories", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
        assert c.get("/api/stories", headers={"authorization": "Bearer wrong"}).status_code == 401
        trade = c.get("/?token=s3cret-token")
        assert trade.status_code == 303 and trade.headers["location"] == "/"
        assert c.get("/").status_code == 200  # the cookie from the trade


def _csrf(c) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/add").text).group(1)


def test_the_add_form_is_refused_without_its_csrf_token(db):
    with TestClient(create_app(db), base_url=LOCAL, follow_redirects=False) as c:
        _csrf(c)
        refused = c.post("/add", data={"urls": "https://example.com/a", "csrf": "forged"})
        assert refused.status_code == 403
        c.cookies.clear()
        assert c.post("/add", data={"urls": "https://example.com/a", "csrf": "x"}).status_code == 403


def test_uploads_over_the_limit_are_refused_with_the_limit_named(db):
    with TestClient(create_app(db, upload_max_bytes=1000), base_url=LOCAL, follow_redirects=False) as c:
        token = _csrf(c)
        reply = c.post("/add", data={"csrf": token}, files={"files": ("big.txt", b"x" * 5000, "text/plain")})
        assert reply.status_code == 400 and "1,000" in reply.text


def test_the_add_page_ingests_uploads_and_lists_each_bad_input_with_its_reason(tmp_path):
    path = tmp_path / "db.sqlite"
    good = [(n, (EXAMPLES / "articles" / n).read_bytes()) for n in
            ("strike-harbor-daily-2025-03-12.txt", "strike-orsenna-ledger-2025-03-12.txt")]
    with TestClient(create_app(path), base_url=LOCAL, follow_redirects=False) as c:
        token = _csrf(c)
        files = [("files", (n, data, "text/plain")) for n, data in good] + [("files", ("empty.txt", b"", "text/plain"))]
        reply = c.post("/add", data={"csrf": token}, files=files)
        assert reply.status_code == 303
        job_url = reply.headers["location"]
        job_id = job_url.rsplit("/", 1)[1]
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and c.get(f"/api/jobs/{job_id}").json()["state"] not in ("done", "failed"):
            time.sleep(0.5)
        job = c.get(f"/api/jobs/{job_id}").json()
        assert job["state"] == "done" and job["ingested"] == 2
        assert [f["input"].rsplit("/", 1)[-1] for f in job["failures"]] == ["empty.txt"]
        page = c.get(job_url).text
        assert "empty.txt" in page and "empty" in page and "/stories/" in page


def test_entity_page_lists_aliases_stories_and_quotes(client):
    page = client.get("/entities/Sergey Lavrov")
    assert page.status_code == 200
    data = client.get("/api/entities/Sergey Lavrov").json()
    assert data["stories"] and any("Sergei" in a or "Sergey" in a for a in [data["name"], *data["aliases"]])
    assert data["quotes_by"] or data["quotes_about"]


def test_search_finds_the_trade_figure(client):
    hits = client.get("/api/search", params={"q": "trade turnover"}).json()
    assert hits[0]["outlet"] == "TASS"
    assert "TASS" in client.get("/search", params={"q": "trade turnover"}).text


def test_story_json_follows_the_contract(client):
    data = client.get(f"/api/stories/{seed_story(client)['id']}").json()
    for key in ("id", "title", "articles", "facts", "conflicts", "quotes", "entities", "framing", "timeline", "summary"):
        assert key in data
    assert {f["status"] for f in data["facts"]} <= {"all", "some", "one"}


def test_article_json_has_the_cleaning_log_and_its_story(client):
    tass = next(h for h in client.get("/api/search", params={"q": "Zakharova"}).json() if h["outlet"] == "TASS")
    data = client.get(f"/api/articles/{tass['id']}").json()
    assert any(r["reason"] == "navigation" for r in data["removals"])
    assert data["story"] == seed_story(client)["id"]


def test_a_feed_watched_by_the_server_is_polled_and_its_entries_stored(tmp_path, server):  # noqa: F811
    url, state = server
    path = tmp_path / "db.sqlite"
    app = create_app(path, watch=[url], watch_seconds=0.5, allow_private=True)
    with TestClient(app, base_url=LOCAL) as c:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and c.get("/api/changes").json()["articles"] < 1:
            time.sleep(0.3)
        assert c.get("/api/changes").json()["articles"] == 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and 304 not in state["status"]:
            time.sleep(0.3)
        assert 304 in state["status"]  # later polls were conditional and found nothing new
        assert url in c.get("/add").text  # the add page lists the watched feed and its last status


def test_a_story_whose_fusion_fails_says_so_and_the_worker_fuses_the_others(tmp_path, monkeypatch):
    import newsfuse.fuse

    real = newsfuse.fuse.fuse_story

    def failing(story, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "strike" in story.title.lower():
            raise ValueError("a fusion bug")
        return real(story, *args, **kwargs)

    monkeypatch.setattr(newsfuse.fuse, "fuse_story", failing)
    path = tmp_path / "db.sqlite"
    names = ("strike-harbor-daily-2025-03-12.txt", "strike-orsenna-ledger-2025-03-12.txt",
             "rates-coastline-times-2025-03-11.txt", "rates-nordwire-2025-03-11.txt")
    with api.open_db(path) as store:
        api.ingest([str(EXAMPLES / "articles" / n) for n in names], store)
        api.cluster(store)
    with TestClient(create_app(path), base_url=LOCAL) as c:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            items = {s["title"]: s for s in c.get("/api/stories").json()["items"]}
            if any(s["state"] == "fused" for s in items.values()):
                break
            time.sleep(0.5)
        strike = next(s for t, s in items.items() if "strike" in t.lower())
        rates = next(s for t, s in items.items() if "strike" not in t.lower() and len(s["articles"]) == 2)
        assert rates["state"] == "fused" and strike["state"] == "fusing"
        page = c.get(f"/stories/{strike['id']}").text
        assert "Fusing this story failed: ValueError: a fusion bug" in page and 'http-equiv="refresh"' not in page


def test_a_nul_in_a_search_is_no_server_error(client):
    assert client.get("/api/search", params={"q": "\x00"}).json() == []
    assert client.get("/api/search", params={"q": "trade\x00turnover"}).json()[0]["outlet"] == "TASS"
    assert client.get("/search", params={"q": "Zakharova\x00"}).status_code == 200


def test_headline_only_articles_are_marked_on_the_story_and_article_pages(tmp_path, client):
    from tests.stories.test_headlines import FARES

    feed = tmp_path / "headlines.jsonl"
    feed.write_text("".join(json.dumps({"id": f"h{n}", "title": title, "outlet": outlet, "published": "2025-03-11"}) + "\n"
                            for n, (title, outlet) in enumerate(FARES)))
    path = tmp_path / "db.sqlite"
    with api.open_db(path) as store:
        api.run([str(feed)], store, tmp_path / "out")
        [story] = api.list_stories(store)
    with TestClient(create_app(path, background=False), base_url=LOCAL) as c:
        data = c.get(f"/api/stories/{story.id}").json()
        assert [a["headline_only"] for a in data["articles"]] == [True] * 3
        page = c.get(f"/stories/{story.id}").text
        sources = page[page.index("<h2>Sources</h2>"):]
        assert sources.count('class="headline-only"') == 3
        article = c.get(f"/articles/{story.article_ids[0]}").text
        assert "it can support a fact only through its headline" in article
    seeds = client.get(f"/stories/{seed_story(client)['id']}").text  # articles with a body carry no mark
    assert "Sources" in seeds and 'class="headline-only"' not in seeds
