"""Story grouping accuracy on the GVA violent corpus (SemEval-2018 task 5), streamed in date order.

    .venv/bin/python bench/stories_gva.py                 # report: < 2016 (dev), 2016-2017 (held out), all; baseline
    .venv/bin/python bench/stories_gva.py --sample 800    # quick check on the first articles only
    .venv/bin/python bench/stories_gva.py --horizon 365   # bounded index: forget stories a year old
    .venv/bin/python bench/stories_gva.py --dev-only      # the tuning years alone (and overlaid), no held-out look

The models are fitted by `bench/stories_train.py` on the dev parts of every kind of news (GVA < 2016 among
them). Articles, features and embeddings are cached under bench/out/stories/ (stories_data.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "gva_semeval2018t5" / "violent_corpus.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.models import Article  # noqa: E402

# The tuning (dev) years end here; 2016-2017 is held out.
TUNE_BEFORE = "2016-01-01"
# Run the rows through newsfuse's cleaner first, as `newsfuse ingest` would.
CLEAN = True


def outlet_of(url: str) -> str:
    """The original host inside a web.archive.org URL."""
    inner = url.split("/web/", 1)[-1]
    inner = inner.split("/", 1)[1] if "/" in inner else inner
    return urlparse(inner if "://" in inner else "http://" + inner).hostname or "?"


def load_gva() -> list[dict]:
    """Rows in stream order, without the ids filed under several incidents."""
    rows = [json.loads(line) for line in gzip.open(DATA, "rt", encoding="utf-8")]
    incidents: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        incidents[row["id"]].add(row["incident_id"])
    kept = [r for r in rows if len(incidents[r["id"]]) == 1]
    seen: set[str] = set()
    unique = []
    for row in kept:
        if row["id"] not in seen:
            seen.add(row["id"])
            unique.append(row)
    return unique


def to_article(row: dict) -> Article:
    """The row as newsfuse would store it: run through the cleaner (boilerplate removal), date and outlet from the row."""
    from newsfuse.clean import clean_document
    from newsfuse.models import RawDocument

    text = row.get("text") or ""
    if CLEAN:
        raw = RawDocument("text", row["id"], f"{row.get('title') or ''}\n\n{text}".encode(), {"title": row.get("title")})
        try:
            text = clean_document(raw).article.text
        except Exception:  # an empty page: keep what there is
            pass
    return Article(
        id=row["id"], title=row.get("title") or "", text=text, paragraphs=tuple(p for p in text.split("\n\n") if p),
        outlet=outlet_of(row.get("url", "")), outlet_found_by="url", published=row["dct"],
        published_found_by="metadata", language="en", url=row.get("url"),
    )


def main() -> None:
    import stories_data as sd
    import stories_eval as se
    from stories_baseline import single_pass, tuned

    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--horizon", type=int, help="forget stories and keys this many days old (bounded index)")
    parser.add_argument("--dev-only", action="store_true", help="only the tuning years (as they came and overlaid)")
    args = parser.parse_args()
    feats, gold, part = sd.stream_features("gva")
    if args.sample:
        feats, gold, part = feats[: args.sample], gold[: args.sample], part[: args.sample]
    dev = [i for i, p in enumerate(part) if p == "dev"]
    test = [i for i, p in enumerate(part) if p == "test"]
    dev_f, dev_g = [feats[i] for i in dev], [gold[i] for i in dev]
    dense_f, dense_g = se.overlaid(dev_f, dev_g)
    runs = [("<2016", dev_f, dev_g), ("<2016 dense", dense_f, dense_g)]
    if not args.dev_only:
        runs += [("2016-2017", [feats[i] for i in test], [gold[i] for i in test]), ("all", feats, gold)]
    results = {}
    for name, f, g in runs:
        if not f:
            continue
        start = time.perf_counter()
        pred = se.stream(f, horizon_days=args.horizon)
        elapsed = time.perf_counter() - start
        results[name] = se.report(pred, g)
        print(se.fmt(name, results[name]), f"\n{'':<14} assignment {len(f) / elapsed:.0f} articles/s", flush=True)
    threshold, dev_scores = tuned(dev_f, dev_g, se.scores)
    results["baseline <2016"] = {"all": {**dev_scores, "threshold": threshold}}
    print(se.fmt(f"baseline <2016 (TF-IDF single pass, threshold {threshold})", {"all": dev_scores}))
    if not args.dev_only and test:
        base = se.scores(single_pass([feats[i] for i in test], threshold), [gold[i] for i in test])
        results["baseline 2016-2017"] = {"all": {**base, "threshold": threshold}}
        print(se.fmt(f"baseline 2016-2017 (TF-IDF single pass, threshold {threshold})", {"all": base}))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
