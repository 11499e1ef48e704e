"""The tagger's fine-tuned MiniLM top layers as shipped: int8 per output row, unpacked to float32."""

from __future__ import annotations

import numpy as np

from newsfuse.analyse import quote_encoder


def test_packing_keeps_each_matrix_within_its_rows_int8_step() -> None:
    rng = np.random.default_rng(5)
    layers = {"encoder.layer.5.output.dense.weight": rng.normal(size=(6, 10)).astype(np.float32),
              "encoder.layer.5.output.dense.bias": rng.normal(size=6).astype(np.float32)}
    packed = quote_encoder.pack(layers)
    assert packed["top.encoder.layer.5.output.dense.weight"].dtype == np.int8
    back = quote_encoder.unpack(packed)
    step = np.abs(layers["encoder.layer.5.output.dense.weight"]).max(axis=1, keepdims=True) / 127
    assert np.all(np.abs(back["encoder.layer.5.output.dense.weight"] - layers["encoder.layer.5.output.dense.weight"]) <= step / 2 + 1e-7)
    assert np.array_equal(back["encoder.layer.5.output.dense.bias"], layers["encoder.layer.5.output.dense.bias"])
    assert quote_encoder.layer_indices(back) == [5]
