"""Story grouping on ECB+ (982 documents, 86 seminal events; every topic holds two similar events).

    .venv/bin/python bench/stories_ecb.py            # dev and held-out topics, file order and a seeded shuffle
    .venv/bin/python bench/stories_ecb.py --json out.json

There are no publication dates, so the time channels are neutral: this measures the text, entity and
embedding channels on the hard case of two same-type events per topic ("related but different stories",
measured by the subtopics). Held out: topics 36-45, the published split (stories_data.ECB_TEST_TOPICS).
The TF-IDF single pass beside it has its threshold chosen on the dev topics.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_data as sd  # noqa: E402
import stories_eval as se  # noqa: E402

SHUFFLE_SEED = 13


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    feats, gold, part = sd.stream_features("ecb")

    def shuffled(idx: list[int]) -> list[int]:
        out = idx[:]
        random.Random(SHUFFLE_SEED).shuffle(out)
        return out

    results = {"file order": se.held_out("ECB+ file order", feats, gold, part),
               "shuffled": se.held_out("ECB+ shuffled", feats, gold, part, shuffled)}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
