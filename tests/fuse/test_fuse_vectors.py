"""Statement vectors are stored by model and text digest when fusion first needs them, so a new process fuses
without MiniLM."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse import pipeline
from newsfuse.text import embeddings
from newsfuse.vectors import StoredEmbedder
from tests.conftest import EXAMPLES, SEEDS


def test_token_vectors_survive_the_store_encoding():  # type: ignore[no-untyped-def]
    vectors = embeddings.embed_tokens(["Port Avel will pay $4.2 million to settle the claims."])[0]
    back = embeddings.TokenVectors.from_bytes(vectors.to_bytes())
    assert (back.ids == vectors.ids).all() and (back.offsets == vectors.offsets).all()
    assert float((back.vectors * vectors.vectors).sum(axis=1).min()) > 0.999
    assert abs(float(back.pooled() @ vectors.pooled()) - 1.0) < 1e-3


def test_stored_vectors_are_read_back_without_embedding_again(store, monkeypatch):  # type: ignore[no-untyped-def]
    texts = ["The ferry Marisol struck a pier.", "Thirty-one passengers were hurt."]
    first = StoredEmbedder(store)(texts)
    assert store.vectors(embeddings.tokens_model(), [embeddings.digest(t) for t in texts]).keys() == \
        {embeddings.digest(t) for t in texts}

    def refuse(_texts):  # type: ignore[no-untyped-def]
        raise AssertionError("MiniLM ran although the vectors were stored")

    monkeypatch.setattr(embeddings, "embed_tokens", refuse)
    again = StoredEmbedder(store)(texts)  # a new embedder, as a new process would make
    assert all(np.allclose(a.vectors, b.vectors, atol=1e-2) for a, b in zip(first, again))
    assert StoredEmbedder(store).fill(texts) == 0


@pytest.mark.seed
def test_fusion_embeds_only_articles_a_story_shares_and_a_new_process_reads_them(store, monkeypatch):  # type: ignore[no-untyped-def]
    from newsfuse import api
    from newsfuse.fuse import align, statement_texts

    align._vector_cache.clear()  # as in a new process: no test before this one has embedded the seeds here
    loner = EXAMPLES / "articles" / "strike-orsenna-ledger-2025-03-12.txt"  # its partner is left out
    api.ingest([str(SEEDS), str(loner)], store)
    api.analyse(store)

    def digests(articles):  # type: ignore[no-untyped-def]
        return {embeddings.digest(t) for a in articles for t in statement_texts(a, pipeline.load_analysis(store, a.id))}

    seeds = [a for a in store.articles() if a.title and "Lavrov" in (a.title + a.text)]
    alone = [a for a in store.articles() if a not in seeds]
    assert len(seeds) == 3 and len(alone) == 1
    assert not store.vectors(embeddings.tokens_model(), sorted(digests(seeds) | digests(alone)))  # analysis embeds nothing

    api.cluster(store)
    [story_id] = api.fuse(store)
    assert store.vectors(embeddings.tokens_model(), sorted(digests(seeds))).keys() == digests(seeds)
    assert not store.vectors(embeddings.tokens_model(), sorted(digests(alone)))
    before = store.fused(story_id)[2]

    def refuse(_texts):  # type: ignore[no-untyped-def]
        raise AssertionError("MiniLM ran although fusion had stored the vectors")

    align._vector_cache.clear()  # as in a new process
    monkeypatch.setattr(embeddings, "embed_tokens", refuse)
    assert api.fuse(store, [story_id], force=True) == [story_id]
    assert store.fused(story_id)[2] == before
