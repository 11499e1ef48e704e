"""HTML fragments (feed content, JSONL fields) to plain text, one paragraph per block, blank-line separated."""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

# A string is treated as HTML when it holds at least one of these tags; prose with a stray "<" is not.
HTML_TAG = re.compile(
    r"<(?:p|div|br|hr|html|body|article|section|span|a|h[1-6]|li|ul|ol|img|strong|em|b|i|table|"
    r"blockquote|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
FULL_PAGE = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)
BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "pre", "tr",
    "article", "section", "header", "footer", "dd", "dt", "table", "ul", "ol", "figure",
)
DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "svg", "form", "button", "template")
WHITESPACE = re.compile(r"\s+")
# Characters an lxml tree cannot hold (XML 1.0 forbids them): dropped before parsing, as the cleaner
# drops them later anyway (found by bench/fuzz.py: a feed entry with a control character crashed here).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def looks_like_html(text: str) -> bool:
    return bool(HTML_TAG.search(text[:20_000]))


def looks_like_full_page(text: str) -> bool:
    return bool(FULL_PAGE.search(text[:5_000]))


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment: blocks and <br> become paragraph breaks, scripts and styles go."""
    fragment = XML_INVALID.sub("", fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*DROP_TAGS)):
        _drop(element)
    for element in root.iter():
        if element.text:
            element.text = WHITESPACE.sub(" ", element.text)
        if element.tail:
            element.tail = WHITESPACE.sub(" ", element.tail)
    for element in root.iter(*BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    return paragraphs_text(root.text_content())


def paragraphs_text(text: str) -> str:
    """Non-empty lines, stripped, joined by blank lines (the form the clean stage expects)."""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _drop(element: lxml.html.HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
