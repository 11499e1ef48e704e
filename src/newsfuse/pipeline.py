"""Runs the stages in order over a batch: the one module that knows them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsfuse import ingest
from newsfuse.errors import InputError
from newsfuse.ingest import ReadOptions
from newsfuse.models import Article, RawDocument, ReadFailure, SourceRecord, Story
from newsfuse.settings import DEFAULTS, Settings
from newsfuse.store import Store, sha256_hex
from newsfuse.store.shards import ShardDir, shard_name
from newsfuse.vectors import StoredEmbedder, stored_embedder

# Documents cleaned and committed together: a kill loses at most this many uncommitted documents,
# and a dateline without a year can borrow one from the others in its chunk.
CHUNK_SIZE = 200


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)  # new article ids
    duplicates: list[str] = field(default_factory=list)  # same content from a new source
    unchanged: int = 0  # this exact source was stored before
    failed: list[ReadFailure] = field(default_factory=list)
    headline_only: list[str] = field(default_factory=list)  # new article ids that are a headline without a body

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
        yield from read_location(location, options)


def read_location(location: str, options: ReadOptions) -> Iterator[RawDocument | ReadFailure]:
    """Every document one file or URL holds; a reader's error comes out as a failure naming the input."""
    try:
        yield from ingest.read_input(location, options)
    except InputError as exc:
        yield ReadFailure(exc.location, exc.reason)
    except Exception as exc:  # a reader bug must not stop the batch; report it with the input
        yield ReadFailure(location, f"unexpected {type(exc).__name__}: {exc}")


def ingest_inputs(
    inputs: Iterable[str],
    store: Store,
    options: ReadOptions | None = None,
    on_document: Progress | None = None,
) -> IngestReport:
    """Read, clean and store everything under `inputs`; the batch goes on past bad inputs."""
    options = options or ReadOptions()
    return ingest_documents(read_documents(inputs, options), store, options, on_document)


def ingest_documents(
    items: Iterable[RawDocument | ReadFailure],
    store: Store,
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
    chunk: list[RawDocument], store: Store, options: ReadOptions, report: IngestReport,
    on_document: Progress | None,
) -> None:
    fresh = []
    for raw in chunk:
        if store.known_source(raw.kind, raw.location, sha256_hex(raw.content)):
            report.unchanged += 1
        else:
            fresh.append(raw)
    cleaned, failures = clean_batch(fresh, options, store.publication_dates)
    for failure in failures:
        store.record_failure(failure.location, failure.reason)
        report.failed.append(failure)
    with store.transaction():
        for raw, article in cleaned:
            outcome = store.add_article(article, _source_record(raw), raw.content)
            _count(report, outcome, article)
    if on_document:
        for raw in chunk:
            on_document(raw.location)


def clean_batch(
    raws: list[RawDocument], options: ReadOptions, more_dates: Callable[[], list[str]] | None = None,
) -> tuple[list[tuple[RawDocument, Article]], list[ReadFailure]]:
    """Clean documents read together; a dateline without a year borrows one from the batch's dates (and
    `more_dates()`, e.g. the store's, when some need it). A document that fails is a failure, not an error."""
    from newsfuse import clean  # here, not above: commands that only read the store need no cleaner
    from newsfuse.clean.outlets import load_registry

    cleaned: list[tuple[RawDocument, clean.Cleaned]] = []
    failures = []
    registry = load_registry(options.outlets_file)
    for raw in raws:
        try:
            cleaned.append((raw, clean.clean_document(raw, options.outlet, registry)))
        except Exception as exc:  # a cleaner bug on one document must not stop the batch either
            reason = exc.reason if isinstance(exc, InputError) else f"cleaning failed: unexpected {type(exc).__name__}: {exc}"
            failures.append(ReadFailure(raw.location, reason))
    batch_dates = [c.article.published for _, c in cleaned if c.article.published]
    if more_dates is not None and any(c.partial_date for _, c in cleaned):
        batch_dates += more_dates()
    return [(raw, clean.complete_date(result, batch_dates)) for raw, result in cleaned], failures


def _source_record(raw: RawDocument) -> SourceRecord:
    declared = {k: v for k, v in raw.declared.items() if k not in ("text", "html")}
    return SourceRecord(raw.kind, raw.location, sha256_hex(raw.content), declared)


def _count(report: IngestReport, outcome: str, article: Article) -> None:
    if outcome == "new":
        report.ingested.append(article.id)
        if article.headline_only:
            report.headline_only.append(article.id)
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


def poll_feeds(urls: Iterable[str], store: Store, options: ReadOptions) -> list[FeedPoll]:
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


def analyse_pending(store: Store, workers: int | None = None, on_article: Progress | None = None,
                    link: bool = True, settings: Settings = DEFAULTS) -> int:
    """Analyse every article with no analysis (or one from an older version), then link their entities
    against the stored ones (`link_pending`; `link=False` leaves that to the caller).

    Returns how many articles were analysed. With workers > 1 (default: the `workers` setting) the articles
    are parsed in that many processes, each loading spaCy once, with the cores shared out among them
    (`text.threads`); the `quote_tagger` setting picks the attribution tagger.
    """
    from newsfuse import analyse

    workers = workers or settings.workers
    pending = store.articles_needing("analysis", analyse.VERSION)
    pool = _analysis_pool(workers) if workers > 1 and len(pending) > 1 else None
    try:
        for start in range(0, len(pending), ANALYSIS_CHUNK):
            articles = store.articles(ids=pending[start:start + ANALYSIS_CHUNK])
            results = _analyse_chunk(articles, pool, workers, settings.quote_tagger)
            with store.transaction():
                for data in results:
                    store.put_annotation(data["article_id"], "analysis", analyse.VERSION, data)
            if on_article:
                for article in articles:
                    on_article(article.id)
    finally:
        if pool is not None:
            pool.shutdown()
    if link:
        link_pending(store)
    return len(pending)


def _analysis_pool(workers: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    from newsfuse.text.threads import threads_per_worker

    return ProcessPoolExecutor(max_workers=workers, initializer=_init_analysis_worker,
                               initargs=(threads_per_worker(workers),))


def _init_analysis_worker(threads: int) -> None:
    from newsfuse.text.models import nlp
    from newsfuse.text.threads import limit_threads

    limit_threads(threads)
    nlp()


def _analyse_batch(articles: list[Article], tagger: str | None = None) -> list[dict[str, Any]]:
    from newsfuse.analyse import analyse_articles
    from newsfuse.models import to_dict

    return [to_dict(a) for a in analyse_articles(articles, tagger)]


def _analyse_chunk(articles: list[Article], pool: Any, workers: int, tagger: str | None) -> list[dict[str, Any]]:
    from functools import partial

    if pool is None:
        return _analyse_batch(articles, tagger)
    size = max(1, -(-len(articles) // workers))
    parts = [articles[i:i + size] for i in range(0, len(articles), size)]
    return [data for part in pool.map(partial(_analyse_batch, tagger=tagger), parts) for data in part]


def link_pending(store: Store) -> int:
    """Link the entities of every article analysed since the last linking against the stored ones, touching
    only what they change (`analyse.linkstore`); returns how many articles were linked."""
    from newsfuse.analyse import linkstore

    return linkstore.link_new(store)


def relink_entities(store: Store) -> int:
    """Link every analysed article's entities again from scratch (`newsfuse relink`); returns the entities."""
    from newsfuse.analyse import linkstore

    return linkstore.relink_all(store)


def load_analysis(store: Store, article_id: str) -> Any:
    """The stored Analysis of one article (from whichever analysis version stored it), or None."""
    from newsfuse.models import analysis_from_dict

    found = store.annotation(article_id, "analysis")
    return analysis_from_dict(found[1]) if found else None


# ---------------------------------------------------------------- stories (issue 4)

def cluster_pending(
    store: Store, rebuild: bool = False, on_article: Progress | None = None
) -> list[str]:
    """Group every article not yet in a story (all of them with `rebuild`); ids of the stories that changed.

    Uses the stored analysis of an article when the analysis stage has one, else the story stage's own
    lightweight features.
    """
    from newsfuse import stories

    return stories.cluster_store(store, rebuild=rebuild, analysis_for=_analysis_reader(store), on_article=on_article)


def _analysis_reader(store: Store) -> Callable[[str], Any]:
    def read(article_id: str) -> Any:
        try:
            return load_analysis(store, article_id)
        except Exception:  # an unreadable analysis must not stop clustering: fall back to own features
            return None

    return read


# ---------------------------------------------------------------- fuse (issue 5)

def fuse_pending(store: Store, story_ids: Iterable[str] | None = None, force: bool = False,
                 on_error: Callable[[str, Exception], None] | None = None,
                 settings: Settings = DEFAULTS) -> list[str]:
    """Fuse every story of 2+ articles whose membership (or fuser version) changed since its stored fusion.

    Returns the ids of the stories fused now. `story_ids` limits the work to those stories; `force`
    re-fuses them even when nothing changed; the `llm_endpoint` setting adds a checked generative summary.
    With `on_error`, a story whose fusion raises is reported to it and the others are still fused.
    """
    from newsfuse.fuse import FUSER_VERSION

    from newsfuse.text.models import STATEMENTS_INT8, STATEMENTS_LAYERS, minilm_available, minilm_tag

    # The MiniLM model that embeds the statements is part of the fused version: another model's vectors
    # align other facts, so a change of model (its weights digest is in the tag) fuses the stories again.
    # (models, not embeddings: deciding that a stored fusion is current loads no numpy.)
    model = minilm_tag(STATEMENTS_INT8, STATEMENTS_LAYERS) if minilm_available() else "lexical"
    stories = [store.story(key) for key in story_ids] if story_ids is not None else store.stories()
    stored = store.fused_memberships()
    due = []
    for story in stories:
        membership = sorted(story.article_ids)
        if len(membership) < 2:
            continue
        # A story is fused again when the fuser, the analyses it reads, or its articles change. The
        # analyses' versions are the stored ones, so checking a stored fusion loads no analysis code.
        version = f"{FUSER_VERSION}/{model}/{_analysis_version(store, membership)}"
        if not force and stored.get(story.id) == (version, membership):
            continue
        due.append((story, membership, version))
    if not due:
        return []
    from newsfuse import fuse
    from newsfuse.models import to_dict

    embed = stored_embedder(store)
    done = []
    for start in range(0, len(due), FUSE_CHUNK):
        chunk = due[start:start + FUSE_CHUNK]
        # Each article and its analysis are read once: for embedding ahead, then for fusing its story.
        read = {story.id: _story_inputs(store, story, settings.quote_tagger, on_error) for story, _, _ in chunk}
        # Ahead only where MiniLM batches texts (fp32): in int8 each text is one call, and fusing the story
        # embeds what it lacks at the same cost, without cutting every article into statements twice (the
        # first 1,000 GVA articles: 2.2 of fusion's 75 CPU-s under cProfile).
        if embed is not None and embed.batched():
            _embed_ahead(embed, [inputs for inputs in read.values() if inputs is not None])
        for story, membership, version in chunk:
            if read[story.id] is None:
                continue
            articles, analyses = read[story.id]
            try:
                entities = _entities_for(store, analyses)
                fused = fuse.fuse_story(story, articles, analyses, entities, embed=embed,
                                        llm_endpoint=settings.llm_endpoint)
                store.put_fused(story.id, version, membership, to_dict(fused))
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(story.id, exc)  # a long-running worker goes on to the next story
                continue
            done.append(story.id)
    return done


# Stories whose articles and analyses are held in memory at once while fusing (read once, embedded ahead
# together): bounds memory on a large batch; set by reading, not tuned.
FUSE_CHUNK = 64


def _story_inputs(store: Store, story: Story, tagger: str | None,
                  on_error: Callable[[str, Exception], None] | None) -> tuple[list[Article], dict[str, Any]] | None:
    """A story's articles (outlets labelled) and their analyses; None when reading them failed and `on_error`
    was told."""
    try:
        articles = _labelled(store.articles(ids=list(story.article_ids)))
        return articles, _analyses_for(store, articles, tagger)
    except Exception as exc:
        if on_error is None:
            raise
        on_error(story.id, exc)
        return None


def _embed_ahead(embed: StoredEmbedder, stories: list[tuple[list[Article], dict[str, Any]]]) -> None:
    """Embed the statement sentences of the stories about to be fused in one pass, before fusing any.

    Story by story, MiniLM's batches hold one story's sentences and pad 45% over their word pieces (the
    first 200 GVA articles); all together, sorted by length, they pad 5%. The vectors are the same either
    way (a text's do not depend on its batch-mates)."""
    from newsfuse import fuse

    texts: list[str] = []
    for articles, analyses in stories:
        for article in articles:
            try:
                analysis = analyses.get(article.id)
                if analysis is not None:
                    texts.extend(fuse.statement_texts(article, analysis))
            except Exception:  # fusing the story reports what is wrong with it; here it is only not embedded early
                continue
    embed.fill(texts)


def outlet_registry(user_file: str | None = None) -> Any:
    """The outlet registry (shipped, extended by the user's file): names, country, kind, lean."""
    from newsfuse.clean.outlets import load_registry

    return load_registry(user_file)


def outlet_labels(articles: Iterable[tuple[str, str | None, str | None]], registry: Any = None) -> dict[str, str]:
    """article id -> the outlet a reader sees, for the (id, outlet, url) of one story's articles."""
    from newsfuse.clean.outlets import outlet_labels as labels

    return labels(articles, registry)


def _labelled(articles: list[Article]) -> list[Article]:
    """Articles with the outlet a reader sees: the registry's name, or "unknown outlet (host)", never an id."""
    import dataclasses

    labels = outlet_labels((a.id, a.outlet, a.url) for a in articles)
    return [dataclasses.replace(a, outlet=labels[a.id]) if labels[a.id] != a.outlet else a for a in articles]


def _analysis_version(store: Store, article_ids: list[str]) -> str:
    """The version of the analyses fusion reads for these articles (the current code's for one not stored)."""
    found = store.annotation_versions("analysis", article_ids)
    if len(found) < len(article_ids):
        from newsfuse import analyse

        found = {**{key: analyse.VERSION for key in article_ids}, **found}
    return "+".join(sorted(set(found.values())))


def _analyses_for(store: Store, articles: list[Article], tagger: str | None) -> dict[str, Any]:
    """Stored analyses; articles analysed before the analysis stage existed are analysed now (not stored)."""
    found = {a.id: load_analysis(store, a.id) for a in articles}
    missing = [a for a in articles if found[a.id] is None]
    if missing:
        from newsfuse.analyse import analyse_articles

        found.update({an.article_id: an for an in analyse_articles(missing, tagger)})
    return found


def _entities_for(store: Store, analyses: dict[str, Any]) -> list[Any]:
    return store.entities_by_id({m.entity_id for an in analyses.values() for m in an.mentions if m.entity_id})


# ---------------------------------------------------------------- shards (issue 15)

def split_inputs(inputs: list[str], shards: ShardDir, options: ReadOptions, shard_size: int) -> list[str]:
    """Split the inputs into input shards of `shard_size` units each; the shard names, in input order.

    A unit is a whole file or URL, read later by the shard's worker, except for line-oriented inputs
    (JSONL), whose documents are read here, so one large file still spreads over many shards. A finished
    split of the same inputs is reused; an unfinished one is redone.
    """
    names = shards.check_inputs(inputs)
    if names is not None:
        return names
    names, rows = [], []
    for row in _units(inputs, options):
        rows.append(row)
        if len(rows) >= shard_size:
            names.append(_write_input_shard(shards, len(names), rows))
            rows = []
    if rows or not names:
        names.append(_write_input_shard(shards, len(names), rows))
    shards.write_plan(inputs, names, shard_size)
    return names


def _write_input_shard(shards: ShardDir, index: int, rows: list[dict[str, Any]]) -> str:
    name = shard_name(index)
    shards.write_input(name, rows)
    return name


def _units(inputs: list[str], options: ReadOptions) -> Iterator[dict[str, Any]]:
    blank = {"kind": None, "content": None, "declared": None, "failure": None}
    for location in ingest.expand_inputs(inputs):
        if isinstance(location, ReadFailure):
            yield {**blank, "location": location.location, "failure": location.reason}
        elif ingest.detect_kind(location) == "jsonl":
            for item in read_location(location, options):
                yield _document_row(item, blank)
        else:
            yield {**blank, "kind": "file", "location": location}


def _document_row(item: RawDocument | ReadFailure, blank: dict[str, Any]) -> dict[str, Any]:
    import json

    if isinstance(item, ReadFailure):
        return {**blank, "location": item.location, "failure": item.reason}
    return {**blank, "kind": item.kind, "location": item.location, "content": item.content,
            "declared": json.dumps(item.declared, default=str, ensure_ascii=False)}


def process_shard(shards: ShardDir, name: str, options: ReadOptions, analyse: bool = True) -> int:
    """Read, clean and analyse one input shard into its output shard and completion marker: a pure function
    of the shard and the files it names, so any engine, and any re-run, writes the same output.

    Without `analyse` the articles are only read and cleaned (their analysis is left empty). Returns how many
    documents the output shard holds (articles and failures)."""
    import json

    from newsfuse.analyse import analyse_articles
    from newsfuse.models import to_dict

    raws: list[RawDocument] = []
    failures: list[ReadFailure] = []
    for row in shards.read_input(name):
        if row["failure"] is not None:
            failures.append(ReadFailure(row["location"], row["failure"]))
        elif row["kind"] == "file":
            for item in read_location(row["location"], options):
                (failures if isinstance(item, ReadFailure) else raws).append(item)  # type: ignore[arg-type]
        else:
            raws.append(RawDocument(row["kind"], row["location"], row["content"], json.loads(row["declared"])))
    cleaned, failed = clean_batch(raws, options)
    unique = list({article.id: article for _, article in cleaned}.values())
    analyses = {an.article_id: json.dumps(to_dict(an), ensure_ascii=False)
                for an in (analyse_articles(unique) if analyse else ())}
    rows = [{"kind": raw.kind, "location": raw.location, "content": raw.content,
             "declared": json.dumps(_source_record(raw).declared, default=str, ensure_ascii=False),
             "article": json.dumps(to_dict(article), ensure_ascii=False),
             "analysis": analyses.get(article.id), "failure": None}
            for raw, article in cleaned]
    rows += [{"kind": None, "location": f.location, "content": None, "declared": None, "article": None,
              "analysis": None, "failure": f.reason} for f in failures + failed]
    shards.write_output(name, rows)
    return len(rows)


def store_shards(store: Store, shards: ShardDir, names: list[str], workers: int = 1,
                 on_document: Progress | None = None, analyse: bool = True) -> IngestReport:
    """Store the articles and analyses of finished output shards (one transaction per shard, in shard order),
    link entities across the corpus, then mark the shards loaded.

    The marks come last, so a run killed before them stores the same shards again on its re-run, without
    effect (articles and their sources are stored once, an analysis only with a new article), and links."""
    report = IngestReport()
    loaded = [name for name in names if not shards.loaded(name)]
    for name in loaded:
        _load_shard(store, shards.read_output(name), report, on_document)
    if analyse and loaded:
        analyse_pending(store, workers=workers, link=False)  # articles stored before without an analysis
        link_pending(store)
    for name in loaded:
        shards.mark_loaded(name)
    return report


def _load_shard(store: Store, rows: list[dict[str, Any]], report: IngestReport, on_document: Progress | None) -> None:
    import json

    from newsfuse import analyse
    from newsfuse.models import article_from_dict

    with store.transaction():
        for row in rows:
            if row["failure"] is not None:
                if not store.known_failure(row["location"], row["failure"]):
                    store.record_failure(row["location"], row["failure"])
                report.failed.append(ReadFailure(row["location"], row["failure"]))
                continue
            article = article_from_dict(json.loads(row["article"]))
            source = SourceRecord(row["kind"], row["location"], sha256_hex(row["content"]), json.loads(row["declared"]))
            outcome = store.add_article(article, source, row["content"])
            if outcome == "new" and row["analysis"] is not None:
                store.put_annotation(article.id, "analysis", analyse.VERSION, json.loads(row["analysis"]))
            _count(report, outcome, article)
    if on_document:
        for row in rows:
            on_document(row["location"])


def load_models() -> None:
    """Load the analysis models now (in a worker, before its first shard) rather than on first use."""
    from newsfuse.text.models import nlp

    nlp()
