"""Fusion quality on the seeds and the example stories: what a reader would catch at a glance.

Fuses every story of the seeds and examples/expected.json as the pipeline does (MiniLM on), then counts:
summary sentences that cite an article for a value that article disputes (a number, title, date, place
or speaker of one of the story's conflicts that the article gives otherwise; fuse/check.disputed_citations),
facts that open with a relative pronoun or another word that ties them to a missing clause
(fuse/align.readable), summary sentences whose quotation marks do not pair up or whose quotation has no
named speaker, timeline rows that do not stand alone, and, for context, facts, disputed facts, conflicts,
quotes and speakers. The first three must be zero. `--newswcl` adds NewsWCL50's ten real five-outlet
stories (gold events), which nobody here wrote or tuned to.

    .venv/bin/python bench/fusion_quality.py [--newswcl]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

RELATIVE = frozenset("which who whom whose where whereby wherein".split())


def starts_with_relative(text: str) -> bool:
    first = text.lstrip("“\"‘' ").split(" ", 1)[0].lower().strip(",")
    return first in RELATIVE or text.lstrip().startswith("that ")


def main() -> None:
    from faithfulness import fuse, newswcl_stories, seed_and_example_stories

    from newsfuse.fuse.align import readable
    from newsfuse.fuse.check import attributed, balanced, disputed_citations

    totals = {"stories": 0, "summary": 0, "disputed_citations": 0, "facts": 0, "relative_facts": 0,
              "unreadable_facts": 0, "quote_sentences": 0, "bad_quotes": 0, "disputed_facts": 0,
              "conflicts": 0, "quotes": 0, "speakers": 0, "timeline": 0, "unreadable_timeline": 0}
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--newswcl", action="store_true", help="also NewsWCL50's ten five-outlet stories")
    args = parser.parse_args()
    for key, articles in seed_and_example_stories() + (newswcl_stories() if args.newswcl else []):
        fused = fuse(key, articles)
        by_id = {a.id: a for a in articles}
        totals["stories"] += 1
        totals["facts"] += len(fused.facts)
        totals["conflicts"] += len(fused.conflicts)
        totals["quotes"] += len(fused.quotes)
        totals["speakers"] += len({q.speaker for q in fused.quotes})
        totals["disputed_facts"] += sum(bool(f.disputed) for f in fused.facts)
        for fact in fused.facts:
            if starts_with_relative(fact.text):
                totals["relative_facts"] += 1
                print(f"  {key} fact opens with a relative pronoun: {fact.text[:90]}")
            if not readable(fact.text):
                totals["unreadable_facts"] += 1
        for entry in fused.timeline:
            totals["timeline"] += 1
            if not readable(entry.text):
                totals["unreadable_timeline"] += 1
                print(f"  {key} timeline row does not stand alone: {entry.text[:90]}")
        for sentence in fused.summary:
            totals["summary"] += 1
            for problem in disputed_citations(sentence, fused.conflicts, by_id):
                totals["disputed_citations"] += 1
                print(f"  {key} summary cites a disputing article: {problem}: {sentence.text[:90]}")
            if re.search(r"[“”\"]", sentence.text):
                totals["quote_sentences"] += 1
                if not balanced(sentence.text) or not attributed(sentence.text):
                    totals["bad_quotes"] += 1
                    print(f"  {key} summary quotation unbalanced or unattributed: {sentence.text[:90]}")
    print(f"fusion quality: {totals['stories']} stories; summary sentences citing an article for a value it disputes: "
          f"{totals['disputed_citations']} of {totals['summary']}; facts opening with a relative pronoun: "
          f"{totals['relative_facts']} of {totals['facts']} (not standing alone: {totals['unreadable_facts']}); "
          f"summary quotations unbalanced or unattributed: {totals['bad_quotes']} of {totals['quote_sentences']}; "
          f"timeline rows not standing alone: {totals['unreadable_timeline']} of {totals['timeline']}; "
          f"disputed facts {totals['disputed_facts']}, conflicts {totals['conflicts']}, quotes {totals['quotes']} "
          f"by {totals['speakers']} speakers")


if __name__ == "__main__":
    main()
