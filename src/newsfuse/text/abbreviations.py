"""Teach the spaCy pipeline the rank and title abbreviations it splits ("Lt." -> "Lt" "."), which cut sentences."""

from __future__ import annotations

from typing import Any

# Ranks and titles written before a name whose stop en_core_web_sm's tokenizer splits off, so that its parser
# ended the sentence there: "..., Troy police Lt." / "Gerry Scherlinck said." became two sentences and a fact
# "Troy Police Lt." (ECB+ dev read, 2026-12-02). Only words that are never the last word of a sentence are listed:
# "Gov.", "Sen.", "Gen.", "Dr." are already one token; state abbreviations ("Mo.") end sentences and are not here.
TITLE_ABBREVIATIONS = (
    "Sgt", "Lt", "Capt", "Det", "Col", "Maj", "Cpl", "Cmdr", "Cdr", "Insp", "Supt", "Pvt", "Spc", "Ofc", "Atty",
    "Brig", "Const",
)
COMPONENT = "newsfuse_title_abbreviations"
_TOKENS = frozenset(f"{word}." for word in TITLE_ABBREVIATIONS)


def install(nlp: Any) -> None:
    """Make each title abbreviation with its stop one token, as spaCy does for "Gov." and "Dr.", and forbid the
    parser a sentence start on the capitalised word after one (one token is not always enough: "... rams the
    vehicle," said police Cmdr. / Joe Florip.)."""
    from spacy.language import Language
    from spacy.symbols import ORTH

    for word in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(f"{word}.", [{ORTH: f"{word}."}])
    if not Language.has_factory(COMPONENT):
        Language.component(COMPONENT, func=join_after_titles)
    if "parser" in nlp.pipe_names and COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")


def join_after_titles(doc: Any) -> Any:
    """Mark the capitalised word after a title abbreviation as no sentence start (the parser keeps that)."""
    for token in doc[:-1]:
        if token.text in _TOKENS:
            following = doc[token.i + 1]
            if following.text[:1].isupper():
                following.is_sent_start = False
    return doc
