"""Page models for the story page, built from what api.story_view returns: heatmap rows with disputed cells,
conflicts beside the facts they touch, articles cut into fact-marked pieces, a timeline chart.

Tolerant of fused accounts older or newer than this code: a field it does not know is ignored, one it
expects and does not find is derived or left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from newsfuse.text.quoting import shown_cue, with_speaker

# Timeline chart size in SVG user units (scaled to the page width by CSS).
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 600, 70, 30


def article_link(article_id: str, start: int | None = None, end: int | None = None) -> str:
    """The article page, with the span highlighted when one is given."""
    if start is None or end is None:
        return f"/articles/{article_id}"
    return f"/articles/{article_id}?hl={int(start)}-{int(end)}#hl"


def entity_names(view: dict[str, Any]) -> set[str]:
    """Every name the story page could link to an entity page: speakers, framing actors, entities."""
    fused = view.get("fused") or {}
    names = {q.get("speaker") for q in fused.get("quotes", []) if isinstance(q, dict)}
    names |= {f.get("actor") for f in fused.get("framing", []) if isinstance(f, dict)}
    names |= {e.get("name") for e in fused.get("entities", []) if isinstance(e, dict)}
    return {str(n) for n in names if n}


def story_page(view: dict[str, Any], linked: set[str] | None = None) -> dict[str, Any]:
    """Everything story.html needs, from api.story_view's dict; `linked` holds the names that have an entity
    page (all of them when not given): a name without one is shown as text, never as a link to "not found"."""
    fused = view.get("fused") or {}
    texts = view.get("texts", {})
    articles = list(fused.get("articles") or view.get("articles") or [])
    outlet_of = {a["id"]: a.get("outlet") or "unknown outlet" for a in articles}
    outlets = list(dict.fromkeys(outlet_of.values()))
    number = {a["id"]: i + 1 for i, a in enumerate(articles)}
    facts = [f for f in fused.get("facts", []) if isinstance(f, dict)]
    conflicts = [c for c in fused.get("conflicts", []) if isinstance(c, dict)]
    disputed, touches = _disputes(facts, conflicts, texts)
    # Outlets whose every article is a headline without a body: an empty cell there is no omission.
    no_body = set(outlets) - {outlet_of[a["id"]] for a in articles if not a.get("headline_only")}
    rows = [_row(f, i, outlets, outlet_of, disputed, touches, no_body) for i, f in enumerate(facts)]
    rows.sort(key=lambda r: not r["disputed"])  # disputed facts first: a reader sees what is contested first
    cover_by_outlet = {c["outlet"]: c for c in view.get("coverage", [])}
    for row in rows:
        cover = [cover_by_outlet.get(o, {"outlet": o, "country": None, "kind": None, "lean": None}) for o in row["outlets"]]
        # An outlet with no body that does not state the fact says nothing about who left it out.
        among = [c for o, c in cover_by_outlet.items() if o not in no_body or o in row["outlets"]]
        row["only"] = _fact_blindspot(cover, among)
    return {
        "outlets": outlets, "number": number, "outlet_of": outlet_of, "rows": rows,
        "conflicts": [_conflict(c, i, outlet_of, touches, rows) for i, c in enumerate(conflicts)],
        "summary": [_cited(s, number, outlet_of) for s in fused.get("summary", []) if isinstance(s, dict)],
        "quotes": _quotes(fused.get("quotes", []), number, outlet_of),
        "framing": [f for f in fused.get("framing", []) if isinstance(f, dict)],
        "timeline": [_cited(t, number, outlet_of) for t in fused.get("timeline", []) if isinstance(t, dict)],
        "chart": _chart(fused.get("timeline", [])),
        "entities": [e for e in fused.get("entities", []) if isinstance(e, dict)],
        "columns": [_column(texts[a["id"]], outlet_of.get(a["id"], "unknown outlet"), facts)
                    for a in articles if a["id"] in texts],
        "sources": [{**a, "n": number[a["id"]], "outlet": outlet_of[a["id"]]} for a in articles],
        "linked": entity_names(view) if linked is None else linked,
    }


def _fact_blindspot(cover: list[dict[str, Any]], among: list[dict[str, Any]]) -> str | None:
    from newsfuse.api import covered_only_by

    # A fact one outlet reports is covered by one country and kind by definition: only a fact that several
    # outlets report, all alike where the story's outlets are not, is a blindspot worth a line.
    return covered_only_by(cover, among) if len(cover) > 1 and len(among) > len(cover) else None


def _span_text(texts: dict[str, Any], source: dict[str, Any]) -> str:
    """The words of a source span: into the title for a headline's span (`part` "title"), else the text."""
    article = texts.get(source.get("article"))
    if not article:
        return ""
    whole = article.get("title") or "" if source.get("part") == "title" else article["text"]
    return whole[source.get("start", 0):source.get("end", 0)]


def _disputes(facts: list[dict[str, Any]], conflicts: list[dict[str, Any]],
              texts: dict[str, Any]) -> tuple[set[tuple[int, str]], dict[int, set[int]]]:
    """(fact index, article id) cells that state a disputed value, and fact index -> conflicts it touches.

    A fact that names its conflicts (the `conflicts` list fusion gives, empty when none) is taken at its word,
    as the HTML report takes it: guessing from the words would dispute "chair of the DNC" over a conflict on
    another man's title ("chair" / "chairman"). Only an older account without the field is guessed: a cell is
    disputed when the article's span states one of a conflict's values."""
    disputed: set[tuple[int, str]] = set()
    touches: dict[int, set[int]] = {}
    for i, fact in enumerate(facts):
        named = fact.get("conflicts")
        if isinstance(named, list):
            for ref in named:
                index = ref if isinstance(ref, int) else next(
                    (k for k, c in enumerate(conflicts) if c.get("id") == ref), None)
                if index is not None and 0 <= index < len(conflicts):
                    touches.setdefault(i, set()).add(index)
        else:
            _guess_disputes(i, fact, conflicts, texts, disputed, touches)
        if fact.get("disputed") is True and i in touches:
            disputed |= {(i, s.get("article")) for s in fact.get("sources", [])}
        elif isinstance(fact.get("disputed"), list):  # fusion names the articles caught in the dispute
            disputed |= {(i, article) for article in fact["disputed"]}
    return disputed, touches


def _guess_disputes(i: int, fact: dict[str, Any], conflicts: list[dict[str, Any]], texts: dict[str, Any],
                    disputed: set[tuple[int, str]], touches: dict[int, set[int]]) -> None:
    """For a fact without fusion's `conflicts`: its cells whose span states one of a conflict's values."""
    for k, conflict in enumerate(conflicts):
        if conflict.get("kind") == "spelling":  # two spellings of one name dispute nothing a fact states
            continue
        for value in conflict.get("values", []):
            needle = str(value.get("value", "")).strip().lower()
            if len(needle) < 2:
                continue
            for source in fact.get("sources", []):
                if source.get("article") in value.get("articles", []) and needle in _span_text(texts, source).lower():
                    disputed.add((i, source["article"]))
                    touches.setdefault(i, set()).add(k)


def _row(fact: dict[str, Any], index: int, outlets: list[str], outlet_of: dict[str, str],
         disputed: set[tuple[int, str]], touches: dict[int, set[int]], no_body: set[str]) -> dict[str, Any]:
    cells: dict[str, dict[str, Any]] = {}
    for source in fact.get("sources", []):
        outlet = outlet_of.get(source.get("article"), "unknown outlet")
        headline = source.get("part") == "title"  # stated in a headline: the link opens the article, no highlight
        if outlet not in cells:
            cells[outlet] = {"article": source["article"], "disputed": (index, source["article"]) in disputed,
                             "href": article_link(source["article"]) if headline else
                             article_link(source["article"], source.get("start"), source.get("end")),
                             "headline": headline}
        elif (index, source["article"]) in disputed:
            cells[outlet]["disputed"] = True
    fact_id = str(fact.get("id") or f"f{index}")
    return {"id": fact_id, "text": with_speaker(fact.get("text", ""), fact.get("speaker") or ""), "status": fact.get("status", "one"),
            "cells": [cells.get(o) or ({"no_body": True} if o in no_body else None) for o in outlets],
            "outlets": [o for o in outlets if o in cells],
            "disputed": bool(touches.get(index)), "conflicts": sorted(touches.get(index, ())), "index": index,
            "copies": fact.get("copies") or []}


def _conflict(conflict: dict[str, Any], index: int, outlet_of: dict[str, str], touches: dict[int, set[int]],
              rows: list[dict[str, Any]]) -> dict[str, Any]:
    values = [{"value": v.get("value", ""), "outlets": sorted({outlet_of.get(a, "unknown outlet") for a in v.get("articles", [])}),
               "articles": list(v.get("articles", []))} for v in conflict.get("values", [])]
    facts = [r["id"] for r in rows if index in r["conflicts"]]
    return {"slot": conflict.get("slot", ""), "about": conflict.get("about", ""), "kind": conflict.get("kind", ""),
            "choices": values, "facts": facts, "index": index}


def _cited(item: dict[str, Any], number: dict[str, int], outlet_of: dict[str, str]) -> dict[str, Any]:
    """An item with citations: one per article, linking to its first cited span in that article."""
    spans = {}
    for source in item.get("sources", []) or []:
        spans.setdefault(source.get("article"), source)
    cites = []
    for article_id in sorted(set(item.get("articles", [])), key=lambda a: number.get(a, 0)):
        if article_id not in number:
            continue
        span = spans.get(article_id, {})
        cites.append({"n": number[article_id], "outlet": outlet_of.get(article_id, ""),
                      "href": article_link(article_id, span.get("start"), span.get("end"))})
    return {**item, "cites": cites}


def _quotes(quotes: list[Any], number: dict[str, int], outlet_of: dict[str, str]) -> list[dict[str, Any]]:
    by_speaker: dict[str, list[dict[str, Any]]] = {}
    documents: set[str] = set()
    for quote in quotes:
        if isinstance(quote, dict):
            speaker = quote.get("speaker") or "unnamed"
            cited = _cited(quote, number, outlet_of)
            cited["cue"] = shown_cue(quote.get("cue"))  # a cue of punctuation alone names no verb
            by_speaker.setdefault(speaker, []).append(cited)
            if quote.get("speaker_type") == "SOURCE":  # "the statement", "the suit": words of a document
                documents.add(speaker)
    return [{"speaker": speaker, "quotes": items, "document": speaker in documents} for speaker, items in by_speaker.items()]


def _column(article: dict[str, Any], outlet: str, facts: list[dict[str, Any]]) -> dict[str, Any]:
    """An article's text as paragraphs of pieces, each piece marked with the ids of the facts covering it."""
    spans = [(int(s.get("start", 0)), int(s.get("end", 0)), str(f.get("id") or f"f{i}"), s.get("part") == "title")
             for i, f in enumerate(facts) for s in f.get("sources", []) if s.get("article") == article["id"]]
    text = [(s, e, name) for s, e, name, title in spans if not title]
    headline = [(s, e, name) for s, e, name, title in spans if title]
    return {**article, "outlet": outlet, "paragraphs": marked_paragraphs(article["text"], text),
            "headline": marked_paragraphs(article.get("title") or "", headline) if article.get("headline_only") else []}


def marked_paragraphs(text: str, spans: list[tuple[int, int, str]]) -> list[list[dict[str, str]]]:
    """The text's paragraphs (split at blank lines) as pieces {text, marks}: `marks` names the spans
    (start, end, name) that cover the piece, space-separated, "" for none."""
    cuts = sorted({0, len(text), *(p for s, e, _ in spans for p in (s, e) if 0 <= p <= len(text))})
    paragraphs: list[list[dict[str, str]]] = [[]]
    for start, end in zip(cuts, cuts[1:]):
        marks = " ".join(sorted({name for s, e, name in spans if s <= start and end <= e}))
        for k, part in enumerate(text[start:end].split("\n\n")):
            if k:
                paragraphs.append([])
            if part:
                paragraphs[-1].append({"text": part, "marks": marks})
    return [p for p in paragraphs if p]


def _when(value: str) -> dt.date | None:
    for size, fmt in ((10, "%Y-%m-%d"), (7, "%Y-%m"), (4, "%Y")):
        try:
            return dt.datetime.strptime(str(value)[:size], fmt).date()
        except ValueError:
            continue
    return None


def _chart(timeline: list[Any]) -> dict[str, Any] | None:
    """Dots on a date axis, one per timeline entry (SVG coordinates; no script, no inline style)."""
    points = [(d, t) for t in timeline if isinstance(t, dict) for d in [_when(t.get("date", ""))] if d]
    if not points:
        return None
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    span = max((last - first).days, 1)
    usable = CHART_WIDTH - 2 * CHART_PAD
    dots = [{"x": round(CHART_PAD + usable * (d - first).days / span, 1), "y": CHART_HEIGHT / 2,
             "label": f"{t.get('date')}: {t.get('text', '')}"} for d, t in points]
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD, "dots": dots,
            "first": first.isoformat(), "last": last.isoformat()}
