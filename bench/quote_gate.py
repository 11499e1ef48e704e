"""Where an attribution can be: the cue words of PolNeAR's train split, and what gating the tagger on them costs.

The attribution tagger (MiniLM + BiLSTM-CRF) is most of the analysis's cost. It only needs to run on
paragraphs that could hold an attribution: a quotation mark, "according to", a rule quote, or a cue word.
`--write` collects the cue words from PolNeAR's train split (the lemma of each gold cue's first verb, else of its
first noun, adjective or preposition, function words left out; lemmas seen at least MIN_COUNT times) into src/newsfuse/analyse/data/cue_lemmas.txt. Then,
on the dev split, it reports how many paragraphs and MiniLM word pieces the gate skips and how many gold
source/cue/content spans lie in skipped paragraphs (what gating can cost at most).

  python bench/quote_gate.py --write
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import entities, lexicon, quote_tagger, quotes  # noqa: E402
from newsfuse.analyse.sentences import parse_articles  # noqa: E402
from newsfuse.text.models import minilm, nlp  # noqa: E402
from newsfuse.text.words import FUNCTION_WORDS  # noqa: E402
from polnear_bio import gold_fragments, paragraph_labels, split_files  # noqa: E402
from quotes_polnear import make_article  # noqa: E402

OUT = ROOT / "src" / "newsfuse" / "analyse" / "data" / quote_tagger.CUE_LEMMAS_FILE
# A lemma must head this many train cues to enter the list (1 would take in every one-off phrasing).
MIN_COUNT = 2


def cue_lemmas() -> Counter[str]:
    """The head lemma of every gold cue in PolNeAR train (first verb of the cue, else its first noun,
    adjective or preposition), function words other than reporting verbs left out."""
    texts = []
    for path, anns in split_files("train"):
        text = path.read_text(encoding="utf-8")
        for ann in anns:
            for _, fragments in gold_fragments(ann):
                texts.extend(text[s:e] for role, s, e in fragments if role == "cue")
    counts: Counter[str] = Counter()
    for doc in nlp().pipe(texts, batch_size=256, disable=["parser", "ner"]):
        verbs = [t for t in doc if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() not in ("be", "have", "do", "will")]
        others = [t for t in doc if t.pos_ in ("NOUN", "ADJ", "ADP")]
        head = (verbs or others or [None])[0]
        if head is not None and (head.lemma_.lower() not in FUNCTION_WORDS or head.lemma_.lower() in lexicon.REPORTING_VERBS):
            counts[head.lemma_.lower()] += 1
    return counts


def measure_dev() -> None:
    """For each choice of gate words, what the gate skips on dev and how many gold spans lie there."""
    files = split_files("dev")
    articles = []
    for path, _ in files:
        text = path.read_text(encoding="utf-8")
        articles.append(make_article(path.stem, text, [p for p in text.split("\n") if p.strip()]))
    _, tokenizer = minilm(False)  # the tokenizer alone: the same for every variant
    gates = {"lexicon": quote_tagger.LEXICON_LEMMAS, "train": quote_tagger.cue_lemmas()}
    paragraphs = pieces = 0
    skipped: Counter[str] = Counter()
    pieces_skipped: Counter[str] = Counter()
    lost: dict[str, Counter[str]] = {g: Counter() for g in gates}
    total: Counter[str] = Counter()
    for parsed, (_, anns) in zip(parse_articles(articles, nlp()), files):
        rule_spans = quote_tagger.rule_spans(parsed.article.text,
                                             quotes.extract_quotes(parsed, entities.extract_mentions(parsed)))
        golds = [gold_fragments(a) for a in anns]
        for _, offset, doc in parsed.docs:
            n = sum(len(ids) for ids, _ in quote_tagger.minilm_windows(doc, tokenizer))
            paragraphs += 1
            pieces += n
            spans = [s for g in golds for s in quote_tagger.label_spans(paragraph_labels(doc, offset, g))]
            total.update(role for role, _, _ in spans)
            for name, lemmas in gates.items():
                if not quote_tagger.may_attribute(doc, offset, rule_spans, lemmas):
                    skipped[name] += 1
                    pieces_skipped[name] += n
                    lost[name].update(role for role, _, _ in spans)
    for name in gates:
        print(f"dev, gate words '{name}': skips {skipped[name]} of {paragraphs} paragraphs "
              f"({100 * skipped[name] / paragraphs:.1f}%), {pieces_skipped[name]:,} of {pieces:,} MiniLM word pieces "
              f"({100 * pieces_skipped[name] / pieces:.1f}%); gold spans in skipped paragraphs: " + ", ".join(
                  f"{r} {lost[name][r]} of {total[r]} ({100 * lost[name][r] / max(total[r], 1):.1f}%)"
                  for r in quote_tagger.ROLES), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"Collect the cue words from train into {OUT}.")
    args = parser.parse_args()
    if args.write:
        counts = cue_lemmas()
        kept = sorted(w for w, c in counts.items() if c >= MIN_COUNT and w.isalpha())
        covered = sum(counts[w] for w in kept)
        OUT.write_text("# Cue lemmas of PolNeAR train (bench/quote_gate.py; heads of at least "
                       f"{MIN_COUNT} gold cues): the tagger runs on paragraphs with one of them.\n"
                       + "\n".join(kept) + "\n", encoding="utf-8")
        print(f"wrote {len(kept)} lemmas covering {covered:,} of {sum(counts.values()):,} train cues to {OUT}")
        quote_tagger.cue_lemmas.cache_clear()
    measure_dev()


if __name__ == "__main__":
    main()
