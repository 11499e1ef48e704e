"""Story grouping accuracy on the GVA violent corpus (SemEval-2018 task 5), streamed in date order.

    .venv/bin/python bench/stories_gva.py                 # report: < 2016 (tuning), 2016-2017, all
    .venv/bin/python bench/stories_gva.py --train         # refit the join model on < 2016, print WEIGHTS
    .venv/bin/python bench/stories_gva.py --sweep         # join threshold sweep on < 2016
    .venv/bin/python bench/stories_gva.py --sample 800    # quick check on the first articles only

Features are cached under /tmp (keyed by the features version) so reruns only cost the assignment.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "gva_semeval2018t5" / "violent_corpus.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))

from newsfuse.models import Article  # noqa: E402
from newsfuse.stories import assign, features  # noqa: E402
from newsfuse.stories.index import StoryIndex  # noqa: E402

CACHE = Path("/tmp/newsfuse_stories_cache")
TUNE_BEFORE = "2016-01-01"
# Run the rows through newsfuse's cleaner first, as `newsfuse ingest` would.
CLEAN = True
# Inverse regularisation of both logistic models: on < 2016, C 0.3 / 1 / 3 gave B-cubed F1 0.934 /
# 0.936 / 0.934 and pairwise F1 0.810 / 0.818 / 0.807.
REGULARISATION_C = 1.0


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


def cached_features(rows: list[dict]) -> list[features.ArticleFeatures]:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"gva_{features.FEATURES_VERSION}_{len(rows)}{'_clean' if CLEAN else ''}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    feats = [features.article_features(to_article(r)) for r in rows]
    path.write_bytes(pickle.dumps(feats))
    return feats


# ---------------------------------------------------------------- metrics

def pair_count(n: int) -> int:
    return n * (n - 1) // 2


def scores(pred: list[str], gold: list[str]) -> dict[str, float]:
    """B-cubed and pairwise precision, recall and F1, and the cluster counts."""
    cells = Counter(zip(pred, gold))
    psize, gsize = Counter(pred), Counter(gold)
    n = len(pred)
    b_p = sum(c * c / psize[p] for (p, _), c in cells.items()) / n
    b_r = sum(c * c / gsize[g] for (_, g), c in cells.items()) / n
    tp = sum(pair_count(c) for c in cells.values())
    pp, gp = sum(pair_count(c) for c in psize.values()), sum(pair_count(c) for c in gsize.values())
    p_p = tp / pp if pp else 1.0
    p_r = tp / gp if gp else 1.0
    return {
        "b3_p": b_p, "b3_r": b_r, "b3_f1": f1(b_p, b_r), "pair_p": p_p, "pair_r": p_r, "pair_f1": f1(p_p, p_r),
        "articles": n, "stories": len(psize), "gold": len(gsize),
    }


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def report(pred: list[str], gold: list[str]) -> dict[str, dict[str, float]]:
    sizes = Counter(gold)
    multi = [i for i, g in enumerate(gold) if sizes[g] >= 2]
    return {
        "all": scores(pred, gold),
        "incidents_2plus": scores([pred[i] for i in multi], [gold[i] for i in multi]),
    }


# ---------------------------------------------------------------- streaming

def stream(feats: list[features.ArticleFeatures], weights=assign.WEIGHTS, threshold=assign.JOIN_THRESHOLD,
           join_weights=None) -> list[str]:
    assigner = assign.Assigner(StoryIndex(), weights, threshold, join_weights)
    return [assigner.assign(f).story_id for f in feats]


def training_pairs(feats: list[features.ArticleFeatures], gold: list[str], weights=assign.WEIGHTS):
    """Oracle stream: every candidate of every article, labelled by whether it is the gold story; and
    the join-model rows (join_values of the best candidate under `weights`, right or not)."""
    index = StoryIndex()
    rows, labels, missed, with_story, tops = [], [], 0, 0, []
    seen: set[str] = set()
    for feat, g in zip(feats, gold):
        article = index.weigh(feat)
        keys = index.lookup_keys(article)
        cands = index.candidates(article, keys)
        ranked = []
        for story in cands:
            values = assign.channels(article, story)
            rows.append(values)
            labels.append(int(story.id == g))
            ranked.append((assign.probability(values, weights), story, values))
        if ranked:
            ranked.sort(key=lambda item: -item[0])
            tops.append((assign.join_values(ranked), int(ranked[0][1].id == g)))
        if g in seen:
            with_story += 1
            missed += not any(s.id == g for s in cands)
        state = index.story(g) or assign.StoryState(id=g)
        index.add_to_story(state, article, index.lookup_keys(article, posting=True))
        seen.add(g)
    print(f"candidate recall: {1 - missed / max(1, with_story):.3f} ({missed} of {with_story} follow-ups missed)")
    return rows, labels, tops


def train(feats, gold) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Fit the rank model on every candidate pair, then the join model on the best-ranked candidates."""
    from sklearn.linear_model import LogisticRegression

    rows, labels, _ = training_pairs(feats, gold)
    model = LogisticRegression(C=REGULARISATION_C, max_iter=2000, fit_intercept=False)
    model.fit(rows, labels)
    weights = tuple(round(float(w), 2) for w in model.coef_[0])
    print(f"{len(rows)} pairs, {sum(labels)} positive")
    print("WEIGHTS =", weights, dict(zip(assign.CHANNELS, weights)))
    _, _, tops = training_pairs(feats, gold, weights)
    join = LogisticRegression(C=REGULARISATION_C, max_iter=2000, fit_intercept=False)
    join.fit([t[0] for t in tops], [t[1] for t in tops])
    join_weights = tuple(round(float(w), 2) for w in join.coef_[0])
    print(f"{len(tops)} best candidates, {sum(t[1] for t in tops)} right")
    print("JOIN_WEIGHTS =", join_weights)
    return weights, join_weights


def split(rows, feats):
    tune = [i for i, r in enumerate(rows) if r["dct"] < TUNE_BEFORE]
    test = [i for i, r in enumerate(rows) if r["dct"] >= TUNE_BEFORE]
    return tune, test


def fmt(name: str, res: dict[str, dict[str, float]]) -> str:
    out = []
    for part, s in res.items():
        out.append(
            f"{name:<10} {part:<16} B3 P/R/F1 {s['b3_p']:.3f}/{s['b3_r']:.3f}/{s['b3_f1']:.3f}  "
            f"pairwise P/R/F1 {s['pair_p']:.3f}/{s['pair_r']:.3f}/{s['pair_f1']:.3f}  "
            f"stories {s['stories']} (gold {s['gold']}, articles {s['articles']})"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--sample", type=int)
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    rows = load_gva()
    if args.sample:
        rows = rows[: args.sample]
    feats = cached_features(rows)
    gold = [str(r["incident_id"]) for r in rows]
    tune, test = split(rows, feats)
    if args.train:
        weights, join_weights = train([feats[i] for i in tune], [gold[i] for i in tune])
        for name, jw in (("rank score", ()), ("join model", join_weights)):
            res = report(stream([feats[i] for i in tune], weights, join_weights=jw), [gold[i] for i in tune])
            print(name)
            print(fmt("<2016", res))
        return
    if args.sweep:
        for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            res = report(stream([feats[i] for i in tune], threshold=threshold), [gold[i] for i in tune])
            print(f"threshold {threshold}")
            print(fmt("<2016", res))
        return
    results = {}
    for name, idx in (("<2016", tune), ("2016-2017", test), ("all", list(range(len(rows))))):
        if not idx:
            continue
        start = time.perf_counter()
        pred = stream([feats[i] for i in idx])
        elapsed = time.perf_counter() - start
        results[name] = report(pred, [gold[i] for i in idx])
        print(fmt(name, results[name]), f"\n{'':<10} assignment {len(idx) / elapsed:.0f} articles/s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
