"""A sentence cut from a longer quotation, read with its speaker (written for the project)."""

from __future__ import annotations

from newsfuse.text.quoting import has_inner_marks, with_speaker


def test_a_piece_of_a_quotation_gets_one_pair_of_marks_and_its_speaker() -> None:
    assert with_speaker('It should never have been built. "', "Karl Weber") == "Karl Weber: “It should never have been built.”"
    assert with_speaker("“ The bridge is unsafe.", "Karl Weber") == "Karl Weber: “The bridge is unsafe.”"
    assert with_speaker("The bridge is unsafe.", "") == "The bridge is unsafe."


def test_marks_inside_the_words_mean_the_words_carry_their_own_cue() -> None:
    assert has_inner_marks('“Donald,” he said, “you have shown resolve.”')
    assert not has_inner_marks('It should never have been built. "')
