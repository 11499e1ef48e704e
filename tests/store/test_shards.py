"""Shard files: the split, the completion markers, and a split of other inputs refused."""

from __future__ import annotations

import json

import pytest

from newsfuse import pipeline
from newsfuse.errors import NewsfuseError
from newsfuse.ingest import ReadOptions
from newsfuse.store.shards import ShardDir
from tests.conftest import EXAMPLES


@pytest.fixture
def jsonl(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "wire.jsonl"
    lines = [json.dumps({"id": f"w{i}", "title": f"Harbour ferry report {i}", "published": "2025-03-0{i}",
                         "outlet": "Harbor Daily", "text": f"The harbour ferry ran late on day {i}. " * 5})
             for i in range(1, 8)]
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_jsonl_file_is_split_by_document_and_a_bad_line_stays_a_failure(tmp_path, jsonl):
    shards = ShardDir(tmp_path / "shards")
    names = pipeline.split_inputs([str(jsonl)], shards, ReadOptions(), shard_size=3)
    assert names == ["shard-00000", "shard-00001", "shard-00002"]
    rows = [row for name in names for row in shards.read_input(name)]
    assert [r["location"] for r in rows] == [f"{jsonl}:{i}" for i in range(1, 9)]
    assert [r["failure"] is not None for r in rows] == [False, False, False, True, False, False, False, False]


def test_files_are_units_read_by_the_shard_and_processing_writes_a_marker(tmp_path):
    shards = ShardDir(tmp_path / "shards")
    names = pipeline.split_inputs([str(EXAMPLES / "articles")], shards, ReadOptions(), shard_size=10)
    assert len(names) == 2 and {r["kind"] for r in shards.read_input(names[0])} == {"file"}
    assert not shards.done(names[1])
    count = pipeline.process_shard(shards, names[1], ReadOptions())
    output = shards.read_output(names[1])
    assert shards.done(names[1]) and count == len(output) == 8
    first = output[0]
    assert json.loads(first["article"])["id"] == json.loads(first["analysis"])["article_id"]
    assert first["content"] == open(first["location"], "rb").read()


def test_the_same_inputs_resume_a_split_and_other_inputs_are_refused(tmp_path, jsonl):
    shards = ShardDir(tmp_path / "shards")
    names = pipeline.split_inputs([str(jsonl)], shards, ReadOptions(), shard_size=3)
    assert pipeline.split_inputs([str(jsonl)], shards, ReadOptions(), shard_size=5) == names
    with pytest.raises(NewsfuseError, match="split from other inputs"):
        pipeline.split_inputs([str(EXAMPLES / "articles")], shards, ReadOptions(), shard_size=3)
