"""Align propositions across a story's articles and cluster them into facts, each with its status.

Two statements of different articles are scored by the learned pair scorer (fuse/pairs.py: MiniLM word
pieces, TF-IDF, entities, numbers and how each pair ranks among its rivals), fitted on SuperPAL dev.
Facts are built by greedy average-linkage merging of the best cross-article pairs; then an article
supports a fact when one of its sentences states it, even inside a longer sentence that states more.
Status counts independent sources: copies of one wire report count once.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsfuse.fuse import pairs
from newsfuse.fuse.propositions import TITLE_SENTENCE, Proposition, content_words
from newsfuse.models import Fact, SourceSpan
from newsfuse.text.embeddings import TokenVectors
from newsfuse.text.spans import TEXT_PART, TITLE_PART, part_text
from newsfuse.text.unionfind import UnionFind

# texts -> their word-piece vectors (text/embeddings.embed_tokens, or the store's persisted copy of them).
Embedder = Callable[[list[str]], list[TokenVectors]]

# Weight of entity and number features in the TF-IDF cosine relative to a content word (a shared name or
# figure is stronger evidence of the same fact than a shared common word). A design choice kept from the
# first aligner; the pair model weighs the cosine itself, fitted on SuperPAL dev.
ENTITY_WEIGHT = 2.0
# Two clusters merge only if their average cross-article probability also reaches the model's threshold
# times this ratio: stops chaining ("Lavrov arrived" -> "Lavrov met" -> "met Min Aung Hlaing"). Average
# linkage at the pair threshold, not tuned (SuperPAL has no clusters to tune it on).
LINKAGE_RATIO = 1.0
# Two articles are copies of one report when this share of the shorter one's propositions has a
# near-verbatim twin (lexical cosine >= COPY_SIMILARITY) in the other. Not tuned on a benchmark (none of
# ours marks wire copies): set by reading, so that a lightly edited copy is one source and independent
# reports of one event, which share names and figures but not wording, are not.
COPY_SHARE = 0.6
COPY_SIMILARITY = 0.75


@dataclass(frozen=True)
class Alignment:
    """How likely each pair of a story's statements states one fact, and each statement's support by sentences.

    `probability` (statements x statements) drives clustering; `support` (statements x sentences) says
    whether a sentence of another article states the statement; `lexical` is the TF-IDF cosine (for copies
    and counts)."""

    probability: np.ndarray
    threshold: float
    lexical: np.ndarray
    support: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    sentences: tuple[tuple[str, int, int, int], ...] = ()  # (article id, sentence index, start, end)
    sentence_texts: tuple[str, ...] = ()
    # Whether either statement's sentence states the other, and the pair model's best-F1 threshold for it:
    # "about the same thing", looser than a shared fact (conflicts.count_conflicts).
    related: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    related_threshold: float = 1.0

    @property
    def similarity(self) -> np.ndarray:
        return self.probability


def statement_sentences(props: Sequence[Proposition]) -> list[tuple[str, int, int, int]]:
    """(article id, sentence index, start, end) of each sentence that holds statements: the contiguous span
    from its first statement to its last (captions and paragraph breaks already left out)."""
    spans: dict[tuple[str, int], list[int]] = {}
    for p in props:
        span = spans.setdefault((p.article_id, p.sentence), [p.start, p.end])
        span[0], span[1] = min(span[0], p.start), max(span[1], p.end)
    return [(a, s, start, end) for (a, s), (start, end) in spans.items()]


def sentence_part(sentence: int) -> str:
    """Where a statement sentence's offsets point: a headline's (TITLE_SENTENCE) into the title."""
    return TITLE_PART if sentence == TITLE_SENTENCE else TEXT_PART


def source_span(article: str, sentence: int, start: int, end: int) -> SourceSpan:
    """A fact's source, marked as a headline's when it is one."""
    return SourceSpan(article, sentence, start, end, sentence_part(sentence))


def align(props: Sequence[Proposition], texts: dict[str, str], embed: Embedder | None = None,
          titles: dict[str, str] | None = None) -> Alignment:
    """Score every cross-article pair of statements, and every statement against every other article's sentences.

    `texts` and `titles` map article ids to their text and title (a headline-only article's statements are
    its headline's; `titles` may leave out the other articles)."""
    n = len(props)
    model = pairs.model(full=embed is not None)
    if n == 0:
        empty = np.zeros((0, 0), dtype=np.float32)
        return Alignment(empty, model.fusion_threshold, empty)
    sentences = statement_sentences(props)
    sentence_of = {(a, s): k for k, (a, s, _, _) in enumerate(sentences)}
    titles = titles or {}
    sentence_texts = [part_text(titles.get(a, ""), texts[a], sentence_part(s), start, end)
                      for a, s, start, end in sentences]
    vectors = _cached_vectors(sentence_texts, embed) if embed is not None else [None] * len(sentences)
    clause_units = []
    for p in props:
        k = sentence_of[(p.article_id, p.sentence)]
        offset = p.start - sentences[k][2]
        clause_units.append(pairs.make_unit(p.article_id, p.words, vectors[k], sentence_texts[k], offset, offset + len(p.text)))
    sentence_units = [pairs.make_unit(a, frozenset(content_words(text)), v, text, 0, len(text))
                      for (a, _, _, _), text, v in zip(sentences, sentence_texts, vectors)]
    entities: list[set[str]] = [set() for _ in sentences]
    numbers: list[set[str]] = [set() for _ in sentences]
    for p in props:
        entities[sentence_of[(p.article_id, p.sentence)]].update(p.entities)
        numbers[sentence_of[(p.article_id, p.sentence)]].update(p.numbers)
    sentence_props = [Proposition(n + k, u.article, u.article, 0, 0, len(u.text), u.text, 0.0, u.words,
                                  frozenset(entities[k]), frozenset(numbers[k]), frozenset())
                      for k, u in enumerate(sentence_units)]
    lexical = lexical_similarity([*props, *sentence_props])
    idf = pairs.piece_idf(sentence_units)
    compared = pairs.compare(clause_units, sentence_units, lexical[:n, n:], idf)
    support = compared.matrix(model.probability(compared.features), (n, len(sentences)))
    # Two statements state one fact when each one's sentence states the other; a long sentence that states
    # one of them and more scores high one way only, and supports the fact without joining it (build_facts).
    column = [sentence_of[(p.article_id, p.sentence)] for p in props]
    towards = support[:, column]  # statement i against statement j's sentence
    probability = np.minimum(towards, towards.T).astype(np.float32)
    related = np.maximum(towards, towards.T).astype(np.float32)
    return Alignment(probability, model.fusion_threshold, lexical[:n, :n], support, tuple(sentences),
                     tuple(sentence_texts), related, model.threshold)


# Sentence vectors kept per process, so re-fusing a story whose membership grew embeds only the new
# articles' sentences. 20,000 sentences of ~30 pieces of 384 floats: ~900 MB at most; a 50-article
# story has ~1,500.
VECTOR_CACHE_SIZE = 20_000
_vector_cache: dict[str, TokenVectors] = {}


def _cached_vectors(texts: list[str], embed: Embedder) -> list[TokenVectors]:
    unique = list(dict.fromkeys(texts))
    missing = [t for t in unique if t not in _vector_cache]
    if len(_vector_cache) + len(missing) > VECTOR_CACHE_SIZE:
        _vector_cache.clear()
        missing = unique
    if missing:
        _vector_cache.update(zip(missing, embed(missing)))
    return [_vector_cache[t] for t in texts]


def lexical_similarity(props: Sequence[Proposition]) -> np.ndarray:
    """TF-IDF cosine over stems, entities and numbers, with entities and numbers weighted up.

    Sublinear term frequency (1 + ln tf) and smoothed IDF (ln((1 + n) / (1 + df)) + 1), as scikit-learn's
    TfidfVectorizer computes them, written out so that fusion needs no scikit-learn at run time."""
    from scipy.sparse import csr_matrix, diags

    if not props:
        return np.zeros((0, 0), dtype=np.float32)
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, prop in enumerate(props):
        for feature, count in Counter(_features(prop)).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(feature, len(vocabulary)))
            counts.append(count)
    if not vocabulary:
        return np.zeros((len(props), len(props)), dtype=np.float32)
    matrix = csr_matrix((1.0 + np.log(np.array(counts, dtype=np.float64)), (rows, cols)),
                        shape=(len(props), len(vocabulary)))
    df = np.bincount(np.array(cols), minlength=len(vocabulary))
    boost = np.array([ENTITY_WEIGHT if f.startswith(("E:", "N:")) else 1.0 for f in vocabulary])
    weights = (np.log((1.0 + len(props)) / (1.0 + df)) + 1.0) * boost
    matrix = (matrix @ diags(weights)).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
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
            if _is_copy(by_article[a], by_article[b], alignment.lexical):
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


def expected_sources(source_of: dict[str, str], headline_only: frozenset[str] = frozenset()) -> set[str]:
    """The sources a fact must have to be reported by "all": those with a body. A headline-only article
    says too little to be counted as leaving a fact out; it counts for a fact only when its headline states it
    (a story of headlines alone counts them all)."""
    bodies = {source for article, source in source_of.items() if article not in headline_only}
    return bodies or set(source_of.values())


def build_facts(props: Sequence[Proposition], groups: list[list[int]], alignment: Alignment,
                source_of: dict[str, str], headline_only: frozenset[str] = frozenset()) -> list[Fact]:
    """One Fact per group: its most central readable statement, every member's span as a source, and the
    sentence of each other article that states it (inside a longer sentence too); `headline_only` names the
    articles without a body (see expected_sources)."""
    all_sources = expected_sources(source_of, headline_only)
    outlet_of = {p.article_id: p.outlet for p in props}
    facts = []
    for group in groups:
        members = sorted(group, key=lambda k: (props[k].article_id, props[k].start))
        representative = _central(group, props, alignment.similarity)
        spans = {k: SourceSpan(props[k].article_id, props[k].sentence, props[k].start, props[k].end, props[k].part)
                 for k in members}
        text = props[representative].text
        if not readable(text):  # a fragment ("which he called ...") reads as its whole sentence
            found = _sentence_span(props[representative], alignment)
            if found is not None:
                spans[representative], text = found
        sources = [spans[k] for k in members]
        sources += _supporting(group, props, alignment)
        covered = {source_of[s.article] for s in sources}
        outlets = tuple(dict.fromkeys(outlet_of[s.article] for s in sources))
        facts.append(Fact(
            id=_fact_id(tuple(sources)), text=text, status=status_of(covered, all_sources),  # type: ignore[arg-type]
            sources=tuple(sources), outlets=outlets,
        ))
    return _merge_same_text(facts, all_sources, source_of, outlet_of)


def _merge_same_text(facts: list[Fact], all_sources: set[str], source_of: dict[str, str],
                     outlet_of: dict[str, str]) -> list[Fact]:
    """Facts shown with the same words and told by the same articles are one fact: fragments of one sentence
    each read as that sentence. So is a fact whose words another fact of the same articles shows inside
    longer words (a clause, and its sentence shown for the unreadable clause after it): the longer words
    state both. Told by different articles they stay apart (the sentence states both)."""
    texts_of: dict[frozenset[str], list[tuple[str, str]]] = {}  # article set -> its facts' (text, folded text)
    for fact in facts:
        texts_of.setdefault(frozenset(s.article for s in fact.sources), []).append((fact.text, _folded(fact.text)))
    by_text: dict[tuple[str, frozenset[str]], list[Fact]] = {}
    for fact in facts:
        articles = frozenset(s.article for s in fact.sources)
        by_text.setdefault((_folded(_within(fact.text, texts_of[articles])), articles), []).append(fact)
    out = []
    for same in by_text.values():
        if len(same) == 1:
            out.append(same[0])
            continue
        sources = tuple(dict.fromkeys(s for f in same for s in f.sources))
        covered = {source_of[s.article] for s in sources}
        text = max((f.text for f in same), key=len)
        out.append(Fact(id=_fact_id(sources), text=text, status=status_of(covered, all_sources),  # type: ignore[arg-type]
                        sources=sources, outlets=tuple(dict.fromkeys(outlet_of[s.article] for s in sources))))
    return out


def _within(text: str, texts: list[tuple[str, str]]) -> str:
    """The longest of `texts` ((text, folded text) of the facts of the same articles) that holds `text`,
    punctuation and case aside; itself when none does."""
    words = _folded(text)
    holders = [other for other, folded in texts if len(other) > len(text) and words and f" {words} " in f" {folded} "]
    return max(holders, key=len) if holders else text


def _folded(text: str) -> str:
    """The words alone, case-folded, apostrophes dropped: "a kid's game" and "a kids' game" are one wording."""
    return " ".join(re.sub(r"\W+", " ", re.sub(r"['’]", "", text.casefold())).split())


# A clause cut from its sentence opens in lower case ("which he called ...", "but the talks ..."); a sentence
# may open with "But" or "After", not with a relative pronoun. A closed class (English grammar), not tuned.
RELATIVE_PRONOUNS = frozenset("which who whom whose".split())


def readable(text: str) -> bool:
    """A statement that stands alone: a sentence (a capital first letter, after any quotation mark) that
    does not open with a relative pronoun, not a clause cut from its sentence ("which he called ...",
    "who chairs ...", "but the talks ...")."""
    stripped = text.lstrip("“\"‘' ")
    first = stripped.split(" ", 1)[0].lower().strip(",")
    return bool(stripped) and stripped[:1].isupper() and first not in RELATIVE_PRONOUNS


def _sentence_span(prop: Proposition, alignment: Alignment) -> tuple[SourceSpan, str] | None:
    """The statement sentence holding a proposition, and its text."""
    for k, (article, sentence, start, end) in enumerate(alignment.sentences):
        if article == prop.article_id and sentence == prop.sentence:
            return source_span(article, sentence, start, end), alignment.sentence_texts[k]
    return None


def _supporting(group: list[int], props: Sequence[Proposition], alignment: Alignment) -> list[SourceSpan]:
    """The best sentence of each article outside the group that states one of its members."""
    if not alignment.support.size:
        return []
    covered = {props[k].article_id for k in group}
    best = alignment.support[group].max(axis=0)
    chosen: dict[str, tuple[float, SourceSpan]] = {}
    for k in np.nonzero(best >= alignment.threshold)[0].tolist():  # few: scan only those
        article, sentence, start, end = alignment.sentences[k]
        if article in covered:
            continue
        if article not in chosen or best[k] > chosen[article][0]:
            chosen[article] = (float(best[k]), source_span(article, sentence, start, end))
    return [span for _, span in chosen.values()]


def _central(group: list[int], props: Sequence[Proposition], sim: np.ndarray) -> int:
    """The member most similar to the others; a statement that stands alone goes before a fragment, and
    ties go to a clause that opens its sentence."""
    if len(group) == 1:
        return group[0]

    def score(k: int) -> tuple[bool, float, float]:
        others = [float(sim[k, j]) for j in group if j != k]
        opens_sentence = 1.0 if not props[k].text[:1].islower() else 0.0
        return (readable(props[k].text), sum(others) / len(others) + 0.05 * opens_sentence, -props[k].position)

    return max(group, key=score)


def _fact_id(sources: tuple[SourceSpan, ...]) -> str:
    key = "|".join(f"{s.article}:{s.start}:{s.end}" for s in sources)
    return "f" + hashlib.sha1(key.encode()).hexdigest()[:10]
