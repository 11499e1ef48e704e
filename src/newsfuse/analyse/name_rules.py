"""The rules that join two mentions into one entity: people's names and titles, organisations, acronyms,
ruling bodies and back references (linking.py runs them over the corpus)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from rapidfuzz import fuzz, process

from newsfuse.analyse import lexicon
from newsfuse.analyse.entities import country_key, first_in_sentences, surname_before_full_name
from newsfuse.models import Mention
from newsfuse.text.unionfind import UnionFind

# Two first names with the same surname are one person above this similarity of their phonetic keys
# (Sergei/Sergey score 100 after normalisation; Carlos/Charles 62). Chosen on the seeds' name pairs.
FIRST_NAME_MIN_RATIO = 80
ACRONYM_MIN_WORDS = 2
STOP_IN_ACRONYM = frozenset("of the and for on in de".split())


@dataclasses.dataclass
class Node:
    """One mention as the rules see it: its article (by position in the run) and its index there."""

    article: int  # position of its article among the articles linked together
    index: int  # mention index in its analysis
    mention: Mention
    defines: str | None = None


@lru_cache(maxsize=1 << 16)  # called for every name, many times per linking run; names repeat
def phonetic(word: str) -> str:
    """A spelling key that transliteration variants share: Sergei/Sergey, Aleksandr/Alexander."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(c for c in word if c.isalpha())
    for a, b in (("ks", "x"), ("kh", "h"), ("ph", "f"), ("ey", "ei"), ("iy", "i"), ("yi", "i"), ("y", "i"),
                 ("ou", "u"), ("w", "v"), ("j", "i"), ("c", "k")):
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", word)


def name_words(text: str) -> list[str]:
    """The words of a name, split at spaces and hyphens, without a possessive 's."""
    return list(_name_words(text))


@lru_cache(maxsize=1 << 16)
def _name_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s\-]+", text.replace("’", "'")) if w and w not in ("'s", "'"))


def node_key(node: Node) -> tuple[int, int]:
    """The union-find key of a mention: (article position, mention index)."""
    return (node.article, node.index)


# ---------------------------------------------------------------- people

def link_person_names(persons: list[Node], links: UnionFind[tuple[int, int]]) -> None:
    """Same names, spelling variants, shortened names and lone surnames of people → one person."""
    full = [n for n in persons if n.mention.kind == "name" and len(name_words(n.mention.text)) > 1]
    by_text: dict[str, list[Node]] = defaultdict(list)
    for n in full:
        by_text[n.mention.text].append(n)
    for nodes in by_text.values():  # one spelling: one person (compared once, not per mention)
        for n in nodes[1:]:
            links.union(node_key(nodes[0]), node_key(n), "same name")
    by_surname: dict[str, list[str]] = defaultdict(list)
    for text in by_text:
        by_surname[phonetic(name_words(text)[-1])].append(text)
    for texts in by_surname.values():
        for i, j in _same_first_names(texts):
            a, b = texts[i], texts[j]
            links.union(node_key(by_text[a][0]), node_key(by_text[b][0]), f"spelling variant of {a!r}")
    _link_partial_names(by_text, links)
    surname_nodes = {key: [n for t in texts for n in by_text[t]] for key, texts in by_surname.items()}
    lone = [n for n in persons if n.mention.kind == "name" and len(name_words(n.mention.text)) == 1]
    written_in = _first_in_sentences(full + lone)
    roles_alone: dict[tuple[int, str], set[str]] = defaultdict(set)
    for n in lone:
        if n.mention.attrs.get("role"):
            roles_alone[(n.article, n.mention.text)].add(n.mention.attrs["role"])
    alone: dict[tuple[int, str], Node] = {}
    for n in lone:
        target = _surname_target(n, surname_nodes, links, written_in, roles_alone)
        if target is not None:
            links.union(node_key(target[0]), node_key(n), target[1])
            continue
        # With no full name to go by, the same surname is one person within one article only.
        first = alone.setdefault((n.article, n.mention.text), n)
        if first is not n:
            links.union(node_key(first), node_key(n), "same surname in the same article")


def _same_first_names(texts: list[str]) -> list[tuple[int, int]]:
    """Pairs (i < j, in order) of full names of one surname whose first names are one name: equal phonetic
    keys, or keys at least FIRST_NAME_MIN_RATIO alike. A common surname has hundreds of names in a large
    corpus, so the ratios are computed once per pair of distinct keys, in C (rapidfuzz's cdist)."""
    firsts = [phonetic(_given_names(t)) for t in texts]
    if len(texts) < 8:
        return [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if _alike(firsts[i], firsts[j])]
    at: dict[str, list[int]] = defaultdict(list)
    for i, first in enumerate(firsts):
        at[first].append(i)
    keys = list(at)
    scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=FIRST_NAME_MIN_RATIO)
    alike = {(a, b) for a, b in zip(*scores.nonzero())} | {(a, a) for a in range(len(keys))}
    pairs = {(i, j) for a, b in alike for i in at[keys[a]] for j in at[keys[b]] if i < j}
    return sorted(pairs)


def _given_names(text: str) -> str:
    """The words before the surname, a short form of the first given name written in full ("Bob" → "robert")."""
    words = [w.lower() for w in _name_words(text)[:-1]]
    if words:
        words[0] = lexicon.NICKNAMES.get(words[0], words[0])
    return " ".join(words)


def _alike(first_a: str, first_b: str) -> bool:
    return first_a == first_b or fuzz.ratio(first_a, first_b) >= FIRST_NAME_MIN_RATIO


# Generational suffixes: "Donald Trump Jr." is not "Donald Trump" shortened, but his son.
GENERATIONAL = frozenset("jr jr. sr sr. ii iii iv".split())


def _link_partial_names(by_text: dict[str, list[Node]], links: UnionFind[tuple[int, int]]) -> None:
    """'Min Aung' and 'Min Aung Hlaing': a name of two or more words that starts a longer name (not one that
    only adds a generational suffix: 'Dwayne Jackson' and 'Dwayne Jackson Jr.' are father and son)."""
    by_prefix: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for text in by_text:
        words = tuple(name_words(text))
        for k in range(2, len(words)):
            if all(w.lower().rstrip(",") in GENERATIONAL for w in words[k:]):
                continue
            by_prefix[words[:k]].append(text)
    for text, nodes in by_text.items():
        longer = by_prefix.get(tuple(name_words(text)), [])
        if len(longer) == 1 or len({links.find(node_key(by_text[t][0])) for t in longer}) == 1:
            for t in longer[:1]:
                links.union(node_key(by_text[t][0]), node_key(nodes[0]), f"shortened form of {t!r}")


def _first_in_sentences(nodes: list[Node]) -> dict[tuple[int, str], dict[int, int]]:
    """entities.first_in_sentences for each article of the nodes: (article, name) → {sentence: offset}."""
    by_article: dict[int, list[Mention]] = defaultdict(list)
    for n in nodes:
        by_article[n.article].append(n.mention)
    return {(article, text): at for article, mentions in by_article.items()
            for text, at in first_in_sentences(mentions).items()}


def _surname_target(n: Node, by_surname: dict[str, list[Node]], links: UnionFind[tuple[int, int]],
                    written_in: dict[tuple[int, str], dict[int, int]],
                    roles_alone: dict[tuple[int, str], set[str]]) -> tuple[Node, str] | None:
    candidates = by_surname.get(phonetic(n.mention.text), [])
    same_article = [c for c in candidates if c.article == n.article]
    alone = written_in.get((n.article, n.mention.text), {})
    # The article calling the surname alone by the full name's title ("President Varga" / "President Peter
    # Varga") says they are one person, whatever one sentence seems to say: a headline run into the first
    # sentence ("..., Varga's pick, quits President Peter Varga says ...") reads like two relatives.
    titled_alike = roles_alone.get((n.article, n.mention.text), set())
    family = [c for c in same_article if c.mention.attrs.get("role") not in titled_alike
              and surname_before_full_name(alone, written_in.get((c.article, c.mention.text), {}))]
    same_article = [c for c in same_article if c not in family]
    if same_article:
        return same_article[0], f"surname of {same_article[0].mention.text!r} in the same article"
    # A full name that a sentence writes after the surname alone is someone else: never the corpus's pick.
    others = {links.find(node_key(c)) for c in family}
    rest = [c for c in candidates if links.find(node_key(c)) not in others]
    roots = {links.find(node_key(c)) for c in rest}
    if len(roots) == 1 and family and _articles_naming(rest) < _articles_naming(
            [c for c in candidates if links.find(node_key(c)) in others]):
        # The one other bearer is named in full by fewer articles than the person this article names: a
        # headline run into the first sentence is likelier than a relative, so the surname is this article's
        # person (the rule before the family one), not a lesser-known namesake.
        return family[0], f"surname of {family[0].mention.text!r} in the same article"
    if len(roots) == 1:
        return rest[0], f"surname of {rest[0].mention.text!r}, the only person of that name in the corpus"
    return None


def _articles_naming(candidates: list[Node]) -> int:
    """How many articles write these full names."""
    return len({c.article for c in candidates})


def link_descriptors(persons: list[Node], links: UnionFind[tuple[int, int]]) -> None:
    """'Russia's top diplomat' → the person titled Russian foreign minister, in the same article first."""
    titled: dict[tuple[str | None, str | None], list[Node]] = defaultdict(list)
    for n in persons:
        if n.mention.kind == "name" and n.mention.attrs.get("role"):
            titled[(n.mention.attrs.get("role"), n.mention.attrs.get("country"))].append(n)
    for n in persons:
        if n.mention.kind != "descriptor":
            continue
        matches = titled.get((n.mention.attrs.get("role"), n.mention.attrs.get("country")), [])
        local = [t for t in matches if t.article == n.article]
        pool = local or matches
        if pool and len({links.find(node_key(t)) for t in pool}) == 1:
            t = pool[0]
            where = "in the same article" if local else "elsewhere in the corpus"
            links.union(node_key(t), node_key(n), f"title {t.mention.attrs.get('title')!r} {t.mention.text} {where}")


# ---------------------------------------------------------------- organisations and places

def _org_key(m: Mention, countries: set[str]) -> str:
    words = [re.sub(r"'s?$", "", w.lower()) for w in name_words(m.text) if w.lower() != "the"]
    country = m.attrs.get("country")
    if len(words) > 1 and country_key(words[0]) in countries and m.label == "ORG":
        country, words = country_key(words[0]), words[1:]
    return f"{country or ''}|{' '.join(words)}"


def acronym(text: str) -> str:
    """The initials of a name of ACRONYM_MIN_WORDS or more words ("" for a shorter one)."""
    words = [w for w in name_words(text) if w.lower() not in STOP_IN_ACRONYM]
    return "".join(w[0] for w in words if w[:1].isupper()) if len(words) >= ACRONYM_MIN_WORDS else ""


def link_named(nodes: list[Node], labels: dict[tuple[int, int], str], links: UnionFind[tuple[int, int]],
               known_countries: set[str]) -> None:
    """Organisations and places of one name (with or without a leading country), and their acronyms."""
    countries = {country_key(n.mention.text) for n in nodes if labels[node_key(n)] in ("GPE",)} | known_countries
    names = [n for n in nodes if n.mention.kind == "name"]
    by_key: dict[str, list[Node]] = defaultdict(list)
    for n in names:
        by_key[_org_key(n.mention, countries)].append(n)
    # "Foreign Ministry" alone joins the one country's ministry named in the same article.
    by_rest: dict[str, list[str]] = defaultdict(list)
    for key in by_key:
        country, rest = key.split("|", 1)
        if country:
            by_rest[rest].append(key)
    articles_of = {key: {m.article for m in group} for key, group in by_key.items()}
    anchored: set[tuple[int, int]] = set()
    for key, group in list(by_key.items()):
        country, rest = key.split("|", 1)
        if country or rest not in by_rest:
            continue
        for n in group:
            local = [k for k in by_rest[rest] if n.article in articles_of[k]]
            if len(local) == 1:
                other = by_key[local[0]][0]
                links.union(node_key(other), node_key(n), f"same name as {other.mention.text!r} in the same article")
                anchored.add(node_key(n))
    named_countries: dict[str, set[str]] | None = None  # article -> the countries it names, when needed
    for key, group in by_key.items():
        country, rest = key.split("|", 1)
        if not country and len(by_rest.get(rest, ())) > 1:
            # "the navy" of an article about the Indian Navy and of one about the U.S. Navy: a bare name that
            # several countries' organisations share is each article's own: the one of the country its article
            # names, if one; only those left are one another's.
            named_countries = named_countries if named_countries is not None else _named_countries(nodes, labels)
            naming = {a for k in by_rest[rest] for a in articles_of[k]}  # loose there: its article names several
            loose = [n for n in group if node_key(n) not in anchored]
            _chain_per_article([n for n in loose if n.article in naming], links)
            group = [n for n in loose if n.article not in naming
                     and not _join_named_country(n, by_rest[rest], by_key, named_countries, links)]
        for n in group[1:]:
            links.union(node_key(group[0]), node_key(n), "same name" if n.mention.text == group[0].mention.text
                        else f"same name as {group[0].mention.text!r}")
    _link_acronyms(names, links)


def _named_countries(nodes: list[Node], labels: dict[tuple[int, int], str]) -> dict[str, set[str]]:
    """Article -> the country keys of the places and nationalities it names."""
    out: dict[str, set[str]] = defaultdict(set)
    for n in nodes:
        if labels[node_key(n)] in ("GPE", "NORP"):
            out[n.article].add(country_key(n.mention.text))
    return out


def _chain_per_article(group: list[Node], links: UnionFind[tuple[int, int]]) -> None:
    """One name is one thing inside one article."""
    first: dict[str, Node] = {}
    for n in group:
        head = first.setdefault(n.article, n)
        if head is not n:
            links.union(node_key(head), node_key(n), "same name in the same article")


def _join_named_country(n: Node, keys: list[str], by_key: dict[str, list[Node]], named_countries: dict[str, set[str]],
                        links: UnionFind[tuple[int, int]]) -> bool:
    """Join a bare name to the one organisation of that name whose country its article names ("the navy" in an
    article that says "Indian" to the Indian Navy); False when the article names none or several of them."""
    fitting = [k for k in keys if k.split("|", 1)[0] in named_countries[n.article]]
    if len(fitting) != 1:
        return False
    other = by_key[fitting[0]][0]
    links.union(node_key(other), node_key(n), f"same name as {other.mention.text!r}, whose country the article names")
    return True


def _link_acronyms(names: list[Node], links: UnionFind[tuple[int, int]]) -> None:
    """'ASEAN' ↔ 'Association of Southeast Asian Nations' where an article defines it or names both."""
    long_forms: dict[str, list[Node]] = defaultdict(list)
    for n in names:
        if acronym(n.mention.text):
            long_forms[acronym(n.mention.text)].append(n)
    defined: dict[str, Node] = {}
    for n in names:  # "Association of Southeast Asian Nations (ASEAN)": a definition, whatever the letters
        if n.defines:
            defined.setdefault(n.defines, n)
            long_forms[n.defines].append(n)
    for n in names:
        short = n.mention.text.replace(".", "")
        if not (short.isalpha() and len(short) >= 2 and len(name_words(short)) == 1):
            continue
        candidates = long_forms.get(short.upper(), [])
        local = [c for c in candidates if c.article == n.article]
        target = local[0] if local else defined.get(short.upper())
        if target is not None and target is not n:
            how = "in the same article" if local else "as an article defines it"
            links.union(node_key(target), node_key(n), f"acronym of {target.mention.text!r} {how}")


def link_bodies(nodes: list[Node], persons: list[Node], links: UnionFind[tuple[int, int]]) -> None:
    """'the junta', 'Myanmar's military government', 'the State Administrative Council' → one actor."""
    bodies = [n for n in nodes if n.mention.attrs.get("body")]
    article_country = body_country_by_article(bodies)
    by_country: dict[str, list[Node]] = defaultdict(list)
    for n in bodies:
        country = n.mention.attrs.get("country") or article_country.get(n.article)
        if country:
            by_country[country].append(n)
    for group in by_country.values():
        for n in group[1:]:
            why = f"descriptor of the same country's ruling body as {group[0].mention.text!r}"
            if not n.mention.attrs.get("country"):
                why += " (the only ruling body this article names)"
            links.union(node_key(group[0]), node_key(n), why)
    person_root = {n.mention.text: links.find(node_key(n)) for n in persons if n.mention.kind == "name"}
    led = defaultdict(list)
    for n in nodes:
        leader = n.mention.attrs.get("led_by")
        if leader and leader in person_root:
            led[person_root[leader]].append(n)
    for group in led.values():
        for n in group[1:]:
            links.union(node_key(group[0]), node_key(n),
                        f"led by {group[0].mention.attrs['led_by']}, as is {group[0].mention.text!r}")


def link_back_references(nodes: list[Node], links: UnionFind[tuple[int, int]]) -> None:
    """'the council' → the organisation its article named just before, as entities.py found it."""
    by_article: dict[int, list[Node]] = defaultdict(list)
    for n in nodes:
        if n.mention.kind == "name" and n.mention.part == "text":
            by_article[n.article].append(n)
    for n in nodes:
        target_text = n.mention.attrs.get("refers_to")
        if n.mention.kind != "descriptor" or not target_text:
            continue
        before = [t for t in by_article[n.article] if t.mention.text == target_text and t.mention.start < n.mention.start]
        if before:
            links.union(node_key(before[-1]), node_key(n), f"refers back to {target_text!r} in the same article")


def body_country_by_article(bodies: list[Node]) -> dict[int, str]:
    """{article position: the one country its ruling bodies name}, for articles that name exactly one."""
    per_article: dict[int, set[str]] = defaultdict(set)
    for n in bodies:
        if n.mention.attrs.get("country"):
            per_article[n.article].add(n.mention.attrs["country"])
    return {a: next(iter(c)) for a, c in per_article.items() if len(c) == 1}
