"""The Python API: the functions that the CLI and the web app both call."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from newsfuse import pipeline
from newsfuse.engines import EngineOptions
from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions
from newsfuse.models import Article, Entity, FusedStory, Story, to_dict
from newsfuse.settings import SETTINGS, Settings, describe, resolve  # noqa: F401 (SETTINGS: for the CLI)
from newsfuse.store import Store, open_store
from newsfuse.timing import phase


def fix_threads(workers: int = 1) -> int:
    """Give this process's numeric libraries (numpy, onnxruntime ...) the threads each of `workers` processes
    sharing the cores should have; returns that count. Call it before any work, as the CLI does: the
    libraries read it once, when they load, and worker processes inherit it."""
    from newsfuse.text.threads import limit_threads, threads_per_worker

    threads = threads_per_worker(workers)
    limit_threads(threads)
    return threads


def current_settings(given: Settings | None = None) -> Settings:
    """`given`, or the settings resolved from NEWSFUSE_* variables and the config file (for Python API callers).

    The CLI and the web app resolve the settings once and pass them to every call.
    """
    return given if given is not None else resolve()


def resolve_settings(flags: dict[str, Any] | None = None) -> Settings:
    """The effective settings for one run: `flags` (None: not given) > NEWSFUSE_* env > config file > default."""
    return resolve(flags)


def settings_report(settings: Settings) -> list[dict[str, Any]]:
    """Each setting's value and where it came from, for `newsfuse config`."""
    return describe(settings)


def database_fault(exc: BaseException, db: str) -> NewsfuseError | None:
    """A database backend's exception as one clear error naming the database and what to do, or None."""
    from newsfuse.store.faults import explain

    return explain(exc, db)


def open_db(db: str | Path | None = None, settings: Settings | None = None) -> Store:
    """Open the database given, or the configured one (`db` setting: NEWSFUSE_DB, config file, user data dir)."""
    path = db or current_settings(settings).db
    assert path is not None  # resolve() always fills in the default database
    return open_store(path)


# ---------------------------------------------------------------- ingest (issue 2)

def ingest(
    inputs: Iterable[str],
    store: Store,
    options: ReadOptions | None = None,
    on_document: pipeline.Progress | None = None,
    settings: Settings | None = None,
) -> pipeline.IngestReport:
    """Read, clean and store articles from files, directories, globs and URLs.

    Without `options`, the fetch and file limits and the outlet registry come from the settings.
    """
    if options is None:
        options = ReadOptions.from_settings(current_settings(settings))
    elif options.outlets_file is None:
        options = dataclasses.replace(options, outlets_file=current_settings(settings).outlets)
    return pipeline.ingest_inputs(inputs, store, options, on_document)


def list_articles(
    store: Store, outlet: str | None = None, since: str | None = None, until: str | None = None,
    limit: int | None = None,
) -> list[Article]:
    return store.articles(outlet=outlet, since=checked_day(since, "since"), until=checked_day(until, "until"),
                          limit=limit)


def checked_day(value: str | None, name: str) -> str | None:
    """`value` if it is a calendar date YYYY-MM-DD (None and "" mean no bound), else an error naming it."""
    import datetime

    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise NewsfuseError(f"{name} {value!r} is not a date: use YYYY-MM-DD, e.g. 2022-08-03")


def get_article(store: Store, key: str) -> Article:
    return store.article(key)


def article_summary(article: Article) -> dict[str, Any]:
    """The fields `newsfuse articles --json` shows for each article."""
    return {
        "id": article.id,
        "external_id": article.external_id,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published,
        "url": article.url,
        "language": article.language,
        "headline_only": article.headline_only,
    }


def article_detail(store: Store, article: Article) -> dict[str, Any]:
    """Everything `newsfuse article ID --json` shows: the article, its sources and its cleaning log."""
    data = to_dict(article)
    data["sources"] = [to_dict(s) for s in store.sources(article.id)]
    analysis = pipeline.load_analysis(store, article.id)
    if analysis is not None:
        data["analysis"] = analysis_view(analysis)
    return data


def original_bytes(store: Store, article: Article) -> bytes:
    """The first stored original of an article, byte for byte."""
    sources = store.sources(article.id)
    return store.original(sources[0].original_sha256)


def search(store: Store, query: str, limit: int = 20) -> list[dict[str, Any]]:
    return [
        {**article_summary(article), "snippet": snippet}
        for article, snippet in store.search(query, limit)
    ]


# ---------------------------------------------------------------- analyse (issue 3)

def analyse(store: Store, workers: int | None = None, on_article: pipeline.Progress | None = None,
            settings: Settings | None = None) -> int:
    """Analyse every article not yet analysed (or analysed by an older version); link their entities.

    `workers` overrides the `workers` setting; the `quote_tagger` setting picks the attribution tagger.
    """
    return pipeline.analyse_pending(store, workers=workers, on_article=on_article, settings=current_settings(settings))


def relink(store: Store) -> int:
    """Link every analysed article's entities again from scratch; how many entities there are now.

    `analyse` links each new article against the stored entities, touching only what it changes; this
    recomputes every link, as when the linking rules change."""
    return pipeline.relink_entities(store)


def count_entities(store: Store) -> int:
    return store.count_entities()


def analysis_view(analysis: Any) -> dict[str, Any]:
    """What `article ID --json` shows of an analysis: entities, quotes, dates and amounts with spans."""
    data = to_dict(analysis)
    return {
        "components": data["components"],
        "sentences": len(data["sentences"]),
        "entities": [m for m in data["mentions"] if m["part"] == "text"],
        "title_entities": [m for m in data["mentions"] if m["part"] == "title"],
        "quotes": data["quotes"], "dates": data["dates"], "amounts": data["amounts"],
    }


def list_entities(store: Store, limit: int | None = None) -> list[Entity]:
    return store.entities(limit=limit)


def get_entity(store: Store, name: str) -> tuple[Entity, list[dict[str, Any]]]:
    """One entity (by id, name or alias) and every mention of it, with outlet and title."""
    entity = store.entity(name)
    return entity, store.entity_mentions(entity.id)


def entity_summary(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "articles": len(entity.article_ids), "mentions": entity.mention_count}


# ---------------------------------------------------------------- stories (issue 4)

def cluster(store: Store, rebuild: bool = False, on_article: pipeline.Progress | None = None) -> list[str]:
    """Group unassigned articles into stories (all of them with `rebuild`); ids of stories that changed."""
    return pipeline.cluster_pending(store, rebuild=rebuild, on_article=on_article)


def list_stories(
    store: Store, outlet: str | None = None, entity: str | None = None, since: str | None = None,
    until: str | None = None, query: str | None = None, limit: int | None = None, offset: int = 0,
) -> list[Story]:
    """Stories, newest and biggest first; `limit` and `offset` give pages."""
    return store.stories(outlet=outlet, entity=entity, since=checked_day(since, "since"),
                         until=checked_day(until, "until"), query=query, limit=limit, offset=offset)


def get_story(store: Store, key: str) -> Story:
    return store.story(key)


def story_summary(store: Store, story: Story) -> dict[str, Any]:
    """What `newsfuse stories --json` shows for a story: its fields and each article with its external id."""
    data = to_dict(story)
    data["articles"] = [
        {"id": a.id, "external_id": a.external_id, "outlet": a.outlet, "published": a.published, "title": a.title,
         "url": a.url, "headline_only": a.headline_only}
        for a in _in_order(store.articles(ids=list(story.article_ids)), story.article_ids)
    ]
    return data


def story_detail(store: Store, story: Story) -> dict[str, Any]:
    """What `newsfuse story ID --json` shows: the summary plus the articles grouped by outlet."""
    data = story_summary(store, story)
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for article in data["articles"]:
        by_outlet.setdefault(article["outlet"] or "unknown outlet", []).append(article)
    data["by_outlet"] = by_outlet
    return data


def _in_order(articles: list[Article], ids: tuple[str, ...]) -> list[Article]:
    position = {article_id: i for i, article_id in enumerate(ids)}
    return sorted(articles, key=lambda a: position.get(a.id, len(position)))


def merge_stories(store: Store, a: str, b: str) -> Story:
    """Merge story `b` into story `a` (recorded in the story events)."""
    from newsfuse import stories

    return stories.merge(store, a, b, pipeline._analysis_reader(store))


def split_story(store: Store, story: str, article_ids: Iterable[str]) -> Story:
    """Move the given articles out of a story into a new one (recorded); returns the new story."""
    from newsfuse import stories

    return stories.split(store, story, list(article_ids), pipeline._analysis_reader(store))


# ---------------------------------------------------------------- fuse and report (issue 5)

def fuse(store: Store, story_ids: Iterable[str] | None = None, force: bool = False,
         on_error: Callable[[str, Exception], None] | None = None, settings: Settings | None = None) -> list[str]:
    """Fuse the stories whose membership changed (or those given); ids of the stories fused now.

    The setting `llm_endpoint` (--llm-endpoint, NEWSFUSE_LLM_ENDPOINT or the config file) adds a checked
    generative summary. With `on_error` (story id, exception), one story's failure does not stop the others.
    """
    return pipeline.fuse_pending(store, list(story_ids) if story_ids is not None else None, force=force,
                                 on_error=on_error, settings=current_settings(settings))


def get_fused(store: Store, story_id: str, settings: Settings | None = None) -> FusedStory:
    """A story's fused account, fusing it first when it has none or its membership changed."""
    from newsfuse.errors import NotFound
    from newsfuse.fuse.records import fused_from_dict

    story = store.story(story_id)
    if len(story.article_ids) < 2:
        raise NotFound(f"story {story.id} has {len(story.article_ids)} article: fusion needs two or more")
    pipeline.fuse_pending(store, [story.id], settings=current_settings(settings))
    stored = store.fused(story.id)
    if stored is None:
        raise NotFound(f"story {story.id} has no fused account: run `newsfuse fuse {story.id}`")
    return fused_from_dict(stored[2])


def report(store: Store, story_id: str, format: str = "html", settings: Settings | None = None) -> str:
    """A story's report as JSON, Markdown or a self-contained HTML page."""
    from newsfuse import report as reports

    if format not in reports.FORMATS:
        raise NewsfuseError(f"unknown report format {format!r}: use one of {', '.join(reports.FORMATS)}")
    fused = get_fused(store, story_id, settings)
    return reports.render(fused, format, _articles_of(store, fused))


def _articles_of(store: Store, fused: FusedStory) -> dict[str, Article]:
    """The stored articles a fused story cites, by id (the reports quote their text)."""
    return {a.id: a for a in store.articles(ids=[a["id"] for a in fused.articles])}


def write_reports(store: Store, out_dir: str | Path) -> list[str]:
    """One HTML, JSON and Markdown report per fused story, plus index.html; the paths written."""
    from newsfuse import report as reports
    from newsfuse.fuse.records import fused_from_dict

    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    written, entries = [], []
    for story in store.stories():
        stored = store.fused(story.id)
        if stored is None:
            continue
        fused = fused_from_dict(stored[2])
        articles = _articles_of(store, fused)
        for fmt, suffix in (("html", "html"), ("json", "json"), ("md", "md")):
            path = out / "stories" / f"{story.id}.{suffix}"
            path.write_text(reports.render(fused, fmt, articles), encoding="utf-8")
            written.append(str(path))
        entries.append((fused, f"stories/{story.id}.html"))
    index = out / "index.html"
    index.write_text(reports.render_index(entries), encoding="utf-8")
    return [*written, str(index)]


# ---------------------------------------------------------------- moving a database (issue 15)

def export_parquet(store: Store, directory: str | Path) -> dict[str, int]:
    """Every table of the database as DIRECTORY/TABLE.parquet (plus manifest.json); rows per table."""
    from newsfuse.store import transfer

    return transfer.export_parquet(store, directory)


def import_parquet(store: Store, directory: str | Path) -> dict[str, int]:
    """Load an export into this (empty) database, whichever backend either is; rows per table."""
    from newsfuse.store import transfer

    return transfer.import_parquet(store, directory)


# ---------------------------------------------------------------- the whole job

def run(inputs: Iterable[str], store: Store, out_dir: str | Path,
        options: ReadOptions | None = None, on_document: pipeline.Progress | None = None,
        workers: int | None = None, settings: Settings | None = None, **flags: Any) -> dict[str, Any]:
    """Ingest the inputs and every later stage, then write the results under `out_dir`.

    `workers` and `flags` override the settings `workers`, `shards`, `engine`, `threads`, `shard_size` and
    `ray_address`: with a shard directory the per-article stages run shard by shard on the engine (see
    ingest_shards). Returns what was done, where the results are, and the wall and CPU seconds of each
    phase (CPU time counts finished worker processes too), for the CLI to print.
    """
    import json

    given = {"workers": workers, **flags}
    settings = current_settings(settings).with_(**{k: v for k, v in given.items() if v is not None})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    phases: dict[str, dict[str, float]] = {}
    if settings.shards:
        with phase(phases, "shards"):
            report = ingest_shards(inputs, store, settings.shards, options, engine_options(settings),
                                   settings.shard_size, on_document)
    else:
        with phase(phases, "ingest"):
            report = ingest(inputs, store, options, on_document, settings)
        with phase(phases, "analyse"):
            pipeline.analyse_pending(store, workers=settings.workers, link=False, settings=settings)
    with phase(phases, "link"):
        pipeline.link_pending(store)
    with phase(phases, "cluster"):
        cluster(store)
    with phase(phases, "fuse"):
        fuse(store, settings=settings)
    with phase(phases, "write"):
        outputs = write_reports(store, out)
        listing = out / "articles.json"
        listing.write_text(json.dumps([article_summary(a) for a in store.articles()], indent=2, ensure_ascii=False))
    return {
        "ingested": len(report.ingested), "duplicates": len(report.duplicates), "failed": len(report.failed),
        "failures": [{"input": f.location, "reason": f.reason} for f in report.failed],
        "outputs": [str(listing), *outputs], "db": store.location, "phases": phases,
    }


def engine_options(settings: Settings) -> EngineOptions:
    """The engine settings out of resolved settings."""
    from newsfuse.engines import ENGINES

    if settings.engine not in ENGINES:
        raise NewsfuseError(f"unknown engine {settings.engine!r}: use one of {', '.join(ENGINES)}")
    from newsfuse.text.threads import threads_per_worker

    workers = max(1, settings.workers)
    return EngineOptions(engine=settings.engine, workers=workers,
                         threads=settings.threads or threads_per_worker(workers), ray_address=settings.ray_address)


def ingest_shards(inputs: Iterable[str], store: Store, shard_dir: str | Path, options: ReadOptions | None,
                  engine: EngineOptions, shard_size: int, on_document: pipeline.Progress | None = None,
                  ) -> pipeline.IngestReport:
    """Split the inputs into shards under `shard_dir`, read, clean and analyse each shard on the engine
    into a Parquet shard with a completion marker, then store them in shard order and link entities.

    A run killed part-way resumes from the markers: finished shards are neither processed nor stored twice."""
    from newsfuse.engines import process_shards
    from newsfuse.store.shards import ShardDir

    options = options or ReadOptions()
    shards = ShardDir(shard_dir)
    names = pipeline.split_inputs(list(inputs), shards, options, int(shard_size))
    process_shards(shards, names, options, engine)
    return pipeline.store_shards(store, shards, names, engine.workers, on_document, analyse=engine.analyse)


# ---------------------------------------------------------------- what the web app shows (issue 14)

def outlet_registry(settings: Settings | None = None) -> Any:
    """The outlet registry: the shipped table extended by the user's file (setting `outlets`)."""
    return pipeline.outlet_registry(current_settings(settings).outlets)


def count_stories(
    store: Store, outlet: str | None = None, entity: str | None = None, since: str | None = None,
    until: str | None = None, query: str | None = None,
) -> int:
    return store.count_stories(outlet=outlet, entity=entity, since=checked_day(since, "since"),
                               until=checked_day(until, "until"), query=query)


def changes(store: Store) -> dict[str, Any]:
    """A version string that changes whenever anything a page shows does, with the story and article counts."""
    version = store.data_version()
    parts = version.split("/")
    return {"version": version, "articles": int(parts[0]) if parts[0].isdigit() else 0,
            "stories": int(parts[3]) if parts[3].isdigit() else 0}


def story_state(story: Story, stamp: tuple[list[str], str] | None) -> str:
    """single (one article), fused (the fused account is of today's articles), updating (an older one exists)
    or fusing (none yet). Reads no fused data and runs nothing: the background worker fuses."""
    if len(story.article_ids) < 2:
        return "single"
    if stamp is None:
        return "fusing"
    return "fused" if sorted(stamp[0]) == sorted(story.article_ids) else "updating"


def coverage(outlets: Iterable[str], registry: Any = None) -> list[dict[str, Any]]:
    """Each outlet with its country, kind and lean from the outlet registry (None where it does not say)."""
    from newsfuse.clean.outlets import coverage as registry_coverage

    return registry_coverage(outlets, registry or outlet_registry())


def covered_only_by(cover: list[dict[str, Any]], among: list[dict[str, Any]] | None = None) -> str | None:
    """The blindspot line: "Covered only by …" when every outlet of `cover` shares a country, kind or lean
    (and, given `among`, the wider set of outlets does not), else None. Unknown values say nothing."""
    if not cover:
        return None
    if len(cover) == 1 and among is None:
        only = cover[0]
        known = ", ".join(v for v in (only["country"], only["kind"], only["lean"]) if v)
        return f"Covered only by {only['outlet']}" + (f" ({known})" if known else "")
    for field, words in (("country", "outlets from {}"), ("kind", "{} outlets"), ("lean", "{} outlets")):
        values = {c[field] for c in cover}
        if len(values) == 1 and None not in values:
            value = values.pop()
            if among is not None and {c[field] for c in among} == {value}:
                continue
            return "Covered only by " + words.format(value)
    return None


def story_cards(store: Store, found: list[Story], cache: dict[Any, Any] | None = None) -> list[dict[str, Any]]:
    """Each story as the front page shows it: summary fields, state, lead sentence, coverage strip, counts of
    facts by all / some / one outlet and of conflicts, and the blindspot line. `cache` (any dict the caller
    keeps) holds each fused account's digest, keyed by story and fusion time, so a page reads no fused data twice."""
    registry = outlet_registry()
    stamps = store.fused_stamps([s.id for s in found])
    cards = []
    for story in found:
        card = story_summary(store, story)
        stamp = stamps.get(story.id)
        card["state"] = story_state(story, stamp)
        digest = _digest(store, story, stamp, cache if cache is not None else {})
        card.update(digest)
        labels = pipeline.outlet_labels([(a["id"], a["outlet"], a["url"]) for a in card["articles"]], registry)
        card["coverage"] = coverage([labels[a["id"]] for a in card["articles"]], registry)
        card["only"] = covered_only_by(card["coverage"])
        cards.append(card)
    return cards


def _digest(store: Store, story: Story, stamp: tuple[list[str], str] | None, cache: dict[Any, Any]) -> dict[str, Any]:
    key = (story.id, stamp[1] if stamp else None, story.article_ids[0] if story.article_ids else None)
    if key in cache:
        return cache[key]
    counts = {"all": 0, "some": 0, "one": 0, "conflicts": 0}
    lead = ""
    stored = store.fused(story.id) if stamp else None
    if stored is not None:
        data = stored[2]
        for fact in data.get("facts", []):
            if fact.get("status") in counts:
                counts[fact["status"]] += 1
        counts["conflicts"] = len(data.get("conflicts", []))
        lead = next((s.get("text", "") for s in data.get("summary", []) if s.get("text")), "")
    if not lead and story.article_ids:
        first = store.articles(ids=[story.article_ids[0]])
        lead = first[0].paragraphs[0] if first and first[0].paragraphs else ""
    digest = {"lead": lead, "counts": counts}
    if len(cache) > 10_000:  # a bound, not a policy: a long-running server must not grow without end
        cache.clear()
    cache[key] = digest
    return digest


def story_view(store: Store, key: str) -> dict[str, Any]:
    """What the story page shows: the story card, its fused account when there is one (never fused here),
    and the full text of each article for the side-by-side view."""
    story = store.story(key)
    [card] = story_cards(store, [story])
    stored = store.fused(story.id) if card["state"] in ("fused", "updating") else None
    articles = _in_order(store.articles(ids=list(story.article_ids)), story.article_ids)
    card["fused"] = stored[2] if stored else None
    card["texts"] = {a.id: {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published,
                            "url": a.url, "text": a.text, "headline_only": a.headline_only} for a in articles}
    return card


def known_entities(store: Store, names: Iterable[str]) -> set[str]:
    """The names among `names` that open an entity page (a stored entity's id, name or alias)."""
    return store.known_entity_keys(n for n in names if n)


def article_view(store: Store, key: str) -> dict[str, Any]:
    """An article with its sources and analysis, and the story it belongs to."""
    article = store.article(key)
    data = article_detail(store, article)
    story_id = store.story_of(article.id)
    data["story"] = story_id
    data["story_title"] = store.story(story_id).title if story_id else None
    return data


def entity_view(store: Store, name: str, limit: int = 200) -> dict[str, Any]:
    """An entity's page: aliases, the stories it appears in, and quotes by it and about it."""
    entity, mentions = get_entity(store, name)
    data = entity_summary(entity)
    article_ids = list(dict.fromkeys(m["article_id"] for m in mentions))[:limit]
    story_ids = list(dict.fromkeys(s for s in (store.story_of(a) for a in article_ids) if s))
    data["stories"] = [{"id": s.id, "title": s.title, "articles": len(s.article_ids), "last_seen": s.last_seen}
                       for s in (store.story(i) for i in story_ids)]
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        spans.setdefault(m["article_id"], []).append((m["start"], m["end"]))
    by, about = [], []
    outlets = {a.id: a.outlet for a in store.articles(ids=article_ids)} if article_ids else {}
    for article_id in article_ids:
        analysis = pipeline.load_analysis(store, article_id)
        for q in analysis.quotes if analysis else ():
            row = {"article": article_id, "outlet": outlets.get(article_id), "speaker": q.speaker,
                   "text": q.content, "direct": q.direct}
            if q.speaker_entity == entity.id:
                by.append(row)
            elif any(q.content_start <= s and e <= q.content_end for s, e in spans.get(article_id, ())):
                about.append(row)
    data["quotes_by"], data["quotes_about"] = by, about
    return data


def watch(store: Store, feeds: Iterable[str], options: ReadOptions | None = None,
          settings: Settings | None = None) -> dict[str, Any]:
    """Poll each feed once (conditional requests), store new entries, then analyse, group and fuse them."""
    settings = current_settings(settings)
    if options is None:
        options = ReadOptions.from_settings(settings)
    elif options.outlets_file is None:
        options = dataclasses.replace(options, outlets_file=settings.outlets)
    polls = pipeline.poll_feeds(list(feeds), store, options)
    new = sum(len(p.report.ingested) for p in polls)
    changed = []
    if new:
        analyse(store, settings=settings)
        changed = cluster(store)
        fuse(store, changed, settings=settings)
    return {"feeds": [{"url": p.url, "changed": p.changed, "ingested": len(p.report.ingested),
                       "failed": [{"input": f.location, "reason": f.reason} for f in p.report.failed],
                       "error": p.error} for p in polls],
            "ingested": new, "stories_changed": changed}


def watched_feeds(store: Store) -> list[dict[str, Any]]:
    """Every feed `watch` has polled: its last status, error and validators."""
    return store.watched_feeds()
