"""The report and the web app as a person sees them: Debian's Chromium driven by Playwright.

Screenshots go to screenshots/ at the repository root (git-ignored). Under CI (CI or NEWSFUSE_CI set) a
missing browser or Playwright is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfuse import api
from tests.conftest import ROOT, SEEDS, under_ci

pytestmark = pytest.mark.seed

SHOTS = ROOT / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1300, "height": 1000}


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if under_ci():
        pytest.fail("CI must have Debian's chromium installed (scripts/test.sh installs it)")
    pytest.skip("no chromium here: apt-get install chromium")
    raise AssertionError  # unreachable


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if under_ci():
            pytest.fail("CI must have playwright installed (the dev extra)")
        pytest.skip("playwright is not installed: pip install 'newsfuse[dev]'")
    executable = chromium_path()
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(db: Path, **options) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The web app over `db` on a loopback port, in a thread; yields its base URL."""
    import uvicorn

    from newsfuse.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, **options), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("run")
    with api.open_db(out / "db.sqlite") as store:
        summary = api.run([str(SEEDS)], store, out)
    return out, summary


def test_report_heatmap_shows_one_filled_cell_per_outlet_reporting_each_fact(browser, seeds_run):
    out, summary = seeds_run
    html_path = next(p for p in summary["outputs"] if p.endswith(".html") and "/stories/" in p)
    fused = json.loads(open(html_path[:-5] + ".json", encoding="utf-8").read())
    expected_on = sum(len({s["article"] for s in f["sources"]}) for f in fused["facts"])
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"file://{html_path}")
    on_cells = page.locator(".heat .c.on")
    assert on_cells.count() == expected_on
    box = on_cells.first.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10
    page.screenshot(path=str(SHOTS / "report.png"), full_page=True)


def test_a_reader_adds_the_seeds_and_reads_the_story(browser, tmp_path):
    """Add the seeds on the add page and watch progress; open the story from the front page; select a heatmap
    cell and see the sentence highlighted in the TASS article; follow a link to the article and back; search
    "Zakharova"; open the Lavrov entity page. Then the same pages at 390 px with no horizontal page scroll."""
    with serving(tmp_path / "db.sqlite") as base:
        page = browser.new_page(viewport=DESKTOP)
        page.goto(base + "/add")
        page.set_input_files("input[type=file]", [str(p) for p in sorted(SEEDS.glob("*.txt"))])
        page.click("button[type=submit]")
        page.wait_for_url("**/jobs/*")
        states = set()
        deadline = time.time() + 480  # generous: a hang fails, a slow shared machine does not
        while time.time() < deadline:
            with contextlib.suppress(Exception):  # the page reloads itself: read between reloads
                states.add(page.locator("#job-state").get_attribute("data-state", timeout=2000))
            if "done" in states or "failed" in states:
                break
            time.sleep(0.3)
        assert "done" in states, states
        assert states & {"queued", "reading", "analysing", "grouping", "fusing"}  # progress was shown on the way
        page.screenshot(path=str(SHOTS / "add-done.png"), full_page=True)

        page.goto(base + "/")
        page.locator(".card h2 a").filter(has_text="Myanmar").first.click()
        page.wait_for_url("**/stories/*")
        story_url = page.url
        page.screenshot(path=str(SHOTS / "story-desktop.png"), full_page=True)

        tass_cell = page.locator("td.c a[title^='TASS']").first
        article_id = tass_cell.get_attribute("data-article")
        tass_cell.click()
        highlighted = page.locator(f"#col-{article_id} .sel")
        assert highlighted.count() >= 1 and highlighted.first.is_visible()
        assert len(highlighted.first.inner_text().strip()) > 10
        assert page.locator(f"#col-{article_id} h3").inner_text().startswith("TASS")
        page.screenshot(path=str(SHOTS / "story-fact-selected.png"))

        page.locator(f"ol li a[href='/articles/{article_id}']").first.click()
        page.wait_for_url("**/articles/*")
        assert page.locator("a.story-link").count() == 1
        page.go_back()
        page.wait_for_url(story_url + "*")
        assert page.locator("h1").inner_text()

        page.fill("header input[type=search]", "Zakharova")
        page.press("header input[type=search]", "Enter")
        page.wait_for_url("**/search?q=*")
        assert page.locator("ol.hits li").count() >= 2 and "Zakharova" in page.locator("main").inner_text()

        page.goto(story_url)
        page.locator("a[href^='/entities/']", has_text="Lavrov").first.click()
        page.wait_for_url("**/entities/*")
        assert "Lavrov" in page.locator("h1").inner_text()
        entity_url = page.url
        page.screenshot(path=str(SHOTS / "entity-desktop.png"), full_page=True)

        phone = browser.new_page(viewport=PHONE)
        for name, url in (("front", base + "/"), ("story", story_url), ("search", base + "/search?q=Zakharova"),
                          ("entity", entity_url), ("add", base + "/add"), ("article", f"{base}/articles/{article_id}")):
            phone.goto(url)
            assert no_horizontal_scroll(phone), name
            phone.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
        phone.goto(story_url)
        phone.locator("td.c a[title^='TASS']").first.click()
        assert phone.locator(f"#col-{article_id} .sel").first.is_visible()
        assert no_horizontal_scroll(phone)


FERRY = ("The ferry between Lisk Island and the mainland will run twice as often from next month, the island council "
         "said on Thursday, after a winter in which queues at the harbour stretched for hours. The council said two "
         "more crossings a day would be added at first, and a second boat would join the route in the summer once "
         "repairs to its hull are finished. Fares will not change, the council's transport officer told reporters, "
         "and islanders with a resident card will keep their discount. Shop owners on the harbour front welcomed the "
         "plan, saying the long queues had kept visitors away during the coldest months of the year.")
LIBRARY = ("A new public library opened in the old customs house on Lisk Island on Friday, three years after the "
           "building was bought by the island council. The library holds about twelve thousand books and has a "
           "reading room for schoolchildren on its upper floor, the head librarian said at the opening. The "
           "restoration of the customs house, which dates from the eighteen-eighties, cost less than planned, "
           "according to the council, because volunteers cleaned and painted most of the rooms. The library will "
           "open six days a week and stay open late on Thursdays for evening classes in languages and computing.")


def test_watch_picks_up_a_new_feed_entry_and_the_open_front_page_shows_it_without_a_reload(browser, tmp_path,
                                                                                           feed_server):
    url, feed = feed_server
    feed["items"].append(("Ferry to run twice as often", FERRY))
    db = tmp_path / "db.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    watcher = None
    try:
        first = subprocess.run([sys.executable, "-m", "newsfuse", "--db", str(db), "watch", url, "--once",
                                "--allow-private", "--json"], capture_output=True, text=True, env=env, timeout=300)
        assert first.returncode == 0, first.stderr
        assert json.loads(first.stdout.splitlines()[-1])["ingested"] == 1
        with serving(db) as base:
            page = browser.new_page(viewport=DESKTOP)
            page.goto(base + "/")
            assert "Ferry to run twice as often" in page.locator("#story-list").inner_text()
            page.evaluate("window.stillTheSamePage = true")
            watcher = subprocess.Popen([sys.executable, "-m", "newsfuse", "--db", str(db), "watch", url,
                                        "--interval", "1", "--rounds", "300", "--allow-private", "--json"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            deadline = time.time() + 60
            while 304 not in feed["status"] and time.time() < deadline:
                time.sleep(0.2)
            assert 304 in feed["status"]  # the watcher asked with the feed's ETag and was told nothing changed
            feed["items"].append(("Library opens in the old customs house", LIBRARY))
            page.locator("#story-list", has_text="Library opens in the old customs house").wait_for(timeout=240_000)
            assert page.evaluate("window.stillTheSamePage === true")  # updated in place, not reloaded
            page.screenshot(path=str(SHOTS / "front-live.png"), full_page=True)
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.wait(timeout=20)


# OWASP XSS filter-evasion cheat sheet payloads (a selection covering each trick), each calling alert().
XSS = [
    "<script>alert('XSS')</script>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<SVG/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "\"><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    "<a href=\"javascript:alert('XSS')\">click</a>",
    "<STYLE>@import'javascript:alert(\"XSS\")';</STYLE>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "';alert(String.fromCharCode(88,83,83))//';alert(String.fromCharCode(88,83,83))//\"",
]
BODY = ("The harbour authority said on Monday that the north pier will close for repairs for six weeks from "
        "April, and ferries will use the south pier while the work goes on, a spokesman said.")


def test_xss_payloads_in_titles_texts_outlets_and_urls_render_as_text_and_never_run(browser, tmp_path):
    lines = []
    for n, payload in enumerate(XSS):
        lines.append({"id": f"x{n}", "title": f"Pier closes {payload}", "text": f"{BODY} {payload}",
                      "outlet": f"Outlet {n} {payload}", "url": f"javascript:alert({n})",
                      "published": "2025-03-1" + str(n % 9)})
    source = tmp_path / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    db = tmp_path / "db.sqlite"
    with api.open_db(db) as store:
        api.run([str(source)], store, tmp_path / "out")
        stories = [s.id for s in api.list_stories(store)]
        articles = [a.id for a in api.list_articles(store)]
    fired: list[str] = []
    with serving(db, background=False) as base:
        page = browser.new_page(viewport=DESKTOP)
        page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
        urls = [base + "/", base + "/search?q=pier", *(f"{base}/stories/{s}" for s in stories[:5]),
                *(f"{base}/articles/{a}" for a in articles)]
        for url in urls:
            page.goto(url)
            page.mouse.move(200, 300)
            page.mouse.move(400, 500)
        page.goto(f"{base}/articles/{articles[0]}")
        assert "<script>alert('XSS')</script>" in page.locator("h1").inner_text()  # shown as text
        assert page.locator("main script, main img, main iframe, main svg[onload]").count() == 0
    assert fired == []


def test_api_docs_render_offline_from_local_assets(browser, seeds_run):
    out, _ = seeds_run
    with serving(out / "db.sqlite", background=False) as base:
        page = browser.new_page(viewport=DESKTOP)
        remote: list[str] = []
        page.on("request", lambda r: remote.append(r.url)
                if r.resource_type in ("script", "stylesheet", "font") and r.url.startswith("http")
                and not r.url.startswith(base) else None)
        page.goto(base + "/api/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.locator(".opblock").count() >= 8
        page.goto(base + "/api/redoc")
        page.wait_for_selector("[data-section-id]", timeout=30_000)
        assert page.locator("[data-section-id]").count() >= 8
        page.screenshot(path=str(SHOTS / "redoc.png"))
    assert remote == []  # no script, style or font from anywhere but this server
