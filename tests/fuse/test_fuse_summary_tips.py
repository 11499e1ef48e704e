"""A call for tips, and a speaker's own words printed outside quotation marks, are never summary sentences
(written for the project)."""

from __future__ import annotations

from newsfuse.fuse.summary import _usable
from newsfuse.models import Fact, SourceSpan


def _fact(text: str) -> Fact:
    return Fact(id="f", text=text, status="all", sources=(SourceSpan("a", 0, 0, len(text)),))


def test_a_call_for_tips_is_no_summary_sentence() -> None:
    assert not _usable(_fact("Anyone with information is asked to call Crime Stoppers at (555) 673-7373."))
    assert not _usable(_fact("Residents who saw the van are urged to contact the Northgate police station."))
    assert not _usable(_fact("If you know anything, call the Harbor Daily tip line at 555-528-CASH."))


def test_a_statement_with_numbers_stays_usable() -> None:
    assert _usable(_fact("Police said the victim, 34, was shot at 9 p.m. on Saturday on Marlowe Avenue."))
    assert _usable(_fact("The crash on Route 9 injured 27 passengers, two of them seriously."))


def test_a_speakers_own_words_outside_quotation_marks_are_no_summary_sentence() -> None:
    assert not _usable(_fact("During the campaign I promised a new bridge that would carry the ring road."))
    assert not _usable(_fact("We will rebuild every school in the valley before the winter comes."))


def test_first_person_words_inside_a_quotation_stay_usable() -> None:
    assert _usable(_fact("“We will rebuild every school,” Governor Ilse Marr told reporters on Monday."))
    assert _usable(_fact("The US Navy said the frigate Orla had reached the port of Tavrosk on Monday."))
