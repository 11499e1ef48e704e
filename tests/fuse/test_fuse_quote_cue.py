"""A fused quote keeps the verb that frames it, and the reports show it beside reported speech: "denied"
and "said" put opposite claims on the same words (written for the project)."""

from __future__ import annotations

from newsfuse.models import Article
from newsfuse.report import render
from tests.fuse.conftest import _fuse


def _article(key: str, outlet: str, text: str) -> Article:
    return Article(id=key, title="Harbour dock closed", text=text, paragraphs=(text,), outlet=outlet,
                   outlet_found_by="field", published="2026-05-13", published_found_by="field", language="en")


def test_a_denial_is_shown_as_a_denial() -> None:
    articles = [
        _article("a", "Danube Courier", "The north dock of the harbour was closed on Tuesday after a crane fell. "
                                        "The port authority denied that it had ignored safety warnings."),
        _article("b", "Lake Ledger", "A crane fell at the harbour on Tuesday and the north dock was closed. "
                                     "Workers said the crane had been inspected in May."),
    ]
    fused = _fuse("cue", articles)
    denial = next(q for q in fused.quotes if "safety warnings" in q.text)
    assert (denial.direct, denial.cue) == (False, "denied")
    said = next(q for q in fused.quotes if "inspected in May" in q.text)
    assert said.cue == "said"
    by_id = {a.id: a for a in articles}
    assert f"**{denial.speaker}** (reported speech: denied)" in render(fused, "md")
    assert "reported speech: denied" in render(fused, "html", by_id)
