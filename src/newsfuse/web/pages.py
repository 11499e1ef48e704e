"""The HTML pages: front page, story, article, entity, search, add and its progress; all through newsfuse.api."""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsfuse import api
from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions
from newsfuse.web import views
from newsfuse.web.security import CSRF_COOKIE, cookies_of

# Stories per front page.
PER_PAGE = 20
# A page for a story being fused reloads itself after this many seconds.
REFRESH_SECONDS = 3
# Filenames of uploads keep only these characters (the rest become "_"): no path can be smuggled in.
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
# A highlight request is "START-END" in characters.
HIGHLIGHT = re.compile(r"^(\d{1,9})-(\d{1,9})$")


def router(web: Any) -> APIRouter:
    """The page routes over the app's shared state `web` (see app.Web)."""
    pages = APIRouter(include_in_schema=False)

    def story_list(q: str, outlet: str, entity: str, since: str, until: str, page: int) -> dict[str, Any]:
        store = web.stores.get()
        filters = {"outlet": outlet or None, "entity": entity or None, "since": since or None, "until": until or None,
                   "query": q or None}
        version = api.changes(store)["version"]

        def make() -> dict[str, Any]:
            total = api.count_stories(store, **filters)
            found = api.list_stories(store, **filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
            return {"stories": api.story_cards(store, found, web.cache.digests), "total": total,
                    "pages": max(1, -(-total // PER_PAGE)), "total_articles": int(version.split("/")[0] or 0)}

        data = web.cache.get(("list", q, outlet, entity, since, until, page, version), make)
        args = {"q": q, "outlet": outlet, "entity": entity, "since": since, "until": until}
        kept = {k: v for k, v in args.items() if v}

        def page_link(n: int) -> str:
            return "/?" + urlencode({**kept, "page": n})

        return {**data, "page": page, "page_link": page_link, "f": args, "filtered": bool(kept), "version": version,
                "fragment": "/fragments/stories?" + urlencode({**kept, "page": page})}

    @pages.get("/", response_class=HTMLResponse)
    def front(q: str = Query("", max_length=500), outlet: str = Query("", max_length=200),
              entity: str = Query("", max_length=200), since: str = Query("", max_length=10),
              until: str = Query("", max_length=10), page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
        return web.page("stories.html", q=q, **story_list(q, outlet, entity, since, until, page))

    @pages.get("/fragments/stories", response_class=HTMLResponse)
    def front_fragment(q: str = Query("", max_length=500), outlet: str = Query("", max_length=200),
                       entity: str = Query("", max_length=200), since: str = Query("", max_length=10),
                       until: str = Query("", max_length=10), page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
        return web.page("_story_list.html", **story_list(q, outlet, entity, since, until, page))

    @pages.get("/stories/{story_id}", response_class=HTMLResponse)
    def story(story_id: str) -> HTMLResponse:
        store = web.stores.get()
        found = api.get_story(store, story_id)
        stamp = store.fused_stamps([found.id]).get(found.id)
        state = api.story_state(found, stamp)
        if state == "fusing" and web.worker is not None:
            web.worker.poke()  # the worker fuses; this request never does
        key = ("story", found.id, found.article_ids, stamp[1] if stamp else None)

        def make() -> str:
            view = api.story_view(store, found.id)
            if view["state"] in ("fused", "updating") and view.get("fused"):
                linked = api.known_entities(store, views.entity_names(view))
                return web.render("story.html", s=view, p=views.story_page(view, linked))
            failed = web.worker.failed.get(found.id) if web.worker is not None else None
            return web.render("story_pending.html", s=view, refresh=REFRESH_SECONDS, failed=failed)

        return HTMLResponse(web.cache.get(key, make) if state != "fusing" else make())

    @pages.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(article_id: str, hl: str = Query("", max_length=25)) -> HTMLResponse:
        data = api.article_view(web.stores.get(), article_id)
        return web.page("article.html", a=data, paragraphs=_marked(data["text"], hl))

    @pages.get("/entities/{name}", response_class=HTMLResponse)
    def entity(name: str) -> HTMLResponse:
        return web.page("entity.html", e=api.entity_view(web.stores.get(), name))

    @pages.get("/search", response_class=HTMLResponse)
    def search(q: str = Query("", max_length=500)) -> HTMLResponse:
        hits = api.search(web.stores.get(), q, limit=50) if q.strip() else []
        return web.page("search.html", q=q, hits=hits)

    @pages.get("/add", response_class=HTMLResponse)
    def add_form(request: Request) -> Response:
        cookie = cookies_of(request.scope).get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        response = web.page("add.html", csrf=web.guard.csrf_for(cookie), interval=int(web.watch_seconds),
                            max_mb=web.upload_max_bytes // 1_000_000, feeds=api.watched_feeds(web.stores.get()))
        response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict", path="/")
        return response

    @pages.post("/add")
    async def add(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > web.upload_max_bytes:
            raise NewsfuseError(f"the upload is {int(declared):,} bytes; the limit is {web.upload_max_bytes:,} "
                                "(setting upload_max_bytes)")
        form = await request.form(max_files=100, max_fields=20, max_part_size=web.upload_max_bytes)
        if not web.guard.csrf_ok(cookies_of(request.scope).get(CSRF_COOKIE), _field(form, "csrf")):
            return web.page("error.html", status=403, title="Form expired",
                            message="This form was not issued by this page (or it expired). Open the add page again.")
        if web.worker is None:
            raise NewsfuseError("this server runs without a background worker: add with `newsfuse ingest`")
        inputs = [line.strip() for line in _field(form, "urls").splitlines() if line.strip()]
        folder = await _save_uploads(form, web.upload_max_bytes)
        if folder is not None:
            inputs += sorted(str(p) for p in folder.iterdir())
        if not inputs:
            raise NewsfuseError("nothing to add: give URLs or choose files")
        urls = [i for i in inputs if i.lower().startswith(("http://", "https://"))]
        if _field(form, "watch") and urls:
            web.watched.extend(u for u in urls if u not in web.watched)
        job = web.worker.submit(inputs, ReadOptions(allow_private=web.allow_private), cleanup=folder)
        return RedirectResponse(f"/jobs/{job}", status_code=303)

    @pages.get("/jobs/{job_id}", response_class=HTMLResponse)
    def job(job_id: str) -> HTMLResponse:
        found = web.worker.job(job_id) if web.worker is not None else None
        if found is None:
            return web.page("error.html", status=404, title="Not found", message=f"no batch {job_id}")
        found["inputs"] = [_shown(i) for i in found["inputs"]]
        for failure in found["failures"]:
            failure["input"] = _shown(failure["input"])
        store = web.stores.get()
        stories = [api.story_summary(store, api.get_story(store, s)) for s in found["stories"]]
        return web.page("job.html", job=found, stories=stories)

    return pages


def _shown(location: str) -> str:
    """An input as the reader gave it: a URL as is, an upload by its file name (with any ":LINE" kept),
    never the server's temporary folder."""
    if location.lower().startswith(("http://", "https://")):
        return location
    path, sep, rest = location.partition(":")
    return Path(path).name + sep + rest


def _field(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _save_uploads(form: Any, limit: int) -> Path | None:
    """Write the uploaded files to a fresh folder under their (sanitised) names; None when there are none."""
    files = [f for f in form.getlist("files") if hasattr(f, "read") and getattr(f, "filename", "")]
    if not files:
        return None
    folder = Path(tempfile.mkdtemp(prefix="newsfuse-upload-"))
    total = 0
    for n, upload in enumerate(files):
        name = SAFE_NAME.sub("_", Path(upload.filename).name)[:120].lstrip(".") or f"upload-{n}"
        data = await upload.read()
        total += len(data)
        if total > limit:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
            raise NewsfuseError(f"the files add up to more than {limit:,} bytes (setting upload_max_bytes)")
        target = folder / name
        if target.exists():
            target = folder / f"{n}-{name}"
        target.write_bytes(data)
    return folder


def _marked(text: str, hl: str) -> list[list[dict[str, str]]]:
    """The article's paragraphs as pieces, the requested span (hl=START-END) marked "hl"."""
    match = HIGHLIGHT.match(hl or "")
    start, end = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    return views.marked_paragraphs(text, [(start, end, "hl")] if 0 <= start < end <= len(text) else [])
