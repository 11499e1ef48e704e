"""Export a database to Parquet files, one per table, and import them into another (any backend)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsfuse.errors import NewsfuseError
from newsfuse.store import schema
from newsfuse.store.base import Store

MANIFEST = "manifest.json"
# Rows read and written at a time: memory stays flat however large the table.
BATCH = 2_000
_ARROW_TYPES = {"TEXT": "string", "INTEGER": "int64", "REAL": "float64", "BLOB": "binary"}


def tables() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every table the migrations create, parents before children, with its (column, SQL type) pairs."""
    found: dict[str, list[tuple[str, str]]] = {}
    for _, _, sql in schema.MIGRATIONS:
        for statement in schema.statements(sql):
            created = re.match(r"\s*CREATE TABLE (\w+)\s*\((.*)\)", statement, flags=re.S)
            added = re.match(r"\s*ALTER TABLE (\w+) ADD COLUMN (\w+) (\w+)", statement)
            if created:
                found[created.group(1)] = [
                    (m.group(1), m.group(2)) for m in re.finditer(r"^\s*(\w+) (TEXT|INTEGER|REAL|BLOB)\b",
                                                                  created.group(2), flags=re.M)]
            elif added:
                found[added.group(1)].append((added.group(2), added.group(3).upper()))
    return list(found.items())


def export_parquet(store: Store, directory: str | Path) -> dict[str, int]:
    """Write every table of `store` to DIRECTORY/TABLE.parquet plus a manifest; rows per table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table, columns in tables():
        arrow = pa.schema([(name, getattr(pa, _ARROW_TYPES[kind])()) for name, kind in columns])
        with pq.ParquetWriter(out / f"{table}.parquet", arrow, compression="zstd") as writer:
            counts[table] = 0
            for batch in _batches(store.stream_rows(table, [name for name, _ in columns])):
                writer.write_table(pa.Table.from_pylist(
                    [dict(zip(arrow.names, row)) for row in batch], schema=arrow))
                counts[table] += len(batch)
    manifest = {"schema": sorted(v for v, _, _ in schema.MIGRATIONS), "from": store.location, "rows": counts}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return counts


def import_parquet(store: Store, directory: str | Path) -> dict[str, int]:
    """Load an export into an empty database, table by table in one transaction; rows per table."""
    import pyarrow.parquet as pq

    source = Path(directory)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NewsfuseError(f"{source} is not a newsfuse export ({MANIFEST}: {exc}); make one with "
                            "`newsfuse export --parquet DIR`") from exc
    unknown = set(manifest["schema"]) - {v for v, _, _ in schema.MIGRATIONS}
    if unknown:
        raise NewsfuseError(f"{source} comes from a newer newsfuse (migrations {sorted(unknown)}): upgrade first")
    if store.count_articles():
        raise NewsfuseError(f"{store.location} already holds articles: import into a new, empty database")
    counts = {}
    with store.transaction():
        for table, columns in tables():
            path = source / f"{table}.parquet"
            counts[table] = 0
            if not path.exists():
                continue
            names = [name for name, _ in columns]
            for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH, columns=names):
                rows = [tuple(row[n] for n in names) for row in batch.to_pylist()]
                store.insert_rows(table, names, rows)
                counts[table] += len(rows)
        store.after_import()
    return counts


def _batches(rows: Iterator[Any]) -> Iterator[list[Any]]:
    batch = []
    for row in rows:
        batch.append(tuple(row))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
