"""Engines: run the per-article stages over shards, in a local process pool or on Ray Data (same output)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions
from newsfuse.store.shards import ShardDir

ENGINES = ("local", "ray")

ShardDone = Callable[[str], None]


@dataclass(frozen=True)
class EngineOptions:
    """How to run the shards: which engine, how many workers, threads per worker, an existing Ray cluster,
    and whether the shards are analysed (or only read and cleaned)."""

    engine: str = "local"
    workers: int = 1
    threads: int = 1
    ray_address: str | None = None
    analyse: bool = True


def process_shards(shards: ShardDir, names: list[str], read: ReadOptions, options: EngineOptions,
                   on_shard: ShardDone | None = None) -> list[str]:
    """Process every shard of `names` without a completion marker; the names processed now."""
    pending = [name for name in names if not shards.done(name)]
    if not pending:
        return []
    if options.engine == "local":
        from newsfuse.engines import local

        local.run(shards, pending, read, options, on_shard)
    elif options.engine == "ray":
        from newsfuse.engines import ray

        ray.run(shards, pending, read, options, on_shard)
    else:
        raise NewsfuseError(f"unknown engine {options.engine!r}: use one of {', '.join(ENGINES)}")
    return pending
