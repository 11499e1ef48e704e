"""The entity-linking state: each linked mention with its lookup keys and link, read by key or entity.

Incremental linking (`pipeline.link_pending`) reads only the mentions that share a lookup key with a new
article's mentions, and the other mentions of their entities, then writes back what changed; nothing
here reads the whole corpus except `all_link_nodes`, which a full re-link uses. The SQL is the plain kind
every backend accepts (`?` placeholders, ON CONFLICT upserts, the `"end"` column quoted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsfuse.models import Entity

# Rows per statement in IN (...) lists: under SQLite's bound-parameter limit.
IN_BATCH = 500


class LinkTables:
    """Methods a store gains for the linking state (mixed into the store class; uses its conn and transaction)."""

    conn: Any

    def link_state_version(self) -> str | None:
        """The linking version the stored link state was built with (None: there is none)."""
        row = self.conn.execute("SELECT value FROM link_meta WHERE name = 'version'").fetchone()
        return row[0] if row else None

    def articles_to_link(self, analysis_version: str, link_version: str) -> list[str]:
        """Ids of articles analysed at `analysis_version` whose mentions are not linked at that analysis and
        `link_version`, in ingest order."""
        rows = self.conn.execute(
            "SELECT a.id FROM articles a JOIN annotations n ON n.article_id = a.id AND n.component = 'analysis'"
            " LEFT JOIN link_articles l ON l.article_id = a.id"
            " WHERE n.version = ? AND (l.article_id IS NULL OR l.version != ?) ORDER BY a.seq",
            (analysis_version, f"{analysis_version}/{link_version}"),
        )
        return [row[0] for row in rows]

    def article_seqs(self, article_ids: Sequence[str]) -> dict[str, int]:
        """{article id: ingest order} for the given articles."""
        return dict(self._in("SELECT id, seq FROM articles WHERE id IN ({})", article_ids))

    def link_nodes_with_keys(self, keys: Iterable[int]) -> list[tuple[Any, ...]]:
        """Stored link nodes that share any of these lookup keys (rows as `_node_rows` gives them)."""
        return self._node_rows(
            "SELECT DISTINCT n.article_id, n.idx, a.seq, n.data, n.entity_id, n.label, n.evidence"
            " FROM link_keys k JOIN link_nodes n ON n.article_id = k.article_id AND n.idx = k.idx"
            " JOIN articles a ON a.id = n.article_id WHERE k.key IN ({})", sorted(set(keys)))

    def keys_with_label(self, keys: Iterable[int], label: str) -> set[int]:
        """Which of these lookup keys some stored link node labelled `label` has."""
        return {r[0] for r in self._in(
            "SELECT DISTINCT k.key FROM link_keys k JOIN link_nodes n ON n.article_id = k.article_id AND n.idx = k.idx"
            " WHERE n.label = ? AND k.key IN ({})", sorted(set(keys)), before=(label,))}

    def link_nodes_of_entities(self, entity_ids: Iterable[str]) -> list[tuple[Any, ...]]:
        """Every stored link node of these entities."""
        return self._node_rows(
            "SELECT n.article_id, n.idx, a.seq, n.data, n.entity_id, n.label, n.evidence FROM link_nodes n"
            " JOIN articles a ON a.id = n.article_id WHERE n.entity_id IN ({})", sorted(set(entity_ids)))

    def link_nodes_of_articles(self, article_ids: Iterable[str]) -> list[tuple[Any, ...]]:
        """Every stored link node of these articles."""
        return self._node_rows(
            "SELECT n.article_id, n.idx, a.seq, n.data, n.entity_id, n.label, n.evidence FROM link_nodes n"
            " JOIN articles a ON a.id = n.article_id WHERE n.article_id IN ({})", sorted(set(article_ids)))

    def all_link_nodes(self) -> list[tuple[Any, ...]]:
        """Every stored link node (a full re-link)."""
        rows = self.conn.execute(
            "SELECT n.article_id, n.idx, a.seq, n.data, n.entity_id, n.label, n.evidence FROM link_nodes n"
            " JOIN articles a ON a.id = n.article_id")
        return [tuple(r) for r in rows]

    def _node_rows(self, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
        """(article_id, idx, seq, data, entity_id, label, evidence) rows, the data as stored (JSON text: the
        caller parses only the rows it keeps)."""
        return [tuple(r) for r in self._in(sql, values)]

    def entity_ids_taken(self, candidates: Iterable[str]) -> set[str]:
        """Which of these entity ids the store holds."""
        return {row[0] for row in self._in("SELECT id FROM entities WHERE id IN ({})", list(candidates))}

    def entity_records(self, entity_ids: Iterable[str]) -> dict[str, tuple[Any, ...]]:
        """{id: (name, type, aliases, evidence, article count)} of these stored entities."""
        out: dict[str, tuple[Any, ...]] = {}
        for row in self._in("SELECT id, name, type, aliases, evidence, article_count FROM entities WHERE id IN ({})",
                            sorted(set(entity_ids))):
            out[row[0]] = (row[1], row[2], tuple(json.loads(row[3])), tuple(json.loads(row[4])), row[5])
        return out

    def linked_versions(self, article_ids: Sequence[str]) -> dict[str, str]:
        """{article id: 'analysis version/linking version'} of the articles' last linking."""
        return dict(self._in("SELECT article_id, version FROM link_articles WHERE article_id IN ({})", article_ids))

    def count_entities(self) -> int:
        return self.conn.execute("SELECT count(*) FROM entities").fetchone()[0]

    def write_links(
        self,
        link_version: str,
        analysis_version: str,
        linked_articles: Sequence[str],
        nodes: Sequence[tuple[str, int, Any, str | None, str, str | None]],
        keys: Sequence[tuple[int, str, int]],
        changed: Sequence[tuple[str | None, str, str | None, str, int]],
        entities_gone: Sequence[str],
        entities_changed: Sequence[Entity],
        mentions: Sequence[tuple[str | None, str, str, int, int]],
    ) -> None:
        """Write one linking run (inside the caller's transaction).

        `linked_articles` lose their old nodes and keys, then get `nodes` (article_id, idx, data, entity_id,
        label, evidence) and `keys` (key, article_id, idx); `changed` (entity_id, label, evidence,
        article_id, idx) updates other stored nodes; `entities_gone` are deleted (with their mentions) and
        `entities_changed` written over or added; `mentions` (entity_id, article_id, text, start, end)
        replace the entity mentions at those spans (entity_id None: no longer linked).
        """
        conn = self.conn
        for start in range(0, len(linked_articles), IN_BATCH):
            part = list(linked_articles[start:start + IN_BATCH])
            marks = ",".join("?" * len(part))
            conn.execute(f"DELETE FROM link_keys WHERE article_id IN ({marks})", part)
            conn.execute(f"DELETE FROM link_nodes WHERE article_id IN ({marks})", part)
        conn.executemany(
            "INSERT INTO link_nodes(article_id, idx, data, entity_id, label, evidence) VALUES (?, ?, ?, ?, ?, ?)",
            [(a, i, json.dumps(d, ensure_ascii=False), e, label, why) for a, i, d, e, label, why in nodes])
        conn.executemany("INSERT INTO link_keys(key, article_id, idx) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", keys)
        conn.executemany("UPDATE link_nodes SET entity_id = ?, label = ?, evidence = ? WHERE article_id = ? AND idx = ?",
                         changed)
        conn.executemany(
            "INSERT INTO link_articles(article_id, version) VALUES (?, ?)"
            " ON CONFLICT(article_id) DO UPDATE SET version = excluded.version",
            [(a, f"{analysis_version}/{link_version}") for a in linked_articles])
        for start in range(0, len(entities_gone), IN_BATCH):
            part = list(entities_gone[start:start + IN_BATCH])
            conn.execute(f"DELETE FROM entities WHERE id IN ({','.join('?' * len(part))})", part)
        # Written over in place, not deleted and added: a deleted entity takes its mentions with it.
        conn.executemany(
            "INSERT INTO entities(id, name, type, aliases, evidence, article_count, version) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET name = excluded.name, type = excluded.type, aliases = excluded.aliases,"
            " evidence = excluded.evidence, article_count = excluded.article_count, version = excluded.version",
            [(e.id, e.name, e.type, json.dumps(list(e.aliases)), json.dumps(list(e.evidence)), len(e.article_ids),
              link_version) for e in entities_changed])
        conn.executemany('DELETE FROM entity_mentions WHERE article_id = ? AND start = ? AND "end" = ?',
                         [(a, s, e) for _, a, _, s, e in mentions])
        conn.executemany(
            'INSERT INTO entity_mentions(entity_id, article_id, text, start, "end") VALUES (?, ?, ?, ?, ?)'
            ' ON CONFLICT DO NOTHING', [m for m in mentions if m[0] is not None])
        conn.execute("INSERT INTO link_meta(name, value) VALUES ('version', ?)"
                     " ON CONFLICT(name) DO UPDATE SET value = excluded.value", (link_version,))

    def clear_links(self) -> None:
        """Forget every link (inside the caller's transaction): a full re-link writes them all again."""
        for table in ("link_keys", "link_nodes", "link_articles", "entity_mentions", "entities"):
            self.conn.execute(f"DELETE FROM {table}")

    def _in(self, sql: str, values: Sequence[Any], before: Sequence[Any] = ()) -> Iterator[Any]:
        """Rows of `sql` with its `{}` filled by placeholders for `values` (in batches), after `before`."""
        values = list(values)
        for start in range(0, len(values), IN_BATCH):
            part = values[start:start + IN_BATCH]
            yield from self.conn.execute(sql.format(",".join("?" * len(part))), [*before, *part])
