"""Parse an article paragraph by paragraph and give its sentences with character spans into the text."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsfuse.models import Article, Sentence

# Paragraphs parsed together per nlp.pipe call: larger batches amortise spaCy's per-batch overhead.
PIPE_BATCH = 64


@dataclass
class Parsed:
    """One article with its spaCy docs (one per paragraph) and sentences; spans are absolute."""

    article: Article
    docs: list[tuple[int, int, Any]]  # (paragraph index, char offset into article.text, Doc)
    title_doc: Any | None = None
    sentences: list[Sentence] = field(default_factory=list)
    sent_spans: list[tuple[int, Any]] = field(default_factory=list)  # (char offset, spaCy Span), by sentence index
    _starts: list[int] = field(default_factory=list)
    docs_offset: dict[int, int] = field(default_factory=dict)  # id(Doc) -> its char offset

    def sentence_at(self, char: int) -> int:
        """Index of the sentence containing a character offset (the nearest one before it)."""
        return max(0, bisect_right(self._starts, char) - 1)

    def tokens(self) -> Iterator[tuple[int, Any]]:
        """Every token with the char offset of its paragraph."""
        for _, offset, doc in self.docs:
            for token in doc:
                yield offset, token


def paragraph_offsets(article: Article) -> list[int]:
    """Where each paragraph starts in article.text (paragraphs are joined by a blank line)."""
    offsets, pos = [], 0
    for paragraph in article.paragraphs:
        found = article.text.find(paragraph, pos)
        offsets.append(found if found >= 0 else pos)
        pos = (found if found >= 0 else pos) + len(paragraph)
    return offsets


def parse_articles(articles: Iterable[Article], nlp: Any) -> Iterator[Parsed]:
    """Parse many articles with one nlp.pipe stream (fast); yields one Parsed per article, in order."""
    articles = list(articles)
    texts: list[str] = []
    owners: list[tuple[int, int, int]] = []  # (article index, paragraph index or -1 for title, offset)
    for a_index, article in enumerate(articles):
        texts.append(article.title or "")
        owners.append((a_index, -1, 0))
        for p_index, offset in enumerate(paragraph_offsets(article)):
            texts.append(article.paragraphs[p_index])
            owners.append((a_index, p_index, offset))
    parsed = [Parsed(article, []) for article in articles]
    for (a_index, p_index, offset), doc in zip(owners, nlp.pipe(texts, batch_size=PIPE_BATCH)):
        if p_index < 0:
            parsed[a_index].title_doc = doc
        else:
            parsed[a_index].docs.append((p_index, offset, doc))
    for item in parsed:
        _add_sentences(item)
        yield item


def _add_sentences(parsed: Parsed) -> None:
    parsed.docs_offset = {id(doc): offset for _, offset, doc in parsed.docs}
    index = 0
    for p_index, offset, doc in parsed.docs:
        for sent in doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            parsed.sentences.append(Sentence(parsed.article.id, index, start, start + len(text), text, p_index))
            parsed.sent_spans.append((offset, sent))
            parsed._starts.append(start)
            index += 1


def doc_length(doc: Any) -> int:
    """len(doc.text) without building the text (spaCy joins every token's text for doc.text)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def token_at(parsed: Parsed, char: int) -> Any | None:
    """The token covering a character offset of the article text."""
    for _, offset, doc in parsed.docs:
        if offset <= char < offset + doc_length(doc):
            span = doc.char_span(char - offset, char - offset + 1, alignment_mode="expand")
            return span[0] if span is not None and len(span) else None
    return None


# Present-tense verbs with a day name speak of the schedule ahead ("leaves on Thursday", "is due to meet").
FUTURE_TAGS = frozenset({"VBZ", "VBP", "VB", "VBG"})
PAST_TAGS = frozenset({"VBD", "VBN"})


def tense_at(parsed: Parsed, char: int) -> str | None:
    """'past' or 'future' for the verb that governs the token at `char`, or None when the parse cannot tell."""
    token = token_at(parsed, char)
    while token is not None and token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    if token is None or token.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "shall", "'ll", "would", "’ll") for a in auxes) or (
            any(a.lower_ == "to" for a in auxes) and token.head.lemma_ in ("be", "due", "plan", "expect", "set")):
        return "future"
    if token.tag_ in PAST_TAGS or any(a.tag_ in PAST_TAGS or a.lower_ in ("has", "have", "had") for a in auxes):
        return "past"
    if token.tag_ in FUTURE_TAGS and not any(a.tag_ == "VBD" for a in auxes):
        return "future" if token.dep_ != "ROOT" or token.tag_ != "VBG" else None
    return None
