"""Both backends behave as one store: same schema, one writer of stories at a time, concurrent ingest safe."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from newsfuse import api
from newsfuse.store import open_store
from tests.conftest import SEEDS


def sqlite_columns(path) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables
                if not t.startswith(("sqlite_", "articles_fts_"))}


def postgres_columns(url: str) -> dict[str, set[str]]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT table_name, column_name FROM information_schema.columns"
                            " WHERE table_schema = current_schema()").fetchall()
    out: dict[str, set[str]] = {}
    for table, column in rows:
        out.setdefault(table, set()).add(column)
    return out


def test_postgresql_has_the_sqlite_schema(tmp_path, postgres_url):
    open_store(tmp_path / "s.sqlite").close()
    open_store(postgres_url).close()
    lite, pg = sqlite_columns(tmp_path / "s.sqlite"), postgres_columns(postgres_url)
    assert set(lite) == set(pg)
    for table in lite:
        if table != "articles_fts":  # FTS5's columns vs a tsvector: same role, different machinery
            assert lite[table] == pg[table], table


def test_opening_a_migrated_database_again_changes_nothing(any_store):
    version = any_store.schema_version()
    again = open_store(getattr(any_store, "url", None) or any_store.location)
    assert again.schema_version() == version
    again.close()


def test_connections_opening_one_new_sqlite_database_at_once_all_get_it_migrated(tmp_path):
    # A web server's worker and its first request open a new file together: neither may fail on
    # a migration the other applied first.
    for attempt in range(10):
        path = tmp_path / f"new{attempt}.sqlite"
        start = threading.Barrier(4)
        errors: list[BaseException] = []
        versions: list[int] = []

        def open_it() -> None:
            start.wait()
            try:
                with open_store(path) as store:
                    versions.append(store.schema_version())
            except BaseException as exc:  # noqa: BLE001 - the test reports every failure
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        assert len(versions) == 4 and len(set(versions)) == 1


def test_a_second_story_job_waits_for_the_first(any_store):
    other = open_store(getattr(any_store, "url", None) or any_store.location)
    order: list[str] = []

    def second() -> None:
        with other.exclusive("stories"):
            order.append("second")

    with any_store.exclusive("stories"):
        waiting = threading.Thread(target=second)
        waiting.start()
        time.sleep(0.5)
        order.append("first done")
    waiting.join(timeout=30)
    other.close()
    assert order == ["first done", "second"]


@pytest.mark.seed
def test_two_writers_ingesting_the_same_articles_store_each_once(any_store):
    target = getattr(any_store, "url", None) or any_store.location
    reports = []

    def ingest() -> None:
        with open_store(target) as store:
            reports.append(api.ingest([str(SEEDS)], store))

    writers = [threading.Thread(target=ingest) for _ in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert sum(len(r.ingested) for r in reports) == 3
    assert any_store.count_articles() == 3
    assert all(len(any_store.sources(a.id)) == 1 for a in any_store.articles())
    assert any_store.integrity_ok()


@pytest.mark.seed
def test_stories_filter_by_words_on_each_backend(any_store):
    api.ingest([str(SEEDS)], any_store)
    api.cluster(any_store)
    assert [len(s.article_ids) for s in api.list_stories(any_store, query="Lavrov Myanmar")] == [3]
    assert api.list_stories(any_store, query="zeppelin") == []


def test_entities_by_id_reads_exactly_those_ids_as_entity_does(any_store):
    from newsfuse.models import Entity

    # One entity's name is another's id: a lookup by id must not take the name match.
    people = [Entity("p1", "Ana Costa", "PERSON", ("Costa",)), Entity("p2", "p1", "ORG")]
    any_store.replace_entities(people, [], "linking.test")
    found = any_store.entities_by_id(["p2", "missing", "p1", "p2"])
    assert [e.id for e in found] == ["p1", "p2"]
    assert found[0] == any_store.entity("Ana Costa")
    assert any_store.entities_by_id([]) == []
