"""Clause splitting: one statement per clause, never a cut inside a quotation or an embedded clause."""

from __future__ import annotations

from newsfuse.fuse.propositions import clause_spans, split_article


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in clause_spans(text)]


def test_trailing_relative_clause_is_its_own_statement():
    text = ("The visit to Myanmar will end on Wednesday, after which Lavrov will head to Cambodia, "
            "where in Phnom Penh he will participate in the meeting of foreign ministers.")
    assert pieces(text) == [
        "The visit to Myanmar will end on Wednesday",
        "after which Lavrov will head to Cambodia",
        "where in Phnom Penh he will participate in the meeting of foreign ministers.",
    ]


def test_embedded_relative_clause_stays_with_its_sentence():
    text = "Senior General Min Aung Hlaing, who heads Myanmar's ruling military council, has visited Russia twice."
    assert pieces(text) == [text]


def test_irregular_main_verb_after_relative_clause_keeps_sentence_whole():
    text = "About 1,500 workers at the port, which handles 40% of container traffic, began a two-day strike."
    assert pieces(text) == [text]


def test_quotation_is_never_cut():
    text = "“We appreciate the friendly nature of our partnership, which is not affected by any processes,” Lavrov said."
    assert pieces(text) == [text]


def test_a_headline_only_article_states_only_its_headline():
    from newsfuse.models import Analysis, Article, Sentence

    title = "Harbour authority raises ferry fares by 8 percent, which unions call unfair to commuters"
    teaser = "Fares rise on all routes from April."
    article = Article(id="h", title=title, text=teaser, paragraphs=(teaser,), outlet="Nordwire", outlet_found_by="field",
                      published=None, published_found_by=None, language="en", headline_only=True)
    analysis = Analysis("h", (Sentence("h", 0, 0, len(teaser), teaser),), (), (), (), ())
    props = split_article(article, analysis, {})
    assert [title[p.start:p.end] for p in props] == [p.text for p in props] == [
        "Harbour authority raises ferry fares by 8 percent", "which unions call unfair to commuters"]
    assert {p.part for p in props} == {"title"} and {p.sentence for p in props} == {-1}


def test_a_question_in_the_articles_own_voice_states_nothing():
    from newsfuse.models import Analysis, Article, Sentence

    lines = ["Which ports did the ferries reach?", "The ferries reached Lisk and Avel on Monday.",
             "“Why would we stop now?” the captain asked reporters on the quay."]
    text = "\n\n".join(lines)
    starts = [text.index(line) for line in lines]
    article = Article(id="q", title="Ferries", text=text, paragraphs=tuple(lines), outlet="Nordwire",
                      outlet_found_by="field", published=None, published_found_by=None, language="en")
    sentences = tuple(Sentence("q", k, s, s + len(line), line) for k, (s, line) in enumerate(zip(starts, lines)))
    props = split_article(article, Analysis("q", sentences, (), (), (), ()), {})
    assert [p.text for p in props] == lines[1:]
