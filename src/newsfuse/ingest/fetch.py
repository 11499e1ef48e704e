"""Fetch one URL safely: timeouts, a size cap, redirects re-checked, private addresses refused."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsfuse.errors import FetchRefused, InputError
from newsfuse.ingest.options import ReadOptions

# Redirect hops followed before giving up; browsers allow ~20, news sites need 1-3 (http→https→www).
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
USER_AGENT = "newsfuse/0.1 (+https://github.com/newsfuse)"


@dataclass(frozen=True)
class Fetched:
    """A fetched response: the final URL after redirects, its body, and its media type."""

    url: str
    content: bytes
    content_type: str  # media type only, lower case ("text/html"), "" when the server sent none
    status: int  # 304 (no content) when a conditional request found nothing new
    etag: str | None = None  # validators for the next conditional request
    last_modified: str | None = None


def address_refusal(address: str) -> str | None:
    """Why an IP address may not be fetched from (private, loopback ...), or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for attribute, name in (
        ("is_loopback", "loopback"), ("is_link_local", "link-local"), ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"), ("is_reserved", "reserved"), ("is_private", "private"),
    ):
        if getattr(ip, attribute):
            return name
    if not ip.is_global:  # shared address space (100.64/10) and the like
        return "non-public"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address a host name resolves to; raises InputError when it resolves to none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(host, f"cannot resolve host {host!r}: {getattr(exc, 'strerror', None) or exc}") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_host(url: str, host: str, port: int, allow_private: bool) -> list[str]:
    """The host's addresses, after refusing any that is not public (unless allowed)."""
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            why = address_refusal(address)
            if why:
                raise FetchRefused(
                    url, f"refused: {host} resolves to {why} address {address}; "
                    "pass --allow-private to fetch from private, loopback or link-local addresses",
                )
    return addresses


def _within(deadline: float, timeout: float | None) -> float:
    """The time a socket operation may take: its own timeout, cut to what is left before the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the fetch's total time ran out")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline: a server that sends its
    headers or body one byte at a time cannot hold a fetch past --timeout."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _within(self.deadline, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _within(self.deadline, timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # type: ignore[no-untyped-def]
        tls = self.stream.start_tls(ssl_context, server_hostname, _within(self.deadline, timeout))
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> object:
        return self.stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses it has checked itself, so a host cannot re-resolve (DNS rebinding)
    to a private address between the check and the connection; every connection ends by `deadline`."""

    def __init__(self, allow_private: bool, deadline: float) -> None:
        self.allow_private = allow_private
        self.deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        addresses = check_host(f"{host}:{port}", host, port, self.allow_private)
        last: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port, _within(self.deadline, timeout), local_address,
                                             socket_options)
                return _DeadlineStream(stream, self.deadline)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")


def _client(options: ReadOptions, deadline: float) -> httpx.Client:
    transport = httpx.HTTPTransport(trust_env=False, retries=0)
    # httpx has no public hook for the socket layer; its pool takes a network backend.
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):
        raise RuntimeError("this httpx/httpcore version has no network backend hook: the fetch guards need one")
    pool._network_backend = _GuardedBackend(options.allow_private, deadline)
    return httpx.Client(
        transport=transport, timeout=httpx.Timeout(options.fetch_timeout), follow_redirects=False,
        trust_env=False, headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/rss+xml, "
                                  "application/atom+xml, application/xml;q=0.9, */*;q=0.5"},
    )


def fetch(url: str, options: ReadOptions, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET a URL, following redirects by hand so each hop's address is checked before connecting.

    With `etag` / `last_modified` from an earlier fetch the request is conditional (If-None-Match /
    If-Modified-Since): a server with nothing new answers 304, returned as a Fetched with no content.
    Raises FetchRefused for a non-public address (without --allow-private) and InputError for
    anything else that goes wrong (unreachable, timeout, HTTP error, too large, too many redirects).
    The whole fetch (every hop's connect, headers and body) ends within the fetch_timeout setting.
    """
    conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
    deadline = time.monotonic() + options.fetch_timeout
    current = url
    with _client(options, deadline) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            _check_url(current, url, options)
            try:
                with client.stream("GET", current, headers=conditional) as response:
                    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    validators = response.headers.get("etag"), response.headers.get("last-modified")
                    if response.status_code == 304:
                        return Fetched(str(response.url), b"", "", 304, validators[0] or etag, validators[1] or last_modified)
                    if response.status_code >= 400:
                        raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase} from {current}")
                    body = _read_capped(response, url, options.fetch_max_bytes, deadline)
                    media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                    return Fetched(str(response.url), body, media, response.status_code, *validators)
            except httpx.TimeoutException as exc:
                raise InputError(url, f"timed out after {options.fetch_timeout:g} s (--timeout): {type(exc).__name__}") from exc
            except httpx.InvalidURL as exc:
                raise InputError(url, f"not a valid URL: {exc}") from exc
            except httpx.HTTPError as exc:  # a FetchRefused from the guarded backend passes through as is
                raise InputError(url, f"unreachable: {exc or type(exc).__name__}") from exc
    raise InputError(url, f"more than {MAX_REDIRECTS} redirects")


def _check_url(current: str, original: str, options: ReadOptions) -> None:
    try:
        parts = urlsplit(current)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise InputError(original, f"not a valid URL {current!r}: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise InputError(original, f"redirected to a non-HTTP address {current!r}")
    if not parts.hostname:
        raise InputError(original, f"no host in {current!r}")
    check_host(original, parts.hostname, port, options.allow_private)


def _read_capped(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, f"response is larger than the {max_bytes:,}-byte limit ({int(declared):,} bytes declared; --max-bytes)")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"response is larger than the {max_bytes:,}-byte limit (--max-bytes)")
        if time.monotonic() > deadline:
            raise InputError(url, "download too slow: gave up before the body was complete (--timeout)")
        chunks.append(chunk)
    return b"".join(chunks)
