"""Named-entity mentions of one article, with the small model's clear errors corrected, plus descriptors."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from newsfuse.analyse import lexicon
from newsfuse.analyse.sentences import Parsed
from newsfuse.models import Mention

VERSION = "entities.v10"  # v10: a title that ends in a qualifying word ("State ...") names no person in an organisation's name; v9: no person evidence from an institution or place noun ("Harrison County, ... a 44-year-old man" was a parse of an apposition); v8: a name after personal titles the model called an organisation is the person ("Constable Ivar Lund"); "manager", "miss" are titles; v7: a name the model called an organisation or a place that the article shows as a person's (the subject reporting what "she" did, a role or an age in apposition) is a PERSON; v6: a title keeps no part of a name however written ("Gov.", "Rev.", "District Attorney"); v5: a ship's name ("MV Gibe", and "Gibe" in its article) is no person; v3: a country the demonym table names is keyed whole ("Israel" = "Israeli")
# v4: the abbreviated ranks the tokenizer now keeps whole ("Lt.", "Capt.", "Maj.") are stripped from a name's front.

# Labels whose confusion the corrections resolve; others (DATE, MONEY ...) are kept as spaCy gives them.
NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
# Nouns that, in apposition or right before a name, make it a place ("the capital, Naypyidaw").
PLACE_NOUNS = frozenset("capital city town village province region district port".split())
POSSESSIVE = ("'s", "’s", "'", "’")
# Punctuation the model sometimes includes at the edge of a name ("Harbor Daily/"); "%" and "$" belong to it.
EDGE_PUNCT = frozenset(",.;:!?/\\-–—\"“”‘’()[]")


def extract_mentions(parsed: Parsed) -> list[Mention]:
    """Every entity mention and descriptor in the article text and title, labels corrected."""
    raw: list[dict[str, Any]] = []
    for _, offset, doc in parsed.docs:
        raw.extend(_raw_mentions(doc, offset, "text"))
    if parsed.title_doc is not None:
        raw.extend(_raw_mentions(parsed.title_doc, 0, "title"))
    _correct_labels(raw, shown_as_people(doc for _, _, doc in parsed.docs))
    mentions = [_to_mention(parsed, item) for item in raw]
    mentions.extend(find_descriptors(parsed))
    mentions.sort(key=lambda m: (m.part != "text", m.start))
    return resolve_back_references(mentions)


def _raw_mentions(doc: Any, offset: int, part: str) -> list[dict[str, Any]]:
    found = []
    for ent in doc.ents:
        tokens = _trim(ent, doc)
        if not tokens:
            continue
        label, why = ent.label_, None
        titled = _titled_person(tokens) if label in ("ORG", "GPE", "NORP", "FAC") else None
        if titled is not None:  # "Constable Ivar Lund", "State Police Capt. Doug Cain" called an organisation
            tokens, label, why = titled, "PERSON", "written after a personal title"
        first, last = tokens[0], tokens[-1]
        item = {
            "start": offset + first.idx, "end": offset + last.idx + len(last.text),
            "text": doc[first.i:last.i + 1].text, "label": label,  # a span: doc.text builds the whole doc
            "tokens": tokens, "part": part, "evidence": set(),
            "attrs": _title_attrs(tokens, doc) if label == "PERSON" else (
                _org_attrs(tokens, doc) if label == "ORG" else {}),
        }
        if why:
            item["why"] = why
        found.append(item)
    return found


# Tokens allowed between "<ORG> Chairman" and the name it titles (", Prime Minister").
MAX_TITLE_GAP = 4


def _org_attrs(tokens: list[Any], doc: Any) -> dict[str, str]:
    """The country written before an organisation ("Russia's Foreign Ministry") and who leads it."""
    attrs: dict[str, str] = {}
    before = tokens[0].i - 1
    if before >= 0 and doc[before].dep_ == "case":
        before -= 1
    if before >= 0 and before < ent_start(tokens) and doc[before].ent_type_ in ("GPE", "NORP") \
            and doc[before].head.i == tokens[-1].i:
        attrs["country"] = country_key(doc[before].text)
    leader = _org_leader(tokens, doc) or _leader_of(tokens[-1])
    if leader:
        attrs["led_by"] = leader
    return attrs


def ent_start(tokens: list[Any]) -> int:
    """Index of the first token of the entity the trimmed tokens came from."""
    first = tokens[0]
    while first.i > 0 and first.ent_iob_ == "I":
        first = first.doc[first.i - 1]
    return first.i


def _org_leader(tokens: list[Any], doc: Any) -> str | None:
    """'State Administrative Council Chairman, Prime Minister Min Aung Hlaing' → the person."""
    i = tokens[-1].i + 1
    if i >= len(doc) or doc[i].lower_ not in lexicon.LEAD_TITLES:
        return None
    for j in range(i + 1, min(len(doc), i + 2 + MAX_TITLE_GAP)):
        if doc[j].ent_type_ == "PERSON" and doc[j].ent_iob_ == "B":
            return _entity_text(doc[j])
        if doc[j].text != "," and doc[j].lower_.rstrip(".") not in lexicon.TITLE_STEMS:
            return None
    return None


def _trim(ent: Any, doc: Any) -> list[Any]:
    """Drop a leading article, a trailing possessive, and titles stuck to a person's name."""
    tokens = list(ent)
    while tokens and tokens[0].lower_ in ("the", "a", "an"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in POSSESSIVE or tokens[-1].text in EDGE_PUNCT):
        tokens = tokens[:-1]
    while tokens and tokens[0].text in EDGE_PUNCT:
        tokens = tokens[1:]
    # "Federal Bureau of Investigation (FBI": the model runs a name into the acronym defined after it.
    bracket = next((k for k, t in enumerate(tokens) if t.text == "(" and k > 0), None)
    if bracket is not None:
        tokens = tokens[:bracket]
    if ent.label_ == "PERSON":
        while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in lexicon.TITLE_STEMS:
            tokens = tokens[1:]
        # A title of several words before the name ("City Attorney Terry White", "District Attorney Seth
        # Williams"): every word up to its last title word is capitalised, and a name of two words or more follows.
        cut = max((k for k, t in enumerate(tokens[:-2]) if t.lower_.rstrip(".") in lexicon.TITLE_STEMS), default=None)
        if cut is not None and all(t.text[:1].isupper() for t in tokens[:cut + 1]) and all(
                t.text[:1].isupper() and t.text.rstrip(".").isalpha() for t in tokens[cut + 1:]):
            tokens = tokens[cut + 1:]
        # A name ends before a lower-case verb the model ran into it ("Karl Weber Sr told" → "Karl Weber Sr").
        while len(tokens) > 1 and tokens[-1].pos_ in ("VERB", "AUX") and tokens[-1].text[:1].islower():
            tokens = tokens[:-1]
        # ... or starts it one word late ("Detective Sergeant Priya Nandakumar" → "Nandakumar").
        while tokens and tokens[0].i > 0:
            prev = doc[tokens[0].i - 1]
            if not (prev.pos_ == "PROPN" and prev.dep_ == "compound" and prev.ent_type_ == "" and prev.text[:1].isupper()
                    and prev.head.i in {t.i for t in tokens} and prev.lower_.rstrip(".") not in lexicon.TITLE_STEMS):
                break
            tokens.insert(0, prev)
        # spaCy sometimes stops a name one token early ("Min Aung" of "Min Aung Hlaing").
        nxt = doc[tokens[-1].i + 1] if tokens and tokens[-1].i + 1 < len(doc) else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.ent_type_ == "" and tokens[-1].head.i == nxt.i \
                and tokens[-1].dep_ == "compound" and nxt.text[:1].isupper():
            tokens.append(nxt)
    return tokens


# Title words that qualify a title rather than name one ("State Senator", "Deputy Mayor", "Foreign Minister").
TITLE_QUALIFIERS = frozenset("senior foreign deputy vice acting former state defence defense interior finance trade "
                             "economy health education".split())


def _titled_person(tokens: list[Any]) -> list[Any] | None:
    """The name after the personal titles a mention opens with, when it reads as a person's (two or three
    capitalised words): "Constable Ivar Lund" is Ivar Lund, whatever label the model gave it."""
    k = 0
    while k < len(tokens) - 2 and tokens[k].lower_.rstrip(".") in lexicon.TITLE_STEMS:
        k += 1
    rest = tokens[k:]
    # The title ends in a noun for someone ("Capt.", "Chief of Police"), not a word that only qualifies one
    # ("State Law Enforcement Division" is no "State" official).
    if k and tokens[k - 1].lower_ not in TITLE_QUALIFIERS and 2 <= len(rest) <= 3 and person_like(
            " ".join(t.text for t in rest)):
        return rest
    return None


def _title_attrs(tokens: list[Any], doc: Any) -> dict[str, str]:
    """Role, country and organisation from the title written before a name ("Russian Foreign Minister X")."""
    start = tokens[0].i
    title: list[Any] = []
    i = start - 1
    while i >= 0 and doc[i].dep_ in ("compound", "amod", "poss", "case", "nmod") and not doc[i].is_punct:
        if doc[i].ent_type_ == "PERSON" or doc[i].lower_ in ("the", "a"):
            break
        title.insert(0, doc[i])
        i -= 1
    if i >= 0 and doc[i].ent_type_ == "" and doc[i].dep_ == "poss":
        title.insert(0, doc[i])
    return title_to_attrs(title) or _appositive_attrs(tokens)


def _appositive_attrs(tokens: list[Any]) -> dict[str, str]:
    """Role from an apposition: "Sergey Lavrov, Russia's foreign minister," or "Russia's foreign minister, X"."""
    root = tokens[-1]
    names = {t.i for t in tokens}
    if root.dep_ == "appos" and root.head.lemma_ in lexicon.ROLE_HEADS:
        role_root = root.head
    else:
        role_root = next((c for c in root.children if c.dep_ == "appos" and c.lemma_ in lexicon.ROLE_HEADS), None)
    if role_root is None:
        return {}
    title = [t for t in role_root.subtree if t.i not in names and t.i <= role_root.i and not t.is_punct
             and t.dep_ != "det" and t.ent_type_ != "PERSON"]
    attrs = title_to_attrs(title)
    return attrs if attrs.get("country") else {}


def title_to_attrs(title: list[Any]) -> dict[str, str]:
    """Split title tokens into country (GPE/NORP), organisation (ORG) and role (the rest, normalised)."""
    if not title:
        return {}
    attrs: dict[str, str] = {"title": " ".join(t.text for t in title)}
    country = [t.text for t in title if t.ent_type_ in ("GPE", "NORP")]
    org = [t.text for t in title if t.ent_type_ == "ORG"]
    role = [t.lower_ for t in title if not t.ent_type_ and t.text not in POSSESSIVE and t.dep_ != "case"]
    if country:
        attrs["country"] = country_key(" ".join(country))
    if org:
        attrs["org"] = " ".join(org)
    role_text = normalise_role(" ".join(role))
    if role_text and role_text.split()[-1] in lexicon.ROLE_HEADS | lexicon.LEAD_TITLES:
        attrs["role"] = role_text
    elif not role_text:
        return {}
    return attrs


def normalise_role(role: str) -> str:
    role = role.lower().strip()
    for word in ("senior ", "current ", "former "):
        role = role.replace(word, "")
    for long, short in lexicon.ROLE_SYNONYMS.items():
        if role == long or role.endswith(" " + long):
            return short
    return role


def first_in_sentences(mentions: Iterable[Mention]) -> dict[str, dict[int, int]]:
    """Where the body first writes each name (a surname alone, or a full name) in each sentence of one
    article: name → {sentence: offset}."""
    written: dict[str, dict[int, int]] = defaultdict(dict)
    for m in mentions:
        if m.part == "text":
            at = written[m.text]
            at[m.sentence] = min(at.get(m.sentence, m.start), m.start)
    return written


def surname_before_full_name(surname_at: dict[int, int], full_at: dict[int, int]) -> bool:
    """Whether a sentence writes a surname alone and then a full name ending in it: two people of one
    family ("President Trump and Melania Trump, the first lady, welcomed ..."), so the lone surname is
    not that full name. A surname after the full name in one sentence is the same person ("signed by
    Foreign Minister Marisol Ferrand during Ferrand's visit")."""
    return any(sentence in full_at and start < full_at[sentence] for sentence, start in surname_at.items())


def country_key(name: str) -> str:
    """One key for a country however it is written: Russia, Russian, Russia's, Moscow (as a government)."""
    key = name.lower().strip()
    for suffix in POSSESSIVE:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    key = key.removeprefix("the ").strip()
    if key in lexicon.DEMONYMS:
        return lexicon.DEMONYMS[key]
    # A country the table names is keyed by its whole name, and so is a word sharing its first five letters
    # with it alone: "Israel" must meet "Israeli" (→ "israel"), "Russian" must meet "Russia" (Moscow's).
    if key in _KNOWN_COUNTRIES:
        return key
    return _KNOWN_BY_PREFIX.get(key[:5], key[:5] if len(key) > 5 else key)


_KNOWN_COUNTRIES = frozenset(lexicon.DEMONYMS.values())
_PREFIXES = [country[:5] for country in _KNOWN_COUNTRIES]
_KNOWN_BY_PREFIX = {country[:5]: country for country in _KNOWN_COUNTRIES if _PREFIXES.count(country[:5]) == 1}


# ---------------------------------------------------------------- corrections

def _correct_labels(raw: list[dict[str, Any]], people: set[str] = frozenset()) -> None:
    """Fix labels where the article itself shows the small model wrong; `people` are proper names the article
    shows to be people's (shown_as_people)."""
    full_surnames = {it["tokens"][-1].text for it in raw if it["label"] == "PERSON" and len(it["tokens"]) > 1}
    for item in raw:
        if item["label"] in ("PERSON", "ORG") and item["text"] not in full_surnames and _place_evidence(item["tokens"]):
            item["label"], item["why"] = "GPE", "named as a place (capital/city, or 'in X')"
        elif item["label"] != "PERSON" and item["attrs"].get("role") and item["label"] in NAME_LABELS:
            item["label"], item["why"] = "PERSON", "written after a personal title"
    _not_people(raw)
    for item in raw:
        # A name the model called an organisation or a place that the article shows as a person's, by any of
        # its occurrences or by its last word ("Bettie Page" ... "Page later said she was puzzled").
        if item["label"] in ("ORG", "GPE") and item.get("why") is None and item["part"] == "text" and person_like(
                item["text"]) and (item["text"] in people or item["tokens"][-1].text in people):
            item["label"], item["why"] = "PERSON", "shown as a person (he or she, a role or an age)"
    surnames = {it["tokens"][-1].text for it in raw if it["label"] == "PERSON" and len(it["tokens"]) > 1}
    full_names = {it["text"] for it in raw if it["label"] == "PERSON" and len(it["tokens"]) > 1}
    for item in raw:
        if item["label"] in SURNAME_FIXABLE and item.get("why") is None and (
                (len(item["tokens"]) == 1 and item["text"] in surnames) or item["text"] in full_names):
            item["label"], item["why"] = "PERSON", "surname or name of a person named in full in this article"
    _majority_labels(raw)


SURNAME_FIXABLE = ("ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT")
# Last words that make a "person" a street or a building ("Marlowe Avenue").
FACILITY_WORDS = frozenset("street st. avenue ave. road rd. boulevard lane square bridge drive highway "
                           "plaza park station airport port harbour harbor tower palace hall".split())


# Prefixes of ships' names ("MV Gibe", "INS Mysore", "USS Cole"): a vessel, never a person, whatever the small
# model says (it then resolves "he" to it). Upper case as written; a closed class of naval and merchant usage,
# without the ones that are also US state codes or other words ("MS", "MT", "SS", "RV").
VESSEL_PREFIXES = frozenset("MV M/V M/S M/T USS USNS USCGC HMS HMAS HMCS HMNZS INS RMS FV F/V R/V PNS KRI".split())
_TITLES_AND_ROLES = lexicon.TITLE_WORDS | lexicon.ROLE_HEADS


def _vessel(tokens: list[Any]) -> bool:
    """A prefix and a name of one to three capitalised words with no title among them ("INS Mysore"; not "INS
    Commissioner Doris Meissner", the immigration service's)."""
    rest = tokens[1:]
    return (tokens[0].text.replace(".", "") in VESSEL_PREFIXES and 0 < len(rest) <= 3
            and all(t.text[:1].isupper() and t.lower_ not in _TITLES_AND_ROLES for t in rest))


def _not_people(raw: list[dict[str, Any]]) -> None:
    """PERSON mentions that are a street ("Marlowe Avenue"), made only of place names ("Casparia Valtoria"), or a
    ship ("MV Gibe", and "Gibe" alone once the article names the ship so)."""
    places = {country_key(it["text"]) for it in raw if it["label"] in ("GPE", "LOC", "NORP") and len(it["tokens"]) == 1}
    vessels = {" ".join(t.text for t in it["tokens"][1:]) for it in raw if _vessel(it["tokens"])}
    for item in raw:
        if item["label"] == "PERSON" and (item["text"] in vessels or " ".join(t.text for t in item["tokens"][1:]) in vessels):
            item["label"], item["why"] = "PRODUCT", "a ship's name"
            continue
        if item["label"] != "PERSON" or len(item["tokens"]) < 2:
            continue
        if item["tokens"][-1].lower_ in FACILITY_WORDS:
            item["label"], item["why"] = "FAC", "ends with a street or building word"
        elif all(country_key(t.text) in places for t in item["tokens"]):
            item["label"], item["why"] = "GPE", "every word is a place named in this article"


def _place_evidence(tokens: list[Any]) -> bool:
    root = tokens[-1]
    doc = root.doc
    if root.dep_ == "appos" and root.head.lemma_ in PLACE_NOUNS:
        return True
    before = tokens[0].i - 1
    if before >= 1 and doc[before].text == "," and doc[before - 1].lemma_ in PLACE_NOUNS:
        return True
    if tokens[0].ent_type_ != "PERSON" or root.dep_ != "pobj":
        return False
    # A lone name after "in", "to", "from" is a place; a person would be named in full first.
    return root.head.lower_ == "in" or (len(tokens) == 1 and root.head.lower_ in PLACE_PREPOSITIONS)


PLACE_PREPOSITIONS = frozenset("in to from into across near outside throughout towards toward".split())


def _majority_labels(raw: list[dict[str, Any]]) -> None:
    """One label per name within an article: the majority, corrected evidence counting double."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for item in raw:
        if item["label"] in NAME_LABELS:
            votes[item["text"]][item["label"]] += 2 if item.get("why") else 1
    for item in raw:
        counts = votes.get(item["text"])
        if counts and len(counts) > 1:
            best = counts.most_common(1)[0][0]
            if best != item["label"]:
                item["label"], item["why"] = best, "majority label of this name in the article"


def _to_mention(parsed: Parsed, item: dict[str, Any]) -> Mention:
    sentence = parsed.sentence_at(item["start"]) if item["part"] == "text" else -1
    attrs = dict(item["attrs"])
    if item.get("why"):
        attrs["corrected"] = item["why"]
    return Mention(parsed.article.id, item["text"], item["label"], item["start"], item["end"], sentence,
                   part=item["part"], attrs=attrs)


# ---------------------------------------------------------------- person evidence

# Nouns heading an apposition that make the name it describes a person's ("a 23-year-old immigrant").
PERSON_APPOSITION = lexicon.PERSON_ROLE_NOUNS | lexicon.ROLE_HEADS | lexicon.PERSON_NOUNS | frozenset(
    "immigrant migrant resident student professor analyst expert economist campaigner activist organizer "
    "organiser coordinator co-director director manager president member partner".split())
# Words that make a capitalised name an organisation's, whatever label the model gave it.
ORG_WORDS = lexicon.ORG_HEAD_NOUNS | lexicon.MEDIA_NOUNS | frozenset(
    "news times post press inc corp ltd llc co house institute university center centre foundation association "
    "network border steel bank fund international national federal united hospital county church school college "
    "city district police".split())
SINGULAR_PERSON = frozenset(("he", "she"))
SUBJECT_DEPS = ("nsubj", "nsubjpass")


def described_as_person(token: Any) -> bool:
    """The name has an apposition headed by a person's role or a person noun ("Jane Roe, co-director of X")."""
    for child in token.children:
        if child.dep_ == "appos":
            lemma = child.lemma_.lower()
            if lemma in PERSON_APPOSITION or re.fullmatch(r"\d+-year-old", lemma):
                return True
            if any(t.lower_ == "year" for t in child.subtree) and any(t.lower_ == "old" for t in child.subtree):
                return True  # "a 23 - year - old immigrant": the small tokenizer splits the hyphens
    return False


def reports_person(token: Any) -> bool:
    """The name's verb reports a clause whose subject is "he" or "she" ("Jonas Berg said he left")."""
    verb = token.head
    for clause in verb.children:
        if clause.dep_ == "ccomp" and any(c.dep_ in SUBJECT_DEPS and c.lower_ in SINGULAR_PERSON
                                          for c in clause.children):
            return True
    return False


def person_like(text: str) -> bool:
    """A name the model called an organisation that reads as a person's: one to three capitalised words,
    none an organisation's word or an acronym."""
    words = text.split()
    return 1 <= len(words) <= 3 and all(
        w[:1].isupper() and w[1:].islower() and w.isalpha() and w.lower() not in ORG_WORDS for w in words)


def shown_as_people(docs: Iterable[Any]) -> set[str]:
    """Proper names the article shows to be people's, whatever label the model gave them: the subject of a verb
    that reports what "he" or "she" did or thinks ("Page later said she was puzzled"), or a name with a person's
    role or age in apposition ("Ingram, 45,")."""
    shown = set()
    for doc in docs:
        for token in doc:
            # A capitalised singular noun: a sentence's first word is often tagged a common noun ("Page later said").
            if token.tag_ not in ("NNP", "NN") or not token.text[:1].isupper() or (
                    token.dep_ in ("compound", "poss") and token.head.pos_ == "PROPN") or (
                    token.lower_ in ORG_WORDS or token.lower_ in PLACE_NOUNS):  # "Harrison County, a 44-year-old"
                continue
            subject_reporting = token.dep_ in SUBJECT_DEPS and reports_person(token)
            if subject_reporting or described_as_person(token) or _age_apposition(token):
                shown.add(token.text)
    return shown


def _age_apposition(token: Any) -> bool:
    """"Ingram, 45, ...": a number of years alone in apposition after the name."""
    return any(c.dep_ in ("appos", "amod", "npadvmod") and c.like_num and c.i == token.i + 2 and token.nbor(1).text == ","
               and c.i + 1 < len(c.doc) and c.nbor(1).text == "," and c.text.isdigit() and 1 <= int(c.text) <= 110
               for c in token.children)


# ---------------------------------------------------------------- descriptors

def find_descriptors(parsed: Parsed) -> list[Mention]:
    """Noun phrases that name an office-holder or a ruling body without a name."""
    found: list[Mention] = []
    docs = [(offset, doc, "text") for _, offset, doc in parsed.docs]
    if parsed.title_doc is not None:
        docs.append((0, parsed.title_doc, "title"))
    for offset, doc, part in docs:
        for chunk in doc.noun_chunks:
            mention = _descriptor(parsed, chunk, offset, part)
            if mention is not None:
                found.append(mention)
    return found


def _descriptor(parsed: Parsed, chunk: Any, offset: int, part: str) -> Mention | None:
    root = chunk.root
    if root.ent_type_ or root.pos_ not in ("NOUN", "PROPN"):
        return None
    tokens = [t for t in chunk if t.dep_ not in ("punct",)]
    if tokens and tokens[0].lower_ in ("a", "an", "any", "another", "every", "no"):
        return None  # "a Casparian foreign minister" is not a particular one
    country = _chunk_country(chunk)
    words = [t.lower_ for t in tokens if not t.ent_type_ and t.dep_ not in ("det", "case", "poss")]
    attrs: dict[str, str] = {}
    if root.lemma_ in lexicon.ROLE_HEADS and root.tag_ != "NNS" and not _followed_by_name(root):
        role = normalise_role(" ".join(words))
        if not country or not role:
            return None
        attrs = {"role": role, "country": country}
        label = "PERSON"
    elif (root.lemma_ in lexicon.BODY_HEADS or root.lower_ in lexicon.BODY_HEADS) and (
            root.lemma_ in lexicon.BODY_SELF_NAMING or any(w in lexicon.BODY_MODIFIERS for w in words[:-1])):
        attrs = {"body": "ruling", "country": country} if country else {"body": "ruling"}
        leader = _leader_of(root)
        if leader:
            attrs["led_by"] = leader
        label = "ORG"
    elif _back_reference(tokens, root):
        attrs, label = {"head": root.lower_}, "ORG"
    else:
        return None
    first, last = tokens[0], tokens[-1]
    start, end = offset + first.idx, offset + last.idx + len(last.text)
    text = chunk.doc[first.i:last.i + 1].text
    sentence = parsed.sentence_at(start) if part == "text" else -1
    return Mention(parsed.article.id, text, label, start, end, sentence, kind="descriptor", part=part, attrs=attrs)


def _back_reference(tokens: list[Any], root: Any) -> bool:
    """'the council', 'the ministry': a definite short name for an organisation named before."""
    return (len(tokens) == 2 and tokens[0].lower_ == "the" and root.tag_ == "NN"
            and root.lemma_.lower() in lexicon.ORG_HEAD_NOUNS)


def resolve_back_references(mentions: list[Mention]) -> list[Mention]:
    """Tie 'the council' (and a ruling-body descriptor without a country) to the nearest organisation
    named before it whose name ends with the same noun; drop back-references with nothing to refer to."""
    named = [m for m in mentions if m.kind == "name" and m.label == "ORG" and m.part == "text"]
    out = []
    for m in mentions:
        head = m.attrs.get("head") or (m.text.split()[-1].lower() if m.attrs.get("body") and not m.attrs.get("country") else None)
        if m.kind != "descriptor" or head is None:
            out.append(m)
            continue
        before = [n for n in named if n.start < m.start and n.text.split()[-1].lower() == head]
        if before:
            out.append(replace(m, attrs={**m.attrs, "refers_to": before[-1].text}))
        elif "head" not in m.attrs:
            out.append(m)
    return out


def _followed_by_name(root: Any) -> bool:
    """'the country's top diplomat Wunna Maung Lwin': a title, not a descriptor."""
    doc = root.doc
    nxt = doc[root.i + 1] if root.i + 1 < len(doc) else None
    return nxt is not None and nxt.ent_type_ == "PERSON"


def _chunk_country(chunk: Any) -> str | None:
    """The country a descriptor belongs to: a possessive or adjective in it, or 'in X' right after it."""
    for token in chunk:
        if token.ent_type_ in ("GPE", "NORP") and token.dep_ in ("poss", "amod", "compound", "nmod"):
            return country_key(token.text)
    for child in chunk.root.rights:
        if child.dep_ == "prep" and child.lower_ == "in":
            for obj in child.children:
                if obj.ent_type_ == "GPE":
                    return country_key(obj.text)
    return None


def _leader_of(root: Any) -> str | None:
    """'Min Aung Hlaing, who heads Myanmar's ruling military council' → the person leading the body."""
    verb = root.head
    if root.dep_ == "dobj" and verb.lemma_ in lexicon.LEAD_VERBS and verb.dep_ == "relcl":
        person = verb.head
        if person.ent_type_ == "PERSON":
            return _entity_text(person)
    return None


def _entity_text(token: Any) -> str:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            tokens = _trim(ent, token.doc)
            return " ".join(t.text for t in tokens)
    return token.text
