"""Rebuild a FusedStory from its stored JSON (the README contract), for reports of stored stories."""

from __future__ import annotations

from typing import Any

from newsfuse.models import (
    Conflict, ConflictValue, Fact, Framing, FramingMention, FusedStory, SourceSpan, StoryEntity, StoryQuote,
    SummarySentence, TimelineEntry,
)


def _spans(items: list[dict[str, Any]] | None) -> tuple[SourceSpan, ...]:
    return tuple(SourceSpan(**s) for s in items or ())


def fused_from_dict(data: dict[str, Any]) -> FusedStory:
    """The inverse of `models.to_dict` for a FusedStory; unknown extra keys are ignored."""
    return FusedStory(
        id=data["id"], title=data["title"], articles=tuple(data.get("articles", ())),
        facts=tuple(Fact(f["id"], f["text"], f["status"], _spans(f.get("sources")), tuple(f.get("outlets", ())),
                         f.get("independent_sources", 0), tuple(tuple(c) for c in f.get("copies", ())),
                         tuple(f.get("disputed", ())), tuple(f.get("conflicts", ())), f.get("speaker", ""))
                    for f in data.get("facts", ())),
        conflicts=tuple(Conflict(c["slot"], tuple(ConflictValue(v["value"], tuple(v["articles"])) for v in c["values"]),
                                 c.get("about", ""), c.get("kind", ""), tuple(c.get("facts", ()))) for c in data.get("conflicts", ())),
        quotes=tuple(StoryQuote(q["speaker"], q["text"], q["direct"], tuple(q["articles"]), tuple(q.get("verbatim", ())),
                                tuple(q.get("paraphrased", ())), _spans(q.get("sources")), tuple(q.get("variants", ())),
                                q.get("speaker_type", ""), q.get("cue", ""))
                     for q in data.get("quotes", ())),
        entities=tuple(StoryEntity(e["name"], e["type"], tuple(e["aliases"]), tuple(e["articles"]))
                       for e in data.get("entities", ())),
        framing=tuple(Framing(f["actor"], {o: tuple(p) for o, p in f["by_outlet"].items()},
                              tuple(FramingMention(**m) if "loaded" not in m else FramingMention(**{**m, "loaded": tuple(m["loaded"])})
                                    for m in f.get("mentions", ())),
                              {o: tuple(w) for o, w in f.get("loaded", {}).items()})
                      for f in data.get("framing", ())),
        timeline=tuple(TimelineEntry(t["date"], t["text"], tuple(t["articles"]), _spans(t.get("sources")),
                                     t.get("precision", "day")) for t in data.get("timeline", ())),
        summary=tuple(SummarySentence(s["text"], tuple(s["articles"]), s.get("kind", ""), _spans(s.get("sources")))
                      for s in data.get("summary", ())),
        fuser=data.get("fuser", ""), check=data.get("check", {}),
    )
