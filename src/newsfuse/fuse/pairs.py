"""The learned pair scorer: how likely a statement of one article is stated by a unit (clause or sentence) of another.

Features per pair: word-piece matching with MiniLM vectors (BERTScore-style, IDF-weighted inside the
story), pooled MiniLM cosine, TF-IDF cosine over stems, entities and numbers, content-word coverage in
both directions, shared and clashing numbers, shared capitalised words, the unit's length; then how the
pair ranks against the statement's other candidates and against the unit's other candidates (an
alignment is usually each side's best). A logistic model over them, fitted on SuperPAL's dev split by
`bench/align_superpal.py --train --write`, ships as `data/align_model.json` and is evaluated here with
numpy only (no scikit-learn at run time).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.text.embeddings import DIMENSIONS, TokenVectors

MODEL_PATH = Path(__file__).resolve().parent / "data" / "align_model.json"
# Pieces are compared (the costly part) only for each statement's this many nearest sentences, by pooled
# MiniLM cosine, in each other article. bench/align_superpal.py dev, cross-fitted F1 at 3 / 6 / 10 / all:
# 0.650 / 0.683 / 0.677 / 0.675 (a statement is often aligned to more than 3 sentences of one document).
CANDIDATES = 6
# A sentence whose pooled cosine with the statement is below this is not compared piece by piece (the
# costly part). Chosen on layer-6 vectors (bench/align_superpal.py dev: 91.4 % of the aligned pairs compared
# at or above 0.2, 43 % of all pairs). On the layer-3 vectors fusion has used since 2026-12-02
# (models.STATEMENTS_LAYERS) every dev pair is above it (pooled cosines 0.49-0.75 for 80 % of all pairs), so
# it only guards against empty vectors: a floor pruning as much there (0.5 / 0.58) gave cross-fitted dev F1
# 0.682 / 0.683 against 0.688 without; CANDIDATES and MAX_CANDIDATES bound the work. See BENCHMARKS.md.
DENSE_FLOOR = 0.2
# At most this many sentences per statement in all: a speed guard for big stories (50 articles would
# otherwise give each statement ~300), not tuned; SuperPAL's topics have 3 documents, so 18 at most.
MAX_CANDIDATES = 30
# Besides, the this many sentences of each other article nearest by TF-IDF cosine (above 0): a paraphrase
# that pooled vectors rank low often shares its rare words. bench/align_superpal.py dev, cross-fitted F1
# by topic without / with them: see BENCHMARKS.md ("Fusion").
LEXICAL_CANDIDATES = 3
# A piece counts as matched when its best cosine reaches this (one of the features; BERTScore papers
# report MiniLM-size models' paraphrase pieces above ~0.7). Not tuned.
PIECE_MATCH = 0.7
BASE_FEATURES = ("piece_recall", "piece_precision", "piece_matched", "piece_recall_beyond_names", "lexical", "dense", "cover_left",
                 "cover_right", "overlap", "numbers_shared", "numbers_clash", "names_shared", "log_length")
# How a pair ranks among the statement's candidates. Not among the unit's candidates ("is this statement
# the unit's best match"): in SuperPAL every sentence is aligned to some summary statement, in a story most
# sentences of one article match nothing in another, and dev F1 is the same without them (0.688 / 0.688).
RELATIVE_FEATURES = ("dense_to_best", "lexical_to_best", "recall_to_best", "recall_to_best_in_article",
                     "best_in_article")
FEATURES = BASE_FEATURES + RELATIVE_FEATURES
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][a-z]+\b")
_WORD_RUN = re.compile(r"\w+")


NO_TOKENS = TokenVectors(np.zeros(0, np.int32), np.zeros((0, 2), np.int32), np.zeros((0, DIMENSIONS), np.float32))


@dataclass(frozen=True)
class Unit:
    """One side of a pair: a clause or a whole sentence of one article, with its vectors."""

    article: str
    text: str
    words: frozenset[str]  # content-word stems (fuse/propositions.py)
    tokens: TokenVectors  # the unit's own word pieces (sliced from its sentence)
    in_names: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # per piece: part of a name


def make_unit(article: str, words: frozenset[str], sentence: TokenVectors | None, sentence_text: str,
              start: int, end: int) -> Unit:
    """The unit of characters [start, end) of a sentence, with its word pieces and which of them spell names
    (a capitalised word that does not open the sentence)."""
    text = sentence_text[start:end]
    if sentence is None or not len(sentence.ids):
        return Unit(article, text, words, NO_TOKENS)
    wordy, named = _piece_kinds(sentence_text, sentence.offsets.tobytes())
    rows = sentence.span(start, end)
    rows = rows[wordy[rows]]
    if not len(rows):
        return Unit(article, text, words, NO_TOKENS)
    return Unit(article, text, words, TokenVectors(sentence.ids[rows], sentence.offsets[rows], sentence.vectors[rows]),
                named[rows])


@lru_cache(maxsize=4096)
def _piece_kinds(text: str, offsets: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Per word piece of a sentence: whether it holds a letter or digit, and whether it is part of a name
    (asked once per sentence, not once per clause cut from it).

    Both by binary search over the sorted, disjoint runs of word characters and of names, instead of a
    search per piece and a scan of the names per piece (1.96 of fusion's 75 CPU-s on 1,000 GVA articles
    under cProfile); the same booleans."""
    spans = np.frombuffer(offsets, dtype=np.int32).reshape(-1, 2)
    starts, ends = spans[:, 0], spans[:, 1]
    runs = np.array([m.span() for m in _WORD_RUN.finditer(text)], dtype=np.int64).reshape(-1, 2)
    # The first run ending after a piece's start holds a word character of the piece when it starts before its end.
    first = np.searchsorted(runs[:, 1], starts, side="right")
    inside = first < len(runs)
    wordy = inside & (ends > starts)
    wordy[inside] &= runs[first[inside], 0] < ends[inside]
    names = np.array([m.span() for m in _NAME.finditer(text) if _not_initial(text, m.start())],
                     dtype=np.int64).reshape(-1, 2)
    # The last name starting at or before a piece's start holds it when it ends after that start.
    last = np.searchsorted(names[:, 0], starts, side="right") - 1
    named = last >= 0
    named[named] = starts[named] < names[last[named], 1]
    return wordy, named


def piece_idf(units: Sequence[Unit]) -> dict[int, float]:
    """Inverse document frequency of each word piece over the units (a piece every unit has weighs ~0)."""
    df: dict[int, int] = {}
    for unit in units:
        for piece in set(unit.tokens.ids.tolist()):
            df[piece] = df.get(piece, 0) + 1
    n = len(units)
    return {piece: math.log((n + 1) / (count + 1)) + 1e-3 for piece, count in df.items()}


def candidates(nearness: np.ndarray, left: Sequence[Unit], right: Sequence[Unit],
               hidden: np.ndarray | None = None, floor: float = 0.0, lexical: np.ndarray | None = None) -> np.ndarray:
    """(left, right) mask of the pairs worth comparing piece by piece: for each statement, the CANDIDATES
    sentences of each other article nearest to it (pooled cosine, or TF-IDF cosine without vectors) and at
    least `floor` near, plus the LEXICAL_CANDIDATES nearest by `lexical` (TF-IDF cosine) when given;
    MAX_CANDIDATES at most in all.
    `hidden` (left x right) marks sentences that are not there for a statement (training only)."""
    near_all = np.where(hidden, -np.inf, nearness) if hidden is not None else nearness.astype(np.float32)
    chosen = _nearest(near_all, left, right, CANDIDATES, floor)
    if lexical is not None and LEXICAL_CANDIDATES:
        words = np.where(hidden, -np.inf, lexical) if hidden is not None else lexical
        chosen |= _nearest(words, left, right, LEXICAL_CANDIDATES, np.nextafter(np.float32(0), np.float32(1)))
    if len(right) > MAX_CANDIDATES:  # a big story: the nearest of them all
        cut = -np.sort(-np.where(chosen, near_all, -np.inf), axis=1)[:, MAX_CANDIDATES - 1:MAX_CANDIDATES]
        chosen &= near_all >= cut
    return chosen


def _nearest(near_all: np.ndarray, left: Sequence[Unit], right: Sequence[Unit], count: int, floor: float) -> np.ndarray:
    """(left, right) mask of each statement's `count` nearest sentences in each other article, at least `floor` near."""
    articles = np.array([u.article for u in right], dtype=object)
    left_articles = np.array([u.article for u in left], dtype=object)
    chosen = np.zeros(near_all.shape, dtype=bool)
    for article in dict.fromkeys(articles):
        columns = np.nonzero(articles == article)[0]
        rows = left_articles != article
        if not rows.any():
            continue
        near = near_all[np.ix_(rows, columns)]
        order = np.argsort(-near, axis=1, kind="stable")[:, :count]
        picked = np.zeros(near.shape, dtype=bool)
        np.put_along_axis(picked, order, True, axis=1)
        chosen[np.ix_(rows, columns)] = picked & (near >= floor) & np.isfinite(near)
    return chosen


@dataclass(frozen=True)
class Pairs:
    """The statement x sentence pairs compared, row-major (rows ascending), and their FEATURES."""

    rows: np.ndarray
    cols: np.ndarray
    features: np.ndarray  # (pairs, len(FEATURES))

    def matrix(self, values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Values per pair laid out as a (statements, sentences) matrix, 0 where no pair was compared."""
        out = np.zeros(shape, dtype=np.float32)
        out[self.rows, self.cols] = values
        return out


def compare(left: Sequence[Unit], right: Sequence[Unit], lexical: np.ndarray, idf: dict[int, float],
            hidden: np.ndarray | None = None) -> Pairs:
    """Features of the candidate pairs of statements (`left`) and sentences of other articles (`right`);
    `lexical` is their TF-IDF cosine (left x right). Only the candidates are compared and kept."""
    if not left or not right:
        return Pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, len(FEATURES)), np.float32))
    dense = np.stack([u.tokens.pooled() for u in left]) @ np.stack([u.tokens.pooled() for u in right]).T
    vectors = any(len(u.tokens.ids) for u in right)
    mask = candidates(dense if vectors else lexical, left, right, hidden, DENSE_FLOOR if vectors else 0.0,
                      lexical if vectors else None)
    rows, cols = np.nonzero(mask)
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
    out[:, 0:4] = _piece_scores(left, right, idf, rows, cols)
    out[:, 4] = lexical[rows, cols]
    out[:, 5] = dense[rows, cols]
    words = _shared([u.words for u in left], [u.words for u in right])[rows, cols]
    size_l = np.array([len(u.words) for u in left], dtype=np.float32)[rows]
    size_r = np.array([len(u.words) for u in right], dtype=np.float32)[cols]
    out[:, 6] = words / np.maximum(size_l, 1)
    out[:, 7] = words / np.maximum(size_r, 1)
    out[:, 8] = words
    numbers_l, numbers_r = [_numbers(u.text) for u in left], [_numbers(u.text) for u in right]
    numbers = _shared(numbers_l, numbers_r)[rows, cols]
    out[:, 9] = numbers
    out[:, 10] = ((np.array([len(n) for n in numbers_l])[rows] > numbers)
                  & (np.array([len(n) for n in numbers_r])[cols] > numbers)).astype(np.float32)
    out[:, 11] = _shared([_names(u.text) for u in left], [_names(u.text) for u in right])[rows, cols]
    out[:, 12] = np.log1p(size_r)
    _relative(out, rows, np.array([_code(u.article) for u in right], dtype=np.int64)[cols])
    return Pairs(rows, cols, out)


_codes: dict[str, int] = {}


def _code(article: str) -> int:
    return _codes.setdefault(article, len(_codes))


def _relative(out: np.ndarray, rows: np.ndarray, article: np.ndarray) -> None:
    """How each pair ranks among its statement's compared sentences (RELATIVE_FEATURES), in place."""
    if not len(rows):
        return
    base = len(BASE_FEATURES)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    counts = np.diff(np.r_[starts, len(rows)])
    for k, column in enumerate((5, 4, 0)):  # dense, lexical, recall against the statement's best
        best = np.maximum.reduceat(out[:, column], starts)
        out[:, base + k] = out[:, column] - np.repeat(best, counts)
    order = np.lexsort((article, rows))  # (statement, article) groups
    group = np.r_[True, (rows[order][1:] != rows[order][:-1]) | (article[order][1:] != article[order][:-1])]
    group_starts = np.flatnonzero(group)
    best = np.maximum.reduceat(out[order, 0], group_starts)
    best_of = np.empty(len(rows), dtype=np.float32)
    best_of[order] = np.repeat(best, np.diff(np.r_[group_starts, len(rows)]))
    out[:, base + 3] = out[:, 0] - best_of
    out[:, base + 4] = (out[:, 0] >= best_of).astype(np.float32)


def _numbers(text: str) -> frozenset[str]:
    return frozenset(_NUMBER.findall(text))


def _names(text: str) -> frozenset[str]:
    """Capitalised words other than a sentence's first: names, roughly, without a tagger."""
    return frozenset(m.group() for m in _NAME.finditer(text) if _not_initial(text, m.start()))


def _not_initial(text: str, at: int) -> bool:
    return at > 0 and text[:at].rstrip()[-1:] not in ".!?\"“"


def _shared(left: Sequence[frozenset[str]], right: Sequence[frozenset[str]]) -> np.ndarray:
    """How many items each left set shares with each right set (one sparse product, not n x m set meets)."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    cells = []
    for sets in (left, right):
        rows = [row for row, items in enumerate(sets) for _ in items]
        cols = [vocabulary.setdefault(item, len(vocabulary)) for items in sets for item in items]
        cells.append((rows, cols, len(sets)))
    a, b = (csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=(n, max(len(vocabulary), 1))) for r, c, n in cells)
    return np.asarray((a @ b.T).todense(), dtype=np.float32)


def _piece_scores(left: Sequence[Unit], right: Sequence[Unit], idf: dict[int, float], rows: np.ndarray,
                  cols: np.ndarray) -> np.ndarray:
    """IDF-weighted recall and precision of greedy piece matching, the share of left pieces matched, and the
    recall of the left pieces outside names, for each pair (rows[k], cols[k]).

    Which pieces each pair compares, and the weight each pair's sentence pieces sum to, are laid out for
    all pairs at once; only the products and reductions that need one statement's pieces run per statement
    (each on the same numbers in the same order as when they were gathered statement by statement: the
    same bytes, 3.1 -> ~1.5 CPU-s for the ~230 stories of 1,000 GVA articles)."""
    out = np.zeros((len(rows), 4), dtype=np.float32)
    if not len(rows):
        return out
    lv, l_seg, l_w = _stacked(left, idf)
    beyond = l_w * np.concatenate([u.in_names if len(u.in_names) == max(len(u.tokens.ids), 1) else
                                   np.zeros(max(len(u.tokens.ids), 1), dtype=bool) for u in left]).__invert__()
    rv, r_seg, r_w = _stacked(right, idf)
    l_end = np.append(l_seg[1:], len(lv))
    r_end = np.append(r_seg[1:], len(rv))
    # Pair k compares the pieces pieces[first[k]:first[k + 1]] (its sentence's, which are consecutive rows of rv).
    sizes = (r_end - r_seg)[cols]
    first = np.concatenate(([0], np.cumsum(sizes)))
    pieces = np.repeat(r_seg[cols] - first[:-1], sizes) + np.arange(first[-1])
    piece_w = r_w[pieces]
    pair_w = np.add.reduceat(piece_w, first[:-1])
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    stops = np.r_[starts[1:], len(rows)]
    l_from, l_to, firsts = l_seg.tolist(), l_end.tolist(), first.tolist()
    # Hundreds of small products: BLAS threads spinning up for each cost more than they bring (0.42 s against
    # 2.3 s for the seeds on a loaded 2-core machine).
    with _blas_pools().limit(limits=1, user_api="blas"):
        for at, stop, i in zip(starts.tolist(), stops.tolist(), rows[starts].tolist()):
            lo, hi = firsts[at], firsts[stop]
            seg = first[at:stop] - lo
            own, weight = lv[l_from[i]:l_to[i]], l_w[l_from[i]:l_to[i]]
            cos = own @ rv[pieces[lo:hi]].T  # this statement's pieces against its candidates' pieces
            best_in_unit = np.maximum.reduceat(cos, seg, axis=1)
            out[at:stop, 0] = weight @ best_in_unit / weight.sum()
            out[at:stop, 1] = np.add.reduceat(piece_w[lo:hi] * cos.max(axis=0), seg) / pair_w[at:stop]
            out[at:stop, 2] = (best_in_unit > PIECE_MATCH).mean(axis=0)
            content = beyond[l_from[i]:l_to[i]]  # the statement's pieces outside names: what it says of them
            out[at:stop, 3] = content @ best_in_unit / content.sum() if content.sum() > 0 else 0.0
    return out


@lru_cache(maxsize=1)
def _blas_pools() -> Any:
    """threadpoolctl's view of the loaded BLAS libraries, found once per process: finding them (what each
    `threadpool_limits` call does) cost ~1.4 ms a story's comparison in a fusing process, 0.35 CPU-s for the
    ~240 stories of 1,000 GVA articles; limiting through the found ones costs microseconds. numpy's BLAS,
    the one these products run on, is loaded before this module."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _stacked(units: Sequence[Unit], idf: dict[int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All units' piece vectors in one matrix, each unit's first row, and each piece's weight.

    A unit without pieces gets one zero row of tiny weight, so segment sums stay defined (its scores are 0)."""
    vectors, starts, weights = [], [], []
    at = 0
    for unit in units:
        starts.append(at)
        if len(unit.tokens.ids):
            vectors.append(unit.tokens.vectors)
            weights.extend([idf.get(p, 1.0) for p in unit.tokens.ids.tolist()])
            at += len(unit.tokens.ids)
        else:
            vectors.append(np.zeros((1, DIMENSIONS), dtype=np.float32))
            weights.append(1e-6)
            at += 1
    return np.vstack(vectors), np.array(starts), np.array(weights, dtype=np.float32)


# Features that need no MiniLM vectors: the model fusion uses when the embeddings extra is not installed.
LEXICAL_FEATURES = tuple(f for f in FEATURES if not f.startswith(("piece_", "dense", "recall_", "best_")))


@dataclass(frozen=True)
class PairModel:
    """Logistic regression over some of FEATURES (standardised), and the probability that counts as aligned."""

    columns: np.ndarray  # indexes into FEATURES
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # best F1 on dev (the alignment benchmark's operating point)
    fusion_threshold: float  # best F0.5 on dev: where fusion says an outlet states a fact
    meta: dict[str, object]

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = ((features[..., self.columns] - self.mean) / self.scale) @ self.coef + self.intercept
        return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


@lru_cache(maxsize=2)
def model(full: bool = True) -> PairModel:
    """The shipped pair model, with MiniLM features (`full`) or without (read once per process)."""
    return model_from_dict(json.loads(MODEL_PATH.read_text())["full" if full else "lexical"])


def model_from_dict(data: dict[str, object]) -> PairModel:
    """A PairModel from its JSON form; refuses one that names a feature this module does not compute."""
    names = list(data["features"])  # type: ignore[call-overload]
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"{MODEL_PATH.name} names features {unknown} this version does not compute; "
                         "refit with bench/align_superpal.py --train --write")
    return PairModel(np.array([FEATURES.index(n) for n in names]), np.array(data["mean"], dtype=np.float32),
                     np.array(data["scale"], dtype=np.float32), np.array(data["coef"], dtype=np.float32),
                     float(data["intercept"]), float(data["threshold"]),
                     float(data.get("fusion_threshold", data["threshold"])), dict(data.get("meta", {})))  # type: ignore[arg-type]
