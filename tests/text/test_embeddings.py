"""Sentence and word-piece vectors: a text's vectors do not depend on the texts embedded with it."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from newsfuse.text import embeddings  # noqa: E402

TEXTS = ["The council said the bridge would close on Friday.",
         "Repairs to the eastern span, damaged by a barge in March, will take two years and cost $40 million.",
         "No."]


def test_a_statement_s_piece_vectors_are_the_same_alone_or_with_others() -> None:
    alone = embeddings.embed_tokens(TEXTS[:1])[0]
    together = embeddings.embed_tokens(TEXTS)[0]
    assert np.array_equal(alone.ids, together.ids)
    assert np.allclose(alone.vectors, together.vectors, atol=1e-5)


def test_a_title_s_vector_is_the_same_alone_or_with_others() -> None:
    assert np.allclose(embeddings.embed(TEXTS[1:2])[0], embeddings.embed(TEXTS)[1], atol=1e-5)
