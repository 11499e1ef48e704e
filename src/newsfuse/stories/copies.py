"""Wire copies and near-duplicates inside a story: MinHash signatures over word shingles, compared pairwise."""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash

from newsfuse.models import Article
from newsfuse.text.unionfind import UnionFind

COPIES_VERSION = "copies.minhash.v1"
# Words per shingle: short enough that a few edited words ("left" -> "kept") leave most shingles intact.
SHINGLE_WORDS = 4
NUM_PERM = 64
# Estimated Jaccard of shingle sets at or above which two texts are copies of one report. Measured on
# examples/ and the seeds (210 pairs): the edited wire copy (rates-wire, ~10 words changed) scores
# 0.67; the most similar independent pair (TBS and Al Jazeera, both re-reporting agencies) 0.11.
COPY_JACCARD = 0.45
# Texts shorter than this many words are too short to call copies (a caption, an empty page).
MIN_WORDS = 40

_WORD = re.compile(r"\w+")


def signature(text: str) -> np.ndarray | None:
    """The MinHash of a text's word shingles, or None for a text too short to compare."""
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}
    sig = MinHash(num_perm=NUM_PERM)
    sig.update_batch(list(shingles))
    return sig.hashvalues.copy()


def copy_groups(
    articles: list[Article], signatures: dict[str, np.ndarray | None] | None = None
) -> tuple[tuple[str, ...], ...]:
    """Groups (two or more ids, in the given order) of articles whose texts are copies of one report.

    `signatures` may hold precomputed signatures by article id (a missing id is computed here).
    """
    signatures = signatures or {}
    keyed = [(a.id, signatures[a.id] if a.id in signatures else signature(a.text)) for a in articles]
    keyed = [(key, sig) for key, sig in keyed if sig is not None]
    if len(keyed) < 2:
        return ()
    matrix = np.stack([sig for _, sig in keyed])
    links = UnionFind(range(len(keyed)))
    for i in range(1, len(keyed)):
        similar = np.flatnonzero((matrix[:i] == matrix[i]).mean(axis=1) >= COPY_JACCARD)
        for j in similar:
            links.union(int(j), i)
    return tuple(tuple(keyed[i][0] for i in members) for members in links.groups().values() if len(members) > 1)
