"""Story grouping on NewsWCL50: 10 US and world politics events of April 2018, each reported by 5 outlets
(HuffPost, NYT, USA Today, Fox News, Breitbart), full text, dates from the URLs.

    .venv/bin/python bench/stories_newswcl.py        # dev (even events) and held-out (odd events), date order

Small (25 articles a part), but general multi-outlet news with related stories (two North Korea events,
two about Trump and Comey's memos). The TF-IDF single pass beside it has its threshold chosen on dev.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_eval as se  # noqa: E402

if __name__ == "__main__":
    se.held_out_main("newswcl", {"NewsWCL50": None})
