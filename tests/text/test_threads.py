"""Thread counts for the numeric libraries: derived from the workers, fixed before the libraries load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsfuse
from newsfuse.text.threads import threads_per_worker

SRC = str(Path(newsfuse.__file__).resolve().parents[1])


@pytest.mark.parametrize(("workers", "cores", "threads"), [(1, 2, 2), (2, 2, 1), (4, 2, 1), (2, 8, 4), (3, 8, 2)])
def test_the_cores_are_shared_out_among_the_workers(workers: int, cores: int, threads: int) -> None:
    assert threads_per_worker(workers, cores) == threads


def _in_child(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": SRC}  # this tree's newsfuse, not an installed one
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_limit_set_before_numpy_loads_holds_in_numpy_and_in_onnx_sessions() -> None:
    found = _in_child(
        "import json, sys\n"
        "from newsfuse import api\n"
        "assert 'numpy' not in sys.modules\n"
        "api.fix_threads(workers=64)\n"
        "import numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "from newsfuse.text.models import minilm\n"
        "session, _ = minilm(False)\n"
        "print(json.dumps({'blas': [i['num_threads'] for i in threadpool_info()],\n"
        "                  'onnx': session.get_session_options().intra_op_num_threads}))\n"
    )
    assert found["blas"] and set(found["blas"]) == {1}
    assert found["onnx"] == 1


def test_a_limit_set_after_numpy_loaded_still_holds() -> None:
    found = _in_child(
        "import json, numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "from newsfuse.text.threads import limit_threads\n"
        "limit_threads(1)\n"
        "print(json.dumps({'blas': [i['num_threads'] for i in threadpool_info()]}))\n"
    )
    assert found["blas"] and set(found["blas"]) == {1}


def test_one_worker_gives_onnx_every_core_and_blas_one_thread() -> None:
    found = _in_child(
        "import json\n"
        "from newsfuse import api\n"
        "threads = api.fix_threads(workers=1)\n"
        "import numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "from newsfuse.text.models import minilm\n"
        "session, _ = minilm(False)\n"
        "print(json.dumps({'threads': threads, 'blas': [i['num_threads'] for i in threadpool_info()],\n"
        "                  'onnx': session.get_session_options().intra_op_num_threads}))\n"
    )
    assert found["threads"] == threads_per_worker(1)
    assert found["onnx"] == found["threads"]
    assert found["blas"] and set(found["blas"]) == {1}  # small products: a second BLAS thread only waits
