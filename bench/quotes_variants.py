"""How the tagger's spans and the rules' quotes are combined, chosen on PolNeAR dev (never test).

Every article of the dev split is parsed and tagged once; then each variant of the combination
(attribution.py's settings: FLAGS below; quote_whole.py on or off) turns the same
spans into quotes, and is scored two ways: PolNeAR standoff exact match (first annotator, as
bench/quotes_polnear.py), and paragraph BIO exact match over every annotation file, as CofeNet's test
split is scored (bench/polnear_bio.py makes the gold tags the way CofeNet's were made).

  python bench/quotes_variants.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import attribution, entities, quote_tagger, quote_whole, quotes, speakers  # noqa: E402
from newsfuse.analyse.sentences import parse_articles  # noqa: E402
from newsfuse.models import Analysis  # noqa: E402
from newsfuse.text.models import nlp  # noqa: E402
from polnear_bio import gold_fragments, paragraph_labels, split_files  # noqa: E402
from quotes_polnear import ROLES, make_article, predicted_spans, prf, read_standoff  # noqa: E402

FLAGS = ("KEEP_UNTOUCHED_RULE_QUOTES", "RULES_FIRST", "CUE_AS_TAGGED", "ONE_SENTENCE_PER_CUE", "SOURCE_BLOCKS",
         "CUE_FROM_PARSE", "RULE_SPEAKER_WINS")
DEFAULTS = {name: getattr(attribution, name) for name in FLAGS}  # as shipped
VARIANTS = {  # name: the attribution.py settings that differ from the shipped ones; "whole": quote_whole.py
    "shipped": {},
    "without quote_whole": {"whole": False},
    "tagger alone (no untouched rule quotes)": {"KEEP_UNTOUCHED_RULE_QUOTES": False},
    "rules' direct quotes first": {"RULES_FIRST": "direct"},
    "cue as tagged flipped": {"CUE_AS_TAGGED": not DEFAULTS["CUE_AS_TAGGED"]},
    "one sentence per cue flipped": {"ONE_SENTENCE_PER_CUE": not DEFAULTS["ONE_SENTENCE_PER_CUE"]},
    "source blocks flipped": {"SOURCE_BLOCKS": not DEFAULTS["SOURCE_BLOCKS"]},
    "cue from parse flipped": {"CUE_FROM_PARSE": not DEFAULTS["CUE_FROM_PARSE"]},
    "rule speaker wins flipped": {"RULE_SPEAKER_WINS": not DEFAULTS["RULE_SPEAKER_WINS"]},
    "the last three flipped": {"SOURCE_BLOCKS": not DEFAULTS["SOURCE_BLOCKS"], "CUE_FROM_PARSE": not DEFAULTS["CUE_FROM_PARSE"],
                               "RULE_SPEAKER_WINS": not DEFAULTS["RULE_SPEAKER_WINS"]},
    "rules (no tagger)": None,
}


def run(limit: int | None, tagger: str | None = None) -> None:
    files = split_files("dev")[:limit]
    articles = []
    for path, _ in files:
        text = path.read_text(encoding="utf-8")
        articles.append(make_article(path.stem, text, [p for p in text.split("\n") if p.strip()]))
    weights = quote_tagger.weights(tagger)
    cached = []
    for parsed, (path, anns) in zip(parse_articles(articles, nlp()), files):
        mentions = entities.extract_mentions(parsed)
        rule_quotes = quotes.extract_quotes(parsed, mentions)
        tagged = attribution.tag_article(parsed, rule_quotes, weights) if weights else []
        cached.append((parsed, mentions, rule_quotes, tagged, anns))
    original = attribution.tag_article
    for name, setting in VARIANTS.items():
        standoff: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        bio: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for parsed, mentions, rule_quotes, tagged, anns in cached:
            if setting is None:
                found = rule_quotes
            else:
                for key, value in DEFAULTS.items():
                    setattr(attribution, key, setting.get(key, value))
                attribution.tag_article = lambda *_, t=tagged: t  # type: ignore[misc]
                found = attribution.combine(parsed, mentions, rule_quotes, weights)
                if setting.get("whole", True):
                    found = quote_whole.whole(parsed, found)
            found = speakers.resolve(parsed, mentions, found)
            analysis = Analysis(parsed.article.id, (), (), tuple(found), (), ())
            _count_standoff(standoff, parsed.article, analysis, anns[0])
            _count_bio(bio, parsed, analysis, anns)
        attribution.tag_article = original
        for key, value in DEFAULTS.items():
            setattr(attribution, key, value)
        print(f"{name}: standoff " + " / ".join(f"{prf(*standoff[r])[2]:.1f}" for r in ROLES)
              + "   paragraph BIO " + " / ".join(f"{prf(*bio[r])[2]:.1f}" for r in ROLES), flush=True)


def _count_standoff(counts, article, analysis, ann) -> None:  # type: ignore[no-untyped-def]
    gold = read_standoff(ann)
    pred = predicted_spans(article, analysis)
    for role in ROLES:
        counts[role][0] += len(pred[role] & gold[role])
        counts[role][1] += len(pred[role])
        counts[role][2] += len(gold[role])


def _count_bio(counts, parsed, analysis, anns) -> None:  # type: ignore[no-untyped-def]
    pred = predicted_spans(parsed.article, analysis, pieces=True)
    ordered = [(role, s, e) for role in ROLES for s, e in sorted(pred[role])]
    for ann in anns:
        gold = gold_fragments(ann)
        for _, offset, doc in parsed.docs:
            ours = {s for s in quote_tagger.label_spans(quote_tagger.rule_tags(doc, offset, ordered))}
            theirs = {s for s in quote_tagger.label_spans(paragraph_labels(doc, offset, gold))}
            for role in ROLES:
                o = {s for s in ours if s[0] == role}
                t = {s for s in theirs if s[0] == role}
                counts[role][0] += len(o & t)
                counts[role][1] += len(o)
                counts[role][2] += len(t)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="Only the first N dev articles.")
    parser.add_argument("--tagger", help="A weights file to try instead of the shipped one (the quote_tagger setting).")
    args = parser.parse_args()
    started = time.time()
    run(args.limit, args.tagger)
    print(f"({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
