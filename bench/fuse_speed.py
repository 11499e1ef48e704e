"""Fusion speed: seconds to fuse one story of 2, 10 and 50 articles (models loaded, analysis done).

Stories are built from NewsWCL50 articles (real US news, ~5,000 characters each): 2 articles of one
event, 10 of two events, all 50. Analysis and entity linking run before the clock starts (they are
per-article stages with their own benchmark); the clock covers fuse_story as the pipeline calls it.
"first" is a story's first fusion: every proposition is embedded with MiniLM. "again" is a re-fusion
of the same story (what happens when its membership changes: only new statements are embedded, the
others come from fuse/align.py's vector cache), median of 3. MiniLM is loaded before the clock.
Wall time is what a user waits; CPU time (both cores' seconds) moves less when the machine is shared.
To time the code of another revision, put its src/ first: PYTHONPATH=/path/to/old/src.

    .venv/bin/python bench/fuse_speed.py [--sizes 2 10 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    import framing_newswcl50 as wcl

    from newsfuse.analyse import analyse_articles, link_entities
    from newsfuse.text.embeddings import embed
    from newsfuse.fuse import align, fuse_story
    from newsfuse.models import Story

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 10, 50])
    args = parser.parse_args()
    docs = [d for _, event in wcl.load().items() for d in event]
    articles = [wcl.to_article(d)[0] for d in docs[: max(args.sizes)]]
    entities, analyses = link_entities(list(zip(articles, analyse_articles(articles))))
    by_id = {a.article_id: a for a in analyses}
    embed(["load the model before the clock"])  # a process loads MiniLM once; that is not fusion's cost
    for size in args.sizes:
        chosen = articles[:size]
        story = Story(f"speed-{size}", tuple(a.id for a in chosen), "")
        run = lambda: fuse_story(story, chosen, {a.id: by_id[a.id] for a in chosen}, entities, embed=embed)  # noqa: E731
        align._vector_cache.clear()
        started, cpu = time.perf_counter(), time.process_time()
        run()
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
        times = []
        for _ in range(3):
            started = time.perf_counter()
            fused = run()
            times.append(time.perf_counter() - started)
        print(f"{size:>3} articles: first {first:.2f} s ({first_cpu:.2f} s CPU), again {statistics.median(times):.2f} s per story; "
              f"{len(fused.facts)} facts, {sum(f.status != 'one' for f in fused.facts)} shared by 2+ articles")


if __name__ == "__main__":
    main()
