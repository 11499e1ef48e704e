"""Build the attribution tagger's training cache for one PolNeAR split: features, MiniLM states and gold BIO tags.

Each paragraph of each article becomes one instance, labelled from each of its annotation files the way
CofeNet's BIO test split was made from PolNeAR (bench/polnear_bio.py checks that conversion against it).
Per token the cache holds what quote_tagger.token_features computes from the parse and the rules, and
MiniLM's states pooled per token (int8 ONNX layers 2 and 6); per word piece it holds layer 4's states, the
input of the layers bench/train_quote_tagger.py fine-tunes. Written incrementally (float16 arrays appended
to files, one JSON line per article once its arrays are on disk), so an interrupted build resumes where
it stopped.

  python bench/quote_tagger_cache.py --split train --out build/qt/train
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import entities, quote_tagger, quotes  # noqa: E402
from newsfuse.analyse.sentences import parse_articles  # noqa: E402
from newsfuse.text.models import TAGGER_INT8, minilm_layers, nlp  # noqa: E402
from polnear_bio import gold_fragments, paragraph_labels, split_files  # noqa: E402
from quotes_polnear import make_article  # noqa: E402

TOKEN_OUTPUTS = ("layer_1", "last_hidden_state")  # pooled per token: layers 2 and 6
PIECE_OUTPUT = "layer_3"  # per word piece: layer 4, below the fine-tuned layers
ARRAYS = ("features", "token_layers", "pieces", "piece_token")
CHUNK = 8  # articles parsed per nlp.pipe call: small, so an interruption loses little


def _open(out: Path, done: list[dict]) -> dict[str, object]:
    """Append handles, each file cut back to what the recorded articles wrote (a crash may leave more)."""
    sizes = {name: 0 for name in ARRAYS}
    if done:
        sizes = done[-1]["ends"]
    handles = {}
    for name in ARRAYS:
        path = out / f"{name}.bin"
        path.touch()
        with path.open("r+b") as f:
            f.truncate(sizes[name])
        handles[name] = path.open("ab")
    return handles


def build(split: str, out: Path, limit: int | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    index_path = out / "items.jsonl"
    done = [json.loads(line) for line in index_path.open()] if index_path.exists() else []
    seen = {d["article"] for d in done}
    handles = _open(out, done)
    ends = dict(done[-1]["ends"]) if done else {name: 0 for name in ARRAYS}
    files = [f for f in split_files(split) if f[0].stem not in seen][:limit]
    session, tokenizer = minilm_layers((*TOKEN_OUTPUTS, PIECE_OUTPUT), TAGGER_INT8)  # as the tagger runs it
    model = nlp()
    started, count = time.time(), 0
    with index_path.open("a") as index:
        for c in range(0, len(files), CHUNK):
            chunk = files[c:c + CHUNK]
            articles = []
            for path, _ in chunk:
                text = path.read_text(encoding="utf-8")
                articles.append(make_article(path.stem, text, [p for p in text.split("\n") if p.strip()]))
            for parsed, (path, anns) in zip(parse_articles(articles, model), chunk):
                golds = [gold_fragments(a) for a in anns]
                rule_spans = quote_tagger.rule_spans(parsed.article.text,
                                                     quotes.extract_quotes(parsed, entities.extract_mentions(parsed)))
                paragraphs = []
                for _, offset, doc in parsed.docs:
                    feats = quote_tagger.token_features(doc, offset, rule_spans).astype(np.float16)
                    windows = quote_tagger.minilm_windows(doc, tokenizer)
                    token_rows = np.zeros((len(doc), quote_tagger.MINILM_WIDTH * len(TOKEN_OUTPUTS)), np.float32)
                    counts = np.zeros(len(doc), np.float32)
                    window_spans = []
                    for ids, owners in windows:
                        states = quote_tagger.run_window(session, ids, (*TOKEN_OUTPUTS, PIECE_OUTPUT))
                        low = np.concatenate(states[:len(TOKEN_OUTPUTS)], axis=1)
                        for k, t in enumerate(owners):
                            if t >= 0:
                                token_rows[t] += low[k]
                                counts[t] += 1
                        handles["pieces"].write(states[-1].astype(np.float16).tobytes())
                        handles["piece_token"].write(np.asarray(owners, np.int32).tobytes())
                        window_spans.append((ends["piece_token"] // 4, len(ids)))
                        ends["pieces"] += len(ids) * quote_tagger.MINILM_WIDTH * 2
                        ends["piece_token"] += len(ids) * 4
                    token_rows /= np.clip(counts, 1, None)[:, None]
                    handles["features"].write(feats.tobytes())
                    handles["token_layers"].write(token_rows.astype(np.float16).tobytes())
                    paragraphs.append({
                        "token": ends["features"] // (2 * feats.shape[1]), "n": len(doc), "windows": window_spans,
                        "labels": [paragraph_labels(doc, offset, g) for g in golds],
                        "rules": quote_tagger.rule_tags(doc, offset, rule_spans),
                    })
                    ends["features"] += feats.nbytes
                    ends["token_layers"] += token_rows.shape[0] * token_rows.shape[1] * 2
                for h in handles.values():
                    h.flush()  # type: ignore[attr-defined]
                index.write(json.dumps({"article": path.stem, "annotations": [a.stem for a in anns],
                                        "paragraphs": paragraphs, "ends": dict(ends)}) + "\n")
                index.flush()
                count += 1
            print(f"{count + len(done)} articles ({time.time() - started:.0f} s)", flush=True)
    (out / "shapes.json").write_text(json.dumps({
        "features": quote_tagger.feature_width(), "token_layers": quote_tagger.MINILM_WIDTH * len(TOKEN_OUTPUTS),
        "token_outputs": TOKEN_OUTPUTS, "piece_output": PIECE_OUTPUT, "pieces": quote_tagger.MINILM_WIDTH}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("train", "dev"), required=True, help="Never test: it is for reporting.")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, help="Only the next N articles (a trial run).")
    args = parser.parse_args()
    build(args.split, args.out, args.limit)


if __name__ == "__main__":
    main()
