"""Fuzzing every reader and the cleaner (bench/fuzz.py, a few thousand hypothesis cases): no crash, no hang,
every refusal naming its input and a reason, every stored article whole and free of control characters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = 2000


@pytest.mark.slow
def test_generated_inputs_never_crash_or_hang_a_reader_or_the_cleaner():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "--cases", str(CASES), "--json"],
                          capture_output=True, text=True, env=env, timeout=3600)
    summary = json.loads(done.stdout)
    assert summary["crashes"] == 0, summary["first_crashes"]
    assert summary["hangs"] == 0, summary["first_hangs"]
    assert summary["cases"] >= CASES * 0.99
    assert set(summary["per_target"]) == {"text", "sniffed", "html", "jsonl", "jsonl.gz", "feed", "warc", "clean"}
    assert sum(summary["documents"].values()) > 100 and sum(summary["refusals"].values()) > 100  # both paths ran
    assert done.returncode == 0
