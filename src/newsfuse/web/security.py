"""Request guards: Host allow-list, access token off loopback, CSRF tokens for forms, security headers.

A pure-ASGI middleware (no BaseHTTPMiddleware: it would buffer every response and serialise streaming).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode

from newsfuse.errors import NewsfuseError

TOKEN_COOKIE = "newsfuse_token"
CSRF_COOKIE = "newsfuse_csrf"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# No inline script anywhere: every script is a file under /static; styles too. Pages may not be framed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# Swagger UI and ReDoc set styles from their own (locally served) scripts; their pages alone allow that.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
DOCS_PATHS = ("/api/docs", "/api/redoc")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses: the only binds that may run without a token."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Guard:
    """What the middleware enforces, resolved once when the app is made."""

    allowed_hosts: tuple[str, ...]
    token: str | None
    secret: bytes

    @classmethod
    def for_bind(cls, bind_host: str, token: str | None, allowed_hosts: Iterable[str] = ()) -> Guard:
        """The guard for a server listening on `bind_host`; refuses a non-loopback bind without a token."""
        if not is_loopback(bind_host) and not token:
            raise NewsfuseError(
                f"refusing to serve on {bind_host} without a token: anyone who can reach it could read and add. "
                "Pass --token (or set NEWSFUSE_TOKEN), or listen on 127.0.0.1.")
        hosts = {h.strip().lower() for h in allowed_hosts if h.strip()} | set(LOOPBACK_NAMES)
        if bind_host not in ("0.0.0.0", "::"):
            hosts.add(bind_host.strip("[]").lower())
        return cls(tuple(sorted(hosts)), token or None, secrets.token_bytes(32))

    def host_allowed(self, header: str) -> bool:
        host = header.strip().lower()
        if host.startswith("["):
            host = host[1:host.find("]")] if "]" in host else host
        elif host.count(":") == 1:
            host = host.split(":", 1)[0]
        return host in self.allowed_hosts or "*" in self.allowed_hosts

    def token_ok(self, presented: str | None) -> bool:
        return self.token is None or (presented is not None and hmac.compare_digest(presented, self.token))

    def csrf_for(self, cookie_value: str) -> str:
        """The form token that goes with a browser's CSRF cookie (an HMAC: a page on another site cannot make one)."""
        return hmac.new(self.secret, cookie_value.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, cookie_value: str | None, form_value: str | None) -> bool:
        if not cookie_value or not form_value:
            return False
        return hmac.compare_digest(self.csrf_for(cookie_value), form_value)


def cookies_of(scope: dict[str, Any]) -> dict[str, str]:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored, as browsers do
                return {}
            return {k: m.value for k, m in jar.items()}
    return {}


def header(scope: dict[str, Any], wanted: bytes) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == wanted:
            return value.decode("latin-1")
    return None


ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]]


class GuardMiddleware:
    """Refuses a request whose Host is not allowed (400) or that lacks the token (401); adds security headers."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if not self.guard.host_allowed(header(scope, b"host") or ""):
            await _refuse(scope, send, 400, "this server does not answer for that Host header")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        from_query = (query.get("token") or [None])[0]
        bearer = header(scope, b"authorization") or ""
        presented = (bearer[7:] if bearer.lower().startswith("bearer ") else None) or from_query \
            or cookies_of(scope).get(TOKEN_COOKIE)
        if not self.guard.token_ok(presented):
            await _refuse(scope, send, 401, "a token is needed: open the link with ?token=… once, or send "
                                            "Authorization: Bearer TOKEN")
            return
        if from_query and self.guard.token and scope.get("method") == "GET" and not path.startswith("/api/"):
            # Trade the token in the address for a cookie, so it does not stay in the address bar or history.
            rest = urlencode([(k, v) for k, vs in query.items() if k != "token" for v in vs], doseq=True)
            await _redirect_with_cookie(send, path + (f"?{rest}" if rest else ""), from_query)
            return
        csp = DOCS_CSP if path in DOCS_PATHS else CSP

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(scope: dict[str, Any], send: Any, status: int, message: str) -> None:
    path = scope.get("path", "")
    wants_json = path.startswith("/api/") or path == "/openapi.json"
    if wants_json:
        body = json.dumps({"error": message, "status": status}).encode()
        kind = b"application/json"
    else:
        from html import escape

        body = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{status}</title></head>"
                f"<body><h1>{status}</h1><p>{escape(message)}</p></body></html>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"content-security-policy", CSP.encode())]})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send: Any, location: str, token: str) -> None:
    cookie = f"{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})
