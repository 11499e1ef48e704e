"""Incremental linking against a full re-link on real news: how many mentions end in the same entity.

    python bench/link_agreement.py --articles 1000
    python bench/link_agreement.py --articles 1000 --write     # `## Incremental linking against a full re-link`

The first N GVA articles (../shared/data/gva_semeval2018t5, analysed once by bench/gva_corpus.py) are
linked two ways on copies of one database: all at once (`pipeline.relink_entities`), and one article at a
time as `newsfuse analyse` links a new one (each analysis stored, then `pipeline.link_pending`). The
figures: linked mentions whose entity is the same (same id, and same set of fellow mentions), entities
with the same members, and a few of the mentions that differ. On the examples and the seeds the two agree
exactly (tests/analyse/test_incremental_linking.py); a difference here is a case the lookup keys miss.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks_md import put_section  # noqa: E402
from gva_corpus import analysed_db, copy_as_current  # noqa: E402

SECTION = "## Incremental linking against a full re-link"


def corpus(articles: int, path: Path) -> Path:
    """The first `articles` articles of the analysed GVA corpus, without any link state."""
    copy_as_current(analysed_db(max(articles, 5000) if articles > 200 else 200), path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        last = conn.execute("SELECT seq FROM articles ORDER BY seq LIMIT 1 OFFSET ?", (articles - 1,)).fetchone()
        if last:
            conn.execute("DELETE FROM articles WHERE seq > ?", (last[0],))
    return path


def links(store) -> dict[tuple[str, int], str | None]:  # type: ignore[no-untyped-def]
    return {(r[0], r[1]): r[2] for r in store.conn.execute("SELECT article_id, idx, entity_id FROM link_nodes")}


def members(assigned: dict[tuple[str, int], str | None]) -> dict[tuple[str, int], frozenset]:
    groups: dict[str, set] = defaultdict(set)
    for node, entity in assigned.items():
        if entity:
            groups[entity].add(node)
    return {node: frozenset(groups[entity]) if entity else frozenset() for node, entity in assigned.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the two databases in this folder")
    args = parser.parse_args()
    from newsfuse import pipeline
    from newsfuse.store import open_store

    with tempfile.TemporaryDirectory(prefix="newsfuse-agreement-") as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            tmp = str(args.keep)
        full = open_store(corpus(args.articles, Path(tmp) / "full.sqlite"))
        started = time.process_time()
        pipeline.relink_entities(full)
        full_cpu = time.process_time() - started
        one = open_store(corpus(args.articles, Path(tmp) / "one.sqlite"))
        stored = one.conn.execute(
            "SELECT n.article_id, n.version, n.data FROM annotations n JOIN articles a ON a.id = n.article_id"
            " WHERE n.component = 'analysis' ORDER BY a.seq").fetchall()
        one.conn.execute("DELETE FROM annotations WHERE component = 'analysis'")
        started = time.process_time()
        for article_id, version, data in stored:
            one.put_annotation(article_id, "analysis", version, json.loads(data))
            pipeline.link_pending(one)
        one_cpu = time.process_time() - started
        a, b = links(full), links(one)
        ma, mb = members(a), members(b)
        linked = [n for n in a if a[n] or b.get(n)]
        same_id = sum(a[n] == b.get(n) for n in linked)
        same_group = sum(ma[n] == mb.get(n) for n in linked)
        groups_a = {g for g in ma.values() if g}
        groups_b = {g for g in mb.values() if g}
        differ = [n for n in linked if ma[n] != mb.get(n)][:8] or [n for n in linked if a[n] != b.get(n)][:8]
        examples = []
        for node in differ:
            text = json.loads(full.conn.execute("SELECT data FROM link_nodes WHERE article_id = ? AND idx = ?",
                                                node).fetchone()[0])["m"]["text"]
            examples.append(f"{text!r}: {a[node]} (all at once) / {b.get(node)} (one at a time)")
    result = {"articles": len(stored), "mentions": len(a), "linked": len(linked), "same_id": same_id,
              "same_group": same_group, "entities_full": len(groups_a), "entities_one": len(groups_b),
              "same_entities": len(groups_a & groups_b), "full_cpu": full_cpu, "one_cpu": one_cpu,
              "examples": examples}
    print(json.dumps(result, indent=1))
    text = (f"| articles | linked mentions | same entity id | same fellow mentions | entities (all at once / one at a "
            f"time) | entities with the same members | CPU s all at once / one at a time (sum) |\n"
            f"|---:|---:|---:|---:|---:|---:|---:|\n"
            f"| {result['articles']:,} | {result['linked']:,} | {100 * same_id / max(1, len(linked)):.2f}% "
            f"| {100 * same_group / max(1, len(linked)):.2f}% | {len(groups_a):,} / {len(groups_b):,} "
            f"| {len(groups_a & groups_b):,} | {full_cpu:.1f} / {one_cpu:.1f} |\n")
    if examples:
        text += "\nMentions that differ (first few): " + "; ".join(examples) + ".\n"
    print(text)
    if args.write:
        body = (f"{SECTION}\n\n`python bench/link_agreement.py --articles {args.articles} --write` — the first "
                f"{result['articles']:,} GVA articles linked all at once and one article at a time on copies of one "
                f"database (analyses relabelled current, see `bench/gva_corpus.py`), {dt.date.today().isoformat()} "
                f"(load {os.getloadavg()[0]:.1f}).\n\n{text}")
        put_section(body)


if __name__ == "__main__":
    main()
