"""Thread counts for the numeric libraries (OpenMP, OpenBLAS, MKL, onnxruntime), fixed once per process.

Each of these libraries starts one thread per core by default, and reads its thread count once, when it
loads. Worker processes that share the cores then fight: measured on 2 cores, `analyse --workers 2`
cost 5.5× bare spaCy with the defaults and 3.5× with one thread per worker set before start. So the
count is derived from the workers setting and set in the parent before anything numeric is imported (a
forked or spawned worker inherits it), and again in each worker, where threadpoolctl also limits a
library some import already loaded. ONNX sessions take it as `intra_op_num_threads`.

The BLAS and OpenMP pools get one thread whatever the count: numpy's products here are small (the quote
tagger's LSTM steps, fusion's pair scores), and a second thread for each costs more than it brings.
"""

from __future__ import annotations

import os
import sys

# The variables the numeric libraries read for their thread count when they load.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                    "NUMEXPR_NUM_THREADS")
# Threads of the BLAS/OpenMP pools, whatever the cores: analysing 40 GVA articles (one worker, 2 cores,
# tagger on) took 13.5 CPU-s and 26 s with one against 37.4 CPU-s and 72 s with two, the same analyses
# (byte for byte): a product of 8 x 128 by 128 x 512 per LSTM step is too small to share, and the second
# thread's waiting for each one is paid in CPU time. onnxruntime, whose products are large, keeps the count.
BLAS_THREADS = 1

_threads: int | None = None


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """Threads for each of `workers` processes sharing the cores: the cores divided among them, at least one."""
    return max(1, (cores or available_cores()) // max(1, workers))


def limit_threads(threads: int) -> None:
    """Give this process (and the workers it starts) `threads` threads in onnxruntime and torch, and
    BLAS_THREADS in the BLAS and OpenMP pools."""
    global _threads
    _threads = max(1, threads)
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(BLAS_THREADS)
    if any(name in sys.modules for name in ("numpy", "scipy", "sklearn", "torch")):
        # Already loaded (a library imported before the limit was known): limit its pools at run time.
        from threadpoolctl import threadpool_limits

        threadpool_limits(BLAS_THREADS)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(_threads)


def thread_count() -> int:
    """The threads set by `limit_threads`, else every core (a process alone on the machine)."""
    return _threads or available_cores()
