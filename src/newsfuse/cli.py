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
@click.option("--db", envvar="NEWSFUSE_DB", type=click.Path(dir_okay=False), help="SQLite database file (default: in the user data directory).")
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
@click.option("--outlet", help="Outlet name for inputs that do not name one themselves.")
@click.option("--follow-links", is_flag=True, help="Fetch feed entries that carry only a link.")
@click.option("--allow-private", is_flag=True, help="Allow fetching private, loopback and link-local addresses.")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY", help="JSONL field mapping, e.g. --field text=body.")
@click.option("--timeout", "fetch_timeout", type=float, default=20.0, show_default=True, help="Seconds before a URL fetch gives up.")
@click.option("--max-bytes", "fetch_max_bytes", type=int, default=20_000_000, show_default=True, help="Largest URL response accepted.")
@click.option("--max-file-bytes", type=int, default=200_000_000, show_default=True, help="Largest input file read whole.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def ingest(ctx: click.Context, inputs: tuple[str, ...], outlet: str | None, follow_links: bool, allow_private: bool,
           fields: tuple[str, ...], fetch_timeout: float, fetch_max_bytes: int, max_file_bytes: int, as_json: bool) -> None:
    """Ingest articles from files, directories, globs and URLs (text, HTML, JSONL, RSS/Atom, WARC)."""
    options = ReadOptions(
        outlet=outlet, follow_links=follow_links, allow_private=allow_private, fetch_timeout=fetch_timeout,
        fetch_max_bytes=fetch_max_bytes, max_file_bytes=max_file_bytes, jsonl_fields=_field_map(fields),
    )
    store = store_from(ctx)
    with _progress(as_json) as progress:
        task = progress.add_task("ingesting", total=None)
        report = api.ingest(inputs, store, options, on_document=lambda _loc: progress.advance(task))
    summary = {
        "ingested": len(report.ingested), "duplicates": len(report.duplicates), "unchanged": report.unchanged,
        "failed": len(report.failed), "db": str(store.path),
        "failures": [{"input": f.location, "reason": f.reason} for f in report.failed],
        "article_ids": report.ingested,
    }
    if as_json:
        print_json(summary)
    else:
        for failure in report.failed:
            err_console.print(f"[red]failed:[/red] {failure.location}: {failure.reason}", highlight=False)
        console.print(
            f"ingested {summary['ingested']}, duplicates {summary['duplicates']}, "
            f"unchanged {summary['unchanged']}, failed {summary['failed']} → {store.path}", highlight=False,
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

# ================================================================ stories (issue 4)

# ================================================================ fuse and report (issue 5)

# ================================================================ run: the whole job

@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False), help="Folder for the reports.")
@click.option("--outlet", help="Outlet name for inputs that do not name one themselves.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def run(ctx: click.Context, inputs: tuple[str, ...], out_dir: str, outlet: str | None, as_json: bool) -> None:
    """The whole job: ingest, analyse, group into stories, fuse, and write reports to --out."""
    store = store_from(ctx)
    with _progress(as_json) as progress:
        task = progress.add_task("ingesting", total=None)
        summary = api.run(inputs, store, out_dir, ReadOptions(outlet=outlet), on_document=lambda _l: progress.advance(task))
    if as_json:
        print_json(summary)
    else:
        for failure in summary["failures"]:
            err_console.print(f"[red]failed:[/red] {failure['input']}: {failure['reason']}", highlight=False)
        console.print(f"ingested {summary['ingested']}, duplicates {summary['duplicates']}, failed {summary['failed']}")
        for path in summary["outputs"]:
            console.print(f"wrote {path}", highlight=False)
        console.print(f"next: newsfuse --db {summary['db']} articles", highlight=False)
    if summary["failed"]:
        sys.exit(1)
