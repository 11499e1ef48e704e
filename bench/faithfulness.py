"""Faithfulness of fused stories: the share of facts, quotes, timeline rows and summary sentences that trace to sources.

Fuses every story we have ground-truth grouping for (the seeds, the example stories of
examples/expected.json, and NewsWCL50's 10 events of 5 outlets each) exactly as the pipeline does
(MiniLM embeddings on), then runs fuse/check.py on each: facts, timeline rows and quotes must be their
sources' words, summary sentences may use only the words of the spans they cite. The figure must be 100%.

    .venv/bin/python bench/faithfulness.py [--no-newswcl]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def seed_and_example_stories() -> list[tuple[str, list]]:
    from newsfuse.clean import clean_document, complete_date
    from newsfuse.ingest import ReadOptions, read_input

    seeds = ROOT.parent / "shared" / "seeds"
    groups = {"seeds": sorted(seeds.glob("*.txt"))}
    expected = json.loads((ROOT / "examples" / "expected.json").read_text())
    groups.update({k: [ROOT / "examples" / "articles" / n for n in names] for k, names in expected.items()})
    out = []
    for key, paths in groups.items():
        cleaned = [clean_document(raw) for p in paths for raw in read_input(str(p), ReadOptions())]
        dates = [c.article.published for c in cleaned if c.article.published]
        out.append((key, [complete_date(c, dates) for c in cleaned]))
    return out


def newswcl_stories() -> list[tuple[str, list]]:
    import framing_newswcl50 as wcl

    return [(f"newswcl50-{event}", [wcl.to_article(d)[0] for d in docs]) for event, docs in wcl.load().items()]


def fuse(key: str, articles: list):  # type: ignore[no-untyped-def]
    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.text.embeddings import embed_tokens as embed
    from newsfuse.fuse import fuse_story
    from newsfuse.models import Story

    entities, analyses = link_entities(list(zip(articles, analyse_articles(articles))))
    return fuse_story(Story(key, tuple(a.id for a in articles), ""), articles, analyses, entities, embed=embed)


def main() -> None:
    from newsfuse.fuse.check import check_story

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-newswcl", action="store_true", help="only the seeds and the examples")
    args = parser.parse_args()
    stories = seed_and_example_stories() + ([] if args.no_newswcl else newswcl_stories())
    totals = {"fact": [0, 0], "quote": [0, 0], "timeline": [0, 0], "summary": [0, 0]}
    dropped = 0
    for key, articles in stories:
        fused = fuse(key, articles)
        report = check_story(fused, {a.id: a for a in articles})
        counts = {"fact": len(fused.facts), "quote": len(fused.quotes), "timeline": len(fused.timeline),
                  "summary": len(fused.summary)}
        failed = {k: 0 for k in counts}
        for failure in report["failures"]:
            failed[failure["kind"]] += 1
            print(f"  FAIL {key} {failure['kind']}: {failure['text'][:80]} ({failure['reason']})")
        for kind, n in counts.items():
            totals[kind][0] += n
            totals[kind][1] += n - failed[kind]
        dropped += len(fused.check.get("dropped_summary", []))
    checked = sum(t[0] for t in totals.values())
    passed = sum(t[1] for t in totals.values())
    detail = ", ".join(f"{k} {p}/{n}" for k, (n, p) in totals.items())
    print(f"faithfulness: {len(stories)} stories, {passed}/{checked} items trace to their sources "
          f"({passed / max(checked, 1):.1%}); {detail}; summary sentences dropped by the check before output: {dropped}")


if __name__ == "__main__":
    main()
