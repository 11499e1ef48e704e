"""URLs: fetched with a timeout and a size cap, redirects re-checked, private addresses refused."""

from __future__ import annotations

import socket

import pytest

from newsfuse.errors import FetchRefused, InputError
from newsfuse.ingest import ReadOptions, read_input
from newsfuse.ingest import fetch as fetch_module
from newsfuse.ingest.fetch import address_refusal, fetch
from newsfuse.models import RawDocument, ReadFailure
from tests.ingest.conftest import FIXTURES

FERRY_PAGE = (FIXTURES / "html" / "ferry-harbor-daily.html").read_bytes()
LOCAL = ReadOptions(allow_private=True)


def read_all(url: str, options: ReadOptions = LOCAL) -> list[RawDocument | ReadFailure]:
    return list(read_input(url, options))


@pytest.mark.parametrize(
    ("address", "why"),
    [("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.10", "private"),
     ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
     ("224.0.0.251", "multicast"), ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"),
     ("::ffff:127.0.0.1", "loopback"), ("100.64.0.1", "non-public"), ("fc00::5", "private")],
)
def test_non_public_addresses_are_refused(address, why):
    assert address_refusal(address) == why


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) is None


def test_html_page_is_fetched_and_read(site):
    url = site.add("/news/ferry", FERRY_PAGE)
    (doc,) = read_all(url)
    assert isinstance(doc, RawDocument) and doc.kind == "url" and doc.location == url
    assert doc.content == FERRY_PAGE
    assert doc.declared["title"] == "Ferry service resumes after storm"


def test_loopback_is_refused_without_allow_private(site):
    url = site.add("/news/ferry", FERRY_PAGE)
    (failure,) = read_all(url, ReadOptions())
    assert isinstance(failure, ReadFailure) and failure.location == url
    assert "loopback" in failure.reason and "--allow-private" in failure.reason


def test_redirect_is_followed_and_the_final_url_recorded(site):
    final = site.add("/news/ferry", FERRY_PAGE)
    start = site.add("/short/f", b"", status=302, headers={"Location": "/news/ferry"})
    (doc,) = read_all(start)
    assert doc.declared["fetched_url"] == final


def test_redirect_to_a_private_address_is_refused(site, monkeypatch):
    real_resolve = fetch_module.resolve
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: ["10.0.0.7"] if host == "intranet.test" else real_resolve(host, port))
    monkeypatch.setattr(fetch_module, "address_refusal", lambda a: None if a == "127.0.0.1" else "private")
    start = site.add("/jump", b"", status=302, headers={"Location": "http://intranet.test/admin"})
    with pytest.raises(FetchRefused, match="intranet.test resolves to private address 10.0.0.7"):
        fetch(start, ReadOptions())


def test_redirect_loop_gives_up(site):
    loop = site.add("/loop", b"", status=301, headers={"Location": "/loop"})
    with pytest.raises(InputError, match="more than 5 redirects"):
        fetch(loop, LOCAL)


@pytest.mark.parametrize("declared_length", [True, False], ids=["content-length", "streamed"])
def test_oversize_response_is_refused(site, declared_length):
    url = site.add("/big", b"<p>" + b"x" * 50_000 + b"</p>", length=declared_length)
    (failure,) = read_all(url, ReadOptions(allow_private=True, fetch_max_bytes=10_000))
    assert isinstance(failure, ReadFailure) and "larger than the 10,000-byte limit" in failure.reason


def test_unreachable_url_is_a_failure():
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (failure,) = read_all(f"http://127.0.0.1:{port}/news")
    assert isinstance(failure, ReadFailure) and "unreachable" in failure.reason


def test_slow_server_times_out(site):
    url = site.add("/slow", FERRY_PAGE, delay=1.5)
    (failure,) = read_all(url, ReadOptions(allow_private=True, fetch_timeout=0.3))
    assert "timed out after 0.3 s" in failure.reason


def test_http_error_status_is_a_failure(site):
    (failure,) = read_all(site.base + "/missing")
    assert "HTTP 404" in failure.reason


def test_unknown_host_is_a_failure():
    (failure,) = read_all("http://no-such-host.invalid/news")
    assert "cannot resolve host" in failure.reason


def test_unsupported_content_type_is_a_failure(site):
    url = site.add("/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png")
    (failure,) = read_all(url)
    assert "unsupported content type 'image/png'" in failure.reason


def test_cli_refuses_loopback_and_names_the_flag(run_cli, site):
    url = site.add("/news/ferry", FERRY_PAGE)
    result = run_cli("ingest", url)
    assert result.exit_code == 1
    assert f"{url}: refused" in result.output and "--allow-private" in result.output


def test_cli_ingests_a_url_with_allow_private(run_cli, site):
    result = run_cli("ingest", "--allow-private", site.add("/news/ferry", FERRY_PAGE))
    assert result.exit_code == 0, result.output
    assert "ingested 1" in result.output


def test_invalid_url_is_a_failure():
    (failure,) = read_all("http://exa mple.org:99999/news")
    assert isinstance(failure, ReadFailure) and failure.location == "http://exa mple.org:99999/news"


def test_host_that_re_resolves_to_loopback_at_connect_time_is_refused(monkeypatch):
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public when checked, loopback when connecting
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: next(answers))
    with pytest.raises(FetchRefused, match="loopback address 127.0.0.1"):
        fetch("http://rebind.test/news", ReadOptions())


def trickling_server(delay: float) -> tuple[socket.socket, str]:
    """A server that answers every request with its headers one byte every `delay` seconds, forever."""
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                try:
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Pad: " + b"a" * 10_000:
                        conn.sendall(bytes([byte]))
                        time.sleep(delay)
                except OSError:
                    continue

    threading.Thread(target=serve, daemon=True).start()
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}/news"


def test_headers_sent_one_byte_at_a_time_do_not_outlast_the_timeout():
    import time

    listener, url = trickling_server(0.05)  # every read succeeds well inside any per-read timeout
    started = time.monotonic()
    try:
        (failure,) = read_all(url, ReadOptions(allow_private=True, fetch_timeout=1.0))
    finally:
        listener.close()
    assert isinstance(failure, ReadFailure) and "timed out after 1 s" in failure.reason
    assert time.monotonic() - started < 5  # one total deadline (it used to hang until killed)
