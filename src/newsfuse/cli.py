"""The `newsfuse` command: parse options, call api, print. No logic lives here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsfuse import api
from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Print a NewsfuseError as one line on stderr and exit 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsfuseError as exc:
            err_console.print(f"[red]error:[/red] {exc}", highlight=False, markup=True)
            sys.exit(1)

    return wrapper


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group()
@click.option("--db", envvar="NEWSFUSE_DB", type=click.Path(dir_okay=False), help="SQLite database file (default: in the user data directory), or a postgresql:// URL.")
@click.version_option(package_name="newsfuse")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Read the news from many outlets and turn it into one sourced account per story."""
    ctx.obj = {"db": db}


def store_from(ctx: click.Context):  # type: ignore[no-untyped-def]
    return api.open_db(ctx.obj.get("db"))


# ================================================================ ingest (issue 2)

@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--outlet", help="Outlet name for inputs whose own data names none; wins over the URL host and the text.")
@click.option("--follow-links", is_flag=True, help="Fetch feed entries that carry only a link.")
@click.option("--allow-private", is_flag=True, help="Allow fetching private, loopback and link-local addresses.")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY", help="JSONL field mapping, e.g. --field text=body.")
@click.option("--timeout", "fetch_timeout", type=float, default=20.0, show_default=True, help="Seconds before a URL fetch gives up.")
@click.option("--max-bytes", "fetch_max_bytes", type=int, default=20_000_000, show_default=True, help="Largest URL response accepted.")
@click.option("--max-file-bytes", type=int, default=200_000_000, show_default=True, help="Largest input file read whole.")
@click.option("--no-cluster", is_flag=True, help="Do not group the new articles into stories afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def ingest(ctx: click.Context, inputs: tuple[str, ...], outlet: str | None, follow_links: bool, allow_private: bool,
           fields: tuple[str, ...], fetch_timeout: float, fetch_max_bytes: int, max_file_bytes: int, no_cluster: bool,
           as_json: bool) -> None:
    """Ingest articles from files, directories, globs and URLs (text, HTML, JSONL, RSS/Atom, WARC)."""
    options = ReadOptions(
        outlet=outlet, follow_links=follow_links, allow_private=allow_private, fetch_timeout=fetch_timeout,
        fetch_max_bytes=fetch_max_bytes, max_file_bytes=max_file_bytes, jsonl_fields=_field_map(fields),
    )
    store = store_from(ctx)
    report = with_progress("ingesting", as_json, lambda tick: api.ingest(inputs, store, options, on_document=tick))
    changed = [] if no_cluster else api.cluster(store)
    summary = {
        "ingested": len(report.ingested), "duplicates": len(report.duplicates), "unchanged": report.unchanged,
        "failed": len(report.failed), "db": store.location,
        "failures": [{"input": f.location, "reason": f.reason} for f in report.failed],
        "article_ids": report.ingested, "stories_changed": len(changed),
    }
    if as_json:
        print_json(summary)
    else:
        for failure in report.failed:
            err_console.print(f"[red]failed:[/red] {failure.location}: {failure.reason}", highlight=False)
        console.print(
            f"ingested {summary['ingested']}, duplicates {summary['duplicates']}, "
            f"unchanged {summary['unchanged']}, failed {summary['failed']} → {store.location}", highlight=False,
        )
    if report.failed:
        sys.exit(1)


def _field_map(fields: tuple[str, ...]) -> dict[str, str]:
    mapping = dict(ReadOptions().jsonl_fields)
    for item in fields:
        name, sep, key = item.partition("=")
        if not sep or name not in mapping:
            raise click.BadParameter(f"{item!r}: use NAME=KEY with NAME one of {', '.join(mapping)}", param_hint="--field")
        mapping[name] = key
    return mapping


def with_progress(label: str, quiet: bool, work: Callable[[Callable[[Any], None]], Any]) -> Any:
    """Run `work(tick)` under a progress bar that advances once per tick (hidden with --json or no terminal)."""
    with _progress(quiet) as progress:
        task = progress.add_task(label, total=None)
        return work(lambda _item: progress.advance(task))


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, disable=quiet or not err_console.is_terminal, transient=True,
    )


@main.command()
@click.option("--outlet", help="Only this outlet (case-insensitive).")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Published on or before this date.")
@click.option("--limit", type=int, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def articles(ctx: click.Context, outlet: str | None, since: str | None, until: str | None, limit: int | None, as_json: bool) -> None:
    """List stored articles."""
    found = api.list_articles(store_from(ctx), outlet=outlet, since=since, until=until, limit=limit)
    if as_json:
        print_json([api.article_summary(a) for a in found])
        return
    table = Table("id", "published", "outlet", "title")
    for article in found:
        table.add_row(article.id, article.published or "?", article.outlet or "?", article.title[:90])
    console.print(table)


@main.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with spans of every annotation).")
@click.option("--original", is_flag=True, help="Print the original bytes as ingested.")
@click.pass_context
@friendly_errors
def article(ctx: click.Context, key: str, as_json: bool, original: bool) -> None:
    """Show one article (by id, id prefix, or external id): text, metadata, cleaning log."""
    store = store_from(ctx)
    found = api.get_article(store, key)
    if original:
        sys.stdout.buffer.write(api.original_bytes(store, found))
        return
    detail = api.article_detail(store, found)
    if as_json:
        print_json(detail)
        return
    console.print(f"[bold]{found.title}[/bold]", highlight=False)
    console.print(
        f"{found.id} · {found.outlet or 'unknown outlet'} ({found.outlet_found_by}) · "
        f"{found.published or 'undated'} ({found.published_found_by}) · {found.language}", highlight=False,
    )
    for source in detail["sources"]:
        console.print(f"source: {source['kind']} {source['location']}", highlight=False)
    console.print()
    console.print(found.text, highlight=False, markup=False)
    if found.removals:
        console.print("\n[bold]cleaning log[/bold]")
        for removal in found.removals:
            console.print(f"  {removal.reason:<18} {removal.text[:100]}", highlight=False, markup=False)
    if "analysis" in detail:
        _print_analysis(detail["analysis"])


@main.command()
@click.argument("query")
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def search(ctx: click.Context, query: str, limit: int, as_json: bool) -> None:
    """Full-text search over article titles and texts."""
    hits = api.search(store_from(ctx), query, limit)
    if as_json:
        print_json(hits)
        return
    for hit in hits:
        console.print(f"[bold]{hit['id']}[/bold] {hit['outlet'] or '?'} · {hit['title']}", highlight=False)
        console.print(f"    {hit['snippet']}", highlight=False, markup=False)
    if not hits:
        console.print("no matches")


# ================================================================ analyse (issue 3)

@main.command()
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Processes to parse in.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def analyse(ctx: click.Context, workers: int, as_json: bool) -> None:
    """Find sentences, entities, quotes, dates and amounts in every article not analysed yet; link entities."""
    api.fix_threads(workers)
    store = store_from(ctx)
    count = with_progress("analysing", as_json, lambda tick: api.analyse(store, workers=workers, on_article=tick))
    entities = api.count_entities(store)
    if as_json:
        print_json({"analysed": count, "entities": entities, "db": store.location})
    else:
        console.print(f"analysed {count}, entities {entities} → {store.location}", highlight=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def relink(ctx: click.Context, as_json: bool) -> None:
    """Link the entities of every analysed article again from scratch (`analyse` links new articles only)."""
    store = store_from(ctx)
    entities = api.relink(store)
    if as_json:
        print_json({"entities": entities, "db": store.location})
    else:
        console.print(f"entities {entities} → {store.location}", highlight=False)


@main.command()
@click.option("--limit", type=int, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def entities(ctx: click.Context, limit: int | None, as_json: bool) -> None:
    """List canonical entities with their aliases, types and article counts."""
    found = api.list_entities(store_from(ctx), limit=limit)
    if as_json:
        print_json([api.entity_summary(e) for e in found])
        return
    table = Table("name", "type", "articles", "aliases")
    for entity in found:
        table.add_row(entity.name, entity.type, str(len(entity.article_ids)), "; ".join(entity.aliases)[:100])
    console.print(table)


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def entity(ctx: click.Context, name: str, as_json: bool) -> None:
    """Show one entity (by name, alias or id) with the evidence for each link and every mention."""
    found, mentions = api.get_entity(store_from(ctx), name)
    if as_json:
        print_json({**api.entity_summary(found), "evidence": list(found.evidence), "mention_list": mentions})
        return
    console.print(f"[bold]{found.name}[/bold] ({found.type}) · {found.id}", highlight=False)
    if found.aliases:
        console.print("aliases: " + "; ".join(found.aliases), highlight=False, markup=False)
    for line in found.evidence:
        console.print(f"  evidence: {line}", highlight=False, markup=False)
    for m in mentions:
        console.print(f"  {m['article_id']} {m['outlet'] or '?':<12} {m['start']:>6}-{m['end']:<6} {m['text']}",
                      highlight=False, markup=False)


def _print_analysis(analysis: dict[str, Any]) -> None:
    """The analysis part of `newsfuse article ID`: entities, quotes, dates, amounts."""
    console.print("\n[bold]entities[/bold]")
    seen: dict[tuple[str, str], int] = {}
    for m in analysis["entities"]:
        key = (m["text"], m["label"])
        seen[key] = seen.get(key, 0) + 1
    for (text, label), count in seen.items():
        console.print(f"  {label:<8} {text}" + (f" ×{count}" if count > 1 else ""), highlight=False, markup=False)
    console.print("\n[bold]quotes[/bold]")
    for q in analysis["quotes"]:
        kind = "direct" if q["direct"] else "reported"
        console.print(f"  {q['speaker'] or '?'} [{q['cue'] or '-'}, {kind}]: {q['content'][:160]}",
                      highlight=False, markup=False)
    console.print("\n[bold]dates[/bold]")
    for d in analysis["dates"]:
        console.print(f"  {d['text']!r} → {d['value']} ({d['precision']})", highlight=False, markup=False)
    console.print("\n[bold]amounts[/bold]")
    for a in analysis["amounts"]:
        unit = f" {a['unit']}" if a["unit"] else ""
        counts = f" ({a['counts']})" if a.get("counts") else ""
        console.print(f"  {a['text']!r} → {a['value']:,.10g}{unit}{counts}", highlight=False, markup=False)


# ================================================================ stories (issue 4)

@main.command()
@click.option("--rebuild", is_flag=True, help="Forget every story and group all articles again from scratch.")
@click.option("--json", "as_json", is_flag=True, help="Print the ids of the stories that changed as JSON.")
@click.pass_context
@friendly_errors
def cluster(ctx: click.Context, rebuild: bool, as_json: bool) -> None:
    """Group the articles not yet in a story into stories (incremental; --rebuild recomputes all)."""
    store = store_from(ctx)
    changed = with_progress("grouping", as_json, lambda tick: api.cluster(store, rebuild=rebuild, on_article=tick))
    if as_json:
        print_json({"stories_changed": changed})
    else:
        console.print(f"{len(changed)} stories changed, {len(api.list_stories(store))} in all", highlight=False)


@main.command()
@click.option("--outlet", help="Only stories with an article from this outlet.")
@click.option("--entity", help="Only stories whose main entities include this name.")
@click.option("--since", metavar="YYYY-MM-DD", help="Last seen on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="First seen on or before this date.")
@click.option("--query", help="Only stories with an article matching this full-text query.")
@click.option("--limit", type=int, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, with each story's article ids and external ids.")
@click.pass_context
@friendly_errors
def stories(ctx: click.Context, outlet: str | None, entity: str | None, since: str | None, until: str | None,
            query: str | None, limit: int | None, as_json: bool) -> None:
    """List stories, the most recent first."""
    store = store_from(ctx)
    found = api.list_stories(store, outlet=outlet, entity=entity, since=since, until=until, query=query, limit=limit)
    if as_json:
        print_json([api.story_summary(store, s) for s in found])
        return
    table = Table("id", "articles", "first seen", "last seen", "outlets", "title")
    for story in found:
        table.add_row(story.id, str(len(story.article_ids)), story.first_seen or "?", story.last_seen or "?",
                      ", ".join(story.outlets)[:40], story.title[:80])
    console.print(table)


@main.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def story(ctx: click.Context, key: str, as_json: bool) -> None:
    """Show one story (by id or id prefix): its articles by outlet and date, entities, copies."""
    store = store_from(ctx)
    detail = api.story_detail(store, api.get_story(store, key))
    if as_json:
        print_json(detail)
        return
    console.print(f"[bold]{detail['title']}[/bold]", highlight=False)
    console.print(f"{detail['id']} · {detail['first_seen'] or '?'} → {detail['last_seen'] or '?'} · "
                  f"{len(detail['article_ids'])} articles", highlight=False)
    if detail["entities"]:
        console.print("entities: " + ", ".join(detail["entities"]), highlight=False)
    if detail["keywords"]:
        console.print("keywords: " + ", ".join(detail["keywords"]), highlight=False)
    for outlet, items in sorted(detail["by_outlet"].items()):
        console.print(f"\n[bold]{outlet}[/bold]", highlight=False)
        for item in items:
            console.print(f"  {item['published'] or '?'}  {item['id']}  {item['title'][:90]}", highlight=False, markup=False)
    for group in detail["copies"]:
        console.print(f"copies of one report: {', '.join(group)}", highlight=False)


@main.command()
@click.argument("target")
@click.argument("other")
@click.pass_context
@friendly_errors
def merge(ctx: click.Context, target: str, other: str) -> None:
    """Merge story OTHER into story TARGET (recorded in the story history)."""
    merged = api.merge_stories(store_from(ctx), target, other)
    console.print(f"merged into {merged.id}: {len(merged.article_ids)} articles · {merged.title}", highlight=False)


@main.command()
@click.argument("story_key", metavar="STORY")
@click.argument("articles", nargs=-1, required=True)
@click.pass_context
@friendly_errors
def split(ctx: click.Context, story_key: str, articles: tuple[str, ...]) -> None:
    """Move ARTICLES (ids, id prefixes or external ids) out of STORY into a new story (recorded)."""
    created = api.split_story(store_from(ctx), story_key, articles)
    console.print(f"new story {created.id}: {len(created.article_ids)} articles · {created.title}", highlight=False)


# ================================================================ fuse and report (issue 5)

@main.command()
@click.argument("story_key", metavar="[STORY]", required=False)
@click.option("--force", is_flag=True, help="Re-fuse even when the membership has not changed.")
@click.option("--json", "as_json", is_flag=True, help="Print the ids fused as JSON.")
@click.pass_context
@friendly_errors
def fuse(ctx: click.Context, story_key: str | None, force: bool, as_json: bool) -> None:
    """Fuse stories of 2+ articles into one sourced account (only those whose membership changed)."""
    store = store_from(ctx)
    fused = api.fuse(store, [story_key] if story_key else None, force=force)
    if as_json:
        print_json({"fused": fused})
    else:
        console.print(f"fused {len(fused)} stories", highlight=False)
        for story_id in fused:
            console.print(f"  {story_id}", highlight=False)


@main.command()
@click.argument("story_key", metavar="STORY")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="html", show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.pass_context
@friendly_errors
def report(ctx: click.Context, story_key: str, fmt: str, out_file: str | None) -> None:
    """Write a story's report: JSON (the README contract), Markdown, or a self-contained HTML page."""
    text = api.report(store_from(ctx), story_key, fmt)
    if out_file:
        from pathlib import Path

        Path(out_file).write_text(text, encoding="utf-8")
        console.print(f"wrote {out_file}", highlight=False)
    else:
        click.echo(text, nl=False)


# ================================================================ serve: the local web app

@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--token", envvar="NEWSFUSE_TOKEN", help="Token every request must present (required off loopback).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, help="A Host name to answer besides loopback and --host (repeatable).")
@click.option("--watch", "feeds", multiple=True, metavar="FEED", help="A feed to poll in the background (repeatable).")
@click.option("--allow-private", is_flag=True, help="Let added URLs and feeds reach private and loopback addresses.")
@click.option("--no-worker", is_flag=True, help="Serve only: no background fusion, no add page.")
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, token: str | None, allowed_hosts: tuple[str, ...],
          feeds: tuple[str, ...], allow_private: bool, no_worker: bool) -> None:
    """Serve the web app: front page, stories, articles, entities, search, the add page and the JSON API."""
    try:
        import uvicorn

        from newsfuse.web import create_app
    except ImportError as exc:
        raise NewsfuseError(f"the web app needs its extra: pip install 'newsfuse[web]' ({exc})") from exc
    from newsfuse import settings

    values = settings.resolve({"token": token})
    hosts = [*allowed_hosts, *(h for h in str(values.get("allowed_hosts") or "").split(",") if h.strip())]
    store = store_from(ctx)
    shown, db = store.location, getattr(store, "url", None) or store.location
    store.close()
    app = create_app(db, bind_host=host, token=values.get("token"), allowed_hosts=hosts,
                     upload_max_bytes=int(values["upload_max_bytes"]), background=not no_worker, watch=feeds,
                     watch_seconds=float(values["watch_interval"]), allow_private=allow_private)
    where = f"http://{host}:{port}/" + ("?token=…" if values.get("token") else "")
    console.print(f"serving {shown} on {where} (Ctrl-C stops)", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--interval", type=float, help="Seconds between polls (default: setting watch_interval, 300).")
@click.option("--once", is_flag=True, help="Poll each feed once and exit.")
@click.option("--rounds", type=int, help="Stop after this many polls of every feed.")
@click.option("--outlet", help="Outlet name for entries whose feed names none.")
@click.option("--follow-links", is_flag=True, help="Fetch entries that carry only a link.")
@click.option("--allow-private", is_flag=True, help="Allow feeds on private, loopback and link-local addresses.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per round.")
@click.pass_context
@friendly_errors
def watch(ctx: click.Context, feeds: tuple[str, ...], interval: float | None, once: bool, rounds: int | None,
          outlet: str | None, follow_links: bool, allow_private: bool, as_json: bool) -> None:
    """Poll feeds on a schedule with conditional requests (ETag / Last-Modified); store, group and fuse what is new."""
    import time

    from newsfuse import settings

    every = interval if interval is not None else float(settings.resolve({})["watch_interval"])
    options = ReadOptions(outlet=outlet, follow_links=follow_links, allow_private=allow_private)
    store = store_from(ctx)
    done = 0
    while True:
        result = api.watch(store, feeds, options)
        done += 1
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            for feed in result["feeds"]:
                state = feed["error"] or ("changed" if feed["changed"] else "not modified")
                console.print(f"{feed['url']}: {state}, {feed['ingested']} new", highlight=False)
        if once or (rounds is not None and done >= rounds):
            if any(feed["error"] for feed in result["feeds"]):
                sys.exit(1)  # like ingest: a batch that had a bad input says so in its exit status
            return
        time.sleep(max(every, 0.1))


# ================================================================ moving a database between backends

@main.command("export")
@click.option("--parquet", "directory", required=True, type=click.Path(file_okay=False), help="Folder for one Parquet file per table.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows per table as JSON.")
@click.pass_context
@friendly_errors
def export_(ctx: click.Context, directory: str, as_json: bool) -> None:
    """Write the whole database to Parquet files (one per table), for `newsfuse import` on any backend."""
    store = store_from(ctx)
    _print_moved("exported", api.export_parquet(store, directory), directory, store.location, as_json)


@main.command("import")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print the rows per table as JSON.")
@click.pass_context
@friendly_errors
def import_(ctx: click.Context, directory: str, as_json: bool) -> None:
    """Load a `newsfuse export --parquet` folder into an empty database (SQLite or PostgreSQL)."""
    store = store_from(ctx)
    _print_moved("imported", api.import_parquet(store, directory), directory, store.location, as_json)


def _print_moved(verb: str, counts: dict[str, int], directory: str, db: str, as_json: bool) -> None:
    if as_json:
        print_json({"rows": counts, "directory": directory, "db": db})
    else:
        where = f"{db} → {directory}" if verb == "exported" else f"{directory} → {db}"
        console.print(f"{verb} {sum(counts.values())} rows of {len(counts)} tables: {where}", highlight=False)


# ================================================================ run: the whole job

@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False), help="Folder for the reports.")
@click.option("--outlet", help="Outlet name for inputs whose own data names none; wins over the URL host and the text.")
@click.option("--shards", type=click.Path(file_okay=False), help="Split the inputs into shards in this directory; a re-run resumes there.")
@click.option("--engine", type=click.Choice(["local", "ray"]), help="Engine for the shards: a local process pool (default) or Ray Data.")
@click.option("--workers", type=click.IntRange(1, 1024), help="Worker processes (or Ray actors) for the per-article stages.")
@click.option("--threads", type=click.IntRange(1, 256), help="Threads per worker in numeric libraries.")
@click.option("--shard-size", type=click.IntRange(1), help="Input units (files, or JSONL documents) per shard.")
@click.option("--ray-address", help="An existing Ray cluster (e.g. ray://head:10001); default: start a local Ray.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def run(ctx: click.Context, inputs: tuple[str, ...], out_dir: str, outlet: str | None, workers: int | None,
        as_json: bool, **engine_flags: Any) -> None:
    """The whole job: ingest, analyse, group into stories, fuse, and write reports to --out."""
    api.fix_threads(workers or 1)
    store = store_from(ctx)
    summary = with_progress(
        "ingesting", as_json,
        lambda tick: api.run(inputs, store, out_dir, ReadOptions(outlet=outlet), on_document=tick, workers=workers,
                             **engine_flags),
    )
    if as_json:
        print_json(summary)
    else:
        for failure in summary["failures"]:
            err_console.print(f"[red]failed:[/red] {failure['input']}: {failure['reason']}", highlight=False)
        console.print(f"ingested {summary['ingested']}, duplicates {summary['duplicates']}, failed {summary['failed']}")
        reports = [p for p in summary["outputs"] if "/stories/" in p.replace("\\", "/")]
        index = next((p for p in summary["outputs"] if p.endswith("index.html")), None)
        console.print(f"wrote {len(reports)} report files under {out_dir}", highlight=False)
        if index:
            console.print(f"open {index}", highlight=False)
        db = summary["db"]
        console.print(f"next: newsfuse --db {db} stories   ·   newsfuse --db {db} serve", highlight=False)
    if summary["failed"]:
        sys.exit(1)
