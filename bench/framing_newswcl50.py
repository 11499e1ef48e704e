"""Framing: how well newsfuse groups each outlet's names for one actor (NewsWCL50, pairwise P/R/F1).

NewsWCL50 holds 10 events x 5 US outlets with every mention of each actor annotated ("President Trump",
"the president", "Mr. Trump" -> one chain). For each event we run the analysis stage and its
cross-article entity linking on the five articles, then fusion's own merging (short forms, spelling
variants: fuse/entities.py), which is what the framing section lays out per outlet;
map every gold actor mention (ACTOR, ACTOR-I, COUNTRY, GROUP) to the newsfuse mention that overlaps it
most, and score the grouping pairwise within each event: a pair of gold mentions is predicted together
when both map to the same entity. Gold mentions no newsfuse mention covers count as singletons.
A baseline groups mentions with identical lower-cased text.

    .venv/bin/python bench/framing_newswcl50.py [--events N]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from newsfuse.models import Article

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "newswcl50" / "newswcl50_docs.jsonl"
ACTOR_TYPES = ("ACTOR", "ACTOR-I", "COUNTRY", "GROUP")


def load() -> dict[int, list[dict]]:
    events: dict[int, list[dict]] = defaultdict(list)
    for line in open(DATA, encoding="utf-8"):
        doc = json.loads(line)
        events[doc["event_id"]].append(doc)
    return dict(sorted(events.items()))


def to_article(doc: dict) -> tuple[Article, list[tuple[str, int, int, str]]]:
    """The document as an Article (one paragraph per sentence line) and its gold mentions as char spans."""
    lines = doc["text"].split("\n")
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 2
    text = "\n\n".join(lines)
    gold = []
    for m in doc["mentions"]:
        if m["chain"].rsplit("_", 1)[1] not in ACTOR_TYPES or m["sent"] >= len(lines):
            continue
        line = lines[m["sent"]]
        found = line.find(m["text"])
        if found == -1:
            found = line.lower().find(m["text"].lower())
        if found != -1:
            start = starts[m["sent"]] + found
            gold.append((m["chain"], start, start + len(m["text"]), m["text"]))
    article = Article(id=doc["doc_id"], title=lines[0], text=text, paragraphs=tuple(lines), outlet=doc["outlet_code"],
                      outlet_found_by="field", published=None, published_found_by=None, language="en")
    return article, gold


def predicted_keys(articles: list[Article], golds: list[list[tuple]]) -> tuple[list[str], int]:
    """For each gold mention, the key of the newsfuse entity covering it (a unique key when none does)."""
    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.fuse.entities import gather

    entities, analyses = link_entities(list(zip(articles, analyse_articles(articles))))
    story = gather(articles, {a.article_id: a for a in analyses}, entities)  # what framing lays out per outlet
    keys, covered = [], 0
    for article, analysis, gold in zip(articles, analyses, golds):
        mentions = [m for m in analysis.mentions if article.text[m.start:m.end] == m.text]
        for n, (_chain, start, end, _text) in enumerate(gold):
            best = max(mentions, key=lambda m: min(end, m.end) - max(start, m.start), default=None)
            if best is not None and min(end, best.end) - max(start, best.start) > 0:
                covered += 1
                keys.append(story.key_at.get((article.id, best.start)) or f"{best.label}:{best.text.lower()}")
            else:
                keys.append(f"unmatched:{article.id}:{n}")
    return keys, covered


def pairwise(gold: list[str], predicted: list[str]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(gold)), 2):
        same_gold, same_pred = gold[i] == gold[j], predicted[i] == predicted[j]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=None, help="only the first N events (quick runs)")
    args = parser.parse_args()
    events = list(load().items())[: args.events]
    ours, base = [0, 0, 0], [0, 0, 0]
    mentions = covered = 0
    started = time.perf_counter()
    for _event, docs in events:
        pairs = [to_article(d) for d in docs]
        articles, golds = [a for a, _ in pairs], [g for _, g in pairs]
        keys, hit = predicted_keys(articles, golds)
        chains = [c for g in golds for c, *_ in g]
        texts = [t.lower() for g in golds for *_, t in g]
        for total, counts in ((ours, pairwise(chains, keys)), (base, pairwise(chains, texts))):
            for k in range(3):
                total[k] += counts[k]
        mentions += len(chains)
        covered += hit
    elapsed = time.perf_counter() - started
    p, r, f = prf(*ours)
    bp, br, bf = prf(*base)
    print(f"newswcl50: {len(events)} events, {mentions} gold actor mentions, {covered / max(mentions, 1):.1%} covered "
          f"by a newsfuse mention ({elapsed:.0f} s)")
    print(f"newsfuse (linking + fusion): pairwise P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"baseline same text:      pairwise P {bp:.3f} R {br:.3f} F1 {bf:.3f}")


if __name__ == "__main__":
    main()
