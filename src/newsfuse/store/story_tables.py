"""The story tables: grouping state, memberships, descriptions, history, fused accounts, watched feeds.

Mixed into `Store` (like `links.LinkTables`): the SQL is the plain kind both backends accept, run on the
store's connection inside its transactions; full-text filters come from the backend's `_text_match`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from newsfuse.errors import NotFound
from newsfuse.models import Story
from newsfuse.store.sqltext import filters, like_escape, like_prefix, query_words, utc_now


class StoryTables:
    """Methods a store gains for stories, their grouping state and fused accounts."""

    conn: Any
    NO_LIMIT: str

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
            conn.executemany("INSERT INTO story_df(key, df) VALUES (?, ?)"
                             " ON CONFLICT (key) DO UPDATE SET df = excluded.df", df.items())
            conn.executemany(
                "INSERT INTO story_postings(key, story_ids) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET story_ids = excluded.story_ids",
                ((k, json.dumps(v)) for k, v in postings.items()),
            )
            conn.executemany("INSERT INTO story_meta(name, value) VALUES (?, ?)"
                             " ON CONFLICT (name) DO UPDATE SET value = excluded.value", meta.items())

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
                "INSERT INTO story_articles(article_id, story_id, score, assigned_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score,"
                " assigned_at = excluded.assigned_at",
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
            "SELECT * FROM stories WHERE id = ? OR id LIKE ? ESCAPE '\\' LIMIT 2", (key, like_prefix(key))
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
        where, params = self._story_filters(outlet, entity, since, until, query)
        sql = ("SELECT * FROM stories st WHERE " + where + " ORDER BY st.last_seen IS NULL, st.last_seen DESC,"
               " (SELECT count(*) FROM story_articles x WHERE x.story_id = st.id) DESC, st.id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f"{'' if limit else ' LIMIT ' + self.NO_LIMIT} OFFSET {int(offset)}"
        return [self._story_from_row(row) for row in self.conn.execute(sql, params)]

    def count_stories(
        self, outlet: str | None = None, entity: str | None = None, since: str | None = None,
        until: str | None = None, query: str | None = None,
    ) -> int:
        """How many stories `stories()` would list with the same filters and no limit."""
        where, params = self._story_filters(outlet, entity, since, until, query)
        return self.conn.execute("SELECT count(*) FROM stories st WHERE " + where, params).fetchone()[0]

    def _story_filters(self, outlet: str | None, entity: str | None, since: str | None, until: str | None,
                       query: str | None) -> tuple[str, list[Any]]:
        clauses, params = filters([
            ("EXISTS (SELECT 1 FROM story_articles x JOIN articles a ON a.id = x.article_id"
             " WHERE x.story_id = st.id AND lower(a.outlet) = lower(?))", outlet),
            ("lower(st.entities) LIKE ? ESCAPE '\\'", f"%{like_escape(entity.lower())}%" if entity else None),
            ("st.last_seen >= ?", since), ("st.first_seen <= ?", until),
        ])
        clauses.insert(0, "EXISTS (SELECT 1 FROM story_articles x WHERE x.story_id = st.id)")
        if query and query_words(query):
            match, param = self._text_match(query)
            clauses.append("st.id IN (SELECT x.story_id FROM articles a JOIN story_articles x ON x.article_id = a.id"
                           f" WHERE {match})")
            params.append(param)
        return " AND ".join(clauses), params

    def data_version(self) -> str:
        """A string that changes whenever an article, a story's membership or description, or a fused account does."""
        row = self.conn.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM articles), (SELECT count(*) FROM story_articles),"
            " (SELECT coalesce(max(updated_at), '') FROM stories), (SELECT count(*) FROM stories),"
            " (SELECT coalesce(max(updated_at), '') FROM fused), (SELECT count(*) FROM fused)").fetchone()
        return "/".join(str(v) for v in row)

    def _story_from_row(self, row: Any) -> Story:
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
                "INSERT INTO fused(story_id, version, membership, data, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (story_id) DO UPDATE SET version = excluded.version, membership = excluded.membership,"
                " data = excluded.data, updated_at = excluded.updated_at",
                (story_id, version, json.dumps(sorted(membership)), json.dumps(data, ensure_ascii=False), utc_now()),
            )

    def fused(self, story_id: str) -> tuple[str, list[str], Any] | None:
        """(version, membership, data) of a story's stored fused account, or None."""
        row = self.conn.execute("SELECT version, membership, data FROM fused WHERE story_id = ?", (story_id,)).fetchone()
        return (row[0], json.loads(row[1]), json.loads(row[2])) if row else None

    # ------------------------------------------------------------ vectors (issue 10)

    def put_vectors(self, model: str, items: Sequence[tuple[str, bytes]]) -> None:
        """Store encoded vectors by (model, text digest); an existing digest is kept (same text, same vectors)."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.executemany("INSERT INTO vectors(model, digest, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
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
