"""Who said what across a story: quotes grouped by speaker, the same words matched across outlets.

Quotes come from the analysis stage (speaker, cue, content spans). Here we only decide which quotes
of one speaker say the same thing, word for word (verbatim) or in other words (paraphrased).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsfuse.fuse.conflicts import speaker_key
from newsfuse.fuse.entities import StoryEntities
from newsfuse.fuse.propositions import content_words
from newsfuse.models import Analysis, Article, Quote, SourceSpan, StoryQuote

# Two quotes of one speaker say the same thing when their content-word Dice overlap reaches this: a
# design choice checked on the seeds (Zakharova's agenda, carried by all three outlets in different
# words, groups into one quote; Lavrov's separate statements stay apart), not tuned on a benchmark.
PARAPHRASE_OVERLAP = 0.45
# Quotes shorter than this many characters are fragments ("scare quotes"), kept only when direct.
MIN_QUOTE_CHARS = 12


def normalise_quote(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"[^\w\s']", " ", text).split())


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def is_verbatim(a: str, b: str) -> bool:
    na, nb = normalise_quote(a), normalise_quote(b)
    return bool(na) and bool(nb) and (na in nb or nb in na)


def group_quotes(articles: Sequence[Article], analyses: dict[str, Analysis], story: StoryEntities) -> list[StoryQuote]:
    """Every quote of the story, grouped by speaker and by what was said; widely carried ones first."""
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in articles:
        analysis = analyses.get(article.id)
        for quote in analysis.quotes if analysis else ():
            if len(quote.content.strip()) < MIN_QUOTE_CHARS or not quote.speaker.strip():
                continue
            if quote.kind != "speech" and not quote.direct:
                continue  # who said what: an attitude ("Russia has not imposed sanctions") is not a statement
            key, name = speaker_key(quote, story)
            by_speaker[key].append(quote)
            names.setdefault(key, name)
    records = []
    for key, quotes in by_speaker.items():
        for cluster in _clusters(quotes):
            records.append(_record(names[key], cluster))
    return sorted(records, key=lambda q: (-len(q.articles), q.speaker, q.sources[0].start if q.sources else 0))


def _clusters(quotes: list[Quote]) -> list[list[Quote]]:
    clusters: list[list[Quote]] = []
    for quote in quotes:
        words = set(content_words(quote.content))
        for cluster in clusters:
            if any(q.article_id != quote.article_id and (
                    is_verbatim(q.content, quote.content) or _dice(words, set(content_words(q.content))) >= PARAPHRASE_OVERLAP)
                   for q in cluster):
                cluster.append(quote)
                break
        else:
            clusters.append([quote])
    return clusters


def _record(speaker: str, cluster: list[Quote]) -> StoryQuote:
    lead = max(cluster, key=lambda q: (q.direct, len(q.content)))
    verbatim = tuple(dict.fromkeys(q.article_id for q in cluster if is_verbatim(q.content, lead.content)))
    paraphrased = tuple(dict.fromkeys(q.article_id for q in cluster if q.article_id not in verbatim))
    return StoryQuote(
        speaker=speaker, text=lead.content.strip(), direct=lead.direct,
        articles=tuple(dict.fromkeys(q.article_id for q in cluster)),
        verbatim=verbatim, paraphrased=paraphrased,
        sources=tuple(SourceSpan(q.article_id, q.sentence, q.content_start, q.content_end) for q in cluster),
        variants=tuple(dict.fromkeys(q.content.strip() for q in cluster if not is_verbatim(q.content, lead.content))),
    )
