"""The Python API: the functions that the CLI and the web app both call."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfuse import pipeline, settings
from newsfuse.ingest import ReadOptions
from newsfuse.models import Article, Entity, FusedStory, Story, to_dict
from newsfuse.store import open_store
from newsfuse.store.sqlite import SQLiteStore


def open_db(db: str | Path | None = None) -> SQLiteStore:
    """Open the database given, or the configured default (NEWSFUSE_DB, config file, user data dir)."""
    path = db or settings.resolve({"db": None})["db"]
    return open_store(path)


# ---------------------------------------------------------------- ingest (issue 2)

def ingest(
    inputs: Iterable[str],
    store: SQLiteStore,
    options: ReadOptions | None = None,
    on_document: pipeline.Progress | None = None,
) -> pipeline.IngestReport:
    """Read, clean and store articles from files, directories, globs and URLs."""
    options = options or ReadOptions()
    if options.outlets_file is None:
        options = dataclasses.replace(options, outlets_file=settings.resolve({}).get("outlets"))
    return pipeline.ingest_inputs(inputs, store, options, on_document)


def list_articles(
    store: SQLiteStore, outlet: str | None = None, since: str | None = None, until: str | None = None,
    limit: int | None = None,
) -> list[Article]:
    return store.articles(outlet=outlet, since=since, until=until, limit=limit)


def get_article(store: SQLiteStore, key: str) -> Article:
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
    }


def article_detail(store: SQLiteStore, article: Article) -> dict[str, Any]:
    """Everything `newsfuse article ID --json` shows: the article, its sources and its cleaning log."""
    data = to_dict(article)
    data["sources"] = [to_dict(s) for s in store.sources(article.id)]
    analysis = pipeline.load_analysis(store, article.id)
    if analysis is not None:
        data["analysis"] = analysis_view(analysis)
    return data


def original_bytes(store: SQLiteStore, article: Article) -> bytes:
    """The first stored original of an article, byte for byte."""
    sources = store.sources(article.id)
    return store.original(sources[0].original_sha256)


def search(store: SQLiteStore, query: str, limit: int = 20) -> list[dict[str, Any]]:
    return [
        {**article_summary(article), "snippet": snippet}
        for article, snippet in store.search(query, limit)
    ]


# ---------------------------------------------------------------- analyse (issue 3)

def analyse(store: SQLiteStore, workers: int = 1, on_article: pipeline.Progress | None = None) -> int:
    """Analyse every article not yet analysed (or analysed by an older version); re-link entities."""
    return pipeline.analyse_pending(store, workers=workers, on_article=on_article)


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


def list_entities(store: SQLiteStore, limit: int | None = None) -> list[Entity]:
    return store.entities(limit=limit)


def get_entity(store: SQLiteStore, name: str) -> tuple[Entity, list[dict[str, Any]]]:
    """One entity (by id, name or alias) and every mention of it, with outlet and title."""
    entity = store.entity(name)
    return entity, store.entity_mentions(entity.id)


def entity_summary(entity: Entity) -> dict[str, Any]:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "articles": len(entity.article_ids), "mentions": entity.mention_count}


# ---------------------------------------------------------------- stories (issue 4)

def cluster(store: SQLiteStore, rebuild: bool = False, on_article: pipeline.Progress | None = None) -> list[str]:
    """Group unassigned articles into stories (all of them with `rebuild`); ids of stories that changed."""
    return pipeline.cluster_pending(store, rebuild=rebuild, on_article=on_article)


def list_stories(
    store: SQLiteStore, outlet: str | None = None, entity: str | None = None, since: str | None = None,
    until: str | None = None, query: str | None = None, limit: int | None = None,
) -> list[Story]:
    return store.stories(outlet=outlet, entity=entity, since=since, until=until, query=query, limit=limit)


def get_story(store: SQLiteStore, key: str) -> Story:
    return store.story(key)


def story_summary(store: SQLiteStore, story: Story) -> dict[str, Any]:
    """What `newsfuse stories --json` shows for a story: its fields and each article with its external id."""
    data = to_dict(story)
    data["articles"] = [
        {"id": a.id, "external_id": a.external_id, "outlet": a.outlet, "published": a.published, "title": a.title}
        for a in _in_order(store.articles(ids=list(story.article_ids)), story.article_ids)
    ]
    return data


def story_detail(store: SQLiteStore, story: Story) -> dict[str, Any]:
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


def merge_stories(store: SQLiteStore, a: str, b: str) -> Story:
    """Merge story `b` into story `a` (recorded in the story events)."""
    from newsfuse import stories

    return stories.merge(store, a, b, pipeline._analysis_reader(store))


def split_story(store: SQLiteStore, story: str, article_ids: Iterable[str]) -> Story:
    """Move the given articles out of a story into a new one (recorded); returns the new story."""
    from newsfuse import stories

    return stories.split(store, story, list(article_ids), pipeline._analysis_reader(store))


# ---------------------------------------------------------------- fuse and report (issue 5)

def fuse(store: SQLiteStore, story_ids: Iterable[str] | None = None, force: bool = False) -> list[str]:
    """Fuse the stories whose membership changed (or those given); ids of the stories fused now.

    The setting `llm_endpoint` (NEWSFUSE_LLM_ENDPOINT or the config file) adds a checked generative summary.
    """
    endpoint = settings.resolve({}).get("llm_endpoint")
    return pipeline.fuse_pending(store, list(story_ids) if story_ids is not None else None, force=force,
                                 llm_endpoint=endpoint)


def get_fused(store: SQLiteStore, story_id: str) -> FusedStory:
    """A story's fused account, fusing it first when it has none or its membership changed."""
    from newsfuse.errors import NotFound
    from newsfuse.fuse.records import fused_from_dict

    story = store.story(story_id)
    if len(story.article_ids) < 2:
        raise NotFound(f"story {story.id} has {len(story.article_ids)} article: fusion needs two or more")
    pipeline.fuse_pending(store, [story.id])
    stored = store.fused(story.id)
    if stored is None:
        raise NotFound(f"story {story.id} has no fused account: run `newsfuse fuse {story.id}`")
    return fused_from_dict(stored[2])


def report(store: SQLiteStore, story_id: str, format: str = "html") -> str:
    """A story's report as JSON, Markdown or a self-contained HTML page."""
    from newsfuse import report as reports
    from newsfuse.errors import NewsfuseError

    if format not in reports.FORMATS:
        raise NewsfuseError(f"unknown report format {format!r}: use one of {', '.join(reports.FORMATS)}")
    fused = get_fused(store, story_id)
    return reports.render(fused, format, _articles_of(store, fused))


def _articles_of(store: SQLiteStore, fused: FusedStory) -> dict[str, Article]:
    """The stored articles a fused story cites, by id (the reports quote their text)."""
    return {a.id: a for a in store.articles(ids=[a["id"] for a in fused.articles])}


def write_reports(store: SQLiteStore, out_dir: str | Path) -> list[str]:
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


# ---------------------------------------------------------------- the whole job

def run(inputs: Iterable[str], store: SQLiteStore, out_dir: str | Path,
        options: ReadOptions | None = None, on_document: pipeline.Progress | None = None) -> dict[str, Any]:
    """Ingest the inputs and every later stage, then write the results under `out_dir`.

    Returns what was done and where the results are, for the CLI to print.
    """
    import json

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = ingest(inputs, store, options, on_document)
    analyse(store)
    cluster(store)
    fuse(store)
    outputs = write_reports(store, out)
    listing = out / "articles.json"
    listing.write_text(json.dumps([article_summary(a) for a in store.articles()], indent=2, ensure_ascii=False))
    return {
        "ingested": len(report.ingested), "duplicates": len(report.duplicates), "failed": len(report.failed),
        "failures": [{"input": f.location, "reason": f.reason} for f in report.failed],
        "outputs": [str(listing), *outputs], "db": str(store.path),
    }
