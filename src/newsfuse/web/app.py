"""App factory: every page and JSON route calls newsfuse.api; templates escape all stored text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsfuse import api
from newsfuse.errors import NewsfuseError, NotFound
from newsfuse.store.sqlite import SQLiteStore

HERE = Path(__file__).parent
# Lists longer than this are cut with a "narrow your search" note rather than rendered whole.
PAGE_SIZE = 200


def _templates() -> Environment:
    # Autoescape everything: titles, texts, quotes and outlet names are untrusted text from the web.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    env.filters["web_url"] = web_url
    return env


def web_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a stored `javascript:` link must never become clickable."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def create_app(db: str | Path) -> FastAPI:
    """A FastAPI app serving the database at `db` (opened once per request, read-only use)."""
    app = FastAPI(title="newsfuse", docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    env = _templates()

    def store() -> SQLiteStore:
        return api.open_db(db)

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return page("error.html", status=404, message=str(exc))

    @app.exception_handler(NewsfuseError)
    async def bad_request(request: Request, exc: NewsfuseError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return page("error.html", status=400, message=str(exc))

    @app.get("/", response_class=HTMLResponse)
    def stories_page(q: str | None = None, outlet: str | None = None, entity: str | None = None) -> HTMLResponse:
        with store() as db_:
            found = api.list_stories(db_, outlet=outlet, entity=entity, query=q or None, limit=PAGE_SIZE + 1)
            rows = [api.story_summary(db_, s) for s in found[:PAGE_SIZE]]
            total = db_.count_articles()
        return page("stories.html", stories=rows, more=len(found) > PAGE_SIZE, q=q or "", outlet=outlet or "",
                    entity=entity or "", total_articles=total)

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(story_id: str) -> HTMLResponse:
        with store() as db_:
            story = api.get_story(db_, story_id)
            if len(story.article_ids) >= 2:
                return HTMLResponse(api.report(db_, story.id, "html"))
            return page("story.html", story=api.story_detail(db_, story))

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(article_id: str) -> HTMLResponse:
        with store() as db_:
            article = api.get_article(db_, article_id)
            return page("article.html", article=api.article_detail(db_, article))

    @app.get("/search", response_class=HTMLResponse)
    def search_page(q: str = Query("", max_length=500)) -> HTMLResponse:
        with store() as db_:
            hits = api.search(db_, q, limit=50) if q.strip() else []
        return page("search.html", q=q, hits=hits)

    @app.get("/api/stories")
    def stories_json(q: str | None = None, outlet: str | None = None, entity: str | None = None,
                     since: str | None = None, until: str | None = None,
                     limit: int = Query(100, ge=1, le=10_000)) -> list[dict[str, Any]]:
        with store() as db_:
            found = api.list_stories(db_, outlet=outlet, entity=entity, since=since, until=until, query=q, limit=limit)
            return [api.story_summary(db_, s) for s in found]

    @app.get("/api/stories/{story_id}")
    def story_json(story_id: str) -> Any:
        with store() as db_:
            story = api.get_story(db_, story_id)
            if len(story.article_ids) < 2:
                return api.story_detail(db_, story)
            return json.loads(api.report(db_, story.id, "json"))

    @app.get("/api/articles/{article_id}")
    def article_json(article_id: str) -> dict[str, Any]:
        with store() as db_:
            return api.article_detail(db_, api.get_article(db_, article_id))

    @app.get("/api/search")
    def search_json(q: str = Query(..., min_length=1, max_length=500), limit: int = Query(20, ge=1, le=500)) -> list[dict[str, Any]]:
        with store() as db_:
            return api.search(db_, q, limit)

    return app
