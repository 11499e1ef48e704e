"""Same results before and after a change: stories, facts, quotes and entities on the examples and the seeds.

A cost change must not change what newsfuse finds. This runs the whole job (`api.run`) on the example
articles and the three seeds (../shared/seeds) into a fresh database and writes a digest of everything a
user sees: story memberships, every fused story (facts, conflicts, quotes, entities, framing, timeline,
summary), each article's quotes and linked mentions, and the canonical entities. Run it on the code
before a change with --save, and after with --compare:

    PYTHONPATH=/work/main/src python bench/same_results.py --save /tmp/before.json    # main
    PYTHONPATH=src python bench/same_results.py --compare /tmp/before.json            # this tree
    PYTHONPATH=src python bench/same_results.py --one-by-one --compare /tmp/before.json

--one-by-one analyses the articles one at a time, as they would arrive (each `analyse` links the new
article against the stored entities), before grouping and fusing; the digest must still be the same as
the batch run's. Exit status 1 when the digests differ (the differing keys are printed). The digest holds
text from the seeds, so it is written under /tmp, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples" / "articles"


def build(db: Path, out: Path, one_by_one: bool) -> None:
    """The whole job on the examples and the seeds, in one batch or analysing one article at a time."""
    from newsfuse import api

    store = api.open_db(db)
    inputs = [str(EXAMPLES), str(SEEDS)]
    if not one_by_one:
        api.run(inputs, store, out)
        return
    for path in sorted(EXAMPLES.glob("*.txt")) + sorted(SEEDS.glob("*.txt")):
        api.ingest([str(path)], store)
        api.analyse(store)
    api.cluster(store)
    api.fuse(store)
    api.write_reports(store, out)


def digest(db: Path) -> dict[str, Any]:
    """What a user sees, keyed so that two runs compare field by field (ids are content hashes)."""
    from newsfuse import api
    from newsfuse.models import to_dict
    from newsfuse.pipeline import load_analysis

    store = api.open_db(db)
    stories = {",".join(sorted(s.article_ids)): s.title for s in store.stories()}
    fused = {}
    for story in store.stories():
        stored = store.fused(story.id)
        if stored is not None:
            fused[",".join(sorted(story.article_ids))] = stored[2]
    analyses = {}
    for article in store.articles():
        analysis = load_analysis(store, article.id)
        if analysis is None:
            continue
        data = to_dict(analysis)
        analyses[article.id] = {
            "quotes": data["quotes"],
            "mentions": [(m["text"], m["start"], m["end"], m["part"], m["label"], m["entity_id"], m["link_evidence"])
                         for m in data["mentions"]],
        }
    entities = {e.id: to_dict(e) for e in store.entities()}
    return {"stories": stories, "fused": fused, "analyses": analyses, "entities": entities}


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """The paths at which two digests differ (at most a few per branch, so the report stays short)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = [f"{path}/{k}: only before" for k in before.keys() - after.keys()]
        out += [f"{path}/{k}: only after" for k in after.keys() - before.keys()]
        for key in sorted(before.keys() & after.keys()):
            out += differences(before[key], after[key], f"{path}/{key}")[:5]
        return out
    if before != after:
        return [f"{path}: {json.dumps(before, default=str)[:160]} → {json.dumps(after, default=str)[:160]}"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--save", type=Path, help="write the digest here")
    parser.add_argument("--compare", type=Path, help="compare the digest with one saved before")
    parser.add_argument("--one-by-one", action="store_true", help="analyse the articles one at a time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.sqlite"
        build(db, Path(tmp) / "out", args.one_by_one)
        now = digest(db)
    now = json.loads(json.dumps(now, default=str))  # tuples as lists, as a saved digest reads back
    counts = {k: len(v) for k, v in now.items()}
    print(f"digest: {counts}")
    if args.save:
        args.save.write_text(json.dumps(now, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        print(f"saved {args.save}")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        found = differences(before, now)
        for line in found[:60]:
            print(line)
        print("same results" if not found else f"{len(found)} differences")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
