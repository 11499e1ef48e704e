"""Incremental entity linking: articles linked one at a time end with the entities a full re-link finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, SEEDS

pytestmark = pytest.mark.seed


def _paths() -> list[Path]:
    return sorted((EXAMPLES / "articles").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The examples and the seeds, ingested one file at a time, and their analyses (before linking)."""
    from newsfuse import pipeline
    from newsfuse.analyse import analyse_articles
    from newsfuse.store import open_store

    store = open_store(tmp_path_factory.mktemp("analysed") / "db.sqlite")
    for path in _paths():
        pipeline.ingest_inputs([str(path)], store)
    articles = store.articles()
    analyses = {a.article_id: a for a in analyse_articles(articles)}
    store.close()
    return analyses


def _store_with(tmp_path: Path, name: str):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline
    from newsfuse.store import open_store

    store = open_store(tmp_path / f"{name}.sqlite")
    for path in _paths():
        pipeline.ingest_inputs([str(path)], store)
    return store


def _put(store, analysis) -> None:  # type: ignore[no-untyped-def]
    from newsfuse import analyse
    from newsfuse.models import to_dict

    store.put_annotation(analysis.article_id, "analysis", analyse.VERSION, to_dict(analysis))


def _state(store):  # type: ignore[no-untyped-def]
    """Everything linking leaves for a user: entities with their mentions, and each article's analysis."""
    from newsfuse import pipeline
    from newsfuse.models import to_dict

    entities = {e.id: (to_dict(e), store.entity_mentions(e.id)) for e in store.entities()}
    analyses = {a.id: to_dict(pipeline.load_analysis(store, a.id)) for a in store.articles()}
    return entities, analyses


@pytest.fixture(scope="module")
def full(analysed, tmp_path_factory):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    store = _store_with(tmp_path_factory.mktemp("full"), "full")
    for analysis in analysed.values():
        _put(store, analysis)
    pipeline.relink_entities(store)
    yield store
    store.close()


def test_linking_one_article_at_a_time_finds_the_entities_of_a_full_relink(analysed, full, any_store):  # type: ignore[no-untyped-def]
    """On each backend, against a full re-link on SQLite."""
    from newsfuse import pipeline

    store = any_store
    for path in _paths():
        pipeline.ingest_inputs([str(path)], store)
    for article in store.articles():
        _put(store, analysed[article.id])
        assert pipeline.link_pending(store) == 1
    one_entities, one_analyses = _state(store)
    full_entities, full_analyses = _state(full)
    assert sorted(one_entities) == sorted(full_entities)
    assert one_entities == full_entities
    assert one_analyses == full_analyses
    assert any(len(e.article_ids) > 2 for e in full.entities())  # linked across articles, not trivially equal


def test_relink_after_incremental_links_changes_nothing(analysed, full, tmp_path):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    before = _state(full)
    pipeline.relink_entities(full)
    assert _state(full) == before


def test_an_article_linked_again_leaves_the_links_as_they_were(analysed, full):  # type: ignore[no-untyped-def]
    """A re-analysed article is linked against the others again, not added twice."""
    from newsfuse import pipeline

    before = _state(full)
    first = full.articles()[0]
    _put(full, analysed[first.id])  # as a new analysis of the same version would be stored
    full.conn.execute("DELETE FROM link_articles WHERE article_id = ?", (first.id,))
    assert pipeline.link_pending(full) == 1
    assert _state(full) == before


def test_nothing_to_link_touches_nothing(full):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    assert pipeline.link_pending(full) == 0
