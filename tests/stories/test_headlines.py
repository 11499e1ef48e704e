"""Headline-only articles (an aggregator's lines: a title, a publisher, a time) are stored and grouped."""

from __future__ import annotations

import json

from newsfuse import api
from newsfuse.stories.service import EMBEDDING_COMPONENT

# Headlines written for the project: two stories on one day, three outlets each.
FARES = [
    ("Harbour authority raises ferry fares by 8 percent from April", "Harbor Daily"),
    ("Ferry fares to rise 8% as harbour authority cites fuel costs", "Nordwire"),
    ("Harbour ferry tickets will cost 8 percent more from April", "Valley Ledger"),
]
TRAM = [
    ("Tram line to reach the airport in June, transport office says", "Nordwire"),
    ("Airport tram extension opens in June with four new stops", "Valley Ledger"),
    ("City tram will run to the airport from June", "Harbor Daily"),
]


def _headlines(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "headlines.jsonl"
    lines = [{"id": f"h{n}", "title": title, "outlet": outlet, "published": "2025-03-11"}
             for n, (title, outlet) in enumerate([FARES[0], TRAM[0], FARES[1], TRAM[1], FARES[2], TRAM[2]])]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


def test_headlines_are_ingested_as_headline_only_articles(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = api.ingest([str(_headlines(tmp_path))], store)
    assert not report.failed and len(report.ingested) == 6 == len(report.headline_only)
    assert all(a.headline_only and a.text == "" for a in store.articles())


def test_headlines_group_into_their_stories(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    api.ingest([str(_headlines(tmp_path))], store)
    api.cluster(store)
    groups = {frozenset(a.title for a in store.articles(ids=list(s.article_ids))) for s in store.stories()}
    assert groups == {frozenset(t for t, _ in FARES), frozenset(t for t, _ in TRAM)}


def test_each_article_is_embedded_once_and_kept(store, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.text import embeddings

    api.ingest([str(_headlines(tmp_path))], store)
    api.cluster(store)
    assert all(store.annotation(a.id, EMBEDDING_COMPONENT) for a in store.articles())
    before = {frozenset(s.article_ids) for s in store.stories()}

    def refuse(texts):  # type: ignore[no-untyped-def]
        raise AssertionError(f"embedded again: {texts}")

    monkeypatch.setattr(embeddings, "embed", refuse)
    api.cluster(store, rebuild=True)
    assert {frozenset(s.article_ids) for s in store.stories()} == before


def test_a_story_merged_while_clustering_moves_its_articles_and_answers_for_its_old_id(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsfuse.stories.index import StoryIndex, StoryState
    from newsfuse.stories.service import StoreLoader, features_for, flush

    api.ingest([str(_headlines(tmp_path))], store)
    ids = [a.id for a in store.articles()]
    index = StoryIndex(StoreLoader(store))
    keep, gone = StoryState(id="s-keep"), StoryState(id="s-gone")
    for feats, state in zip(features_for(store, ids[:2], None), (keep, gone)):
        article = index.weigh(feats)
        index.add_to_story(state, article, index.lookup_keys(article, posting=True))
    flush(store, index, [(ids[0], "s-keep", 1.0), (ids[1], "s-gone", 1.0)])
    index.merge(keep, gone)
    flush(store, index, [])
    assert store.story_of(ids[1]) == "s-keep" and store.story_states(["s-gone"]) == {}
    assert store.story_events()[-1]["kind"] == "merge"
    later = StoryIndex(StoreLoader(store))
    assert later.get_stories(["s-gone"])["s-gone"].id == "s-keep"
