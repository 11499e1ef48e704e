"""An embedded tweet's statement is its words, without the links and signature (written for the project)."""

from __future__ import annotations

from newsfuse.fuse.propositions import split_article
from newsfuse.analyse import analyse_articles
from newsfuse.models import Article

TEXT = ("Two people were shot on Marlowe Avenue on Saturday night, police said.\n\n"
        "Second victim named as Ana Ruiz, 34, of Kestrelport https://t.co/Ab12Cd pic.twitter.com/Ef34Gh "
        "— Harbor TV (@HarborTV) March 9, 2025\n\n"
        "Police have not named a suspect.")


def test_a_tweet_states_its_words_only() -> None:
    article = Article(id="t", title="Two shot on Marlowe Avenue", text=TEXT, paragraphs=tuple(TEXT.split("\n\n")),
                      outlet="Harbor Daily", outlet_found_by="field", published="2025-03-09",
                      published_found_by="field", language="en")
    [analysis] = analyse_articles([article])
    texts = [p.text for p in split_article(article, analysis, {})]
    assert "Second victim named as Ana Ruiz, 34, of Kestrelport" in texts, texts
    assert not any("t.co" in t or "@HarborTV" in t for t in texts), texts
