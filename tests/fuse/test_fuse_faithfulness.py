"""Every fact, quote, timeline row and summary sentence of every fused story traces to its sources, and the
check rejects sentences edited to say something their sources do not (negation, numbers, order, names)."""

from __future__ import annotations

import pytest

from newsfuse.fuse.check import check_sentence, check_story
from newsfuse.models import Article, Conflict, ConflictValue, SourceSpan, SummarySentence


@pytest.mark.seed
def test_seed_story_is_fully_traceable(seed_story):  # type: ignore[no-untyped-def]
    fused, articles, _ = seed_story
    report = check_story(fused, articles)
    assert report["checked"] > 0
    assert report["passed"] == report["checked"], report["failures"]


def test_every_example_story_is_fully_traceable(example_stories):  # type: ignore[no-untyped-def]
    for key, (fused, articles) in example_stories.items():
        report = check_story(fused, articles)
        assert report["passed"] == report["checked"], (key, report["failures"])


def _article(key: str, outlet: str, text: str) -> Article:
    return Article(key, "t", text, (text,), outlet, "flag", "2025-04-22", "2025-04-22", "en")


GAZETTE = _article("g", "Lisk Island Gazette",
                   "Port Avel will pay $4.2 million to settle lawsuits brought by 31 injured passengers, "
                   "Mayor Ines Corrado said on Tuesday. The city did not admit liability.")
NORDWIRE = _article("n", "Nordwire", "The crash injured 27 passengers, two of them seriously, Corrado said.")
ARTICLES = {a.id: a for a in (GAZETTE, NORDWIRE)}
FIRST = GAZETTE.text[:GAZETTE.text.index("Tuesday.") + len("Tuesday.")]
SECOND = "The city did not admit liability."


def _sentence(text: str, *spans: tuple[Article, str], kind: str = "consensus") -> SummarySentence:
    sources = tuple(SourceSpan(a.id, 0, a.text.index(s), a.text.index(s) + len(s)) for a, s in spans)
    return SummarySentence(text, tuple(dict.fromkeys(a.id for a, _ in spans)), kind, sources)


def test_a_sentence_that_is_its_span_passes():  # type: ignore[no-untyped-def]
    assert check_sentence(_sentence(FIRST, (GAZETTE, FIRST)), ARTICLES).ok
    assert check_sentence(_sentence(f"Only Lisk Island Gazette reports: {SECOND}", (GAZETTE, SECOND), kind="single"),
                          ARTICLES).ok


@pytest.mark.parametrize("edit, forged", [
    ("a negation added", FIRST.replace("will pay", "will not pay")),
    ("a negation removed", "The city did admit liability."),
    ("two numbers swapped", FIRST.replace("$4.2 million", "$31 million").replace("31 injured", "4.2 injured")),
    ("a number changed", FIRST.replace("4.2", "4.5")),
    ("words reordered", "Mayor Ines Corrado said on Tuesday Port Avel will pay $4.2 million to settle lawsuits "
                        "brought by 31 injured passengers."),
    ("a name changed", FIRST.replace("Ines Corrado", "Ines Moreau")),
    ("words from another article", FIRST.replace("31 injured", "27 injured")),
    ("a span cut short", "Port Avel will pay $4.2 million to settle lawsuits."),
    ("the words of an uncited article", "The crash injured 27 passengers, two of them seriously, Corrado said."),
])
def test_an_edited_sentence_fails_the_check(edit, forged):  # type: ignore[no-untyped-def]
    spans = ((GAZETTE, FIRST), (GAZETTE, SECOND)) if "uncited" in edit else \
        ((GAZETTE, FIRST), (GAZETTE, SECOND), (NORDWIRE, NORDWIRE.text))
    assert not check_sentence(_sentence(forged, *spans), ARTICLES).ok, edit


def test_a_frame_must_name_the_outlet_that_says_it():  # type: ignore[no-untyped-def]
    told = "The crash injured 27 passengers, two of them seriously, Corrado said"
    honest = f"Nordwire says {told[0].lower() + told[1:]}; Lisk Island Gazette says {SECOND[0].lower() + SECOND[1:-1]}."
    swapped = f"Lisk Island Gazette says {told[0].lower() + told[1:]}; Nordwire says {SECOND[0].lower() + SECOND[1:-1]}."
    spans = ((NORDWIRE, NORDWIRE.text), (GAZETTE, SECOND))
    assert check_sentence(_sentence(honest, *spans, kind="disputed"), ARTICLES).ok
    assert not check_sentence(_sentence(swapped, *spans, kind="disputed"), ARTICLES).ok


def test_a_quotation_needs_balanced_marks_and_a_named_speaker():  # type: ignore[no-untyped-def]
    text = 'Corrado said: "We owe them this." It was, she added, "the least we can do."'
    article = _article("q", "Harbor Daily", text)
    articles = {"q": article}
    whole = SummarySentence(text, ("q",), "single", (SourceSpan("q", 0, 0, len(text)),))
    bare_text = '"We owe them this."'
    at = text.index(bare_text)
    bare = SummarySentence(bare_text, ("q",), "single", (SourceSpan("q", 0, at, at + len(bare_text)),))
    cut = SummarySentence('It was, she added, "the least', ("q",), "single", (SourceSpan("q", 0, 0, len(text)),))
    assert check_sentence(whole, articles).ok
    assert check_sentence(bare, articles).reason == "a quotation without a named speaker"
    assert check_sentence(cut, articles).reason == "unbalanced quotation marks"


def test_a_sentence_may_not_cite_an_article_for_a_value_it_disputes():  # type: ignore[no-untyped-def]
    conflict = Conflict("number", (ConflictValue("31 injured passengers", ("g",)), ConflictValue("27 passengers", ("n",))))
    sentence = _sentence(FIRST, (GAZETTE, FIRST), (NORDWIRE, NORDWIRE.text))
    result = check_sentence(sentence, ARTICLES, [conflict])
    assert not result.ok and result.reason == "cites an article for a value it disputes"
    assert check_sentence(_sentence(FIRST, (GAZETTE, FIRST)), ARTICLES, [conflict]).ok


def test_a_conflict_frame_reads_as_english_and_passes():  # type: ignore[no-untyped-def]
    from newsfuse.fuse.summary import conflict_sentences

    said = _article("s", "Harbor Daily", "The payout was announced by Mayor Ines Corrado on Tuesday.")
    told = _article("t", "Nordwire", "The payout was announced by Governor Tomas Lind on Tuesday.")
    articles = {"s": said, "t": told}
    conflict = Conflict("attribution", (ConflictValue("Ines Corrado", ("s",)), ConflictValue("Tomas Lind", ("t",))))
    [sentence] = conflict_sentences([conflict], articles)
    assert sentence.text.startswith("Outlets differ on an attribution: Harbor Daily gives “Ines Corrado”")
    assert check_sentence(sentence, articles).ok


def test_an_outlet_known_only_by_its_host_is_named_by_the_host_in_prose():  # type: ignore[no-untyped-def]
    from newsfuse.fuse.summary import conflict_sentences

    said = _article("s", "Harbor Daily", "The payout was announced by Mayor Ines Corrado on Tuesday.")
    told = _article("t", "unknown outlet (islandblog.example)", "The payout was announced by Governor Tomas Lind on Tuesday.")
    articles = {"s": said, "t": told}
    conflict = Conflict("attribution", (ConflictValue("Ines Corrado", ("s",)), ConflictValue("Tomas Lind", ("t",))))
    [sentence] = conflict_sentences([conflict], articles)
    assert "islandblog.example gives “Tomas Lind”" in sentence.text
    assert "unknown outlet" not in sentence.text
    assert check_sentence(sentence, articles).ok
    # The frame still has to name the right outlet: the host of another article does not pass.
    forged = SummarySentence(sentence.text.replace("islandblog.example", "otherblog.example"), sentence.articles,
                             sentence.kind, sentence.sources)
    assert not check_sentence(forged, articles).ok


def test_only_one_outlet_reports_reads_the_host_not_the_label():  # type: ignore[no-untyped-def]
    blog = _article("b", "unknown outlet (islandblog.example)", SECOND)
    single = _sentence(f"Only islandblog.example reports: {SECOND}", (blog, SECOND), kind="single")
    assert check_sentence(single, {"b": blog}).ok
