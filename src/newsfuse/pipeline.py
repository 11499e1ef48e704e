"""Runs the stages in order over a batch: the one module that knows them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsfuse import clean, ingest
from newsfuse.clean.outlets import load_registry, outlet_labels
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
    return ingest_documents(read_documents(inputs, options), store, options, on_document)


def ingest_documents(
    items: Iterable[RawDocument | ReadFailure],
    store: SQLiteStore,
    options: ReadOptions,
    on_document: Progress | None = None,
) -> IngestReport:
    """Clean and store documents already read (failures are recorded); the batch goes on past bad ones."""
    report = IngestReport()
    chunk: list[RawDocument] = []
    for item in items:
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
    registry = load_registry(options.outlets_file)
    for raw in chunk:
        sha = sha256_hex(raw.content)
        if store.known_source(raw.kind, raw.location, sha):
            report.unchanged += 1
            continue
        try:
            cleaned.append((raw, clean.clean_document(raw, options.outlet, registry)))
        except Exception as exc:  # a cleaner bug on one document must not stop the batch either
            reason = exc.reason if isinstance(exc, InputError) else f"cleaning failed: unexpected {type(exc).__name__}: {exc}"
            failure = ReadFailure(raw.location, reason)
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


@dataclass
class FeedPoll:
    """What one poll of one watched feed did."""

    url: str
    changed: bool = False
    report: IngestReport = field(default_factory=IngestReport)
    error: str | None = None


def poll_feeds(urls: Iterable[str], store: SQLiteStore, options: ReadOptions) -> list[FeedPoll]:
    """Poll each feed with a conditional request (the ETag / Last-Modified its last poll saw, kept in the store)
    and store the entries of those that changed; a feed that fails is recorded and the others go on."""
    from newsfuse.ingest.url import poll_feed

    polls = []
    for url in urls:
        state = store.feed_state(url) or {}
        poll = FeedPoll(url)
        try:
            polled = poll_feed(url, options, state.get("etag"), state.get("last_modified"))
        except InputError as exc:
            poll.error = exc.reason
            store.record_failure(url, exc.reason)
            store.put_feed_state(url, state.get("etag"), state.get("last_modified"), "failed", exc.reason, 0)
            polls.append(poll)
            continue
        poll.changed = polled.changed
        if polled.changed:
            poll.report = ingest_documents(polled.documents, store, options)
        store.put_feed_state(url, polled.etag, polled.last_modified, "changed" if polled.changed else "unchanged",
                             None, len(poll.report.ingested))
        polls.append(poll)
    return polls


# ---------------------------------------------------------------- analyse (issue 3)

# Articles analysed and committed together; each worker gets ANALYSIS_CHUNK // workers of them.
ANALYSIS_CHUNK = 64


def analyse_pending(store: SQLiteStore, workers: int = 1, on_article: Progress | None = None) -> int:
    """Analyse every article with no analysis (or one from an older version), then re-link entities.

    Returns how many articles were analysed. With workers > 1 the articles are parsed in that many
    processes, each loading spaCy once and running on one thread.
    """
    from newsfuse import analyse

    pending = store.articles_needing("analysis", analyse.VERSION)
    pool = _analysis_pool(workers) if workers > 1 and len(pending) > 1 else None
    try:
        for start in range(0, len(pending), ANALYSIS_CHUNK):
            articles = store.articles(ids=pending[start:start + ANALYSIS_CHUNK])
            results = _analyse_chunk(articles, pool, workers)
            with store.transaction():
                for data in results:
                    store.put_annotation(data["article_id"], "analysis", analyse.VERSION, data)
            if on_article:
                for article in articles:
                    on_article(article.id)
    finally:
        if pool is not None:
            pool.shutdown()
    if pending or not store.entities(limit=1):
        relink_entities(store)
    return len(pending)


def _analysis_pool(workers: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_init_analysis_worker)


def _init_analysis_worker() -> None:
    from newsfuse.text.models import nlp, single_thread

    single_thread()
    nlp()


def _analyse_batch(articles: list[Article]) -> list[dict[str, Any]]:
    from newsfuse.analyse import analyse_articles
    from newsfuse.models import to_dict

    return [to_dict(a) for a in analyse_articles(articles)]


def _analyse_chunk(articles: list[Article], pool: Any, workers: int) -> list[dict[str, Any]]:
    if pool is None:
        return _analyse_batch(articles)
    size = max(1, -(-len(articles) // workers))
    parts = [articles[i:i + size] for i in range(0, len(articles), size)]
    return [data for part in pool.map(_analyse_batch, parts) for data in part]


def relink_entities(store: SQLiteStore) -> int:
    """Link entity mentions across every analysed article; store entities, mentions and updated analyses."""
    from newsfuse import analyse
    from newsfuse.models import analysis_from_dict, to_dict

    items = []
    for article_id, version, data in store.annotations("analysis"):
        if version == analyse.VERSION:
            items.append((store.article(article_id), analysis_from_dict(data)))
    entities, analyses = analyse.link_entities(items)
    rows = [(m.entity_id, m.article_id, m.text, m.start, m.end)
            for a in analyses for m in a.mentions if m.entity_id and m.part == "text"]
    with store.transaction():
        store.replace_entities(entities, rows, analyse.linking.VERSION)
        for analysis in analyses:
            store.put_annotation(analysis.article_id, "analysis", analyse.VERSION, to_dict(analysis))
    return len(entities)


def load_analysis(store: SQLiteStore, article_id: str) -> Any:
    """The stored Analysis of one article (from whichever analysis version stored it), or None."""
    from newsfuse.models import analysis_from_dict

    found = store.annotation(article_id, "analysis")
    return analysis_from_dict(found[1]) if found else None


def sentence_embeddings(store: SQLiteStore, article_id: str) -> Any:
    """Embeddings of an analysed article's sentences (numpy array, one row per sentence), cached in the store."""
    import base64

    import numpy as np

    from newsfuse.text import embeddings

    component = f"embeddings:{embeddings.MODEL}"
    cached = store.annotation(article_id, component)
    if cached:
        raw = base64.b64decode(cached[1]["vectors"])
        return np.frombuffer(raw, dtype=np.float32).reshape(-1, embeddings.DIMENSIONS)
    analysis = load_analysis(store, article_id)
    texts = [s.text for s in analysis.sentences] if analysis else []
    vectors = embeddings.embed(texts)
    store.put_annotation(article_id, component, embeddings.MODEL,
                         {"vectors": base64.b64encode(vectors.tobytes()).decode("ascii"), "count": len(texts)})
    return vectors


# ---------------------------------------------------------------- stories (issue 4)

def cluster_pending(
    store: SQLiteStore, rebuild: bool = False, on_article: Progress | None = None
) -> list[str]:
    """Group every article not yet in a story (all of them with `rebuild`); ids of the stories that changed.

    Uses the stored analysis of an article when the analysis stage has one, else the story stage's own
    lightweight features.
    """
    from newsfuse import stories

    return stories.cluster_store(store, rebuild=rebuild, analysis_for=_analysis_reader(store), on_article=on_article)


def _analysis_reader(store: SQLiteStore) -> Callable[[str], Any]:
    def read(article_id: str) -> Any:
        try:
            return load_analysis(store, article_id)
        except Exception:  # an unreadable analysis must not stop clustering: fall back to own features
            return None

    return read


# ---------------------------------------------------------------- fuse (issue 5)

def fuse_pending(store: SQLiteStore, story_ids: Iterable[str] | None = None, force: bool = False,
                 llm_endpoint: str | None = None) -> list[str]:
    """Fuse every story of 2+ articles whose membership (or fuser version) changed since its stored fusion.

    Returns the ids of the stories fused now. `story_ids` limits the work to those stories; `force`
    re-fuses them even when nothing changed; `llm_endpoint` adds a checked generative summary.
    """
    from newsfuse import analyse, fuse
    from newsfuse.models import to_dict

    stories = [store.story(key) for key in story_ids] if story_ids is not None else store.stories()
    stored = store.fused_memberships()
    # A story is fused again when the fuser, the analysis it reads, or its articles change.
    version = f"{fuse.FUSER_VERSION}/{analyse.VERSION}"
    embed = _embedder()
    done = []
    for story in stories:
        membership = sorted(story.article_ids)
        if len(membership) < 2:
            continue
        if not force and stored.get(story.id) == (version, membership):
            continue
        articles = _labelled(store.articles(ids=list(story.article_ids)))
        analyses = _analyses_for(store, articles)
        entities = _entities_for(store, analyses)
        fused = fuse.fuse_story(story, articles, analyses, entities, embed=embed, llm_endpoint=llm_endpoint)
        store.put_fused(story.id, version, membership, to_dict(fused))
        done.append(story.id)
    return done


def outlet_registry(user_file: str | None = None) -> Any:
    """The outlet registry (shipped, extended by the user's file): names, country, kind, lean."""
    return load_registry(user_file)


def _labelled(articles: list[Article]) -> list[Article]:
    """Articles with the outlet a reader sees: the registry's name, or "unknown outlet (host)", never an id."""
    import dataclasses

    labels = outlet_labels((a.id, a.outlet, a.url) for a in articles)
    return [dataclasses.replace(a, outlet=labels[a.id]) if labels[a.id] != a.outlet else a for a in articles]


def _analyses_for(store: SQLiteStore, articles: list[Article]) -> dict[str, Any]:
    """Stored analyses; articles analysed before the analysis stage existed are analysed now (not stored)."""
    found = {a.id: load_analysis(store, a.id) for a in articles}
    missing = [a for a in articles if found[a.id] is None]
    if missing:
        from newsfuse.analyse import analyse_articles

        found.update({an.article_id: an for an in analyse_articles(missing)})
    return found


def _entities_for(store: SQLiteStore, analyses: dict[str, Any]) -> list[Any]:
    from newsfuse.errors import NotFound

    ids = {m.entity_id for an in analyses.values() for m in an.mentions if m.entity_id}
    out = []
    for entity_id in sorted(ids):
        try:
            out.append(store.entity(entity_id))
        except NotFound:
            continue
    return out


def _embedder() -> Callable[[list[str]], Any] | None:
    """MiniLM sentence embeddings from the analysis stage, when its model package is installed."""
    try:
        from newsfuse.text import embeddings
    except ImportError:
        return None
    return embeddings.embed
