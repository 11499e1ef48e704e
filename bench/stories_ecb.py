"""Story grouping on ECB+ (982 documents, 86 seminal events; every topic holds two similar events).

    .venv/bin/python bench/stories_ecb.py            # file order and a seeded shuffle
    .venv/bin/python bench/stories_ecb.py --json out.json

There are no publication dates, so the time channels are neutral: this measures the text and entity
channels on their own, on the hard case of two same-type events per topic.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "ecbplus_docs.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.models import Article  # noqa: E402
from newsfuse.stories import features  # noqa: E402
from stories_gva import fmt, report, stream  # noqa: E402

SHUFFLE_SEED = 13


def to_article(doc: dict) -> Article:
    text = doc["text"]
    outlet = urlparse(doc.get("url") or "").hostname
    return Article(
        id=doc["doc_id"], title=doc.get("title") or "", text=text, paragraphs=(text,), outlet=outlet,
        outlet_found_by="url", published=None, published_found_by=None, language="en", url=doc.get("url"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    docs = [json.loads(line) for line in gzip.open(DATA, "rt", encoding="utf-8")]
    feats = [features.article_features(to_article(d)) for d in docs]
    gold = [d["subtopic"] for d in docs]
    order = list(range(len(docs)))
    shuffled = order[:]
    random.Random(SHUFFLE_SEED).shuffle(shuffled)
    results = {}
    for name, idx in (("file order", order), ("shuffled", shuffled)):
        results[name] = report(stream([feats[i] for i in idx]), [gold[i] for i in idx])
        print(fmt(name, results[name]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
