"""Sentence embeddings with all-MiniLM-L6-v2 (ONNX int8), computed only when a later stage asks for them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsfuse.text.models import minilm

MODEL = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
# The model was trained on sequences of at most 256 word pieces; longer sentences are cut there.
MAX_TOKENS = 256
# Sentences per ONNX call: bigger batches pad more, smaller ones call more; 32 is the usual compromise.
BATCH = 32


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (mean pooling over word pieces, as the model was trained)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    session, tokenizer = minilm()
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    inputs = {i.name for i in session.get_inputs()}
    out = []
    for start in range(0, len(texts), BATCH):
        encoded = tokenizer.encode_batch(list(texts[start:start + BATCH]))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, {k: v for k, v in feed.items() if k in inputs})[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
        out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
    return np.vstack(out).astype(np.float32)
