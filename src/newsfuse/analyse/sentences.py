"""Parse an article paragraph by paragraph and give its sentences with character spans into the text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsfuse.models import Article, Sentence

# Paragraphs parsed together per nlp.pipe call: larger batches amortise spaCy's per-batch overhead.
PIPE_BATCH = 64
# A paragraph longer than this is parsed in pieces cut after a sentence end, so that analysis time and
# memory stay linear in the text: the longest paragraph in GVA (71,447 paragraphs, ../shared/data) has
# 13,066 characters, its 99.99th percentile 6,270; only freak input (a page with no breaks) is cut.
MAX_PARSE_CHARS = 20_000
# Where a sentence ends: a stop, any closing quotes or brackets, then white space.
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


@dataclass
class Parsed:
    """One article with its spaCy docs (one per paragraph, or per piece of an over-long one) and sentences;
    spans are absolute."""

    article: Article
    docs: list[tuple[int, int, Any]]  # (paragraph index, char offset into article.text, Doc)
    title_doc: Any | None = None
    sentences: list[Sentence] = field(default_factory=list)
    sent_spans: list[tuple[int, Any]] = field(default_factory=list)  # (char offset, spaCy Span), by sentence index
    _starts: list[int] = field(default_factory=list)
    docs_offset: dict[int, int] = field(default_factory=dict)  # id(Doc) -> its char offset
    _doc_starts: list[int] = field(default_factory=list)  # char offset of each doc, in order

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


def parse_pieces(paragraph: str, offset: int) -> list[tuple[int, str]]:
    """(char offset, text) pieces of a paragraph, each at most MAX_PARSE_CHARS, cut after the last
    sentence end that fits (else the last space, else anywhere); one piece for a paragraph of normal size."""
    pieces, start = [], 0
    while len(paragraph) - start > MAX_PARSE_CHARS:
        window = paragraph[start:start + MAX_PARSE_CHARS]
        ends = [m.end() for m in SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends else (window.rfind(" ") + 1 or MAX_PARSE_CHARS)
        pieces.append((offset + start, window[:cut]))
        start += cut
    pieces.append((offset + start, paragraph[start:]))
    return pieces


def parse_articles(articles: Iterable[Article], nlp: Any) -> Iterator[Parsed]:
    """Parse many articles with one nlp.pipe stream (fast); yields one Parsed per article, in order."""
    articles = list(articles)
    texts: list[str] = []
    owners: list[tuple[int, int, int]] = []  # (article index, paragraph index or -1 for title, offset)
    for a_index, article in enumerate(articles):
        texts.append(article.title or "")
        owners.append((a_index, -1, 0))
        for p_index, offset in enumerate(paragraph_offsets(article)):
            for piece_offset, piece in parse_pieces(article.paragraphs[p_index], offset):
                texts.append(piece)
                owners.append((a_index, p_index, piece_offset))
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
    parsed._doc_starts = [offset for _, offset, _ in parsed.docs]
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
    # The paragraph by bisection (this runs for every date, quote and speaker: a scan of all paragraphs
    # per call was a visible share of the analysis).
    k = bisect_right(parsed._doc_starts, char) - 1
    if k < 0 or k >= len(parsed.docs):
        return None
    _, offset, doc = parsed.docs[k]
    if char >= offset + doc_length(doc):
        return None
    span = doc.char_span(char - offset, char - offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# Auxiliaries that put a clause ahead of the moment of writing ("will meet", "'ll leave", "won't sign").
FUTURE_AUXILIARIES = frozenset({"will", "shall", "would", "'ll", "’ll", "wo"})
# Verbs whose passive or complement speaks of what is still to come ("is expected in December",
# "was scheduled for Dec. 10", "plans to vote Friday", "is due to meet").
AHEAD_LEMMAS = frozenset("expect schedule set plan due slate intend aim propose prepare vow promise "
                         "threaten hope seek".split())
# A non-finite verb (participle, gerund, infinitive) has no tense of its own: it takes the tense of the
# verb it hangs off through these relations ("began trading in August", "to be published in November").
NON_FINITE_LINKS = frozenset({"xcomp", "advcl", "acl", "conj", "pcomp", "prep", "pobj", "ccomp", "relcl"})
# How many verbs up the parse tree a date's tense is looked for.
TENSE_CLIMB = 3


def tense_at(parsed: Parsed, char: int) -> str | None:
    """'past' or 'future' for the clause a date at `char` belongs to, or None when the parse cannot tell.

    The governing verb decides through its auxiliaries and tense; a participle, gerund or infinitive
    defers to the verb above it. A plain present ("meets Bush on Thursday") is left undecided: news
    uses it for schedules ahead and for headlines alike.
    """
    token = token_at(parsed, char)
    verb = _verb_above(token)
    for _ in range(TENSE_CLIMB):
        if verb is None:
            return None
        reading = _tense_of(verb)
        if reading is not None:
            return reading
        if verb.tag_ in ("VBZ", "VBP") or verb.dep_ not in NON_FINITE_LINKS or verb.head.i == verb.i:
            return None
        verb = _verb_above(verb.head)
    return None


def _verb_above(token: Any | None) -> Any | None:
    while token is not None and token.pos_ not in ("VERB", "AUX"):
        if token.head.i == token.i:
            return None
        token = token.head
    return token


def _tense_of(verb: Any) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUXILIARIES or (verb.head.lower_ == "going" and "to" in words):
        return "future"
    if verb.lemma_ in AHEAD_LEMMAS and (verb.tag_ == "VBN" or verb.lemma_ == "due"):
        return "future"
    if verb.head.i != verb.i and verb.head.lemma_ in AHEAD_LEMMAS and "to" in words:
        return "future"
    if verb.tag_ == "VBN" and not auxes and verb.dep_ in ("acl", "advcl"):
        return "past"  # a reduced relative: "the terms, announced Friday, ..."
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "had", "'ve", "’ve") for a in auxes):
        return "past"
    if any(a.tag_ in ("VBZ", "VBP") for a in auxes) and verb.tag_ == "VBG":
        return "future"  # a present progressive with a date is a plan: "is meeting Bush on Thursday"
    return None
