"""Canonical entities across the corpus: spellings, surnames, titles and descriptors linked, with evidence."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from newsfuse.analyse.entities import country_key
from newsfuse.analyse.name_rules import (
    ACRONYM_MIN_WORDS,
    Node,
    acronym,
    body_country_by_article,
    link_back_references,
    link_bodies,
    link_descriptors,
    link_named,
    link_person_names,
    name_words,
    node_key,
    phonetic,
)
from newsfuse.models import Analysis, Article, Entity, Mention, Quote
from newsfuse.text.unionfind import UnionFind

VERSION = "linking.v5"  # v5: a bare name several countries' organisations share ("navy": the Indian Navy, the U.S. Navy) joins its own article's one, never the other articles' bare ones; v4: a name that only adds a generational suffix ("Jr.") to another is someone else; v3: a lone surname the article titles as a full name is that person, whatever one sentence seems to say; a short given name ("Bob") is its full one ("Robert")

LINK_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC")
DEFINED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")


@dataclasses.dataclass(frozen=True)
class LinkNode:
    """What linking needs of one mention, kept between runs: the mention as the analysis found it (before
    linking relabels it), its article's id and outlet, and the acronym it defines ("... Nations (ASEAN)")."""

    article_id: str
    outlet: str | None
    index: int  # mention index in its analysis
    mention: Mention
    defines: str | None = None


@dataclasses.dataclass(frozen=True)
class NodeLink:
    """What linking decided for one mention: its entity (None: not linked), its label, and why."""

    entity_id: str | None
    label: str
    evidence: str | None = None


def link_entities(items: Sequence[tuple[Article, Analysis]]) -> tuple[list[Entity], list[Analysis]]:
    """Link every mention across the corpus to canonical entities; returns entities and updated analyses."""
    nodes = [node for article, analysis in items for node in link_nodes_of(article, analysis)]
    entities, links = link_nodes(nodes)
    by_article: dict[str, dict[int, NodeLink]] = defaultdict(dict)
    for node, link in zip(nodes, links):
        by_article[node.article_id][node.index] = link
    return entities, [apply_links(analysis, by_article.get(analysis.article_id, {})) for _, analysis in items]


def link_nodes_of(article: Article, analysis: Analysis) -> list[LinkNode]:
    """The mentions of one analysed article that linking joins across articles."""
    out = []
    for i, m in enumerate(analysis.mentions):
        if m.label not in LINK_LABELS:
            continue
        match = DEFINED_ACRONYM.match(article.text, m.end) if m.part == "text" else None
        defines = match.group(1).upper() if match and len(name_words(m.text)) >= ACRONYM_MIN_WORDS else None
        out.append(LinkNode(article.id, article.outlet, i, m, defines))
    return out


Keys = tuple[set[str], set[str], set[str]]  # (reads, joins, writes) of one mention: see node_keys


def lookup_keys(nodes: Sequence[LinkNode]) -> list[Keys]:
    """For each node of one article, the lookups its links make and those that find it (see node_keys)."""
    country = article_body_country(nodes)
    return [node_keys(n, country) for n in nodes]


def article_body_country(nodes: Sequence[LinkNode]) -> str | None:
    """The one country the ruling bodies of one article's nodes name, if there is one."""
    bodies = [Node(0, i, n.mention) for i, n in enumerate(nodes) if n.mention.attrs.get("body")]
    return body_country_by_article(bodies).get(0)


def node_keys(n: LinkNode, body_country: str | None) -> Keys:
    """(reads, joins, writes): the lookups the linking rules make for this mention, and those that find it.

    A mention *reads* a key when what is found under it can change its own link (a vote on its label, a
    surname that makes its own ambiguous, a place that makes it a place, a defined acronym, a longer name,
    a title); it *joins* under a key when it joins whatever is found there, which a newcomer cannot change
    (same name, same organisation key, same ruling body); it *writes* the keys it is found under. A new
    mention re-links the stored ones that read what it writes, and needs, as they were linked, the stored
    ones written under what it and they read or join. Keys are as narrow as their rule: corpus-wide where
    it looks across the corpus, scoped to the article (`@id`) where it looks inside one. `body_country` is
    the one country the article's ruling bodies name, if any.
    """
    m, here = n.mention, "@" + n.article_id
    words = name_words(m.text)
    text = m.text.lower()
    reads: set[str] = set()
    joins: set[str] = set()
    writes = {"t:" + text}  # same name; a leader's name
    if m.kind == "name" and m.part == "text":
        writes.add("x" + here + text)  # what a descriptor in its article refers back to
    if m.kind == "name" and len(words) > 1 and m.label in ("ORG", "PERSON"):
        reads.add("t:" + text)  # the votes that may turn an organisation into a person or back
    person = m.label == "PERSON"
    if person and len(words) > 1:  # full names: same name, spelling variants, the surname set, shortened forms
        joins |= {"t:" + text, "s:" + phonetic(words[-1])}
        writes.add("s:" + phonetic(words[-1]))
        reads.add("p:" + " ".join(words).lower())
        writes |= {"p:" + " ".join(words[:k]).lower() for k in range(2, len(words))}
    if person and len(words) == 1:  # a surname alone, or a place the model took for a person
        reads |= {"s:" + phonetic(words[0]), "c:" + country_key(m.text)}
        joins.add("n" + here + text)
        writes.add("n" + here + text)
    if m.label in ("GPE", "LOC"):
        writes.add("c:" + country_key(m.text))
    if not person or len(words) == 1:  # named things: organisation keys, acronyms
        _named_keys(n, words, here, reads, joins, writes)
    attrs = m.attrs
    if attrs.get("role"):
        (reads if m.kind == "descriptor" else writes).add(f"r:{attrs['role']}|{attrs.get('country')}")
    if attrs.get("body"):
        country = f"b:{attrs.get('country') or body_country}"
        joins.add(country)
        writes.add(country)
    if attrs.get("led_by"):
        reads.add("t:" + attrs["led_by"].lower())
        joins.add("l:" + attrs["led_by"].lower())
        writes.add("l:" + attrs["led_by"].lower())
    if attrs.get("refers_to"):
        reads.add("x" + here + attrs["refers_to"].lower())
    return reads, joins, writes


def _named_keys(n: LinkNode, words: list[str], here: str, reads: set[str], joins: set[str], writes: set[str]) -> None:
    """Keys of `name_rules.link_named` and its acronyms: the organisation key with and without a leading country
    (and the country it needs to be one), its rest within the article, acronyms within the article and
    acronyms some article defines."""
    m = n.mention
    lower = [re.sub(r"'s?$", "", w.lower()) for w in words if w.lower() != "the"]
    country = m.attrs.get("country") or ""
    keys = {f"o:{country}|{' '.join(lower)}"}
    reads.add("o" + here + " ".join(lower))
    if country:
        writes.add("o" + here + " ".join(lower))
    if len(lower) > 1 and m.label == "ORG":
        first = country_key(lower[0])
        reads.add("c:" + first)
        keys.add(f"o:{first}|{' '.join(lower[1:])}")
        writes.add("o" + here + " ".join(lower[1:]))
    joins |= keys
    writes |= keys
    if acronym(m.text):
        writes.add("a" + here + acronym(m.text))
    short = m.text.replace(".", "")
    if short.isalpha():
        reads |= {"a:" + short.upper(), "a" + here + short.upper()}
    if n.defines:
        writes |= {"a:" + n.defines, "a" + here + n.defines}


def hashed(keys: Keys) -> set[int]:
    """The 64-bit keys a mention is stored under: its reads and its writes, told apart (joins are only ever
    looked up from the mention itself)."""
    reads, _, writes = keys
    return {key_hash("R", k) for k in reads} | {key_hash("W", k) for k in writes}


def country_lookups(node: LinkNode) -> dict[int, str]:
    """{key: country key} of the country an organisation's name may start with (`_org_key` asks whether
    some place is known by it): what incremental linking asks the store about fixed mentions."""
    m = node.mention
    lower = [re.sub(r"'s?$", "", w.lower()) for w in name_words(m.text) if w.lower() != "the"]
    if m.label != "ORG" or len(lower) < 2:
        return {}
    first = country_key(lower[0])
    return {key_hash("W", "c:" + first): first}


def key_hash(role: str, key: str) -> int:
    """A stable signed 64-bit key for a read ("R") or a write ("W") of a lookup (Python's own str hash
    changes between processes)."""
    return int.from_bytes(hashlib.blake2b(f"{role}{key}".encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def link_nodes(nodes: Sequence[LinkNode], fixed: Mapping[int, NodeLink] | None = None,
               taken: Callable[[str], bool] | None = None,
               countries: Iterable[str] = ()) -> tuple[list[Entity], list[NodeLink]]:
    """Link mentions into canonical entities: (entities, one NodeLink per node, in order).

    `nodes` must come in corpus order (articles as stored, mentions in order). `fixed` (by position in
    `nodes`) are mentions linked before whose result stands: they keep their label and evidence and stay
    with the others of their entity, as context for the rest (incremental linking). `taken(id)` says
    whether an entity outside this run holds an id, which the entities found here must then not reuse.
    `countries` are country keys that places outside this run are known by ("Sorlund" in "Sorlund
    Foreign Ministry" is a country only if some article names it as a place).
    """
    fixed = fixed or {}
    positions: dict[str, int] = {}
    inner = [Node(positions.setdefault(n.article_id, len(positions)), n.index, n.mention, n.defines) for n in nodes]
    labels = _corpus_labels(inner)
    links = _KeepFixed({node_key(inner[position]): link.entity_id for position, link in fixed.items()})
    anchors: dict[str, tuple[int, int]] = {}
    for position, link in fixed.items():
        key = node_key(inner[position])
        labels[key] = link.label
        if link.evidence:
            links.why[key] = link.evidence
        if link.entity_id:
            links.union(anchors.setdefault(link.entity_id, key), key)
    persons = [n for n in inner if labels[node_key(n)] == "PERSON"]
    link_person_names(persons, links)
    link_descriptors(persons, links)
    others = [n for n in inner if labels[node_key(n)] != "PERSON"]
    link_named(others, labels, links, set(countries))
    link_bodies(others, persons, links)
    link_back_references(others, links)
    articles = [("", None)] * len(positions)
    for n in nodes:
        articles[positions[n.article_id]] = (n.article_id, n.outlet)
    return _build(articles, inner, labels, links, _Ids(taken))


class _KeepFixed(UnionFind[tuple[int, int]]):
    """Union-find that keeps mentions linked before as they were: two of them join only when they had one
    entity, and one that had none joins nothing. A mention linked again may still join a fixed one's entity
    (that is how a new mention joins a known entity), and so bridge two."""

    def __init__(self, fixed: dict[tuple[int, int], str | None]) -> None:
        super().__init__()
        self.fixed = fixed

    def union(self, a: tuple[int, int], b: tuple[int, int], why: str | None = None) -> bool:
        fixed = self.fixed
        if (a in fixed and fixed[a] is None) or (b in fixed and fixed[b] is None):
            return False
        if a in fixed and b in fixed and fixed[a] != fixed[b]:
            return False
        return super().union(a, b, why)


def apply_links(analysis: Analysis, links: Mapping[int, NodeLink]) -> Analysis:
    """The analysis with each mention's entity, label and evidence as linking decided (by mention index)."""
    mentions = []
    for i, m in enumerate(analysis.mentions):
        link = links.get(i)
        if link is None:
            mentions.append(dataclasses.replace(m, entity_id=None, link_evidence=None))
        else:
            mentions.append(dataclasses.replace(m, entity_id=link.entity_id, label=link.label,
                                                link_evidence=link.evidence if link.entity_id else None))
    quotes = tuple(_speaker_entity(q, mentions) for q in analysis.quotes)
    return dataclasses.replace(analysis, mentions=tuple(mentions), quotes=quotes)


def _corpus_labels(nodes: list[Node]) -> dict[tuple[int, int], str]:
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
        labels[node_key(n)] = label
    return labels


# ---------------------------------------------------------------- output

class _Ids:
    """Entity ids given out in this run, and those held outside it (asked of `taken` one at a time)."""

    def __init__(self, taken: Callable[[str], bool] | None) -> None:
        self.given: set[str] = set()
        self.taken = taken

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.given or (self.taken is not None and self.taken(entity_id))

    def add(self, entity_id: str) -> None:
        self.given.add(entity_id)


def _build(articles: list[tuple[str, str | None]], nodes: list[Node], labels: dict[tuple[int, int], str],
           links: UnionFind[tuple[int, int]], used: _Ids) -> tuple[list[Entity], list[NodeLink]]:
    groups: dict[tuple[int, int], list[Node]] = defaultdict(list)
    for n in nodes:
        groups[links.find(node_key(n))].append(n)
    # A group of fixed mentions only, all of one entity, is that entity as it was (perhaps not all of it):
    # it keeps its id, which no other group may take.
    kept = {}
    fixed = links.fixed if isinstance(links, _KeepFixed) else {}
    for root, group in groups.items():
        ids = {fixed.get(node_key(n), "") for n in group}
        if len(ids) == 1 and next(iter(ids)):
            kept[root] = next(iter(ids))
            used.add(kept[root])
    entity_of: dict[tuple[int, int], str] = {}
    entities: list[Entity] = []
    for root, group in groups.items():
        names = [n for n in group if n.mention.kind == "name"]
        if not names and len(group) == 1 and root not in kept:
            continue  # a lone descriptor is not an entity of its own (one read alone from its entity is)
        entity = _entity(group, names, labels, articles, used, kept.get(root))
        evidence = tuple(dict.fromkeys(
            f"{n.mention.text!r} ({articles[n.article][1] or articles[n.article][0]}): {links.why[node_key(n)]}"
            for n in group if node_key(n) in links.why))
        entity = dataclasses.replace(entity, evidence=evidence)
        entities.append(entity)
        for n in group:
            entity_of[node_key(n)] = entity.id
    results = []
    for n in nodes:
        entity_id = entity_of.get(node_key(n))
        results.append(NodeLink(entity_id, labels[node_key(n)], links.why.get(node_key(n)) if entity_id else None))
    entities.sort(key=lambda e: (-len(e.article_ids), e.name))
    return entities, results


def _entity(group: list[Node], names: list[Node], labels: dict[tuple[int, int], str],
            articles: list[tuple[str, str | None]], used: _Ids, kept_id: str | None = None) -> Entity:
    pool = names or group
    type_ = Counter(labels[node_key(n)] for n in pool).most_common(1)[0][0]
    counts = Counter(n.mention.text for n in pool if n.mention.part == "text") or Counter(n.mention.text for n in pool)
    name = max(counts, key=lambda t: (len(name_words(t)) > 1, counts[t], len(t)))
    if type_ == "ORG" and any(n.mention.attrs.get("body") for n in group) and not names:
        name = max(counts, key=lambda t: (counts[t], len(t)))
    base = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", name.lower())).strip("-") or "entity"
    entity_id, suffix = kept_id or f"{type_.lower()}:{base}", 2
    while kept_id is None and entity_id in used:
        entity_id, suffix = f"{type_.lower()}:{base}-{suffix}", suffix + 1
    used.add(entity_id)
    aliases = tuple(sorted({n.mention.text for n in group} - {name}))
    article_ids = tuple(dict.fromkeys(articles[n.article][0] for n in group))
    return Entity(entity_id, name, type_, aliases, (), article_ids, len(group))


def _speaker_entity(quote: Quote, mentions: list[Mention]) -> Quote:
    """The entity of the name the speaker resolves to (speakers.py), of the mention inside the speaker span,
    or of the name a pronoun was resolved to."""
    linked = [m for m in mentions if m.entity_id and m.part == "text"]
    if quote.speaker_ref_start is not None:
        ref = [m for m in linked if m.start == quote.speaker_ref_start and m.end == quote.speaker_ref_end]
        if ref:
            return dataclasses.replace(quote, speaker_entity=ref[0].entity_id)
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
