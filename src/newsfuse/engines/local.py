"""The local engine: shards processed in this process, or in a pool of worker processes (the default)."""

from __future__ import annotations

import concurrent.futures
import multiprocessing

from newsfuse import pipeline
from newsfuse.engines import EngineOptions, ShardDone
from newsfuse.ingest import ReadOptions
from newsfuse.store.shards import ShardDir
from newsfuse.text.threads import limit_threads


def run(shards: ShardDir, names: list[str], read: ReadOptions, options: EngineOptions,
        on_shard: ShardDone | None = None) -> None:
    """Process the shards with `options.workers` processes of `options.threads` threads each."""
    if options.workers <= 1 or len(names) == 1:
        for name in names:
            pipeline.process_shard(shards, name, read, options.analyse)
            if on_shard:
                on_shard(name)
        return
    # Spawned, not forked: the parent may hold threads (a database pool, a progress bar) a fork would copy
    # in an unknown state; each worker loads the models once and keeps them for all its shards.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=min(options.workers, len(names)), mp_context=context,
                                                initializer=_start_worker, initargs=(options.threads, options.analyse)) as pool:
        futures = {pool.submit(pipeline.process_shard, shards, name, read, options.analyse): name for name in names}
        for future in concurrent.futures.as_completed(futures):
            future.result()
            if on_shard:
                on_shard(futures[future])


def _start_worker(threads: int, analyse: bool) -> None:
    limit_threads(threads)
    if analyse:
        pipeline.load_models()
