"""Wall and CPU seconds of a block of work, counting the worker processes it finished (for `run`'s phases)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def phase(phases: dict[str, dict[str, float]], name: str) -> Iterator[None]:
    """Record the wall and CPU seconds (this process and its finished children) the block takes."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    yield
    phases[name] = {"wall_s": round(time.perf_counter() - wall, 3), "cpu_s": round(cpu_seconds() - cpu, 3)}


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished child processes (this process only where not POSIX)."""
    try:
        import resource
    except ImportError:  # not POSIX: this process only
        return time.process_time()
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
