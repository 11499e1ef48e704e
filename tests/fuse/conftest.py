"""Fusion fixtures: the seeds and the example stories analysed, linked and fused once per session."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES


def _fuse(story_id, articles):  # type: ignore[no-untyped-def]
    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.text.embeddings import embed_tokens as embed
    from newsfuse.fuse import fuse_story
    from newsfuse.models import Story

    analyses = list(analyse_articles(articles))
    entities, analyses = link_entities(list(zip(articles, analyses)))
    story = Story(story_id, tuple(a.id for a in articles), "")
    return fuse_story(story, articles, analyses, entities, embed=embed)  # as pipeline.fuse_pending runs it


@pytest.fixture(scope="session")
def seed_story(seed_articles):  # type: ignore[no-untyped-def]
    """(FusedStory, {article id: Article}, {outlet: article id}) for the three seeds as one story."""
    articles = list(seed_articles.values())
    return _fuse("seeds", articles), {a.id: a for a in articles}, {a.outlet: a.id for a in articles}


@pytest.fixture(scope="session")
def example_stories():  # type: ignore[no-untyped-def]
    """{story key: (FusedStory, {article id: Article})} for every example story of examples/expected.json."""
    from newsfuse.clean import clean_document, complete_date
    from newsfuse.ingest import ReadOptions, read_input

    groups = json.loads((EXAMPLES / "expected.json").read_text())
    out = {}
    for key, names in groups.items():
        cleaned = [clean_document(raw) for name in names
                   for raw in read_input(str(EXAMPLES / "articles" / name), ReadOptions())]
        dates = [c.article.published for c in cleaned if c.article.published]
        articles = [complete_date(c, dates) for c in cleaned]
        out[key] = (_fuse(key, articles), {a.id: a for a in articles})
    return out

