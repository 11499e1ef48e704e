"""The story page model: disputed cells, conflicts beside their facts, fact-marked article pieces."""

from __future__ import annotations

from newsfuse.web.views import marked_paragraphs, story_page

HARBOR = "About 1,500 workers began a strike on Wednesday.\n\nThe port handles 40% of container traffic."
LEDGER = "Some 1,200 dockworkers walked off the job on Wednesday."


def view(**fused_extra) -> dict:  # type: ignore[no-untyped-def]
    fused = {
        "articles": [{"id": "a1", "outlet": "Harbor Daily"}, {"id": "a2", "outlet": "unknown outlet"}],
        "facts": [
            {"id": "f1", "text": "About 1,500 workers began a strike on Wednesday.", "status": "all",
             "sources": [{"article": "a1", "sentence": 0, "start": 0, "end": 48},
                         {"article": "a2", "sentence": 0, "start": 0, "end": 55}]},
            {"id": "f2", "text": "The port handles 40% of container traffic.", "status": "one",
             "sources": [{"article": "a1", "sentence": 1, "start": 50, "end": 92}]},
        ],
        "conflicts": [
            {"slot": "number", "about": "workers on strike", "values": [
                {"value": "1,500 workers", "articles": ["a1"]}, {"value": "1,200 dockworkers", "articles": ["a2"]}]},
            {"slot": "name", "kind": "spelling", "about": "the port", "values": [
                {"value": "port", "articles": ["a1"]}, {"value": "Port", "articles": ["a2"]}]},
        ],
        **fused_extra,
    }
    return {"fused": fused, "coverage": [], "texts": {
        "a1": {"id": "a1", "title": "t", "outlet": "Harbor Daily", "published": None, "url": None, "text": HARBOR},
        "a2": {"id": "a2", "title": "t", "outlet": None, "published": None, "url": None, "text": LEDGER}}}


def test_cells_that_state_a_disputed_value_are_marked_and_the_fact_comes_first():
    page = story_page(view())
    first = page["rows"][0]
    assert first["id"] == "f1" and first["disputed"] and first["conflicts"] == [0]
    assert [c["disputed"] for c in first["cells"]] == [True, True]
    assert not page["rows"][1]["disputed"]


def test_a_spelling_variant_disputes_nothing():
    page = story_page(view())
    assert page["conflicts"][1]["facts"] == [] and page["conflicts"][0]["facts"] == ["f1"]


def test_every_cell_links_to_its_sentence_in_the_article():
    row = story_page(view())["rows"][1]
    assert row["cells"] == [{"article": "a1", "href": "/articles/a1?hl=50-92#hl", "disputed": False, "headline": False}, None]


def test_fusion_that_names_a_facts_conflicts_is_taken_at_its_word():
    extra = view()["fused"]
    extra["facts"][1]["conflicts"] = [0]
    page = story_page({**view(), "fused": extra})
    assert next(r for r in page["rows"] if r["id"] == "f2")["disputed"]


def test_article_pieces_carry_the_facts_that_cover_them_paragraph_by_paragraph():
    paragraphs = marked_paragraphs(HARBOR, [(0, 48, "f1"), (50, 92, "f2"), (6, 11, "x")])
    assert len(paragraphs) == 2
    assert [p["marks"] for p in paragraphs[0]] == ["f1", "f1 x", "f1"]
    assert "".join(p["text"] for p in paragraphs[1]) == "The port handles 40% of container traffic."
    assert paragraphs[1][0]["marks"] == "f2"


def test_a_headline_only_outlet_is_marked_where_its_headline_states_a_fact_and_nowhere_as_leaving_one_out():
    base = view()
    headline = "Dockworkers strike at Kestrelport"
    fused = {**base["fused"], "articles": [*base["fused"]["articles"], {"id": "h1", "outlet": "Nordwire", "headline_only": True}]}
    fused["facts"] = [dict(f) for f in fused["facts"]]
    fused["facts"][0]["sources"] = [*fused["facts"][0]["sources"],
                                    {"article": "h1", "sentence": -1, "start": 0, "end": len(headline), "part": "title"}]
    texts = {**base["texts"], "h1": {"id": "h1", "title": headline, "outlet": "Nordwire", "text": "", "headline_only": True}}
    page = story_page({**base, "fused": fused, "texts": texts})
    rows = {r["id"]: r for r in page["rows"]}
    assert rows["f1"]["cells"][2] == {"article": "h1", "href": "/articles/h1", "disputed": False, "headline": True}
    assert rows["f2"]["cells"][2] == {"no_body": True}  # not "not reported": it has no body
    assert rows["f2"]["cells"][1] is None  # an outlet with a body that does not state it
    [column] = [c for c in page["columns"] if c["id"] == "h1"]
    assert column["headline"] == [[{"text": headline, "marks": "f1"}]] and column["paragraphs"] == []


def test_a_headline_only_outlet_makes_no_fact_a_blindspot():
    base = view()
    fused = {**base["fused"], "articles": [*base["fused"]["articles"], {"id": "h1", "outlet": "Nordwire", "headline_only": True}]}
    texts = {**base["texts"], "h1": {"id": "h1", "title": "Ships wait", "outlet": "Nordwire", "text": "", "headline_only": True}}
    coverage = [{"outlet": o, "country": "VT", "kind": k, "lean": None}
                for o, k in (("Harbor Daily", "newspaper"), ("unknown outlet", "newspaper"), ("Nordwire", "wire agency"))]
    page = story_page({**base, "fused": fused, "texts": texts, "coverage": coverage})
    assert next(r for r in page["rows"] if r["id"] == "f1")["only"] is None
    with_body = {**fused, "articles": [*base["fused"]["articles"], {"id": "h1", "outlet": "Nordwire"}]}
    page = story_page({**base, "fused": with_body, "texts": texts, "coverage": coverage})
    assert next(r for r in page["rows"] if r["id"] == "f1")["only"] == "Covered only by newspaper outlets"


def test_a_documents_words_are_grouped_as_a_document_not_a_speaker():
    page = story_page(view(quotes=[
        {"speaker": "the statement", "speaker_type": "SOURCE", "text": "The port will reopen on Friday.", "direct": False,
         "articles": ["a2"], "sources": []},
        {"speaker": "Harbor Daily", "text": "We will strike again.", "direct": True, "articles": ["a1"], "sources": []}]))
    assert [(g["speaker"], g["document"]) for g in page["quotes"]] == [("the statement", True), ("Harbor Daily", False)]


def test_reported_speech_shows_its_verb_and_no_cue_of_punctuation_alone():
    page = story_page(view(quotes=[
        {"speaker": "report", "text": "The port will reopen.", "direct": False, "cue": ":", "articles": ["a2"], "sources": []},
        {"speaker": "Harbor Daily", "text": "the strike is over", "direct": False, "cue": "denied", "articles": ["a1"],
         "sources": []}]))
    assert [q["cue"] for g in page["quotes"] for q in g["quotes"]] == ["", "denied"]


def test_a_fact_fusion_finds_undisputed_is_not_disputed_by_words_it_shares_with_a_conflict():
    # Fusion gives every fact its `conflicts` and `disputed` (empty when none); the page shows what the
    # reports show. A fact that happens to contain a conflict's value ("chair of the DNC" beside a conflict
    # on another man's title, "chair" / "chairman") is no disputed fact.
    fused = view()["fused"]
    for fact in fused["facts"]:
        fact["conflicts"], fact["disputed"] = [], []
    page = story_page({**view(), "fused": fused})
    assert [r["disputed"] for r in page["rows"]] == [False, False]
    assert not any(cell and cell.get("disputed") for r in page["rows"] for cell in r["cells"])
    assert [c["facts"] for c in page["conflicts"]] == [[], []]
