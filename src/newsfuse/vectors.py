"""Vectors cached in the store: word pieces by text digest, sentence embeddings per analysed article."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsfuse.store import Store


class StoredEmbedder:
    """Word-piece vectors read from the store by text digest; missing ones computed once and written back.

    Fusion fills the store as it goes: an article's statement sentences are embedded when a story of two or
    more articles first holds it, never for an article no other joins (a quarter of the first 200 GVA
    articles), and a fusion in a later process reads them instead of running MiniLM again."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self, texts: list[str]) -> list[Any]:
        from newsfuse.text import embeddings

        digests = [embeddings.digest(t) for t in texts]
        # The bytes just stored are used as they are, not read back (that read was ~1 CPU-s of fusion's
        # Python per 1,000 GVA articles); what the store already held is read once.
        found = self._filled(dict(zip(digests, texts)))[0]
        return [embeddings.TokenVectors.from_bytes(found[key]) for key in digests]

    def batched(self) -> bool:
        """Whether embedding many texts at once costs less than embedding them a few at a time."""
        from newsfuse.text import embeddings

        return embeddings.tokens_batched()

    def fill(self, texts: Sequence[str]) -> int:
        """Compute and store the vectors of the texts the store lacks; how many that was."""
        from newsfuse.text import embeddings

        return self._filled({embeddings.digest(t): t for t in texts})[1]

    def _filled(self, keys: dict[str, str]) -> tuple[dict[str, bytes], int]:
        """(digest -> stored bytes of every text, how many were computed now) for texts keyed by digest."""
        from newsfuse.text import embeddings

        have = self.store.vectors(embeddings.tokens_model(), list(keys))
        # Shortest first, so each transaction's batch (and MiniLM's batches in it) holds texts of one length.
        missing = sorted((t for k, t in keys.items() if k not in have), key=len)
        for start in range(0, len(missing), 256):  # one transaction per batch: a crash loses little
            batch = missing[start:start + 256]
            vectors = embeddings.embed_tokens(batch)
            rows = [(embeddings.digest(t), v.to_bytes()) for t, v in zip(batch, vectors)]
            self.store.put_vectors(embeddings.tokens_model(), rows)
            have.update(rows)
        return have, len(missing)


def stored_embedder(store: Store) -> StoredEmbedder | None:
    """The store-backed embedder, or None when the embeddings extra is not installed (fusion is then lexical)."""
    from newsfuse.text import embeddings

    return StoredEmbedder(store) if embeddings.available() else None


def sentence_embeddings(store: Store, article_id: str) -> Any:
    """Embeddings of an analysed article's sentences (numpy array, one row per sentence), cached in the store."""
    import base64

    import numpy as np

    from newsfuse.models import analysis_from_dict
    from newsfuse.text import embeddings

    component = f"embeddings:{embeddings.model_name()}"
    cached = store.annotation(article_id, component)
    if cached:
        raw = base64.b64decode(cached[1]["vectors"])
        return np.frombuffer(raw, dtype=np.float32).reshape(-1, embeddings.DIMENSIONS)
    found = store.annotation(article_id, "analysis")
    texts = [s.text for s in analysis_from_dict(found[1]).sentences] if found else []
    vectors = embeddings.embed(texts)
    store.put_annotation(article_id, component, embeddings.model_name(),
                         {"vectors": base64.b64encode(vectors.tobytes()).decode("ascii"), "count": len(texts)})
    return vectors
