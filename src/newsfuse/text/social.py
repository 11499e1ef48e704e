"""Embedded social-media posts: the links, handles and "— Name (@handle) August 9, 2015" signature after a post's words."""

from __future__ import annotations

import re

# The signature an embedded tweet ends with: "— Name (@handle) August 9, 2015"; alone when a sentence splitter
# cut it off ("Name (@handle) July 8, 2015"). Every signature holds "(@", which most lines do not.
_SIGNATURE_BODY = (r"[^—–]{1,60}\(@\w{1,15}\)\s+(?:January|February|March|April|May|June|July|August|September|"
                   r"October|November|December)\s+\d{1,2},\s+\d{4}\.?\s*$")
TWEET_SIGNATURE = re.compile(r"\s[—–-]{1,2}\s*" + _SIGNATURE_BODY)
_SIGNATURE_ALONE = re.compile(r"^\s*[—–-]{0,2}\s*" + _SIGNATURE_BODY)
# Addresses, @handles and #tags inside a post, which say nothing a reader can use.
POST_TOKENS = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+|[@#]\S*")
# The run of addresses and handles before a signature (or at the end of a line): where a post's words end.
_LINK_TAIL = re.compile(r"(?:\s*(?:(?:https?://|pic\.twitter\.com/|www\.)\S+|@\w+\S*))+\s*$")


def post_words(line: str) -> str | None:
    """The words of a line that is an embedded tweet, without its links, handles and signature; None when the
    line carries no tweet signature."""
    signature = TWEET_SIGNATURE.search(line) if "(@" in line else None
    if signature is None:
        return None
    return POST_TOKENS.sub(" ", line[:signature.start()])


def words_end(line: str) -> int:
    """Where an embedded tweet's own words end in the line (before its trailing links and signature); the line's
    length when it is no tweet."""
    if "(@" not in line:
        return len(line)
    if _SIGNATURE_ALONE.match(line):
        return 0
    signature = TWEET_SIGNATURE.search(line)
    if signature is None:
        return len(line)
    before = line[:signature.start()]
    tail = _LINK_TAIL.search(before)
    return (tail.start() if tail else len(before.rstrip()))
