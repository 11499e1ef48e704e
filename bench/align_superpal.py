"""Fact alignment on SuperPAL's hand-aligned Multi-News pairs: pair precision / recall / F1.

For each topic, every summary proposition (scuText) is compared with every document sentence that the
annotators looked at (the sentences of the file's rows for that topic). A pair is gold when the
annotators aligned a span of that sentence to that proposition. newsfuse splits each sentence into
clauses (fuse/propositions.py) and predicts the pair aligned when a clause reaches the alignment
threshold (fuse/align.py, lexical; with --embeddings, blended with MiniLM cosine).

    .venv/bin/python bench/align_superpal.py [--split dev|test] [--embeddings] [--sweep] [--write]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from newsfuse.fuse import align, propositions
from newsfuse.fuse.propositions import Proposition, content_words

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "superpal_multinews" / "manual_datasets"
csv.field_size_limit(sys.maxsize)


def load(split: str) -> dict[str, tuple[list[str], list[str], set[tuple[int, int]]]]:
    """topic -> (summary propositions, document sentences, gold (proposition, sentence) pairs)."""
    rows = list(csv.DictReader(open(DATA / f"{split}_MN_only.csv", encoding="utf-8")))
    topics: dict[str, tuple[list[str], list[str], set[tuple[int, int]]]] = defaultdict(lambda: ([], [], set()))
    for row in rows:
        scus, sents, gold = topics[row["topic"]]
        scu, sent = row["scuText"].strip(), " ".join(row["docSentText"].split())
        if scu not in scus:
            scus.append(scu)
        if sent not in sents:
            sents.append(sent)
        gold.add((scus.index(scu), sents.index(sent)))
    return dict(topics)


def _prop(index: int, article: str, text: str) -> Proposition:
    return Proposition(index, article, article, 0, 0, len(text), text, 0.0, frozenset(content_words(text)),
                       frozenset(), frozenset(), frozenset())


def predict(scus: list[str], sents: list[str], embed: align.Embedder | None) -> np.ndarray:
    """Similarity of each summary proposition to each sentence: the best of the sentence's clauses."""
    props = [_prop(i, "summary", t) for i, t in enumerate(scus)]
    owner = []
    for j, sent in enumerate(sents):
        for start, end in propositions.clause_spans(sent) or [(0, len(sent))]:
            props.append(_prop(len(props), f"doc{j}", sent[start:end]))
            owner.append(j)
        props.append(_prop(len(props), f"doc{j}", sent))  # the whole sentence too: annotators align across clauses
        owner.append(j)
    sim = align.similarity_matrix(props, embed).similarity
    scores = np.zeros((len(scus), len(sents)), dtype=np.float32)
    for k, j in enumerate(owner):
        scores[:, j] = np.maximum(scores[:, j], sim[: len(scus), len(scus) + k])
    return scores


def evaluate(topics: dict, threshold: float, embed: align.Embedder | None, cache: dict) -> tuple[float, float, float, int]:
    tp = fp = fn = 0
    for topic, (scus, sents, gold) in topics.items():
        if topic not in cache:
            cache[topic] = predict(scus, sents, embed)
        predicted = {(i, j) for i, j in zip(*np.nonzero(cache[topic] >= threshold))}
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp + fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--embeddings", action="store_true", help="blend MiniLM cosine (analyse/embeddings.py)")
    parser.add_argument("--sweep", action="store_true", help="print P/R/F1 over a range of thresholds")
    args = parser.parse_args()
    embed = None
    if args.embeddings:
        from newsfuse.text.embeddings import embed
    topics = load(args.split)
    threshold = align.BLENDED_THRESHOLD if embed else align.LEXICAL_THRESHOLD
    cache: dict = {}
    if args.sweep:
        for t in np.arange(0.10, 0.75, 0.05):
            p, r, f, _ = evaluate(topics, float(t), embed, cache)
            print(f"threshold {t:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    p, r, f, n = evaluate(topics, threshold, embed, cache)
    mode = "lexical+MiniLM" if embed else "lexical"
    print(f"superpal_multinews {args.split} ({len(topics)} topics, {n} gold pairs), {mode}, threshold {threshold}: "
          f"P {p:.3f} R {r:.3f} F1 {f:.3f}")


if __name__ == "__main__":
    main()
