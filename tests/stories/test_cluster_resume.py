"""A clustering killed after writing its assignments but before describing the stories: the next run
describes them, so the stories equal those of an uninterrupted run."""

from __future__ import annotations

import json

import pytest

from newsfuse import api
from newsfuse.stories import service

ARTICLES = [
    {"id": f"a{i}", "title": f"{place} council {what} ({i})", "outlet": outlet, "published": "2025-03-12",
     "text": f"The council of {place} {what} on Tuesday after a long debate.\n\nThe mayor said it was needed."}
    for i, (place, what, outlet) in enumerate([
        ("Port Avel", "closes the old bridge", "Harbour Daily"), ("Port Avel", "closes the old bridge", "Island Post"),
        ("Valtoria", "opens a new school", "Nordwire"), ("Valtoria", "opens a new school", "Bay Courier"),
    ])
]


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs (a BaseException, as a kill is no error to handle)."""


def stories_of(path) -> list[tuple]:  # type: ignore[no-untyped-def]
    with api.open_db(path) as store:
        return sorted((s.id, s.title, s.keywords, s.entities, s.article_ids) for s in api.list_stories(store))


def ingested(path, corpus) -> None:  # type: ignore[no-untyped-def]
    with api.open_db(path) as store:
        api.ingest([str(corpus)], store)


def test_stories_left_undescribed_by_a_killed_clustering_are_described_by_the_next(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    reference, killed = tmp_path / "reference.sqlite", tmp_path / "killed.sqlite"
    for path in (reference, killed):
        ingested(path, corpus)
    with api.open_db(reference) as store:
        api.cluster(store)

    real_describe = service.describe

    def killed_describe(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise Killed()

    monkeypatch.setattr(service, "describe", killed_describe)
    with pytest.raises(Killed), api.open_db(killed) as store:
        api.cluster(store)
    assert all(title == "" for _, title, *_ in stories_of(killed))  # assigned, not yet described
    monkeypatch.setattr(service, "describe", real_describe)
    with api.open_db(killed) as store:
        assert api.cluster(store)  # no article left to assign, but the stories to describe
    assert stories_of(killed) == stories_of(reference)
    with api.open_db(killed) as store:
        assert api.cluster(store) == []  # and nothing after that
