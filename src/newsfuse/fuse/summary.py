"""A short extractive account: consensus first, then what one outlet alone reports, then the disagreements.

Every sentence is a source span as written, or a fixed frame around source spans ("Only X reports: ...",
"X says ...; Y says ..."), and cites the articles and spans it comes from, so check.py can trace it. A fact
whose sources dispute a value (fuse/disputes.py) is never stated as agreed: each outlet's own words are
given with its name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newsfuse.fuse.check import as_sentence, check_sentence, span_text, standalone, states_disputed
from newsfuse.fuse.propositions import Proposition
from newsfuse.models import Article, Conflict, Fact, SourceSpan, SummarySentence
from newsfuse.text.outlet_names import prose_name
from newsfuse.text.words import FUNCTION_WORDS

# Sizes: a choice, so that the summary of a 3-article story reads in about a minute.
MAX_CONSENSUS = 5
MAX_SINGLE = 5
MAX_SINGLE_PER_OUTLET = 2
MAX_CONFLICTS = 3
# Outlets named in one "X says ...; Y says ..." sentence at most (the disputing ones first).
MAX_PARTS = 3
# A fact clause shorter than this many characters is too thin to stand as a summary sentence.
MIN_SENTENCE_CHARS = 40
# A call for tips ("Anyone with information is asked to call Crime Stoppers at (318) 673-7373"): a fact of the
# page, in every crime story, and nothing a reader learns about the event, so never a summary sentence.
TIP_LINE_APPEAL = re.compile(
    r"\b(?:anyone with (?:any )?information|(?:is|are) (?:asked|urged|encouraged) to (?:call|contact)|"
    r"crime ?stoppers|tip ?line)\b|\(?\b\d{3}\)?[ .-]\d{3}-(?:\d{4}|[A-Z]{4})\b", re.I)
# A speaker's own words outside quotation marks: a speech or statement printed as text ("During the campaign I
# promised ..."). In a summary they read as the writer's; who says them is in another sentence, if anywhere.
FIRST_PERSON = re.compile(r"\bI(?=\s+[a-z]|['’][a-z])|\b(?:[Ww]e|[Oo]ur|[Mm]y|us|me)\b")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|``.*?''")


def _usable(fact: Fact) -> bool:
    text = standalone(fact.text)
    return (len(text) >= MIN_SENTENCE_CHARS and not text.lstrip("“\"")[:1].islower()
            and not TIP_LINE_APPEAL.search(text) and not FIRST_PERSON.search(QUOTED.sub("", text)))


def _is_quote(fact: Fact) -> bool:
    """A fact that is mostly a direct quote belongs to "who said what", not to the summary's details."""
    return fact.text.lstrip()[:1] in "“\"" and len(re.findall(r"[“”\"]", fact.text)) >= 2


def _articles(spans: Sequence[SourceSpan]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.article for s in spans))


def consensus(facts: Sequence[Fact], first_at: dict[str, float], articles: dict[str, Article],
              conflicts: Sequence[Conflict] = ()) -> list[SummarySentence]:
    """The facts every source reports (then most sources), in the order the articles tell them; a disputed
    one says which outlet gives which words."""
    ranked = [f for f in facts if f.status == "all" and _usable(f)]
    ranked += [f for f in facts if f.status == "some" and _usable(f) and len(set(f.outlets)) >= 2]
    out: list[tuple[float, SummarySentence]] = []
    said: set[str] = set()
    for fact in sorted(ranked, key=lambda f: (f.status != "all", first_at.get(f.id, 1.0))):
        if fact.disputed:
            sentence = _undisputed_words(fact, articles, conflicts) or _disputed(fact, articles)
        else:
            sentence = SummarySentence(as_sentence(fact.text), _articles(fact.sources), "consensus", fact.sources)
        if sentence is not None and sentence.text not in said and check_sentence(sentence, articles, conflicts).ok:
            said.add(sentence.text)
            out.append((first_at.get(fact.id, 1.0), sentence))
        if len(out) == MAX_CONSENSUS:
            break
    return [sentence for _, sentence in sorted(out, key=lambda pair: pair[0])]


def _undisputed_words(fact: Fact, articles: dict[str, Article], conflicts: Sequence[Conflict]) -> SummarySentence | None:
    """A disputed fact told in the words of one of its sources that state none of the disputed values (the
    meeting, without the title one outlet gives the man it was with), citing every source: nothing in
    it is disputed, so every outlet supports it."""
    disputes = [conflicts[i] for i in fact.conflicts if i < len(conflicts)]
    for span in fact.sources:
        text = span_text(articles, span)
        if len(standalone(text)) < MIN_SENTENCE_CHARS or text.lstrip("“\"")[:1].islower():
            continue
        if not any(states_disputed(text, v.value, c) for c in disputes for v in c.values):
            return SummarySentence(as_sentence(text), _articles(fact.sources), "consensus", fact.sources)
    return None


def _disputed(fact: Fact, articles: dict[str, Article]) -> SummarySentence | None:
    """"X says <X's words>; Y says <Y's words>." for a fact whose sources disagree on a value."""
    first_span: dict[str, SourceSpan] = {}
    for span in fact.sources:
        first_span.setdefault(span.article, span)
    order = sorted(first_span, key=lambda a: a not in fact.disputed)
    by_words: dict[str, list[str]] = {}
    for article_id in order:
        words = _clause(span_text(articles, first_span[article_id]))
        by_words.setdefault(words, []).append(article_id)
    parts, spans = [], []
    for words, ids in list(by_words.items())[:MAX_PARTS]:
        outlets = list(dict.fromkeys(prose_name(articles[a].outlet or a) for a in ids))
        parts.append(f"{' and '.join(outlets)} {'says' if len(outlets) == 1 else 'say'} {words}")
        spans += [first_span[a] for a in ids]
    if len(parts) < 2:
        return None
    return SummarySentence("; ".join(parts) + ".", _articles(spans), "disputed", tuple(spans))


def _clause(text: str) -> str:
    """A span as it reads after "X says": no full stop, and a lower-case first word unless it is a name."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    return text[:1].lower() + text[1:] if first.lower() in FUNCTION_WORDS else text


def notable_single(facts: Sequence[Fact], props_of: dict[str, list[Proposition]], outlet_of: dict[str, str],
                   known: set[str], articles: dict[str, Article]) -> list[SummarySentence]:
    """What one outlet alone reports, ranked by the new names, numbers and dates it brings."""
    def novelty(fact: Fact) -> float:
        props = props_of.get(fact.id, [])
        new = {e for p in props for e in p.entities} - known
        figures = sum(_figure_weight(n) for p in props for n in p.numbers)
        return len(new) + figures + len({d for p in props for d in p.dates}) + min(len(fact.text), 200) / 400

    candidates = sorted((f for f in facts if f.status == "one" and _usable(f) and not _is_quote(f)), key=novelty, reverse=True)
    per_outlet: Counter[str] = Counter()
    out = []
    for fact in candidates:
        outlet = outlet_of.get(fact.sources[0].article, "")
        if per_outlet[outlet] >= MAX_SINGLE_PER_OUTLET or novelty(fact) < 1:
            continue
        sentence = SummarySentence(f"Only {outlet} reports: {as_sentence(fact.text)}", _articles(fact.sources),
                                   "single", fact.sources)
        if not check_sentence(sentence, articles).ok:
            continue  # e.g. a quotation whose speaker is in another sentence
        per_outlet[outlet] += 1
        out.append(sentence)
        if len(out) == MAX_SINGLE:
            break
    return out


def _figure_weight(number: str) -> float:
    """Money and percentages are what a reader looks for in a detail; counts ("two sides") much less."""
    unit = number.split("|", 1)[1]
    return 3.0 if unit in ("%", "USD", "EUR", "GBP") or len(unit) == 3 and unit.isupper() else 0.5


def conflict_sentences(conflicts: Sequence[Conflict], articles: dict[str, Article]) -> list[SummarySentence]:
    """One sentence per disagreement, each value quoted as written with the outlets that give it."""
    out = []
    for conflict in conflicts[:MAX_CONFLICTS]:
        by_outlets: dict[tuple[str, ...], list[str]] = {}
        spans, citable = [], True
        for value in conflict.values:
            found = [s for a in value.articles if (s := _find(articles.get(a), value.value))]
            citable = citable and bool(found)  # a value not found as written cannot be cited
            outlets = tuple(dict.fromkeys(prose_name(articles[s.article].outlet or s.article) for s in found))
            by_outlets.setdefault(outlets, []).append(value.value)
            spans += found
        if not citable:
            continue
        parts = [f"{' and '.join(outlets)} {'gives' if len(outlets) == 1 else 'give'} "
                 + " and ".join(_quoted(v) for v in values) for outlets, values in by_outlets.items()]
        if conflict.slot == "name":
            about_span = spans[:1]
            text = f"{conflict.about} is spelled as {' and '.join(_quoted(v.value) for v in conflict.values)}: {'; '.join(parts)}."
        elif conflict.slot == "title":
            about_span = [s for a in (*(i for v in conflict.values for i in v.articles), *articles)
                          if (s := _find(articles.get(a), conflict.about))][:1]
            text = f"Outlets differ on the title of {conflict.about}: {'; '.join(parts)}."
        else:
            about_span = []
            article = "an" if conflict.slot[:1] in "aeiou" else "a"
            text = f"Outlets differ on {article} {conflict.slot}: {'; '.join(parts)}."
        sources = tuple(spans + about_span)
        out.append(SummarySentence(text, _articles(sources), "conflict", sources))
    return out


def _quoted(value: str) -> str:
    return f"“{value}”"


def _find(article: Article | None, phrase: str) -> SourceSpan | None:
    if article is None:
        return None
    match = re.search(re.escape(phrase).replace("\\ ", r"\s+"), article.text)
    return SourceSpan(article.id, -1, match.start(), match.end()) if match else None


def summarise(facts: Sequence[Fact], conflicts: Sequence[Conflict], props: Sequence[Proposition],
              articles: dict[str, Article]) -> list[SummarySentence]:
    """Consensus, then notable single-outlet details, then conflicts."""
    props_of: dict[str, list[Proposition]] = {}
    by_span = {(p.article_id, p.start): p for p in props}
    for fact in facts:
        props_of[fact.id] = [by_span[(s.article, s.start)] for s in fact.sources if (s.article, s.start) in by_span]
    first_at = {f.id: min((p.position for p in props_of[f.id]), default=1.0) for f in facts}
    outlet_of = {a.id: prose_name(a.outlet or a.id) for a in articles.values()}
    head = consensus(facts, first_at, articles, conflicts)
    known = {e for s in head for span in s.sources if (p := by_span.get((span.article, span.start))) for e in p.entities}
    return head + notable_single(facts, props_of, outlet_of, known, articles) + conflict_sentences(conflicts, articles)
