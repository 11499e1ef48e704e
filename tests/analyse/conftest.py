"""Analysis fixtures: the seeds analysed once per session (spaCy loads once), and linked."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def seed_analyses(seed_articles):  # type: ignore[no-untyped-def]
    """{outlet: Analysis} for the three seeds, before linking."""
    from newsfuse.analyse import analyse_articles

    articles = list(seed_articles.values())
    return {a.outlet: an for a, an in zip(articles, analyse_articles(articles))}


@pytest.fixture(scope="session")
def seed_linked(seed_articles, seed_analyses):  # type: ignore[no-untyped-def]
    """(entities, {outlet: linked Analysis}) for the three seeds."""
    from newsfuse.analyse import link_entities

    outlets = list(seed_articles)
    entities, analyses = link_entities([(seed_articles[o], seed_analyses[o]) for o in outlets])
    return entities, dict(zip(outlets, analyses))


@pytest.fixture(scope="session")
def analyse_text():  # type: ignore[no-untyped-def]
    """Analyse a project-written text as an article published on the given date."""
    from newsfuse.analyse import analyse_article
    from newsfuse.models import Article

    def run(text: str, published: str = "2022-08-03", tagger: str | None = None):  # type: ignore[no-untyped-def]
        paragraphs = tuple(p for p in text.split("\n\n"))
        article = Article(id="test", title="", text="\n\n".join(paragraphs), paragraphs=paragraphs,
                          outlet="Test", outlet_found_by="flag", published=published,
                          published_found_by="flag", language="en")
        return analyse_article(article, tagger)

    return run


@pytest.fixture(scope="session")
def link_text():  # type: ignore[no-untyped-def]
    """Analyse project-written texts as articles of one corpus and link them: (entities, analyses)."""
    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.models import Article

    def run(*texts: str, published: str = "2025-03-12"):  # type: ignore[no-untyped-def]
        articles = []
        for i, text in enumerate(texts):
            paragraphs = tuple(text.split("\n\n"))
            articles.append(Article(id=f"a{i}", title="", text=text, paragraphs=paragraphs, outlet=f"Outlet {i}",
                                    outlet_found_by="flag", published=published, published_found_by="flag",
                                    language="en"))
        return link_entities(list(zip(articles, analyse_articles(articles))))

    return run
