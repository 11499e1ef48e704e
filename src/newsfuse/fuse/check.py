"""The faithfulness check: every sentence of the account is its sources' words, in their order.

Facts, timeline rows and quotes must be their source's words exactly. A summary sentence is either one
contiguous source span (a clause opener such as "but" may be dropped, the first letter capitalised and a
full stop added), or one of a fixed set of frames around contiguous source spans:

    Only <outlets> reports: <span>
    <outlets> says <span>; <outlets> says <span>          (also: say, gives, give, reports, report)
    Outlets differ on the <slot> of <span>: <outlets> gives “<span>” and “<span>”; ...
    Outlets differ on a(n) <slot>: ...   <span> is spelled as “<span>” and “<span>”: ...

Each span must lie inside a span the sentence cites, of an article of the outlets the frame names for it,
so numbers, negations, names and word order are those of the source. A quotation must have balanced marks
and a named speaker. And no sentence may cite an article for a value that article disputes (a number,
title, date, name or place of one of the story's conflicts that the article gives otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsfuse.models import Article, Conflict, FusedStory, SourceSpan, SummarySentence
from newsfuse.text.outlet_names import prose_name
from newsfuse.text.spans import part_text
from newsfuse.text.words import FUNCTION_WORDS, stem

# Clause openers a summary may drop so that a clause stands alone ("but the talks stalled" -> "The talks
# stalled"). Not "although", "because", "if", "unless": dropping them would assert what the source only
# concedes or supposes.
DROPPABLE_OPENERS = ("where", "while", "whereas", "noting that", "adding that", "saying that", "but", "and", "so")
_DROPPABLE = re.compile(rf"^(?:{'|'.join(DROPPABLE_OPENERS)})\s+", re.I)
# Verbs of the frames, and the words that name what outlets differ on.
FRAME_VERBS = ("says", "say", "gives", "give", "reports", "report")
SLOTS = ("number", "date", "name", "title", "place", "attribution")
# Words that cue reported speech: a quotation in a summary sentence must come with one of them and a name.
SPEECH_CUES = frozenset(
    "said says say told tells added adds wrote writes stated states according asked asks declared announced "
    "argued argues noted notes insisted insists warned warns explained explains replied".split()
)
_TOKEN = re.compile(r"[\w][\w.,'’\-]*[\w]|[\w]")
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens, typographic apostrophes folded."""
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


@dataclass
class CheckResult:
    ok: bool
    untraced: list[str] = field(default_factory=list)
    reason: str = ""


def span_text(articles: dict[str, Article], span: SourceSpan) -> str:
    """The words a source span points to (into the title for a headline's span)."""
    article = articles.get(span.article)
    return part_text(article.title, article.text, span.part, span.start, span.end) if article else ""


def standalone(text: str) -> str:
    """A clause without the opener that ties it to its sentence, when it can stand alone."""
    return _DROPPABLE.sub("", text.strip(), count=1)


def as_sentence(text: str) -> str:
    """A span written as a summary sentence: opener dropped, first letter capitalised, a full stop added."""
    text = standalone(text)
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?”\"" else text + "."


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


def _inside(piece: str, spans: Sequence[str]) -> bool:
    """The piece (a quoted value, a name) lies inside one of the span texts, word for word, on word edges."""
    wanted = _squash(piece).rstrip(".")
    if not wanted:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    return any(pattern.search(_squash(text)) for text in spans)


def _is_span(piece: str, spans: Sequence[str]) -> bool:
    """The piece is one whole span as a summary writes it: the same words, an opener dropped, the first
    letter's case and the closing full stop aside. A part of a span is not: it could drop a negation or a
    number that qualifies what it keeps."""
    wanted = _fold(piece)
    return bool(wanted) and any(wanted in (_fold(text), _fold(standalone(text))) for text in spans)


def _fold(text: str) -> str:
    text = _squash(text).rstrip(".!?").strip()
    return text[:1].lower() + text[1:]


def _outlet_articles(names: str, cited: Sequence[str], articles: dict[str, Article]) -> list[str] | None:
    """The cited articles of the outlets a frame names ("A", "A and B"); None if a name is no cited outlet."""
    found: list[str] = []
    for name in (n.strip() for n in names.split(" and ")):
        ids = [a for a in cited if a in articles and name in _names_of(articles[a].outlet or a)]
        if not ids:
            return None
        found += ids
    return found


def _names_of(label: str) -> tuple[str, ...]:
    """The ways a frame may name an outlet: its label, or the label as written in prose ("x.com")."""
    return (label, prose_name(label))


def _spans_of(sentence: SummarySentence, ids: Sequence[str], articles: dict[str, Article]) -> list[str]:
    return [span_text(articles, s) for s in sentence.sources if s.article in ids]


def check_sentence(sentence: SummarySentence, articles: dict[str, Article],
                   conflicts: Sequence[Conflict] = ()) -> CheckResult:
    """Whether a summary sentence is a cited span or a frame around cited spans (see the module docstring)."""
    if not sentence.articles:
        return CheckResult(False, reason="cites no article")
    if not sentence.sources:
        return CheckResult(False, reason="cites no source span")
    if any(s.article not in sentence.articles for s in sentence.sources):
        return CheckResult(False, reason="cites a span of an article it does not list")
    text = sentence.text.strip()
    if not balanced(text):
        return CheckResult(False, reason="unbalanced quotation marks")
    problem = _frame_problem(text, sentence, articles)
    if problem:
        return CheckResult(False, untraced=[problem], reason="not its sources' words")
    if _QUOTED.search(text) and not attributed(text):
        return CheckResult(False, reason="a quotation without a named speaker")
    disputed = disputed_citations(sentence, conflicts, articles)
    if disputed:
        return CheckResult(False, untraced=disputed, reason="cites an article for a value it disputes")
    return CheckResult(True)


def _frame_problem(text: str, sentence: SummarySentence, articles: dict[str, Article]) -> str:
    """'' when the sentence is a span or a frame of spans; else the piece that does not trace."""
    cited = list(sentence.articles)
    all_spans = _spans_of(sentence, cited, articles)
    match = re.match(r"^Only (.+?) reports?: (.+)$", text)
    if match:
        ids = _outlet_articles(match.group(1), cited, articles)
        if ids is None or set(ids) != set(cited):
            return match.group(1)
        return "" if _is_span(match.group(2), _spans_of(sentence, ids, articles)) else match.group(2)
    head, parts = _head_and_parts(text)
    if head is None and len(parts) == 1 and not _framed(parts[0]):
        return "" if _is_span(text, all_spans) else text
    if head is not None and head and not _head_ok(head, all_spans):
        return head
    for part in parts:
        problem = _part_problem(part, sentence, cited, articles)
        if problem:
            return problem
    return ""


def _head_and_parts(text: str) -> tuple[str | None, list[str]]:
    """Split "<head>: <part>; <part>." into its head (None without one) and parts."""
    body = text[:-1] if text.endswith(".") else text
    head = None
    match = re.match(r"^(Outlets differ on (?:the (?:%s) of .+?|an? (?:%s))|.+? is spelled as .+?): (.+)$"
                     % ("|".join(SLOTS), "|".join(SLOTS)), body)
    if match:
        head, body = match.group(1), match.group(2)
    return head, [p.strip() for p in body.split("; ")]


def _framed(part: str) -> bool:
    return bool(re.match(rf"^.+? (?:{'|'.join(FRAME_VERBS)}) ", part))


def _head_ok(head: str, spans: Sequence[str]) -> bool:
    """A frame's head names what outlets differ on: a slot word and spans of the cited articles."""
    match = re.match(rf"^Outlets differ on the (?:{'|'.join(SLOTS)}) of (.+)$", head)
    if match:
        return _inside(match.group(1), spans)
    if re.match(rf"^Outlets differ on an? (?:{'|'.join(SLOTS)})$", head):
        return True
    match = re.match(r"^(.+?) is spelled as (.+)$", head)
    return bool(match) and _inside(match.group(1), spans) and all(_inside(v, spans) for v in _quoted_values(match.group(2)))


def _part_problem(part: str, sentence: SummarySentence, cited: list[str], articles: dict[str, Article]) -> str:
    """A part "<outlets> <verb> <span or quoted spans>" must trace to the named outlets' cited spans."""
    best = ""
    for verb in FRAME_VERBS:
        match = re.match(rf"^(.+?) {verb} (.+)$", part)
        if not match:
            continue
        ids = _outlet_articles(match.group(1), cited, articles)
        if ids is None:
            best = best or match.group(1)
            continue
        spans = _spans_of(sentence, ids, articles)
        values = _quoted_values(match.group(2))
        if values and _only_quoted(match.group(2)):
            missing = [v for v in values if not _inside(v, spans)]
        else:
            missing = [] if _is_span(match.group(2), spans) else [match.group(2)]
        if not missing:
            return ""
        best = missing[0]
    return best or part


def _quoted_values(text: str) -> list[str]:
    return [m.group()[1:-1] for m in _QUOTED.finditer(text)]


def _only_quoted(text: str) -> bool:
    return not _QUOTED.sub("", text).replace(" and ", "").replace(",", "").strip()


def balanced(text: str) -> bool:
    """Opening and closing quotation marks pair up."""
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def attributed(text: str) -> bool:
    """A quotation's speaker is named outside the quotation marks, with a verb of speech (or the quote
    is a value of a frame: "<outlet> gives “1,200”")."""
    outside = _QUOTED.sub(" ", text)
    words = outside.split()
    if re.search(rf"\b(?:{'|'.join(FRAME_VERBS)}) “", text) or "spelled as" in text:
        return True
    cue = any(w.strip(",.;:").lower() in SPEECH_CUES for w in words)
    named = any(w[:1].isupper() for w in words[1:]) or (words[:1] and words[0][:1].isupper() and not text.startswith(("“", '"')))
    return cue and bool(named)


def disputed_citations(sentence: SummarySentence, conflicts: Sequence[Conflict],
                       articles: dict[str, Article]) -> list[str]:
    """Values the sentence states while citing, for the part that states them, an article that gives another
    value of the same conflict (and not this one). Each "; "-part of a frame cites only the outlets it names."""
    out = []
    _head, parts = _head_and_parts(sentence.text.strip())
    for part in parts:
        cited = list(sentence.articles)
        for verb in FRAME_VERBS:
            match = re.match(rf"^(.+?) {verb} ", part)
            ids = _outlet_articles(match.group(1), cited, articles) if match else None
            if ids is not None:
                cited = ids
                break
        for conflict in conflicts:
            stated = [v for v in conflict.values if states_disputed(part, v.value, conflict)]
            if not stated or len(stated) == len(conflict.values):
                continue  # states no value of it, or lists them all (a frame of the dispute)
            for article_id in cited:
                gives = {v.value for v in conflict.values if article_id in v.articles}
                if gives and not gives & {v.value for v in stated}:
                    out.append(f"{stated[0].value} (cites {articles[article_id].outlet if article_id in articles else article_id}, which gives {sorted(gives)[0]})")
    return out


# A text repeats a disputed statement when it holds at least half of that statement's content words: a
# structural rule (the text says mostly that statement), not fitted to any data set.
REPEATS_STATEMENT = 0.5
_NAME_PART = re.compile(r"[A-Z][\w'’\-]{2,}")
_NOT_NAME_PARTS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "The"})


def states_disputed(text: str, value: str, conflict: Conflict) -> bool:
    """The text states this value of the conflict about what the conflict is about: a title next to the
    person it is disputed for (not "DNC Chairman Tom Perez" for a dispute over Paul Manafort's title), the
    speaker, place or date of the disputed statement in a text that repeats that statement (a speaker's
    name in another sentence is no dispute); a number or a name stands for itself."""
    if not mentions_value(text, value):
        return False
    if conflict.slot == "title":
        return names_person(text, conflict.about)
    if conflict.slot in ("attribution", "place", "date") and conflict.about:
        return repeats_statement(text, conflict.about)
    return True


def names_person(text: str, name: str) -> bool:
    """The text names the person by a part of the name (a surname or a given name) as a whole word."""
    parts = [p for p in _NAME_PART.findall(name) if p not in _NOT_NAME_PARTS]
    return not parts or any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in parts)


def repeats_statement(text: str, statement: str) -> bool:
    """The text holds at least REPEATS_STATEMENT of the statement's content words (stems)."""
    wanted = _stems(statement)
    return not wanted or len(wanted & _stems(text)) >= REPEATS_STATEMENT * len(wanted)


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in re.findall(r"[^\W_][\w'’\-]*", text) if w.lower() not in FUNCTION_WORDS)


def mentions_value(text: str, value: str) -> bool:
    """The text names the value as a whole word or phrase."""
    return bool(value) and value.lower() in text.lower() and _value_pattern(value).search(text) is not None


@lru_cache(maxsize=4096)
def _value_pattern(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.I)


def check_verbatim(text: str, spans: Sequence[SourceSpan], articles: dict[str, Article]) -> CheckResult:
    """The text is, word for word, what at least one of its spans says."""
    if not spans:
        return CheckResult(False, reason="no source span")
    wanted = _squash(text)
    for span in spans:
        if wanted and wanted in _squash(span_text(articles, span)):
            return CheckResult(True)
    return CheckResult(False, reason="not found verbatim in its sources")


def check_pieces(text: str, spans: Sequence[SourceSpan], articles: dict[str, Article]) -> CheckResult:
    """A quote joined from the pieces of a split quotation (" … " between them): each piece verbatim."""
    for piece in text.split(" … "):
        result = check_verbatim(piece, spans, articles)
        if not result.ok:
            return result
    return CheckResult(True)


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
        record("quote", quote.text, check_pieces(quote.text, verbatim_spans, articles))
    for entry in fused.timeline:
        record("timeline", entry.text, check_verbatim(entry.text, entry.sources, articles))
    for sentence in fused.summary:
        record("summary", sentence.text, check_sentence(sentence, articles, fused.conflicts))
    return {"checked": checked, "passed": checked - len(failures), "failures": failures}
