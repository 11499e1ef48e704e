"""Canonical entities across the corpus: spellings, surnames, titles and descriptors linked, with evidence."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from newsfuse.analyse.entities import country_key
from newsfuse.models import Analysis, Article, Entity, Mention, Quote
from newsfuse.text.unionfind import UnionFind

VERSION = "linking.v1"

LINK_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC")
# Two first names with the same surname are one person above this similarity of their phonetic keys
# (Sergei/Sergey score 100 after normalisation; Carlos/Charles 62). Chosen on the seeds' name pairs.
FIRST_NAME_MIN_RATIO = 80
ACRONYM_MIN_WORDS = 2
DEFINED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")
STOP_IN_ACRONYM = frozenset("of the and for on in de".split())


@dataclasses.dataclass
class _Node:
    article: int
    index: int  # mention index in its analysis
    mention: Mention


def phonetic(word: str) -> str:
    """A spelling key that transliteration variants share: Sergei/Sergey, Aleksandr/Alexander."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(c for c in word if c.isalpha())
    for a, b in (("ks", "x"), ("kh", "h"), ("ph", "f"), ("ey", "ei"), ("iy", "i"), ("yi", "i"), ("y", "i"),
                 ("ou", "u"), ("w", "v"), ("j", "i"), ("c", "k")):
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def name_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", text.replace("’", "'")) if w and w not in ("'s", "'")]


def link_entities(items: Sequence[tuple[Article, Analysis]]) -> tuple[list[Entity], list[Analysis]]:
    """Link every mention across the corpus to canonical entities; returns entities and updated analyses."""
    nodes = [_Node(a, i, m) for a, (_, analysis) in enumerate(items) for i, m in enumerate(analysis.mentions)
             if m.label in LINK_LABELS]
    labels = _corpus_labels(nodes)
    links = UnionFind()
    persons = [n for n in nodes if labels[_key(n)] == "PERSON"]
    _link_person_names(persons, links)
    _link_descriptors(persons, links)
    others = [n for n in nodes if labels[_key(n)] != "PERSON"]
    _link_named(others, labels, links, [article.text for article, _ in items])
    _link_bodies(others, persons, links, items)
    _link_back_references(others, links)
    return _build(items, nodes, labels, links)


def _key(node: _Node) -> tuple[int, int]:
    return (node.article, node.index)


def _corpus_labels(nodes: list[_Node]) -> dict[tuple[int, int], str]:
    """A multi-word name labelled PERSON somewhere in the corpus is a person everywhere (model noise)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for n in nodes:
        if n.mention.kind == "name" and len(name_words(n.mention.text)) > 1:
            votes[n.mention.text.lower()][n.mention.label] += 2 if "corrected" in n.mention.attrs else 1
    # A one-word "person" that is a place elsewhere and nobody's surname is a place (invented or rare names).
    surnames = {name_words(n.mention.text)[-1].lower() for n in nodes
                if n.mention.label == "PERSON" and len(name_words(n.mention.text)) > 1}
    places = {country_key(n.mention.text) for n in nodes if n.mention.label in ("GPE", "LOC", "NORP")}
    labels = {}
    for n in nodes:
        label = n.mention.label
        text = n.mention.text.lower()
        count = votes.get(text)
        if count and label in ("ORG", "PERSON") and count.get("PERSON") and count["PERSON"] >= count.get("ORG", 0):
            label = "PERSON"
        elif label == "PERSON" and len(name_words(text)) == 1 and country_key(text) in places and text not in surnames:
            label = "GPE"
        labels[_key(n)] = label
    return labels


# ---------------------------------------------------------------- people

def _link_person_names(persons: list[_Node], links: UnionFind[tuple[int, int]]) -> None:
    full = [n for n in persons if n.mention.kind == "name" and len(name_words(n.mention.text)) > 1]
    by_text: dict[str, list[_Node]] = defaultdict(list)
    for n in full:
        by_text[n.mention.text].append(n)
    for nodes in by_text.values():  # one spelling: one person (compared once, not per mention)
        for n in nodes[1:]:
            links.union(_key(nodes[0]), _key(n), "same name")
    by_surname: dict[str, list[str]] = defaultdict(list)
    for text in by_text:
        by_surname[phonetic(name_words(text)[-1])].append(text)
    for texts in by_surname.values():
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _same_person(a, b):
                    links.union(_key(by_text[a][0]), _key(by_text[b][0]), f"spelling variant of {a!r}")
    _link_partial_names(by_text, links)
    surname_nodes = {key: [n for t in texts for n in by_text[t]] for key, texts in by_surname.items()}
    alone: dict[tuple[int, str], _Node] = {}
    for n in persons:
        if n.mention.kind != "name" or len(name_words(n.mention.text)) != 1:
            continue
        target = _surname_target(n, surname_nodes, links)
        if target is not None:
            links.union(_key(target[0]), _key(n), target[1])
            continue
        # With no full name to go by, the same surname is one person within one article only.
        first = alone.setdefault((n.article, n.mention.text), n)
        if first is not n:
            links.union(_key(first), _key(n), "same surname in the same article")


def _same_person(a: str, b: str) -> bool:
    wa, wb = name_words(a), name_words(b)
    first_a, first_b = phonetic(" ".join(wa[:-1])), phonetic(" ".join(wb[:-1]))
    return first_a == first_b or fuzz.ratio(first_a, first_b) >= FIRST_NAME_MIN_RATIO


def _link_partial_names(by_text: dict[str, list[_Node]], links: UnionFind[tuple[int, int]]) -> None:
    """'Min Aung' and 'Min Aung Hlaing': a name of two or more words that starts a longer name."""
    by_prefix: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for text in by_text:
        words = tuple(name_words(text))
        for k in range(2, len(words)):
            by_prefix[words[:k]].append(text)
    for text, nodes in by_text.items():
        longer = by_prefix.get(tuple(name_words(text)), [])
        if len(longer) == 1 or len({links.find(_key(by_text[t][0])) for t in longer}) == 1:
            for t in longer[:1]:
                links.union(_key(by_text[t][0]), _key(nodes[0]), f"shortened form of {t!r}")


def _surname_target(n: _Node, by_surname: dict[str, list[_Node]], links: UnionFind[tuple[int, int]]) -> tuple[_Node, str] | None:
    candidates = by_surname.get(phonetic(n.mention.text), [])
    same_article = [c for c in candidates if c.article == n.article]
    if same_article:
        return same_article[0], f"surname of {same_article[0].mention.text!r} in the same article"
    roots = {links.find(_key(c)) for c in candidates}
    if len(roots) == 1:
        return candidates[0], f"surname of {candidates[0].mention.text!r}, the only person of that name in the corpus"
    return None


def _link_descriptors(persons: list[_Node], links: UnionFind[tuple[int, int]]) -> None:
    """'Russia's top diplomat' → the person titled Russian foreign minister, in the same article first."""
    titled: dict[tuple[str | None, str | None], list[_Node]] = defaultdict(list)
    for n in persons:
        if n.mention.kind == "name" and n.mention.attrs.get("role"):
            titled[(n.mention.attrs.get("role"), n.mention.attrs.get("country"))].append(n)
    for n in persons:
        if n.mention.kind != "descriptor":
            continue
        matches = titled.get((n.mention.attrs.get("role"), n.mention.attrs.get("country")), [])
        local = [t for t in matches if t.article == n.article]
        pool = local or matches
        if pool and len({links.find(_key(t)) for t in pool}) == 1:
            t = pool[0]
            where = "in the same article" if local else "elsewhere in the corpus"
            links.union(_key(t), _key(n), f"title {t.mention.attrs.get('title')!r} {t.mention.text} {where}")


# ---------------------------------------------------------------- organisations and places

def _org_key(m: Mention, countries: set[str]) -> str:
    words = [re.sub(r"'s?$", "", w.lower()) for w in name_words(m.text) if w.lower() != "the"]
    country = m.attrs.get("country")
    if len(words) > 1 and country_key(words[0]) in countries and m.label == "ORG":
        country, words = country_key(words[0]), words[1:]
    return f"{country or ''}|{' '.join(words)}"


def acronym(text: str) -> str:
    words = [w for w in name_words(text) if w.lower() not in STOP_IN_ACRONYM]
    return "".join(w[0] for w in words if w[:1].isupper()) if len(words) >= ACRONYM_MIN_WORDS else ""


def _link_named(nodes: list[_Node], labels: dict[tuple[int, int], str], links: UnionFind[tuple[int, int]], texts: list[str]) -> None:
    countries = {country_key(n.mention.text) for n in nodes if labels[_key(n)] in ("GPE",)}
    names = [n for n in nodes if n.mention.kind == "name"]
    by_key: dict[str, list[_Node]] = defaultdict(list)
    for n in names:
        by_key[_org_key(n.mention, countries)].append(n)
    # "Foreign Ministry" alone joins the one country's ministry named in the same article.
    by_rest: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        country, rest = key.split("|", 1)
        if country:
            by_rest[rest].append(key)
    articles_of = {key: {m.article for m in group} for key, group in by_key.items()}
    for key, group in list(by_key.items()):
        country, rest = key.split("|", 1)
        if country or rest not in by_rest:
            continue
        for n in group:
            local = [k for k in by_rest[rest] if n.article in articles_of[k]]
            if len(local) == 1:
                other = by_key[local[0]][0]
                links.union(_key(other), _key(n), f"same name as {other.mention.text!r} in the same article")
    for group in by_key.values():
        for n in group[1:]:
            links.union(_key(group[0]), _key(n), "same name" if n.mention.text == group[0].mention.text
                        else f"same name as {group[0].mention.text!r}")
    _link_acronyms(names, links, texts)


def _link_acronyms(names: list[_Node], links: UnionFind[tuple[int, int]], texts: list[str]) -> None:
    """'ASEAN' ↔ 'Association of Southeast Asian Nations' where an article defines it or names both."""
    long_forms: dict[str, list[_Node]] = defaultdict(list)
    for n in names:
        if acronym(n.mention.text):
            long_forms[acronym(n.mention.text)].append(n)
    defined: dict[str, _Node] = {}
    for n in names:  # "Association of Southeast Asian Nations (ASEAN)": a definition, whatever the letters
        match = DEFINED_ACRONYM.match(texts[n.article], n.mention.end) if n.mention.part == "text" else None
        if match and len(name_words(n.mention.text)) >= ACRONYM_MIN_WORDS:
            acr = match.group(1).upper()
            defined.setdefault(acr, n)
            long_forms[acr].append(n)
    for n in names:
        short = n.mention.text.replace(".", "")
        if not (short.isalpha() and len(short) >= 2 and len(name_words(short)) == 1):
            continue
        candidates = long_forms.get(short.upper(), [])
        local = [c for c in candidates if c.article == n.article]
        target = local[0] if local else defined.get(short.upper())
        if target is not None and target is not n:
            how = "in the same article" if local else "as an article defines it"
            links.union(_key(target), _key(n), f"acronym of {target.mention.text!r} {how}")


def _link_bodies(nodes: list[_Node], persons: list[_Node], links: UnionFind[tuple[int, int]],
                 items: Sequence[tuple[Article, Analysis]]) -> None:
    """'the junta', 'Myanmar's military government', 'the State Administrative Council' → one actor."""
    bodies = [n for n in nodes if n.mention.attrs.get("body")]
    article_country = _article_body_country(bodies)
    by_country: dict[str, list[_Node]] = defaultdict(list)
    for n in bodies:
        country = n.mention.attrs.get("country") or article_country.get(n.article)
        if country:
            by_country[country].append(n)
    for group in by_country.values():
        for n in group[1:]:
            why = f"descriptor of the same country's ruling body as {group[0].mention.text!r}"
            if not n.mention.attrs.get("country"):
                why += " (the only ruling body this article names)"
            links.union(_key(group[0]), _key(n), why)
    person_root = {n.mention.text: links.find(_key(n)) for n in persons if n.mention.kind == "name"}
    led = defaultdict(list)
    for n in nodes:
        leader = n.mention.attrs.get("led_by")
        if leader and leader in person_root:
            led[person_root[leader]].append(n)
    for group in led.values():
        for n in group[1:]:
            links.union(_key(group[0]), _key(n),
                        f"led by {group[0].mention.attrs['led_by']}, as is {group[0].mention.text!r}")


def _link_back_references(nodes: list[_Node], links: UnionFind[tuple[int, int]]) -> None:
    """'the council' → the organisation its article named just before, as entities.py found it."""
    by_article: dict[int, list[_Node]] = defaultdict(list)
    for n in nodes:
        if n.mention.kind == "name" and n.mention.part == "text":
            by_article[n.article].append(n)
    for n in nodes:
        target_text = n.mention.attrs.get("refers_to")
        if n.mention.kind != "descriptor" or not target_text:
            continue
        before = [t for t in by_article[n.article] if t.mention.text == target_text and t.mention.start < n.mention.start]
        if before:
            links.union(_key(before[-1]), _key(n), f"refers back to {target_text!r} in the same article")


def _article_body_country(bodies: list[_Node]) -> dict[int, str]:
    per_article: dict[int, set[str]] = defaultdict(set)
    for n in bodies:
        if n.mention.attrs.get("country"):
            per_article[n.article].add(n.mention.attrs["country"])
    return {a: next(iter(c)) for a, c in per_article.items() if len(c) == 1}


# ---------------------------------------------------------------- output

def _build(items: Sequence[tuple[Article, Analysis]], nodes: list[_Node], labels: dict[tuple[int, int], str],
           links: UnionFind[tuple[int, int]]) -> tuple[list[Entity], list[Analysis]]:
    groups: dict[tuple[int, int], list[_Node]] = defaultdict(list)
    for n in nodes:
        groups[links.find(_key(n))].append(n)
    entity_of: dict[tuple[int, int], str] = {}
    entities: list[Entity] = []
    used: set[str] = set()
    for group in groups.values():
        names = [n for n in group if n.mention.kind == "name"]
        if not names and len(group) == 1:
            continue  # a lone descriptor is not an entity of its own
        entity = _entity(group, names, labels, items, used)
        evidence = tuple(dict.fromkeys(
            f"{n.mention.text!r} ({items[n.article][0].outlet or items[n.article][0].id}): {links.why[_key(n)]}"
            for n in group if _key(n) in links.why))
        entity = dataclasses.replace(entity, evidence=evidence)
        entities.append(entity)
        for n in group:
            entity_of[_key(n)] = entity.id
    analyses = [_relink(a, analysis, entity_of, links, labels) for a, (_, analysis) in enumerate(items)]
    entities.sort(key=lambda e: (-len(e.article_ids), e.name))
    return entities, analyses


def _entity(group: list[_Node], names: list[_Node], labels: dict[tuple[int, int], str],
            items: Sequence[tuple[Article, Analysis]], used: set[str]) -> Entity:
    pool = names or group
    type_ = Counter(labels[_key(n)] for n in pool).most_common(1)[0][0]
    counts = Counter(n.mention.text for n in pool if n.mention.part == "text") or Counter(n.mention.text for n in pool)
    name = max(counts, key=lambda t: (len(name_words(t)) > 1, counts[t], len(t)))
    if type_ == "ORG" and any(n.mention.attrs.get("body") for n in group) and not names:
        name = max(counts, key=lambda t: (counts[t], len(t)))
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", name.lower())).strip("-") or "entity"
    entity_id, suffix = f"{type_.lower()}:{base}", 2
    while entity_id in used:
        entity_id, suffix = f"{type_.lower()}:{base}-{suffix}", suffix + 1
    used.add(entity_id)
    aliases = tuple(sorted({n.mention.text for n in group} - {name}))
    article_ids = tuple(dict.fromkeys(items[n.article][0].id for n in group))
    return Entity(entity_id, name, type_, aliases, (), article_ids, len(group))


def _relink(a: int, analysis: Analysis, entity_of: dict[tuple[int, int], str], links: UnionFind[tuple[int, int]],
            labels: dict[tuple[int, int], str]) -> Analysis:
    mentions = []
    for i, m in enumerate(analysis.mentions):
        entity_id = entity_of.get((a, i))
        label = labels.get((a, i), m.label)
        mentions.append(dataclasses.replace(m, entity_id=entity_id, label=label,
                                            link_evidence=links.why.get((a, i)) if entity_id else None))
    quotes = tuple(_speaker_entity(q, mentions) for q in analysis.quotes)
    return dataclasses.replace(analysis, mentions=tuple(mentions), quotes=quotes)


def _speaker_entity(quote: Quote, mentions: list[Mention]) -> Quote:
    """The entity of the mention inside the speaker span, or of the name a pronoun was resolved to."""
    linked = [m for m in mentions if m.entity_id and m.part == "text"]
    if quote.speaker_start is not None:
        # Only a mention that ends the phrase is its head: "the Myanmar military" is not Myanmar.
        inside = [m for m in linked if m.start >= quote.speaker_start and m.end == quote.speaker_end]
        if inside:
            best = max(inside, key=lambda m: (m.label == "PERSON", m.end - m.start))
            return dataclasses.replace(quote, speaker_entity=best.entity_id)
    head = name_words(quote.speaker)[-1].lower() if name_words(quote.speaker) else ""
    before = [m for m in linked if m.start < quote.content_start + 1]
    for m in reversed(before):
        words = name_words(m.text)
        if m.text == quote.speaker or (head and words and words[-1].lower() == head and m.kind == "name"):
            return dataclasses.replace(quote, speaker_entity=m.entity_id)
    return quote
