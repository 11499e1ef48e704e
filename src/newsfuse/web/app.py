"""App factory: guards, errors, docs and the page and JSON routes; every route calls newsfuse.api."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import api
from newsfuse.errors import NewsfuseError, NotFound
from newsfuse.settings import DEFAULTS
from newsfuse.store import Store
from newsfuse.web.security import Guard, GuardMiddleware
from newsfuse.web.worker import Worker

HERE = Path(__file__).parent
# Largest upload the add page accepts, all files together, and the seconds between polls of the feeds the
# add page was asked to watch: the settings upload_max_bytes and watch_interval (their defaults live there).
UPLOAD_MAX_BYTES = DEFAULTS.upload_max_bytes
WATCH_SECONDS = DEFAULTS.watch_interval
# Rendered pages kept per app (story pages keyed by the story's articles and fusion time).
PAGE_CACHE = 512


def web_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a stored `javascript:` link must never become clickable."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def templates() -> Environment:
    # Autoescape everything: titles, texts, quotes and outlet names are untrusted text from the web.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    env.filters["web_url"] = web_url
    return env


class Cache:
    """A small thread-safe LRU of rendered pages and computed digests."""

    def __init__(self, size: int = PAGE_CACHE) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.digests: dict[Any, Any] = {}

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Stores:
    """One open database connection per server thread (opening one runs migrations: not per request)."""

    def __init__(self, db: str | Path) -> None:
        self.db = str(db)
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = api.open_db(self.db)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                store.close()
            self._all.clear()


@dataclass
class Web:
    """What every route needs: the database, templates, the worker, the guard, caches and limits."""

    stores: Stores
    env: Environment
    worker: Worker | None
    guard: Guard
    cache: Cache
    upload_max_bytes: int
    watch_seconds: float
    allow_private: bool
    watched: list[str] = field(default_factory=list)

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.render(name, **context), status_code=status)

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)


def create_app(db: str | Path, bind_host: str = "127.0.0.1", token: str | None = None,
               allowed_hosts: Iterable[str] = (), upload_max_bytes: int = UPLOAD_MAX_BYTES,
               background: bool = True, watch: Iterable[str] = (), watch_seconds: float = WATCH_SECONDS,
               allow_private: bool = False) -> FastAPI:
    """The web app over the database at `db`.

    `bind_host` is where the server listens: off loopback a `token` is required (NewsfuseError without one)
    and every request must present it. Only Host headers naming the bind address, loopback names or one of
    `allowed_hosts` are answered. With `background`, a worker thread fuses changed stories and runs the add
    page's batches; `watch` lists feeds it polls every `watch_seconds`.
    """
    guard = Guard.for_bind(bind_host, token, allowed_hosts)
    worker = Worker(db) if background else None
    web = Web(Stores(db), templates(), worker, guard, Cache(), upload_max_bytes, watch_seconds, allow_private,
              list(watch))
    poller = _FeedPoller(web) if background else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        if worker is not None:
            worker.start()
        if poller is not None:
            poller.start()
        yield
        if poller is not None:
            poller.stop()
        if worker is not None:
            worker.stop()
        web.stores.close()

    app = FastAPI(title="newsfuse", version="0.1.0", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=lifespan, description="Stories fused from many outlets: facts, conflicts, quotes, coverage.")
    app.state.web = web
    _mount_docs(app)  # before /static, which would otherwise answer for /static/docs
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _errors(app, web)
    from newsfuse.web import api_routes, pages

    app.include_router(api_routes.router(web))
    app.include_router(pages.router(web))
    app.add_middleware(GuardMiddleware, guard=guard)
    return app


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from assets installed with the app (fastapi-offline ships them): no CDN."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/docs", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsfuse API</title>'
            '<link rel="stylesheet" href="/static/docs/swagger-ui.css"></head><body><div id="swagger-ui"></div>'
            '<script src="/static/docs/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script>'
            "</body></html>")

    @app.get("/api/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsfuse API</title></head><body>'
            '<redoc spec-url="/openapi.json"></redoc><script src="/static/docs/redoc.standalone.js"></script>'
            "</body></html>")

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi_alias() -> JSONResponse:
        return JSONResponse(app.openapi())


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _errors(app: FastAPI, web: Web) -> None:
    """JSON errors under /api (and /openapi.json), styled HTML pages elsewhere."""

    def error(request: Request, status: int, message: str, title: str | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return web.page("error.html", status=status, message=message, title=title)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return error(request, 404, str(exc).split(": `newsfuse")[0], "Not found")

    @app.exception_handler(NewsfuseError)
    async def bad_request(request: Request, exc: NewsfuseError) -> Response:
        return error(request, 400, str(exc), "Cannot do that")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: f"nothing at {request.url.path}"}.get(exc.status_code, str(exc.detail))
        return error(request, exc.status_code, message, "Not found" if exc.status_code == 404 else "Error")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
                             for e in exc.errors())
        if _wants_json(request):
            return JSONResponse({"error": problems, "status": 422, "detail": exc.errors()}, status_code=422)
        return web.page("error.html", status=422, message=problems, title="Check the address")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        return error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details", "Error")


class _FeedPoller:
    """Polls the watched feeds on a schedule, through the worker's queue (one writer at a time)."""

    def __init__(self, web: Web) -> None:
        self.web = web
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="newsfuse-feeds", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.web.watched and self.web.worker is not None:
                self.web.worker.submit_watch(list(self.web.watched), self.web.allow_private)
            self._stop.wait(self.web.watch_seconds)
