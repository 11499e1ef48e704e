"""Analysis stage: sentences, entities, quotes, dates and amounts per article; entities linked across the corpus."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsfuse.analyse import amounts, attribution, dates, entities, linking, quote_tagger, quote_whole, quotes, speakers
from newsfuse.analyse.linking import link_entities
from newsfuse.text.models import TAGGER_INT8, minilm_tag, nlp, spacy_version, tuned_tag
from newsfuse.analyse.sentences import Parsed, parse_articles, tense_at
from newsfuse.models import Analysis, Article

# Bump when any component's output changes: `newsfuse analyse` re-runs articles stored with another.
# v6: MiniLM (the quote tagger's features) runs the fp32 graph built from the reference weights
# (text/minilm_onnx.py) instead of a third-party int8 export; its tag is recorded under "minilm".
# v7: the tagger's MiniLM in int8 (text/models.TAGGER_INT8).
# v8: the shipped attribution tagger has fine-tuned MiniLM layers 5-6 (quote_tagger.npz; the earlier one is
# `bilstm`).
# v9: the tagger's int8 session runs without onnxruntime's SkipLayerNormalization fusion (models.TUNED_INT8_UNFUSED),
# recorded in "minilm".
# v10: a sentence writing a surname alone before a full name ending in it names two people (speakers.v2,
# linking.v2); a curly opening quotation mark may close at a straight one (quotes.v2).
# v11: a wh-word taken for a subject is no speaker (speakers.v3); a multi-paragraph quotation's first
# "paragraph" that is only the cue of the quotation before it is dropped (quote_whole.v2).
# v12: a pronoun speaker is the subject the narrative last put forward, of its number and kind (speakers.v4,
# speakers_pronouns.py); a quotation without a cue of its own goes on from the quote just before it, reported
# or direct; a participle cue speaks for its verb's subject; a place after the speaker's head noun is not the speaker.
# v13: a cue-less quotation whose next sentence opens with a subject and a bare reporting verb is that subject's
# ("“…?” / Mr. Mueller planned to ask."); a question or query is a document (speakers.v5).
# v14: quotation marks paired across paragraphs that do not re-open a quotation (text one sentence a line) and a
# closing mark split onto the next line (quotes.v3, quote_marks.py); a cue's subject outside the quotation, "was
# quoted as saying", "recounts"; tagged attributions inside a quotation dropped and a tagged direct content cut at
# its closing mark (attribution.v3).
# v15: a speaker's name ends before a relative clause's pronoun ("the ranger who patrols" -> "the ranger"; quotes.v4).
# v16: a person's name ends before a lower-case verb the model ran into it ("... Sr told"; entities.v2).
# v17: a day name right before a date ("Wednesday, May 4, 2011") is no second date (dates.v3).
# v18: a photo caption's one-word adjective or participle label before a colon ("Grim: ...") is no speaker (quotes.v5).
# v19: a country the demonym table names is keyed whole, so "Israel's prime minister" meets "Israeli Prime
# Minister ..." (entities.v3); a lone surname the article titles as its full name is that person (linking.v3);
# a page label alone before a colon ("NEW:", "BREAKING:") is no speaker (quotes.v6); a short given name
# ("Bob") is its full one ("Robert") with the same surname (linking.v3).
# v20: a relative pronoun with words the parse kept after it ("who for years", "whose leaders") stands for the
# name its clause hangs on, or no one (speakers.v6).
# v21: a count records what it says of what it counts and what a measure is of (amounts.v2: predicate,
# predicate_role, measures), so fusion can tell a death toll from an injury toll.
# v22: lower-case "may" is the verb, never the month, in every date pattern ("this may not be"; dates.v4).
# v23: a quotation in title case with no sentence end ("The Fires of Pompeii") names a work, no quote (quotes.v7).
# v24: a dummy "it" ("it was announced that", "it is hard to believe") is no speaker; a by-phrase names the one who
# said it ("it was reported by X that"; speakers.v7).
# v25: an editorial label alone before a colon ("Summary:", "Background:") is no speaker (quotes.v8).
# v26: a place that qualifies a body through a chain of modifiers ("the Sunnyvale, Calif., company", "the Cook County
# medical examiner's office") does not name the speaker (speakers.v8).
# v27: a rank or title abbreviation before a name ("Lt.", "Sgt.", "Capt.") is one token, so the parser no longer
# ends the sentence at its stop ("..., Troy police Lt." / "Gerry Scherlinck said."; text/abbreviations.py), and
# such a rank is no part of the name (entities.v4).
# v28: a ship's name ("MV Gibe", "INS Mysore", and the bare name in the same article) is no person, so "he" never
# stands for it (entities.v5); linking.v5 (a bare "navy" joins its own country's); a count records who did to the
# counted what its verb says (amounts.v3: `agent`); a nationality word that does not head the speaker phrase is no
# speaker, and a bare name the model missed keeps its quote over a name in its apposition (speakers.v9).
# v29: a role that names the body it serves ("the fire chief", "the church's minister") is not the one person the
# last sentences name, and a name the role phrase follows is not described by it (speakers.v10).
# v30: not used.
# v31: a title before a name is no part of it however it is written: "Gov." and "Rev." with their stop, "attorney",
# "prosecutor", "pastor", and a title of several capitalised words ("City Attorney Terry White"; entities.v6).
# v32: two reported pieces of one sentence on either side of their one cue are one quote in parts ("Berg [is
# expected] to appear", "[Lohan] was accused of [attacking]"), not a quote whose content is the subject alone
# (quote_whole.v3).
# v33: a name the model called an organisation or a place is a person's where the article shows it (its subject
# reports what "he" or "she" did, or a role or an age is in apposition: "Page later said she was puzzled";
# entities.v7), and a person's surname opening a sentence as a common noun is that person for pronouns (speakers.v11).
# v34: a name inside the clause a pronoun's verb reports is not that pronoun's antecedent ("Jackson was on probation,
# he said" is not Jackson's; speakers.v12).
# v35: a name after personal titles that the model called an organisation or a place is the person ("Constable Ivar
# Lund", "State Police Capt. Doug Cain"); "manager" and "miss" are titles before a name (entities.v8).
# v36: an institution or place noun ("County", "Hospital") gives no person evidence (entities.v9).
# v37: an organisation's name opening with a qualifying title word ("State Law Enforcement Division") is no titled
# person (entities.v10); only a name, not a group noun, inside the clause a pronoun's verb reports is ruled out as
# its antecedent ("Some residents welcomed it, they said"; speakers.v13).
# v38: two reported pieces are not joined across a clause of their own before the cue ("X was shot dead; a man is
# being questioned over that killing"; quote_whole.v4).
VERSION = "analysis.v38"
COMPONENTS = {
    "sentences": "sentences.v1", "entities": entities.VERSION, "quotes": quotes.VERSION,
    "dates": dates.VERSION, "amounts": amounts.VERSION, "linking": linking.VERSION,
    "attribution": attribution.VERSION, "quote_whole": quote_whole.VERSION, "speakers": speakers.VERSION,
}

__all__ = ["VERSION", "analyse_article", "analyse_articles", "link_entities"]


def analyse_article(article: Article, tagger: str | None = None) -> Analysis:
    """Everything the analysis stage finds in one article (pure; spaCy loads on first call)."""
    return next(analyse_articles([article], tagger))


def analyse_articles(articles: Iterable[Article], tagger: str | None = None) -> Iterator[Analysis]:
    """Analyse many articles through one nlp.pipe stream: the fast path for batches.

    `tagger` is the quote_tagger setting: a weights file, `off` for the rules alone, None for the shipped one.
    """
    model = nlp()
    weights = quote_tagger.weights(tagger)
    components = {**COMPONENTS, "spacy": spacy_version(), "quote_tagger": quote_tagger.version(tagger)}
    if weights is not None and weights.minilm_outputs:
        components["minilm"] = tuned_tag(TAGGER_INT8) if weights.top else minilm_tag(TAGGER_INT8)
    for parsed in parse_articles(articles, model):
        yield _analyse(parsed, components, weights)


def _analyse(parsed: Parsed, components: dict[str, str], weights: quote_tagger.TaggerWeights | None) -> Analysis:
    article = parsed.article
    mentions = entities.extract_mentions(parsed)
    found_dates = dates.find_dates(article.text, article.published, article.id, parsed.sentence_at,
                                   lambda char: tense_at(parsed, char))
    found_amounts = amounts.find_amounts(
        article.text, [(offset, doc) for _, offset, doc in parsed.docs],
        [(d.start, d.end) for d in found_dates], article.id, parsed.sentence_at,
    )
    found_quotes = attribution.combine(parsed, mentions, quotes.extract_quotes(parsed, mentions), weights)
    found_quotes = speakers.resolve(parsed, mentions, quote_whole.whole(parsed, found_quotes))
    return Analysis(
        article_id=article.id, sentences=tuple(parsed.sentences), mentions=tuple(mentions),
        quotes=tuple(found_quotes), dates=tuple(found_dates), amounts=tuple(found_amounts),
        components=dict(components),
    )
