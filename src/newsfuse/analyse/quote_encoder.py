"""The attribution tagger's fine-tuned top MiniLM layers as a weights file holds them: int8 per output row.

bench/finetune_quote_tagger.py fits MiniLM's top encoder layers together with the tagger on PolNeAR
train; the layers below stay the reference ones. Only the fitted layers ship, their matrices as int8
with one scale per output row (4 MB instead of a whole model); at run time they replace the reference
layers in the MiniLM graph (text/minilm_onnx.py builds it, `models.minilm_tuned` runs it).
"""

from __future__ import annotations

import numpy as np

PREFIX = "top."
SCALE = ".scale"


def pack(layers: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Layer arrays for a weights file: matrices as int8 with one scale per output row, vectors as they are."""
    out: dict[str, np.ndarray] = {}
    for key, value in layers.items():
        if value.ndim == 2:
            scale = np.maximum(np.abs(value).max(axis=1), 1e-12) / 127.0
            out[PREFIX + key] = np.round(value / scale[:, None]).astype(np.int8)
            out[PREFIX + key + SCALE] = scale.astype(np.float32)
        else:
            out[PREFIX + key] = value.astype(np.float32)
    return out


def unpack(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The layer arrays of a weights file (pack's inverse, up to int8 rounding), keyed as in MiniLM's weights."""
    out = {}
    for key, value in arrays.items():
        if key.startswith(PREFIX) and not key.endswith(SCALE):
            scale = arrays.get(key + SCALE)
            out[key[len(PREFIX):]] = (value * scale[:, None] if scale is not None else value).astype(np.float32)
    return out


def layer_indices(layers: dict[str, np.ndarray]) -> list[int]:
    """The encoder layers present, in order."""
    return sorted({int(key.split(".")[2]) for key in layers})
