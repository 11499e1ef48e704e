"""`newsfuse fuse`, `newsfuse report` and `newsfuse run` on the seeds, end to end."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.seed


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A database holding the seeds, run through every stage by `newsfuse run`."""
    from click.testing import CliRunner

    from newsfuse.cli import main

    tmp = tmp_path_factory.mktemp("run")
    db, out = str(tmp / "db.sqlite"), tmp / "out"
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--db", db, *args], catch_exceptions=False)

    result = invoke("run", str(SEEDS), "--out", str(out), "--json")
    return invoke, json.loads(result.output), out


def test_run_writes_one_report_per_story_and_an_index(seeded):  # type: ignore[no-untyped-def]
    _, summary, out = seeded
    outputs = summary["outputs"]
    assert str(out / "index.html") in outputs
    for suffix in (".html", ".json", ".md"):
        assert sum(p.endswith(suffix) for p in outputs if "/stories/" in p) == 1


def test_fuse_is_incremental(seeded):  # type: ignore[no-untyped-def]
    invoke, _, _ = seeded
    result = invoke("fuse", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"fused": []}


def test_report_json_for_a_stored_story(seeded):  # type: ignore[no-untyped-def]
    invoke, summary, _ = seeded
    story_json = [p for p in summary["outputs"] if p.endswith(".json") and "/stories/" in p][0]
    story_id = json.loads(open(story_json, encoding="utf-8").read())["id"]
    result = invoke("report", story_id, "--format", "json")
    assert result.exit_code == 0
    assert {a["outlet"] for a in json.loads(result.output)["articles"]} == {"TBS News", "Al Jazeera", "TASS"}


def test_report_on_unknown_story_is_a_clear_error(seeded):  # type: ignore[no-untyped-def]
    invoke, _, _ = seeded
    result = invoke("report", "no-such-story", "--format", "md")
    assert result.exit_code == 1
    assert "no story 'no-such-story'" in result.output


# Libraries that load models or fit them: a command that only reads stored results must not import them
# (importing scikit-learn and scipy alone took 1.8 s of the 2.7 s `report --format json` used to take).
HEAVY = ("numpy", "scipy", "sklearn", "spacy", "onnxruntime", "onnx", "datasketch", "torch", "tokenizers", "pandas",
         "py3langid", "trafilatura")


def _imported_by(*args: str) -> list[str]:
    """The heavy modules the CLI imports to run `args`, in a fresh interpreter (this tree's newsfuse)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import newsfuse

    code = ("import json, sys\nfrom newsfuse.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(newsfuse.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_reading_stored_results_loads_no_model_library(seeded):  # type: ignore[no-untyped-def]
    invoke, summary, _ = seeded
    db = summary["db"]
    story_json = [p for p in summary["outputs"] if p.endswith(".json") and "/stories/" in p][0]
    story_id = json.loads(open(story_json, encoding="utf-8").read())["id"]
    assert _imported_by("--help") == []
    assert _imported_by("--db", db, "report", story_id, "--format", "json") == []
    assert _imported_by("--db", db, "report", story_id, "--format", "html") == []
    assert _imported_by("--db", db, "stories", "--json") == []
    assert _imported_by("--db", db, "entities", "--json") == []
    assert _imported_by("--db", db, "articles", "--json") == []
