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
from newsfuse.analyse import lexicon, quotes
from newsfuse.analyse.entities import first_in_sentences, surname_before_full_name
from newsfuse.analyse.quote_marks import find_direct_spans
from newsfuse.analyse.sentences import Parsed, token_at
from newsfuse.models import Mention, Quote

VERSION = "speakers.v3"

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
# How many heads up from the noun a relative clause hangs on "who" looks for the person's name (noun, "of",
# the noun before it, its apposition's name: "Karin Holm, chair of the association, who").
RELATIVE_CLIMB = 4
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
    # A name inside quotation marks is in someone's words ("“Donald,” he said"), never what the narrative's
    # pronoun stands for.
    quoted = find_direct_spans(parsed.article.text, [offset for _, offset, _ in parsed.docs])
    narrative = [m for m in names if not any(s <= m.start < e for s, e in quoted)]
    descriptors = [m for m in mentions if m.part == "text" and m.label in SPEAKER_LABELS and m.kind == "descriptor"]
    out: list[Quote] = []
    last: dict[str, Mention] = {}  # the last person and body resolved as a speaker: who "he" means past the window
    previous: Quote | None = None
    for quote in sorted(found, key=lambda q: q.content_start):
        resolved = _resolve_one(parsed, names, descriptors, quote, last, narrative)
        if resolved.speaker_start is None and resolved.direct and previous is not None and _continues(parsed, previous, resolved):
            resolved = _continued(previous, resolved)
        previous = resolved
        ref = next((m for m in names if m.start == resolved.speaker_ref_start), None)
        if ref is not None and ref.label in ("PERSON", "ORG"):
            last[ref.label] = ref
        out.append(resolved)
    return out


def _continues(parsed: Parsed, before: Quote, quote: Quote) -> bool:
    """A quotation with no cue of its own goes on from the quote just before it: same or next paragraph,
    within CONTINUE_SENTENCES sentences, that quote's speaker known."""
    if quote.cue_start is not None or not before.speaker_name:
        return False
    gap = parsed.sentence_at(quote.content_start) - parsed.sentence_at(before.content_end - 1)
    return 0 <= gap <= CONTINUE_SENTENCES


def _continued(before: Quote, quote: Quote) -> Quote:
    return dataclasses.replace(
        quote, speaker=before.speaker, speaker_start=before.speaker_start, speaker_end=before.speaker_end,
        source_start=before.source_start, source_end=before.source_end, speaker_name=before.speaker_name,
        speaker_type=before.speaker_type, speaker_via="previous", speaker_ref_start=before.speaker_ref_start,
        speaker_ref_end=before.speaker_ref_end)


def _antecedent(parsed: Parsed, narrative: list[Mention], pronoun: str, at: int, last: dict[str, Mention]) -> Mention | None:
    """The pronoun's antecedent within the rules' window, a main clause's subject first ("Pottinger said Trump
    would ... The goal, he said": Pottinger), else the last speaker of its kind before it."""
    main = [m for m in narrative if _main_subject(parsed, m)]
    mention = quotes.pronoun_antecedent(parsed, pronoun, at, main) or quotes.pronoun_antecedent(parsed, pronoun, at, narrative)
    if mention is None:
        previous = last.get("PERSON" if pronoun in quotes.PERSON_PRONOUNS else "ORG")
        mention = previous if previous is not None and previous.start < at else None
    return mention


def _resolve_one(parsed: Parsed, names: list[Mention], descriptors: list[Mention], quote: Quote,
                 last: dict[str, Mention], narrative: list[Mention]) -> Quote:
    if quote.speaker_start is None or quote.speaker_end is None:
        return quote
    start, end = quote.speaker_start, quote.speaker_end
    phrase = parsed.article.text[start:end]
    if phrase.strip().lower() in NO_ONE:
        antecedent = _relative_antecedent(parsed, names, start)
        if antecedent is not None:  # "Karin Holm, chair of the association, who called ...": Karin Holm
            return _named(quote, names, antecedent, "name")
        return dataclasses.replace(quote, speaker="")  # the phrase's span stays: it is the source as written
    head = phrase_head(parsed, start, end)
    inside = [m for m in names if start <= m.start and m.end <= end]
    if not inside:
        # "Their leader, Tomas Lind, described", "said the four-term congressman, Marcus Delaney, who ...":
        # a name in apposition, in the source phrase's aside or right after the phrase (the small model
        # sometimes calls such a person an ORG).
        close = max(end, quote.source_end or end)
        after = parsed.article.text[end:end + 3]
        inside = [m for m in names if m.label in ("PERSON", "ORG") and (
            (quote.source_start is not None and quote.source_start <= m.start and m.end <= close)
            or (after.startswith(",") and end < m.start <= end + 3))]
    if head is not None:
        at = parsed.docs_offset[id(head.doc)] + head.idx
        heading = [m for m in inside if m.start <= at < m.end]
        if heading:
            return _named(quote, names, max(heading, key=lambda m: m.end - m.start), "name")
        # "the Russian news agency TASS": a name in apposition is the speaker; "the Myanmar military" is not Myanmar.
        inside = [m for m in inside if not _modifies(parsed, m, head)]
    lowered = phrase.lower()
    if lowered in quotes.PERSON_PRONOUNS | quotes.GROUP_PRONOUNS:
        mention = _antecedent(parsed, narrative, lowered, start, last)
        return _named(quote, names, mention, "pronoun") if mention else quote
    if inside:
        mention = max(inside, key=lambda m: (m.label == "PERSON", m.label == "ORG", m.end - m.start))
        return _named(quote, names, mention, "name")
    # A name the model missed here but found elsewhere in the article ("Lavrov gave no sign ...").
    spelled = [m for m in names if m.text == phrase or (m.label == "PERSON" and m.text.split()[-1] == phrase)]
    if spelled:
        return _named(quote, names, spelled[0], "name")
    resolved = _by_role(parsed, names, quote, phrase, head, last, narrative) if head is not None else None
    if resolved is not None:
        return resolved
    described = [m for m in descriptors if m.start < end and start < m.end]
    if described:  # "Myanmar's military government": linking ties the descriptor to its body
        return _named(quote, names, described[0], "role")
    return quote


def _main_subject(parsed: Parsed, mention: Mention) -> bool:
    """The name is the subject of its sentence's main verb (or of a verb joined to it), not of a clause
    reported or embedded in it."""
    token = token_at(parsed, mention.end - 1)
    if token is None or token.dep_ not in quotes.SUBJECT_DEPS:
        return False
    verb = token.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


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


def _modifies(parsed: Parsed, mention: Mention, head: Any) -> bool:
    """The name only qualifies the phrase's head ("Russia's ministry", "the Myanmar military")."""
    token = token_at(parsed, mention.end - 1)
    return token is not None and token.i != head.i and token.head.i == head.i and token.dep_ in (
        "poss", "compound", "amod", "nmod", "npadvmod")


def _by_role(parsed: Parsed, names: list[Mention], quote: Quote, phrase: str, head: Any,
             last: dict[str, Mention], narrative: list[Mention]) -> Quote | None:
    """A possessive, a role, a body or a document as the speaker phrase's head noun; None for none of them."""
    at = quote.speaker_start or 0
    words = [w.lower() for w in re.findall(r"[\w.-]+", phrase)]
    first = words[0] if words else ""
    noun = head.lemma_.lower()
    plural = head.tag_ in ("NNS", "NNPS")
    definite = first in ("the", "this", "that") and not plural
    if first in POSSESSIVES and (noun in lexicon.ORG_HEAD_NOUNS or noun in SPOKES_NOUNS):
        pronoun = "he" if POSSESSIVES[first] == "PERSON" else "it"
        owner = _antecedent(parsed, narrative, pronoun, at, last)
        return _named(quote, names, owner, "role") if owner else None
    if definite and (noun in lexicon.PERSON_ROLE_NOUNS or noun in lexicon.ROLE_HEADS or re.fullmatch(r"\d+-year-old", noun)):
        person = _role_holder(parsed, names, at, [w for w in words[1:] if w.isalpha()], noun)
        return _named(quote, names, person, "role") if person else None
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


def _role_holder(parsed: Parsed, names: list[Mention], at: int, modifiers: list[str], noun: str) -> Mention | None:
    """The person the article describes with the role's words; else the one person its last sentences name."""
    text = parsed.article.text
    people = [m for m in names if m.label == "PERSON" and m.end <= at]
    wanted = {noun, *TITLE_SHORT.get(noun, ())} | {w for w in modifiers if w not in ("the", "former", "new")}
    scored = []
    for m in people:
        around = text[max(0, m.start - TITLE_BEFORE):m.start].lower().split()[-3:]
        after = text[m.end:m.end + APPOSITION_AFTER].lower()
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
    # model calls a person, such as a ship's name, is no one's role).
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

