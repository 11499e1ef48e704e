"""Alignment internals that fusion's speed work replaced: same pairs, same order, same merges."""

from __future__ import annotations

import numpy as np

from newsfuse.fuse import align, entities
from newsfuse.models import Mention


def _reference_pairs(sim: np.ndarray, article: list[str], threshold: float) -> list[tuple[float, int, int]]:
    n = len(article)
    pairs = [(float(sim[i, j]), i, j) for i in range(n) for j in range(i + 1, n)
             if article[i] != article[j] and sim[i, j] >= threshold]
    return sorted(pairs, reverse=True)


def test_aligned_pairs_are_the_cross_article_pairs_best_first_with_ties_in_tuple_order():
    rng = np.random.default_rng(7)
    sim = rng.choice(np.array([0.2, 0.45, 0.5, 0.9], dtype=np.float32), size=(30, 30))
    sim = np.triu(sim) + np.triu(sim, 1).T
    article = [f"a{k % 4}" for k in range(30)]
    assert align._aligned_pairs(sim, article, 0.45) == _reference_pairs(sim, article, 0.45)


def test_aligned_pairs_of_an_empty_story_are_none():
    assert align._aligned_pairs(np.zeros((0, 0), dtype=np.float32), [], 0.45) == []


def test_spelling_variants_are_merged_only_between_names_of_one_shape():
    story = entities.StoryEntities()
    for key, text in (("p1", "Sergei Lavrov"), ("p2", "Sergey Lavrov"), ("p3", "Sergey Shoigu")):
        story.types[key] = "PERSON"
        story.mentions[key].append(Mention("art", text, "PERSON", 0, len(text), 0))
    merged = entities._spelling_variants(story)
    assert merged == {"p2": "p1"}
