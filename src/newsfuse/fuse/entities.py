"""Gather a story's entities across its articles: one record per real-world entity, every spelling kept.

The analysis stage links mentions to canonical entities; fusion only closes what is left open inside
one story: a short form ("Lavrov") that names exactly one longer name, and spelling variants of one
name ("Sergei Lavrov" / "Sergey Lavrov") that a linker kept apart.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from newsfuse.models import Analysis, Article, Entity, Mention, StoryEntity

# Entity types whose mentions take part in alignment, conflicts and framing.
NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
# Entities that identify what a statement is about. Places and nationalities are left out: nearly every
# statement of a story names its countries, so sharing them says little (seeds: "Russia has not imposed
# sanctions against Myanmar" joined "Russia is Myanmar's top arms supplier" through them).
ALIGNMENT_TYPES = frozenset({"PERSON", "ORG", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"})
# Two tokens are spellings of one name when their normalised edit similarity is at least this and they
# share the first letter (Sergei/Sergey 0.83, Evgeny/Yevgeny 0.86; Maria/Mario would pass, so the
# surnames must match exactly too).
SPELLING_SIMILARITY = 0.7


@dataclass
class StoryEntities:
    """Every named entity of one story, keyed; how each mention maps to its key."""

    names: dict[str, str] = field(default_factory=dict)  # key -> display name
    types: dict[str, str] = field(default_factory=dict)
    mentions: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    key_at: dict[tuple[str, int], str] = field(default_factory=dict)  # (article id, start) -> key

    def index(self, types: frozenset[str] | None = None) -> dict[str, list[tuple[int, str]]]:
        """article id -> (mention start, key) of the entities of `types` (all when None), for proposition features."""
        out: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for (article_id, start), key in self.key_at.items():
            if types is None or self.types.get(key) in types:
                out[article_id].append((start, key))
        return out

    def aliases(self, key: str) -> list[str]:
        return list(dict.fromkeys(m.text for m in self.mentions[key]))


@lru_cache(maxsize=65_536)
def normalise_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return " ".join(text.split())


def gather(articles: Sequence[Article], analyses: dict[str, Analysis], entities: Sequence[Entity]) -> StoryEntities:
    """Key every named mention of the story's articles, merging short forms and spelling variants."""
    canonical = {e.id: e for e in entities}
    story = StoryEntities()
    for article in articles:
        analysis = analyses.get(article.id)
        for mention in analysis.mentions if analysis else ():
            if mention.label not in NAMED_TYPES or article.text[mention.start:mention.end] != mention.text:
                continue  # mentions found in the title carry title offsets, not text offsets
            name = normalise_name(mention.text)
            if not name:
                continue
            if mention.entity_id:
                key = mention.entity_id
                story.names.setdefault(key, canonical[key].name if key in canonical else name)
            else:
                key = f"{mention.label}:{name.lower()}"
                story.names.setdefault(key, name)
            story.types.setdefault(key, mention.label)
            story.mentions[key].append(mention)
            story.key_at[(article.id, mention.start)] = key
    _merge(story, _short_forms(story))
    _merge(story, _spelling_variants(story))
    _rename_to_fullest(story, {e.id for e in entities})
    return story


def _merge(story: StoryEntities, into: dict[str, str]) -> None:
    """Fold each key of `into` into its target key."""
    for source, target in into.items():
        target = _resolve(into, target)
        if source == target or source not in story.mentions:
            continue
        story.mentions[target].extend(story.mentions.pop(source))
        story.names.pop(source, None)
        story.types.pop(source, None)
    for spot, key in list(story.key_at.items()):
        story.key_at[spot] = _resolve(into, key)


def _resolve(into: dict[str, str], key: str) -> str:
    """Follow merge links to the final key (a cycle stops where it closes)."""
    seen = {key}
    while key in into and into[key] not in seen:
        key = into[key]
        seen.add(key)
    return key


def _short_forms(story: StoryEntities) -> dict[str, str]:
    """A one-word person name that ends exactly one longer person name in the story is that person."""
    persons = [k for k, t in story.types.items() if t == "PERSON"]
    out = {}
    for key in persons:
        name = story.names[key]
        if " " in name:
            continue
        longer = {k for k in persons if k != key and " " in story.names[k] and story.names[k].split()[-1] == name}
        if len(longer) == 1:
            out[key] = longer.pop()
    return out


def spelling_variants(a: str, b: str) -> bool:
    """Two multi-word names that differ only in the spelling of some words (Sergei/Sergey Lavrov)."""
    ta, tb = a.split(), b.split()
    if a == b or len(ta) != len(tb) or len(ta) < 2 or ta[-1].lower() != tb[-1].lower():
        return False
    if not all(t[:1].isupper() for t in ta + tb):
        return False  # a descriptor ("North Korea's leader"), not a name
    for x, y in zip(ta, tb):
        if x.lower() == y.lower():
            continue
        if Levenshtein.normalized_similarity(x.lower(), y.lower()) < SPELLING_SIMILARITY:
            return False
        if x[0].lower() != y[0].lower() and not _transliterated_initial(x, y):
            return False
    return True


def _transliterated_initial(x: str, y: str) -> bool:
    """Yevgeny/Evgeny, Yuri/Iouri: a leading Y or I that one transliteration adds."""
    return x.lower().lstrip("yi") == y.lower().lstrip("yi") or x[1:].lower() == y[1:].lower()


def _spelling_variants(story: StoryEntities) -> dict[str, str]:
    out: dict[str, str] = {}
    persons = sorted((k for k, t in story.types.items() if t == "PERSON"), key=lambda k: -len(story.mentions[k]))
    names = {k: {normalise_name(m.text) for m in story.mentions[k]} for k in persons}
    # Variants share their word count and last word, so only persons sharing such a shape are compared
    # (an inverted index instead of every pair: the pairs were most of a 50-article fusion's entity time).
    shapes = {k: {_shape(n) for n in names[k]} for k in persons}
    rank = {k: i for i, k in enumerate(persons)}
    by_shape: dict[tuple[int, str], set[str]] = defaultdict(set)
    for k in persons:
        for shape in shapes[k]:
            by_shape[shape].add(k)
    for i, key in enumerate(persons):
        if key in out:
            continue
        candidates = {o for shape in shapes[key] for o in by_shape[shape] if rank[o] > i}
        for other in sorted(candidates, key=rank.__getitem__):
            if other not in out and _any_variant(names[key], names[other]):
                out[other] = key
    return out


def _shape(name: str) -> tuple[int, str]:
    words = name.split()
    return len(words), words[-1].lower() if words else ""


def _any_variant(names_a: set[str], names_b: set[str]) -> bool:
    return any(spelling_variants(x, y) for x in names_a for y in names_b)


def _rename_to_fullest(story: StoryEntities, canonical: set[str]) -> None:
    """Display the most frequent of the longest spellings ("Sergey Lavrov", not "Lavrov")."""
    for key, mentions in story.mentions.items():
        if key in canonical:
            continue  # a canonical entity keeps the linker's name
        counts = Counter(normalise_name(m.text) for m in mentions)
        longest = max(len(n.split()) for n in counts)
        story.names[key] = max((n for n in counts if len(n.split()) == longest), key=lambda n: counts[n])


def story_entities(story: StoryEntities, outlet_of: dict[str, str]) -> list[StoryEntity]:
    """The records of the JSON contract, most widely reported first."""
    records = []
    for key, mentions in story.mentions.items():
        articles = tuple(dict.fromkeys(m.article_id for m in mentions))
        records.append(StoryEntity(
            name=story.names[key], type=story.types[key],
            aliases=tuple(a for a in dict.fromkeys(normalise_name(m.text) for m in mentions) if a != story.names[key]),
            articles=articles,
        ))
    return sorted(records, key=lambda e: (-len(e.articles), -len(e.aliases), e.name))
