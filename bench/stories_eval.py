"""What every story bench shares: B-cubed and pairwise scores, streaming with the shipped or given models,
cross-fitted streaming, and the dense overlay of a stream.

Cross-fitting: gold stories are split in CROSS_FOLDS folds by a hash of their id; each article's join
decision is made by trees fitted without its story's fold, so a tuning stream gives an honest figure for
a flexible model.
"""

from __future__ import annotations

import dataclasses
import sys
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsfuse.stories import assign, features  # noqa: E402
from newsfuse.stories.index import StoryIndex  # noqa: E402

CROSS_FOLDS = 2
# Prefixed to a story id before hashing it into a fold: another salt draws other folds (stories_train.py
# --fold-salt judges a choice over several draws; "" is the draw every figure before it used).
FOLD_SALT = ""
# The "dense" GVA stream: the tuning years overlaid in periods of this many days (52 weeks), see overlaid().
DENSE_PERIOD = 364


def pair_count(n: int) -> int:
    return n * (n - 1) // 2


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


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


def report(pred: list[str], gold: list[str]) -> dict[str, dict[str, float]]:
    sizes = Counter(gold)
    multi = [i for i, g in enumerate(gold) if sizes[g] >= 2]
    return {
        "all": scores(pred, gold),
        "incidents_2plus": scores([pred[i] for i in multi], [gold[i] for i in multi]),
    }


def fmt(name: str, res: dict[str, dict[str, float]]) -> str:
    out = []
    for part, s in res.items():
        out.append(
            f"{name:<14} {part:<16} B3 P/R/F1 {s['b3_p']:.3f}/{s['b3_r']:.3f}/{s['b3_f1']:.3f}  "
            f"pairwise P/R/F1 {s['pair_p']:.3f}/{s['pair_r']:.3f}/{s['pair_f1']:.3f}  "
            f"stories {s['stories']} (gold {s['gold']}, articles {s['articles']})"
        )
    return "\n".join(out)


def stream(feats: list[features.ArticleFeatures], weights=None, threshold=assign.JOIN_THRESHOLD,
           join_model="default", horizon_days: int | None = None) -> list[str]:
    """Story ids of the online assignment over the stream (the shipped models unless given)."""
    assigner = assign.Assigner(StoryIndex(horizon_days=horizon_days), weights, threshold, join_model)
    ids = [assigner.assign(f).story_id for f in feats]
    return [assigner.index.resolve(i) for i in ids]  # an article of a story merged later is in the merged story


def fold_of(story: str) -> int:
    return zlib.crc32((FOLD_SALT + story).encode()) % CROSS_FOLDS


def crossfit_stream(feats: list[features.ArticleFeatures], gold: list[str], models: list, weights=None,
                    threshold=assign.JOIN_THRESHOLD) -> list[str]:
    """The stream with each article's join decision made by the trees fitted without its story's fold."""
    assigner = assign.Assigner(StoryIndex(), weights, threshold, None)
    out = []
    for feat, g in zip(feats, gold):
        assigner.join_model = models[fold_of(g)]
        out.append(assigner.assign(feat).story_id)
    return [assigner.index.resolve(i) for i in out]


def overlaid(feats: list[features.ArticleFeatures], gold: list[str]) -> tuple[list, list[str]]:
    """A stream laid over its last year, a denser stream like GVA 2016's: every story moved by whole 52-week
    periods (weekdays kept) so that its first article falls in the latest year, the stream re-sorted by day
    (stable). Two shootings in one city a year apart become two in one week."""
    first: dict[str, int] = {}
    for feat, g in zip(feats, gold):
        if feat.day is not None:
            first[g] = min(first.get(g, feat.day), feat.day)
    if not first:
        return list(feats), list(gold)
    last = max(first.values())
    moved = []
    for n, (feat, g) in enumerate(zip(feats, gold)):
        shift = (last - first[g]) // DENSE_PERIOD * DENSE_PERIOD if g in first else 0
        if shift:
            feat = dataclasses.replace(feat, day=feat.day + shift if feat.day is not None else None,
                                       dates=tuple(d + shift for d in feat.dates))
        moved.append((feat.day if feat.day is not None else 0, n, feat, g))
    moved.sort(key=lambda item: (item[0], item[1]))
    return [m[2] for m in moved], [m[3] for m in moved]


def held_out(name: str, feats: list, gold: list[str], part: list[str], order=None) -> dict:
    """newsfuse (shipped models) on the dev and the held-out part of a stream, each fed as its own stream, and
    the TF-IDF single pass beside it (threshold chosen on dev). `order` reorders each part's indexes."""
    from stories_baseline import single_pass, tuned

    results: dict = {}
    parts = {}
    for which in ("dev", "test"):
        idx = [i for i, p in enumerate(part) if p == which]
        parts[which] = order(idx) if order else idx
    for which, idx in parts.items():
        if not idx:
            continue
        f, g = [feats[i] for i in idx], [gold[i] for i in idx]
        results[which] = scores(stream(f), g)
        print(fmt(f"{name} {which}", {"all": results[which]}), flush=True)
    dev_idx, test_idx = parts["dev"], parts["test"]
    threshold, dev_scores = tuned([feats[i] for i in dev_idx], [gold[i] for i in dev_idx], scores)
    results["baseline dev"] = {**dev_scores, "threshold": threshold}
    results["baseline test"] = {**scores(single_pass([feats[i] for i in test_idx], threshold),
                                         [gold[i] for i in test_idx]), "threshold": threshold}
    for which in ("baseline dev", "baseline test"):
        print(fmt(f"{name} {which} (TF-IDF single pass, threshold {threshold})", {"all": results[which]}), flush=True)
    return results


def held_out_main(kind: str, runs: dict) -> None:
    """The command line of a held-out bench: each named run (name -> its order of a part's indexes, or None
    for stream order) of held_out() on stream `kind`, written as JSON with --json."""
    import argparse
    import json
    from pathlib import Path

    import stories_data as sd

    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    feats, gold, part = sd.stream_features(kind)
    results = {name: held_out(name, feats, gold, part, order) for name, order in runs.items()}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
