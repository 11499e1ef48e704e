"""The acceptance reads on ECB+ events: write their documents as JSONL, then count what the reports show.

    python bench/ecb_read.py write 9ecbplus 12ecb 19ecb --out /tmp/read.jsonl   # one JSONL, file order
    newsfuse --db /tmp/read.sqlite run /tmp/read.jsonl --out /tmp/read        # the whole job, as a user runs it
    python bench/ecb_read.py count /tmp/read.sqlite [--list]                   # grouping and fusion figures

`write` takes ECB+ subtopics (`../shared/data/ecbplus`, read in place, never copied into the repository) and
writes `id`, `title`, `text`, `url`, and `published` only where the URL holds a date. `count` prints, for the
stories of two or more articles: conflicts, facts and disputed facts, and grouping against the subtopics
(B-cubed precision / recall / F1, each document's gold story its subtopic); `--list` prints every conflict.
The figures of BENCHMARKS' "Read on ECB+ dev stories, fourth session" come from these commands.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus" / "ecbplus_docs.jsonl.gz"


def write(subtopics: list[str], out: Path) -> int:
    wanted, n = set(subtopics), 0
    with out.open("w", encoding="utf-8") as sink:
        for line in gzip.open(DOCS, "rt", encoding="utf-8"):
            doc = json.loads(line)
            if doc["subtopic"] not in wanted:
                continue
            record = {"id": doc["doc_id"], "title": doc["title"], "text": doc["text"], "url": doc["url"]}
            dated = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", doc["url"] or "")
            if dated:
                record["published"] = "-".join(dated.groups())
            sink.write(json.dumps(record) + "\n")
            n += 1
    return n


def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    in_pred, in_gold = Counter(pred.values()), Counter(gold.values())
    both = Counter((pred[i], gold[i]) for i in pred)
    p = sum(both[(pred[i], gold[i])] / in_pred[pred[i]] for i in pred) / len(pred)
    r = sum(both[(pred[i], gold[i])] / in_gold[gold[i]] for i in pred) / len(pred)
    return p, r, 2 * p * r / (p + r)


def count(db: str, listing: bool) -> None:
    from newsfuse import api

    store = api.open_db(db)
    conflicts = facts = disputed = 0
    pred, gold = {}, {}
    for story in api.list_stories(store, limit=None):
        for article_id in story.article_ids:
            external = api.get_article(store, article_id).external_id or article_id
            pred[external], gold[external] = story.id, external.split("_")[0]
        if len(story.article_ids) < 2:
            continue
        fused = api.get_fused(store, story.id)
        conflicts += len(fused.conflicts)
        facts += len(fused.facts)
        disputed += sum(1 for fact in fused.facts if fact.disputed)
        for c in fused.conflicts if listing else ():
            print(f"{story.id[:9]} {c.slot} | {c.about[:60]} | " + " / ".join(v.value for v in c.values)[:120])
    p, r, f = b_cubed(pred, gold)
    print(f"stories {len(set(pred.values()))} of {len(pred)} articles (gold {len(set(gold.values()))}); "
          f"B-cubed P/R/F1 {p:.3f}/{r:.3f}/{f:.3f}; conflicts {conflicts}, facts {facts}, disputed facts {disputed}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    w = commands.add_parser("write")
    w.add_argument("subtopics", nargs="+")
    w.add_argument("--out", type=Path, required=True)
    c = commands.add_parser("count")
    c.add_argument("db")
    c.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.command == "write":
        print(f"wrote {write(args.subtopics, args.out)} documents to {args.out}")
    else:
        count(args.db, args.list)
