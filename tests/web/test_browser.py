"""The report and the web app as a person sees them: headless Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time

import pytest

from newsfuse import api
from tests.conftest import SEEDS

pytestmark = pytest.mark.seed

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("CI must have Debian's chromium installed (scripts/test.sh installs it)")
    pytest.skip("no chromium here: apt-get install chromium")
    raise AssertionError  # unreachable


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("run")
    with api.open_db(out / "db.sqlite") as store:
        summary = api.run([str(SEEDS)], store, out)
    return out, summary


def test_report_heatmap_shows_one_filled_cell_per_outlet_reporting_each_fact(browser, seeds_run, tmp_path):
    out, summary = seeds_run
    html_path = next(p for p in summary["outputs"] if p.endswith(".html") and "/stories/" in p)
    fused = json.loads(open(html_path[:-5] + ".json", encoding="utf-8").read())
    expected_on = sum(len({s["article"] for s in f["sources"]}) for f in fused["facts"])
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"file://{html_path}")
    on_cells = page.locator(".heat .c.on")
    assert on_cells.count() == expected_on
    box = on_cells.first.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 10
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)


def test_clicking_a_fact_shows_each_outlets_words(browser, seeds_run):
    out, summary = seeds_run
    html_path = next(p for p in summary["outputs"] if p.endswith(".html") and "/stories/" in p)
    page = browser.new_page()
    page.goto(f"file://{html_path}")
    first = page.locator(".heat details").first
    assert not first.locator("blockquote").first.is_visible()
    first.locator("summary").click()
    assert first.locator("blockquote").first.is_visible()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_searching_from_the_web_app_finds_the_tass_trade_figure(browser, seeds_run):
    import uvicorn

    from newsfuse.web import create_app

    out, _ = seeds_run
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(out / "db.sqlite"), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 20
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.fill("input[name=q][type=search]", "trade turnover")
        page.press("input[name=q][type=search]", "Enter")
        page.wait_for_url("**/search?q=*")
        assert "TASS" in page.locator("main").inner_text()
        page.locator("main a").first.click()
        assert "431.6" in page.locator("pre.text").inner_text()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
