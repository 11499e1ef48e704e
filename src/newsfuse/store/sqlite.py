"""The SQLite backend: one file, WAL mode, versioned migrations, every write in a transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsfuse.errors import NotFound, StoreError
from newsfuse.models import Article, Entity, Removal, SourceRecord, Story
from newsfuse.store.links import LinkTables
from newsfuse.store.schema import MIGRATIONS

try:  # POSIX advisory locks; elsewhere exclusive() does not lock (documented there)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# Long enough to ride out another process's write transaction (an ingest running beside `articles`).
BUSY_TIMEOUT_MS = 30_000


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class SQLiteStore(LinkTables):
    """Articles, originals, annotations, stories and fused accounts in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                check_same_thread=False,
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}. Check the path or pass --db.") from exc
        self.conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0
        self._held: set[str] = set()  # exclusive() jobs this object holds
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable newsfuse database: {exc}") from exc

    # ------------------------------------------------------------ plumbing

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (nested calls join the outer one): all of it lands, or none."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def exclusive(self, job: str) -> Iterator[None]:
        """Run a job that reads state, works on it and writes it back (clustering, merge, split) alone on
        this database, across processes: a second one waits for the first, then sees what it wrote, so
        neither overwrites the other's story states. A lock file beside the database (POSIX flock; released
        by the OS if the process dies). Re-entrant within one store object; no lock where flock is missing."""
        if fcntl is None or job in self._held or str(self.path) == ":memory:":
            yield
            return
        lock_path = self.path.with_name(f"{self.path.name}.{job}.lock")
        with open(lock_path, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"newsfuse: waiting for another {job} on {self.path} to finish", file=sys.stderr, flush=True)
                fcntl.flock(handle, fcntl.LOCK_EX)
            self._held.add(job)
            try:
                yield
            finally:
                self._held.discard(job)
                fcntl.flock(handle, fcntl.LOCK_UN)

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
        for version, description, sql in MIGRATIONS:
            if version in applied:
                continue
            with self.transaction() as conn:
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, description, utc_now())
                )

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # ------------------------------------------------------------ articles

    def add_article(self, article: Article, source: SourceRecord, original: bytes) -> str:
        """Store an article with one of its sources; returns 'new', 'duplicate' or 'unchanged'.

        'duplicate' means the same content was already stored from another source: the new source
        is added to it. 'unchanged' means this exact source was already recorded (re-ingest).
        """
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO originals(sha256, content, size) VALUES (?, ?, ?)",
                (source.original_sha256, original, len(original)),
            )
            exists = conn.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone()
            if not exists:
                seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM articles").fetchone()[0]
                conn.execute(
                    "INSERT INTO articles(id, external_id, outlet, outlet_found_by, url, title, published,"
                    " published_found_by, language, author, dateline, text, paragraphs, caption_paragraphs,"
                    " removals, cleaner, ingested_at, seq)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id, article.external_id, article.outlet, article.outlet_found_by,
                        article.url, article.title, article.published, article.published_found_by,
                        article.language, article.author, article.dateline, article.text,
                        json.dumps(list(article.paragraphs)), json.dumps(list(article.caption_paragraphs)),
                        json.dumps([r.__dict__ for r in article.removals]), article.cleaner,
                        utc_now(), seq,
                    ),
                )
            cursor = conn.execute(
                "INSERT OR IGNORE INTO article_sources(article_id, kind, location, original_sha256,"
                " declared, first_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article.id, source.kind, source.location, source.original_sha256,
                    json.dumps(source.declared, default=str), utc_now(),
                ),
            )
        if not exists:
            return "new"
        return "duplicate" if cursor.rowcount else "unchanged"

    def record_failure(self, location: str, reason: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO failures(location, reason, at) VALUES (?, ?, ?)", (location, reason, utc_now())
            )

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
                "SELECT * FROM articles WHERE external_id = ? OR id LIKE ? LIMIT 2",
                (key, _like_prefix(key)),
            ).fetchall()
            if len(rows) > 1:
                raise NotFound(f"article {key!r} is ambiguous: give more of its id")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no article {key!r}: `newsfuse articles` lists the stored ones")
        return _article_from_row(row)

    def articles(
        self,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[Article]:
        """Stored articles in ingest order, filtered by outlet (case-insensitive) and publication date."""
        clauses, params = _article_filters(outlet, since, until)
        if ids is not None:
            clauses.append(f"id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        sql = "SELECT * FROM articles"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY seq"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_article_from_row(row) for row in self.conn.execute(sql, params)]

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
                yield _article_from_row(row)
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
        fts_query = _fts_query(query)
        if not fts_query:
            return []
        rows = self.conn.execute(
            "SELECT a.*, snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snip"
            " FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (fts_query, limit),
        ).fetchall()
        return [(_article_from_row(row), row["snip"]) for row in rows]

    # ------------------------------------------------------------ annotations

    def put_annotation(self, article_id: str, component: str, version: str, data: Any) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO annotations(article_id, component, version, data, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
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
                "INSERT OR IGNORE INTO entity_mentions(entity_id, article_id, text, start, end) VALUES (?, ?, ?, ?, ?)",
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

    def entity_mentions(self, entity_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT m.article_id, m.text, m.start, m.end, a.outlet, a.title FROM entity_mentions m"
            " JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? ORDER BY a.seq, m.start",
            (entity_id,),
        )
        return [dict(row) for row in rows]

    def _entity_from_row(self, row: sqlite3.Row) -> Entity:
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


    # ------------------------------------------------------------ stories (issue 4)

    def unclustered_articles(self) -> list[tuple[str, str | None]]:
        """(id, published) of articles in no story, oldest publication first (undated last, by ingest order)."""
        rows = self.conn.execute(
            "SELECT a.id, a.published FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id"
            " WHERE s.article_id IS NULL ORDER BY a.published IS NULL, a.published, a.seq"
        )
        return [(row[0], row[1]) for row in rows]

    def story_df(self, keys: Sequence[str]) -> dict[str, int]:
        return dict(self._select_in("SELECT key, df FROM story_df WHERE key IN ({})", keys))

    def story_postings(self, keys: Sequence[str]) -> dict[str, list[str]]:
        rows = self._select_in("SELECT key, story_ids FROM story_postings WHERE key IN ({})", keys)
        return {key: json.loads(ids) for key, ids in rows}

    def story_states(self, ids: Sequence[str]) -> dict[str, bytes]:
        rows = self._select_in("SELECT id, state FROM stories WHERE id IN ({}) AND state IS NOT NULL", ids)
        return {key: bytes(state) for key, state in rows}

    def _select_in(self, sql: str, values: Sequence[str]) -> list[tuple[Any, Any]]:
        out: list[tuple[Any, Any]] = []
        values = list(values)
        for start in range(0, len(values), 500):  # stay under SQLite's bound-parameter limit
            part = values[start : start + 500]
            out.extend(tuple(r) for r in self.conn.execute(sql.format(",".join("?" * len(part))), part))
        return out

    def story_meta(self, name: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM story_meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else default

    def save_story_index(
        self, df: dict[str, int], postings: dict[str, list[str]], meta: dict[str, str]
    ) -> None:
        """Write changed document frequencies, postings and counters of the clustering state."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO story_df(key, df) VALUES (?, ?)", df.items())
            conn.executemany(
                "INSERT OR REPLACE INTO story_postings(key, story_ids) VALUES (?, ?)",
                ((k, json.dumps(v)) for k, v in postings.items()),
            )
            conn.executemany("INSERT OR REPLACE INTO story_meta(name, value) VALUES (?, ?)", meta.items())

    def save_story_states(self, states: dict[str, bytes], version: str) -> None:
        """Create or update stories' clustering state (a new story gets a placeholder title until described)."""
        now = utc_now()
        with self.transaction() as conn:
            for story_id, state in states.items():
                conn.execute(
                    "INSERT INTO stories(id, title, state, version, updated_at) VALUES (?, '', ?, ?, ?)"
                    " ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                    (story_id, state, version, now),
                )

    def assign_articles(self, assignments: Sequence[tuple[str, str, float]]) -> None:
        """Put (article id, story id, score) memberships, moving an article that was elsewhere."""
        now = utc_now()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO story_articles(article_id, story_id, score, assigned_at) VALUES (?, ?, ?, ?)",
                ((a, s, score, now) for a, s, score in assignments),
            )

    def describe_story(self, story: Story) -> None:
        """Write what a story shows (title, keywords, entities, outlets, dates, copies)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE stories SET title = ?, keywords = ?, entities = ?, outlets = ?, first_seen = ?,"
                " last_seen = ?, copies = ?, updated_at = ? WHERE id = ?",
                (
                    story.title, json.dumps(list(story.keywords)), json.dumps(list(story.entities)),
                    json.dumps(list(story.outlets)), story.first_seen, story.last_seen,
                    json.dumps([list(g) for g in story.copies]), utc_now(), story.id,
                ),
            )

    def story_article_ids(self, story_id: str) -> list[str]:
        """Member ids by publication date, then ingest order."""
        rows = self.conn.execute(
            "SELECT a.id FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?"
            " ORDER BY a.published IS NULL, a.published, a.seq", (story_id,),
        )
        return [row[0] for row in rows]

    def story_of(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def story(self, key: str) -> Story:
        """One story by id or unique id prefix."""
        rows = self.conn.execute(
            "SELECT * FROM stories WHERE id = ? OR id LIKE ? LIMIT 2", (key, _like_prefix(key))
        ).fetchall()
        exact = [r for r in rows if r["id"] == key]
        if len(rows) > 1 and not exact:
            raise NotFound(f"story {key!r} is ambiguous: give more of its id")
        if not rows:
            raise NotFound(f"no story {key!r}: `newsfuse stories` lists the stored ones")
        return self._story_from_row(exact[0] if exact else rows[0])

    def stories(
        self, outlet: str | None = None, entity: str | None = None, since: str | None = None,
        until: str | None = None, query: str | None = None, limit: int | None = None, offset: int = 0,
    ) -> list[Story]:
        """Stories, newest last seen first and the biggest first within a day, filtered by outlet, entity,
        date overlap and full-text query; `offset` skips that many (pages)."""
        where, params = _story_filters(outlet, entity, since, until, query)
        sql = ("SELECT * FROM stories st WHERE " + where + " ORDER BY st.last_seen IS NULL, st.last_seen DESC,"
               " (SELECT count(*) FROM story_articles x WHERE x.story_id = st.id) DESC, st.id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f"{'' if limit else ' LIMIT -1'} OFFSET {int(offset)}"
        return [self._story_from_row(row) for row in self.conn.execute(sql, params)]

    def count_stories(
        self, outlet: str | None = None, entity: str | None = None, since: str | None = None,
        until: str | None = None, query: str | None = None,
    ) -> int:
        """How many stories `stories()` would list with the same filters and no limit."""
        where, params = _story_filters(outlet, entity, since, until, query)
        return self.conn.execute("SELECT count(*) FROM stories st WHERE " + where, params).fetchone()[0]

    def data_version(self) -> str:
        """A string that changes whenever an article, a story's membership or description, or a fused account does."""
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM articles), (SELECT count(*) FROM story_articles),"
            " (SELECT coalesce(max(updated_at), '') FROM stories), (SELECT count(*) FROM stories),"
            " (SELECT coalesce(max(updated_at), '') FROM fused), (SELECT count(*) FROM fused)").fetchone()
        return "/".join(str(v) for v in row)

    def _story_from_row(self, row: sqlite3.Row) -> Story:
        return Story(
            id=row["id"], article_ids=tuple(self.story_article_ids(row["id"])), title=row["title"],
            keywords=tuple(json.loads(row["keywords"])), entities=tuple(json.loads(row["entities"])),
            outlets=tuple(json.loads(row["outlets"])), first_seen=row["first_seen"], last_seen=row["last_seen"],
            copies=tuple(tuple(g) for g in json.loads(row["copies"])),
        )

    def delete_story(self, story_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def record_story_event(self, kind: str, data: dict[str, Any]) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO story_events(kind, data, at) VALUES (?, ?, ?)", (kind, json.dumps(data), utc_now()))

    def story_events(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT id, kind, data, at FROM story_events ORDER BY id")
        return [{"id": r[0], "kind": r[1], "data": json.loads(r[2]), "at": r[3]} for r in rows]

    def reset_stories(self) -> None:
        """Forget every story and the clustering state (for a rebuild); the event log is kept."""
        with self.transaction() as conn:
            for table in ("story_articles", "stories", "story_df", "story_postings", "story_meta"):
                conn.execute(f"DELETE FROM {table}")

    # ------------------------------------------------------------ fused accounts (issue 5)

    def put_fused(self, story_id: str, version: str, membership: Sequence[str], data: Any) -> None:
        """Store a story's fused account with the article ids it was built from."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO fused(story_id, version, membership, data, updated_at) VALUES (?, ?, ?, ?, ?)",
                (story_id, version, json.dumps(sorted(membership)), json.dumps(data, ensure_ascii=False), utc_now()),
            )

    def fused(self, story_id: str) -> tuple[str, list[str], Any] | None:
        """(version, membership, data) of a story's stored fused account, or None."""
        row = self.conn.execute("SELECT version, membership, data FROM fused WHERE story_id = ?", (story_id,)).fetchone()
        return (row[0], json.loads(row[1]), json.loads(row[2])) if row else None

    # ------------------------------------------------------------ vectors (issue 10)

    def put_vectors(self, model: str, items: Sequence[tuple[str, bytes]]) -> None:
        """Store encoded vectors by (model, text digest); an existing digest is kept (same text, same vectors)."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO vectors(model, digest, data) VALUES (?, ?, ?)",
                             [(model, digest, data) for digest, data in items])

    def vectors(self, model: str, digests: Sequence[str]) -> dict[str, bytes]:
        """The stored encoded vectors of those digests that have them."""
        out: dict[str, bytes] = {}
        unique = list(dict.fromkeys(digests))
        for start in range(0, len(unique), 500):  # SQLite's bound-parameter limit
            chunk = unique[start:start + 500]
            rows = self.conn.execute(
                f"SELECT digest, data FROM vectors WHERE model = ? AND digest IN ({','.join('?' * len(chunk))})",
                (model, *chunk))
            out.update((row[0], bytes(row[1])) for row in rows)
        return out

    def fused_memberships(self) -> dict[str, tuple[str, list[str]]]:
        """story id -> (version, membership) of every stored fused account."""
        rows = self.conn.execute("SELECT story_id, version, membership FROM fused")
        return {r[0]: (r[1], json.loads(r[2])) for r in rows}

    def fused_stamps(self, story_ids: Sequence[str]) -> dict[str, tuple[list[str], str]]:
        """story id -> (membership, updated_at) of the stored fused accounts of these stories (no data read)."""
        if not story_ids:
            return {}
        rows = self.conn.execute(
            f"SELECT story_id, membership, updated_at FROM fused WHERE story_id IN ({','.join('?' * len(story_ids))})",
            list(story_ids))
        return {r[0]: (json.loads(r[1]), r[2]) for r in rows}

    # ------------------------------------------------------------ watched feeds (issue 14)

    def feed_state(self, url: str) -> dict[str, Any] | None:
        """What the last poll of a watched feed saw (etag, last_modified, checked_at, status, error, new), or None."""
        row = self.conn.execute("SELECT * FROM watched_feeds WHERE url = ?", (url,)).fetchone()
        return dict(row) if row else None

    def put_feed_state(self, url: str, etag: str | None, last_modified: str | None, status: str,
                       error: str | None, new: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO watched_feeds(url, etag, last_modified, checked_at, status, error, new, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, checked_at = excluded.checked_at,"
                " status = excluded.status, error = excluded.error, new = excluded.new",
                (url, etag, last_modified, utc_now(), status, error, new, utc_now()))

    def watched_feeds(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute("SELECT * FROM watched_feeds ORDER BY added_at, url")]


# ---------------------------------------------------------------- helpers

def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole."""
    statements, current, in_trigger = [], [], False
    for line in sql.strip().splitlines():
        current.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and upper.endswith(";")):
            statements.append("\n".join(current))
            current, in_trigger = [], False
    if "".join(current).strip():
        statements.append("\n".join(current))
    return statements


def _like_prefix(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%" if len(key) >= 4 else "\x00"


def _story_filters(outlet: str | None, entity: str | None, since: str | None, until: str | None,
                   query: str | None) -> tuple[str, list[Any]]:
    clauses, params = ["EXISTS (SELECT 1 FROM story_articles x WHERE x.story_id = st.id)"], []
    if outlet:
        clauses.append("EXISTS (SELECT 1 FROM story_articles x JOIN articles a ON a.id = x.article_id"
                       " WHERE x.story_id = st.id AND lower(a.outlet) = lower(?))")
        params.append(outlet)
    if entity:
        clauses.append("lower(st.entities) LIKE ?")
        params.append(f"%{entity.lower()}%")
    if since:
        clauses.append("st.last_seen >= ?")
        params.append(since)
    if until:
        clauses.append("st.first_seen <= ?")
        params.append(until)
    if query and _fts_query(query):
        clauses.append("st.id IN (SELECT x.story_id FROM articles_fts f JOIN articles a ON a.seq = f.rowid"
                       " JOIN story_articles x ON x.article_id = a.id WHERE articles_fts MATCH ?)")
        params.append(_fts_query(query))
    return " AND ".join(clauses), params


def _article_filters(outlet: str | None, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if outlet:
        clauses.append("lower(outlet) = lower(?)")
        params.append(outlet)
    if since:
        clauses.append("published >= ?")
        params.append(since)
    if until:
        clauses.append("published <= ?")
        params.append(until)
    return clauses, params


def _fts_query(query: str) -> str:
    """Quote each word so user text is never parsed as FTS5 syntax (a stray quote or NEAR would fail).
    A NUL ends SQLite's copy of the string ("unterminated string"): it separates words like a space."""
    words = [w for w in query.replace('"', " ").replace("\x00", " ").split() if w]
    return " ".join(f'"{w}"' for w in words)


def _article_from_row(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        paragraphs=tuple(json.loads(row["paragraphs"])),
        outlet=row["outlet"],
        outlet_found_by=row["outlet_found_by"],
        published=row["published"],
        published_found_by=row["published_found_by"],
        language=row["language"],
        url=row["url"],
        external_id=row["external_id"],
        author=row["author"],
        dateline=row["dateline"],
        caption_paragraphs=tuple(json.loads(row["caption_paragraphs"])),
        removals=tuple(Removal(**r) for r in json.loads(row["removals"])),
        cleaner=row["cleaner"],
    )
