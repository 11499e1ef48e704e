"""The pipeline end to end on project-written examples: what it hands fusion about outlets."""

from __future__ import annotations

import json

from newsfuse import api
from tests.conftest import EXAMPLES


def test_a_fused_story_names_an_unknown_outlet_never_by_an_article_id(tmp_path):
    inputs = [str(EXAMPLES / "articles" / name)
              for name in ("strike-harbor-daily-2025-03-12.txt", "strike-orsenna-ledger-2025-03-12.txt")]
    with api.open_db(tmp_path / "db.sqlite") as store:
        api.run(inputs, store, tmp_path / "out")
        [story] = [s for s in api.list_stories(store) if len(s.article_ids) == 2]
        fused = json.loads(api.report(store, story.id, "json"))
    ids = {a["id"] for a in fused["articles"]}
    assert {a["outlet"] for a in fused["articles"]} == {"Harbor Daily", "unknown outlet"}
    named = [o for f in fused["facts"] for o in f.get("outlets", [])] + [s["text"] for s in fused["summary"]]
    assert not any(article_id in text for text in named for article_id in ids)
