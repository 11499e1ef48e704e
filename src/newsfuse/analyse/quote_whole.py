"""Quotations whole: one quote per quotation split by its cue or running over paragraphs; no quote said by no one.

The rules and the tagger both see a quotation split by its cue ("“Not the end,” he said, “but the
beginning.”") as two contents of one cue; here they become one quote whose `content_parts` are the two
pieces and whose content joins them with an ellipsis (what the cue between them left out). A quotation
over several paragraphs (found whole by quote_marks.py) gets its paragraphs as parts. Dropped: a content
that is only the addressee or the setting of a speech verb ("told [a news conference after the decision]",
"said [Monday]"), a name in quotation marks ("titled “A River in Debt”"), and an indirect content with
neither a cue nor a source.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from newsfuse.analyse import lexicon
from newsfuse.analyse.sentences import Parsed, token_at
from newsfuse.models import QUOTE_PART_JOINER, Quote

VERSION = "quote_whole.v4"  # v4: not across a clause of its own before the cue (";"); v3: two reported pieces of one sentence on either side of their one cue are one quote

# The most characters between the two pieces of one split quotation (the cue and its speaker with their
# commas and marks: '," said Sen. Ted Cruz of Texas, the committee chairman, "'). PolNeAR dev's longest: 70.
MAX_SPLIT_GAP = 120
# Speech verbs whose object is whom they spoke to or when, never what was said ("told a news conference").
ADDRESS_VERBS = frozenset("say tell speak talk add reply respond testify tweet post write remark comment explain".split())
OBJECT_DEPS = ("dobj", "dative", "npadvmod", "pobj", "iobj")
SETTING_DEPS = ("prep", "advmod", "agent")
# Verbs that introduce a name in quotation marks, not words said ("a report titled “A River in Debt”").
NAMING_VERBS = frozenset("title entitle dub name nickname headline".split())
QUOTE_EDGES = " \xa0“”\"«»„"
# The most words of a cue clause read as a quotation's first paragraph between mismatched straight marks
# ('" Trump said.'): a speaker of up to a few words, the verb and where it was said.
CUE_CLAUSE_WORDS = 16


def whole(parsed: Parsed, found: list[Quote]) -> list[Quote]:
    """The quotes with split quotations joined, multi-paragraph ones in parts, non-quotes dropped."""
    kept = [q for q in (_said(parsed, q) for q in found) if q is not None]
    kept.sort(key=lambda q: (q.content_start, q.content_end))
    out: list[Quote] = []
    for quote in kept:
        if out and _split_pair(parsed, out[-1], quote):
            out[-1] = _join(parsed, out[-1], quote)
        else:
            out.append(_paragraph_parts(parsed, quote))
    return out


def _split_pair(parsed: Parsed, first: Quote, second: Quote) -> bool:
    """Two pieces of one quotation: direct, the cue between them, the first closing on a comma and the
    cue clause ending on one ('“A,” he said, “b.”'; not '“A,” he said. “B.”', two sentences); or two
    reported pieces of one sentence on either side of their one cue ("Berg [is expected] to appear", "The
    pier, the master said, would close")."""
    if second.content_start < first.content_end:
        return False
    if not first.direct and not second.direct:
        return _split_report(parsed, first, second)
    if not (first.direct and second.direct):
        return False
    text = parsed.article.text
    gap = text[first.content_end:second.content_start]
    if "\n" in gap or len(gap) > MAX_SPLIT_GAP:
        return False
    inner = gap.strip(QUOTE_EDGES)
    first_comma = inner.startswith(",") or text[first.content_start:first.content_end].rstrip(QUOTE_EDGES).endswith(",")
    if not (first_comma and inner.endswith(",")):
        return False
    cues = {q.cue_start for q in (first, second) if q.cue_start is not None}
    return len(cues) == 1 and first.content_end <= next(iter(cues)) < second.content_start


def _split_report(parsed: Parsed, first: Quote, second: Quote) -> bool:
    """One cue of one sentence with a reported piece before it and one after: the subject a passive or raising
    cue left in front ("Berg is expected to appear"), or a clause the cue interrupts."""
    cue = first.cue_start
    if cue is None or cue != second.cue_start or first.cue_end is None:
        return False
    if not (first.content_end <= cue and first.cue_end <= second.content_start):
        return False
    # Only the cue's own clause between them ("The pier, the master said, would"); not a clause of its own
    # ("X was shot dead; a man is being questioned over [that killing]").
    gap = parsed.article.text[first.content_end:cue]
    if len(gap) > MAX_SPLIT_GAP or ";" in gap or "\n" in gap:
        return False
    return parsed.sentence_at(first.content_start) == parsed.sentence_at(max(second.content_start, second.content_end - 1))


def _join(parsed: Parsed, first: Quote, second: Quote) -> Quote:
    text = parsed.article.text
    parts = (*(first.content_parts or ((first.content_start, first.content_end),)),
             *(second.content_parts or ((second.content_start, second.content_end),)))
    speaker = first if first.speaker_start is not None else second
    return dataclasses.replace(
        first, content=QUOTE_PART_JOINER.join(text[s:e] for s, e in parts), content_end=second.content_end,
        content_parts=parts, direct=first.direct and second.direct,
        speaker=speaker.speaker, speaker_start=speaker.speaker_start, speaker_end=speaker.speaker_end,
        source_start=speaker.source_start, source_end=speaker.source_end,
        kind="speech" if "speech" in (first.kind, second.kind) else first.kind)


def _paragraph_parts(parsed: Parsed, quote: Quote) -> Quote:
    """A direct quotation over paragraphs: its paragraphs as parts (their opening marks left out)."""
    if not quote.direct or "\n" not in quote.content:
        return quote
    text = parsed.article.text
    parts, start = [], quote.content_start
    for piece in re.split(r"(\n+)", quote.content):
        if piece.strip() and not piece.startswith("\n"):
            left = len(piece) - len(piece.lstrip(" “\"«„"))
            right = len(piece.rstrip(" ”\"»"))
            if right > left:
                parts.append((start + left, start + right))
        start += len(piece)
    if len(parts) > 1 and _cue_clause(parsed, *parts[0]):
        # '… back home, " Trump said.\n" Emmanuel and I …': the straight mark after the comma closed the
        # quotation before it; its "first paragraph" is the cue, not words anyone said.
        parts = parts[1:]
        first, last = parts[0][0], parts[-1][1]
        quote = dataclasses.replace(quote, content=text[first:last], content_start=first, content_end=last)
    return dataclasses.replace(quote, content_parts=tuple(parts)) if len(parts) > 1 and all(
        text[s:e].strip() for s, e in parts) else quote


def _cue_clause(parsed: Parsed, start: int, end: int) -> bool:
    """The span is a speaker and a speech verb alone ("Trump said.", "the ministry said in a statement."):
    a short clause whose root is a reporting verb with its subject inside and no clause of what was said."""
    if len(parsed.article.text[start:end].split()) > CUE_CLAUSE_WORDS:
        return False
    first, last = token_at(parsed, start), token_at(parsed, end - 1)
    if first is None or last is None or first.doc is not last.doc:
        return False
    tokens = list(first.doc[first.i:last.i + 1])
    inside = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    if len(roots) != 1 or roots[0].lemma_.lower() not in lexicon.REPORTING_VERBS:
        return False
    # Its clause of what was said, if any, lies outside the span: the quotation before it.
    children = [c for c in roots[0].children if c.i in inside]
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in children) and not any(
        c.dep_ in ("ccomp", "xcomp", "dobj") for c in children)


def _said(parsed: Parsed, quote: Quote) -> Quote | None:
    """The quote without what no one said: None for a name ('titled “A River in Debt”'), an indirect
    content without cue or source, or one that is only the speech verb's addressee or time ('told [a news
    conference]'); a content that starts with the addressee ('told [a news conference that X]') loses it."""
    verb = token_at(parsed, quote.cue_start) if quote.cue_start is not None else None
    if verb is not None and verb.lemma_.lower() in NAMING_VERBS:
        return None
    if quote.direct:
        return quote
    if verb is None:
        return None if quote.source_start is None and quote.speaker_start is None else quote
    if verb.lemma_.lower() not in ADDRESS_VERBS:
        return quote
    offset = parsed.docs_offset[id(verb.doc)]
    inside = [t for t in verb.doc if quote.content_start <= offset + t.idx < quote.content_end]
    inside_ids = {t.i for t in inside}
    heads = [t for t in inside if t.head.i not in inside_ids or t.head.i == t.i]
    said = [h for h in heads if not _addressed(h, verb)]
    if len(said) == len(heads):
        return quote
    if said:
        first = min(t.i for h in said for t in h.subtree if t.i in inside_ids)
    else:
        # "told a news conference after the decision that the state would appeal": the parser hangs the
        # that-clause on the last noun; what was said is the clause.
        clause = [t for t in inside if t.lower_ == "that" and t.head.pos_ in ("VERB", "AUX") and t.head.i > t.i]
        if not clause:
            return None
        first = clause[0].i
    start = offset + verb.doc[first].idx
    text = parsed.article.text
    return dataclasses.replace(quote, content=text[start:quote.content_end], content_start=start)


def _addressed(head: Any, verb: Any) -> bool:
    """The token hangs off the verb as an object, a preposition or a time (or off a preposition of it):
    whom it was said to, when or where."""
    if head.head.i == verb.i:
        return head.dep_ in OBJECT_DEPS or head.dep_ in SETTING_DEPS
    return head.dep_ in OBJECT_DEPS and head.head.dep_ == "prep" and head.head.head.i == verb.i
