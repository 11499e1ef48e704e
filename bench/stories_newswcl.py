"""Story grouping on NewsWCL50: 10 US and world politics events of April 2018, each reported by 5 outlets
(HuffPost, NYT, USA Today, Fox News, Breitbart), full text, dates from the URLs.

    .venv/bin/python bench/stories_newswcl.py        # dev (even events) and held-out (odd events), date order

Small (25 articles a part), but general multi-outlet news with related stories (two North Korea events,
two about Trump and Comey's memos). The TF-IDF single pass beside it has its threshold chosen on dev.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_data as sd  # noqa: E402
import stories_eval as se  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    feats, gold, part = sd.stream_features("newswcl")
    results = {"date order": se.held_out("NewsWCL50", feats, gold, part)}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
