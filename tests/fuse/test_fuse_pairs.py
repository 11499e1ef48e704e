"""The learned pair scorer: shipped as JSON, evaluated without scikit-learn, paraphrases scored above
unrelated sentences of the same story."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsfuse.fuse import align, pairs
from newsfuse.fuse.propositions import Proposition, content_words


def test_fusion_scores_pairs_without_scikit_learn():  # type: ignore[no-untyped-def]
    code = ("import sys, numpy as np; from newsfuse.fuse import align, pairs; m = pairs.model(); "
            "p = m.probability(np.zeros((2, len(pairs.FEATURES)), dtype=np.float32)); "
            "assert p.shape == (2,) and 'sklearn' not in sys.modules, sorted(k for k in sys.modules if 'sklearn' in k)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_model_names_where_its_numbers_came_from():  # type: ignore[no-untyped-def]
    for full in (True, False):
        model = pairs.model(full)
        assert "SuperPAL" in str(model.meta["fitted_on"]) and "dev" in str(model.meta["threshold_from"])
        assert 0 < model.threshold <= model.fusion_threshold < 1


def test_lexical_similarity_is_scikit_learns_tf_idf_cosine():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["the port will pay 4.2 million", "the city will pay the passengers", "a new ferry timetable"]
    props = [_prop(k, f"a{k}", t, 0) for k, t in enumerate(texts)]
    reference = TfidfVectorizer(analyzer=lambda f: f, sublinear_tf=True).fit_transform([list(p.words) for p in props])
    assert np.allclose(align.lexical_similarity(props), (reference @ reference.T).toarray(), atol=1e-5)


def test_a_model_fitted_on_unknown_features_is_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="refit"):
        pairs.model_from_dict({"features": ["no_such_feature"], "mean": [0], "scale": [1], "coef": [1],
                               "intercept": 0, "threshold": 0.5})


def _prop(index: int, article: str, text: str, sentence: int) -> Proposition:
    return Proposition(index, article, article, sentence, 0, len(text), text, 0.0, frozenset(content_words(text)),
                       frozenset(), frozenset(), frozenset())


STORY = {
    "a": ["The city will pay $4.2 million to settle lawsuits brought by injured ferry passengers.",
          "The harbour reopened to private boats on Friday after repairs."],
    "b": ["Passengers hurt in the crash will receive $4.2 million from the city under a settlement.",
          "A new ferry timetable starts next month with two extra evening sailings."],
}


@pytest.mark.parametrize("embedded", [True, False])
def test_a_paraphrase_is_supported_and_an_unrelated_sentence_is_not(embedded):  # type: ignore[no-untyped-def]
    from newsfuse.text.embeddings import embed_tokens

    texts = {a: " ".join(sents) for a, sents in STORY.items()}
    props = []
    for article, sentences in STORY.items():
        at = 0
        for k, text in enumerate(sentences):
            start = texts[article].index(text, at)
            prop = _prop(len(props), article, text, k)
            props.append(Proposition(prop.index, article, article, k, start, start + len(text), text, 0.0,
                                     prop.words, frozenset(), frozenset(), frozenset()))
            at = start + len(text)
    found = align.align(props, texts, embed_tokens if embedded else None)
    column = {(a, s): k for k, (a, s, _, _) in enumerate(found.sentences)}
    settle_a, settle_b = found.support[0, column[("b", 0)]], found.support[2, column[("a", 0)]]
    assert min(settle_a, settle_b) >= found.threshold
    assert found.support[1, column[("b", 1)]] < found.threshold
    assert found.probability[0, 2] >= found.threshold > found.probability[1, 3]
    assert np.allclose(found.probability, found.probability.T)


def test_a_sentence_sharing_the_statements_rare_words_is_compared_whatever_its_pooled_rank():  # type: ignore[no-untyped-def]
    statement = pairs.make_unit("a", frozenset(), None, "Ferry operator fined over the Kestrel Point collision", 0, 53)
    others = [pairs.make_unit("b", frozenset(), None, f"Sentence {k} of the other report.", 0, 10) for k in range(9)]
    nearness = np.linspace(0.9, 0.3, len(others), dtype=np.float32)[None, :]  # pooled cosine: the last is nearest to none
    lexical = np.zeros((1, len(others)), dtype=np.float32)
    lexical[0, -1] = 0.6  # ... but it alone shares "Kestrel Point"
    assert not pairs.candidates(nearness, [statement], others)[0, -1]
    chosen = pairs.candidates(nearness, [statement], others, lexical=lexical)
    assert chosen[0, -1] and chosen[0, :pairs.CANDIDATES].all() and chosen.sum() == pairs.CANDIDATES + 1


def _unit(rng, article, pieces, named=0):  # type: ignore[no-untyped-def]
    from newsfuse.fuse.pairs import Unit
    from newsfuse.text.embeddings import TokenVectors

    vectors = rng.normal(size=(pieces, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = rng.integers(1000, 1030, size=pieces).astype(np.int32)
    offsets = np.stack([np.arange(pieces) * 3, np.arange(pieces) * 3 + 2], axis=1).astype(np.int32)
    return Unit(article, "x", frozenset(), TokenVectors(ids, offsets, vectors), np.arange(pieces) < named)


def test_piece_scores_are_greedy_matching_of_each_pair():  # type: ignore[no-untyped-def]
    # The scores are laid out for all pairs at once; each pair must still score as its own greedy matching.
    from newsfuse.fuse.pairs import NO_TOKENS, PIECE_MATCH, Unit, _piece_scores, piece_idf

    rng = np.random.default_rng(7)
    left = [_unit(rng, "a", n, named=2) for n in (3, 8, 1, 5)]
    right = [_unit(rng, "b", n) for n in (4, 2, 9)] + [Unit("c", "y", frozenset(), NO_TOKENS), _unit(rng, "c", 6)]
    idf = piece_idf([*left, *right])
    rows = np.array([0, 0, 0, 1, 1, 2, 3, 3, 3, 3], dtype=np.int64)
    cols = np.array([0, 2, 4, 1, 3, 0, 0, 1, 2, 4], dtype=np.int64)
    got = _piece_scores(left, right, idf, rows, cols)
    for k, (i, j) in enumerate(zip(rows, cols)):
        one, other = left[i].tokens, right[j].tokens
        if not len(other.ids):
            assert got[k, 1] == 0.0 and got[k, 0] <= 0.0
            continue
        cos = one.vectors @ other.vectors.T
        w_l = np.array([idf[int(p)] for p in one.ids], dtype=np.float32)
        w_r = np.array([idf[int(p)] for p in other.ids], dtype=np.float32)
        best = cos.max(axis=1)
        content = w_l * ~left[i].in_names
        expected = [w_l @ best / w_l.sum(), w_r @ cos.max(axis=0) / w_r.sum(), (best > PIECE_MATCH).mean(),
                    content @ best / content.sum() if content.sum() else 0.0]  # all names: nothing beyond
        np.testing.assert_allclose(got[k], expected, rtol=1e-5, atol=1e-6)
