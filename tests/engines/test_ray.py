"""The ray engine (Ray in local mode, a few articles) gives exactly what the local engine gives."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.store.shards import ShardDir
from tests.conftest import EXAMPLES, ROOT, require

# Two stories of two and three articles, in three shards.
ARTICLES = ("rates-coastline-times-2025-03-11.txt", "rates-nordwire-2025-03-11.txt",
            "shooting-1-coastline-times-2025-03-11.txt", "shooting-1-harbor-daily-2025-03-11.txt",
            "shooting-2-harbor-daily-2025-03-14.txt", "shooting-2-nordwire-2025-03-14.txt")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copy(EXAMPLES / "articles" / name, folder / name)
    return folder


def run(tmp_path: Path, corpus: Path, engine: str, *extra: str) -> dict:
    args = ["--db", str(tmp_path / f"{engine}.sqlite"), "run", str(corpus), "--out", str(tmp_path / f"{engine}-out"),
            "--shards", str(tmp_path / f"{engine}-shards"), "--shard-size", "2", "--engine", engine,
            "--workers", "2", "--json", *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def shard_rows(root: Path) -> list[dict]:
    shards = ShardDir(root)
    return [row for name in shards.plan()["shards"] for row in shards.read_output(name)]


def _first_difference(a: object, b: object) -> tuple[str, str]:
    """The two values around where they first differ (analyses are long JSON strings)."""
    a, b = str(a), str(b)
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return a[max(0, at - 200):at + 200], b[max(0, at - 200):at + 200]


def reports(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_ray_engine_writes_the_same_shards_articles_stories_and_facts_as_local(tmp_path, corpus):
    require("ray", "the ray engine needs the extra: pip install 'newsfuse[ray]'")
    local = run(tmp_path, corpus, "local")
    ray = run(tmp_path, corpus, "ray")
    assert local["ingested"] == ray["ingested"] == len(ARTICLES)
    ray_rows, local_rows = shard_rows(tmp_path / "ray-shards"), shard_rows(tmp_path / "local-shards")
    assert len(ray_rows) == len(local_rows)
    for ray_row, local_row in zip(ray_rows, local_rows):
        differ = [key for key in local_row if ray_row.get(key) != local_row[key]]
        assert not differ, (local_row["location"], differ, [_first_difference(ray_row[k], local_row[k]) for k in differ])
    local_reports, ray_reports = reports(tmp_path / "local-out"), reports(tmp_path / "ray-out")
    assert sum(name.endswith(".json") and "stories/" in name for name in local_reports) >= 2
    assert ray_reports == local_reports


def readme_cluster_command() -> list[str]:
    """The `newsfuse --db postgresql://... run ... --engine ray --ray-address ...` line the README gives."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Running at scale"):]
    line = next(ln for ln in section.splitlines() if ln.startswith("newsfuse --db postgresql://"))
    return shlex.split(line)


def with_values(args: list[str], values: dict[str, str], inputs: str) -> list[str]:
    out, skip = [], False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in values:
            out += [arg, values[arg]]
            skip = True
        elif not arg.startswith("-") and args[i - 1] == "run":
            out.append(inputs)
        else:
            out.append(arg)
    assert set(values) <= set(out), f"the README command lacks {set(values) - set(out)}"
    return out


@pytest.mark.slow
def test_the_readme_command_runs_on_an_existing_ray_cluster_into_postgresql(tmp_path, corpus, postgres_url):
    ray = require("ray", "the ray engine needs the extra: pip install 'newsfuse[ray]'")
    args = readme_cluster_command()
    assert args[:1] == ["newsfuse"] and "--engine" in args and "--ray-address" in args
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)  # the "existing cluster"
    try:
        address = ray.get_runtime_context().gcs_address
        command = with_values(args[1:], {"--db": postgres_url, "--shards": str(tmp_path / "shards"),
                                         "--out": str(tmp_path / "out"), "--ray-address": address, "--workers": "2"},
                              str(corpus))
        done = subprocess.run([sys.executable, "-m", "newsfuse", *command, "--json"], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=900)
    finally:
        ray.shutdown()
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["ingested"] == len(ARTICLES)
    from newsfuse.store import open_store

    with open_store(postgres_url) as store:
        assert store.count_articles() == len(ARTICLES)
        assert any(len(s.article_ids) >= 2 for s in store.stories())
