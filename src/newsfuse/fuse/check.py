"""The faithfulness check: every word of the account must be traceable to a source span.

Facts and timeline rows must be their source's words exactly; quotes must appear verbatim in the
articles said to carry them verbatim; a summary sentence may only use words of the spans it cites,
the names of the outlets it cites, and a closed set of connective words of its templates. Names and
numbers get no exemption.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsfuse.models import Article, FusedStory, SourceSpan, SummarySentence

# The only words a summary may add to its sources: the connectives of summary.py's templates.
TEMPLATE_WORDS = frozenset(
    "only reports report outlets differ on the of a an and name spelled as title number date place attribution "
    "gives give says say calls call is are in".split()
)
_TOKEN = re.compile(r"[\w][\w.,'’\-]*[\w]|[\w]")


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens, typographic apostrophes folded."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def _token_set(text: str) -> set[str]:
    out = set()
    for token in tokens(text):
        out.add(token)
        out.update(part for part in re.split(r"[\-'.,]", token) if part)  # "Russia-Myanmar" covers "Russia"
        if token.endswith("'s"):
            out.add(token[:-2])
    return out


@dataclass
class CheckResult:
    ok: bool
    untraced: list[str] = field(default_factory=list)
    reason: str = ""


def span_text(articles: dict[str, Article], span: SourceSpan) -> str:
    article = articles.get(span.article)
    return article.text[span.start:span.end] if article else ""


def check_sentence(sentence: SummarySentence, articles: dict[str, Article]) -> CheckResult:
    """Every token of the sentence is in a cited span, a cited outlet's name, or a template word."""
    if not sentence.articles:
        return CheckResult(False, reason="cites no article")
    if not sentence.sources:
        return CheckResult(False, reason="cites no source span")
    allowed = set(TEMPLATE_WORDS)
    for span in sentence.sources:
        if span.article not in sentence.articles:
            return CheckResult(False, reason=f"span of uncited article {span.article}")
        allowed |= _token_set(span_text(articles, span))
    for article_id in sentence.articles:
        outlet = articles[article_id].outlet if article_id in articles else None
        allowed |= _token_set(outlet or article_id)  # an article of unknown outlet is named by its id
    untraced = [t for t in tokens(sentence.text) if t not in allowed and not _parts_allowed(t, allowed)]
    return CheckResult(not untraced, untraced, "untraceable words" if untraced else "")


def _parts_allowed(token: str, allowed: set[str]) -> bool:
    parts = [p for p in re.split(r"[\-'.,]", token) if p]
    return bool(parts) and all(p in allowed for p in parts)


def check_verbatim(text: str, spans: Sequence[SourceSpan], articles: dict[str, Article]) -> CheckResult:
    """The text is, word for word, what at least one of its spans says."""
    if not spans:
        return CheckResult(False, reason="no source span")
    wanted = _squash(text)
    for span in spans:
        if wanted and wanted in _squash(span_text(articles, span)):
            return CheckResult(True)
    return CheckResult(False, reason="not found verbatim in its sources")


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split())


def check_story(fused: FusedStory, articles: dict[str, Article]) -> dict[str, object]:
    """Counts of what was checked and what passed, and each failure with its reason."""
    failures: list[dict[str, str]] = []
    checked = 0

    def record(kind: str, text: str, result: CheckResult) -> None:
        nonlocal checked
        checked += 1
        if not result.ok:
            failures.append({"kind": kind, "text": text, "reason": result.reason, "untraced": " ".join(result.untraced)})

    for fact in fused.facts:
        record("fact", fact.text, check_verbatim(fact.text, fact.sources, articles))
    for quote in fused.quotes:
        verbatim_spans = [s for s in quote.sources if s.article in (quote.verbatim or quote.articles)]
        record("quote", quote.text, check_verbatim(quote.text, verbatim_spans, articles))
    for entry in fused.timeline:
        record("timeline", entry.text, check_verbatim(entry.text, entry.sources, articles))
    for sentence in fused.summary:
        record("summary", sentence.text, check_sentence(sentence, articles))
    return {"checked": checked, "passed": checked - len(failures), "failures": failures}
