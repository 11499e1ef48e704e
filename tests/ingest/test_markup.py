"""HTML fragments (feed content, JSONL fields) to paragraphs."""

from __future__ import annotations

from newsfuse.ingest.markup import fragment_text, looks_like_html


def test_blocks_and_line_breaks_become_paragraphs():
    html = "<p>First  paragraph\n spans lines.</p><div>Second<br>Third</div><ul><li>Fourth</li></ul>"
    assert fragment_text(html) == "First paragraph spans lines.\n\nSecond\n\nThird\n\nFourth"


def test_scripts_and_styles_go_but_the_text_after_them_stays():
    html = "<p>Before<script>track()</script> after.</p><style>p{}</style><p>Last.</p>"
    assert fragment_text(html) == "Before after.\n\nLast."


def test_inline_markup_keeps_its_words_together():
    assert fragment_text("<p>The <b>council</b> voted <a href='#'>7-2</a>.</p>") == "The council voted 7-2."


def test_prose_with_a_less_than_sign_is_not_html():
    assert not looks_like_html("Turnout was <50% in the north, officials said.")
    assert looks_like_html("<p>Turnout was low.</p>")


def test_a_control_character_in_a_fragment_is_dropped_not_a_crash():
    """Found by bench/fuzz.py: lxml cannot hold a control character and raised ValueError."""
    assert fragment_text("<p>Ferry \x01service\x1b resumes</p>") == "Ferry service resumes"
