"""Audit the clean stage on real scraped articles: removals per reason, empty results, outlets and dates found.

Usage:
    .venv/bin/python bench/clean_audit.py [--limit N] [--samples REASON] [--seed-format DIR] [--write]

Data sets (read in place from ../shared/data, never copied): GVA violent corpus (real local news scraped
with noise), NewsWCL50 (50 political articles), ECB+ (982 short news texts). Each article is cleaned
twice: as the JSONL reader declares it (title, date, url fields) and "text only", the way a seed-format
.txt without a header would arrive, so outlet and date detection from text signals is measured without
help from the metadata. An outlet found from text is scored against the outlet of the article's URL
where the data set has one: a wrong outlet is worse than none.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from newsfuse.clean import clean_document
from newsfuse.clean.metadata import bare_host, outlet_from_url
from newsfuse.errors import InputError
from newsfuse.ingest import ReadOptions, read_input
from newsfuse.ingest.jsonl import parse_line
from newsfuse.ingest.options import DEFAULT_JSONL_FIELDS
from newsfuse.models import Article, RawDocument

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DATASETS = {
    "gva": (DATA / "gva_semeval2018t5" / "violent_corpus.jsonl.gz", {"published": "dct"}),
    "newswcl50": (DATA / "newswcl50" / "newswcl50_docs.jsonl", {"id": "doc_id"}),
    "ecbplus": (DATA / "ecbplus" / "ecbplus_docs.jsonl.gz", {"id": "doc_id"}),
}
# An outlet from text that differs from the URL host is not always wrong: a wire agency's dateline credits the
# agency that wrote the text ("(AP) —"), and a TV station's dateline its call sign or network brand
# ("(KDKA) —" on cbslocal.com). Those are counted apart; the rest are read as false outlets.
WIRES = {"AP", "Reuters", "AFP", "STMW", "CNS", "Xinhua", "UPI", "dpa", "TASS"}
STATION_BRAND = re.compile(r"^(CBS|NBC|ABC|FOX|CW|NEWSCHANNEL|[KW][A-Z]{2,3}\b|[KW][A-Z]{2,3}[-\d ])", re.I)
# Missed boilerplate shows as the same short line left in many articles ("Please enable JavaScript ...");
# real stock sentences ("No arrests have been made.") count too, so this is an upper bound read with samples.
REPEATED_LINE_MAX_CHARS = 120
REPEATED_LINE_MIN_ARTICLES = 5
# How many articles per data set go through the text reader as seed-format .txt files.
SEED_FORMAT_SAMPLE = 300


def lines_of(path: Path) -> Iterator[bytes]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        yield from handle


def documents(name: str, limit: int | None) -> Iterator[RawDocument]:
    """RawDocuments the way the JSONL reader builds them, with the data set's field mapping."""
    path, extra = DATASETS[name]
    fields = {**DEFAULT_JSONL_FIELDS, **extra}
    for number, line in enumerate(lines_of(path), start=1):
        if limit and number > limit:
            return
        where = f"{name}:{number}"
        try:
            declared = parse_line(line, where, fields)
        except InputError:
            continue  # empty texts: the reader refuses them too
        yield RawDocument("jsonl", where, line, declared)


def text_only(raw: RawDocument) -> RawDocument:
    return RawDocument("text", raw.location, raw.content, {"text": raw.declared["text"]})


def url_outlet(url: str | None) -> str | None:
    return outlet_from_url(url) if url else None


def outlet_agrees(found: str, expected: str | None, url: str | None) -> bool | None:
    """True/False against the URL's outlet, None when the data set gives no URL to check against."""
    if not expected:
        return None
    squash = lambda s: re.sub(r"[^a-z0-9]", "", s.lower().removeprefix("the "))  # noqa: E731
    host = squash(bare_host(url) or "")
    return squash(found) == squash(expected) or (len(squash(found)) >= 3 and squash(found) in host)


def tally(raw: RawDocument, stats: Counter[str], reasons: Counter[str]) -> Article | None:
    """Clean one document and count it (dated, outlet found, removals by reason); None when nothing is left."""
    stats["articles"] += 1
    try:
        article = clean_document(raw).article
    except InputError:
        stats["empty"] += 1
        return None
    stats["dated"] += bool(article.published)
    stats["outlet"] += bool(article.outlet)
    stats["paragraphs"] += len(article.paragraphs)
    stats["captions"] += len(article.caption_paragraphs)
    reasons.update(removal.reason for removal in article.removals)
    return article


def audit(name: str, limit: int | None, samples: set[str], seed_dir: Path | None) -> dict:
    stats: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    wrong_outlets: list[tuple[str, str, str]] = []
    short_lines: Counter[str] = Counter()
    for index, raw in enumerate(documents(name, limit)):
        url = raw.declared.get("url")
        article = tally(raw, stats, reasons)
        if article is None:
            continue
        short_lines.update({re.sub(r"\d+", "0", p.lower()) for p in article.paragraphs if len(p) <= REPEATED_LINE_MAX_CHARS})
        for removal in article.removals:
            if removal.reason in samples or "all" in samples:
                print(f"[{name} {raw.location} {removal.reason}] {removal.text[:200]}")
        if "title" in samples:
            print(f"[{name} {raw.location} TITLE] {article.title[:160]}")
        plain = clean_document(text_only(raw)).article if article.paragraphs else None
        if plain is not None:
            stats["text_dated"] += bool(plain.published or plain.dateline)
            if plain.outlet:
                stats["text_outlet"] += 1
                verdict = outlet_agrees(plain.outlet, url_outlet(url), url)
                if verdict is False and plain.outlet in WIRES:
                    stats["text_outlet_wire"] += 1
                elif verdict is False and STATION_BRAND.match(plain.outlet):
                    stats["text_outlet_station"] += 1
                elif verdict is False:
                    stats["text_outlet_wrong"] += 1
                    wrong_outlets.append((raw.location, plain.outlet, f"{plain.outlet_found_by} host={bare_host(url)}"))
        if seed_dir is not None and index < SEED_FORMAT_SAMPLE:
            header = f"date {article.published} {raw.declared.get('title', '')}".strip() if article.published else ""
            (seed_dir / f"{name}_{index:04d}.txt").write_text(
                (header + "\n\n" if header else "") + raw.declared["text"], encoding="utf-8")
    repeated = [(n, line) for line, n in short_lines.most_common() if n >= REPEATED_LINE_MIN_ARTICLES]
    stats["repeated_lines"] = sum(n for n, _ in repeated)
    for n, line in repeated[:40]:
        print(f"[{name} REPEATED-LINE x{n}] {line}", file=sys.stderr)
    for location, outlet, how in wrong_outlets:
        print(f"[{name} {location} WRONG-OUTLET] {outlet} ({how})", file=sys.stderr)
    return {"stats": stats, "reasons": reasons}


def seed_format_pass(seed_dir: Path) -> dict:
    """The same articles as seed-format .txt files through the text reader."""
    stats: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for path in sorted(seed_dir.glob("*.txt")):
        for raw in read_input(str(path), ReadOptions()):
            if not isinstance(raw, RawDocument):
                stats["unreadable"] += 1
                continue
            tally(raw, stats, reasons)
    return {"stats": stats, "reasons": reasons}


def table(results: dict[str, dict]) -> str:
    all_reasons = sorted({r for res in results.values() for r in res["reasons"]})
    names = list(results)
    rows = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def share(res: dict, key: str) -> str:
        n = res["stats"]["articles"]
        return f"{100 * res['stats'][key] / n:.1f}%" if n else "-"

    rows.append("| articles | " + " | ".join(str(results[n]["stats"]["articles"]) for n in names) + " |")
    rows.append("| paragraphs left | " + " | ".join(str(results[n]["stats"]["paragraphs"]) for n in names) + " |")
    rows.append("| of them captions (kept, never read as statements) | "
                + " | ".join(str(results[n]["stats"]["captions"]) for n in names) + " |")
    rows.append(f"| short lines left that recur in >={REPEATED_LINE_MIN_ARTICLES} articles (occurrences) | "
                + " | ".join(str(results[n]["stats"]["repeated_lines"]) for n in names) + " |")
    for label, key in (("0 paragraphs left", "empty"), ("dated", "dated"), ("outlet found", "outlet"),
                       ("text only: dated or dateline", "text_dated"), ("text only: outlet found", "text_outlet"),
                       ("text only: outlet is a wire agency, URL a reprinting site", "text_outlet_wire"),
                       ("text only: outlet is a station brand, URL its network site", "text_outlet_station"),
                       ("text only: outlet disagrees with URL otherwise", "text_outlet_wrong")):
        rows.append(f"| {label} | " + " | ".join(share(results[n], key) for n in names) + " |")
    for reason in all_reasons:
        rows.append(f"| removed: {reason} | " + " | ".join(str(results[n]["reasons"][reason]) for n in names) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="articles per data set (default: all)")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--samples", default="", help="comma-separated removal reasons to print (or 'all', 'title')")
    args = parser.parse_args()
    samples = {s for s in args.samples.split(",") if s}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="clean_audit_") as tmp:
        seed_dir = Path(tmp)
        for name in args.datasets.split(","):
            results[name] = audit(name, args.limit, samples, seed_dir)
        results["seed-format .txt"] = seed_format_pass(seed_dir)
    print(table(results))


if __name__ == "__main__":
    main()
