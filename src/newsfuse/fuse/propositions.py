"""Split analysed sentences into clause-level statements (propositions) with their alignment features.

SuperPAL (CoNLL 2021) aligns propositions, not sentences: one sentence often carries two facts
("Lavrov's first visit ... comes ahead of ... Cambodia"). We split on clause boundaries that need no
parse (semicolons, non-embedded relative and participle clauses, clausal ", and"), so a statement is
always one contiguous span of its article and can be quoted back verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsfuse.models import Analysis, Article, Sentence
from newsfuse.text.social import words_end
from newsfuse.text.spans import TEXT_PART, TITLE_PART
from newsfuse.text.words import FUNCTION_WORDS, stem

# The sentence index of a headline's statements: the title is no analysis sentence (analysis gives its
# mentions sentence -1 too).
TITLE_SENTENCE = -1

# Pieces with fewer content words than this are glued back onto their neighbour: too short to be a
# fact of their own ("Cheng added"). 3 keeps "after which Lavrov will head to Cambodia" apart on the
# seeds; bench/align_superpal.py (dev) gives the same F1 0.441 for 2, 3 and 4.
MIN_CONTENT_WORDS = 3

# Clause openers after a comma. A relative clause that is closed by a comma and followed by the main
# verb ("Min Aung Hlaing, who heads ..., has visited") is embedded and stays with its sentence.
_OPENERS = (
    r"which|who|whom|where|after which|while|whereas|saying|adding|noting(?: that)?|"
    r"although|though|but|because"
)
_BOUNDARY = re.compile(rf"(?:;\s+|,\s+(?=(?:{_OPENERS})\b)|,\s+and\s+(?=(?:its|it|the|he|she|they|we|his|her|their|there|this|that)\b))", re.I)
# After the comma that closes a relative clause, a lowercase word that is not a connective is the
# main verb resuming ("..., which handles 40% of traffic, began a strike"): the clause is embedded.
_NOT_A_VERB = frozenset(
    """and or but according including as which who whom where while with without despite after before in on at
    for from to by saying adding noting the a an its his her their this that these those said""".split()
)

# Function words, and the calendar and counting words that every report of an event shares.
STOP_WORDS = FUNCTION_WORDS | frozenset("ahead day days earlier last later mr ms next s two week year years".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Proposition:
    """One clause-level statement: a contiguous span of one article, with what alignment compares."""

    index: int
    article_id: str
    outlet: str
    sentence: int
    start: int
    end: int
    text: str
    position: float  # 0 at the article's start, 1 at its end: leads come first in a summary
    words: frozenset[str]  # content-word stems
    entities: frozenset[str]  # canonical entity ids or normalised names
    numbers: frozenset[str]
    dates: frozenset[str]
    part: str = TEXT_PART  # "title": start/end point into the article's title (a headline-only article)


def content_words(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stop words, no one-letter tokens)."""
    return list(_content_words(text))


# Clause splitting asks for the content words of the same pieces several times (merging, then
# filtering, then features): remembered per text; 65,536 texts is a few 50-article stories.
@lru_cache(maxsize=65_536)
def _content_words(text: str) -> tuple[str, ...]:
    out = []
    for token in _WORD.findall(text):
        low = token.lower().replace("’", "'")
        if low in STOP_WORDS or low.rstrip("'s") in STOP_WORDS or len(low) < 2:
            continue
        out.append(stem(low))
    return tuple(out)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (relative to `text`) of the clauses of one sentence; quotations are never cut."""
    quoted = _quoted_regions(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_embedded(text, match.end()) or any(a <= match.start() < b for a, b in quoted):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return _merge_short(text, spans)


def _quoted_regions(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r'“[^”]*”|"[^"]*"', text)]


def _is_embedded(text: str, opener_at: int) -> bool:
    """A relative clause closed by a comma and followed by the main verb belongs to its sentence."""
    if not re.match(r"(?:which|who|whom)\b", text[opener_at:], re.I):
        return False
    close = text.find(",", opener_at)
    if close == -1:
        return False
    following = re.match(r"\s*([a-z][\w'’-]*)", text[close + 1:])
    return bool(following) and following.group(1) not in _NOT_A_VERB


def _merge_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and len(content_words(text[start:end])) < MIN_CONTENT_WORDS:
            merged[-1] = (merged[-1][0], end)
        elif merged and len(content_words(text[merged[-1][0]:merged[-1][1]])) < MIN_CONTENT_WORDS:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [_trim(text, s, e) for s, e in merged]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " ,;\n\t":
        end -= 1
    while start < end and text[start] in " ,;\n\t":
        start += 1
    return start, end


EntityIndex = dict[str, list[tuple[int, str]]]  # article id -> (mention start, entity key)


def split_article(
    article: Article, analysis: Analysis, entity_of: EntityIndex, start_index: int = 0,
) -> list[Proposition]:
    """Every proposition of one article, captions left out (they describe the photo, not the story).

    A headline-only article (a feed's or an aggregator's line) has no body: its statements are its headline's
    clauses, and a teaser it may carry is not read as statements (it is the outlet's blurb, cut anywhere)."""
    if article.headline_only:
        return headline_propositions(article, start_index)
    props: list[Proposition] = []
    length = max(len(article.text), 1)
    for sentence in analysis.sentences:
        for start, end in sentence_clauses(article, sentence):
            text = article.text[start:end]
            props.append(Proposition(
                index=start_index + len(props), article_id=article.id, outlet=article.outlet or article.id,
                sentence=sentence.index, start=start, end=end, text=text, position=start / length,
                words=frozenset(content_words(text)),
                entities=frozenset(key for at, key in entity_of.get(article.id, ()) if start <= at < end),
                numbers=frozenset(f"{a.value:g}|{a.unit or ''}" for a in analysis.amounts if start <= a.start < end),
                dates=frozenset(d.value for d in analysis.dates if start <= d.start < end and d.precision == "day"),
            ))
    return props


def headline_propositions(article: Article, start_index: int = 0) -> list[Proposition]:
    """The clauses of an article's headline as statements, their spans into the title."""
    title = article.title
    spans = [(s, e) for s, e in clause_spans(title) if len(content_words(title[s:e])) >= MIN_CONTENT_WORDS]
    return [Proposition(
        index=start_index + k, article_id=article.id, outlet=article.outlet or article.id, sentence=TITLE_SENTENCE,
        start=start, end=end, text=title[start:end], position=0.0, words=frozenset(content_words(title[start:end])),
        entities=frozenset(), numbers=frozenset(), dates=frozenset(), part=TITLE_PART,
    ) for k, (start, end) in enumerate(spans)]


def sentence_clauses(article: Article, sentence: Sentence) -> list[tuple[int, int]]:
    """Article-level spans of the clauses of one sentence that can stand as statements (a question the
    article asks in its own voice, such as a subheading "Which leaders got a state visit?", states nothing)."""
    spans = []
    for piece_start, piece in _paragraph_pieces(article, sentence):
        if _own_question(piece):
            continue
        for rel_start, rel_end in clause_spans(piece):
            if len(content_words(piece[rel_start:rel_end])) >= MIN_CONTENT_WORDS:
                spans.append((piece_start + rel_start, piece_start + rel_end))
    return spans


def _own_question(piece: str) -> bool:
    """A question in the article's voice: it ends with a question mark and quotes no one."""
    return piece.rstrip().endswith("?") and not re.search(r"[“”\"]", piece)


def _paragraph_pieces(article: Article, sentence: Sentence) -> list[tuple[int, str]]:
    """The parts of a sentence outside photo captions, cut at paragraph breaks (a sentence splitter
    may run a caption into the next paragraph)."""
    pieces = []
    offset = sentence.start
    for part in article.text[sentence.start:sentence.end].split("\n\n"):
        if part.strip() and paragraph_of(article, offset) not in article.caption_paragraphs:
            pieces.append((offset, part[:words_end(part)]))  # an embedded tweet's words, not its links and signature
        offset += len(part) + 2
    return pieces


def paragraph_of(article: Article, offset: int) -> int:
    """Index of the paragraph holding character `offset` (paragraphs are joined by a blank line)."""
    position = 0
    for index, paragraph in enumerate(article.paragraphs):
        end = position + len(paragraph)
        if offset < end + 2:
            return index
        position = end + 2
    return len(article.paragraphs) - 1


def split_story(
    articles: Sequence[Article], analyses: dict[str, Analysis], entity_of: EntityIndex,
) -> list[Proposition]:
    """The propositions of every article of a story, indexed 0..n-1 in article order."""
    props: list[Proposition] = []
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is not None:
            props.extend(split_article(article, analysis, entity_of, len(props)))
    return props
