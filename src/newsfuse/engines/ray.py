"""The Ray engine: shards as a Ray Data dataset, processed by a pool of actors that each hold the models.

Needs the `ray` extra. Runs on a local Ray started (and stopped) here, or on an existing cluster given by
`ray_address`; the shard directory and the inputs must then be on storage every node can read and write
(a shared file system), and each node needs newsfuse installed. Ray's usage reporting is turned off.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import newsfuse
from newsfuse import pipeline
from newsfuse.engines import EngineOptions, ShardDone
from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions
from newsfuse.store.shards import ShardDir
from newsfuse.text.threads import limit_threads


class ShardWorker:
    """A Ray Data actor: loads the models once, then turns each input shard it is given into its output."""

    def __init__(self, root: str, read: ReadOptions, threads: int, analyse: bool) -> None:
        limit_threads(threads)
        if analyse:
            pipeline.load_models()
        self.shards = ShardDir(root)
        self.read = read
        self.analyse = analyse

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        names = [str(name) for name in batch["name"]]
        counts = [pipeline.process_shard(self.shards, name, self.read, self.analyse) for name in names]
        return {"name": names, "documents": counts}


def _same_code_env() -> dict[str, Any]:
    """A local Ray's workers import the newsfuse this process runs, wherever it was imported from (a source
    tree on sys.path rather than the installed package): otherwise they could analyse with other code."""
    package_root = str(Path(newsfuse.__file__).resolve().parents[1])
    paths = [package_root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != package_root]
    return {"env_vars": {"PYTHONPATH": os.pathsep.join(paths)}}


def run(shards: ShardDir, names: list[str], read: ReadOptions, options: EngineOptions,
        on_shard: ShardDone | None = None) -> None:
    """Process the shards on Ray Data with `options.workers` actors of `options.threads` CPUs each."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # before Ray starts: no usage report leaves this machine
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise NewsfuseError(f"the ray engine needs its extra: pip install 'newsfuse[ray]' ({exc})") from exc
    started = not ray.is_initialized()
    if started:
        if options.ray_address:
            ray.init(address=options.ray_address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(num_cpus=options.workers * options.threads, include_dashboard=False, log_to_driver=False,
                     logging_level=logging.WARNING, runtime_env=_same_code_env())
    logging.getLogger("ray.data").setLevel(logging.WARNING)  # its per-dataset INFO lines are noise here
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        dataset = ray.data.from_items([{"name": name} for name in names], override_num_blocks=len(names))
        processed = dataset.map_batches(
            ShardWorker, fn_constructor_kwargs={"root": str(shards.root.resolve()), "read": read,
                                                "threads": options.threads, "analyse": options.analyse},
            batch_size=1, compute=ray.data.ActorPoolStrategy(size=min(options.workers, len(names))),
            num_cpus=options.threads,
        )
        for row in processed.iter_rows():
            if on_shard:
                on_shard(str(row["name"]))
    finally:
        if started:
            ray.shutdown()
