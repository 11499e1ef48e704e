"""One self-contained HTML page per fused story (no server, no external assets; all text escaped).

The fact × outlet heatmap is a CSS grid: one row per fact, one column per outlet, a filled cell where
the outlet reports the fact (coloured by the fact's status), each cell's tooltip the outlet's words. A
cell whose outlet gives a disputed value is hatched in the conflict colour and marked "!", never shown
as agreement; disputed facts come first, and the conflicts table comes before the heatmap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from newsfuse.models import Article, FusedStory, SourceSpan
from newsfuse.text.quoting import shown_cue, with_speaker
from newsfuse.text.spans import TITLE_PART, part_text

STATUS_COLOURS = {"all": "#1b7f3b", "some": "#d08a00", "one": "#3864c4"}
STATUS_LABELS = {"all": "all outlets", "some": "some outlets", "one": "one outlet"}
DISPUTED_COLOUR = "#c0392b"

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#1d1d1f}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{border-bottom:1px solid #ddd;margin-top:2rem;font-size:1.2rem}
.muted{color:#666}.cite a{font-size:.8em;text-decoration:none;margin-left:.15em}
.legend span{display:inline-block;margin-right:1rem}.sw{width:.9em;height:.9em;display:inline-block;border-radius:2px;vertical-align:middle;margin-right:.3em}
.heat{display:grid;gap:2px;align-items:stretch;font-size:.9em}
.heat .h{font-weight:600;writing-mode:horizontal-tb;padding:.2rem;text-align:center;background:#f3f3f5}
.heat .f{padding:.25rem .4rem;background:#fafafa}
.heat .c{min-height:1.6em;border-radius:2px;background:#eee}
.heat .c.on{cursor:help}.heat .c.no-body{background:repeating-linear-gradient(45deg,#f4f4f4,#f4f4f4 4px,#e6e6e6 4px,#e6e6e6 8px)}
details{margin:.2rem 0}summary{cursor:pointer}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.8rem;border-left:3px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3rem .5rem;vertical-align:top;text-align:left}
.loaded{background:#ffe3e0;border-radius:3px;padding:0 .2em}
.headline-only{font-size:.8em;border:1px solid #999;border-radius:3px;padding:0 .3em;color:#555}
.tl{list-style:none;padding-left:0}.tl li{border-left:3px solid #3864c4;padding:.2rem .8rem;margin:.3rem 0}
.tag{font-size:.75em;border-radius:3px;padding:0 .35em;color:#fff}
.heat .c.disputed{background:repeating-linear-gradient(45deg,#c0392b,#c0392b 4px,#e67e73 4px,#e67e73 8px)!important;color:#fff;text-align:center;font-weight:700}
"""


def _e(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links: an outlet-controlled javascript: URL must never become a link."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


class _Page:
    def __init__(self, fused: FusedStory, articles: Mapping[str, Article]) -> None:
        self.fused = fused
        self.articles = articles
        self.number = {a["id"]: i + 1 for i, a in enumerate(fused.articles)}
        self.outlet_of = {a["id"]: a.get("outlet") or a["id"] for a in fused.articles}
        self.outlets = list(dict.fromkeys(self.outlet_of.values()))
        # Outlets whose every article is a headline without a body: an empty cell there is no omission.
        bodies = {self.outlet_of[a["id"]] for a in fused.articles if not a.get("headline_only")}
        self.headline_outlets = set(self.outlets) - bodies

    def cite(self, ids: Sequence[str]) -> str:
        refs = "".join(f'<a href="#src{self.number[i]}" title="{_e(self.outlet_of[i])}">[{self.number[i]}]</a>'
                       for i in sorted(set(ids), key=lambda i: self.number.get(i, 0)) if i in self.number)
        return f'<span class="cite">{refs}</span>'

    def span_text(self, span: SourceSpan) -> str:
        article = self.articles.get(span.article)
        return part_text(article.title, article.text, span.part, span.start, span.end) if article else ""


def render_html(fused: FusedStory, articles: Mapping[str, Article]) -> str:
    """The whole page; `articles` (id -> Article) supplies the sentences shown under each fact."""
    page = _Page(fused, articles)
    parts = [
        f"<h1>{_e(fused.title)}</h1>",
        f'<p class="muted">{len(fused.articles)} articles · {len(page.outlets)} outlets: {_e(", ".join(page.outlets))}</p>',
        _summary(page), _conflicts(page), _heatmap(page), _quotes(page), _framing(page), _timeline(page), _sources(page),
    ]
    return _document(fused.title, "\n".join(p for p in parts if p))


def _document(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


def _summary(page: _Page) -> str:
    items = "".join(f"<li>{_e(s.text)} {page.cite(s.articles)}</li>" for s in page.fused.summary)
    return f"<h2>Summary</h2><ul>{items or '<li class=muted>No sentence passed the faithfulness check.</li>'}</ul>"


def _heatmap(page: _Page) -> str:
    """Rows facts, columns outlets: the fact × outlet matrix as a picture."""
    cols = f"grid-template-columns:minmax(18rem,3fr) repeat({len(page.outlets)},minmax(4.5rem,1fr))"
    cells = ['<div class="h">Fact</div>'] + [f'<div class="h">{_e(o)}</div>' for o in page.outlets]
    facts = sorted(page.fused.facts, key=lambda f: not f.disputed)  # what is contested first
    for fact in facts:
        colour = STATUS_COLOURS.get(fact.status, "#888")
        disputed_outlets = {page.outlet_of.get(a, a) for a in fact.disputed}
        words: dict[str, list[str]] = {o: [] for o in page.outlets}
        headline: set[str] = set()  # outlets that state the fact in a headline
        for s in fact.sources:
            outlet = page.outlet_of.get(s.article, s.article)
            words[outlet].append(page.span_text(s))
            if s.part == TITLE_PART:
                headline.add(outlet)
        details = "".join(f"<blockquote>{_e(t)} <span class=muted>({_e(o)}{', headline only' if o in headline else ''})</span></blockquote>"
                          for o, texts in words.items() for t in texts)
        tag = f'<span class="tag" style="background:{colour}">{STATUS_LABELS.get(fact.status, fact.status)}</span>'
        if fact.disputed:
            refs = " ".join(f'<a href="#conflict{k + 1}">#{k + 1}</a>' for k in fact.conflicts)
            tag += f' <span class="tag" style="background:{DISPUTED_COLOUR}">disputed</span> {refs}'
        if fact.copies:
            copied = sum(len(group) for group in fact.copies)
            tag += f' <span class="muted">({copied} articles copy one report: one source)</span>'
        cells.append(f'<div class="f" id="{_e(fact.id)}"><details><summary>{_e(with_speaker(fact.text, fact.speaker))} {tag}</summary>{details}</details></div>')
        for outlet in page.outlets:
            if words[outlet] and outlet in disputed_outlets:
                tip = "disputed value: " + " | ".join(words[outlet])
                cells.append(f'<div class="c on disputed" title="{_e(tip)}" '
                             f'aria-label="{_e(outlet)} reports this with a disputed value">!</div>')
            elif words[outlet]:
                tip = ("headline only: " if outlet in headline else "") + " | ".join(words[outlet])
                how = " in its headline" if outlet in headline else ""
                cells.append(f'<div class="c on" style="background:{colour}" title="{_e(tip)}" aria-label="{_e(outlet)} reports this{how}"></div>')
            elif outlet in page.headline_outlets:
                cells.append('<div class="c no-body" title="headline only: no body to report this" '
                             'aria-label="headline only: no body, not counted as leaving this out"></div>')
            else:
                cells.append('<div class="c" aria-label="not reported"></div>')
    legend = "".join(f'<span><i class="sw" style="background:{c}"></i>{STATUS_LABELS[s]}</span>' for s, c in STATUS_COLOURS.items())
    legend += f'<span><i class="sw" style="background:{DISPUTED_COLOUR}"></i>! disputed value</span>'
    if page.headline_outlets:
        legend += '<span><i class="sw" style="background:#e6e6e6"></i>headline only: no body, not counted as leaving a fact out</span>'
    return (f"<h2>Facts × outlets</h2><p class=\"legend\">{legend}<span class=muted>Click a fact for each outlet's words.</span></p>"
            f'<div class="heat" style="{cols}">{"".join(cells)}</div>')


def _conflicts(page: _Page) -> str:
    if not page.fused.conflicts:
        return ""
    rows = []
    for k, c in enumerate(page.fused.conflicts):
        values = "<br>".join(f"“{_e(v.value)}” {page.cite(v.articles)}" for v in c.values)
        note = " <span class=muted>(spelling variants of one name)</span>" if c.kind == "spelling" else ""
        rows.append(f'<tr id="conflict{k + 1}"><td>#{k + 1} {_e(c.slot)}</td><td>{_e(c.about)}{note}</td><td>{values}</td></tr>')
    return f"<h2>Where outlets differ</h2><table><tr><th>slot</th><th>about</th><th>values</th></tr>{''.join(rows)}</table>"


def _quotes(page: _Page) -> str:
    if not page.fused.quotes:
        return ""
    by_speaker: dict[str, list[str]] = {}
    for q in page.fused.quotes:
        cue = shown_cue(q.cue)
        kind = ("direct quote" if q.direct else "reported speech" + (f": {_e(cue)}" if cue else "")) + (" · a document, not a speaker" if q.speaker_type == "SOURCE" else "")
        carried = f"verbatim in {len(q.verbatim)}" + (f", paraphrased in {len(q.paraphrased)}" if q.paraphrased else "")
        only = " · <b>one outlet only</b>" if len({page.outlet_of.get(a) for a in q.articles}) == 1 else ""
        by_speaker.setdefault(q.speaker, []).append(
            f"<blockquote>{'“' if q.direct else ''}{_e(q.text)}{'”' if q.direct else ''} {page.cite(q.articles)}"
            f"<br><span class=muted>{kind} · {carried}{only}</span></blockquote>")
    blocks = "".join(f"<h3>{_e(speaker)}</h3>{''.join(items)}" for speaker, items in by_speaker.items())
    return f"<h2>Who said what</h2>{blocks}"


def _framing(page: _Page) -> str:
    if not page.fused.framing:
        return ""
    head = "".join(f"<th>{_e(o)}</th>" for o in page.outlets)
    rows = []
    for f in page.fused.framing:
        cells = []
        for outlet in page.outlets:
            loaded = set(f.loaded.get(outlet, ()))
            phrases = [_mark_loaded(p, loaded) for p in f.by_outlet.get(outlet, ())]
            cells.append(f"<td>{'<br>'.join(phrases)}</td>")
        rows.append(f"<tr><td><b>{_e(f.actor)}</b></td>{''.join(cells)}</tr>")
    return (f"<h2>How each outlet names the actors</h2><p class=muted>Loaded words are <span class=loaded>marked</span>.</p>"
            f"<table><tr><th>actor</th>{head}</tr>{''.join(rows)}</table>")


def _mark_loaded(phrase: str, loaded: set[str]) -> str:
    words = []
    for word in phrase.split(" "):
        bare = word.strip(".,;:'’\"“”()")
        words.append(f'<span class="loaded">{_e(word)}</span>' if bare in loaded else _e(word))
    return " ".join(words)


def _timeline(page: _Page) -> str:
    if not page.fused.timeline:
        return ""
    items = "".join(f"<li><b>{_e(t.date)}</b> {_e(t.text)} {page.cite(t.articles)}</li>" for t in page.fused.timeline)
    return f'<h2>Timeline</h2><ul class="tl">{items}</ul>'


def _sources(page: _Page) -> str:
    items = []
    for a in page.fused.articles:
        url = _safe_url(a.get("url"))
        title = f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(a.get("title"))}</a>' if url else _e(a.get("title"))
        headline = ' <span class="headline-only">headline only</span>' if a.get("headline_only") else ""
        items.append(f'<li id="src{page.number[a["id"]]}">{_e(a.get("outlet") or "?")}, '
                     f'{_e(a.get("published") or "undated")}: {title}{headline} <span class=muted>({_e(a["id"])})</span></li>')
    return f"<h2>Sources</h2><ol>{''.join(items)}</ol>"


def render_index(entries: Sequence[tuple[FusedStory, str]], title: str = "newsfuse stories") -> str:
    """An index page linking each story's report (entries: fused story, relative link)."""
    items = []
    for fused, link in entries:
        outlets = sorted({a.get("outlet") or "?" for a in fused.articles})
        counts = {s: sum(1 for f in fused.facts if f.status == s) for s in STATUS_COLOURS}
        items.append(f'<li><a href="{_e(link)}">{_e(fused.title)}</a> <span class=muted>· {len(fused.articles)} articles'
                     f' · {_e(", ".join(outlets))} · facts: {counts["all"]} all / {counts["some"]} some / {counts["one"]} one</span></li>')
    return _document(title, f"<h1>{_e(title)}</h1><ul>{''.join(items) or '<li>No story has two or more articles yet.</li>'}</ul>")
