"""Story grouping on headlines only: the UCI News Aggregator (6,366 headlines of 88 stories, 10-11 March 2014).

    .venv/bin/python bench/stories_uci.py            # dev and held-out stories, timestamp order
    .venv/bin/python bench/stories_uci.py --json out.json

Each headline goes through the cleaner as a JSON line with a title and no text, so it is stored as a
headline-only article (title, publisher, day), and is grouped with nothing but its words (title terms,
names, the MiniLM vector of the title). Gold: the aggregator's own stories. Held out: the stories whose
id hashes into the test half (stories_data.UCI_TEST_SHARE); each part is fed as its own stream in
timestamp order. The TF-IDF single pass beside it has its threshold chosen on the dev stories.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_eval as se  # noqa: E402

if __name__ == "__main__":
    se.held_out_main("uci", {"UCI headlines": None})
