"""The attribution tagger's head (scaling, projection, BiLSTM, label scores) as one ONNX graph run by onnxruntime.

quote_tagger.emissions computes the same in numpy, one LSTM step after another: a dozen small numpy calls
a step, which cost more than the arithmetic (1.3-1.7 CPU-s of the 6.8 that the analysis after the parse
took on 60 GVA articles). onnxruntime's LSTM operator runs the steps in C++: 0.5 CPU-s for the same
paragraphs, with the same labels on all 712 of them (floats agree to rounding, not bit for bit; chosen on
PolNeAR dev, BENCHMARKS.md "Analysis speed").
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from newsfuse.analyse.quote_tagger import TaggerWeights

# The ONNX operator set and IR version of the graph (onnxruntime reads both since 1.10).
OPSET = 17
IR_VERSION = 8
# Paragraphs of one article go through the graph together when the longest of them is at most this many
# times the shortest (the rest of a group is padding, which the LSTM steps through for nothing). On the
# paragraphs of 60 GVA articles: 1.3 (249 calls) 0.47-0.48 CPU-s, 2.0 (140 calls) 0.46-0.49, 3.0 0.54-0.57,
# one call per article 0.49-0.63.
LENGTH_SLACK = 2.0

_lock = threading.Lock()
_sessions: dict[int, tuple[Any, Any]] = {}  # id(weights) -> (weights, session): weights kept alive with it


def available() -> bool:
    """Whether onnxruntime and onnx are installed (else quote_tagger runs its numpy LSTM)."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def _gates(matrix: np.ndarray) -> np.ndarray:
    """PyTorch's gate order (input, forget, cell, output) along the first axis as ONNX's (input, output,
    forget, cell)."""
    i, f, cell, o = np.split(matrix, 4, axis=0)
    return np.concatenate([i, o, f, cell], axis=0)


def build_graph(w: TaggerWeights) -> bytes:
    """The serialised ONNX model: features [steps, paragraphs, width] and lengths in, label scores
    [steps, paragraphs, labels] out (rows past a paragraph's length are padding)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    arrays: dict[str, np.ndarray] = {"mean": w.mean, "scale": w.scale, "proj_t": w.proj_w.T, "proj_b": w.proj_b,
                                     "out_t": w.out_w.T, "out_b": w.out_b}
    nodes = [helper.make_node("Sub", ["features", "mean"], ["centred"]),
             helper.make_node("Div", ["centred", "scale"], ["scaled"]),
             helper.make_node("MatMul", ["scaled", "proj_t"], ["projected"]),
             helper.make_node("Add", ["projected", "proj_b"], ["biased"]),
             helper.make_node("Relu", ["biased"], ["x0"])]
    layer = 0
    while f"w_ih_f{layer}" in w.lstm:
        size = w.lstm[f"w_hh_f{layer}"].shape[1]
        arrays[f"W{layer}"] = np.stack([_gates(w.lstm[f"w_ih_{side}{layer}"]) for side in "fb"])
        arrays[f"R{layer}"] = np.stack([_gates(w.lstm[f"w_hh_{side}{layer}"]) for side in "fb"])
        # ONNX adds an input bias and a recurrent one; the weights file holds their sum as one.
        arrays[f"B{layer}"] = np.stack([np.concatenate([_gates(w.lstm[f"b_{side}{layer}"]),
                                                        np.zeros(4 * size, dtype=np.float32)]) for side in "fb"])
        nodes += [helper.make_node("LSTM", [f"x{layer}", f"W{layer}", f"R{layer}", f"B{layer}", "lengths"], [f"y{layer}"],
                                   hidden_size=size, direction="bidirectional"),
                  # [steps, 2, paragraphs, size] -> [steps, paragraphs, 2 * size]: forward then backward, as in numpy
                  helper.make_node("Transpose", [f"y{layer}"], [f"t{layer}"], perm=[0, 2, 1, 3]),
                  helper.make_node("Reshape", [f"t{layer}", "keep_two"], [f"x{layer + 1}"])]
        layer += 1
    arrays["keep_two"] = np.array([0, 0, -1], dtype=np.int64)
    nodes += [helper.make_node("MatMul", [f"x{layer}", "out_t"], ["label_scores"]),
              helper.make_node("Add", ["label_scores", "out_b"], ["scores"])]
    initializers = [numpy_helper.from_array(np.ascontiguousarray(a, dtype=np.int64 if a.dtype == np.int64 else np.float32), name)
                    for name, a in arrays.items()]
    graph = helper.make_graph(
        nodes, "quote_tagger_head",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["steps", "paragraphs", w.mean.shape[0]]),
         helper.make_tensor_value_info("lengths", TensorProto.INT32, ["paragraphs"])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["steps", "paragraphs", w.out_w.shape[0]])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="newsfuse")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model.SerializeToString()


def cached_graph(w: TaggerWeights) -> bytes:
    """build_graph(w) from the cache folder (text/minilm_onnx's), built and kept there when missing.

    Building it needs the onnx package, whose import alone was ~0.5 CPU-s of every process that analyses
    (onnxruntime, which runs it, needs no onnx). The file name holds a digest of the weights and of this
    module's code, so other weights or another builder never read a stale graph."""
    from newsfuse.text.minilm_onnx import _write_atomic, cache_dir

    path = cache_dir() / f"tagger_head-{_graph_key(w)}.onnx"
    if path.is_file():
        return path.read_bytes()
    graph = build_graph(w)
    _write_atomic(path, graph)
    return graph


def _graph_key(w: TaggerWeights) -> str:
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256(Path(__file__).read_bytes())
    arrays = {"mean": w.mean, "scale": w.scale, "proj_w": w.proj_w, "proj_b": w.proj_b, "out_w": w.out_w,
              "out_b": w.out_b, **{f"lstm.{k}": v for k, v in w.lstm.items()}}
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()[:16]


def session(w: TaggerWeights) -> Any:
    """The onnxruntime session of these weights' head, made once per process (one thread: its products
    are small)."""
    with _lock:
        kept = _sessions.get(id(w))
        if kept is None or kept[0] is not w:
            import onnxruntime

            from newsfuse.text.models import onnx_session

            kept = (w, onnx_session(onnxruntime, cached_graph(w), threads=1))
            _sessions[id(w)] = kept
        return kept[1]


def emissions_many(w: TaggerWeights, features: list[np.ndarray]) -> list[np.ndarray]:
    """Per-token label scores for each paragraph (each a non-empty (tokens, width) array), paragraphs of
    similar length run together."""
    run = session(w)
    out: list[np.ndarray] = [np.zeros((0, w.out_w.shape[0]), dtype=np.float32)] * len(features)
    order = sorted(range(len(features)), key=lambda k: len(features[k]))
    start = 0
    while start < len(order):
        stop = start + 1
        while stop < len(order) and len(features[order[stop]]) <= LENGTH_SLACK * len(features[order[start]]):
            stop += 1
        group = order[start:stop]
        lengths = np.array([len(features[k]) for k in group], dtype=np.int32)
        batch = np.zeros((int(lengths.max()), len(group), features[group[0]].shape[1]), dtype=np.float32)
        for column, k in enumerate(group):
            batch[:len(features[k]), column] = features[k]
        scores = run.run(["scores"], {"features": batch, "lengths": lengths})[0]
        for column, k in enumerate(group):
            out[k] = scores[:lengths[column], column]
        start = stop
    return out
