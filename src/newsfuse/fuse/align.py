"""Align propositions across a story's articles and cluster them into facts, each with its status.

Similarity of two propositions = TF-IDF cosine over content-word stems, entity keys and numbers
(IDF computed inside the story, so words every article repeats, "Lavrov", "Myanmar", weigh little),
blended with MiniLM cosine when an embedder is given. Facts are built by greedy average-linkage
merging of the best cross-article pairs. Status counts independent sources: copies of one wire
report count once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsfuse.fuse.propositions import Proposition
from newsfuse.text.unionfind import UnionFind
from newsfuse.models import Fact, SourceSpan

Embedder = Callable[[list[str]], np.ndarray]

# Weight of entity and number features relative to a content word: a shared name or figure is stronger
# evidence of the same fact than a shared common word. A design choice, not tuned (the SuperPAL
# benchmark has no entity annotations to tune it on).
ENTITY_WEIGHT = 2.0
# Blend of MiniLM cosine and lexical cosine when embeddings are available. bench/align_superpal.py dev,
# best F1 over thresholds: weight 0.2 -> 0.630, 0.3 -> 0.618, 0.5 -> 0.593 (lexical alone 0.643); 0.5
# kept because it is the only weight tried that keeps every seed fact of DESIGN.md at its status.
EMBEDDING_WEIGHT = 0.5
# A pair of propositions is aligned at or above this similarity. bench/align_superpal.py dev peaks at
# 0.15 (lexical, F1 0.643), but in-story clustering at 0.15-0.25 merges distinct seed/example facts;
# 0.30 lexical (dev P 0.892 R 0.293) and 0.45 blended (dev P 0.870 R 0.303) keep them apart.
LEXICAL_THRESHOLD = 0.30
BLENDED_THRESHOLD = 0.45
# Two clusters merge only if their average cross-article similarity also reaches the pair threshold
# (times this ratio): stops chaining ("Lavrov arrived" -> "Lavrov met" -> "met Min Aung Hlaing"). Seeds with
# MiniLM: 1.0 keeps every one-outlet fact of DESIGN.md apart; 0.8 and 0.9 merged TBS's "visited Russia twice".
LINKAGE_RATIO = 1.0
# Two articles are copies of one report when this share of the shorter one's propositions has a
# near-verbatim twin (lexical cosine >= COPY_SIMILARITY) in the other; chosen so that
# examples/rates-wire (a lightly edited copy) is one source and independent reports of one event are not.
COPY_SHARE = 0.6
COPY_SIMILARITY = 0.75


@dataclass(frozen=True)
class Alignment:
    """The similarity matrix of a story's propositions and the threshold that counts as aligned."""

    similarity: np.ndarray
    threshold: float


def similarity_matrix(props: Sequence[Proposition], embed: Embedder | None = None) -> Alignment:
    """Pairwise similarity of propositions (lexical, blended with embeddings when an embedder is given)."""
    lexical = lexical_similarity(props)
    if embed is None or not props:
        return Alignment(lexical, LEXICAL_THRESHOLD)
    vectors = _cached_vectors([p.text for p in props], embed)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-9)
    dense = np.clip(vectors @ vectors.T, 0.0, 1.0)
    blended = (1 - EMBEDDING_WEIGHT) * lexical + EMBEDDING_WEIGHT * dense
    return Alignment(blended.astype(np.float32), BLENDED_THRESHOLD)


# Proposition vectors kept per process, so re-fusing a story whose membership grew embeds only the new
# articles' statements (MiniLM is ~90% of a cold fusion's time). 20,000 vectors of 384 floats: ~30 MB.
VECTOR_CACHE_SIZE = 20_000
_vector_cache: dict[str, np.ndarray] = {}


def _cached_vectors(texts: list[str], embed: Embedder) -> np.ndarray:
    unique = list(dict.fromkeys(texts))
    missing = [t for t in unique if t not in _vector_cache]
    if len(_vector_cache) + len(missing) > VECTOR_CACHE_SIZE:
        _vector_cache.clear()
        missing = unique
    if missing:
        # Shortest first, so each of the embedder's batches holds clauses of similar length and pads
        # little: 300 NewsWCL50 clauses took 1.79 s in story order, 1.01 s sorted (quiet machine).
        # MiniLM's vectors do not depend on what else is in the batch (checked bit for bit), so the
        # order changes nothing but time.
        missing.sort(key=len)
        _vector_cache.update(zip(missing, np.asarray(embed(missing), dtype=np.float32)))
    return np.stack([_vector_cache[t] for t in texts])


def lexical_similarity(props: Sequence[Proposition]) -> np.ndarray:
    """TF-IDF cosine over stems, entities and numbers, with entities and numbers weighted up."""
    if not props:
        return np.zeros((0, 0), dtype=np.float32)
    features = [_features(p) for p in props]
    vectorizer = TfidfVectorizer(analyzer=lambda feats: feats, sublinear_tf=True, norm=None)
    try:
        matrix = vectorizer.fit_transform(features)
    except ValueError:  # no features at all
        return np.zeros((len(props), len(props)), dtype=np.float32)
    vocabulary = vectorizer.get_feature_names_out()
    boost = np.array([ENTITY_WEIGHT if f.startswith(("E:", "N:")) else 1.0 for f in vocabulary])
    matrix = matrix.multiply(boost).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    from scipy.sparse import diags

    normalised = diags(1.0 / norms) @ matrix
    return np.asarray((normalised @ normalised.T).todense(), dtype=np.float32)


def _features(prop: Proposition) -> list[str]:
    feats = list(prop.words)
    feats += [f"E:{e}" for e in prop.entities]
    feats += [f"N:{n}" for n in prop.numbers]
    return feats


# ---------------------------------------------------------------- copies

def copy_groups(props: Sequence[Proposition], alignment: Alignment, article_ids: Sequence[str],
                known: Sequence[Sequence[str]] = ()) -> dict[str, str]:
    """Map each article id to the id of the report it copies (itself when it is original)."""
    links = UnionFind(article_ids)
    for group in known:
        members = [a for a in group if a in links.parent]
        for other in members[1:]:
            links.union(members[0], other)
    by_article: dict[str, list[int]] = {}
    for p in props:
        by_article.setdefault(p.article_id, []).append(p.index)
    ids = list(by_article)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if _is_copy(by_article[a], by_article[b], alignment.similarity):
                links.union(a, b)
    # The smallest id of each group stands for the report they copy, whatever order they were joined in.
    return {aid: min(members) for members in links.groups().values() for aid in members}


def _is_copy(rows_a: list[int], rows_b: list[int], sim: np.ndarray) -> bool:
    short, long_ = (rows_a, rows_b) if len(rows_a) <= len(rows_b) else (rows_b, rows_a)
    if len(short) < 3:
        return False
    best = sim[np.ix_(short, long_)].max(axis=1)
    return float((best >= COPY_SIMILARITY).mean()) >= COPY_SHARE


# ---------------------------------------------------------------- clustering into facts

def cluster(props: Sequence[Proposition], alignment: Alignment) -> list[list[int]]:
    """Groups of proposition indexes that state one fact (singletons included)."""
    n = len(props)
    sim, threshold = alignment.similarity, alignment.threshold
    article = [p.article_id for p in props]
    pairs = _aligned_pairs(sim, article, threshold)
    member_of = list(range(n))
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _score, i, j in pairs:
        a, b = member_of[i], member_of[j]
        if a == b or not _may_merge(clusters[a], clusters[b], sim, article, threshold):
            continue
        clusters[a].extend(clusters[b])
        for k in clusters.pop(b):
            member_of[k] = a
    return sorted(clusters.values(), key=lambda c: min(c))


def _aligned_pairs(sim: np.ndarray, article: list[str], threshold: float) -> list[tuple[float, int, int]]:
    """Cross-article pairs (score, i, j), i < j, at or above the threshold, best first (ties: larger i, j first).

    One vectorised pass over the upper triangle instead of n²/2 Python comparisons; the order is the
    one a reverse sort of the (score, i, j) tuples gives, so clustering is unchanged.
    """
    codes = np.unique(np.asarray(article, dtype=object), return_inverse=True)[1] if article else np.zeros(0, int)
    rows, cols = np.nonzero(np.triu(sim >= threshold, k=1))
    keep = codes[rows] != codes[cols]
    rows, cols = rows[keep], cols[keep]
    scores = sim[rows, cols]
    order = np.lexsort((cols, rows, scores))[::-1]
    return [(float(scores[k]), int(rows[k]), int(cols[k])) for k in order]


def _may_merge(a: list[int], b: list[int], sim: np.ndarray, article: list[str], threshold: float) -> bool:
    """Average linkage across articles; and two statements of one article join one fact only when they
    say the same thing themselves (an article states each fact once, unless it repeats itself)."""
    floor = threshold * LINKAGE_RATIO
    if any(article[i] == article[j] and sim[i, j] < floor for i in a for j in b):
        return False
    cross = [float(sim[i, j]) for i in a for j in b if article[i] != article[j]]
    return bool(cross) and sum(cross) / len(cross) >= floor


# ---------------------------------------------------------------- facts

def status_of(covered: set[str], all_sources: set[str]) -> str:
    """all / some / one, counted over independent sources (wire copies are one source)."""
    if covered >= all_sources:
        return "all"
    return "one" if len(covered) == 1 else "some"


def build_facts(props: Sequence[Proposition], groups: list[list[int]], alignment: Alignment,
                source_of: dict[str, str]) -> list[Fact]:
    """One Fact per group: the most central proposition's words, every member's span as a source."""
    all_sources = set(source_of.values())
    facts = []
    for group in groups:
        members = sorted(group, key=lambda k: (props[k].article_id, props[k].start))
        representative = _central(group, props, alignment.similarity)
        covered = {source_of[props[k].article_id] for k in group}
        outlets = tuple(dict.fromkeys(props[k].outlet for k in sorted(group)))
        sources = tuple(SourceSpan(props[k].article_id, props[k].sentence, props[k].start, props[k].end) for k in members)
        facts.append(Fact(
            id=_fact_id(sources), text=props[representative].text, status=status_of(covered, all_sources),  # type: ignore[arg-type]
            sources=sources, outlets=outlets,
        ))
    return facts


def _central(group: list[int], props: Sequence[Proposition], sim: np.ndarray) -> int:
    """The member most similar to the others; ties go to a clause that opens its sentence."""
    if len(group) == 1:
        return group[0]

    def score(k: int) -> tuple[float, float]:
        others = [float(sim[k, j]) for j in group if j != k]
        opens_sentence = 1.0 if not props[k].text[:1].islower() else 0.0
        return (sum(others) / len(others) + 0.05 * opens_sentence, -props[k].position)

    return max(group, key=score)


def _fact_id(sources: tuple[SourceSpan, ...]) -> str:
    key = "|".join(f"{s.article}:{s.start}:{s.end}" for s in sources)
    return "f" + hashlib.sha1(key.encode()).hexdigest()[:10]
