"""Plain-text views of the CLI's results: what `newsfuse` prints when --json is not given.

cli.py parses options and calls api; these functions only lay out what api returned. Stored text goes
through terminal.say / visible, which escape markup and control characters.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from newsfuse.terminal import complain, console, say, visible


def print_article(found: Any, detail: dict[str, Any]) -> None:
    """`newsfuse article ID`: metadata, sources, text, the cleaning log and the analysis when there is one."""
    say(found.title, style="bold")
    say(f"{found.id} · {found.outlet or 'unknown outlet'} ({found.outlet_found_by}) · "
        f"{found.published or 'undated'} ({found.published_found_by}) · {found.language}")
    for source in detail["sources"]:
        say(f"source: {source['kind']} {source['location']}")
    console.print()
    say(found.text)
    if found.removals:
        say("\ncleaning log", style="bold")
        for removal in found.removals:
            say(f"  {removal.reason:<18} {removal.text[:100]}")
    if "analysis" in detail:
        print_analysis(detail["analysis"])


def print_analysis(analysis: dict[str, Any]) -> None:
    """The analysis part of `newsfuse article ID`: entities, quotes, dates, amounts."""
    say("\nentities", style="bold")
    seen: dict[tuple[str, str], int] = {}
    for m in analysis["entities"]:
        key = (m["text"], m["label"])
        seen[key] = seen.get(key, 0) + 1
    for (text, label), count in seen.items():
        say(f"  {label:<8} {text}" + (f" ×{count}" if count > 1 else ""))
    say("\nquotes", style="bold")
    for q in analysis["quotes"]:
        say(f"  {_quote_speaker(q)} [{q['cue'] or '-'}, {'direct' if q['direct'] else 'reported'}]: "
            f"{q['content'][:160]}")
    say("\ndates", style="bold")
    for d in analysis["dates"]:
        say(f"  {d['text']!r} → {d['value']} ({d['precision']})")
    say("\namounts", style="bold")
    for a in analysis["amounts"]:
        unit = f" {a['unit']}" if a["unit"] else ""
        counts = f" ({a['counts']})" if a.get("counts") else ""
        say(f"  {a['text']!r} → {a['value']:,.10g}{unit}{counts}")


def _quote_speaker(quote: dict[str, Any]) -> str:
    # The resolved name where the phrase says it otherwise ("the minister" → "Tomas Lind"); a SOURCE is marked.
    who = quote["speaker"] or "?"
    if quote.get("speaker_name") and quote["speaker_name"] != quote["speaker"]:
        return f"{who} → {quote['speaker_name']}"
    if quote.get("speaker_type") == "SOURCE":
        return f"{who} (source)"
    return who


def print_search_hits(hits: list[dict[str, Any]]) -> None:
    """`newsfuse search`: one line per hit with its snippet under it."""
    for hit in hits:
        console.print(Text.assemble((hit["id"], "bold"), " ", visible(f"{hit['outlet'] or '?'} · {hit['title']}")))
        say(f"    {hit['snippet']}")
    if not hits:
        say("no matches")


def print_entity(found: Any, mentions: list[dict[str, Any]]) -> None:
    """`newsfuse entity NAME`: the canonical name, aliases, the evidence for each link, every mention."""
    console.print(Text.assemble((visible(found.name), "bold"), visible(f" ({found.type}) · {found.id}")))
    if found.aliases:
        say("aliases: " + "; ".join(found.aliases))
    for line in found.evidence:
        say(f"  evidence: {line}")
    for m in mentions:
        say(f"  {m['article_id']} {m['outlet'] or '?':<12} {m['start']:>6}-{m['end']:<6} {m['text']}")


def print_story(detail: dict[str, Any]) -> None:
    """`newsfuse story ID`: dates, entities, keywords, the articles by outlet and the copies of one report."""
    say(detail["title"], style="bold")
    say(f"{detail['id']} · {detail['first_seen'] or '?'} → {detail['last_seen'] or '?'} · "
        f"{len(detail['article_ids'])} articles")
    if detail["entities"]:
        say("entities: " + ", ".join(detail["entities"]))
    if detail["keywords"]:
        say("keywords: " + ", ".join(detail["keywords"]))
    for outlet, items in sorted(detail["by_outlet"].items()):
        say(f"\n{outlet}", style="bold")
        for item in items:
            say(f"  {item['published'] or '?'}  {item['id']}  {item['title'][:90]}")
    for group in detail["copies"]:
        say(f"copies of one report: {', '.join(group)}")


def print_moved(verb: str, counts: dict[str, int], directory: str, db: str) -> None:
    """`newsfuse export` / `import`: rows moved, and from where to where."""
    where = f"{db} → {directory}" if verb == "exported" else f"{directory} → {db}"
    console.print(f"{verb} {sum(counts.values())} rows of {len(counts)} tables: {where}", highlight=False)


def print_run_summary(summary: dict[str, Any], out_dir: str) -> None:
    """`newsfuse run`: each failure, the counts, where the reports are and what to type next."""
    for failure in summary["failures"]:
        complain("failed:", f"{failure['input']}: {failure['reason']}")
    say(f"ingested {summary['ingested']}, duplicates {summary['duplicates']}, failed {summary['failed']}")
    reports = [p for p in summary["outputs"] if "/stories/" in p.replace("\\", "/")]
    index = next((p for p in summary["outputs"] if p.endswith("index.html")), None)
    say(f"wrote {len(reports)} report files under {out_dir}")
    if index:
        say(f"open {index}")
    db = summary["db"]
    say(f"next: newsfuse --db {db} stories   ·   newsfuse --db {db} serve")
