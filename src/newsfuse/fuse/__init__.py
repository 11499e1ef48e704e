"""fuse stage: turn a story's analysed articles into one sourced account (`fuse_story`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsfuse.fuse.check import check_sentence, check_story
from newsfuse.models import Analysis, Article, Entity, FusedStory, Story, SummarySentence

if TYPE_CHECKING:
    from newsfuse.fuse.align import Embedder

# The code's version, then the digest of the shipped pair model: a refit of the model changes the facts, so
# stored stories fuse again (pipeline.fuse_pending compares this string) without anyone bumping a number.
FUSER_CODE = "fuse.v24"  # v24: a bound ("at least 70") or two values ("three or four", "20 to 30") is no count conflict with a value it allows; spans of time conflict only when the same word is said of both; counts narrowed by different words ("Yemeni pirates" / "arrested pirates") are different kinds, and so are counts of one deed by different named doers ("the Indian Navy" / "the British Royal Navy") and counts in statements about different people; counts of two statements that are not one fact conflict only when the same thing is said of both or both count who acted; a prosecutor and an attorney are one title; a place never holds the role a speaker phrase names ("the church's minister" is not Wasilla); a first-person sentence outside quotation marks (a speech printed as text) is no summary sentence; v23: one statement dated by its month and by a day in it is one timeline row, the day's; v22: a police or military rank and a spokesperson post are one person's two titles, no conflict; v21: one office written two ways ("chair" / "chairman") is one value of a title conflict; v20: a founder may hold any office (no title conflict with it); v19: two counts conflict only when they count the same thing (what is said of it, what it measures: conflicts.same_thing_counted); v18: a call for tips is no summary sentence; facts of the same articles whose words differ only in punctuation or case are one fact; v17: an embedded tweet's statement ends before its links and "— Name (@handle) date" signature; v16: "according to X" and "X reported" name whose account the words are, never a disagreement on who said them; "adviser" and "aide" are one title; v15: a fact that is nothing but a quotation's words names who says them (`Fact.speaker`); v14: outlets differ on who said something only where each names the speaker at the quote, not through a pronoun or the quote before; v13: summary sentences name an outlet known only by its host by the host ("Only x.com reports"); v12: one count disagreement is one conflict, its values with every article that gives them; v11: a count disagreement is one (value, article) pair however its values are spelt; v10: names that differ only in capitals are one spelling, no conflict; v5: a headline-only article states facts through its headline; v6: a value is disputed only where said of what its conflict is about, timeline rows stand alone, questions state nothing; v7: counts two statements both give are no conflict, one disagreement listed once; v8: a quote carries the verb that frames it (`cue`); v9: a fact whose words a fact of the same articles holds is that fact
# The same file as pairs.MODEL_PATH, named here because importing pairs would load numpy at start-up.
_PAIR_MODEL = Path(__file__).parent / "data" / "align_model.json"
FUSER_VERSION = f"{FUSER_CODE}+{hashlib.sha256(_PAIR_MODEL.read_bytes()).hexdigest()[:8]}"

__all__ = ["FUSER_VERSION", "article_record", "fuse_story", "statement_texts"]


def statement_texts(article: Article, analysis: Analysis) -> list[str]:
    """The texts fusion embeds for one article (its statement sentences, or its headline), so a pipeline can
    embed them early."""
    from newsfuse.fuse import align, propositions
    from newsfuse.text.spans import part_text

    props = propositions.split_article(article, analysis, {})
    return [part_text(article.title, article.text, align.sentence_part(sentence), start, end)
            for _, sentence, start, end in align.statement_sentences(props)]


def article_record(article: Article) -> dict[str, str | bool | None]:
    """An article as the story JSON lists it (`headline_only`: a headline without a body, see Article)."""
    return {
        "id": article.id, "external_id": article.external_id, "outlet": article.outlet,
        "title": article.title, "published": article.published, "url": article.url,
        "headline_only": article.headline_only,
    }


def fuse_story(
    story: Story, articles: Sequence[Article], analyses: Sequence[Analysis] | dict[str, Analysis],
    entities_: Sequence[Entity] = (), embed: Embedder | None = None, llm_endpoint: str | None = None,
) -> FusedStory:
    """One account of a story: facts with status, conflicts, quotes by speaker, framing, timeline, summary.

    `embed` (texts -> word-piece vectors, text/embeddings.embed_tokens or the store's copy) adds MiniLM to
    alignment; `llm_endpoint` adds a generative
    summary whose sentences pass the same faithfulness check as the extractive one, or are dropped.
    """
    # Imported here, not above: reading a stored fusion (fuse.records) must not load numpy and scikit-learn.
    from newsfuse.fuse import align, conflicts, disputes, entities, framing, propositions, quotes, summary, timeline
    from newsfuse.fuse.speakers import Speakers

    by_id = {a.id: a for a in articles}
    ordered = [by_id[i] for i in story.article_ids if i in by_id] or list(articles)
    analysed = analyses if isinstance(analyses, dict) else {a.article_id: a for a in analyses}
    story_ents = entities.gather(ordered, analysed, entities_)
    props = propositions.split_story(ordered, analysed, story_ents.index(entities.ALIGNMENT_TYPES))
    headlines = {a.id: a.title for a in ordered if a.headline_only}
    alignment = align.align(props, {a.id: a.text for a in ordered}, embed, headlines)
    source_of = align.copy_groups(props, alignment, [a.id for a in ordered], story.copies)
    groups = align.cluster(props, alignment)
    facts = _with_copies(align.build_facts(props, groups, alignment, source_of, frozenset(headlines)), source_of)
    starts = {(p.article_id, p.start): p.position for p in props}
    facts = sorted(facts, key=lambda f: ({"all": 0, "some": 1, "one": 2}[f.status], _first(f, starts)))
    speakers = Speakers(story_ents, {a.id: a.text for a in ordered})
    found_conflicts = conflicts.find_conflicts(ordered, analysed, story_ents, props, groups, alignment.related,
                                                 alignment.related_threshold, speakers)
    facts, found_conflicts = disputes.mark_disputes(facts, found_conflicts, by_id)
    facts = quotes.with_speakers(facts, analysed, speakers, {a.id: a.text for a in ordered})
    outlet_of = {a.id: a.outlet or a.id for a in ordered}
    sentences = summary.summarise(facts, found_conflicts, props, by_id)
    fused = FusedStory(
        id=story.id, title=story.title or ordered[0].title,
        articles=tuple(article_record(a) for a in ordered),
        facts=tuple(facts), conflicts=tuple(found_conflicts),
        quotes=tuple(quotes.group_quotes(ordered, analysed, story_ents, speakers)),
        entities=tuple(entities.story_entities(story_ents, outlet_of)),
        framing=tuple(framing.frame_story(ordered, story_ents)),
        timeline=tuple(timeline.build_timeline(props, groups, analysed)),
        summary=tuple(sentences), fuser=FUSER_VERSION,
    )
    return _checked(fused, by_id, llm_endpoint)


def _first(fact, starts) -> float:  # type: ignore[no-untyped-def]
    return min((starts.get((s.article, s.start), 1.0) for s in fact.sources), default=1.0)


def _with_copies(facts, source_of):  # type: ignore[no-untyped-def]
    """Record, on each fact, how many independent sources it has and which of its articles are copies."""
    from dataclasses import replace

    out = []
    for fact in facts:
        articles = list(dict.fromkeys(s.article for s in fact.sources))
        groups: dict[str, list[str]] = {}
        for article_id in articles:
            groups.setdefault(source_of[article_id], []).append(article_id)
        copies = tuple(tuple(g) for g in groups.values() if len(g) > 1)
        out.append(replace(fact, independent_sources=len(groups), copies=copies))
    return out


def _checked(fused: FusedStory, articles: dict[str, Article], llm_endpoint: str | None) -> FusedStory:
    """Drop every summary sentence that fails the faithfulness check, and record the check."""
    from dataclasses import replace

    candidates = list(fused.summary)
    if llm_endpoint:
        from newsfuse.fuse.generate import generated_summary

        candidates += generated_summary(fused, articles, llm_endpoint)
    kept: list[SummarySentence] = []
    dropped = []
    for sentence in candidates:
        result = check_sentence(sentence, articles, fused.conflicts)
        if result.ok:
            kept.append(sentence)
        else:
            dropped.append({"text": sentence.text, "kind": sentence.kind, "reason": result.reason,
                            "untraced": result.untraced})
    fused = replace(fused, summary=tuple(kept))
    report = check_story(fused, articles)
    report["dropped_summary"] = dropped
    return replace(fused, check=report)
