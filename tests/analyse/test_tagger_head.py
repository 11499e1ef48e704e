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



def test_the_head_graph_is_kept_in_the_cache_folder_and_read_back_as_built(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from newsfuse.text import minilm_onnx

    monkeypatch.setattr(minilm_onnx, "cache_dir", lambda: tmp_path)
    weights = quote_tagger.weights()
    built = tagger_head.build_graph(weights)
    assert tagger_head.cached_graph(weights) == built
    assert len(list(tmp_path.glob("tagger_head-*.onnx"))) == 1
    monkeypatch.setattr(tagger_head, "build_graph", lambda w: pytest.fail("the cached graph was built again"))
    assert tagger_head.cached_graph(weights) == built
    other = dataclasses.replace(weights, out_b=weights.out_b + 1.0)  # other weights: another file
    assert tagger_head._graph_key(other) != tagger_head._graph_key(weights)


def test_analysing_with_the_graphs_built_does_not_import_onnx(analyse_text) -> None:  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    import newsfuse

    analyse_text("The mayor said the bridge would close.")  # builds any graph the cache folder lacks
    code = """
import json, sys
from newsfuse.analyse import analyse_article
from newsfuse.models import Article
text = "“It will close,” the mayor said on Friday."
article = Article(id="a", title="Bridge", text=text, paragraphs=(text,), outlet=None, outlet_found_by=None,
                  published="2022-08-03", published_found_by="flag", language="en")
print(json.dumps({"quotes": len(analyse_article(article).quotes), "onnx": "onnx" in sys.modules}))
"""
    env = {**os.environ, "PYTHONPATH": str(Path(newsfuse.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300, env=env)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"quotes": 1, "onnx": False}
