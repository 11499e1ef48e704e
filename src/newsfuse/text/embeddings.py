"""Sentence embeddings with all-MiniLM-L6-v2 (ONNX, text/minilm_onnx.py), computed only when a later stage asks for them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from newsfuse.text.models import (STATEMENTS_INT8, STATEMENTS_LAYERS, TITLES_INT8, TITLES_LAYERS, minilm, minilm_available,
                                  minilm_batch, minilm_tag)

# The encoding of TokenVectors.to_bytes, part of the key of stored word-piece vectors.
TOKENS_ENCODING = "pieces-int8.v1"
DIMENSIONS = 384
# The model was trained on sequences of at most 256 word pieces; longer sentences are cut there.
MAX_TOKENS = 256
# Sentences per ONNX call: bigger batches pad more, smaller ones call more; 32 is the usual compromise.
BATCH = 32


@lru_cache(maxsize=1)
def model_name() -> str:
    """The tag (variant, builder, weights digest) of the model `embed` runs: stored vectors are keyed by it, so
    vectors of another model are never read back as this one's."""
    return minilm_tag(TITLES_INT8, TITLES_LAYERS)


@lru_cache(maxsize=1)
def tokens_model() -> str:
    """Key of stored word-piece vectors: the tag of the model `embed_tokens` runs and the encoding of
    TokenVectors.to_bytes."""
    return f"{minilm_tag(STATEMENTS_INT8, STATEMENTS_LAYERS)}/{TOKENS_ENCODING}"


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (mean pooling over word pieces, as the model was trained).

    Batched by piece count, as embed_tokens: the first 200 GVA articles' titles and leads (grouping's
    pass) padded to 18,300 pieces sorted by characters, 15,424 by pieces, for 14,395 real ones."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    session, tokenizer = minilm(TITLES_INT8, TITLES_LAYERS)
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for chosen, _, ids, mask in _piece_batches(tokenizer, texts, minilm_batch(TITLES_INT8, BATCH)):
        hidden = _run(session, ids, mask)
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        out[chosen] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
    return out


def _piece_batches(tokenizer: Any, texts: Sequence[str], size: int) -> Iterator[tuple[list[int], list[Any], np.ndarray,
                                                                                     np.ndarray]]:
    """(indexes into texts, their encodings, padded piece ids, attention mask) per batch of `size` texts of like piece counts
    (fewest first): a batch is padded to its longest text, and the padding is masked out."""
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    encoded = tokenizer.encode_batch(list(texts))
    pieces = [e.ids for e in encoded]  # each reading of `.ids` builds a new list: read once
    order = sorted(range(len(texts)), key=lambda k: len(pieces[k]))
    for start in range(0, len(order), size):
        chosen = order[start:start + size]
        width = max(len(pieces[k]) for k in chosen)
        ids = np.zeros((len(chosen), width), dtype=np.int64)  # 0 is [PAD]; masked out
        mask = np.zeros((len(chosen), width), dtype=np.int64)
        for row, k in enumerate(chosen):
            ids[row, :len(pieces[k])] = pieces[k]
            mask[row, :len(pieces[k])] = 1
        yield chosen, [encoded[k] for k in chosen], ids, mask


def _run(session: Any, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The session's last hidden state (after all the layers its graph runs) for padded piece ids."""
    inputs = {i.name for i in session.get_inputs()}
    feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return session.run(None, {k: v for k, v in feed.items() if k in inputs})[0]


@dataclass(frozen=True)
class TokenVectors:
    """MiniLM's vector of each word piece of one text (the state after STATEMENTS_LAYERS encoder layers;
    [CLS]/[SEP] left out), with char offsets.

    Fusion compares statements word by word (BERTScore-style greedy matching) and pools any clause of a
    sentence from its pieces, so one model call per sentence serves every clause cut from it.
    """

    ids: np.ndarray  # int32, one per piece
    offsets: np.ndarray  # int32 (n, 2): each piece's character span in the text
    vectors: np.ndarray  # float32 (n, DIMENSIONS), unit length

    def span(self, start: int, end: int) -> np.ndarray:
        """Indexes of the pieces inside characters [start, end)."""
        if not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        return np.nonzero((self.offsets[:, 0] >= start) & (self.offsets[:, 1] <= end))[0]

    def pooled(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """The unit-length mean of the pieces inside [start, end): a vector for a clause of the text."""
        rows = self.span(start, end if end is not None else 1 << 30)
        if not len(rows):
            return np.zeros(DIMENSIONS, dtype=np.float32)
        mean = self.vectors[rows].mean(axis=0)
        return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)

    def to_bytes(self) -> bytes:
        """Compact form for the store: int8 components with one scale per piece (~390 bytes a piece)."""
        scale = np.clip(np.abs(self.vectors).max(axis=1), 1e-12, None).astype(np.float32) if len(self.ids) else \
            np.zeros(0, dtype=np.float32)
        quantised = np.round(self.vectors / scale[:, None] * 127).astype(np.int8) if len(self.ids) else \
            np.zeros((0, DIMENSIONS), dtype=np.int8)
        head = np.array([len(self.ids)], dtype=np.int32).tobytes()
        return head + self.ids.astype(np.int32).tobytes() + self.offsets.astype(np.int32).tobytes() + \
            scale.tobytes() + quantised.tobytes()

    @classmethod
    def from_bytes(cls, raw: bytes) -> TokenVectors:
        """The inverse of to_bytes (vectors renormalised after dequantising)."""
        n = int(np.frombuffer(raw[:4], dtype=np.int32)[0])
        at = 4
        ids = np.frombuffer(raw[at:at + 4 * n], dtype=np.int32)
        at += 4 * n
        offsets = np.frombuffer(raw[at:at + 8 * n], dtype=np.int32).reshape(n, 2)
        at += 8 * n
        scale = np.frombuffer(raw[at:at + 4 * n], dtype=np.float32)
        at += 4 * n
        quantised = np.frombuffer(raw[at:at + n * DIMENSIONS], dtype=np.int8).reshape(n, DIMENSIONS)
        vectors = quantised.astype(np.float32) * (scale[:, None] / 127)
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        return cls(ids.copy(), offsets.copy(), vectors)


def digest(text: str) -> str:
    """The key of a text's stored vectors (sha256 of its UTF-8 bytes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def available() -> bool:
    """Whether the embedding extra (onnxruntime, tokenizers and the model packages) is installed."""
    return minilm_available()


def tokens_batched() -> bool:
    """Whether embed_tokens runs several texts per model call (fp32), so that texts embedded together pad
    less than story by story; in int8 it runs one text a call (models.minilm_batch), and the order is free."""
    return minilm_batch(STATEMENTS_INT8, BATCH) > 1


def embed_tokens(texts: Sequence[str]) -> list[TokenVectors]:
    """Word-piece vectors of each text (batched by piece count, so a batch pads little or not at all).

    A text's vectors do not depend on the texts batched with it (masked padding), so the order is free:
    sorting by the tokenizer's own count instead of by characters cut the CPU time of embedding 1,200 GVA
    statement sentences by a quarter (9.1 CPU-s against 12.2, the same bytes stored).
    """
    if not texts:
        return []
    session, tokenizer = minilm(STATEMENTS_INT8, STATEMENTS_LAYERS)
    out: list[TokenVectors | None] = [None] * len(texts)
    for chosen, encoded, ids, mask in _piece_batches(tokenizer, texts, minilm_batch(STATEMENTS_INT8, BATCH)):
        hidden = _run(session, ids, mask)
        for row, (k, e) in enumerate(zip(chosen, encoded)):
            # Pieces with a real character span: [CLS] and [SEP] have (0, 0). The encoding's `ids` and
            # `offsets` build a new list at each reading, so they are read once, not once a piece (that was
            # ~1 of fusion's ~28 CPU-s per 1,000 GVA articles).
            offsets = np.array(e.offsets, dtype=np.int32).reshape(-1, 2)
            keep = np.flatnonzero(offsets[:, 1] > offsets[:, 0])
            vectors = hidden[row, keep].astype(np.float32)
            vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
            out[k] = TokenVectors(ids[row, keep].astype(np.int32), offsets[keep], vectors)
    return [v for v in out if v is not None]
