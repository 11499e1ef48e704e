"""Story grouping on ECB+ (982 documents, 86 seminal events; every topic holds two similar events).

    .venv/bin/python bench/stories_ecb.py            # dev and held-out topics, file order and a seeded shuffle
    .venv/bin/python bench/stories_ecb.py --json out.json

There are no publication dates, so the time channels are neutral: this measures the text, entity and
embedding channels on the hard case of two same-type events per topic ("related but different stories",
measured by the subtopics). Held out: topics 36-45, the published split (stories_data.ECB_TEST_TOPICS).
The TF-IDF single pass beside it has its threshold chosen on the dev topics.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_eval as se  # noqa: E402

SHUFFLE_SEED = 13


def shuffled(idx: list[int]) -> list[int]:
    out = idx[:]
    random.Random(SHUFFLE_SEED).shuffle(out)
    return out


if __name__ == "__main__":
    se.held_out_main("ecb", {"ECB+ file order": None, "ECB+ shuffled": shuffled})
