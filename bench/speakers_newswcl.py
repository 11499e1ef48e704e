"""Every direct quote of NewsWCL50's ten fused stories with its speaker, for the hand audit of issue 11.

The audit (BENCHMARKS.md, "Who said each direct quotation") reads each direct quote against its article and
counts it right when it stands under the person or body who said it, or, for a document, when it is
labelled a source (`speaker_type` "SOURCE"). This prints what is read: per story, each fused direct quote's
speaker, its articles and its text, and with --context the article text before and after each carrier of
the quote, so the cue and the names before it can be checked without opening the data. The stories are
fused as the pipeline does (bench/faithfulness.py's `fuse`, MiniLM embeddings on); the whole set is read,
no threshold is chosen on it.

    PYTHONHASHSEED=0 PYTHONPATH=src python bench/speakers_newswcl.py [--context 300] [--json /tmp/q.json]
    PYTHONHASHSEED=0 PYTHONPATH=src python bench/speakers_newswcl.py --diff /tmp/before.json

--json writes the list (story, speaker, speaker_type, articles, text) so that a later run can print only
the quotes whose speaker changed or that appeared or went (--diff): after a change only those need
re-reading. The output holds NewsWCL50's text, so it is written under /tmp, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def direct_quotes(context: int) -> list[dict[str, Any]]:
    """Each fused direct quote of the ten stories as a row: story, speaker, type, articles, text, contexts."""
    from faithfulness import fuse, newswcl_stories

    rows = []
    for key, articles in newswcl_stories():
        by_id = {a.id: a for a in articles}
        for q in fuse(key, articles).quotes:
            if not q.direct:
                continue
            contexts = []
            for span in q.sources if context else ():
                text = by_id[span.article].text if span.part == "text" else by_id[span.article].title
                contexts.append(f"[{by_id[span.article].outlet}] …{text[max(0, span.start - context):span.start]}"
                                f"⟦{text[span.start:span.end]}⟧{text[span.end:span.end + context // 2]}…")
            rows.append({"story": key, "speaker": q.speaker, "speaker_type": q.speaker_type,
                         "articles": [by_id[a].outlet for a in q.articles], "text": q.text, "contexts": contexts})
    return rows


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["story"], row["text"]


def _said(row: dict[str, Any]) -> tuple[str, str]:
    return row["speaker"], row["speaker_type"]


def print_rows(rows: list[dict[str, Any]], before: dict[tuple[str, str], list[dict[str, Any]]] | None) -> None:
    """Every row, or with `before` only the rows whose words no earlier row has under the same speaker (the same
    words may stand under two speakers, one row each), then the earlier rows whose words no row has any more."""
    shown = 0
    for i, row in enumerate(rows):
        olds = before.get(_key(row), []) if before is not None else []
        if before is not None and any(_said(old) == _said(row) for old in olds):
            continue
        shown += 1
        was = "" if before is None else (" (new)" if not olds else
                                         " (was " + ", ".join(f"{o['speaker']!r} {o['speaker_type']}" for o in olds) + ")")
        print(f"#{i} {row['story']} | {row['speaker']!r} {row['speaker_type']}{was} | {', '.join(row['articles'])}")
        print(f"    {row['text']}")
        for c in row["contexts"]:
            print("    " + c.replace("\n", " / "))
    if before is not None:
        now = {_key(r) for r in rows}
        for k, olds in before.items():
            for old in olds if k not in now else ():
                print(f"gone {k[0]} | {old['speaker']!r} {old['speaker_type']} | {old['text']}")
    print(f"{len(rows)} direct quotes" + ("" if before is None else f", {shown} changed or new"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--context", type=int, default=0, help="characters of article text shown before each carrier")
    parser.add_argument("--json", type=Path, help="write the rows here (under /tmp: they hold NewsWCL50's text)")
    parser.add_argument("--diff", type=Path, help="print only quotes whose speaker differs from this --json file")
    args = parser.parse_args()
    rows = direct_quotes(args.context)
    before: dict[tuple[str, str], list[dict[str, Any]]] | None = None
    if args.diff:
        before = {}
        for r in json.loads(args.diff.read_text()):
            before.setdefault(_key(r), []).append(r)
    print_rows(rows, before)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
