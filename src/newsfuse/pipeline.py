"""Runs the stages in order over a batch: the one module that knows them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from newsfuse import clean, ingest
from newsfuse.errors import InputError
from newsfuse.ingest import ReadOptions
from newsfuse.models import Article, RawDocument, ReadFailure, SourceRecord
from newsfuse.store.sqlite import SQLiteStore, sha256_hex

# Documents cleaned and committed together: a kill loses at most this many uncommitted documents,
# and a dateline without a year can borrow one from the others in its chunk.
CHUNK_SIZE = 200


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)  # new article ids
    duplicates: list[str] = field(default_factory=list)  # same content from a new source
    unchanged: int = 0  # this exact source was stored before
    failed: list[ReadFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str], None]


def read_documents(inputs: Iterable[str], options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    """Every document from every input, in order; unreadable inputs come out as failures."""
    for location in ingest.expand_inputs(inputs):
        if isinstance(location, ReadFailure):
            yield location
            continue
        try:
            yield from ingest.read_input(location, options)
        except InputError as exc:
            yield ReadFailure(exc.location, exc.reason)
        except Exception as exc:  # a reader bug must not stop the batch; report it with the input
            yield ReadFailure(location, f"unexpected {type(exc).__name__}: {exc}")


def ingest_inputs(
    inputs: Iterable[str],
    store: SQLiteStore,
    options: ReadOptions | None = None,
    on_document: Progress | None = None,
) -> IngestReport:
    """Read, clean and store everything under `inputs`; the batch goes on past bad inputs."""
    options = options or ReadOptions()
    report = IngestReport()
    chunk: list[RawDocument] = []
    for item in read_documents(inputs, options):
        if isinstance(item, ReadFailure):
            store.record_failure(item.location, item.reason)
            report.failed.append(item)
            if on_document:
                on_document(item.location)
            continue
        chunk.append(item)
        if len(chunk) >= CHUNK_SIZE:
            _store_chunk(chunk, store, options, report, on_document)
            chunk = []
    if chunk:
        _store_chunk(chunk, store, options, report, on_document)
    return report


def _store_chunk(
    chunk: list[RawDocument], store: SQLiteStore, options: ReadOptions, report: IngestReport,
    on_document: Progress | None,
) -> None:
    cleaned: list[tuple[RawDocument, clean.Cleaned]] = []
    for raw in chunk:
        sha = sha256_hex(raw.content)
        if store.known_source(raw.kind, raw.location, sha):
            report.unchanged += 1
            continue
        try:
            cleaned.append((raw, clean.clean_document(raw, options.outlet)))
        except InputError as exc:
            failure = ReadFailure(raw.location, exc.reason)
            store.record_failure(failure.location, failure.reason)
            report.failed.append(failure)
    batch_dates = [c.article.published for _, c in cleaned if c.article.published]
    if any(c.partial_date for _, c in cleaned):
        batch_dates += store.publication_dates()
    with store.transaction():
        for raw, result in cleaned:
            article = clean.complete_date(result, batch_dates)
            outcome = store.add_article(article, _source_record(raw), raw.content)
            _count(report, outcome, article)
    if on_document:
        for raw in chunk:
            on_document(raw.location)


def _source_record(raw: RawDocument) -> SourceRecord:
    declared = {k: v for k, v in raw.declared.items() if k not in ("text", "html")}
    return SourceRecord(raw.kind, raw.location, sha256_hex(raw.content), declared)


def _count(report: IngestReport, outcome: str, article: Article) -> None:
    if outcome == "new":
        report.ingested.append(article.id)
    elif outcome == "duplicate":
        report.duplicates.append(article.id)
    else:
        report.unchanged += 1
