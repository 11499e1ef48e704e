"""Who said what in one article: direct quotes and reported speech with speaker, cue and content spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsfuse.analyse import lexicon
from newsfuse.analyse.quote_marks import OPEN_CLOSE, find_direct_spans
from newsfuse.analyse.sentences import Parsed, doc_length, token_at
from newsfuse.models import Mention, Quote

VERSION = "quotes.v8"  # v8: editorial labels alone before a colon ("Summary:", "Background:") are no speakers; v7: a quotation in title case without a sentence end names a work, no quote; v6: a page label alone before a colon ("NEW:", "BREAKING:") is no speaker; v5: a one-word adjective or participle label before a colon is a caption, no speaker

# A quotation with fewer words and no cue of its own is a scare quote or a title, not a quote.
# (PolNeAR dev: attributing 1–2-word quoted phrases without their own cue cost precision.)
MIN_UNCUED_WORDS = 4
# Quoted phrases shorter than this are names, titles or scare quotes even with a verb nearby
# (PolNeAR dev: "“deplorables.”", "“Fox News Sunday,”" were false direct quotes).
MIN_QUOTE_WORDS = 3
# A quotation that covers less than this share of its verb's clause is a partial quote inside reported
# speech ("reports that the team ... to “keep the details under wraps”"): PolNeAR's content is the clause.
MIXED_QUOTE_SHARE = 0.8
# How far back a pronoun speaker looks for a named speaker, in sentences.
PRONOUN_WINDOW = 6
SUBJECT_DEPS = ("nsubj", "nsubjpass")
PERSON_PRONOUNS = frozenset("he she him her".split())
GROUP_PRONOUNS = frozenset("it they".split())
CUE_CHILD_DEPS = ("aux", "auxpass", "neg", "prt")
TRIM = " \t\n\xa0,;:—–-\"“”'’‘«»()"


@dataclass
class _Span:
    start: int
    end: int
    full: tuple[int, int] | None = None  # for a speaker: the whole source phrase with its asides


@dataclass
class _Attribution:
    speaker: _Span | None
    cue: _Span | None
    content: _Span
    direct: bool
    sentence: int
    kind: str = "speech"


# ---------------------------------------------------------------- helpers on tokens

def _abs(parsed: Parsed, token: Any) -> int:
    return parsed.docs_offset[id(token.doc)] + token.idx


def _token_span(parsed: Parsed, first: Any, last: Any) -> _Span:
    start = _abs(parsed, first)
    return _Span(start, _abs(parsed, last) + len(last.text))


def _trimmed(text: str, span: _Span, balance: bool = True) -> _Span:
    """The span without surrounding punctuation, but keeping quotation marks it opens and closes."""
    start, end = span.start, span.end
    while start < end and text[start] in TRIM and not (balance and _opens_inside(text, start, end)):
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    inner = text[start:end]
    if balance and sum(inner.count(c) for c in "“«") > sum(inner.count(c) for c in "”»") or inner.count('"') % 2:
        close = end
        while close < len(text) and text[close] in ".,?!":
            close += 1
        if close < len(text) and text[close] in '”»"':
            end = close + 1  # a quotation inside reported speech ends the content with its closing mark
    return _Span(start, end)


def _opens_inside(text: str, start: int, end: int) -> bool:
    """A quotation mark at the start of a clause that closes inside it belongs to the content."""
    c = text[start]
    closer = OPEN_CLOSE.get(c)
    return closer is not None and text.find(closer, start + 1, end) > 0 and start + 1 < end


def _subject(verb: Any) -> Any | None:
    """The subject of a reporting verb, borrowed from the verb it hangs off when it has none ("was quoted
    as saying": the one quoted)."""
    for _ in range(3):
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS and child.lower_ not in ("which", "that", "who"):
                return child
        if verb.dep_ in ("advcl", "conj", "xcomp", "relcl") and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head
        elif verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.pos_ in ("VERB", "AUX"):
            verb = verb.head.head
        else:
            return None
    return None


def _subject_outside(parsed: Parsed, verb: Any, quote: _Span) -> Any | None:
    """The reporting verb's subject, not one inside the quotation: the parse may take the quotation's first
    words for a second subject of the cue after it ('No talks on the plan, " Berg said': "talks" and "Berg")."""
    own = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.lower_ not in ("which", "that", "who")]
    outside = [c for c in own if not quote.start <= _abs(parsed, c) < quote.end]
    if len(own) > 1 and outside:
        return outside[0]
    return _subject(verb) or _inverted_subject(verb)


def _inverted_subject(verb: Any) -> Any | None:
    """'..., reports AP': the parser makes the source an object when the content comes first."""
    ccomp = [c for c in verb.children if c.dep_ == "ccomp"]
    if ccomp and ccomp[0].i < verb.i:
        for child in verb.children:
            if child.dep_ in ("dobj", "attr") and child.i > verb.i and (child.ent_type_ or child.pos_ == "PROPN"):
                return child
    return None


def _speaker_span(parsed: Parsed, subject: Any) -> _Span:
    """The subject's noun phrase without relative clauses or asides after a comma (the speaker's name);
    `full` keeps them, with the comma that closes them (the source phrase, as PolNeAR marks sources)."""
    tokens = [t for t in subject.subtree]
    cut = len(tokens)
    for k, t in enumerate(tokens):
        if t.i > subject.i and t.text in (",", "(", "—", "–"):
            cut = k
            break
        if t.i > subject.i and t.dep_ in ("relcl", "acl"):
            # A clause opened by a relative word starts there, before its head: "the ranger who patrols" cuts
            # before "who". Any other left edge stays with the name ("the news agency TASS reported", parsed
            # as a reduced relative clause, keeps "TASS").
            opener = t.left_edge
            relative = opener.i > subject.i and (opener.tag_ in ("WDT", "WP", "WP$") or opener.lower_ == "that")
            cut = next(j for j, u in enumerate(tokens) if u.i == opener.i) if relative else k
            break
    span = _token_span(parsed, tokens[0], tokens[cut - 1])
    if cut < len(tokens):
        last, doc = tokens[-1], subject.doc
        if last.i + 1 < len(doc) and doc[last.i + 1].text == ",":
            last = doc[last.i + 1]
        full = _token_span(parsed, tokens[0], last)
        span.full = (full.start, full.end)
    return span


# Adverbs that belong to the cue when they sit right before the verb ("also mentions", "then pointed out").
CUE_ADVERBS = frozenset("also then now later again previously repeatedly recently earlier".split())
# Where or when something was said, kept in the cue when it follows the verb directly ("said at a briefing
# Monday", "said Friday"): PolNeAR's cue convention (dev: 'said Friday', 'said at a briefing Monday').
CUE_SETTINGS = frozenset("briefing statement interview conference speech rally tweet twitter email call "
                         "hearing meeting event appearance post video letter".split())


def _cue_span(parsed: Parsed, verb: Any) -> _Span:
    """The verb with its auxiliaries, negation, particle, a leading 'also', and when/where it was said."""
    tokens = [verb] + [c for c in verb.children if c.dep_ in CUE_CHILD_DEPS and abs(c.i - verb.i) <= 3]
    tokens += [c for c in verb.lefts if c.dep_ == "advmod" and c.lower_ in CUE_ADVERBS and verb.i - c.i <= 2]
    tokens.sort(key=lambda t: t.i)
    last = tokens[-1].i
    doc = verb.doc
    for child in verb.rights:
        if child.i != last + 1:
            break
        if _is_setting(child):
            last = max(t.i for t in child.subtree)
        else:
            break
    return _token_span(parsed, tokens[0], doc[last])


def _is_setting(token: Any) -> bool:
    if token.dep_ in ("npadvmod", "tmod") and token.ent_type_ in ("DATE", "TIME"):
        return True
    if token.dep_ == "prep" and token.lower_ in ("at", "in", "on", "during"):
        subtree = list(token.subtree)
        return len(subtree) <= 6 and any(t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() in CUE_SETTINGS
                                         for t in subtree)
    return False


ATTITUDE_LEMMAS = (lexicon.REPORTING_VERBS | lexicon.RULE_REPORTING_VERBS | lexicon.INTENT_VERBS | lexicon.FOR_VERBS
                   | lexicon.OBJECT_VERBS)


def _is_reporting(token: Any) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in ATTITUDE_LEMMAS


def _can_hold_views(subject: Any) -> bool:
    """A name, a pronoun for people or groups, or a noun for people and bodies (lexicon.AGENT_NOUNS)."""
    if subject.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or subject.pos_ == "PROPN":
        return True
    if subject.pos_ == "PRON":
        return subject.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | {"who"}
    lemma = subject.lemma_.lower()
    return (lemma in lexicon.AGENT_NOUNS or subject.lower_ in lexicon.AGENT_NOUNS or lemma in lexicon.PERSON_NOUNS
            or subject.lower_ in lexicon.PERSON_NOUNS or lemma in lexicon.ORG_HEAD_NOUNS)


def _attitude(parsed: Parsed, verb: Any) -> _Attribution | None:
    """Wants, plans and calls: 'wants to X', 'called for X', 'cited X' (the content is not a clause)."""
    lemma = verb.lemma_.lower()
    subject = _subject(verb)
    if subject is None or subject.lower_ in ("i", "we", "you") or not _can_hold_views(subject):
        return None
    cue_tokens = [verb]
    content_root = None
    if lemma in lexicon.INTENT_VERBS:
        content_root = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    if content_root is None and lemma in lexicon.FOR_VERBS:
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        if prep is not None:
            content_root = next((c for c in prep.children if c.dep_ == "pobj"), None)
            cue_tokens.append(prep)
    if content_root is None and lemma in lexicon.OBJECT_VERBS:
        content_root = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if content_root is None:
        return None
    tokens = list(content_root.subtree)
    last = _content_end(verb, tokens[-1])
    content = _trimmed(parsed.article.text, _token_span(parsed, tokens[0], last))
    cue = _cue_span(parsed, verb)
    if len(cue_tokens) > 1:
        cue = _Span(cue.start, max(cue.end, _abs(parsed, cue_tokens[-1]) + len(cue_tokens[-1].text)))
    if content.end <= content.start:
        return None
    return _Attribution(_speaker_span(parsed, subject), cue, content, False, parsed.sentence_at(cue.start),
                        "attitude")


# ---------------------------------------------------------------- extraction

def extract_quotes(parsed: Parsed, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes (with their cue and speaker where the sentence gives them), then reported speech."""
    text = parsed.article.text
    starts = [offset for _, offset, _ in parsed.docs]
    direct = find_direct_spans(text, starts)
    found: list[_Attribution] = []
    for start, end in direct:
        attribution = _attribute_direct(parsed, _Span(start, end), found)
        if attribution is not None:
            found.append(attribution)
    used_verbs = {a.cue.start for a in found if a.cue}
    accepted = [(a.content.start, a.content.end) for a in found]
    for offset, sent in parsed.sent_spans:
        found.extend(_indirect(parsed, sent, direct, accepted, used_verbs))
    found.extend(_colon_speakers(parsed, found))
    found = _outermost(found)
    found.sort(key=lambda a: a.content.start)
    return [_to_quote(parsed, a, mentions, found) for a in found]


def _outermost(found: list[_Attribution]) -> list[_Attribution]:
    """Drop an attribution whose cue lies inside another's content: "X said Y plans Z" is X's claim.

    Who-said-what is the outer speaker's; this is also PolNeAR's univocal annotation.
    """
    kept: list[_Attribution] = []
    for a in sorted(found, key=lambda a: -(a.content.end - a.content.start)):
        if a.cue is not None and any(k.content.start <= a.cue.start < k.content.end for k in kept):
            continue
        kept.append(a)
    return kept


def _tokens_overlapping(parsed: Parsed, span: _Span) -> list[tuple[int, Any]]:
    """Sentences (index, spaCy span) that overlap a character span."""
    first, last = parsed.sentence_at(span.start), parsed.sentence_at(max(span.start, span.end - 1))
    return [(i, parsed.sent_spans[i][1]) for i in range(first, last + 1)]


def _attribute_direct(parsed: Parsed, quote: _Span, found: list[_Attribution]) -> _Attribution | None:
    text = parsed.article.text
    content = _trimmed(text, quote, balance=False)
    if content.end <= content.start:
        return None
    if names_a_work(text[content.start:content.end]):
        return None
    words = len(text[content.start:content.end].split())
    sentences = _tokens_overlapping(parsed, quote)
    governing = _governing_verb(parsed, quote, sentences)
    if governing is not None:
        index, verb, subject = governing
        if _partial_quote(parsed, verb, quote):
            return None  # reported speech with a quoted fragment: the indirect pass takes the whole clause
        if words < MIN_QUOTE_WORDS and not _is_complement(parsed, verb, quote):
            return None
        return _Attribution(_speaker_span(parsed, subject), _cue_span(parsed, verb), content, True, index)
    dashed = _dash_source(parsed, quote, content)
    if dashed is not None or words < MIN_QUOTE_WORDS:
        return dashed
    nearest = _nearest_verb(parsed, quote, sentences)
    if nearest is not None:
        index, verb, subject = nearest
        return _Attribution(_speaker_span(parsed, subject), _cue_span(parsed, verb), content, True, index)
    if words < MIN_UNCUED_WORDS:
        return None
    previous = _previous_speaker(parsed, found, content.start)
    return _Attribution(previous, None, content, True, sentences[0][0])


# Short words a title leaves in lower case ("The Fires of Pompeii", "Live at the Harbour").
TITLE_SMALL_WORDS = frozenset("a an the of in on at to for and or nor but with from by as vs via".split())


def names_a_work(content: str) -> bool:
    """A quotation in title case with no sentence end ("The Fires of Pompeii", "Harbour Nights Live: The Last
    Lantern") names an episode, a book or a show: its words are no one's speech. Every word but the short ones
    opens with a capital or a digit; a quotation all in capitals (a chant, a sign) stays speech."""
    words = re.findall(r"[^\s]+", content.strip())
    if len(words) < 2 or content.rstrip()[-1:] in ".!?" or not any(c.islower() for c in content):
        return False
    for k, word in enumerate(words):
        core = word.strip("\"“”'‘’()[],:;-–—…")
        if not core:
            continue
        if not (core[0].isupper() or core[0].isdigit()) and (k == 0 or core.lower() not in TITLE_SMALL_WORDS):
            return False
    return True


def _nearest_verb(parsed: Parsed, quote: _Span, sentences: list[tuple[int, Any]]) -> tuple[int, Any, Any] | None:
    """The reporting verb with a subject nearest to the quotation, in the sentences it touches."""
    best: tuple[int, tuple[int, Any, Any]] | None = None
    for index, sent in sentences:
        for token in sent:
            pos = _abs(parsed, token)
            if quote.start - 1 <= pos < quote.end + 1 or not _is_reporting(token):
                continue
            subject = _subject_outside(parsed, token, quote)
            if subject is None or quote.start <= _abs(parsed, subject) < quote.end:
                continue
            distance = min(abs(pos - quote.start), abs(pos - quote.end))
            if best is None or distance < best[0]:
                best = (distance, (index, token, subject))
    return best[1] if best else None


# "“...” ― Sonya Herridge": a quotation signed with a dash at the end of its paragraph.
DASH_SOURCE = re.compile(r"[\s\xa0]*(?P<dash>[―—–]|--)[\s\xa0]*(?P<name>[A-Z][^\n]{1,60}?)[\s\xa0.]*(?=\n|$)")


def _dash_source(parsed: Parsed, quote: _Span, content: _Span) -> _Attribution | None:
    text = parsed.article.text
    match = DASH_SOURCE.match(text, quote.end + 1)
    if match is None or len(match.group("name").split()) > 6:
        return None
    speaker = _Span(match.start("name"), match.end("name"))
    cue = _Span(match.start("dash"), match.end("dash"))
    return _Attribution(speaker, cue, content, True, parsed.sentence_at(content.start))


def _is_complement(parsed: Parsed, verb: Any, quote: _Span) -> bool:
    """The quotation is the whole thing said: the verb's clausal complement starts inside it."""
    return any(c.dep_ == "ccomp" and quote.start <= _abs(parsed, c) < quote.end for c in verb.children)


def _partial_quote(parsed: Parsed, verb: Any, quote: _Span) -> bool:
    """The quotation is a fragment of a reported clause whose own verb lies outside the quotation marks."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if not clauses or quote.start <= _abs(parsed, clauses[0]) < quote.end:
        return False
    edges = list(clauses[0].subtree)
    clause = _token_span(parsed, edges[0], edges[-1])
    covered = min(clause.end, quote.end) - max(clause.start, quote.start)
    return covered > 0 and covered / (clause.end - clause.start) < MIXED_QUOTE_SHARE


def _governing_verb(parsed: Parsed, quote: _Span, sentences: list[tuple[int, Any]]) -> tuple[int, Any, Any] | None:
    """The reporting verb the quotation hangs off in the parse ("described as a “...”")."""
    for index, sent in sentences:
        inside = [t for t in sent if quote.start <= _abs(parsed, t) < quote.end]
        if not inside:
            continue
        for ancestor in inside[0].ancestors:
            if quote.start <= _abs(parsed, ancestor) < quote.end:
                continue
            if _is_reporting(ancestor):
                subject = _subject_outside(parsed, ancestor, quote)
                if subject is not None and not quote.start <= _abs(parsed, subject) < quote.end:
                    return index, ancestor, subject
                return None
    return None


def _previous_speaker(parsed: Parsed, found: list[_Attribution], start: int) -> _Span | None:
    """A quote standing alone continues the quote just before it (same or previous paragraph)."""
    if not found or found[-1].speaker is None:
        return None
    last = found[-1]
    if parsed.sentence_at(start) - parsed.sentence_at(last.content.start) <= 2 and last.direct:
        return last.speaker
    return None


def _indirect(parsed: Parsed, sent: Any, direct: list[tuple[int, int]], accepted: list[tuple[int, int]],
              used: set[int]) -> list[_Attribution]:
    found = []
    for token in sent:
        pos = _abs(parsed, token)
        if any(s <= pos < e for s, e in direct):
            continue  # speech reported inside a quotation belongs to the quote
        if token.lower_ == "according" and token.dep_ == "prep":
            attribution = _according_to(parsed, token)
        elif _is_reporting(token) and _abs(parsed, token) not in used:
            attribution = _reported(parsed, token, accepted)
        else:
            attribution = None
        if attribution is not None:
            found.append(attribution)
    return found


def _trailing(parsed: Parsed, verb: Any) -> _Attribution | None:
    """'Lavrov met X, the Russian Foreign Ministry noted on Twitter.': the source and cue close the sentence."""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children) or verb.dep_ not in TRAILING_DEPS:
        return None
    if verb.dep_ == "parataxis":
        return _parenthetical(parsed, verb)
    subject = _own_subject(verb)
    anchor = verb.head if verb.dep_ == "relcl" else subject
    if subject is None or anchor is None:
        return None
    left = min(anchor.left_edge.i, subject.left_edge.i)
    sent = verb.sent
    comma = sent.doc[left - 1] if left - 1 >= sent.start else None
    if comma is None or comma.text != "," or max(t.i for t in verb.subtree) < sent.end - 2:
        return None
    first = sent[0]
    content = _trimmed(parsed.article.text, _token_span(parsed, first, sent.doc[comma.i - 1]))
    speaker_token = verb.head if verb.dep_ == "relcl" else subject
    if content.end <= content.start:
        return None
    cue = _cue_span(parsed, verb)
    return _Attribution(_speaker_span(parsed, speaker_token), cue, content, False, parsed.sentence_at(cue.start))


TRAILING_DEPS = ("conj", "advcl", "relcl", "parataxis")


def _parenthetical(parsed: Parsed, verb: Any) -> _Attribution | None:
    """'..., he said, local officials should be vigilant': the clause around the aside is the content."""
    subject = _own_subject(verb)
    if subject is None:
        return None
    clause = list(verb.head.subtree)
    content = _trimmed(parsed.article.text, _token_span(parsed, clause[0], clause[-1]))
    cue = _cue_span(parsed, verb)
    return _Attribution(_speaker_span(parsed, subject), cue, content, False, parsed.sentence_at(cue.start))


# "WALLACE: Let's start ..." (transcripts) and "Pat Caddell: Democrat Voters Worried ..." (headlines).
COLON_SPEAKER = re.compile(
    r"(?P<open>[\"“]?)(?P<name>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}):[ \xa0]+(?P<content>[^\n]+)")
NOT_SPEAKERS = frozenset("update note editor photo video watch read related source sources correction "
                         "warning caption image listen advertisement subscribe".split())
# Page labels that are a speaker's name only as a word of a longer one ("New York", "Live Nation"):
# alone before a colon they flag a line ("NEW: US official confirms ...", "BREAKING: ..."), and editorial labels
# ("Summary: During his keynote, ...").
NOT_SPEAKERS_ALONE = frozenset("new breaking updated developing latest live exclusive analysis opinion more also "
                               "trending sponsored pictured photos videos gallery clarification summary background "
                               "disclosure highlights excerpt".split())


def _colon_speakers(parsed: Parsed, found: list[_Attribution]) -> list[_Attribution]:
    text = parsed.article.text
    taken = [(a.content.start, a.content.end) for a in found]
    out = []
    for _, offset, doc in parsed.docs:
        match = COLON_SPEAKER.match(text, offset, offset + doc_length(doc))
        if match is None or match.group("name").split()[0].lower().strip(".'’") in NOT_SPEAKERS:
            continue
        if match.group("name").lower() in NOT_SPEAKERS_ALONE:
            continue
        if any(ch.isdigit() for ch in match.group("name")):
            continue  # a dateline or a time, not a name
        if _caption_label(doc, match.start("name") - offset, match.group("name")):
            continue
        content = _trimmed(text, _Span(match.start("content"), match.end("content")))
        # A turn of a transcript quoted paragraph by paragraph is inside one long quotation: still a turn.
        if content.end <= content.start or (not match.group("open") and any(s <= content.start < e for s, e in taken)):
            continue
        speaker = _Span(match.start("name"), match.end("name"))
        cue = _Span(match.end("name"), match.end("name") + 1)
        out.append(_Attribution(speaker, cue, content, bool(match.group("open")), parsed.sentence_at(content.start)))
    return out


def _caption_label(doc: Any, start: int, name: str) -> bool:
    """A photo caption's one-word label ("Ambushed: A firefighter looks at ...", "Grim: ..."): an adjective or a
    verb form, never a name, in ordinary capitals (a transcript's "WALLACE:" is all capitals). A one-word noun
    stays a speaker: the parse tags many surnames ("Smith:") as common nouns."""
    if " " in name or name.isupper():
        return False
    token = next((t for t in doc if t.idx == start), None)
    return token is not None and token.pos_ in ("ADJ", "VERB") and not token.ent_type_


def _own_subject(verb: Any) -> Any | None:
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.lower_ not in ("which", "that", "who")), None)


def _reported(parsed: Parsed, verb: Any, direct: list[tuple[int, int]]) -> _Attribution | None:
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if not clauses:
        return _attitude(parsed, verb) or _trailing(parsed, verb)
    subject = _subject(verb) or _inverted_subject(verb)
    if subject is None or subject.lower_ in ("i", "we", "you"):
        return None
    clause = clauses[0]
    edges = list(clause.subtree)
    last = _content_end(verb, edges[-1]) if clause.i > verb.i else edges[-1]
    content = _trimmed(parsed.article.text, _token_span(parsed, edges[0], last))
    if content.end <= content.start or any(s < content.end and content.start < e
                                           and (e - s) >= MIXED_QUOTE_SHARE * (content.end - content.start)
                                           for s, e in direct):
        return None  # mostly a direct quote, attributed already
    cue = _cue_span(parsed, verb)
    return _Attribution(_speaker_span(parsed, subject), cue, content, False, parsed.sentence_at(cue.start))


# Right dependents of the verb that the parser hangs on it but that belong to what was said
# ("said that claim smacked of hypocrisy, because ...", "show Clinton with a lead ..."). PolNeAR dev.
CONTENT_TAIL_DEPS = ("advcl", "prep", "oprd", "xcomp", "dative", "npadvmod", "advmod", "ccomp", "dobj")


def _content_end(verb: Any, last: Any) -> Any:
    """Extend content over the verb's later dependents, stopping at when/where it was said and at new clauses."""
    for child in verb.rights:
        if child.i <= last.i:
            continue
        if child.dep_ not in CONTENT_TAIL_DEPS or _is_setting(child) or child.dep_ == "punct":
            break
        last = max(child.subtree, key=lambda t: t.i)
    return last


def _according_to(parsed: Parsed, according: Any) -> _Attribution | None:
    to = next((c for c in according.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return None
    phrase = list(according.subtree)
    head = according.head
    clause = list(head.subtree) if head.pos_ in ("VERB", "AUX") else list(according.sent)
    before = [t for t in clause if t.i < phrase[0].i]
    after = [t for t in clause if t.i > phrase[-1].i]
    side = before if len(before) >= len(after) else after
    if not side:
        return None
    content = _trimmed(parsed.article.text, _token_span(parsed, side[0], side[-1]))
    source_tokens = list(source.subtree)
    speaker = _token_span(parsed, source_tokens[0], source_tokens[-1])
    cue = _token_span(parsed, according, to)
    if content.end <= content.start:
        return None
    return _Attribution(speaker, cue, content, False, parsed.sentence_at(cue.start))


# ---------------------------------------------------------------- speakers

def _to_quote(parsed: Parsed, a: _Attribution, mentions: list[Mention], found: list[_Attribution]) -> Quote:
    text = parsed.article.text
    speaker_text = text[a.speaker.start:a.speaker.end] if a.speaker else ""
    if speaker_text.lower() in PERSON_PRONOUNS | GROUP_PRONOUNS:
        speaker_text = resolve_pronoun(parsed, speaker_text.lower(), a.speaker.start, mentions) or speaker_text
    cue = text[a.cue.start:a.cue.end] if a.cue else ""
    return Quote(
        article_id=parsed.article.id, speaker=speaker_text,
        speaker_start=a.speaker.start if a.speaker else None, speaker_end=a.speaker.end if a.speaker else None,
        cue=cue, cue_start=a.cue.start if a.cue else None, cue_end=a.cue.end if a.cue else None,
        content=text[a.content.start:a.content.end], content_start=a.content.start, content_end=a.content.end,
        direct=a.direct, sentence=a.sentence, kind=a.kind,
        source_start=(a.speaker.full or (a.speaker.start, a.speaker.end))[0] if a.speaker else None,
        source_end=(a.speaker.full or (a.speaker.start, a.speaker.end))[1] if a.speaker else None,
    )


def resolve_pronoun(parsed: Parsed, pronoun: str, at: int, mentions: list[Mention]) -> str | None:
    """The nearest named speaker or name before a pronoun that could be what it stands for."""
    best = pronoun_antecedent(parsed, pronoun, at, mentions)
    return None if best is None else _full_name(best, mentions)


def pronoun_antecedent(parsed: Parsed, pronoun: str, at: int, mentions: list[Mention]) -> Mention | None:
    """The name mention a pronoun stands for: the nearest subject of the right kind within PRONOUN_WINDOW
    sentences before it, else the nearest name of that kind."""
    wanted = ("PERSON",) if pronoun in PERSON_PRONOUNS else ("ORG", "GPE")
    earliest = parsed.sentences[max(0, parsed.sentence_at(at) - PRONOUN_WINDOW)].start if parsed.sentences else 0
    candidates = [m for m in mentions if m.part == "text" and m.label in wanted and earliest <= m.start < at
                  and m.kind == "name"]
    if not candidates:
        return None
    subjects = [m for m in candidates if _is_subject_at(parsed, m.end - 1)]
    return (subjects or candidates)[-1]


def _is_subject_at(parsed: Parsed, char: int) -> bool:
    token = token_at(parsed, char)
    return token is not None and token.dep_ in SUBJECT_DEPS


def _full_name(mention: Mention, mentions: list[Mention]) -> str:
    """'Lavrov' → 'Sergey Lavrov' when the article names him in full before."""
    if len(mention.text.split()) > 1:
        return mention.text
    for m in mentions:
        if m.label == mention.label and m.text.split()[-1:] == [mention.text] and len(m.text.split()) > 1:
            return m.text
    return mention.text


def split_words(text: str) -> list[str]:
    return re.findall(r"\w+", text)
