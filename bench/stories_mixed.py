"""Story grouping on several kinds of news in one stream, built from the dev parts only.

    .venv/bin/python bench/stories_mixed.py                       # shipped models (their trees saw these parts)
    .venv/bin/python bench/stories_train.py --save models.pkl     # fit once as shipped, keep the folds ...
    .venv/bin/python bench/stories_mixed.py --load models.pkl     # ... and also cross-fitted (each story's
                                                                  #     joins by trees that never saw it)
    .venv/bin/python bench/stories_mixed.py --json out.json

The stream: each ECB+ dev topic's '*ecbplus' subtopic (one seminal event a topic, its documents; gold the
event), the NewsWCL50 even events, the last GVA_ARTICLES GVA dev (< 2016) articles in date order, and
UCI_PER_STORY headlines of each UCI dev story (seeded draw); gold ids are kind-prefixed, as
stories_train.py prefixes them (so folds match). Dated sources are moved by whole weeks onto the GVA
slice's days (weekdays kept; mentioned days and years moved with them), each to a seeded week inside it.
Undated documents stay undated and are only placed: on a seeded day of their story's dated span, or (ECB+,
and a NewsWCL50 event without a dated article) the story on a seeded day of the span and its documents over
the next SPREAD_DAYS days. Items of one day are interleaved
in a seeded order, each source keeping its own order within the day.

Reported: B-cubed and pairwise P/R/F1 over the stream, and per source: B-cubed is the source's articles'
share of the stream's B-cubed (cluster sizes counted over the whole stream, so a story holding two kinds
costs both), pairwise over the pairs with at least one article of the source. Beside it the TF-IDF single
pass (bench/stories_baseline.py) at its best threshold on this same dev stream. Nothing held out is read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_data as sd  # noqa: E402
import stories_eval as se  # noqa: E402
from stories_baseline import tuned  # noqa: E402

SEED = 7
GVA_ARTICLES = 200
UCI_PER_STORY = 5
SPREAD_DAYS = 2
SOURCES = ("gva", "ecb", "newswcl", "uci")


def _dev(kind: str) -> tuple[list, list[str]]:
    feats, gold, part = sd.stream_features(kind, embed_parts=("dev",))
    dev = [i for i, p in enumerate(part) if p == "dev"]
    return [feats[i] for i in dev], [f"{kind}:{gold[i]}" for i in dev]


def _moved(feat, days: int):  # type: ignore[no-untyped-def]
    years = round(days / 365.25)
    return dataclasses.replace(feat, day=feat.day + days if feat.day is not None else None,
                               dates=tuple(d + days for d in feat.dates), years=tuple(y + years for y in feat.years))


def mixed_stream(gva_articles: int = GVA_ARTICLES, uci_stories: int | None = None, uci_per_story: int = UCI_PER_STORY,
                 seed: int = SEED) -> tuple[list, list[str], list[str]]:
    """(features, gold, source) of the mixed dev stream in stream order: `uci_stories` UCI dev stories (seeded;
    None: all, 0: none), `uci_per_story` headlines of each (seeded; 0: all)."""
    rng = random.Random(seed)
    chosen: dict[str, tuple[list, list[str]]] = {}
    feats, gold = _dev("gva")
    chosen["gva"] = (feats[-gva_articles:], gold[-gva_articles:])
    first = min(f.day for f in chosen["gva"][0] if f.day is not None)
    last = max(f.day for f in chosen["gva"][0] if f.day is not None)
    feats, gold = _dev("ecb")
    keep = [i for i, g in enumerate(gold) if g.endswith("ecbplus")]
    chosen["ecb"] = ([feats[i] for i in keep], [gold[i] for i in keep])
    chosen["newswcl"] = _dev("newswcl")
    feats, gold = _dev("uci")
    by_story: dict[str, list[int]] = {}
    for i, g in enumerate(gold):
        by_story.setdefault(g, []).append(i)
    stories = sorted(by_story) if uci_stories is None else rng.sample(sorted(by_story), uci_stories)
    keep = sorted(i for g in stories for i in (rng.sample(by_story[g], min(uci_per_story, len(by_story[g])))
                                                if uci_per_story else by_story[g]))
    chosen["uci"] = ([feats[i] for i in keep], [gold[i] for i in keep])

    keyed = []
    for source in SOURCES:
        feats, gold = chosen[source]
        rng = random.Random(f"{seed} {source}")  # each source placed alike whatever the others hold
        days = [f.day for f in feats if f.day is not None]
        if days and source != "gva":  # onto a seeded week inside the GVA slice's span
            span = max(days) - min(days)
            target = first + rng.randrange(max(1, last - first - span + 1))
            shift = (target - min(days)) // 7 * 7
            feats = [_moved(f, shift) for f in feats]
        # An undated article is placed on a seeded day of its story's dated span; a story with no dated article
        # on a seeded day of the stream, its articles over the next SPREAD_DAYS days. They stay undated.
        spans: dict[str, list[int]] = {}
        for f, g in zip(feats, gold):
            if f.day is not None:
                spans.setdefault(g, []).append(f.day)
        for g in sorted(set(gold) - set(spans)):
            start = first + rng.randrange(last - first + 1)
            spans[g] = [start, start + SPREAD_DAYS]
        places = [f.day if f.day is not None else rng.randint(min(spans[g]), max(spans[g]))
                  for f, g in zip(feats, gold)]
        order = sorted(range(len(feats)), key=lambda i: (places[i], i))
        keys = sorted((places[i], rng.random()) for i in order)
        keyed += [(key, feats[i], gold[i], source) for key, i in zip(keys, order)]
    keyed.sort(key=lambda k: k[0])
    return [k[1] for k in keyed], [k[2] for k in keyed], [k[3] for k in keyed]


def per_source(pred: list[str], gold: list[str], source: list[str]) -> dict[str, dict[str, float]]:
    """Each source's articles' B-cubed (cluster sizes over the whole stream) and pairwise scores (pairs with at
    least one article of the source); and the stories holding articles of several sources."""
    cells = Counter(zip(pred, gold))
    psize, gsize = Counter(pred), Counter(gold)
    out = {}
    for s in SOURCES:
        idx = [i for i, src in enumerate(source) if src == s]
        if not idx:
            continue
        b_p = sum(cells[pred[i], gold[i]] / psize[pred[i]] for i in idx) / len(idx)
        b_r = sum(cells[pred[i], gold[i]] / gsize[gold[i]] for i in idx) / len(idx)
        mine = Counter(pred[i] for i in idx)
        mine_cells = Counter((pred[i], gold[i]) for i in idx)
        tp = sum(se.pair_count(c) for c in mine_cells.values())  # gold stories never span sources
        pp = sum(se.pair_count(psize[p]) - se.pair_count(psize[p] - c) for p, c in mine.items())
        gp = sum(se.pair_count(c) for g, c in Counter(gold[i] for i in idx).items())
        p_p, p_r = (tp / pp if pp else 1.0), (tp / gp if gp else 1.0)
        out[s] = {"b3_p": b_p, "b3_r": b_r, "b3_f1": se.f1(b_p, b_r), "pair_p": p_p, "pair_r": p_r,
                  "pair_f1": se.f1(p_p, p_r), "articles": len(idx), "stories": len(mine),
                  "gold": len({gold[i] for i in idx})}
    kinds: dict[str, set[str]] = {}
    for p, s in zip(pred, source):
        kinds.setdefault(p, set()).add(s)
    out["all"] = {**se.scores(pred, gold), "mixed_kind_stories": sum(len(k) > 1 for k in kinds.values())}
    return out


def show(name: str, res: dict) -> None:
    print(se.fmt(name, {part: res[part] for part in ("all", *SOURCES) if part in res}))
    print(f"{'':<14} stories holding several kinds: {res['all']['mixed_kind_stories']}", flush=True)


def main() -> None:
    from stories_baseline import single_pass

    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--load", type=Path, help="models saved by stories_train.py --save: also cross-fitted")
    parser.add_argument("--uci-stories", type=int, help="UCI dev stories in the stream (seeded; 0: none; default all)")
    parser.add_argument("--uci-per-story", type=int, default=UCI_PER_STORY, help="headlines of each (seeded; 0: all)")
    parser.add_argument("--seed", type=int, default=SEED, help="another draw of headlines and places")
    parser.add_argument("--save-pred", type=Path, help="pickle (features, gold, source, pred) for a reading")
    args = parser.parse_args()
    feats, gold, source = mixed_stream(uci_stories=args.uci_stories, uci_per_story=args.uci_per_story, seed=args.seed)
    counts = Counter(source)
    days = [f.day for f in feats if f.day is not None]
    print("mixed dev stream:", dict(counts), f"{len(set(gold))} gold stories over {max(days) - min(days) + 1} days",
          flush=True)
    results = {}
    pred = se.stream(feats)
    results["newsfuse (shipped models)"] = per_source(pred, gold, source)
    show("shipped", results["newsfuse (shipped models)"])
    if args.load:
        weights, _, folds = pickle.loads(args.load.read_bytes())
        crossed = se.crossfit_stream(feats, gold, folds, weights)
        results["newsfuse (cross-fitted)"] = per_source(crossed, gold, source)
        show("cross-fitted", results["newsfuse (cross-fitted)"])
    threshold, _ = tuned(feats, gold, se.scores)
    results["baseline"] = {**per_source(single_pass(feats, threshold), gold, source), "threshold": threshold}
    show(f"TF-IDF {threshold}", results["baseline"])
    if args.save_pred:
        args.save_pred.write_bytes(pickle.dumps((feats, gold, source, pred)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
