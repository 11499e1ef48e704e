"""An optional generative summary goes through the faithfulness check: a sentence that is not its cited
facts' words (a paraphrase, an invented figure) is dropped."""

from __future__ import annotations

import pytest

from tests.conftest import chat_endpoint

pytestmark = pytest.mark.seed


def test_generated_sentences_are_checked(seed_articles):  # type: ignore[no-untyped-def]
    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.fuse import fuse_story
    from newsfuse.models import Story

    articles = list(seed_articles.values())
    entities, analyses = link_entities(list(zip(articles, analyse_articles(articles))))
    story = Story("seeds", tuple(a.id for a in articles), "")
    plain = fuse_story(story, articles, analyses, entities)
    zakharova = next(i for i, f in enumerate(plain.facts) if "Zakharova" in f.text) + 1
    quoted = plain.facts[zakharova - 1].text
    answer = (f"{quoted} [F{zakharova}]\n"
              f"Maria Zakharova said the two sides will discuss trade and economic cooperation. [F{zakharova}]\n"
              f"Zakharova said Russia will sell 40 jets to Myanmar. [F{zakharova}]")
    server = chat_endpoint(answer)
    try:
        fused = fuse_story(story, articles, analyses, entities, llm_endpoint=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
    generated = [s.text for s in fused.summary if s.kind == "generated"]
    assert generated == [quoted]
    dropped = fused.check["dropped_summary"]
    # Changed expectation: the paraphrase used to pass (its every word is in the fact); the check now asks
    # for the source's words in their order, so that a reordered or negated sentence cannot pass either.
    assert [d["text"] for d in dropped] == ["Maria Zakharova said the two sides will discuss trade and economic cooperation.",
                                           "Zakharova said Russia will sell 40 jets to Myanmar."]
    assert "40" in " ".join(dropped[1]["untraced"])
