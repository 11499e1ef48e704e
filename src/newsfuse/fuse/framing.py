"""How each outlet names the story's main actors: names and descriptors per outlet, with spans, loaded words flagged.

The analysis stage links names and descriptors to canonical entities ("the military junta", "Myanmar's
ruling generals" and "State Administrative Council" are one actor); fusion lays those mentions out
per outlet, adds the titles each outlet gives a person, and flags loaded words (BABE lexicon).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsfuse.fuse.conflicts import titles_of
from newsfuse.fuse.entities import StoryEntities, normalise_name
from newsfuse.fuse.lexicon import loaded_words
from newsfuse.models import Article, Framing, FramingMention

# Labels for rulers that carry a judgement ("regime" or "junta" where others say "government") and that
# BABE's US-politics topics do not cover: a short hand-made list, not calibrated.
EXTRA_LOADED = frozenset({"regime", "junta", "dictator", "dictatorship", "tyrant", "despot", "strongman", "thugs", "puppet"})
# At most this many actors are shown: those named by the most outlets, then the most often.
MAX_ACTORS = 6
# Entity types that can be actors; others (places, nationalities) only when outlets name them in more
# than one way.
ACTOR_TYPES = frozenset({"PERSON", "ORG"})


def is_loaded(word: str) -> bool:
    low = word.lower()
    return low in EXTRA_LOADED or low in loaded_words()


def frame_story(articles: Sequence[Article], story: StoryEntities) -> list[Framing]:
    """Per main actor, the phrases each outlet uses for it, with their spans and loaded words."""
    actors = _actors(articles, story)
    actors.sort(key=lambda f: (-len(f.by_outlet), -sum(len(p) for p in f.by_outlet.values()), -len(f.mentions)))
    return actors[:MAX_ACTORS]


def _mention(phrase: str, article: Article, start: int, end: int) -> FramingMention:
    loaded = tuple(w for w in re.findall(r"[A-Za-z][\w\-]*", phrase) if is_loaded(w))
    return FramingMention(phrase, article.outlet or article.id, article.id, start, end, loaded)


def _framing(actor: str, mentions: list[FramingMention]) -> Framing:
    by_outlet: dict[str, list[str]] = defaultdict(list)
    loaded: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if m.phrase not in by_outlet[m.outlet]:
            by_outlet[m.outlet].append(m.phrase)
        for word in m.loaded:
            if word not in loaded[m.outlet]:
                loaded[m.outlet].append(word)
    return Framing(actor, {o: tuple(p) for o, p in by_outlet.items()}, tuple(mentions),
                   {o: tuple(w) for o, w in loaded.items()})


def _actors(articles: Sequence[Article], story: StoryEntities) -> list[Framing]:
    text_of = {a.id: a.text for a in articles}
    by_id = {a.id: a for a in articles}
    out = []
    for key, kind in story.types.items():
        forms = {normalise_name(m.text) for m in story.mentions[key]}
        outlets = {by_id[m.article_id].outlet for m in story.mentions[key] if m.article_id in by_id}
        if len(outlets) < 2 or (kind not in ACTOR_TYPES and len(forms) < 2):
            continue
        mentions = [_mention(normalise_name(m.text), by_id[m.article_id], m.start, m.end)
                    for m in story.mentions[key] if m.article_id in by_id]
        if kind == "PERSON":
            mentions += _title_mentions(story, key, text_of, by_id)
        out.append(_framing(story.names[key], mentions))
    return out


def _title_mentions(story: StoryEntities, key: str, text_of: dict[str, str], by_id: dict[str, Article]) -> list[FramingMention]:
    out = []
    for article_id, titles in titles_of(story, key, text_of).items():
        for title in titles:
            at = text_of[article_id].find(title)
            out.append(_mention(title, by_id[article_id], at, at + len(title)))
    return out
