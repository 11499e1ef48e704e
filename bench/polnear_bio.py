"""PolNeAR's brat standoff as CofeNet's BIO instances: one per paragraph and annotation file, a token one role.

CofeNet's published split (../shared/data/cofenet_polnear_bio, test only) was made from PolNeAR this way:
every paragraph of every annotation file is an instance; where attributions nest, the outer one (the
longer content) labels a token first and a token keeps its first role (PolNeAR's univocal reading).
`--check` converts the standoff test split and compares its spans with CofeNet's, paragraph by paragraph,
for the articles whose paragraphs CofeNet kept in full (its tokens are CoreNLP's, ours spaCy's, so spans
are compared as text without spaces, quotes and punctuation). `--write` writes a split as JSON lines.

  python bench/polnear_bio.py --check
  python bench/polnear_bio.py --write train build/polnear_bio/train.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from newsfuse.analyse import quote_tagger  # noqa: E402

Fragments = list[tuple[int, list[tuple[str, int, int]]]]


def split_files(split: str) -> list[tuple[Path, list[Path]]]:
    """(text file, its annotation files) for every annotated article of a PolNeAR split."""
    base = DATA / "polnear" / "data" / split
    out = []
    for path in sorted((base / "text").glob("*.txt")):
        anns = sorted((base / "attributions").glob(path.stem + "_*.ann"))
        if anns:
            out.append((path, anns))
    return out


def gold_fragments(path: Path) -> Fragments:
    """Attributions of one .ann file: (content length, [(role, start, end) per fragment])."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].startswith("T"):
            kind, _, ranges = parts[1].partition(" ")
            fragments = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]
            spans[parts[0]] = (kind.lower(), fragments)  # type: ignore[assignment]
        elif parts[0].startswith("E") and len(parts) >= 2:
            events.append([arg.split(":")[1] for arg in parts[1].split() if ":" in arg])
    out = []
    for args in events:
        roles = [spans[a] for a in args if a in spans and spans[a][0] in quote_tagger.ROLES]
        length = sum(e - s for role, frags in roles if role == "content" for s, e in frags)
        out.append((length, [(role, s, e) for role, frags in roles for s, e in frags]))
    return out


def paragraph_labels(doc: Any, offset: int, attributions: Fragments) -> list[str]:
    """Gold BIO tags of a paragraph; outer attributions first, a token keeps its first role (univocal)."""
    ordered = [fragment for _, fragments in sorted(attributions, key=lambda a: -a[0]) for fragment in fragments]
    return quote_tagger.rule_tags(doc, offset, ordered)


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each non-empty line: PolNeAR's paragraphs."""
    out, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((offset, line))
        offset += len(line) + 1
    return out


def instances(split: str, tokenizer: Any) -> list[dict]:
    """CofeNet-style instances {tokens, labels, id} of a split, tokenised by spaCy."""
    out = []
    for path, anns in split_files(split):
        text = path.read_text(encoding="utf-8")
        docs = [(offset, tokenizer(line)) for offset, line in paragraphs(text)]
        for ann in anns:
            gold = gold_fragments(ann)
            out.extend({"tokens": [t.text for t in doc], "labels": paragraph_labels(doc, offset, gold), "id": ann.stem}
                       for offset, doc in docs)
    return out


def _norm(text: str) -> str:
    text = text.replace("-LRB-", "(").replace("-RRB-", ")")
    return re.sub(r"[\s`'\"“”’‘.,:;…—-]+", "", text)


def _span_texts(tokens: list[str], labels: list[str]) -> list[tuple[str, str]]:
    found = [(role, _norm(" ".join(tokens[s:e]))) for role, s, e in quote_tagger.label_spans(labels)]
    return sorted(f for f in found if f[1])


def check(tokenizer: Any) -> None:
    """How often our conversion of the test split gives CofeNet's spans, per paragraph."""
    theirs: dict[str, list[dict]] = defaultdict(list)
    for line in (DATA / "cofenet_polnear_bio" / "res" / "polnear" / "test.txt").open(encoding="utf-8"):
        item = json.loads(line)
        theirs[item["id"]].append(item)
    ours: dict[str, list[dict]] = defaultdict(list)
    for item in instances("test", tokenizer):
        ours[item["id"]].append(item)
    same = compared = docs = 0
    for key, items in ours.items():
        if len(items) != len(theirs.get(key, [])):
            continue  # CofeNet dropped paragraphs of this article: no alignment to compare on
        docs += 1
        for mine, cofe in zip(items, theirs[key]):
            compared += 1
            same += _span_texts(mine["tokens"], mine["labels"]) == _span_texts(cofe["tokens"], cofe["labels"])
    print(f"{len(ours)} annotation files; {docs} with CofeNet's paragraphs in full; "
          f"identical spans in {same} of {compared} paragraphs ({100 * same / max(compared, 1):.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="Compare our conversion of test with CofeNet's.")
    parser.add_argument("--write", nargs=2, metavar=("SPLIT", "PATH"), help="Write a split's instances as JSON lines.")
    args = parser.parse_args()
    from newsfuse.text.models import nlp

    tokenizer = nlp().tokenizer
    if args.check:
        check(tokenizer)
    if args.write:
        split, path = args.write
        items = instances(split, tokenizer)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            for item in items:
                f.write(json.dumps(item) + "\n")
        print(f"wrote {len(items)} instances to {path}")


if __name__ == "__main__":
    main()
