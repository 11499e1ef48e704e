"""The TF-IDF single-pass baseline every story bench runs beside newsfuse (ANCHORS.md, story grouping).

Each article, in stream order, is compared with the centroids (sums of unit TF-IDF vectors, idf from the
running counts) of the stories seen within WINDOW_DAYS of it; it joins the most similar one when the
cosine reaches the threshold, else opens a story. The threshold is the best of THRESHOLDS on the stream's
dev part (B-cubed F1), then run once on the held-out part: a tuned baseline, as ANCHORS.md measured it.
"""

from __future__ import annotations

import math
from collections import Counter

from newsfuse.stories.features import ArticleFeatures

# A story older than this (days since its newest article) is not a candidate; undated articles see all.
WINDOW_DAYS = 7
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 17))


def _vector(feats: ArticleFeatures, df: Counter, n_docs: int) -> dict[str, float]:
    """Title and body terms (a headline-only article: its title and teaser), log-tf times idf, unit length."""
    counts = Counter(feats.body)
    counts.update(feats.title)
    vec = {t: (1 + math.log(c)) * (math.log((n_docs + 1) / (df[t] + 1)) + 1) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def single_pass(feats: list[ArticleFeatures], threshold: float) -> list[str]:
    """Story ids of the TF-IDF single pass at one threshold."""
    df: Counter = Counter()
    centroids: dict[int, dict[str, float]] = {}
    norms: dict[int, float] = {}
    last_day: dict[int, int | None] = {}
    postings: dict[str, set[int]] = {}
    out = []
    for n, f in enumerate(feats, start=1):
        terms = set(f.body) | set(f.title)
        df.update(terms)
        vec = _vector(f, df, n)
        candidates = set()
        for term in vec:
            candidates |= postings.get(term, set())
        best, best_cos = None, 0.0
        for sid in candidates:
            day = last_day[sid]
            if f.day is not None and day is not None and f.day - day > WINDOW_DAYS:
                continue
            centroid = centroids[sid]
            cos = sum(v * centroid.get(t, 0.0) for t, v in vec.items()) / norms[sid] if norms[sid] else 0.0
            if cos > best_cos:
                best, best_cos = sid, cos
        if best is None or best_cos < threshold:
            best = len(centroids)
            centroids[best] = {}
            last_day[best] = None
        centroid = centroids[best]
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
            postings.setdefault(t, set()).add(best)
        norms[best] = math.sqrt(sum(v * v for v in centroid.values()))
        if f.day is not None:
            last_day[best] = f.day if last_day[best] is None else max(last_day[best], f.day)
        out.append(f"b{best}")
    return out


def tuned(dev: list[ArticleFeatures], dev_gold: list[str], score) -> tuple[float, dict]:  # type: ignore[no-untyped-def]
    """The threshold with the best B-cubed F1 on the dev stream, and its scores there."""
    best = max(((t, score(single_pass(dev, t), dev_gold)) for t in THRESHOLDS), key=lambda ts: ts[1]["b3_f1"])
    return best
