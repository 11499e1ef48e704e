"""The store interface both backends implement, with the SQL they share (SQLite and PostgreSQL)."""

from __future__ import annotations

import abc
import contextlib
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from newsfuse.errors import NotFound
from newsfuse.models import Article, Entity, SourceRecord
from newsfuse.store import schema
from newsfuse.store.links import LinkTables
from newsfuse.store.story_tables import StoryTables
from newsfuse.store.sqltext import article_filters, article_from_row, column_list, like_prefix, query_words, utc_now


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Cursor(Protocol):
    """What a backend's connection returns from execute: sqlite3's cursor API, which psycopg's matches."""

    rowcount: int

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The connection the shared SQL runs on: `?` placeholders, rows indexable by position and by name."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor: ...


class Store(LinkTables, StoryTables, abc.ABC):
    """Articles, originals, annotations, entities, stories and fused accounts, on one backend.

    The queries are written once here in the SQL both backends accept (upserts with ON CONFLICT, `?`
    placeholders, the `"end"` column quoted); a backend supplies the connection, how a transaction
    begins, the lock for jobs that must run alone, the next article sequence number, how a migration
    becomes statements, and full-text search. Callers type against `Store` and never see which it is.
    """

    conn: Connection
    # Shown to the user and stored in reports: the database file, or the server URL without its password.
    location: str
    # The statement that opens a write transaction.
    BEGIN = "BEGIN"
    # What LIMIT says for "no limit" (an OFFSET needs a LIMIT in SQLite).
    NO_LIMIT = "ALL"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0

    # ------------------------------------------------------------ what a backend supplies

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def exclusive(self, job: str) -> contextlib.AbstractContextManager[None]:
        """Run a job that reads state, works on it and writes it back (clustering, merge, split) alone on
        this database, across processes and machines: a second one waits for the first, then sees what it
        wrote. Re-entrant within one store object."""

    @abc.abstractmethod
    def integrity_ok(self) -> bool: ...

    @abc.abstractmethod
    def _next_seq(self, conn: Connection) -> int:
        """The ingest-order number of an article about to be stored (inside the write transaction)."""

    @abc.abstractmethod
    def _statements(self, version: int, sql: str) -> list[str]:
        """One migration of schema.py as this backend's statements."""

    @abc.abstractmethod
    def _search_rows(self, query: str, limit: int) -> list[Any]:
        """Article rows (with a `snip` column) whose title or text has every word of `query`, best first."""

    @abc.abstractmethod
    def _text_match(self, query: str) -> tuple[str, Any]:
        """A condition on `articles a` true when the article has every word of `query`, and its one parameter."""

    # ------------------------------------------------------------ plumbing

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (nested calls join the outer one): all of it lands, or none."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute(self.BEGIN)
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                if self.in_transaction():  # SQLite has already rolled back after a full disk or I/O error
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def in_transaction(self) -> bool:
        """Whether the connection still has a transaction open (a backend may end its own after an error)."""
        return True

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> None:
        """Apply every migration this database has not seen yet, each in its own transaction."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        # Apply by set, not by "above the highest": migration numbers were handed out ahead of time,
        # so one may land after a higher one and must still be applied.
        applied = {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations")}
        for version, description, sql in schema.MIGRATIONS:
            if version in applied:
                continue
            with self.transaction() as conn:
                # Another connection may have applied it since `applied` was read (two opening a new
                # database at once); the write transaction makes this second look final.
                if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                    continue
                for statement in self._statements(version, sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, description, utc_now())
                )

    # ------------------------------------------------------------ whole tables (export and import)

    def stream_rows(self, table: str, columns: Sequence[str]) -> Iterator[Any]:
        """Every row of one table (these columns), read as it is consumed."""
        yield from self.conn.execute(f"SELECT {column_list(columns)} FROM {table}")

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        with self.transaction() as conn:
            conn.executemany(f"INSERT INTO {table}({column_list(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             rows)

    def after_import(self) -> None:
        """Bring counters in step with imported rows (a backend with sequences overrides this)."""

    # ------------------------------------------------------------ articles

    def add_article(self, article: Article, source: SourceRecord, original: bytes) -> str:
        """Store an article with one of its sources; returns 'new', 'duplicate' or 'unchanged'.

        'duplicate' means the same content was already stored from another source: the new source
        is added to it. 'unchanged' means this exact source was already recorded (re-ingest).
        """
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO originals(sha256, content, size) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (source.original_sha256, original, len(original)),
            )
            # Insert-or-nothing rather than look-then-insert: two processes (or machines, on PostgreSQL)
            # storing the same article at once must not both try to create it.
            created = conn.execute(
                "INSERT INTO articles(id, external_id, outlet, outlet_found_by, url, title, published,"
                " published_found_by, language, author, dateline, text, paragraphs, caption_paragraphs,"
                " removals, cleaner, ingested_at, seq, headline_only)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (
                    article.id, article.external_id, article.outlet, article.outlet_found_by,
                    article.url, article.title, article.published, article.published_found_by,
                    article.language, article.author, article.dateline, article.text,
                    json.dumps(list(article.paragraphs)), json.dumps(list(article.caption_paragraphs)),
                    json.dumps([r.__dict__ for r in article.removals]), article.cleaner,
                    utc_now(), self._next_seq(conn), int(article.headline_only),
                ),
            ).rowcount
            cursor = conn.execute(
                "INSERT INTO article_sources(article_id, kind, location, original_sha256,"
                " declared, first_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    article.id, source.kind, source.location, source.original_sha256,
                    json.dumps(source.declared, default=str), utc_now(),
                ),
            )
        if created:
            return "new"
        return "duplicate" if cursor.rowcount else "unchanged"

    def record_failure(self, location: str, reason: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO failures(location, reason, at) VALUES (?, ?, ?)", (location, reason, utc_now())
            )

    def known_failure(self, location: str, reason: str) -> bool:
        """True when this failure is recorded already (a shard stored again after a kill)."""
        row = self.conn.execute("SELECT 1 FROM failures WHERE location = ? AND reason = ?", (location, reason)).fetchone()
        return row is not None

    def known_source(self, kind: str, location: str, original_sha256: str) -> bool:
        """True when this exact original was already ingested from this location."""
        row = self.conn.execute(
            "SELECT 1 FROM article_sources WHERE kind = ? AND location = ? AND original_sha256 = ?",
            (kind, location, original_sha256),
        ).fetchone()
        return row is not None

    def article(self, key: str) -> Article:
        """One article by id, unique id prefix, or external id."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (key,)).fetchone()
        if row is None:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE external_id = ? OR id LIKE ? ESCAPE '\\' LIMIT 2",
                (key, like_prefix(key)),
            ).fetchall()
            if len(rows) > 1:
                raise NotFound(f"article {key!r} is ambiguous: give more of its id")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no article {key!r}: `newsfuse articles` lists the stored ones")
        return article_from_row(row)

    def articles(
        self,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[Article]:
        """Stored articles in ingest order, filtered by outlet (case-insensitive) and publication date."""
        clauses, params = article_filters(outlet, since, until)
        if ids is not None:
            clauses.append(f"id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = "SELECT * FROM articles"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY seq"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [article_from_row(row) for row in self.conn.execute(sql, params)]

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        """Every stored article in ingest order, read in batches so memory stays flat."""
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield article_from_row(row)
            last = rows[-1]["seq"]

    def count_articles(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def publication_dates(self) -> list[str]:
        """Publication dates of stored articles, for inferring a missing year."""
        rows = self.conn.execute(
            "SELECT DISTINCT published FROM articles WHERE published IS NOT NULL ORDER BY published DESC LIMIT 2000"
        )
        return [row[0] for row in rows]

    def sources(self, article_id: str) -> list[SourceRecord]:
        rows = self.conn.execute(
            "SELECT * FROM article_sources WHERE article_id = ? ORDER BY first_seen, location", (article_id,)
        )
        return [
            SourceRecord(row["kind"], row["location"], row["original_sha256"], json.loads(row["declared"]))
            for row in rows
        ]

    def original(self, sha256: str) -> bytes:
        row = self.conn.execute("SELECT content FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            raise NotFound(f"no original with sha256 {sha256}")
        return bytes(row[0])

    def failures(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute("SELECT * FROM failures ORDER BY id")]

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search over titles and texts; returns articles with a highlighted snippet, best first."""
        if not query_words(query):
            return []
        return [(article_from_row(row), row["snip"]) for row in self._search_rows(query, limit)]

    # ------------------------------------------------------------ annotations

    def put_annotation(self, article_id: str, component: str, version: str, data: Any) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO annotations(article_id, component, version, data, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id, component) DO UPDATE SET version = excluded.version,"
                " data = excluded.data, created_at = excluded.created_at",
                (article_id, component, version, json.dumps(data), utc_now()),
            )

    def annotation(self, article_id: str, component: str) -> tuple[str, Any] | None:
        """(version, data) of one component's result for one article, or None."""
        row = self.conn.execute(
            "SELECT version, data FROM annotations WHERE article_id = ? AND component = ?",
            (article_id, component),
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def articles_needing(self, component: str, version: str) -> list[str]:
        """Ids of articles with no result from `component` at `version`, in ingest order."""
        rows = self.conn.execute(
            "SELECT a.id FROM articles a LEFT JOIN annotations n ON n.article_id = a.id AND n.component = ?"
            " WHERE n.version IS NULL OR n.version != ? ORDER BY a.seq",
            (component, version),
        )
        return [row[0] for row in rows]

    def annotation_versions(self, component: str, article_ids: Sequence[str]) -> dict[str, str]:
        """{article id: version} of one component's stored results for the given articles."""
        found: dict[str, str] = {}
        ids = list(article_ids)
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            part = ids[start:start + 500]
            rows = self.conn.execute(
                f"SELECT article_id, version FROM annotations WHERE component = ? AND article_id IN"
                f" ({','.join('?' * len(part))})", [component, *part])
            found.update((row[0], row[1]) for row in rows)
        return found

    def annotations(self, component: str) -> Iterator[tuple[str, str, Any]]:
        """(article_id, version, data) of every stored result of one component, in ingest order."""
        rows = self.conn.execute(
            "SELECT n.article_id, n.version, n.data FROM annotations n JOIN articles a ON a.id = n.article_id"
            " WHERE n.component = ? ORDER BY a.seq", (component,),
        )
        for row in rows:
            yield row[0], row[1], json.loads(row[2])

    # ------------------------------------------------------------ entities (issue 3)

    def replace_entities(self, entities: Sequence[Entity], mentions: Sequence[tuple[str, str, str, int, int]],
                         version: str) -> None:
        """Store the corpus's canonical entities and (entity_id, article_id, text, start, end) mentions."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM entity_mentions")
            conn.execute("DELETE FROM entities")
            conn.executemany(
                "INSERT INTO entities(id, name, type, aliases, evidence, article_count, version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(e.id, e.name, e.type, json.dumps(list(e.aliases)), json.dumps(list(e.evidence)),
                  len(e.article_ids), version) for e in entities],
            )
            conn.executemany(
                "INSERT INTO entity_mentions(entity_id, article_id, text, start, \"end\") VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                mentions,
            )

    def entities(self, limit: int | None = None) -> list[Entity]:
        """Canonical entities, most articles first."""
        sql = "SELECT * FROM entities ORDER BY article_count DESC, name"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [self._entity_from_row(row) for row in self.conn.execute(sql).fetchall()]

    def entity(self, key: str) -> Entity:
        """One entity by id, name or alias (case-insensitive); the one in most articles when several match."""
        row = self.conn.execute(
            "SELECT * FROM entities WHERE id = ? OR lower(name) = lower(?) ORDER BY article_count DESC LIMIT 1",
            (key, key),
        ).fetchone()
        if row is None:
            for candidate in self.conn.execute("SELECT * FROM entities ORDER BY article_count DESC"):
                if key.lower() in (a.lower() for a in json.loads(candidate["aliases"])):
                    row = candidate
                    break
        if row is None:
            raise NotFound(f"no entity {key!r}: `newsfuse entities` lists them (run `newsfuse analyse` first)")
        return self._entity_from_row(row)

    def known_entity_keys(self, keys: Iterable[str]) -> set[str]:
        """The keys `entity(key)` would find (by id, or name or alias, case-insensitive), as given.

        A story page links each name to its entity page only when that page exists: a story's entities,
        speakers and framing actors include names never stored as entities ("Russians", "Trump campaign")."""
        wanted: dict[str, set[str]] = {}
        for key in keys:
            wanted.setdefault(key.lower(), set()).add(key)
        found: set[str] = set()
        if not wanted:
            return found
        given = set().union(*wanted.values())
        for row in self._in("SELECT id FROM entities WHERE id IN ({})", sorted(given)):
            found.add(row["id"])
        for row in self._in("SELECT lower(name) AS name FROM entities WHERE lower(name) IN ({})", sorted(wanted)):
            found |= wanted.get(row["name"], set())
        if given - found:
            # Aliases are stored as JSON lists, which no index serves: one pass over the entities that have any.
            for row in self.conn.execute("SELECT aliases FROM entities WHERE aliases <> '[]'"):
                for alias in json.loads(row["aliases"]):
                    found |= wanted.get(str(alias).lower(), set())
        return found

    def entities_by_id(self, entity_ids: Iterable[str]) -> list[Entity]:
        """The stored entities with these ids (exactly: no name or alias lookup), by id; unknown ids left out.

        Fusion reads a story's entities this way: `entity(key)` also matches names, which no index serves, so
        each call scanned the entities table (0.8 s for the 1,372 lookups of the first 200 GVA articles'
        stories, and growing with the corpus)."""
        rows = self._in("SELECT * FROM entities WHERE id IN ({})", sorted(set(entity_ids)))
        return [self._entity_from_row(row) for row in sorted(rows, key=lambda row: row["id"])]

    def entity_mentions(self, entity_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT m.article_id, m.text, m.start, m.\"end\", a.outlet, a.title FROM entity_mentions m"
            " JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? ORDER BY a.seq, m.start",
            (entity_id,),
        )
        return [dict(row) for row in rows]

    def _entity_from_row(self, row: Any) -> Entity:
        articles = self.conn.execute(  # in ingest order, however the mentions were written
            "SELECT m.article_id FROM entity_mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ?"
            " GROUP BY m.article_id ORDER BY min(a.seq)", (row["id"],)
        ).fetchall()
        count = self.conn.execute("SELECT count(*) FROM entity_mentions WHERE entity_id = ?", (row["id"],)).fetchone()[0]
        return Entity(
            id=row["id"], name=row["name"], type=row["type"], aliases=tuple(json.loads(row["aliases"])),
            evidence=tuple(json.loads(row["evidence"])), article_ids=tuple(r[0] for r in articles),
            mention_count=count,
        )
