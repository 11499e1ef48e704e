"""Wire copies and near-duplicates inside a story: MinHash over word shingles, grouped by LSH."""

from __future__ import annotations

import re

from datasketch import MinHash, MinHashLSH

from newsfuse.models import Article

# Words per shingle: short enough that a few edited words ("left" -> "kept") leave most shingles intact.
SHINGLE_WORDS = 4
NUM_PERM = 64
# Estimated Jaccard of shingle sets at or above which two texts are copies of one report. An edited
# wire copy in examples/ (rates-wire, ~10 words changed) scores ~0.6; two outlets' own reports of one
# event score < 0.15 on the seeds and GVA samples.
COPY_JACCARD = 0.45
# Texts shorter than this many words are too short to call copies (a caption, an empty page).
MIN_WORDS = 40

_WORD = re.compile(r"\w+")


def signature(text: str) -> MinHash | None:
    words = _WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}
    sig = MinHash(num_perm=NUM_PERM)
    sig.update_batch(list(shingles))
    return sig


def copy_groups(articles: list[Article]) -> tuple[tuple[str, ...], ...]:
    """Groups (two or more ids, oldest first) of articles whose texts are copies of one report."""
    sigs = {a.id: s for a in articles if (s := signature(a.text)) is not None}
    lsh = MinHashLSH(threshold=COPY_JACCARD, num_perm=NUM_PERM)
    parent = {key: key for key in sigs}
    for key, sig in sigs.items():
        for other in lsh.query(sig):
            if sig.jaccard(sigs[other]) >= COPY_JACCARD:
                parent[_root(parent, key)] = _root(parent, other)
        lsh.insert(key, sig)
    order = {a.id: (a.published or "", i) for i, a in enumerate(articles)}
    groups: dict[str, list[str]] = {}
    for key in sigs:
        groups.setdefault(_root(parent, key), []).append(key)
    found = [tuple(sorted(ids, key=order.__getitem__)) for ids in groups.values() if len(ids) > 1]
    return tuple(sorted(found, key=lambda g: order[g[0]]))


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key
