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

import numpy as np

from newsfuse.text.embeddings import DIMENSIONS, TokenVectors

MODEL_PATH = Path(__file__).resolve().parent / "data" / "align_model.json"
# Pieces are compared (the costly part) only for each statement's this many nearest sentences, by pooled
# MiniLM cosine, in each other article. bench/align_superpal.py dev, cross-fitted F1 at 3 / 6 / 10 / all:
# 0.650 / 0.683 / 0.677 / 0.675 (a statement is often aligned to more than 3 sentences of one document).
CANDIDATES = 6
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
_WORD_PIECE = re.compile(r"\w")


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
    if sentence is None:
        return Unit(article, text, words, NO_TOKENS)
    tokens = unit_tokens(sentence, sentence_text, start, end)
    capitalised = [m.span() for m in _NAME.finditer(sentence_text) if _not_initial(sentence_text, m.start())]
    in_names = np.array([any(a <= s < b for a, b in capitalised) for s, _ in tokens.offsets.tolist()], dtype=bool)
    return Unit(article, text, words, tokens, in_names)


def unit_tokens(sentence: TokenVectors, sentence_text: str, start: int, end: int) -> TokenVectors:
    """The word pieces of characters [start, end) of a sentence (offsets kept relative to the sentence)."""
    rows = sentence.span(start, end)
    rows = np.array([r for r in rows if _WORD_PIECE.search(sentence_text[sentence.offsets[r, 0]:sentence.offsets[r, 1]])],
                    dtype=np.int64)
    if not len(rows):
        return NO_TOKENS
    return TokenVectors(sentence.ids[rows], sentence.offsets[rows], sentence.vectors[rows])


def piece_idf(units: Sequence[Unit]) -> dict[int, float]:
    """Inverse document frequency of each word piece over the units (a piece every unit has weighs ~0)."""
    df: dict[int, int] = {}
    for unit in units:
        for piece in set(unit.tokens.ids.tolist()):
            df[piece] = df.get(piece, 0) + 1
    n = len(units)
    return {piece: math.log((n + 1) / (count + 1)) + 1e-3 for piece, count in df.items()}


def candidates(dense: np.ndarray, left: Sequence[Unit], right: Sequence[Unit], owner: Sequence[int],
               hidden: np.ndarray | None = None) -> np.ndarray:
    """(left, right) mask of the pairs worth comparing piece by piece: for each statement, the units of the
    CANDIDATES sentences of each other article nearest to it by pooled cosine (a sentence's best unit).
    `hidden` (left x sentences) marks sentences that are not there for a statement (training only)."""
    owner_ = np.asarray(owner)
    sentences = int(owner_.max()) + 1 if len(owner_) else 0
    by_sentence = np.full((len(left), sentences), -np.inf, dtype=np.float32)
    for column, sentence in enumerate(owner):
        np.maximum(by_sentence[:, sentence], dense[:, column], out=by_sentence[:, sentence])
    if hidden is not None:
        by_sentence[hidden] = -np.inf
    article_of = {}
    for unit, sentence in zip(right, owner):
        article_of[sentence] = unit.article
    articles = np.array([article_of[k] for k in range(sentences)], dtype=object)
    chosen = np.zeros((len(left), sentences), dtype=bool)
    for article in dict.fromkeys(articles):
        columns = np.nonzero(articles == article)[0]
        rows = np.array([u.article != article for u in left], dtype=bool)
        if not rows.any():
            continue
        order = np.argsort(-by_sentence[np.ix_(rows, columns)], axis=1, kind="stable")[:, :CANDIDATES]
        picked = np.zeros((int(rows.sum()), len(columns)), dtype=bool)
        np.put_along_axis(picked, order, True, axis=1)
        picked &= np.isfinite(by_sentence[np.ix_(rows, columns)])
        chosen[np.ix_(rows, columns)] = picked
    return chosen[:, owner_] if len(owner_) else np.zeros((len(left), 0), dtype=bool)


def base_features(left: Sequence[Unit], right: Sequence[Unit], lexical: np.ndarray,
                  idf: dict[int, float], owner: Sequence[int], hidden: np.ndarray | None = None,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(len(left), len(right), len(BASE_FEATURES)) features of every pair, and the candidate mask (pairs
    outside it have no piece features). `lexical` is the pairs' TF-IDF cosine; `owner` each right unit's sentence."""
    out = np.zeros((len(left), len(right), len(BASE_FEATURES)), dtype=np.float32)
    if not left or not right:
        return out, np.zeros((len(left), len(right)), dtype=bool)
    dense_l = np.stack([u.tokens.pooled() for u in left])
    dense_r = np.stack([u.tokens.pooled() for u in right])
    out[:, :, 5] = dense_l @ dense_r.T
    mask = candidates(out[:, :, 5], left, right, owner, hidden)
    out[:, :, 0:4] = _piece_scores(left, right, idf, mask)
    out[:, :, 4] = lexical
    words = _shared([u.words for u in left], [u.words for u in right])
    size_l = np.array([len(u.words) for u in left], dtype=np.float32)[:, None]
    size_r = np.array([len(u.words) for u in right], dtype=np.float32)[None, :]
    out[:, :, 6] = words / np.maximum(size_l, 1)
    out[:, :, 7] = words / np.maximum(size_r, 1)
    out[:, :, 8] = words
    numbers_l, numbers_r = [_numbers(u.text) for u in left], [_numbers(u.text) for u in right]
    numbers = _shared(numbers_l, numbers_r)
    count_l = np.array([len(n) for n in numbers_l], dtype=np.float32)[:, None]
    count_r = np.array([len(n) for n in numbers_r], dtype=np.float32)[None, :]
    out[:, :, 9] = numbers
    out[:, :, 10] = ((count_l > numbers) & (count_r > numbers)).astype(np.float32)
    out[:, :, 11] = _shared([_names(u.text) for u in left], [_names(u.text) for u in right])
    out[:, :, 12] = np.log1p(size_r)
    return out, mask


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


def _piece_scores(left: Sequence[Unit], right: Sequence[Unit], idf: dict[int, float], mask: np.ndarray) -> np.ndarray:
    """IDF-weighted recall and precision of greedy piece matching, the share of left pieces matched, and the
    recall of the left pieces outside names, for the pairs of the mask (0 elsewhere)."""
    out = np.zeros((len(left), len(right), 4), dtype=np.float32)
    lv, l_seg, l_w = _stacked(left, idf)
    beyond = l_w * np.concatenate([u.in_names if len(u.in_names) == max(len(u.tokens.ids), 1) else
                                   np.zeros(max(len(u.tokens.ids), 1), dtype=bool) for u in left]).__invert__()
    rv, r_seg, r_w = _stacked(right, idf)
    l_end = np.append(l_seg[1:], len(lv))
    r_end = np.append(r_seg[1:], len(rv))
    # Hundreds of small products: BLAS threads spinning up for each cost more than they bring (0.42 s against
    # 2.3 s for the seeds on a loaded 2-core machine).
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        _fill_piece_scores(out, mask, lv, l_seg, l_end, l_w, beyond, rv, r_seg, r_end, r_w)
    return out


def _fill_piece_scores(out: np.ndarray, mask: np.ndarray, lv: np.ndarray, l_seg: np.ndarray, l_end: np.ndarray,
                       l_w: np.ndarray, beyond: np.ndarray, rv: np.ndarray, r_seg: np.ndarray, r_end: np.ndarray, r_w: np.ndarray) -> None:
    for i in range(len(l_seg)):
        units = np.nonzero(mask[i])[0]
        if not len(units):
            continue
        pieces = np.concatenate([np.arange(r_seg[j], r_end[j]) for j in units])
        seg = np.concatenate([[0], np.cumsum(r_end[units] - r_seg[units])[:-1]])
        own, weight = lv[l_seg[i]:l_end[i]], l_w[l_seg[i]:l_end[i]]
        cos = own @ rv[pieces].T  # this statement's pieces against its candidates' pieces
        best_in_unit = np.maximum.reduceat(cos, seg, axis=1)
        out[i, units, 0] = weight @ best_in_unit / weight.sum()
        back = r_w[pieces] * cos.max(axis=0)
        out[i, units, 1] = np.add.reduceat(back, seg) / np.add.reduceat(r_w[pieces], seg)
        out[i, units, 2] = (best_in_unit > PIECE_MATCH).mean(axis=0)
        content = beyond[l_seg[i]:l_end[i]]  # the statement's pieces outside names: what it says of them
        out[i, units, 3] = content @ best_in_unit / content.sum() if content.sum() > 0 else 0.0


def _stacked(units: Sequence[Unit], idf: dict[int, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All units' piece vectors in one matrix, each unit's first row, and each piece's weight.

    A unit without pieces gets one zero row of tiny weight, so segment sums stay defined (its scores are 0)."""
    vectors, starts, weights = [], [], []
    at = 0
    for unit in units:
        starts.append(at)
        if len(unit.tokens.ids):
            vectors.append(unit.tokens.vectors)
            weights.extend(idf.get(int(p), 1.0) for p in unit.tokens.ids)
            at += len(unit.tokens.ids)
        else:
            vectors.append(np.zeros((1, DIMENSIONS), dtype=np.float32))
            weights.append(1e-6)
            at += 1
    return np.vstack(vectors), np.array(starts), np.array(weights, dtype=np.float32)


def with_relative(base: np.ndarray, left_article: Sequence[str], right_article: Sequence[str],
                  hidden: np.ndarray | None = None) -> np.ndarray:
    """Add how each pair ranks among its row's candidates; same-article pairs are left out (their cells are 0).

    Rows are statements, columns are units; "best in article" compares a row's candidates from one article."""
    n, m, _ = base.shape
    codes = {a: k for k, a in enumerate(dict.fromkeys([*left_article, *right_article]))}
    valid = np.not_equal.outer(np.array([codes[a] for a in left_article], dtype=np.int64),
                               np.array([codes[a] for a in right_article], dtype=np.int64)).reshape(n, m)
    if hidden is not None:  # cells left out as if absent (training: an article that does not state a statement)
        valid &= ~hidden
    masked = np.where(valid[..., None], base, -np.inf)
    out = np.zeros((n, m, len(RELATIVE_FEATURES)), dtype=np.float32)
    if n and m:
        recall, lexical, dense = base[..., 0], base[..., 4], base[..., 5]
        out[..., 0] = dense - _finite(masked[..., 5].max(axis=1, keepdims=True))
        out[..., 1] = lexical - _finite(masked[..., 4].max(axis=1, keepdims=True))
        out[..., 2] = recall - _finite(masked[..., 0].max(axis=1, keepdims=True))
        best_in_article = _group_max(masked[..., 0], right_article)
        out[..., 3] = recall - best_in_article
        out[..., 4] = (recall >= best_in_article).astype(np.float32)
    return np.where(valid[..., None], np.concatenate([base, out], axis=-1), 0.0).astype(np.float32)


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 0.0)


def _group_max(values: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Each cell's maximum over the cells of its row whose column group (article) matches its own."""
    out = np.zeros_like(values)
    labels = np.asarray(groups, dtype=object)
    for group in dict.fromkeys(groups):
        members = labels == group
        out[:, members] = _finite(values[:, members].max(axis=1, keepdims=True))
    return out


def by_sentence(base: np.ndarray, compared: np.ndarray, owner: Sequence[int], left_article: Sequence[str],
                sentence_article: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Statement x sentence features (each feature's best over the sentence's units, then the ranks) and
    the mask of the pairs compared; a pair not compared is not aligned."""
    folded = column_max(base, owner, len(sentence_article))
    seen = column_max(compared[..., None].astype(np.float32), owner, len(sentence_article))[..., 0] > 0
    return with_relative(folded, left_article, sentence_article, ~seen), seen


def column_max(base: np.ndarray, owner: Sequence[int], count: int) -> np.ndarray:
    """Fold unit columns into their sentences: each feature's maximum over the sentence's units."""
    out = np.full((base.shape[0], count, base.shape[2]), -np.inf, dtype=np.float32)
    for column, sentence in enumerate(owner):
        np.maximum(out[:, sentence], base[:, column], out=out[:, sentence])
    return np.where(np.isfinite(out), out, 0.0)


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
