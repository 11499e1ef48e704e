"""Combine the rules' quotes with the learned tagger's spans into one list of who-said-what per article.

The tagger (quote_tagger.py) marks source, cue and content spans per paragraph; here each content is
tied to its nearest cue and each cue to its nearest source, the speaker's name is taken from the
entity inside the source phrase (pronouns resolved as the rules resolve them), and rule quotes that
no tagged span touches are kept.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from newsfuse.analyse import lexicon, quote_tagger, quotes
from newsfuse.analyse.quote_marks import find_direct_spans
from newsfuse.analyse.sentences import Parsed, token_at
from newsfuse.errors import ModelUnavailable
from newsfuse.models import Mention, Quote

VERSION = "attribution.v3"
# What a direct quote's content loses at its ends: the marks and the punctuation before the closing one.
DIRECT_TRIM = " \t\n\xa0,;:\"“”«»„"
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
# Every choice below was made on PolNeAR dev with the tagger fitted on train, through the whole analysis
# (bench/quotes_variants.py; F1 source / cue / content, standoff exact match | paragraph BIO as CofeNet
# scores): as shipped 78.8 / 72.2 / 52.4 | 79.2 / 72.7 / 64.9; rules alone 67.1 / 60.3 / 38.0 | 67.7 / 60.9 / 50.0.
# Keep the rule quotes the tagger did not find: without them 79.1 / 71.6 / 53.4 | 79.7 / 72.1 / 63.5
# (mixed: standoff content up 1.0, BIO content down 1.4; kept, as before).
KEEP_UNTOUCHED_RULE_QUOTES = True
# False: where both find one attribution the tagger's spans win; "direct": the rules' direct quotes win
# (77.6 / 70.5 / 49.3 | 78.0 / 70.8 / 61.5); "all": every rule quote wins and the tagger only adds.
RULES_FIRST: str | bool = False
# The cue as the tagger marks it (True), or without a trailing colon and with the rest of a setting it
# starts ("noted on" → "noted on Twitter", False): 78.8 / 71.6 / 52.4 | 79.2 / 72.1 / 64.9.
CUE_AS_TAGGED = True
# Drop a content in another sentence than its cue when that cue has one in its own sentence (True), or keep
# every content with its nearest cue (False): with cues mended, 78.7 / 71.6 / 52.4 | 79.4 / 72.1 / 65.0
# against 78.8 / 71.6 / 52.4 | 79.2 / 72.1 / 64.9 (within noise; kept).
ONE_SENTENCE_PER_CUE = True
# A cue does not reach back over its own source to a content before it when it has a content after it in
# its sentence: "[A], which Moscow said [B], according to TASS" gives A to TASS. With cues mended, off:
# 78.7 / 71.6 / 52.4 | 79.1 / 72.0 / 64.9.
SOURCE_BLOCKS = True
# A content the tagger left without a cue takes the reporting verb that governs it in the parse as its cue,
# and that verb's subject as its source ("Costa told a news conference [that the state would appeal]").
# Off: the same dev figures to a tenth; kept for the cue-less
# contents it attributes, as in the example.
CUE_FROM_PARSE = True
# A tagged quote with neither cue nor source gives way to a rule quote over the same words that names its
# speaker ("“…” ― Carla Sanchez"). With cues mended, off: 78.4 / 71.3 / 52.5 | 78.8 / 71.7 / 65.0.
RULE_SPEAKER_WINS = True
# Speech reported inside someone's quotation is part of that quotation ("“… And the engineers are discussing a new
# design …,” she said"), as the rules read it (quotes._indirect): a tagged attribution whose cue lies inside the
# content of a direct quote of the rules is dropped.
NOT_INSIDE_QUOTATIONS = True
# A tagged direct content that opens a quotation ends at its closing mark, not in the narrative after it
# ("“… the pier was closed” before the vote, the board added": the tagger ran over the mark).
CUT_AT_CLOSING_MARK = True
SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass"))


@dataclass(frozen=True)
class TaggedSpan:
    role: str
    start: int  # absolute character offsets into the article text
    end: int
    first: int  # token positions in the paragraph
    last: int
    paragraph: int


def combine(parsed: Parsed, mentions: list[Mention], rule_quotes: list[Quote],
            weights: quote_tagger.TaggerWeights | None) -> list[Quote]:
    """The article's quotes: the tagger's attributions where it has weights, else the rules' unchanged."""
    if weights is None or not parsed.docs:
        return rule_quotes
    tagged = tag_article(parsed, rule_quotes, weights)
    quoted = find_direct_spans(parsed.article.text, [offset for _, offset, _ in parsed.docs])
    found = []
    taken = [(t.start, t.end) for t in tagged]
    for source, cue, content in group(tagged, parsed):
        quote = _to_quote(parsed, mentions, source, cue, content, quoted, taken)
        if quote is not None:
            found.append(_with_rule_speaker(quote, rule_quotes))
    # A quotation running over paragraphs is one quote; the tagger reads one paragraph at a time.
    winners = [r for r in rule_quotes if RULES_FIRST == "all" or (r.direct and (RULES_FIRST or "\n" in r.content))]
    if RULE_SPEAKER_WINS:
        winners.extend(r for r in rule_quotes if r.speaker and r not in winners and any(
            q.cue_start is None and q.source_start is None and not q.speaker and _same_attribution(q, r) for q in found))
    if winners:
        found = [*winners, *(q for q in found if not any(_same_attribution(q, r) for r in winners))]
    if KEEP_UNTOUCHED_RULE_QUOTES:
        found.extend(r for r in rule_quotes if r not in found and not any(_same_attribution(q, r) for q in found))
    if NOT_INSIDE_QUOTATIONS:
        quotations = [(r.content_start, r.content_end) for r in rule_quotes if r.direct]
        found = [q for q in found if q in rule_quotes or q.cue_start is None
                 or not any(s <= q.cue_start < e for s, e in quotations)]
    found.sort(key=lambda q: (q.content_start, q.content_end))
    return found


def tag_article(parsed: Parsed, rule_quotes: list[Quote], weights: quote_tagger.TaggerWeights) -> list[TaggedSpan]:
    """Every span the tagger marks in the article's paragraphs."""
    text = parsed.article.text
    spans = quote_tagger.rule_spans(text, rule_quotes)
    docs = [doc for _, _, doc in parsed.docs]
    # Only paragraphs where an attribution can be: the tagger (MiniLM above all) is most of the analysis's cost.
    chosen = [k for k, (_, offset, doc) in enumerate(parsed.docs) if quote_tagger.may_attribute(doc, offset, spans)]
    vectors: list = [None] * len(chosen)
    if weights.minilm_outputs and chosen:
        from newsfuse.text.models import TAGGER_INT8, minilm_batch, minilm_layers, minilm_tuned

        try:
            # Fine-tuned top layers replace the reference ones in the graph: one MiniLM pass, no extra layers.
            session, tokenizer = (minilm_tuned(weights.top, weights.meta.get("digest") or str(id(weights.top)),
                                               weights.minilm_outputs, TAGGER_INT8) if weights.top
                                  else minilm_layers(weights.minilm_outputs, TAGGER_INT8))
        except ModelUnavailable as exc:
            raise ModelUnavailable(f"{exc}; or set the quote_tagger setting to off (NEWSFUSE_QUOTE_TAGGER=off) to find quotes by rules alone") from exc
        vectors = quote_tagger.minilm_token_vectors([docs[k] for k in chosen], session, tokenizer, weights.minilm_outputs,
                                                    batch_pieces=minilm_batch(TAGGER_INT8, quote_tagger.BATCH_PIECES))
    out: list[TaggedSpan] = []
    picked = [parsed.docs[k] for k in chosen]
    features = [quote_tagger.token_features(doc, offset, spans, rows) for (_, offset, doc), rows in zip(picked, vectors)]
    for (p_index, offset, doc), labels in zip(picked, quote_tagger.tag_many(weights, features)):
        for role, first, end in quote_tagger.label_spans(labels):
            start = offset + doc[first].idx
            stop = offset + doc[end - 1].idx + len(doc[end - 1].text)
            out.append(TaggedSpan(role, start, stop, first, end - 1, p_index))
    return out


def group(tagged: list[TaggedSpan], parsed: Parsed) -> list[tuple[TaggedSpan | None, TaggedSpan | None, TaggedSpan]]:
    """(source, cue, content) per content: its nearest cue in the paragraph, and that cue's nearest source.

    A content in another sentence than its cue is dropped when the cue has one in its own sentence:
    what a sentence's cue introduces is first of all in that sentence."""
    out = []
    by_paragraph: dict[int, list[TaggedSpan]] = {}
    for span in tagged:
        by_paragraph.setdefault(span.paragraph, []).append(span)
    for spans in by_paragraph.values():
        cues = [s for s in spans if s.role == "cue"]
        sources = [s for s in spans if s.role == "source"]
        triples = []
        sentence = {id(s): parsed.sentence_at(s.start) for s in spans}
        contents = [s for s in spans if s.role == "content"]
        for content in contents:
            cue = _cue_for(content, cues, sources, contents, sentence)
            source = _nearest(cue, sources) if cue is not None else _nearest(content, sources)
            if cue is None and CUE_FROM_PARSE:
                cue, source = _cue_from_parse(parsed, content) or (None, source)
                if cue is not None:
                    sentence[id(cue)] = parsed.sentence_at(cue.start)
            triples.append((source, cue, content))
        own = {id(cue) for _, cue, content in triples if cue is not None and sentence[id(cue)] == sentence[id(content)]}
        out.extend(t for t in triples if not ONE_SENTENCE_PER_CUE or t[1] is None or id(t[1]) not in own
                   or sentence[id(t[1])] == sentence[id(t[2])] or _spans_sentences(parsed, t[2]))
    return out


def _cue_for(content: TaggedSpan, cues: list[TaggedSpan], sources: list[TaggedSpan], contents: list[TaggedSpan],
             sentence: dict[int, int | None]) -> TaggedSpan | None:
    """The nearest cue that may introduce the content: with SOURCE_BLOCKS, not one whose own source stands
    between it and the content while a content follows it in its sentence, when another cue of the
    content's sentence is free ("“A,” she said, “b.”" keeps A with its only cue)."""
    ranked = sorted(cues, key=lambda c: _gap(content, c))
    for cue in ranked:
        blocked = SOURCE_BLOCKS and content.last < cue.first and any(
            content.last < s.first and s.last < cue.first for s in sources) and any(
            k is not content and k.first > cue.last and sentence[id(k)] == sentence[id(cue)] for k in contents)
        if not blocked:
            if cue is not ranked[0] and sentence[id(cue)] != sentence[id(content)]:
                return ranked[0]
            return cue
    return ranked[0] if ranked else None


def _cue_from_parse(parsed: Parsed, content: TaggedSpan) -> tuple[TaggedSpan, TaggedSpan | None] | None:
    """(cue, source) from the parse for a content without a tagged cue: the reporting verb whose clausal
    complement the content is (or whose object holds a that-clause the parser hung on a noun), and that
    verb's subject."""
    token = token_at(parsed, content.start)
    if token is None:
        return None
    doc = token.doc
    roots = [t for t in doc[content.first:content.last + 1]
             if not (content.first <= t.head.i <= content.last) or t.head.i == t.i]
    if len(roots) != 1:
        return None
    root = roots[0]
    verb = root.head
    if root.dep_ not in quote_tagger.CLAUSE_DEPS:
        # "told a news conference after the decision that X": the parser may hang the that-clause on the
        # noun before it; the verb above that noun is then the cue.
        if root.dep_ != "acl" or doc[content.first].lower_ != "that":
            return None
        verb = next((a for a in root.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.lemma_.lower() not in lexicon.REPORTING_VERBS:
        return None
    offset = parsed.docs_offset[id(doc)]
    cue = TaggedSpan("cue", offset + verb.idx, offset + verb.idx + len(verb.text), verb.i, verb.i, content.paragraph)
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not subjects:
        return cue, None
    tokens = list(subjects[0].subtree)
    start, end = tokens[0], tokens[-1]
    source = TaggedSpan("source", offset + start.idx, offset + end.idx + len(end.text), start.i, end.i, content.paragraph)
    return cue, source


def _spans_sentences(parsed: Parsed, span: TaggedSpan) -> bool:
    return parsed.sentence_at(span.start) != parsed.sentence_at(max(span.start, span.end - 1))


def _nearest(anchor: TaggedSpan, candidates: list[TaggedSpan]) -> TaggedSpan | None:
    if not candidates:
        return None
    return min(candidates, key=lambda c: _gap(anchor, c))


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    if a.last < b.first:
        return b.first - a.last
    if b.last < a.first:
        return a.first - b.last
    return 0


def _to_quote(parsed: Parsed, mentions: list[Mention], source: TaggedSpan | None, cue: TaggedSpan | None,
              content: TaggedSpan, quoted: list[tuple[int, int]], taken: list[tuple[int, int]]) -> Quote | None:
    text = parsed.article.text
    start, end = content.start, content.end
    inside = sum(max(0, min(end, e) - max(start, s)) for s, e in quoted)
    # Verbatim when (nearly) all its words are inside quotation marks, as the rules decide.
    direct = inside >= quotes.MIXED_QUOTE_SHARE * len(text[start:end].strip(quotes.TRIM))
    if direct and text[start:end].lstrip()[:1] in quote_tagger.OPENERS:
        # The words inside the marks, as the rules give a direct quote (with_quote_marks widens it back).
        while start < end and text[start] in DIRECT_TRIM:
            start += 1
        if CUT_AT_CLOSING_MARK:
            end = _closing_mark(quoted, start, end)
        while end > start and text[end - 1] in DIRECT_TRIM:
            end -= 1
    if end <= start:
        return None
    speaker, speaker_start, speaker_end = _speaker(parsed, mentions, source)
    cue_start, cue_end = _cue_bounds(parsed, cue, taken) if cue else (None, None)
    cue_text = text[cue_start:cue_end] if cue else ""
    cue_words = {w.lower() for w in quotes.split_words(cue_text)}
    speech = bool(cue_words & lexicon.REPORTING_VERBS) or any(w.rstrip("sd") in lexicon.REPORTING_VERBS for w in cue_words)
    return Quote(
        article_id=parsed.article.id, speaker=speaker, speaker_start=speaker_start, speaker_end=speaker_end,
        cue=cue_text, cue_start=cue_start, cue_end=cue_end,
        content=text[start:end], content_start=start, content_end=end, direct=direct,
        sentence=parsed.sentence_at(start), kind="speech" if speech or direct else "attitude",
        source_start=source.start if source else None, source_end=source.end if source else None,
    )


def _closing_mark(quoted: list[tuple[int, int]], start: int, end: int) -> int:
    """The end of a direct content that opens a quotation: the quotation's closing mark when the content runs
    past it into words outside any quotation ('“… the pier was closed” before the vote, the board added')."""
    opened = next(((s, e) for s, e in quoted if s <= start < e), None)
    if opened is None or end <= opened[1] or any(opened[1] < s < end for s, _ in quoted):
        return end
    return opened[1]


def _cue_bounds(parsed: Parsed, cue: TaggedSpan, taken: list[tuple[int, int]]) -> tuple[int, int]:
    """The cue without a trailing colon, and with the rest of a setting it starts ("noted on" → "noted on
    Twitter", as PolNeAR marks "said in a phone interview"); "according to" keeps its source outside."""
    text = parsed.article.text
    end = cue.end
    if CUE_AS_TAGGED:
        return cue.start, end
    while end > cue.start + 1 and text[end - 1] in ": ":
        end -= 1
    last = token_at(parsed, end - 1)
    if last is not None and last.dep_ == "prep" and last.head.lower_ != "according":
        objects = [c for c in last.children if c.dep_ == "pobj" and c.i > last.i]
        if objects:
            tail = max(t.i for t in objects[0].subtree)
            offset = parsed.docs_offset[id(last.doc)]
            stop = offset + last.doc[tail].idx + len(last.doc[tail].text)
            if not any(s < stop and end < e for s, e in taken):  # "called for [higher wages]" is content
                end = max(end, stop)
    return cue.start, end


def _speaker(parsed: Parsed, mentions: list[Mention], source: TaggedSpan | None) -> tuple[str, int | None, int | None]:
    """The speaker's name: the longest named entity inside the source phrase, a resolved pronoun, or the phrase."""
    if source is None:
        return "", None, None
    text = parsed.article.text
    inside = [m for m in mentions if m.part == "text" and m.label in SPEAKER_LABELS
              and source.start <= m.start and m.end <= source.end]
    if inside:
        best = max(inside, key=lambda m: (m.label == "PERSON", m.end - m.start))
        return best.text, best.start, best.end
    phrase = text[source.start:source.end]
    if phrase.lower() in quotes.PERSON_PRONOUNS | quotes.GROUP_PRONOUNS:
        resolved = quotes.resolve_pronoun(parsed, phrase.lower(), source.start, mentions)
        return resolved or phrase, source.start, source.end
    return phrase, source.start, source.end


def _with_rule_speaker(quote: Quote, rule_quotes: list[Quote]) -> Quote:
    """Where a rule quote has the same cue (or, when the tagged quote has none, overlapping content), its
    speaker naming wins: the rules pick the name part of a source phrase and resolve pronouns with the parse."""
    for rule in rule_quotes:
        same_cue = quote.cue_start is not None and rule.cue_start is not None and _overlap(
            quote.cue_start, quote.cue_end, rule.cue_start, rule.cue_end)  # type: ignore[arg-type]
        same_content = quote.cue_start is None and _overlap(
            quote.content_start, quote.content_end, rule.content_start, rule.content_end)
        if (same_cue or same_content) and rule.speaker:
            # A tagged quote without a cue takes the rule's over the same words ("“…” ― Carla Sanchez": the
            # tagger marks the name, the rules the signing dash).
            cue = {} if quote.cue_start is not None or rule.cue_start is None else {
                "cue": rule.cue, "cue_start": rule.cue_start, "cue_end": rule.cue_end}
            return dataclasses.replace(
                quote, speaker=rule.speaker, speaker_start=rule.speaker_start, speaker_end=rule.speaker_end,
                kind=rule.kind, source_start=quote.source_start if quote.source_start is not None else rule.source_start,
                source_end=quote.source_end if quote.source_end is not None else rule.source_end, **cue)
    return quote


def _same_attribution(tagged: Quote, rule: Quote) -> bool:
    """One attribution found twice: the same cue or, without cues, overlapping contents. An attribution
    whose cue lies inside the other's content is a nested one ("X said, according to Y"), not the same."""
    if tagged.cue_start is not None and rule.cue_start is not None:
        return _overlap(tagged.cue_start, tagged.cue_end, rule.cue_start, rule.cue_end)  # type: ignore[arg-type]
    for inner, outer in ((tagged, rule), (rule, tagged)):
        if inner.cue_start is not None and outer.content_start <= inner.cue_start < outer.content_end:
            return False
    return _overlap(tagged.content_start, tagged.content_end, rule.content_start, rule.content_end)


def _overlap(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


