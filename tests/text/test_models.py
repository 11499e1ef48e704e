"""The lazy model loaders: spaCy loads without the libraries no pipeline here uses."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsfuse

SRC = str(Path(newsfuse.__file__).resolve().parents[1])


def test_parsing_does_not_load_torch_and_torch_stays_importable(tmp_path: Path) -> None:
    code = """
import json, sys
from newsfuse.text.models import nlp
lemmas = [t.lemma_ for t in nlp()("The mayor said the bridge would close.")]
loaded = "torch" in sys.modules
import thinc.compat
thinc_torch = thinc.compat.has_torch
import torch
print(json.dumps({"lemmas": lemmas, "loaded": loaded, "thinc_torch": thinc_torch, "torch": bool(torch.__version__)}))
"""
    path = [SRC]  # this tree's newsfuse, not an installed one
    if importlib.util.find_spec("torch") is None:
        # Without torch (CI installs none), a stand-in that thinc would import, and fail on, unless kept out.
        (tmp_path / "torch").mkdir()
        (tmp_path / "torch" / "__init__.py").write_text('__version__ = "0.0+stand-in"\n')
        path.append(str(tmp_path))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=180, env=env)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"lemmas": ["the", "mayor", "say", "the", "bridge", "would", "close", "."], "loaded": False,
                     "thinc_torch": False, "torch": True}


def test_the_loaded_pipeline_is_left_out_of_full_garbage_collections() -> None:
    # The pipeline lives as long as the process: a full collection walking its objects again is wasted work.
    code = """
import gc, json
from newsfuse.text.models import nlp
before = gc.get_freeze_count()
model = nlp()
frozen = gc.get_freeze_count()
print(json.dumps({"before": before, "frozen": frozen,
                  "parses": [t.lemma_ for t in model("Officials said two people were hurt.")][:3]}))
"""
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=180, env=env)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] == 0
    assert found["frozen"] > 10_000  # the vocabulary, strings, tables and layers loaded with it
    assert found["parses"] == ["official", "say", "two"]
