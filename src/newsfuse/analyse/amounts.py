"""Numbers in one article with unit, currency and scale, and the thing they count where the parse shows it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from newsfuse.analyse import lexicon
from newsfuse.models import Amount

VERSION = "amounts.v3"  # v3: who did it to or with the counted (`agent`, the proper names of the verb's subject); v2: what a count says of what it counts (predicate, its role) and what a measure is of

CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR", "a$": "AUD", "c$": "CAD"}
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "pounds": "GBP", "gbp": "GBP", "rubles": "RUB", "roubles": "RUB", "rub": "RUB", "yuan": "CNY",
    "yen": "JPY", "rupees": "INR", "kyat": "MMK", "kyats": "MMK",
}
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9,
    "bn": 1e9, "b": 1e9, "trillion": 1e12, "trln": 1e12, "tn": 1e12,
}
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|mln|mn|billion|bln|bn|trillion|trln|tn|k|m|b)\b\.?)?"
MONEY_SYMBOL = re.compile(r"(?P<sym>US\$|A\$|C\$|[$€£¥₽₹])\s?" + _NUM + _SCALE, re.I)
MONEY_WORD = re.compile(_NUM + _SCALE + r"\s+(?P<cur>" + "|".join(CURRENCY_WORDS) + r")\b", re.I)
PERCENT = re.compile(_NUM + r"\s?(?:%|\s(?:percent|per\s?cent)\b)", re.I)
# "6 am", "3 o'clock": clock times, not counts.
TIME_WORDS = frozenset(["am", "pm", "a.m.", "p.m.", "o'clock", "gmt", "utc", "hours", "hrs"])
# A year or day number is a date, not an amount (dates.py has it).
YEAR_LIKE = re.compile(r"^(?:19|20)\d\d$")
# Verbs that say little of what they count ("there were 5 people", "the attack left 5 people dead", "it has
# 8 GB"): the count's predicate is their complement ("dead"), if any. A closed class: extend, do not tune.
LIGHT_VERBS = frozenset("""
be have leave include remain become get report say number total reach stand put bring make see keep contain
give mean involve count list confirm record estimate believe fear know
""".split())
# Nouns that only gather what they count: "a total of 5 people were killed" counts what "total" does.
GATHERING_NOUNS = frozenset("total group number crowd list handful dozen lot couple tally estimate minimum maximum".split())
# Prepositions that say what a measure is of or from ("8 GB of memory", "55 km from Aceh", "12 km off the coast").
MEASURE_PREPS = frozenset(["of", "from", "off"])
# Prepositions of place: "N people were in/at ..." counts who was there, not what happened to them.
PLACE_PREPS = frozenset("in at inside outside near on aboard".split())
DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest northward southward away".split())
_PATIENT_DEPS = frozenset(["dobj", "nsubjpass"])
# How many verbs up a count's doer is looked for.
AGENT_CLIMB = 3
_ARGUMENT_DEPS = frozenset(["dobj", "nsubjpass", "nsubj", "attr", "oprd"])


def find_amounts(text: str, docs: list[tuple[int, Any]], date_spans: list[tuple[int, int]], article_id: str = "",
                 sentence_at: Callable[[int], int] | None = None) -> list[Amount]:
    """Money, percentages and counts of things; `docs` are (char offset, spaCy Doc) for the parse."""
    at = sentence_at or (lambda _c: 0)
    found: list[Amount] = []
    taken = list(date_spans)
    for pattern, kind in ((MONEY_SYMBOL, "symbol"), (MONEY_WORD, "word"), (PERCENT, "percent")):
        for m in pattern.finditer(text):
            if _overlaps(taken, m.start(), m.end()):
                continue
            scale = m.groupdict().get("scale") or ""
            value = _number(m.group("num")) * SCALES.get(scale.lower().rstrip("."), 1.0)
            if kind == "percent":
                unit, currency = "%", None
            else:
                key = m.group("sym").lower() if kind == "symbol" else m.group("cur").lower()
                currency = CURRENCY_SYMBOLS.get(key) if kind == "symbol" else CURRENCY_WORDS[key]
                unit = currency
            taken.append(m.span())
            found.append(Amount(article_id, m.group(0).strip(), m.start(), m.end(), value, unit, currency, at(m.start())))
    for offset, doc in docs:
        found.extend(_counts(doc, offset, taken, article_id, at))
    found.sort(key=lambda a: a.start)
    return found


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _counts(doc: Any, offset: int, taken: list[tuple[int, int]], article_id: str,
            at: Callable[[int], int]) -> list[Amount]:
    """'four political prisoners' → 4 people counting "political prisoners"."""
    found = []
    for token in doc:
        if token.dep_ != "nummod" or token.head.pos_ not in ("NOUN", "PROPN") or token.head.i < token.i:
            continue  # "Container Terminal 2" names a thing, it does not count it
        if token.head.lower_ in TIME_WORDS:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].text == "-":
            continue  # "five-point plan": part of an adjective, not a count
        value = _token_value(token)
        start = offset + token.idx
        if value is None or _overlaps(taken, start, start + len(token.text)) or YEAR_LIKE.match(token.text):
            continue
        noun = token.head
        modifiers = [c for c in noun.lefts if c.dep_ in ("amod", "compound") and c.i > token.i]
        first = modifiers[0] if modifiers else noun
        counted = doc[first.i:noun.i + 1].text  # a span: doc.text would build the whole paragraph per amount
        unit = "people" if noun.lower_ in lexicon.PERSON_NOUNS or noun.lemma_.lower() in lexicon.PERSON_NOUNS else noun.lemma_.lower()
        end = offset + noun.idx + len(noun.text)
        predicate, role = _predicate(noun)
        found.append(Amount(article_id, doc[token.i:noun.i + 1].text, start, end, value, unit, None,
                            at(start), counts=counted, predicate=predicate, predicate_role=role,
                            measures=_measured(noun), agent=_agent(noun) if role in ("object", "prep") else None))
    return found


def _predicate(noun: Any) -> tuple[str | None, str | None]:
    """The verb or adjective that says what happened to, or is true of, the counted things, and the noun's
    role to it: "40 people injured" → (injure, modifier); "killed 5 people" → (kill, object); "5 people
    died" → (die, subject); "left 5 people dead" → (dead, complement); "the bodies of 12 people" → (body,
    modifier); "armed with 1,300 rounds" → (armed, prep); "5 people who were praying" → (pray, subject) when
    no verb governs the noun; "10 people were in the house" → (be, complement): who was there. (None, None)
    where the parse shows none."""
    for child in noun.rights:  # a participle right after the noun: "40 people injured in the blast"
        if child.dep_ in ("acl", "amod") and child.pos_ in ("VERB", "ADJ"):
            return _outcome(child), "modifier"
    anchor = noun
    while anchor.dep_ == "conj" and anchor.head.pos_ in ("NOUN", "PROPN"):
        anchor = anchor.head  # "killed 5 men and 3 women": the women share the men's verb
    if anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.lemma_.lower() in GATHERING_NOUNS:
        anchor = anchor.head.head  # "a total of 5 people were killed"
    head = anchor.head
    if anchor.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head is not head:
        owner = head.head  # "the bodies of 12 people", "a party with 40 people", "armed with 1,300 rounds"
        if owner.pos_ == "NOUN" and owner.i < anchor.i and owner.lemma_.lower() not in GATHERING_NOUNS:
            return owner.lemma_.lower(), "modifier"
        if owner.pos_ in ("VERB", "ADJ") and owner.lemma_.lower() not in LIGHT_VERBS:
            return _outcome(owner), "prep"
    elif anchor.dep_ in _ARGUMENT_DEPS and head.pos_ in ("VERB", "AUX", "ADJ") and head is not anchor:
        if head.lemma_.lower() not in LIGHT_VERBS:
            return _outcome(head), "object" if anchor.dep_ in _PATIENT_DEPS else "subject"
        after = anchor.doc[anchor.i + 1] if anchor.i + 1 < len(anchor.doc) else None
        if after is not None and after.tag_ in ("VBN", "JJ"):
            return _outcome(after), "complement"  # "left six people injured", however the parse hangs it
        for child in head.children:
            if child.dep_ in ("acomp", "oprd", "xcomp") and child.pos_ in ("ADJ", "VERB"):
                return _outcome(child), "complement"
        if head.lemma_.lower() == "be" and any(c.dep_ == "prep" and c.lower_ in PLACE_PREPS
                                               for c in [*head.children, *anchor.children]):
            return "be", "complement"  # "10 people were in the house", "there were 200 people at the event"
        return None, None
    for child in noun.rights:  # "5 people who died"
        if child.dep_ == "relcl" and child.pos_ == "VERB":
            passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in child.children)
            return _outcome(child), "object" if passive else "subject"
    return None, None


def _agent(noun: Any) -> str | None:
    """Who did to, or with, the counted things what the verb says: the proper names (and nationality words) of
    the verb's subject or by-phrase, lower case ("the British Royal Navy had captured eight pirates" -> "british
    royal navy", "23 pirates were seized by Indian commandos" -> "indian", "Manning threw for 364 yards" ->
    "manning", "Garrard, who completed 28 passes" -> "garrard"); None where they name no one."""
    anchor = noun
    while anchor.dep_ == "conj" and anchor.head.pos_ in ("NOUN", "PROPN"):
        anchor = anchor.head
    if anchor.dep_ == "pobj" and anchor.head.dep_ == "prep":
        verb = anchor.head.head  # "threw for 364 yards", "finished with 20 points"
    elif anchor.dep_ in _PATIENT_DEPS:
        verb = anchor.head
    else:
        return None
    for _ in range(AGENT_CLIMB):  # up from a verb with no subject of its own ("and now has 2,302", "passes for")
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        doer = next((c for c in verb.children if c.dep_ in ("nsubj", "agent")), None)
        if doer is not None and doer.pos_ != "NUM":
            if doer.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":  # "Garrard, who completed 28 passes"
                words = _proper_words([*(c for c in verb.head.children if c.dep_ == "compound"), verb.head])
            else:
                words = _proper_words(doer.subtree)
            return " ".join(words) or None
        if verb.dep_ not in ("conj", "dobj", "xcomp", "advcl") or verb.head is verb:
            return None
        verb = verb.head
    return None


def _proper_words(tokens: Any) -> list[str]:
    """The words of names among `tokens` (the small model tags some surnames as common nouns, not their entity)."""
    return [t.lower_ for t in tokens if (t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")) and not t.is_stop]


def _outcome(verb: Any) -> str:
    """The lemma of what a verb says happened to its counted things, following verbs joined to it that have no
    arguments of their own ("were shot and killed" → kill) and marking a fatal manner ("fatally shot", "shot
    to death", "shot dead" → "fatally shoot")."""
    while True:
        joined = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"
                       and not any(g.dep_ in _ARGUMENT_DEPS for g in c.children)), None)
        if joined is None:
            break
        verb = joined
    lemma = verb.lemma_.lower()
    return f"fatally {lemma}" if any(_fatal(c) for c in verb.children) else lemma


def _fatal(child: Any) -> bool:
    if child.lower_ in ("fatally", "mortally", "dead"):
        return child.dep_ in ("advmod", "oprd", "acomp", "xcomp", "npadvmod")
    return child.dep_ == "prep" and child.lower_ == "to" and any(g.lower_ == "death" for g in child.children)


def _named(noun: Any) -> Any:
    """"the town of Bireun" → Bireun: the name a common noun is followed by, else the noun."""
    for prep in noun.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            name = next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
            return name if name is not None else noun
    return noun


def _measured(noun: Any) -> str | None:
    """What a measure or count is of or from: "8 GB of memory" → memory, "55 km from Aceh" and "60 km southwest
    of Aceh" → aceh, "10 km deep" → deep, "a depth of 10 km" → depth, "a 500 GB drive" → drive."""
    doc = noun.doc
    after = [doc[i] for i in range(noun.i + 1, min(noun.i + 3, len(doc)))]
    if after and after[0].lower_ in DIRECTIONS:
        after = after[1:]  # "60 km southwest of Aceh", "12 km away from the coast"
    preps = [c for c in noun.rights if c.dep_ == "prep"] + after[:1]  # the parse may hang "from" on the verb
    for prep in preps:
        if prep.dep_ == "prep" and prep.lower_ == "per":  # a rate, "220 pixels per inch", is no count of pixels
            return "per " + next((c.lemma_.lower() for c in prep.children if c.dep_ == "pobj"), "")
        if prep.dep_ == "prep" and prep.lower_ in MEASURE_PREPS:
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _named(pobj).lemma_.lower()
    head = noun.head
    if noun.dep_ == "npadvmod" and head.pos_ == "ADJ":
        return head.lemma_.lower()
    if noun.dep_ in ("compound", "nmod") and head.pos_ in ("NOUN", "PROPN") and head.i > noun.i:
        return head.lemma_.lower()
    if (noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN"
            and head.head.lemma_.lower() not in GATHERING_NOUNS):
        return head.head.lemma_.lower()
    return None


def _token_value(token: Any) -> float | None:
    text = token.lower_.replace(",", "")
    if text in lexicon.NUMBER_WORDS:
        return float(lexicon.NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None
