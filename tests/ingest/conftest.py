"""Fixtures for the readers: the project-written inputs, a WARC built from them, a local HTTP server."""

from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HTML_PAGES = sorted((FIXTURES / "html").glob("*.html"))
RSS = FIXTURES / "feeds" / "harbor-daily.rss"
ATOM = FIXTURES / "feeds" / "nordwire.atom"
JSONL = FIXTURES / "jsonl" / "articles.jsonl"


def write_warc(path: Path, pages: list[tuple[str, bytes]], gzip: bool = True, extras: bool = True) -> Path:
    """A WARC of HTML responses (one per page), with the request, image and 404 records a crawl also holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for uri, body in pages:
            if extras:
                request = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "example")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
            if extras:
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(uri + "/logo.png", "response",
                                                              payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)), http_headers=image))
                missing = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(uri + "/gone", "response",
                                                              payload=io.BytesIO(b"<html><body><p>Not found</p></body></html>"), http_headers=missing))
    return path


@pytest.fixture
def warc_pages() -> list[tuple[str, bytes]]:
    return [(f"https://archive.example/page/{i}", page.read_bytes()) for i, page in enumerate(HTML_PAGES)]


class Site:
    """Routes of the local server: path -> (status, headers, body, delay in seconds)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
        self.base = ""

    def add(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
            headers: dict[str, str] | None = None, delay: float = 0.0, length: bool = True) -> str:
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if length:
            all_headers["Content-Length"] = str(len(body))
        self.routes[path] = (status, all_headers, body, delay)
        return self.base + path


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    """A local HTTP server on 127.0.0.1 (a fresh port per test); add routes, then fetch site.base + path."""
    routes = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            status, headers, body, delay = routes.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"no such page", 0.0))
            if delay:
                time.sleep(delay)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    routes.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield routes
    server.shutdown()
    server.server_close()
