"""The attribution tagger's head in onnxruntime: the same scores and labels as the numpy BiLSTM it replaces."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse.analyse import quote_tagger, tagger_head

pytestmark = pytest.mark.skipif(not tagger_head.available(), reason="onnxruntime is not installed")


def _features(lengths: tuple[int, ...], seed: int = 5) -> tuple[quote_tagger.TaggerWeights, list[np.ndarray]]:
    weights = quote_tagger.weights()
    assert weights is not None
    rng = np.random.default_rng(seed)
    width = quote_tagger.feature_width(weights.minilm_outputs)
    # Features around the fitted scaling, so that the LSTM's gates see values like a real paragraph's.
    return weights, [(rng.normal(size=(n, width)) * weights.scale + weights.mean).astype(np.float32) for n in lengths]


def test_onnx_head_scores_match_the_numpy_bilstm_for_paragraphs_of_any_length() -> None:
    weights, features = _features((1, 2, 9, 40, 41, 57, 130, 3))
    for onnx_scores, paragraph in zip(tagger_head.emissions_many(weights, features), features):
        numpy_scores = quote_tagger.emissions(weights, paragraph)
        assert onnx_scores.shape == numpy_scores.shape
        np.testing.assert_allclose(onnx_scores, numpy_scores, rtol=1e-4, atol=1e-4)


def test_paragraphs_padded_together_score_as_each_alone() -> None:
    weights, features = _features((12, 20, 23, 5))
    together = tagger_head.emissions_many(weights, features)
    for scores, paragraph in zip(together, features):
        np.testing.assert_allclose(scores, tagger_head.emissions_many(weights, [paragraph])[0], rtol=1e-5, atol=1e-5)

