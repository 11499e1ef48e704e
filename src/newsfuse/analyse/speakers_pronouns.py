"""Who a pronoun speaker stands for: the subject the narrative last put forward, of the pronoun's number and kind.

News keeps one person (or body, or group) at the centre of a passage and refers back to it with a
pronoun in subject position: "Jonas Berg said he left the port in May ... “I can't go back,” he said". So
a speaker "he"/"she" is the nearest preceding subject that is one person, a main clause's subject before
the subject of a clause reported in it; "they" the nearest plural subject (a coordination, "the three
chairmen — A, B and C —", a plural noun) or body; "it" the nearest body or document. A subject that is
itself a pronoun stands for what that pronoun stands for, so the chain carries the centre from sentence
to sentence. A subject counts as a person when it is a person's name, the surname or name of one the
article names (the small model sometimes misses or mislabels a repeated name), a name in apposition
("The official, Ana Lind,"), or a proper name whose apposition is a person's role ("Jane Roe,
co-director of ..."); an anonymous person ("a spokeswoman", "one adviser") is a subject too in the next
sentence, so "she" does not reach past her to someone named earlier. Words inside quotation marks are
someone's speech, never the narrative's subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from newsfuse.analyse import lexicon, quotes
from newsfuse.analyse.entities import described_as_person, person_like, reports_person
from newsfuse.analyse.sentences import Parsed, token_at
from newsfuse.models import Mention

SINGULAR_PERSON = frozenset("he she".split())
# Titles that tell a person's gender: "she" does not stand for "Mr. Berg".
MALE_TITLES = frozenset("mr. mr sir".split())
FEMALE_TITLES = frozenset("ms. ms mrs. mrs miss dame".split())
# Titles written only before a person's name ("Mr. Berg", "President Holm").
PERSON_TITLES = frozenset("mr. mr mrs. mrs ms. ms dr. dr president sen. senator rep. gov. governor mayor chancellor "
                          "minister secretary judge".split())
# How many sentences back a person the text does not name ("a spokeswoman said ... she added") stays the one a
# pronoun means; past that the named person the passage is about is meant. Not tuned (no split scores who a
# pronoun is): the next sentence, as the rule reads; the rules' window otherwise let an unnamed adviser three
# sentences back take a "he" that meant the president the passage was about.
ANONYMOUS_REACH = 1


@dataclass(frozen=True)
class Referent:
    """What a subject refers to: a person, a body or a group; its name mention where the article has one."""

    start: int  # the subject's first character
    kind: str  # PERSON | BODY (an organisation, a country, a document) | GROUP (several people or bodies)
    text: str  # the name or phrase as written ("Ana Lind", "The Danish foreign ministry")
    mention: Mention | None
    main: bool  # the subject of a main clause (not of a clause reported or embedded in it)
    gender: str = ""  # "he" | "she" where the text tells
    proper: bool = True  # a name (a mention's, or a proper name the model missed), not a common noun phrase
    source: bool = False  # a document ("the statement ... it added"): its words are attributed to no one who speaks


# The person a definite role names, or the organisation a definite body noun names ("the harbour minister", "the
# ministry" at a character offset, with the phrase's words and head noun): speakers.py's title and apposition
# match, or the organisation named before.
RoleHolder = Callable[[int, list[str], str], "Mention | None"]


def antecedent(parsed: Parsed, names: list[Mention], quoted: list[tuple[int, int]], pronoun: str,
               at: int, role_holder: RoleHolder, descriptors: list[Mention] = ()) -> Referent | None:
    """The referent of a pronoun at `at`: the nearest fitting subject before it within the rules' window, else
    the nearest fitting name outside quotation marks ("The crews cheered Anna Berg ... “...,” she said")."""
    pronoun = pronoun.lower()
    found = _Resolver(parsed, names, quoted, role_holder, list(descriptors)).resolve(pronoun, at, depth=0)
    if found is not None:
        return found
    narrative = [m for m in names if not any(s <= m.start < e for s, e in quoted)]
    mention = quotes.pronoun_antecedent(parsed, pronoun, at, narrative)
    if mention is None:
        return None
    return Referent(mention.start, "PERSON" if mention.label == "PERSON" else "BODY", mention.text, mention, False)


class _Resolver:
    def __init__(self, parsed: Parsed, names: list[Mention], quoted: list[tuple[int, int]], role_holder: RoleHolder,
                 descriptors: list[Mention]):
        self.parsed, self.names, self.quoted, self.role_holder = parsed, names, quoted, role_holder
        self.descriptors = descriptors
        # Names the model called organisations that the article writes after a person's title ("President Holm").
        text = parsed.article.text
        self.titled = {m.text for m in names if m.label == "ORG" and person_like(m.text)
                       and text[max(0, m.start - 12):m.start].lower().split()[-1:] in ([t] for t in PERSON_TITLES)}
        people = [m for m in names if m.label == "PERSON" or m.text in self.titled]
        # A repeated name the model missed or mislabelled: the name or surname of a person it found elsewhere.
        self.person_forms: dict[str, Mention] = {}
        for m in people:
            self.person_forms.setdefault(m.text, m)
            if len(m.text.split()) > 1:
                self.person_forms.setdefault(m.text.split()[-1], m)
        self.memo: dict[int, Referent | None] = {}

    def resolve(self, pronoun: str, at: int, depth: int) -> Referent | None:
        wanted = _wanted(pronoun)
        here = self.parsed.sentence_at(at)
        found = [r for r in self._subjects(at, depth) if r.kind in wanted and _agrees(pronoun, r)
                 # Someone not named ("a spokeswoman said ... she added") is the centre only just after.
                 and (r.kind != "PERSON" or r.proper or here - self.parsed.sentence_at(r.start) <= ANONYMOUS_REACH)]
        # A name inside what the pronoun's own verb reports is someone else ("Berg was on probation, he said":
        # had Berg said it, the clause would read "he was"); the name is no antecedent of that pronoun.
        # Only a name: "Some residents welcomed it, they said" is the residents' own account, as news writes it.
        found = [r for r in found if not (r.proper and r.mention is not None) or self.parsed.sentence_at(r.start) != here
                 or not self._reported_by(r, at)]
        if not found:
            return None
        # Who speaks is someone, not a document, when someone fits ("The documents, they said, show ...").
        found = [r for r in found if not r.source] or found
        # A subject earlier in the pronoun's own sentence first, whatever its clause ("While Mr. Berg praised
        # ..., he did not repeat"), unless it is in what the pronoun's verb reports; else a main clause's
        # subject before the subject of a clause reported in it ("Berg said Holm would ... The goal, he
        # said").
        same = [r for r in found if self.parsed.sentence_at(r.start) == here and not self._reported_by(r, at)]
        main = [r for r in found if r.main]
        return (same or main or found)[-1]

    def _subjects(self, at: int, depth: int) -> list[Referent]:
        parsed = self.parsed
        if not parsed.sentences:
            return []
        last = parsed.sentence_at(at)
        out = []
        for index in range(max(0, last - quotes.PRONOUN_WINDOW), last + 1):
            _, span = parsed.sent_spans[index]
            first = next((t for t in span if not t.is_punct), None)
            subjectless = not any(t.dep_ in quotes.SUBJECT_DEPS and t.head.dep_ == "ROOT" for t in span)
            if first is not None and first.text in self.person_forms and first.dep_ not in quotes.SUBJECT_DEPS and (
                    subjectless):
                # A sentence without a subject that opens with a person's name: the parse misread the name ("May
                # was similarly glowing": "May" as a modal); the name is the subject.
                char = parsed.docs_offset[id(first.doc)] + first.idx
                mention = self.person_forms[first.text]
                if char < at and not any(s <= char < e for s, e in self.quoted):
                    out.append(Referent(char, "PERSON", mention.text, mention, True))
            for token in span:
                char = parsed.docs_offset[id(token.doc)] + token.idx
                if char >= at:
                    break
                if token.dep_ not in quotes.SUBJECT_DEPS or any(s <= char < e for s, e in self.quoted):
                    continue
                # "Mr. Berg's comments suggested he backed it": the subject's owner is in focus too.
                for owner in token.children:
                    if owner.dep_ == "poss" and owner.pos_ == "PROPN":
                        named = self._name_of(owner, parsed.docs_offset[id(owner.doc)] + owner.idx)
                        if named is not None and named[2] == "PERSON":
                            start = named[0].start if named[0] else char
                            out.append(Referent(start, "PERSON", named[1], named[0], False))
                referent = self._referent(token, char, depth)
                if referent is not None:
                    out.append(referent)
        return out

    def _referent(self, token: Any, char: int, depth: int) -> Referent | None:
        main = _is_main(token)
        lower = token.lower_
        if lower in quotes.PERSON_PRONOUNS | quotes.GROUP_PRONOUNS:
            if depth >= quotes.PRONOUN_WINDOW:
                return None
            if char not in self.memo:
                self.memo[char] = self.resolve(lower, char, depth + 1)
            chained = self.memo[char]
            if chained is None:
                return None
            gender = lower if lower in SINGULAR_PERSON else chained.gender
            return Referent(char, chained.kind, chained.text, chained.mention, main, gender, chained.proper,
                            chained.source)
        if token.pos_ == "PRON":
            return None
        conjoined = any(c.dep_ == "conj" for c in token.children) or self._coordinated_people(token)
        lemma = token.lemma_.lower()
        named = self._name_of(token, char)
        for child in token.children:
            if named is None and child.dep_ == "appos":
                named = self._name_in(child)
                # "a local newspaper, Nordposten": the noun the name is in apposition to says what it is.
                if named is not None and (lemma in lexicon.ORG_HEAD_NOUNS or lemma in lexicon.MEDIA_NOUNS):
                    named = (named[0], named[1], "BODY")
        plural = conjoined or token.tag_ in ("NNS", "NNPS")
        if named is not None:
            mention, text, kind = named
            return Referent(char, "GROUP" if plural else kind, text, mention, main, _gender(self.parsed, mention, char))
        phrase = _phrase(self.parsed, token)
        if plural and (lemma in lexicon.PERSON_NOUNS or token.lower_ in lexicon.PERSON_NOUNS
                       or lemma in lexicon.PERSON_ROLE_NOUNS or lemma in lexicon.ROLE_HEADS):
            return Referent(char, "GROUP", phrase, None, main, proper=False)
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
        if lemma in lexicon.PERSON_ROLE_NOUNS or lemma in lexicon.ROLE_HEADS:
            holder = self.role_holder(char, phrase.lower().split(), lemma) if definite else None
            if holder is not None:
                return Referent(char, "PERSON", holder.text, holder, main, _gender(self.parsed, holder, holder.start))
            if definite and depth < quotes.PRONOUN_WINDOW:
                # "The three-term minister added ...": a definite role refers back, like a pronoun, to the person
                # in focus; an indefinite one ("a spokeswoman", "one adviser") is someone not named.
                if char not in self.memo:
                    self.memo[char] = self.resolve("person", char, depth + 1)
                held = self.memo[char]
                if held is not None and held.mention is not None:
                    return Referent(char, "PERSON", held.text, held.mention, main, held.gender)
            return Referent(char, "PERSON", phrase, None, main, proper=False)
        body = self.role_holder(char, phrase.lower().split(), lemma) if definite and not plural and (
            lemma in lexicon.ORG_HEAD_NOUNS or lemma in lexicon.MEDIA_NOUNS) else None
        if body is not None:  # "the ministry": the organisation named before it
            return Referent(char, "BODY", body.text, body, main)
        descriptor = next((m for m in self.descriptors if m.start <= char < m.end), None)
        if descriptor is not None:  # "Myanmar's military government": linking ties it to its body
            kind = "PERSON" if descriptor.label == "PERSON" else "BODY"
            return Referent(char, "GROUP" if plural and kind == "BODY" else kind, descriptor.text, descriptor, main)
        if lemma in lexicon.ORG_HEAD_NOUNS or lemma in lexicon.MEDIA_NOUNS or lemma in lexicon.SOURCE_NOUNS:
            return Referent(char, "GROUP" if plural else "BODY", phrase, None, main, proper=False,
                            source=lemma in lexicon.SOURCE_NOUNS and lemma not in lexicon.ORG_HEAD_NOUNS)
        if token.pos_ == "PROPN" and described_as_person(token):
            return Referent(char, "PERSON", _proper_name(self.parsed, token), None, main)
        return None

    def _reported_by(self, referent: Referent, at: int) -> bool:
        """The subject is in what the pronoun's own verb reports: the verb set in it ("The documents, they said,
        show ..."), or the clause its complement ("Berg was on probation, he said")."""
        subject, pronoun = token_at(self.parsed, referent.start), token_at(self.parsed, at)
        if subject is None or pronoun is None or subject.doc is not pronoun.doc:
            return False
        verb = pronoun.head
        if verb.dep_ == "parataxis" and verb.head.i == subject.head.i:
            return True
        # "Berg was on probation for an earlier offence, he said": the subject's clause is the verb's complement.
        return pronoun.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in lexicon.REPORTING_VERBS and any(
            clause.dep_ in ("ccomp", "parataxis") and subject.i in {t.i for t in clause.subtree}
            for clause in verb.children)

    def _coordinated_people(self, token: Any) -> bool:
        """The subject phrase joins two or more people ("A, R-Va.; B, R-S.C.; and C said"), however it parsed."""
        offset = self.parsed.docs_offset[id(token.doc)]
        subtree = list(token.subtree)
        if not any(t.dep_ == "cc" for t in subtree):
            return False
        start, end = offset + subtree[0].idx, offset + subtree[-1].idx + len(subtree[-1].text)
        return sum(1 for m in self.names if m.label == "PERSON" and start <= m.start and m.end <= end) >= 2

    def _name_in(self, token: Any) -> tuple[Mention | None, str, str] | None:
        """The first name inside a phrase ("Representative Karin Holm of the Transport Committee")."""
        offset = self.parsed.docs_offset[id(token.doc)]
        subtree = list(token.subtree)
        start, end = offset + subtree[0].idx, offset + subtree[-1].idx + len(subtree[-1].text)
        inside = sorted((m for m in self.names if start <= m.start and m.end <= end and self._heads(m, token)),
                        key=lambda m: m.start)
        people = [m for m in inside if m.label == "PERSON"]
        first = (people or inside)[:1]
        return self._name_of(token, first[0].start) if first else self._name_of(token, offset + token.idx)

    def _heads(self, mention: Mention, phrase: Any) -> bool:
        """The name is the phrase's own (its head or a name joined to it), not one in a phrase or clause that
        modifies it ("co-director of Showing Up for Racial Justice, one of several American groups")."""
        token = token_at(self.parsed, mention.end - 1)
        while token is not None and token.i != phrase.i:
            if token.dep_ in ("prep", "pobj", "relcl", "acl", "poss", "amod", "nmod") or token.head.i == token.i:
                return False
            token = token.head
        return token is not None

    def _name_of(self, token: Any, char: int) -> tuple[Mention | None, str, str] | None:
        """(mention, text, kind) of the name a token belongs to, when it names a person or a body."""
        mention = next((m for m in self.names if m.start <= char < m.end), None)
        form = self.person_forms.get(token.text)
        if mention is not None and mention.label == "PERSON":
            return mention, mention.text, "PERSON"
        # "Berg" the model called an ORG, or missed, or took for a common noun at a sentence's start ("Page later said")
        if form is not None and (token.pos_ == "PROPN" or token.pos_ == "NOUN" and token.text[:1].isupper()):
            return form, form.text, "PERSON"
        if mention is not None and mention.label == "ORG" and person_like(mention.text) and (
                mention.text in self.titled or described_as_person(token) or reports_person(token)):
            return mention, mention.text, "PERSON"
        if mention is not None and mention.label in ("ORG", "GPE", "NORP"):
            return mention, mention.text, "BODY"
        return None


def _wanted(pronoun: str) -> tuple[str, ...]:
    if pronoun in quotes.PERSON_PRONOUNS or pronoun == "person":
        return ("PERSON",)
    if pronoun == "they":
        return ("GROUP", "BODY")
    return ("BODY",)


def _agrees(pronoun: str, referent: Referent) -> bool:
    """'she' never stands for a man the text marks as one ("Mr. Berg", or one the narrative calls "he")."""
    if pronoun not in SINGULAR_PERSON or not referent.gender:
        return True
    return referent.gender == pronoun


def _gender(parsed: Parsed, mention: Mention | None, char: int) -> str:
    if mention is None:
        return ""
    before = parsed.article.text[max(0, char - 6):char].lower().split()
    title = before[-1] if before else ""
    return "he" if title in MALE_TITLES else "she" if title in FEMALE_TITLES else ""


def _is_main(token: Any) -> bool:
    """The subject of its sentence's main verb (or of a verb joined to it)."""
    verb = token.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def _phrase(parsed: Parsed, token: Any) -> str:
    """The subject's noun phrase without relative clauses or appositions ("The Danish foreign ministry")."""
    kept = [t for t in token.subtree if t.i <= token.i or t.dep_ in ("compound", "amod")]
    first, last = kept[0], token
    offset = parsed.docs_offset[id(token.doc)]
    return parsed.article.text[offset + first.idx:offset + last.idx + len(last.text)]


def _proper_name(parsed: Parsed, token: Any) -> str:
    """The proper name a token ends ("Jane Roe"): it and the proper nouns compounded before it."""
    first = token
    while first.i > 0 and first.nbor(-1).pos_ == "PROPN" and first.nbor(-1).dep_ == "compound":
        first = first.nbor(-1)
    offset = parsed.docs_offset[id(token.doc)]
    return parsed.article.text[offset + first.idx:offset + token.idx + len(token.text)]
