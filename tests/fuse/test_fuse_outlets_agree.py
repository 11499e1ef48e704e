"""Fusion on three outlets' reports of one settlement (written for the project): paraphrases aligned, one
speaker per person, one quote however it is carried, disputed values never stated as agreed."""

from __future__ import annotations

from newsfuse.fuse.check import disputed_citations


def _facts_with(fused, articles, phrase):  # type: ignore[no-untyped-def]
    return [f for f in fused.facts if any(phrase in articles[s.article].text[s.start:s.end] for s in f.sources)]


def test_a_sum_in_three_wordings_is_one_fact_of_all_three(ferry_story):  # type: ignore[no-untyped-def]
    fused, articles, by_outlet = ferry_story
    found = _facts_with(fused, articles, "$4.2 million")
    assert any(f.status == "all" and {s.article for s in f.sources} == set(by_outlet.values()) for f in found), \
        [(f.status, f.outlets) for f in found]


def test_one_quotation_under_three_name_forms_is_one_quote_of_one_speaker(ferry_story):  # type: ignore[no-untyped-def]
    fused, _, by_outlet = ferry_story
    carried = [q for q in fused.quotes if "justice they were owed" in q.text]
    assert len(carried) == 1, [(q.speaker, q.articles) for q in carried]
    assert carried[0].speaker == "Marcus Delaney"
    assert set(carried[0].articles) == set(by_outlet.values())
    delaney = {q.speaker for q in fused.quotes if "Delaney" in q.speaker or "congressman" in q.speaker}
    assert delaney == {"Marcus Delaney"}


def test_a_split_quotation_is_joined_and_checked_piece_by_piece(ferry_story):  # type: ignore[no-untyped-def]
    fused, _, _ = ferry_story
    joined = [q for q in fused.quotes if "not the end of our work" in q.text]
    assert joined and "justice they were owed" in joined[0].text
    assert fused.check["passed"] == fused.check["checked"], fused.check["failures"]


def test_a_role_conflict_about_one_person_is_found(ferry_story):  # type: ignore[no-untyped-def]
    fused, _, _ = ferry_story
    titles = [c for c in fused.conflicts if c.slot == "title" and c.about == "Dana Whitfield"]
    assert titles
    values = {v.value for v in titles[0].values}
    assert any("aide" in v for v in values) and any("chief of staff" in v for v in values)


def test_disputed_counts_are_a_conflict_not_a_consensus(ferry_story):  # type: ignore[no-untyped-def]
    fused, articles, _ = ferry_story
    assert any(c.slot == "number" and {v.value for v in c.values} == {"31 passengers", "27 passengers"}
               for c in fused.conflicts)
    for sentence in fused.summary:
        assert not disputed_citations(sentence, fused.conflicts, articles), sentence.text
        if sentence.kind == "consensus":
            assert "31" not in sentence.text and "27" not in sentence.text


def test_a_fact_whose_outlets_dispute_a_title_names_who_says_what(ferry_story):  # type: ignore[no-untyped-def]
    fused, articles, by_outlet = ferry_story
    disputed = [f for f in fused.facts if f.disputed and "Whitfield" in f.text]
    assert disputed and disputed[0].conflicts
    framed = [s for s in fused.summary if s.kind == "disputed"]
    assert framed and all(f"{outlet} says" in framed[0].text for outlet in by_outlet if by_outlet[outlet] in framed[0].articles)
    assert not any(s.kind == "consensus" and "Whitfield" in s.text for s in fused.summary)
