"""Storing articles: idempotent re-ingest, duplicates from several sources, originals byte for byte."""

from __future__ import annotations

import shutil

import pytest

from newsfuse import api
from tests.conftest import SEED_TASS, SEEDS

pytestmark = pytest.mark.seed


def test_reingesting_the_same_inputs_changes_nothing(store):
    first = api.ingest([str(SEEDS)], store)
    second = api.ingest([str(SEEDS)], store)
    assert len(first.ingested) == 3
    assert second.ingested == [] and second.unchanged == 3
    assert store.count_articles() == 3


def test_same_content_from_two_places_is_stored_once_with_both_sources(store, tmp_path):
    copy = tmp_path / "copy.txt"
    shutil.copy(SEED_TASS, copy)
    api.ingest([str(SEED_TASS)], store)
    report = api.ingest([str(copy)], store)
    assert report.duplicates and store.count_articles() == 1
    locations = {s.location for s in store.sources(report.duplicates[0])}
    assert locations == {str(SEED_TASS), str(copy)}


def test_original_is_kept_byte_for_byte(store):
    report = api.ingest([str(SEED_TASS)], store)
    article = store.article(report.ingested[0])
    assert api.original_bytes(store, article) == SEED_TASS.read_bytes()


def test_full_text_search_finds_the_trade_figure(store):
    api.ingest([str(SEEDS)], store)
    hits = api.search(store, "trade turnover")
    assert hits and hits[0]["outlet"] == "TASS"


def test_search_treats_user_text_as_words_not_syntax(store):
    api.ingest([str(SEEDS)], store)
    hits = api.search(store, 'Lavrov ( AND "')
    assert {h["outlet"] for h in hits} == {"TBS News", "Al Jazeera", "TASS"}
    assert api.search(store, '"unbalanced') == []


def test_schema_is_migrated_and_database_is_sound(store):
    from newsfuse.store.schema import MIGRATIONS

    assert store.schema_version() == max(version for version, _, _ in MIGRATIONS)  # numbers were handed out ahead of time
    assert store.integrity_ok()


def test_a_migration_numbered_below_the_highest_applied_is_still_applied(tmp_path, monkeypatch):
    from newsfuse.store import open_store, schema

    open_store(tmp_path / "m.sqlite").close()
    late = (max(v for v, _, _ in schema.MIGRATIONS) - 1, "late", "CREATE TABLE late_table (x INTEGER);")
    existing = {v for v, _, _ in schema.MIGRATIONS}
    if late[0] in existing:
        late = (0, "late", late[2])
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, late])
    db = open_store(tmp_path / "m.sqlite")
    assert db.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'late_table'").fetchone()[0] == 1
    db.close()
