"""The loaded-word lexicon: words that expert annotators of BABE marked as biased, with how often.

`python -m newsfuse.fuse.lexicon ../shared/data/babe` rebuilds `loaded_words.tsv` from BABE's
expert labels (SG2); the shipped file holds only words and counts, none of BABE's sentences.
"""

from __future__ import annotations

import ast
import csv
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

LEXICON_FILE = Path(__file__).with_name("loaded_words.tsv")
# A word is loaded when annotators marked it in at least this share of the BABE sentences containing
# it, and at least MIN_MARKED times: a choice (196 words on SG2), not tuned; word-level precision and
# recall of the lexicon have not been measured yet.
MIN_SHARE = 0.3
MIN_MARKED = 3


def build(babe_dir: Path) -> dict[str, tuple[int, int]]:
    """word -> (times marked biased, sentences containing it), over BABE's SG2 expert labels."""
    marked: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    path = babe_dir / "data" / "final_labels_SG2.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            words = set(_words(row["text"]))
            seen.update(words)
            try:
                biased = {w.lower() for w in ast.literal_eval(row["biased_words"] or "[]")}
            except (ValueError, SyntaxError):
                continue
            marked.update(w for w in biased if w in words)
    return {w: (marked[w], seen[w]) for w in marked
            if marked[w] >= MIN_MARKED and marked[w] / max(seen[w], 1) >= MIN_SHARE}


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[a-z][a-z\-']+", text.lower())


def write(lexicon: dict[str, tuple[int, int]], path: Path = LEXICON_FILE) -> None:
    lines = ["word\tmarked\tseen"] + [f"{w}\t{m}\t{s}" for w, (m, s) in sorted(lexicon.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def loaded_words() -> frozenset[str]:
    """The shipped lexicon (empty when it has not been built)."""
    if not LEXICON_FILE.exists():
        return frozenset()
    rows = LEXICON_FILE.read_text(encoding="utf-8").splitlines()[1:]
    return frozenset(row.split("\t")[0] for row in rows if row)


if __name__ == "__main__":
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/babe")
    built = build(directory)
    write(built)
    print(f"wrote {len(built)} words to {LEXICON_FILE}")
