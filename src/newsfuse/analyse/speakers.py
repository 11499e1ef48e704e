"""Who each quote's speaker is in its article: the named person or body a name, pronoun, role or acronym means.

A quote's source phrase is read in this order:
  * a name inside it ("Sen. Ted Cruz", "the FBI"): that name, a surname given in full as the article first
    wrote it, an acronym as the long name the article gives it;
  * a pronoun ("he", "they"): the person or body it stands for, as the rules resolve pronouns;
  * a role ("the four-term congressman", "the minister", "the newspaper", "his office"): the person whose
    title, apposition or description in the article holds that word, else the one person or body the last
    sentences name; a possessive ("his office", "her campaign") is the owner's;
  * a document, a count or the media ("Previous reports", "multiple news outlets", "a poll"): kept as it
    is written and labelled SOURCE: what they say is attributed, but to no one who speaks.
What is found goes into the Quote's speaker fields (models.Quote: speaker_name, speaker_type,
speaker_via, speaker_ref_start/end); `speaker` stays the phrase as written (pronouns resolved, as the
rules give it). linking.py then gives speaker_entity, the corpus entity.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from newsfuse.analyse import lexicon, quotes, speakers_pronouns
from newsfuse.analyse.entities import first_in_sentences, surname_before_full_name
from newsfuse.analyse.quote_marks import find_direct_spans
from newsfuse.analyse.sentences import Parsed, token_at
from newsfuse.models import Mention, Quote

VERSION = "speakers.v13"  # v13: only a name inside the reported clause is ruled out as the pronoun; v12: a name inside the clause a pronoun's verb reports is not that pronoun ("Berg was on probation, he said"); v11: a capitalised common noun that is a person's surname ("Page later said") is that person for pronouns; v10: a role naming the body it serves ("the fire chief") is not the person in focus, nor a name the role phrase follows; v9: a nationality word that does not head the phrase is no speaker; a bare name the model missed ("Maral, a resident of Ashgabat") is not replaced by a name in its apposition; v8: a name qualifying the head through a chain of modifiers is not the speaker; v7: a dummy "it" ("it was announced that", "it is hard to believe") is no one; its by-phrase is the speaker; v6: a relative pronoun with words the parse kept after it ("who for years") is no speaker of its own

SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
# How far back a role looks for the person it names when no title or apposition holds the word, in
# sentences (the pronoun window of quotes.py, which the rules' pronoun resolution uses).
ROLE_WINDOW = quotes.PRONOUN_WINDOW
# Characters around a person's name searched for the role's words ("Rep. Paul Ryan, a four-term
# congressman from Wisconsin,"): a title before the name, an apposition after it.
TITLE_BEFORE, APPOSITION_AFTER = 40, 90
# A quotation without a cue continues the quote before it across at most this many sentence starts
# (the rules' own limit for a standalone quotation, quotes._previous_speaker).
CONTINUE_SENTENCES = 2
# A wh-word or relative pronoun the parse takes for a subject stands for the name its clause hangs on
# ("Karin Holm, ..., who called ...") or, with none ("what called the ..."), for no one: the quote is then
# left without a speaker rather than given to the word.
NO_ONE = frozenset("what which that who whom whose whatever whoever this these those".split())
# Of those, the ones that open a longer phrase only as a relative ("who for years"; "that man" is a phrase).
RELATIVE_OPENERS = NO_ONE - frozenset("that this these those".split())
# How many heads up from the noun a relative clause hangs on "who" looks for the person's name (noun, "of",
# the noun before it, its apposition's name: "Karin Holm, chair of the association, who").
RELATIVE_CLIMB = 4
# Verbs whose object can be the quotation before them, standing alone in the next sentence ("Mr. Mueller
# planned to ask."); verbs such as "agreed" or "told reporters" say something else of their own.
TRAILING_CUES = frozenset("say ask add write tweet reply explain".split())
# A verb with these after it has words of its own (an object, a clause, a phrase): "respond to requests",
# "gave remarks following the president's".
NARRATIVE_DEPS = frozenset("dobj ccomp xcomp prep attr acomp oprd".split())
# Determiners that introduce someone new ("a spokeswoman", "one adviser", "another official").
INDEFINITE = frozenset("a an one another".split())
POSSESSIVES = {"his": "PERSON", "her": "PERSON", "its": "ORG", "their": "ORG"}
# Role words and the short titles written before a name that mean the same office.
TITLE_SHORT = {
    "congressman": ("rep.", "rep", "representative", "congressman"), "congresswoman": ("rep.", "rep", "representative"),
    "senator": ("sen.", "sen", "senator"), "governor": ("gov.", "gov", "governor"), "representative": ("rep.", "rep"),
    "president": ("president", "pres."), "secretary": ("secretary", "sec."), "general": ("gen.", "general"),
}


def resolve(parsed: Parsed, mentions: list[Mention], found: list[Quote]) -> list[Quote]:
    """The quotes with their speaker resolved to a name of the article where the article makes it clear."""
    names = [m for m in mentions if m.part == "text" and m.label in SPEAKER_LABELS and m.kind == "name"]
    # Words inside quotation marks are someone's speech ("“Donald,” he said"), never what the narrative's
    # pronoun stands for.
    quoted = find_direct_spans(parsed.article.text, [offset for _, offset, _ in parsed.docs])
    descriptors = [m for m in mentions if m.part == "text" and m.label in SPEAKER_LABELS and m.kind == "descriptor"]
    out: list[Quote] = []
    last: dict[str, Mention] = {}  # the last person and body resolved as a speaker: who "he" means past the window
    previous: Quote | None = None
    contents = [part for q in found if q.direct for part in (q.content_parts or ((q.content_start, q.content_end),))]
    for quote in sorted(found, key=lambda q: q.content_start):
        quote = _participle_speaker(parsed, quote)
        narrative = _narrative_cue(parsed, quote)
        # The rules give a quotation without a cue the speaker of the last direct quote; the quote just
        # before it, reported or direct, is the one it goes on from ("A spokeswoman said the move was
        # “positive” ... “We remain concerned ...”").
        copied = quote.cue_start is None and quote.speaker_start is not None and any(
            q.speaker_start == quote.speaker_start for q in out)
        after = None
        if (quote.cue_start is None and (quote.speaker_start is None or copied)) or narrative:
            after = _cue_after(parsed, quote)
            quote = after or quote
        resolved = _resolve_one(parsed, names, descriptors, quote, last, quoted)
        if after is None and (resolved.speaker_start is None or copied or narrative) and resolved.direct and previous is not None and (
                _continues(parsed, previous, resolved, narrative)):
            resolved = _continued(previous, resolved, keep_spans=narrative)
        # A speaker inside someone's quotation ("“I would love to ...”") is that speaker's words, not the
        # narrative's.
        if resolved.speaker_start is None or not any(s <= resolved.speaker_start < e for s, e in contents):
            previous = resolved
        ref = next((m for m in names if m.start == resolved.speaker_ref_start), None)
        if ref is not None and ref.label in ("PERSON", "ORG"):
            last[ref.label] = ref
        out.append(resolved)
    return out


def _continues(parsed: Parsed, before: Quote, quote: Quote, uncued: bool = False) -> bool:
    """A quotation with no cue of its own goes on from the quote just before it: same or next paragraph,
    within CONTINUE_SENTENCES sentences, that quote's speaker known."""
    if (quote.cue_start is not None and not uncued) or not (before.speaker_name or before.speaker.strip()):
        return False
    gap = parsed.sentence_at(quote.content_start) - parsed.sentence_at(before.content_end - 1)
    return 0 <= gap <= CONTINUE_SENTENCES


def _narrative_cue(parsed: Parsed, quote: Quote) -> bool:
    """A quotation closed by a full stop ends its sentence: a verb after it that starts a new sentence with a
    subject and words of its own ('“… what they need.” The ministry also did not respond to requests for
    comment') is narrative, not the quotation's cue; the quotation is then uncued for its speaker (it goes on
    from the quote before it). A bare trailing cue ('“…” he tweeted', '“….” Lind said.') is its cue."""
    if not quote.direct or quote.cue_start is None or quote.cue_start < quote.content_end:
        return False
    text = parsed.article.text
    starts = min(quote.cue_start, quote.source_start if quote.source_start is not None else quote.cue_start)
    if text[quote.content_end - 1:quote.content_end] != "." or not re.fullmatch(
            r"\s*[\"”’']+\s+[A-Z].*", text[quote.content_end:starts + 1], flags=re.S):
        return False
    verb = token_at(parsed, quote.cue_start)
    return verb is not None and (any(c.dep_ in NARRATIVE_DEPS for c in verb.head.children if c.i > verb.i)
                                 or any(c.dep_ in NARRATIVE_DEPS for c in verb.children if c.i > verb.i))


def _cue_after(parsed: Parsed, quote: Quote) -> Quote | None:
    """A quotation without a cue whose next sentence opens with a subject and a bare reporting verb is that
    verb's: '“What did you know …?” / Mr. Mueller planned to ask, according to …' (a paragraph break between
    them, as scraped text often has). The source and cue spans stay as found; the speaker is that subject.
    None when the next sentence is no such cue."""
    if not quote.direct:
        return None
    text = parsed.article.text
    index = parsed.sentence_at(quote.content_end - 1) + 1
    between = text[quote.content_end:parsed.sentences[index].start] if index < len(parsed.sentences) else ""
    if index >= len(parsed.sentences) or not re.fullmatch(r"[\s\"”’'.,?!]*", between):
        return None
    _, span = parsed.sent_spans[index]
    root = span.root
    verb = next((c for c in root.children if c.dep_ == "xcomp" and c.lemma_ in TRAILING_CUES), None) if (
        root.lemma_ not in TRAILING_CUES) else root
    subject = next((c for c in root.children if c.dep_ in quotes.SUBJECT_DEPS), None)
    if verb is None or subject is None or subject.left_edge.i != span.start or any(
            c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
        return None
    offset = parsed.docs_offset[id(subject.doc)]
    start, end = offset + subject.left_edge.idx, offset + subject.idx + len(subject.text)
    return dataclasses.replace(quote, speaker=text[start:end], speaker_start=start, speaker_end=end)


def _participle_speaker(parsed: Parsed, quote: Quote) -> Quote:
    """A participle cue has no subject of its own: "A, B and C noted that ..., adding that while Lind “wrote long
    letters ...”" is A, B and C's, not Lind's (a name in what is reported is not who reports it)."""
    if quote.cue_start is None or quote.speaker_start is None:
        return quote
    cue = token_at(parsed, quote.cue_start)
    if cue is None or cue.tag_ != "VBG" or cue.dep_ not in ("advcl", "xcomp", "conj"):
        return quote
    # The parse may hang the participle on the reported clause before it ("noted that Lind “never asked ...”,
    # adding"): the speaker is the subject of the verb that reports it.
    verb = cue.head
    while verb.dep_ in ("ccomp", "xcomp") and verb.head.i != verb.i:
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ in quotes.SUBJECT_DEPS), None)
    if subject is None:
        return quote
    offset = parsed.docs_offset[id(subject.doc)]
    start = offset + subject.left_edge.idx
    end = offset + subject.idx + len(subject.text)
    if quote.speaker_start <= offset + subject.idx < (quote.speaker_end or quote.speaker_start):
        return quote  # the speaker already is that subject ("The bank ..., citing weaker demand")
    return dataclasses.replace(quote, speaker=parsed.article.text[start:end], speaker_start=start, speaker_end=end)


def _continued(before: Quote, quote: Quote, keep_spans: bool = False) -> Quote:
    """The quote under the speaker of the quote before it; `keep_spans` keeps its own source span (what the
    article writes around it stays as found; only who said it changes)."""
    source = (quote.source_start, quote.source_end) if keep_spans else (before.source_start, before.source_end)
    return dataclasses.replace(
        quote, speaker=before.speaker, speaker_start=before.speaker_start, speaker_end=before.speaker_end,
        source_start=source[0], source_end=source[1], speaker_name=before.speaker_name,
        speaker_type=before.speaker_type, speaker_via="previous", speaker_ref_start=before.speaker_ref_start,
        speaker_ref_end=before.speaker_ref_end)


def _by_pronoun(parsed: Parsed, names: list[Mention], descriptors: list[Mention], quoted: list[tuple[int, int]],
                quote: Quote, pronoun: str, at: int, last: dict[str, Mention]) -> Quote:
    """The quote under what its pronoun speaker stands for (speakers_pronouns: the subject the narrative last put
    forward, of the pronoun's number and kind), else under the last speaker of its kind before it."""
    referent = speakers_pronouns.antecedent(parsed, names, quoted, pronoun, at, _holder(parsed, names), descriptors)
    if referent is None:
        previous = last.get("PERSON" if pronoun in quotes.PERSON_PRONOUNS else "ORG")
        return _named(quote, names, previous, "pronoun") if previous is not None and previous.start < at else quote
    if referent.mention is not None:
        named = _named(quote, names, referent.mention, "pronoun")
        return dataclasses.replace(named, speaker=named.speaker_name)
    # A subject without a name mention: a proper name the model missed ("Jane Roe, co-director of ..."), an
    # anonymous person or group ("a government spokeswoman"), a body or a document as written.
    kind = "PERSON" if referent.kind == "PERSON" else "ORG"
    label = "SOURCE" if referent.source else kind if referent.proper else ""
    return dataclasses.replace(quote, speaker=referent.text, speaker_name=referent.text if referent.proper else "",
                               speaker_type=label, speaker_via="pronoun" if label else "")


def _resolve_one(parsed: Parsed, names: list[Mention], descriptors: list[Mention], quote: Quote,
                 last: dict[str, Mention], quoted: list[tuple[int, int]]) -> Quote:
    if quote.speaker_start is None or quote.speaker_end is None:
        return quote
    start, end = quote.speaker_start, quote.speaker_end
    phrase = parsed.article.text[start:end]
    if phrase.strip().lower() == "it" and _expletive_it(parsed, start):
        agent = _passive_agent(parsed, start)
        if agent is None:
            return dataclasses.replace(quote, speaker="")  # "it was announced that ...": said, by no one named
        # "It was reported by Harbour News that ...": the agent said it.
        quote = dataclasses.replace(quote, speaker=parsed.article.text[agent[0]:agent[1]], speaker_start=agent[0],
                                    speaker_end=agent[1], source_start=agent[0], source_end=agent[1])
        start, end = agent
        phrase = quote.speaker
    if phrase.strip().lower() in NO_ONE or _opens_a_relative(phrase):
        antecedent = _relative_antecedent(parsed, names, start)
        if antecedent is not None:  # "Karin Holm, chair of the association, who called ...": Karin Holm
            return _named(quote, names, antecedent, "name")
        return dataclasses.replace(quote, speaker="")  # the phrase's span stays: it is the source as written
    head = phrase_head(parsed, start, end)
    inside = [m for m in names if start <= m.start and m.end <= end]
    if not inside and not _bare_name(phrase):  # "Maral, a resident of Ashgabat": Maral, whom the model missed
        inside = _in_apposition(parsed, names, quote, end)
    if head is not None:
        at = parsed.docs_offset[id(head.doc)] + head.idx
        heading = [m for m in inside if m.start <= at < m.end]
        if heading:
            return _named(quote, names, max(heading, key=lambda m: m.end - m.start), "name")
        # "the Russian news agency TASS": a name in apposition is the speaker; "the Myanmar military" is not Myanmar;
        # a nationality word is never who speaks unless it heads the phrase ("the skipper of the Ethiopian vessel").
        inside = [m for m in inside if not _modifies(parsed, m, head) and m.label != "NORP"]
        placed = [m for m in inside if _placed(parsed, m, head)]
        if placed and len(placed) == len(inside):
            # The speaker is the person, not where they are: the name part ends at the head noun.
            end = at + len(head.text)
            quote = dataclasses.replace(quote, speaker=parsed.article.text[start:end], speaker_end=end)
            phrase = quote.speaker
        inside = [m for m in inside if m not in placed]
        if not inside:  # "the council's press secretary, Ida Rask,": the names inside only qualify
            after = parsed.article.text[end:end + 3]
            inside = [m for m in names if m.label in ("PERSON", "ORG") and after.startswith(",")
                      and end < m.start <= end + 3]
    lowered = phrase.lower()
    if lowered in quotes.PERSON_PRONOUNS | quotes.GROUP_PRONOUNS:
        return _by_pronoun(parsed, names, descriptors, quoted, quote, lowered, start, last)
    if inside:
        mention = max(inside, key=lambda m: (m.label == "PERSON", m.label == "ORG", m.end - m.start))
        return _named(quote, names, mention, "name")
    # A name the model missed here but found elsewhere in the article ("Lavrov gave no sign ...").
    spelled = [m for m in names if m.text == phrase or (m.label == "PERSON" and m.text.split()[-1] == phrase)]
    if spelled:
        return _named(quote, names, spelled[0], "name")
    resolved = _by_role(parsed, names, descriptors, quote, phrase, head, last, quoted) if head is not None else None
    if resolved is not None:
        return resolved
    described = [m for m in descriptors if m.start < end and start < m.end]
    if described:  # "Myanmar's military government": linking ties the descriptor to its body
        return _named(quote, names, described[0], "role")
    return quote


# First words that make a capitalised speaker phrase no bare name, and words that make it a role (_bare_name).
_NOT_A_NAME_OPENING = quotes.PERSON_PRONOUNS | quotes.GROUP_PRONOUNS | set(POSSESSIVES) | {"the", "a", "an", "this", "that"}
_ROLE_WORDS = lexicon.TITLE_WORDS | lexicon.ROLE_HEADS | lexicon.PERSON_ROLE_NOUNS


def _bare_name(phrase: str) -> bool:
    """A speaker phrase that is itself a name of one to four capitalised words ("Maral", "Ida Rask"), not a
    pronoun, a role or a phrase with a determiner ("Their leader", "The ministry")."""
    words = phrase.split()
    return (0 < len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)
            and words[0].lower() not in _NOT_A_NAME_OPENING and not any(w.lower() in _ROLE_WORDS for w in words))


def _opens_a_relative(phrase: str) -> bool:
    """A relative pronoun with words the parse kept with it ("who for years", "whose leaders"): the pronoun, not
    the words after it, stands for the speaker. "that"/"this" open ordinary phrases too ("that man") and stay."""
    words = phrase.split()
    return len(words) > 1 and words[0].lower().strip(",") in RELATIVE_OPENERS


# Adjectives that put their clause after a dummy "it" ("it is hard to believe", "it is fair to say"): a closed
# class of English usage. Others take "it" for a body ("it is ready to announce", "it is willing to talk").
EXTRAPOSING_ADJECTIVES = frozenset("""hard easy difficult tough fair unfair safe possible impossible important
    necessary reasonable unreasonable interesting tempting surprising striking fitting accurate wrong right
    clear unclear obvious premature""".split())


def _expletive_it(parsed: Parsed, at: int) -> bool:
    """"It" that stands for no one: the subject of a passive report ("it was announced that", "it's been revealed
    that") or of a copula whose adjective takes the reporting verb ("it is hard to believe", "it's fair to say")."""
    token = token_at(parsed, at)
    if token is None or token.lower_ != "it":
        return False
    if token.dep_ in ("nsubjpass", "expl"):
        return True
    head = token.head
    return (head.lemma_ == "be" and any(c.dep_ == "acomp" and c.lemma_.lower() in EXTRAPOSING_ADJECTIVES
                                        for c in head.children)
            and any(c.dep_ == "xcomp" for c in head.children))


def _passive_agent(parsed: Parsed, at: int) -> tuple[int, int] | None:
    """The span of the by-phrase's noun phrase of the passive verb whose subject is the "it" at `at`."""
    token = token_at(parsed, at)
    if token is None or token.dep_ != "nsubjpass":
        return None
    agent = next((c for c in token.head.children if c.dep_ == "agent"), None)
    noun = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if noun is None:
        return None
    words = list(noun.subtree)
    offset = parsed.docs_offset[id(noun.doc)]
    return offset + words[0].idx, offset + words[-1].idx + len(words[-1].text)


def _in_apposition(parsed: Parsed, names: list[Mention], quote: Quote, end: int) -> list[Mention]:
    """"Their leader, Tomas Lind, described", "said the four-term congressman, Marcus Delaney, who ...": a name
    in apposition, in the source phrase's aside or right after the phrase (the small model sometimes calls such
    a person an ORG)."""
    close = max(end, quote.source_end or end)
    after = parsed.article.text[end:end + 3]
    return [m for m in names if m.label in ("PERSON", "ORG") and (
        (quote.source_start is not None and quote.source_start <= m.start and m.end <= close)
        or (after.startswith(",") and end < m.start <= end + 3))]


def _placed(parsed: Parsed, mention: Mention, head: Any) -> bool:
    """A place in a phrase after the head says where ("A government spokeswoman in Oslo"): the
    place is not who speaks."""
    if mention.label not in ("GPE", "LOC", "FAC"):
        return False
    token = token_at(parsed, mention.end - 1)
    for _ in range(RELATIVE_CLIMB):
        if token is None or token.i == head.i or token.head.i == token.i:
            return False
        if token.dep_ == "prep":
            return True
        token = token.head
    return False


def _relative_antecedent(parsed: Parsed, names: list[Mention], at: int) -> Mention | None:
    """The name a relative pronoun stands for: the noun its clause hangs on, through an apposition
    ("Karin Holm, chair of the association, who called ..."); None for a free relative ("what ... called")."""
    token = token_at(parsed, at)
    if token is None or token.head.dep_ != "relcl":
        return None
    # "who" is a person: past the noun the clause hangs on ("chair of the Owners' Association, who") up the
    # apposition to the name ("Karin Holm"); "which" and "that" take the noun's own name.
    wanted = ("PERSON",) if token.lower_ in ("who", "whom", "whose") else SPEAKER_LABELS
    offset = parsed.docs_offset[id(token.doc)]
    noun = token.head.head
    for _ in range(RELATIVE_CLIMB):
        char = offset + noun.idx
        found = next((m for m in names if m.start <= char < m.end and m.label in wanted), None)
        if found is not None or noun.head.i == noun.i:
            return found
        noun = noun.head
    return None


MODIFIER_DEPS = ("poss", "compound", "amod", "nmod", "npadvmod")


def _modifies(parsed: Parsed, mention: Mention, head: Any) -> bool:
    """The name only qualifies the phrase's head ("Russia's ministry", "the Myanmar military"), also through a
    chain of modifiers ("the Sunnyvale, Calif., company": Sunnyvale qualifies Calif., which qualifies company)."""
    token = token_at(parsed, mention.end - 1)
    for _ in range(RELATIVE_CLIMB):
        if token is None or token.i == head.i or token.dep_ not in MODIFIER_DEPS:
            return False
        if token.head.i == head.i:
            return True
        token = token.head
    return False


def _by_role(parsed: Parsed, names: list[Mention], descriptors: list[Mention], quote: Quote, phrase: str, head: Any,
             last: dict[str, Mention], quoted: list[tuple[int, int]]) -> Quote | None:
    """A possessive, a role, a body or a document as the speaker phrase's head noun; None for none of them."""
    at = quote.speaker_start or 0
    words = [w.lower() for w in re.findall(r"[\w.-]+", phrase)]
    first = words[0] if words else ""
    noun = head.lemma_.lower()
    plural = head.tag_ in ("NNS", "NNPS")
    definite = first in ("the", "this", "that") and not plural
    if first in POSSESSIVES and (noun in lexicon.ORG_HEAD_NOUNS or noun in SPOKES_NOUNS):
        pronoun = {"his": "he", "her": "she", "its": "it", "their": "they"}[first]
        referent = speakers_pronouns.antecedent(parsed, names, quoted, pronoun, at, _holder(parsed, names), descriptors)
        owner = referent.mention if referent is not None else last.get(POSSESSIVES[first])
        return _named(quote, names, owner, "role") if owner is not None and owner.start < at else None
    if definite and (noun in lexicon.PERSON_ROLE_NOUNS or noun in lexicon.ROLE_HEADS or re.fullmatch(r"\d+-year-old", noun)):
        person = _role_holder(parsed, names, at, [w for w in words[1:] if w.isalpha()], noun, _qualified(head))
        if person is None or _introduced_unnamed(parsed, at, noun, person):
            return None
        return _named(quote, names, person, "role")
    if definite and (noun in lexicon.ORG_HEAD_NOUNS or noun in lexicon.MEDIA_NOUNS):
        body = _last_body(parsed, names, at, noun)
        return _named(quote, names, body, "role") if body else None
    if noun in lexicon.SOURCE_NOUNS or (noun in lexicon.MEDIA_NOUNS and not definite):
        return dataclasses.replace(quote, speaker_type="SOURCE", speaker_via="source")
    return None


def phrase_head(parsed: Parsed, start: int, end: int) -> Any | None:
    """The token of a character span whose syntactic head lies outside it (the phrase's head word)."""
    first = token_at(parsed, start)
    if first is None:
        return None
    offset = parsed.docs_offset[id(first.doc)]
    tokens = [t for t in first.doc[first.i:] if offset + t.idx < end]
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    return heads[0] if heads else None


# Nouns for someone who speaks for the person or body named by the possessive ("his spokesman").
SPOKES_NOUNS = frozenset("spokesman spokeswoman spokesperson aide aides lawyer lawyers attorney attorneys "
                         "representative representatives".split())


def _named(quote: Quote, names: list[Mention], mention: Mention, via: str) -> Quote:
    """The quote with the mention's article-level name: a surname in full, an acronym spelled out."""
    canonical = mention
    if mention.label == "PERSON" and len(mention.text.split()) == 1:
        written = first_in_sentences(names)
        full = [m for m in names if len(m.text.split()) > 1 and m.text.split()[-1] == mention.text
                and not surname_before_full_name(written[mention.text], written[m.text])]
        canonical = max(full, key=lambda m: m.label == "PERSON") if full else mention
    elif mention.label == "ORG":
        long_form = expand_acronym(mention, names)
        if long_form is not None:
            canonical, via = long_form, ("acronym" if via == "name" else via)
    return dataclasses.replace(quote, speaker_name=canonical.text,
                               speaker_type=mention.label, speaker_via=via,
                               speaker_ref_start=canonical.start, speaker_ref_end=canonical.end)


def expand_acronym(mention: Mention, names: list[Mention]) -> Mention | None:
    """The organisation an acronym stands for, when the article names it in full ("the FBI" → the
    Federal Bureau of Investigation): initials of its capitalised words, or "(FBI)" written after it."""
    short = mention.text.replace(".", "")
    if not (short.isalpha() and short.isupper() and 2 <= len(short) <= 8):
        return None
    for m in names:
        if m.label != "ORG" or m is mention or len(m.text.split()) < 2:
            continue
        if initials(m.text) == short:
            return m
    return None


def initials(name: str) -> str:
    """'Federal Bureau of Investigation' → 'FBI' (function words skipped)."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper() and w.lower() not in ("of", "the", "and", "for"))


def _holder(parsed: Parsed, names: list[Mention]) -> speakers_pronouns.RoleHolder:
    """The role match for pronoun resolution: a definite role subject ("the harbour minister") as the person
    whose title or apposition holds its words."""
    def holder(at: int, words: list[str], noun: str) -> Mention | None:
        if noun in lexicon.ORG_HEAD_NOUNS or noun in lexicon.MEDIA_NOUNS:
            return _last_body(parsed, names, at, noun)
        head = token_at(parsed, at)
        qualified = head is not None and head.lemma_.lower() == noun and _qualified(head)
        person = _role_holder(parsed, names, at, [w for w in words[1:] if w.isalpha()], noun, qualified)
        return None if person is None or _introduced_unnamed(parsed, at, noun, person) else person
    return holder


def _introduced_unnamed(parsed: Parsed, at: int, noun: str, holder: Mention) -> bool:
    """A definite role takes up the last person introduced with its noun: "One adviser close to the mayor
    said ... “…,” the adviser said" is that unnamed adviser, not an adviser named earlier."""
    since = max(_window_start(parsed, at), holder.end)
    for index in range(parsed.sentence_at(since), parsed.sentence_at(at) + 1):
        _, span = parsed.sent_spans[index]
        for token in span:
            char = parsed.docs_offset[id(token.doc)] + token.idx
            if since <= char < at and token.pos_ == "NOUN" and token.lemma_.lower() == noun and any(
                    c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in token.children):
                return True
    return False


def _qualified(head: Any) -> bool:
    """The role names the body it serves by a noun ("the fire chief", "the church's minister"), not only by
    how it is held ("the three-term minister", "the new minister")."""
    for child in head.children:
        if child.dep_ in ("compound", "poss") and child.pos_ in ("NOUN", "PROPN") and child.i < head.i:
            hyphened = (child.i + 1 < len(child.doc) and child.nbor(1).text == "-") or (
                child.i > 0 and child.nbor(-1).text == "-")
            if not hyphened:
                return True
    return False


def _role_holder(parsed: Parsed, names: list[Mention], at: int, modifiers: list[str], noun: str,
                 qualified: bool = False) -> Mention | None:
    """The person the article describes with the role's words; else, for a role not qualified by the body it
    serves, the one person its last sentences name."""
    text = parsed.article.text
    people = [m for m in names if m.label == "PERSON" and m.end <= at]
    wanted = {noun, *TITLE_SHORT.get(noun, ())} | {w for w in modifiers if w not in ("the", "former", "new")}
    scored = []
    for m in people:
        around = text[max(0, m.start - TITLE_BEFORE):m.start].lower().split()[-3:]
        # Up to the role phrase itself at most: "... owned by Anna Berg, the fire chief said" does not describe her.
        after = text[m.end:min(m.end + APPOSITION_AFTER, max(at, m.end))].lower()
        apposition = after.split(".")[0] if after.startswith(",") else ""
        title = (m.attrs.get("title") or "").lower().split()
        hits = sum(1 for w in wanted if w in around or w in title or re.search(rf"\b{re.escape(w)}\b", apposition))
        if hits:
            scored.append((hits, m.start, m))
    if scored:
        best = max(scored, key=lambda s: (s[0], s[1]))
        if len({_surname(s[2]) for s in scored if s[0] == best[0]}) == 1:
            return best[2]
        return None
    # Else the one person the last sentences name: a full name, or the surname of one (a lone word the
    # model calls a person, such as a ship's name, is no one's role). A role that names the body it serves
    # ("the fire chief", "the church's minister") is someone the article has not described so, not the person
    # the passage is about ("Palin has apologised ... The fire chief has said").
    if qualified:
        return None
    full = [m for m in people if len(m.text.split()) > 1]
    surnames = {_surname(m) for m in full}
    window_start = _window_start(parsed, at)
    recent = [m for m in people if m.start >= window_start and (len(m.text.split()) > 1 or _surname(m) in surnames)]
    if len({_surname(m) for m in recent}) == 1:
        return recent[-1]
    return None


def _last_body(parsed: Parsed, names: list[Mention], at: int, noun: str) -> Mention | None:
    """'the ministry', 'the newspaper': the organisation named last before it, its own noun first."""
    before = [m for m in names if m.label == "ORG" and m.end <= at and m.start >= _window_start(parsed, at)]
    same = [m for m in before if m.text.split()[-1].lower().rstrip("s") == noun.rstrip("s")]
    if same:
        return same[-1]
    # "the newspaper", "the daily": the one organisation the last sentences name (the outlet); "the
    # authority" must end its name with that noun.
    if noun in lexicon.MEDIA_NOUNS and len({m.text for m in before}) == 1:
        return before[-1]
    return None


def _window_start(parsed: Parsed, at: int) -> int:
    sentences = parsed.sentences
    if not sentences:
        return 0
    return sentences[max(0, parsed.sentence_at(at) - ROLE_WINDOW)].start


def _surname(m: Mention) -> str:
    return m.text.split()[-1].lower()

