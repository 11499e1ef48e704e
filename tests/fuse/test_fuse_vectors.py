"""Statement vectors are stored by model and text digest, so a new process fuses without MiniLM."""

from __future__ import annotations

import numpy as np

from newsfuse import pipeline
from newsfuse.text import embeddings


def test_token_vectors_survive_the_store_encoding():  # type: ignore[no-untyped-def]
    vectors = embeddings.embed_tokens(["Port Avel will pay $4.2 million to settle the claims."])[0]
    back = embeddings.TokenVectors.from_bytes(vectors.to_bytes())
    assert (back.ids == vectors.ids).all() and (back.offsets == vectors.offsets).all()
    assert float((back.vectors * vectors.vectors).sum(axis=1).min()) > 0.999
    assert abs(float(back.pooled() @ vectors.pooled()) - 1.0) < 1e-3


def test_stored_vectors_are_read_back_without_embedding_again(store, monkeypatch):  # type: ignore[no-untyped-def]
    texts = ["The ferry Marisol struck a pier.", "Thirty-one passengers were hurt."]
    first = pipeline.StoredEmbedder(store)(texts)
    assert store.vectors(embeddings.TOKENS_MODEL, [embeddings.digest(t) for t in texts]).keys() == \
        {embeddings.digest(t) for t in texts}

    def refuse(_texts):  # type: ignore[no-untyped-def]
        raise AssertionError("MiniLM ran although the vectors were stored")

    monkeypatch.setattr(embeddings, "embed_tokens", refuse)
    again = pipeline.StoredEmbedder(store)(texts)  # a new embedder, as a new process would make
    assert all(np.allclose(a.vectors, b.vectors, atol=1e-2) for a, b in zip(first, again))
    assert pipeline.StoredEmbedder(store).fill(texts) == 0
