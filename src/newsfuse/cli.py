"""The `newsfuse` command: parse options, call api, print. No logic lives here."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

import click

from newsfuse import api, cli_text
from newsfuse.errors import NewsfuseError, StoreError
from newsfuse.ingest import ReadOptions
from newsfuse.terminal import complain, console, data_table, say, with_progress

# Exit statuses (README, "Exit status"): click itself exits 2 on a usage error.
EXIT_FAILED = 1  # an input failed, or a NewsfuseError (not found, bad setting, bad value)
EXIT_DATABASE = 3  # the database could not be read or written (read-only, full disk, damaged, locked)


def friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Print a NewsfuseError or a database fault as one line on stderr and exit non-zero, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except StoreError as exc:
            complain("error:", str(exc))
            sys.exit(EXIT_DATABASE)
        except NewsfuseError as exc:
            complain("error:", str(exc))
            sys.exit(EXIT_FAILED)
        except Exception as exc:
            ctx = click.get_current_context(silent=True)
            settings = ctx.meta.get(_SETTINGS) if ctx is not None else None
            fault = api.database_fault(exc, settings.db if settings else "?")
            if fault is None:
                raise  # a bug: its traceback is what a report needs
            complain("error:", str(fault))
            sys.exit(EXIT_DATABASE)

    return wrapper


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group()
@click.version_option(package_name="newsfuse")
def main() -> None:
    """Read the news from many outlets and turn it into one sourced account per story.

    Every setting (see `newsfuse config`) can be given as a flag before or after the command, as a
    NEWSFUSE_* environment variable, or in the TOML config file, in that order of precedence.
    """


# ---------------------------------------------------------------- settings as flags

_FLAGS = "newsfuse.flags"  # ctx.meta key: the settings given as flags (ctx.meta is shared by nested commands)
_SETTINGS = "newsfuse.settings"
_CLICK_TYPES = {int: click.INT, float: click.FLOAT, str: click.STRING}


def _remember_flag(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is not None and param.name is not None:
        ctx.meta.setdefault(_FLAGS, {})[param.name] = value  # after the command wins over before it


def setting_option(row: Any) -> click.Option:
    """The CLI option of one settings-table row (not passed to the command: read through settings_of)."""
    text = f"{row.help} [{row.env}" + ("]" if row.default is None else f"; default: {row.default}]")
    if row.type is bool:
        decls = [f"{flag}/--no-{flag[2:]}" for flag in row.flags]
        return click.Option([*decls, row.name], default=None, help=text, expose_value=False, callback=_remember_flag)
    return click.Option([*row.flags, row.name], type=_CLICK_TYPES[row.type], default=None, help=text,
                        expose_value=False, callback=_remember_flag, metavar=row.metavar)


def settings_of(ctx: click.Context) -> api.Settings:
    """The effective settings of this run, resolved once from the flags given, NEWSFUSE_* and the config file."""
    if _SETTINGS not in ctx.meta:
        ctx.meta[_SETTINGS] = api.resolve_settings(ctx.meta.get(_FLAGS, {}))
    return ctx.meta[_SETTINGS]


def store_from(ctx: click.Context):  # type: ignore[no-untyped-def]
    return api.open_db(settings=settings_of(ctx))


# ================================================================ ingest (issue 2)

@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--outlet", help="Outlet name for inputs whose own data names none; wins over the URL host and the text.")
@click.option("--follow-links", is_flag=True, help="Fetch feed entries that carry only a link.")
@click.option("--field", "fields", multiple=True, metavar="NAME=KEY", help="JSONL field mapping, e.g. --field text=body.")
@click.option("--no-cluster", is_flag=True, help="Do not group the new articles into stories afterwards.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def ingest(ctx: click.Context, inputs: tuple[str, ...], outlet: str | None, follow_links: bool,
           fields: tuple[str, ...], no_cluster: bool, as_json: bool) -> None:
    """Ingest articles from files, directories, globs and URLs (text, HTML, JSONL, RSS/Atom, WARC)."""
    options = ReadOptions.from_settings(
        settings_of(ctx), outlet=outlet, follow_links=follow_links, jsonl_fields=_field_map(fields))
    store = store_from(ctx)
    report = with_progress("ingesting", as_json, lambda tick: api.ingest(inputs, store, options, on_document=tick))
    changed = [] if no_cluster else api.cluster(store)
    summary = {
        "ingested": len(report.ingested), "duplicates": len(report.duplicates), "unchanged": report.unchanged,
        "failed": len(report.failed), "db": store.location,
        "failures": [{"input": f.location, "reason": f.reason} for f in report.failed],
        "article_ids": report.ingested, "stories_changed": len(changed), "headline_only": len(report.headline_only),
    }
    if as_json:
        print_json(summary)
    else:
        for failure in report.failed:
            complain("failed:", f"{failure.location}: {failure.reason}")
        headlines = f" ({summary['headline_only']} headline only)" if summary["headline_only"] else ""
        say(f"ingested {summary['ingested']}{headlines}, duplicates {summary['duplicates']}, "
            f"unchanged {summary['unchanged']}, failed {summary['failed']} → {store.location}")
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
    console.print(data_table(("id", "published", "outlet", "title"),
                             [(a.id, a.published or "?", a.outlet or "?", a.title) for a in found],
                             whole=("id", "published")))


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
        raw = api.original_bytes(store, found)
        if sys.stdout.isatty():  # escape sequences in a hostile original must not reach the terminal
            say(raw.decode("utf-8", errors="replace"))
        else:
            sys.stdout.buffer.write(raw)
        return
    detail = api.article_detail(store, found)
    if as_json:
        print_json(detail)
        return
    cli_text.print_article(found, detail)


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
    cli_text.print_search_hits(hits)


# ================================================================ analyse (issue 3)

@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def analyse(ctx: click.Context, as_json: bool) -> None:
    """Find sentences, entities, quotes, dates and amounts in every article not analysed yet; link entities."""
    config = settings_of(ctx)
    api.fix_threads(config.workers)
    store = store_from(ctx)
    count = with_progress("analysing", as_json, lambda tick: api.analyse(store, on_article=tick, settings=config))
    entities = api.count_entities(store)
    if as_json:
        print_json({"analysed": count, "entities": entities, "db": store.location})
    else:
        say(f"analysed {count}, entities {entities} → {store.location}")


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
        say(f"entities {entities} → {store.location}")


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
    console.print(data_table(("name", "type", "articles", "aliases"),
                             [(e.name, e.type, len(e.article_ids), "; ".join(e.aliases)) for e in found],
                             whole=("type", "articles")))


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
    cli_text.print_entity(found, mentions)


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
        say(f"{len(changed)} stories changed, {len(api.list_stories(store))} in all")


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
    rows = [(s.id, len(s.article_ids), s.first_seen or "?", s.last_seen or "?", ", ".join(s.outlets), s.title)
            for s in found]
    console.print(data_table(("id", "articles", "first seen", "last seen", "outlets", "title"), rows,
                             whole=("id", "articles", "first seen", "last seen")))


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
    cli_text.print_story(detail)


@main.command()
@click.argument("target")
@click.argument("other")
@click.pass_context
@friendly_errors
def merge(ctx: click.Context, target: str, other: str) -> None:
    """Merge story OTHER into story TARGET (recorded in the story history)."""
    merged = api.merge_stories(store_from(ctx), target, other)
    say(f"merged into {merged.id}: {len(merged.article_ids)} articles · {merged.title}")


@main.command()
@click.argument("story_key", metavar="STORY")
@click.argument("articles", nargs=-1, required=True)
@click.pass_context
@friendly_errors
def split(ctx: click.Context, story_key: str, articles: tuple[str, ...]) -> None:
    """Move ARTICLES (ids, id prefixes or external ids) out of STORY into a new story (recorded)."""
    created = api.split_story(store_from(ctx), story_key, articles)
    say(f"new story {created.id}: {len(created.article_ids)} articles · {created.title}")


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
    fused = api.fuse(store, [story_key] if story_key else None, force=force, settings=settings_of(ctx))
    if as_json:
        print_json({"fused": fused})
    else:
        say(f"fused {len(fused)} stories")
        for story_id in fused:
            say(f"  {story_id}")


@main.command()
@click.argument("story_key", metavar="STORY")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]),
              help="json, md or html; needed to print to stdout (with --out: taken from the file's suffix).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.pass_context
@friendly_errors
def report(ctx: click.Context, story_key: str, fmt: str | None, out_file: str | None) -> None:
    """Write a story's report: JSON (the README contract), Markdown, or a self-contained HTML page."""
    from pathlib import Path

    if fmt is None:
        if out_file is None:
            raise click.UsageError("say which --format to print (json, md or html), or give --out FILE")
        fmt = REPORT_SUFFIXES.get(Path(out_file).suffix.lower(), "html")
    text = api.report(store_from(ctx), story_key, fmt, settings=settings_of(ctx))
    if out_file:
        Path(out_file).write_text(text, encoding="utf-8")
        say(f"wrote {out_file} ({fmt})")
    else:
        click.echo(text, nl=False)


REPORT_SUFFIXES = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


# ================================================================ serve: the local web app

@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--allowed-host", "extra_hosts", multiple=True,
              help="A Host name to answer besides loopback and --host (repeatable; adds to the setting allowed_hosts).")
@click.option("--watch", "feeds", multiple=True, metavar="FEED", help="A feed to poll in the background (repeatable).")
@click.option("--no-worker", is_flag=True, help="Serve only: no background fusion, no add page.")
@click.pass_context
@friendly_errors
def serve(ctx: click.Context, host: str, port: int, extra_hosts: tuple[str, ...], feeds: tuple[str, ...],
          no_worker: bool) -> None:
    """Serve the web app: front page, stories, articles, entities, search, the add page and the JSON API."""
    try:
        import uvicorn

        from newsfuse.web import create_app
    except ImportError as exc:
        raise NewsfuseError(f"the web app needs its extra: pip install 'newsfuse[web]' ({exc})") from exc
    config = settings_of(ctx)
    hosts = [*extra_hosts, *(h.strip() for h in config.allowed_hosts.split(",") if h.strip())]
    store = store_from(ctx)
    shown, db = store.location, getattr(store, "url", None) or store.location
    store.close()
    app = create_app(db, bind_host=host, token=config.token, allowed_hosts=hosts,
                     upload_max_bytes=config.upload_max_bytes, background=not no_worker, watch=feeds,
                     watch_seconds=config.watch_interval, allow_private=config.allow_private)
    listening = listen(host, port)  # bound before saying so: a busy port is an error, not a "serving" line
    say(f"serving {shown} on http://{host}:{port}/" + ("?token=…" if config.token else "") + " (Ctrl-C stops)")
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening, or a NewsfuseError saying why not and what to do."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise NewsfuseError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                            "stop what uses it or pick another --port") from exc
    return sock


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--interval", type=float, help="Seconds between polls (default: the setting watch_interval, 300).")
@click.option("--once", is_flag=True, help="Poll each feed once and exit.")
@click.option("--rounds", type=int, help="Stop after this many polls of every feed.")
@click.option("--outlet", help="Outlet name for entries whose feed names none.")
@click.option("--follow-links", is_flag=True, help="Fetch entries that carry only a link.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per round.")
@click.pass_context
@friendly_errors
def watch(ctx: click.Context, feeds: tuple[str, ...], interval: float | None, once: bool, rounds: int | None,
          outlet: str | None, follow_links: bool, as_json: bool) -> None:
    """Poll feeds on a schedule with conditional requests (ETag / Last-Modified); store, group and fuse what is new."""
    import time

    config = settings_of(ctx)
    every = interval if interval is not None else config.watch_interval
    options = ReadOptions.from_settings(config, outlet=outlet, follow_links=follow_links)
    store = store_from(ctx)
    done = 0
    while True:
        result = api.watch(store, feeds, options, settings=config)
        done += 1
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            for feed in result["feeds"]:
                state = feed["error"] or ("changed" if feed["changed"] else "not modified")
                say(f"{feed['url']}: {state}, {feed['ingested']} new")
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
        cli_text.print_moved(verb, counts, directory, db)


# ================================================================ run: the whole job

@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False), help="Folder for the reports.")
@click.option("--outlet", help="Outlet name for inputs whose own data names none; wins over the URL host and the text.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
@friendly_errors
def run(ctx: click.Context, inputs: tuple[str, ...], out_dir: str, outlet: str | None, as_json: bool) -> None:
    """The whole job: ingest, analyse, group into stories, fuse, and write reports to --out."""
    config = settings_of(ctx)
    api.fix_threads(config.workers)
    store = store_from(ctx)
    options = ReadOptions.from_settings(config, outlet=outlet)
    summary = with_progress(
        "ingesting", as_json, lambda tick: api.run(inputs, store, out_dir, options, on_document=tick, settings=config)
    )
    if as_json:
        print_json(summary)
    else:
        cli_text.print_run_summary(summary, out_dir)
    if summary["failed"]:
        sys.exit(1)


# ================================================================ config: the effective settings

@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly_errors
def config(ctx: click.Context, as_json: bool) -> None:
    """Show every setting's effective value and where it came from (flag, env, toml or default)."""
    rows = api.settings_report(settings_of(ctx))
    if as_json:
        print_json(rows)
        return
    console.print(data_table(("setting", "value", "from", "env variable", "flags"),
                             [(r["name"], r["value"], r["source"], r["env"], " ".join(r["flags"])) for r in rows],
                             whole=("setting", "env variable")))


def _add_setting_options() -> None:
    """Every setting as an option of the group (before the command) and of each command it concerns (after)."""
    flagged = [row for row in api.SETTINGS if row.flags]  # a row without flags is set by env or TOML only
    for row in flagged:
        main.params.append(setting_option(row))
    for name, command in main.commands.items():
        # `config` takes them all, to show what a flag would change.
        command.params.extend(setting_option(row) for row in flagged if name == "config" or row.concerns(name))


_add_setting_options()
