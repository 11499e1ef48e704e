"""The JSON API under /api: typed responses (web/schemas.py), every route through newsfuse.api."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsfuse import api
from newsfuse.errors import NewsfuseError, NotFound
from newsfuse.ingest import ReadOptions
from newsfuse.web import schemas

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ErrorOut, "description": "bad request"},
    404: {"model": schemas.ErrorOut, "description": "not found"},
    422: {"model": schemas.ErrorOut, "description": "invalid parameters"},
}


def router(web: Any) -> APIRouter:
    """The JSON routes over the app's shared state `web` (see app.Web)."""
    routes = APIRouter(prefix="/api", responses=ERRORS)

    @routes.get("/stories", response_model=schemas.StoryPage, summary="Stories, newest and biggest first")
    def stories(q: str | None = Query(None, max_length=500, description="words in the stories' articles"),
                outlet: str | None = Query(None, max_length=200), entity: str | None = Query(None, max_length=200),
                since: str | None = Query(None, max_length=10, description="last seen on or after YYYY-MM-DD"),
                until: str | None = Query(None, max_length=10, description="first seen on or before YYYY-MM-DD"),
                offset: int = Query(0, ge=0, le=10_000_000), limit: int = Query(20, ge=1, le=500)) -> Any:
        store = web.stores.get()
        filters = {"outlet": outlet, "entity": entity, "since": since, "until": until, "query": q}
        version = api.changes(store)["version"]

        def make() -> bytes:
            total = api.count_stories(store, **filters)
            found = api.list_stories(store, **filters, limit=limit, offset=offset)
            items = api.story_cards(store, found, web.cache.digests)
            page = schemas.StoryPage(items=items, total=total, offset=offset, limit=limit,
                                     next_offset=offset + limit if offset + limit < total else None)
            return page.model_dump_json().encode()

        body = web.cache.get(("api-stories", tuple(filters.items()), offset, limit, version), make)
        return Response(body, media_type="application/json")

    @routes.get("/stories/{story_id}", response_model=schemas.FusedStoryOut | schemas.StoryPending,
                summary="A story: its fused account (the README's story JSON contract), or why there is none yet")
    def story(story_id: str) -> Any:
        store = web.stores.get()
        found = api.get_story(store, story_id)
        stamp = store.fused_stamps([found.id]).get(found.id)
        state = api.story_state(found, stamp)
        if state in ("fused", "updating"):
            key = ("api-story", found.id, stamp[1] if stamp else None)
            return Response(web.cache.get(key, lambda: json.dumps(store.fused(found.id)[2]).encode()),
                            media_type="application/json")
        if state == "fusing" and web.worker is not None:
            web.worker.poke()
        detail = api.story_detail(store, found)
        return schemas.StoryPending(id=found.id, title=found.title, state=state, articles=detail["articles"],
                                    by_outlet=detail["by_outlet"])

    @routes.get("/articles/{article_id}", response_model=schemas.ArticleOut, summary="An article with its cleaning log")
    def article(article_id: str) -> Any:
        return api.article_view(web.stores.get(), article_id)

    @routes.get("/entities/{name}", response_model=schemas.EntityOut, summary="An entity: aliases, stories, quotes")
    def entity(name: str) -> Any:
        return api.entity_view(web.stores.get(), name)

    @routes.get("/search", response_model=list[schemas.SearchHit], summary="Full-text search over articles")
    def search(q: str = Query(..., min_length=1, max_length=500), limit: int = Query(20, ge=1, le=500)) -> Any:
        return api.search(web.stores.get(), q, limit)

    @routes.get("/changes", response_model=schemas.Changes, summary="What changed: poll this to refresh a list")
    def changes() -> Any:
        return api.changes(web.stores.get())

    @routes.post("/jobs", response_model=schemas.Job, status_code=202,
                 summary="Add URLs and feeds (as the add page does); poll GET /api/jobs/ID for progress")
    def add(inputs: list[str], request: Request) -> Any:
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise NewsfuseError("send the URLs as a JSON list with Content-Type: application/json")
        if web.worker is None:
            raise NewsfuseError("this server runs without a background worker: add with `newsfuse ingest`")
        urls = [i.strip() for i in inputs if i.strip()]
        if not urls or not all(u.lower().startswith(("http://", "https://")) for u in urls):
            raise NewsfuseError("give one or more http(s) URLs (files go through the add page's upload)")
        return web.worker.job(web.worker.submit(urls, ReadOptions(allow_private=web.allow_private)))

    @routes.get("/jobs/{job_id}", response_model=schemas.Job, summary="Progress of an added batch")
    def job(job_id: str) -> Any:
        found = web.worker.job(job_id) if web.worker is not None else None
        if found is None:
            raise NotFound(f"no batch {job_id}")
        return found

    return routes
