"""Date resolution measured on TimeBank + AQUAINT (TBAQ-cleaned): value accuracy of DATE expressions.

Each document's DCT (its creation time) stands in for the publication date. Gold: every TIMEX3 of type
DATE in the text. A system's expression matches a gold one when their spans overlap (relaxed match, as
TempEval-3 scores extent); its value is right when it equals the gold TIMEX3 value, compared at the
precision the system gave (a day `1998-01-09`, a month `1998-01`, a year `1998`, a week `1998-W02`, a
season `1998-SU`). Reported per split, the way TempEval-3 reports value: precision (right values / the
system's expressions), recall (right values / gold DATEs) and F1, plus value accuracy on the expressions
both found.

Baseline run in the same script: dateparser's `search_dates` with the DCT as RELATIVE_BASE, each hit's
precision taken from dateparser's own period (`DateDataParser.get_date_data`); and, more lenient to it,
its datetime cut to the gold value's precision.

Splits: TimeBank (183 documents) is dev, where every rule and constant was chosen; AQUAINT (73) is test.

  python bench/dates_timebank.py --split dev          # tuning
  python bench/dates_timebank.py --split dev test     # reporting
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "timebank_tbaq"
sys.path.insert(0, str(ROOT / "src"))

from newsfuse.analyse.dates import find_dates  # noqa: E402
from newsfuse.analyse.sentences import parse_articles, tense_at  # noqa: E402
from newsfuse.models import Article  # noqa: E402
from newsfuse.text.models import nlp  # noqa: E402

SPLITS = {"dev": "TimeBank", "test": "AQUAINT"}
SEASON_CODES = {"03": "SP", "06": "SU", "09": "FA", "12": "WI"}


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    value: str


@dataclass
class Document:
    name: str
    dct: str
    text: str
    paragraphs: list[str]
    gold: list[Timex]


def read_document(path: Path) -> Document:
    """Plain text of a TimeML file in the Article form (paragraphs joined by a blank line), gold DATE spans."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3").get("value")[:10]
    plain: list[str] = []
    gold_raw: list[tuple[int, int, str]] = []
    length = 0

    def walk(node: ET.Element) -> None:
        nonlocal length
        if node.text:
            plain.append(node.text)
            length += len(node.text)
        for child in node:
            start = length
            walk(child)
            if child.tag == "TIMEX3" and child.get("type") == "DATE":
                gold_raw.append((start, length, child.get("value")))
            if child.tail:
                plain.append(child.tail)
                length += len(child.tail)

    walk(root.find("TEXT"))
    raw = "".join(plain)
    # Paragraphs as the article reader makes them: split at blank lines, lines joined by a space.
    paragraphs: list[str] = []
    mapping: list[tuple[int, int, int]] = []  # (raw start, raw end, start in the joined text)
    cursor = 0
    for match in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", raw, re.S):
        paragraphs.append(match.group(0).replace("\n", " "))
        mapping.append((match.start(), match.end(), cursor))
        cursor += len(paragraphs[-1]) + 2
    text = "\n\n".join(paragraphs)
    gold = []
    for start, end, value in gold_raw:
        for raw_start, raw_end, joined in mapping:
            if raw_start <= start and end <= raw_end:
                s, e = joined + start - raw_start, joined + end - raw_start
                gold.append(Timex(s, e, text[s:e], value))
                break
    return Document(path.stem, dct, text, paragraphs, gold)


def read_split(split: str) -> list[Document]:
    return [read_document(p) for p in sorted((DATA / SPLITS[split]).glob("*.tml"))]


# ---------------------------------------------------------------- systems

def timeml_value(value: str, precision: str) -> str:
    """Our value in TimeML's notation (seasons are 1998-SU there, a month of the season here)."""
    if precision == "season":
        year, month = value.split("-")
        return f"{year}-{SEASON_CODES.get(month, month)}"
    return value


def newsfuse_dates(docs: list[Document]) -> dict[str, list[Timex]]:
    """What the analysis stage finds: the same parse, tense reading and resolver as `newsfuse analyse`."""
    articles = [Article(id=d.name, title="", text=d.text, paragraphs=tuple(d.paragraphs), outlet=None,
                        outlet_found_by=None, published=d.dct, published_found_by=None, language="en") for d in docs]
    out = {}
    for parsed in parse_articles(articles, nlp()):
        article = parsed.article
        found = find_dates(article.text, article.published, article.id, parsed.sentence_at,
                           lambda char, parsed=parsed: tense_at(parsed, char))
        out[article.id] = [Timex(d.start, d.end, d.text, timeml_value(d.value, d.precision)) for d in found]
    return out


def dateparser_dates(docs: list[Document]) -> dict[str, list[tuple[Timex, dt.datetime]]]:
    """dateparser's search_dates with the DCT as reference; each hit with its own period's precision."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    out = {}
    for doc in docs:
        base = dt.datetime.fromisoformat(doc.dct)
        settings = {"RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
        parser = DateDataParser(languages=["en"], settings=settings)
        hits = search_dates(doc.text, languages=["en"], settings=settings) or []
        found, cursor = [], 0
        for surface, when in hits:
            start = doc.text.find(surface, cursor)
            if start < 0:
                continue
            cursor = start + len(surface)
            period = (parser.get_date_data(surface).period or "day")
            value = {"year": f"{when.year:04d}", "month": f"{when.year:04d}-{when.month:02d}",
                     "week": f"{when.isocalendar()[0]:04d}-W{when.isocalendar()[1]:02d}"}.get(
                period, when.date().isoformat())
            found.append((Timex(start, cursor, surface, value), when))
        out[doc.name] = found
    return out


def cut_to(value_of: dt.datetime, gold: str) -> str:
    """dateparser's datetime at the gold value's precision (lenient: it is told the precision)."""
    if re.fullmatch(r"\d{4}", gold):
        return f"{value_of.year:04d}"
    if re.fullmatch(r"\d{4}-\d{2}", gold):
        return f"{value_of.year:04d}-{value_of.month:02d}"
    if re.fullmatch(r"\d{4}-W\d{2}", gold):
        year, week, _ = value_of.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return value_of.date().isoformat()


# ---------------------------------------------------------------- scoring

def score(docs: list[Document], predicted: dict[str, list[Timex]]) -> dict[str, float]:
    gold_total = predicted_total = right = matched = 0
    for doc in docs:
        preds = predicted.get(doc.name, [])
        predicted_total += len(preds)
        gold_total += len(doc.gold)
        for g in doc.gold:
            hit = next((p for p in preds if p.start < g.end and g.start < p.end), None)
            if hit is None:
                continue
            matched += 1
            right += hit.value == g.value
    precision = right / predicted_total if predicted_total else 0.0
    recall = right / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"gold": gold_total, "predicted": predicted_total, "matched": matched, "right": right,
            "precision": precision, "recall": recall, "f1": f1, "accuracy": right / matched if matched else 0.0}


def report(name: str, result: dict[str, float]) -> str:
    return (f"| {name} | {result['gold']} | {result['predicted']} | {result['matched']} | {result['right']} | "
            f"{result['precision']:.3f} | {result['recall']:.3f} | {result['f1']:.3f} | {result['accuracy']:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", nargs="+", choices=sorted(SPLITS), default=["dev"])
    parser.add_argument("--errors", type=int, default=0, help="print this many of our wrong values (dev only)")
    args = parser.parse_args()
    print("| split / system | gold DATEs | predicted | overlapping | value right | P | R | F1 | value acc. on overlap |")
    print("|---|---|---|---|---|---|---|---|---|")
    for split in args.split:
        docs = read_split(split)
        started = time.perf_counter()
        ours = newsfuse_dates(docs)
        ours_seconds = time.perf_counter() - started
        started = time.perf_counter()
        theirs = dateparser_dates(docs)
        theirs_seconds = time.perf_counter() - started
        own_period = {name: [t for t, _ in hits] for name, hits in theirs.items()}
        lenient = {}
        for doc in docs:
            hits = theirs[doc.name]
            lenient[doc.name] = [
                Timex(t.start, t.end, t.text,
                      cut_to(when, next((g.value for g in doc.gold if g.start < t.end and t.start < g.end), t.value)))
                for t, when in hits]
        print(report(f"{split} ({SPLITS[split]}, {len(docs)} docs): newsfuse", score(docs, ours)))
        print(report(f"{split}: dateparser, its own precision", score(docs, own_period)))
        print(report(f"{split}: dateparser, cut to the gold precision", score(docs, lenient)))
        print(f"<!-- {split}: newsfuse {ours_seconds:.1f} s (parse included), dateparser {theirs_seconds:.1f} s -->")
        if args.errors and split == "dev":
            shown = 0
            for doc in docs:
                for g in doc.gold:
                    hit = next((p for p in ours[doc.name] if p.start < g.end and g.start < p.end), None)
                    if hit is not None and hit.value != g.value and shown < args.errors:
                        shown += 1
                        context = doc.text[max(0, g.start - 70):g.end + 40].replace("\n", " ")
                        print(f"{doc.name} dct={doc.dct} gold={g.value!r} ours={hit.value!r} [{hit.text}] …{context}…")


if __name__ == "__main__":
    main()
