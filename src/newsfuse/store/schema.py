"""The database schema as an ordered list of migrations; a database records which it has applied."""

from __future__ import annotations

# Each entry is (version, description, SQL). Append only: never edit a migration that has shipped.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "originals, articles, sources, failures, full-text index",
        """
        CREATE TABLE originals (
            sha256 TEXT PRIMARY KEY,
            content BLOB NOT NULL,
            size INTEGER NOT NULL
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            external_id TEXT,
            outlet TEXT,
            outlet_found_by TEXT,
            url TEXT,
            title TEXT NOT NULL,
            published TEXT,
            published_found_by TEXT,
            language TEXT,
            author TEXT,
            dateline TEXT,
            text TEXT NOT NULL,
            paragraphs TEXT NOT NULL,
            caption_paragraphs TEXT NOT NULL DEFAULT '[]',
            removals TEXT NOT NULL,
            cleaner TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            seq INTEGER NOT NULL
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_external ON articles(external_id);
        CREATE UNIQUE INDEX articles_seq ON articles(seq);
        CREATE TABLE article_sources (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            location TEXT NOT NULL,
            original_sha256 TEXT NOT NULL REFERENCES originals(sha256),
            declared TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (article_id, kind, location)
        );
        CREATE INDEX sources_location ON article_sources(location);
        CREATE TABLE failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            location TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq', tokenize='porter unicode61'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        """,
    ),
    (
        2,
        "annotations per article and component, canonical entities",
        """
        CREATE TABLE annotations (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            component TEXT NOT NULL,
            version TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (article_id, component)
        );
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,
            evidence TEXT NOT NULL,
            article_count INTEGER NOT NULL DEFAULT 0,
            version TEXT NOT NULL
        );
        CREATE INDEX entities_name ON entities(name);
        CREATE TABLE entity_mentions (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            PRIMARY KEY (article_id, start, end)
        );
        CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
        """,
    ),
    (
        3,
        "stories, membership, clustering state and history; fused accounts",
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            keywords TEXT NOT NULL DEFAULT '[]',
            entities TEXT NOT NULL DEFAULT '[]',
            outlets TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT,
            last_seen TEXT,
            copies TEXT NOT NULL DEFAULT '[]',
            state BLOB,
            version TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            score REAL,
            assigned_at TEXT NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        CREATE TABLE story_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE fused (
            story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
            version TEXT NOT NULL,
            membership TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        5,
        "story grouping state: document frequencies, key postings, counters (issue 4)",
        """
        CREATE TABLE story_df (
            key TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_postings (
            key TEXT PRIMARY KEY,
            story_ids TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        14,
        "watched feeds: what each conditional poll saw (issue 14)",
        """
        CREATE TABLE watched_feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            checked_at TEXT,
            status TEXT NOT NULL,
            error TEXT,
            new INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL
        );
        """,
    ),
    (
        16,
        "entity-linking state: linked mentions, their lookup keys, linked articles (incremental linking, issue 16)",
        """
        CREATE TABLE link_nodes (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            data TEXT NOT NULL,
            entity_id TEXT,
            label TEXT NOT NULL,
            evidence TEXT,
            PRIMARY KEY (article_id, idx)
        );
        CREATE INDEX link_nodes_entity ON link_nodes(entity_id);
        CREATE TABLE link_keys (
            key INTEGER NOT NULL,
            article_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            PRIMARY KEY (key, article_id, idx),
            FOREIGN KEY (article_id, idx) REFERENCES link_nodes(article_id, idx) ON DELETE CASCADE
        );
        CREATE INDEX link_keys_node ON link_keys(article_id, idx);
        CREATE TABLE link_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            version TEXT NOT NULL
        );
        CREATE TABLE link_meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    ),
    (
        10,
        "statement vectors by model and text digest, so fusion in a new process reads them (issue 10)",
        """
        CREATE TABLE vectors (
            model TEXT NOT NULL,
            digest TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (model, digest)
        ) WITHOUT ROWID;
        """,
    ),
    (
        17,
        "headline-only articles: a feed entry or JSON line with a title and no body (issue 13)",
        """
        ALTER TABLE articles ADD COLUMN headline_only INTEGER NOT NULL DEFAULT 0;
        """,
    ),
]


def statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole."""
    out, current, in_trigger = [], [], False
    for line in sql.strip().splitlines():
        current.append(line)
        upper = line.strip().upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if (in_trigger and upper == "END;") or (not in_trigger and upper.endswith(";")):
            out.append("\n".join(current))
            current, in_trigger = [], False
    if "".join(current).strip():
        out.append("\n".join(current))
    return out
