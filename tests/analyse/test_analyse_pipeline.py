"""The analysis stage in the pipeline: stored, versioned, parallel, re-linked; embeddings on request."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.seed


@pytest.fixture
def ingested(store):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    pipeline.ingest_inputs([str(SEEDS)], store)
    return store


def test_stored_analysis_reads_back_with_entity_ids(ingested):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    assert pipeline.analyse_pending(ingested) == 3
    article = ingested.articles(outlet="TASS")[0]
    analysis = pipeline.load_analysis(ingested, article.id)
    assert analysis.article_id == article.id
    assert any(m.entity_id == ingested.entity("Sergey Lavrov").id for m in analysis.mentions)


def test_older_version_is_analysed_again(ingested):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline
    from newsfuse.vectors import sentence_embeddings

    pipeline.analyse_pending(ingested)
    article = ingested.articles(outlet="TASS")[0]
    ingested.put_annotation(article.id, "analysis", "analysis.v0", {"article_id": article.id})
    assert pipeline.analyse_pending(ingested) == 1


def test_two_workers_give_the_same_analysis(ingested, seed_analyses):  # type: ignore[no-untyped-def]
    from newsfuse import pipeline

    assert pipeline.analyse_pending(ingested, workers=2) == 3
    article = ingested.articles(outlet="Al Jazeera")[0]
    stored = pipeline.load_analysis(ingested, article.id)
    assert [q.content for q in stored.quotes] == [q.content for q in seed_analyses["Al Jazeera"].quotes]


def test_sentence_embeddings_are_cached(ingested):  # type: ignore[no-untyped-def]
    pytest.importorskip("onnxruntime")
    from newsfuse import pipeline
    from newsfuse.vectors import sentence_embeddings

    pipeline.analyse_pending(ingested)
    article = ingested.articles(outlet="TASS")[0]
    first = sentence_embeddings(ingested, article.id)
    assert first.shape == (len(pipeline.load_analysis(ingested, article.id).sentences), 384)
    from newsfuse.text import embeddings

    assert ingested.annotation(article.id, f"embeddings:{embeddings.model_name()}") is not None
    assert (sentence_embeddings(ingested, article.id) == first).all()
