"""Wire copies and near-duplicates inside a story: MinHash signatures over word shingles, compared pairwise."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

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
    return minhash(shingles)


# datasketch's MinHash (2.0, its default "affine32" scheme, seed 1), written out: importing datasketch loads
# its LSH and with it scipy.integrate, 1.4 s of every process that groups stories, for ~10 lines of numpy.
# The values are datasketch's own (tests/stories/test_copies.py checks them against it).
_SEED = 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The NUM_PERM affine permutations h -> a * h + b mod 2^32 (odd a: each one a bijection)."""
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(items: set[bytes]) -> np.ndarray:
    """NUM_PERM minimum hash values (uint32) of the items: SHA-1's first 4 bytes, mixed by MurmurHash3's
    finalizer, under each permutation."""
    values = np.array([int.from_bytes(hashlib.sha1(item).digest()[:4], "little") for item in items],
                      dtype=np.uint32).reshape(-1, 1)
    s1, m1, s2, m2, s3 = _FMIX32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    values = values ^ (values >> s3)
    a, b = _permutations()
    return (values * a + b).min(axis=0, initial=np.uint32(0xFFFFFFFF))


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
