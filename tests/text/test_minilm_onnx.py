"""The MiniLM graph built from weight arrays: the reference's vectors, named layers, overrides, the disk cache."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

onnxruntime = pytest.importorskip("onnxruntime")
from tokenizers import Tokenizer  # noqa: E402

from newsfuse.text import minilm_onnx  # noqa: E402

TEXTS = ["The council said the bridge would close on Friday for repairs.",
         "“We will rebuild it,” the mayor told reporters, adding that the work would take two years."]


@pytest.fixture(scope="module")
def weights() -> dict[str, np.ndarray]:
    return minilm_onnx.reference_weights()


@pytest.fixture(scope="module")
def encoded() -> dict[str, np.ndarray]:
    tokenizer = Tokenizer.from_file(str(minilm_onnx.tokenizer_path()))
    tokenizer.enable_padding()
    rows = tokenizer.encode_batch(TEXTS)
    ids = np.array([r.ids for r in rows], dtype=np.int64)
    return {"input_ids": ids, "attention_mask": np.array([r.attention_mask for r in rows], dtype=np.int64),
            "token_type_ids": np.zeros_like(ids)}


def run(model: bytes, feed: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    return dict(zip([o.name for o in session.get_outputs()], session.run(None, feed)))


def numpy_bert(w: dict[str, np.ndarray], feed: dict[str, np.ndarray]) -> list[np.ndarray]:
    """BERT's forward pass written out in numpy from the paper's equations: each layer's output state."""
    def norm(x: np.ndarray, p: str) -> np.ndarray:
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * w[p + ".weight"] + w[p + ".bias"]

    def linear(x: np.ndarray, p: str) -> np.ndarray:
        return x @ w[p + ".weight"].T + w[p + ".bias"]

    ids, mask = feed["input_ids"], feed["attention_mask"]
    b, n = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] + \
        w["embeddings.token_type_embeddings.weight"][feed["token_type_ids"]]
    x = norm(x, "embeddings.LayerNorm")
    bias = (1.0 - mask[:, None, None, :]) * -10000.0
    erf = np.vectorize(math.erf)
    states = []
    for i in range(6):
        p = f"encoder.layer.{i}."
        q, k, v = (linear(x, p + "attention.self." + part).reshape(b, n, 12, 32).transpose(0, 2, 1, 3)
                   for part in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(32) + bias
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(b, n, 384)
        x = norm(linear(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        inner = linear(x, p + "intermediate.dense")
        x = norm(linear(inner * 0.5 * (1 + erf(inner / math.sqrt(2))), p + "output.dense") + x, p + "output.LayerNorm")
        states.append(x)
    return states


def cosines(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> np.ndarray:
    a, b = a[mask.astype(bool)], b[mask.astype(bool)]
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_reference_weights_are_keyed_without_a_prefix(weights: dict[str, np.ndarray]) -> None:
    assert weights["encoder.layer.4.attention.self.query.weight"].shape == (384, 384)
    assert not any(k.startswith("bert.") for k in weights)


def test_the_graph_gives_the_reference_model_s_states_at_every_named_layer(weights, encoded) -> None:
    out = run(minilm_onnx.build_model(weights, (1, 3, 5)), encoded)
    expected = numpy_bert(weights, encoded)
    assert set(out) == {"last_hidden_state", "layer_1", "layer_3", "layer_5"}
    for name, layer in (("layer_1", 1), ("layer_3", 3), ("last_hidden_state", 5)):
        assert cosines(out[name], expected[layer], encoded["attention_mask"]).min() >= 0.9999
    assert np.array_equal(out["layer_5"], out["last_hidden_state"])


def test_building_is_deterministic_and_the_tag_follows_the_weights(weights) -> None:
    assert minilm_onnx.build_model(weights) == minilm_onnx.build_model(weights)
    assert minilm_onnx.weights_digest(weights) == minilm_onnx.weights_digest(None)
    top = {"encoder.layer.5.output.LayerNorm.bias": weights["encoder.layer.5.output.LayerNorm.bias"] + 0.5}
    assert minilm_onnx.model_tag(top) != minilm_onnx.model_tag()
    assert minilm_onnx.model_tag(quantized=True) != minilm_onnx.model_tag()


def test_overridden_weights_are_named_as_the_whole_model_they_make_and_remembered(tmp_path: Path, weights,
                                                                                  monkeypatch) -> None:
    monkeypatch.setattr(minilm_onnx, "cache_dir", lambda: tmp_path)
    top = {"encoder.layer.5.output.dense.bias": weights["encoder.layer.5.output.dense.bias"] - 0.25}
    whole = minilm_onnx.weights_digest({**weights, **top})
    assert minilm_onnx.weights_digest(top) == whole
    assert whole in (tmp_path / "digests.json").read_text(encoding="utf-8")
    # The next process reads the whole's digest from the memo (a planted value shows it is not recomputed).
    memo = (tmp_path / "digests.json").read_text(encoding="utf-8").replace(whole, "f" * 64)
    (tmp_path / "digests.json").write_text(memo, encoding="utf-8")
    assert minilm_onnx.weights_digest(top) == "f" * 64
    assert minilm_onnx.weights_digest({"encoder.layer.5.output.dense.bias": top["encoder.layer.5.output.dense.bias"] + 1}) \
        not in (whole, "f" * 64)


def test_overridden_weights_change_the_output(weights, encoded) -> None:
    shift = {"encoder.layer.5.output.LayerNorm.bias": weights["encoder.layer.5.output.LayerNorm.bias"] + 0.5}
    plain = run(minilm_onnx.build_model(weights), encoded)["last_hidden_state"]
    shifted = run(minilm_onnx.build_model(shift), encoded)["last_hidden_state"]
    assert np.allclose(shifted, plain + 0.5, atol=1e-4)


def test_an_unknown_layer_is_refused(weights) -> None:
    with pytest.raises(ValueError, match="layer 6"):
        minilm_onnx.build_model(weights, (6,))


def test_a_graph_cut_after_three_layers_gives_the_whole_graph_s_third_state_and_its_own_tag(weights, encoded) -> None:
    whole = run(minilm_onnx.build_model(weights, (2,)), encoded)
    cut = minilm_onnx.build_model(weights, depth=3)
    out = run(cut, encoded)
    assert set(out) == {"last_hidden_state"}
    assert np.array_equal(out["last_hidden_state"], whole["layer_2"])
    assert b"encoder.layer.2.output.dense.weight" in cut and b"encoder.layer.3." not in cut  # layers 4-6 left out
    assert minilm_onnx.model_tag(depth=3) == minilm_onnx.model_tag() + "-layers3"
    assert minilm_onnx.model_tag(depth=6) == minilm_onnx.model_tag()
    with pytest.raises(ValueError, match="layers 0 to 2"):
        minilm_onnx.build_model(weights, (3,), depth=3)


def test_int8_cut_graph_gives_the_whole_int8_graph_s_state_bit_for_bit(weights, encoded) -> None:
    whole = run(minilm_onnx.quantize(minilm_onnx.build_model(weights, (2,))), encoded)["layer_2"]
    cut = run(minilm_onnx.quantize(minilm_onnx.build_model(weights, depth=3)), encoded)["last_hidden_state"]
    assert np.array_equal(cut, whole)


def test_the_cache_keeps_the_built_model_for_the_next_process(tmp_path: Path, weights) -> None:
    built = minilm_onnx.cached_model(None, (2,), folder=tmp_path)
    files = list(tmp_path.iterdir())
    assert [f.name for f in files] == [f"{minilm_onnx.model_tag()}-2.onnx"]
    assert files[0].read_bytes() == built == minilm_onnx.build_model(weights, (2,))
    files[0].write_bytes(b"kept")  # read back, not rebuilt
    assert minilm_onnx.cached_model(None, (2,), folder=tmp_path) == b"kept"


def test_int8_keeps_the_reference_s_sentence_vectors(weights, encoded) -> None:
    fp32 = minilm_onnx.build_model(weights)
    int8 = minilm_onnx.quantize(fp32)
    assert len(int8) < len(fp32) / 3  # the matrices' weights in one byte each
    mask = encoded["attention_mask"][..., None]
    pooled = [(run(m, encoded)["last_hidden_state"] * mask).sum(1) for m in (fp32, int8)]
    cos = (pooled[0] * pooled[1]).sum(1) / np.linalg.norm(pooled[0], axis=1) / np.linalg.norm(pooled[1], axis=1)
    assert cos.min() > 0.98
