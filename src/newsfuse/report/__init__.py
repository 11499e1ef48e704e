"""serve stage, reports: a fused story as JSON (the README contract), Markdown, or one self-contained HTML page."""

from __future__ import annotations

import json
from urllib.parse import quote
from collections.abc import Mapping, Sequence
from typing import Any

from newsfuse.models import Article, Fact, FusedStory, to_dict
from newsfuse.text.quoting import shown_cue, with_speaker
from newsfuse.text.spans import TITLE_PART
from newsfuse.report.html import render_html, render_index

__all__ = ["FORMATS", "render", "render_html", "render_index", "render_json", "render_markdown", "story_json"]

FORMATS = ("json", "md", "html")
# URL characters left as they are in a Markdown autolink (RFC 3986 reserved and unreserved, and %);
# everything else, <, >, quotes, backticks and spaces among it, is percent-encoded.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def story_json(fused: FusedStory) -> dict[str, Any]:
    """The story as the JSON contract of README.md (extra fields may be added, never renamed)."""
    return to_dict(fused)


def render_json(fused: FusedStory) -> str:
    return json.dumps(story_json(fused), indent=2, ensure_ascii=False)


def render(fused: FusedStory, fmt: str, articles: Mapping[str, Article] | None = None) -> str:
    """The report in one of FORMATS."""
    if fmt == "json":
        return render_json(fused)
    if fmt == "md":
        return render_markdown(fused)
    if fmt == "html":
        return render_html(fused, articles or {})
    raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def _outlet_index(fused: FusedStory) -> dict[str, int]:
    return {a["id"]: i + 1 for i, a in enumerate(fused.articles)}


def _cite(ids: Sequence[str], number: dict[str, int]) -> str:
    return "".join(f"[{number[i]}]" for i in sorted(set(ids), key=lambda i: number.get(i, 0)) if i in number)


def _headline_note(fact: Fact, number: dict[str, int]) -> str:
    """" (headline only: [3])" when some sources state the fact only in a headline (an article without a body)."""
    ids = [s.article for s in fact.sources if s.part == TITLE_PART]
    return f" (headline only: {_cite(ids, number)})" if ids else ""


# How much of a conflict's subject (a name, or the statement it is about) a Markdown line shows.
ABOUT_CHARS = 80


def _clip(text: str, limit: int) -> str:
    """The text up to `limit` characters, cut between words and marked "…" when cut: a cut inside a word
    ("a team o") reads as garbled text."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > 0 else limit].rstrip(" ,;:") + "…"


def _md(text: str) -> str:
    """Markdown-escape untrusted text (outlet text may hold *, _, [, <)."""
    for char in "\\`*_{}[]<>#|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def _md_url(url: str) -> str:
    """A source URL as a Markdown autolink when it is http(s), with every character that could end the
    link or open HTML percent-encoded; any other scheme (javascript:, data:) as escaped text."""
    url = url.strip()
    if url.lower().startswith(("http://", "https://")):
        return "<" + quote(url, safe=URL_SAFE) + ">"
    return _md(url)


def render_markdown(fused: FusedStory) -> str:
    """A readable report: summary with citations, facts by status, conflicts, quotes, framing, timeline, sources."""
    number = _outlet_index(fused)
    outlet = {a["id"]: a.get("outlet") or a["id"] for a in fused.articles}
    lines = [f"# {_md(fused.title)}", "", f"{len(fused.articles)} articles from "
             f"{len({outlet[i] for i in outlet})} outlets.", "", "## Summary", ""]
    lines += [f"- {_md(s.text)} {_cite(s.articles, number)}" for s in fused.summary] or ["(no summary)"]
    lines.append("")
    if fused.conflicts:  # what is contested comes before what is agreed
        lines += ["## Where outlets differ", ""]
        for c in fused.conflicts:
            values = "; ".join(f"“{_md(v.value)}” {_cite(v.articles, number)}" for v in c.values)
            note = " (spelling variants of one name)" if c.kind == "spelling" else ""
            lines.append(f"- **{_md(c.slot)}** of {_md(_clip(c.about, ABOUT_CHARS))}{note}: {values}")
        lines.append("")
    lines += ["## Facts", ""]
    for label, status in (("Reported by all outlets", "all"), ("Reported by some", "some"), ("Reported by one", "one")):
        facts = sorted((f for f in fused.facts if f.status == status), key=lambda f: not f.disputed)
        if facts:
            lines += [f"### {label}", ""]
            lines += [f"- {_md(with_speaker(f.text, f.speaker))} {_cite([s.article for s in f.sources], number)}"
                      + _headline_note(f, number)
                      + (" (copies of one report: one source)" if f.copies else "")
                      # The disputed articles give the values in conflict (often the fact's own sources):
                      # "disputed by" them read as if they contradicted the fact.
                      + (f" **disputed**: conflicting values in {_cite(f.disputed, number)}" if f.disputed else "")
                      for f in facts]
            lines.append("")
    if fused.quotes:
        lines += ["## Who said what", ""]
        for q in fused.quotes:
            # Reported speech names its verb: "denied" and "said" put opposite claims on the same words.
            cue = shown_cue(q.cue)
            how = "quote" if q.direct else "reported speech" + (f": {_md(cue)}" if cue else "")
            if q.speaker_type == "SOURCE":  # "the statement", "the suit": words of a document, no one speaking
                how += "; a document, not a speaker"
            lines.append(f"- **{_md(q.speaker)}** ({how}): “{_md(q.text)}” {_cite(q.articles, number)}")
        lines.append("")
    if fused.framing:
        lines += ["## How each outlet names the actors", ""]
        for f in fused.framing:
            lines.append(f"- **{_md(f.actor)}**: " + "; ".join(
                f"{_md(o)}: {', '.join(_md(p) for p in phrases)}" for o, phrases in f.by_outlet.items()))
        lines.append("")
    if fused.timeline:
        lines += ["## Timeline", ""]
        lines += [f"- {_md(t.date)}: {_md(t.text)} {_cite(t.articles, number)}" for t in fused.timeline]
        lines.append("")
    lines += ["## Sources", ""]
    for a in fused.articles:
        lines.append(f"{number[a['id']]}. {_md(a.get('outlet') or '?')}, {_md(a.get('published') or 'undated')}: "
                     f"{_md(a.get('title') or '')}" + (" (headline only)" if a.get("headline_only") else "")
                     + (f" {_md_url(a['url'])}" if a.get("url") else ""))
    return "\n".join(lines) + "\n"
