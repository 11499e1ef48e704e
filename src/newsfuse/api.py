"""The Python API: the functions that the CLI and the web app both call."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsfuse import pipeline, settings
from newsfuse.ingest import ReadOptions
from newsfuse.models import Article, to_dict
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
    listing = out / "articles.json"
    listing.write_text(json.dumps([article_summary(a) for a in store.articles()], indent=2, ensure_ascii=False))
    return {
        "ingested": len(report.ingested), "duplicates": len(report.duplicates), "failed": len(report.failed),
        "failures": [{"input": f.location, "reason": f.reason} for f in report.failed],
        "outputs": [str(listing)], "db": str(store.path),
    }
