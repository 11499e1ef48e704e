"""Embedded tweets: where a post's own words end (written for the project)."""

from __future__ import annotations

from newsfuse.text.social import post_words, words_end

TWEET = ("Second victim named as Ana Ruiz, 34, of Kestrelport https://t.co/Ab12Cd pic.twitter.com/Ef34Gh "
         "— Harbor TV (@HarborTV) March 9, 2025")


def test_a_tweets_words_end_before_its_links_and_signature() -> None:
    assert TWEET[:words_end(TWEET)] == "Second victim named as Ana Ruiz, 34, of Kestrelport"
    assert post_words(TWEET).split() == "Second victim named as Ana Ruiz, 34, of Kestrelport".split()


def test_a_line_with_no_signature_is_all_words() -> None:
    line = "Police said the victims were shot at 9 p.m. on March 8, 2025."
    assert words_end(line) == len(line) and post_words(line) is None


def test_a_signature_cut_off_on_its_own_has_no_words() -> None:
    assert words_end("— Harbor TV (@HarborTV) March 9, 2025") == 0
    assert words_end("Harbor Police (@HarborPD) March 9, 2025") == 0
