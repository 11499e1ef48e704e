"""Shard files: inputs split into Parquet shards, each processed into an output shard with a completion marker.

A shard directory holds `plan.json` (the inputs and the shard names, written once the split is complete),
`input/NAME.parquet` (what to read: whole files, or documents already read from line-oriented inputs),
`output/NAME.parquet` (per document: where it came from, the original bytes, the cleaned article and its
analysis as JSON, or why it failed) and `output/NAME.done` once that shard is complete, `output/NAME.loaded`
once it is in the database. Every file is written under a temporary name and renamed into place, so a
killed run leaves either a whole file or none, and a re-run picks up from the markers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsfuse.errors import NewsfuseError

PLAN = "plan.json"
PLAN_VERSION = 1


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    text, binary = pa.string(), pa.binary()
    inputs = pa.schema([("kind", text), ("location", text), ("content", binary), ("declared", text),
                        ("failure", text)])
    outputs = pa.schema([("kind", text), ("location", text), ("content", binary), ("declared", text),
                         ("article", text), ("analysis", text), ("failure", text)])
    return inputs, outputs




class ShardDir:
    """One run's shard directory: its plan, input and output shards, and their markers."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def input_path(self, name: str) -> Path:
        return self.root / "input" / f"{name}.parquet"

    def output_path(self, name: str) -> Path:
        return self.root / "output" / f"{name}.parquet"

    # ------------------------------------------------------------ plan

    def plan(self) -> dict[str, Any] | None:
        """The finished split (inputs, shard names, shard size), or None when the split never completed."""
        try:
            return json.loads((self.root / PLAN).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise NewsfuseError(f"shard directory {self.root}: unreadable {PLAN} ({exc}); remove the directory"
                                " or pass another --shards") from exc

    def write_plan(self, inputs: Sequence[str], names: Sequence[str], shard_size: int) -> None:
        plan = {"version": PLAN_VERSION, "inputs": list(inputs), "shards": list(names), "shard_size": shard_size}
        _atomic_write(self.root / PLAN, json.dumps(plan, indent=1).encode())

    def check_inputs(self, inputs: Sequence[str]) -> list[str] | None:
        """The shard names of a finished split of these inputs; None when there is none yet."""
        plan = self.plan()
        if plan is None:
            return None
        if plan.get("version") != PLAN_VERSION or plan.get("inputs") != list(inputs):
            raise NewsfuseError(
                f"shard directory {self.root} was split from other inputs ({', '.join(plan.get('inputs', []))});"
                " pass a new --shards directory, or the same inputs to resume")
        return list(plan["shards"])

    # ------------------------------------------------------------ shards

    def write_input(self, name: str, rows: Iterable[dict[str, Any]]) -> None:
        _write_table(self.input_path(name), rows, _schemas()[0])

    def read_input(self, name: str) -> list[dict[str, Any]]:
        return _read_table(self.input_path(name))

    def write_output(self, name: str, rows: Iterable[dict[str, Any]]) -> None:
        """Write an output shard, then its completion marker."""
        _write_table(self.output_path(name), rows, _schemas()[1])
        _atomic_write(self.output_path(name).with_suffix(".done"), b"")

    def read_output(self, name: str) -> list[dict[str, Any]]:
        return _read_table(self.output_path(name))

    def done(self, name: str) -> bool:
        return self.output_path(name).with_suffix(".done").exists()

    def loaded(self, name: str) -> bool:
        return self.output_path(name).with_suffix(".loaded").exists()

    def mark_loaded(self, name: str) -> None:
        _atomic_write(self.output_path(name).with_suffix(".loaded"), b"")


def shard_name(index: int) -> str:
    return f"shard-{index:05d}"


def _write_table(path: Path, rows: Iterable[dict[str, Any]], schema: Any) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(rows)
    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    pq.write_table(table, tmp, compression="zstd")
    _sync_and_rename(tmp, path)


def _read_table(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path).to_pylist()
    except (OSError, ValueError) as exc:
        raise NewsfuseError(f"shard {path}: unreadable ({exc}); remove its shard directory and run again") from exc


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_bytes(data)
    _sync_and_rename(tmp, path)


def _sync_and_rename(tmp: Path, path: Path) -> None:
    # fsync before the rename: after a crash the name points at a whole file, never at a hole.
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
