"""Fit the attribution tagger (src/newsfuse/analyse/quote_tagger.py) on PolNeAR's dev split and ship its weights.

PolNeAR's train split is not in ../shared/data, so the dev split (84 articles) is the training data:
every sixth article is held out to choose the number of epochs and the feature set, then the model is
refitted on all 84 with that choice. The test split is never read here (bench/quotes_polnear.py reports it).
Needs PyTorch for fitting only (`pip install torch==2.13.0`); newsfuse runs the weights with numpy.

  python bench/train_quote_tagger.py --features /tmp/qt_features.pkl            # hold-out run, prints F1 per epoch
  python bench/train_quote_tagger.py --features /tmp/qt_features.pkl --final    # refit on all dev, write weights
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import entities, quote_tagger, quotes  # noqa: E402
from newsfuse.text.models import minilm_layers, nlp  # noqa: E402
from newsfuse.analyse.sentences import parse_articles  # noqa: E402
from quotes_polnear import make_article, prf  # noqa: E402

OUT = ROOT / "src" / "newsfuse" / "analyse" / "data" / quote_tagger.WEIGHTS_FILE
HOLD_OUT_EVERY = 6
# MiniLM layers whose states the feature cache holds (ONNX output names: layer_norm_2k is layer k's output).
CACHED_OUTPUTS = ("layer_norm_2", "layer_norm_4", "layer_norm_6", "layer_norm_8", "last_hidden_state")
SEED = 13


def gold_fragments(path: Path) -> list[tuple[int, list[tuple[str, int, int]]]]:
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


def token_labels(doc, offset: int, attributions) -> list[str]:  # type: ignore[no-untyped-def]
    """Gold BIO tags of a paragraph; outer attributions first, a token keeps its first role (univocal)."""
    ordered = [fragment for _, fragments in sorted(attributions, key=lambda a: -a[0]) for fragment in fragments]
    return quote_tagger.rule_tags(doc, offset, ordered)


def build(split: str) -> list[dict]:
    """Per paragraph: article name, features with and without MiniLM, gold tags."""
    base = DATA / "polnear" / "data" / split
    articles, golds = [], []
    for path in sorted((base / "text").glob("*.txt")):
        ann = sorted((base / "attributions").glob(path.stem + "_*.ann"))
        if not ann:
            continue
        text = path.read_text(encoding="utf-8")
        articles.append(make_article(path.stem, text, [p for p in text.split("\n") if p.strip()]))
        golds.append(gold_fragments(ann[0]))
    session, tokenizer = minilm_layers(CACHED_OUTPUTS)
    items = []
    for parsed, gold in zip(parse_articles(articles, nlp()), golds):
        rule_spans = quote_tagger.rule_spans(parsed.article.text,
                                             quotes.extract_quotes(parsed, entities.extract_mentions(parsed)))
        docs = [doc for _, _, doc in parsed.docs]
        vectors = quote_tagger.minilm_token_vectors(docs, session, tokenizer, CACHED_OUTPUTS)
        for (_, offset, doc), rows in zip(parsed.docs, vectors):
            items.append({
                "article": parsed.article.id,
                "features": quote_tagger.token_features(doc, offset, rule_spans),
                "minilm": rows.astype(np.float16),
                "labels": token_labels(doc, offset, gold),
                "rules": quote_tagger.rule_tags(doc, offset, rule_spans),
            })
    return items


def with_features(item: dict, outputs: tuple[str, ...]) -> np.ndarray:
    """The parse features, then the chosen MiniLM layers, in the order `outputs` names them."""
    width = quote_tagger.MINILM_WIDTH
    parts = [item["features"]] + [item["minilm"][:, CACHED_OUTPUTS.index(o) * width:(CACHED_OUTPUTS.index(o) + 1) * width]
                                  .astype(np.float32) for o in outputs]
    return np.concatenate(parts, axis=1)


# ---------------------------------------------------------------- model (PyTorch, fitting only)

def make_model(width: int, hidden: int, dropout: float, layers: int):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    n = len(quote_tagger.LABELS)
    allowed = torch.tensor(quote_tagger.ALLOWED)
    start_ok = torch.tensor(quote_tagger.START_OK)

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.proj = nn.Linear(width, hidden)
            self.lstm = nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True, bidirectional=True,
                                dropout=dropout if layers > 1 else 0.0)
            self.out = nn.Linear(2 * hidden, n)
            self.drop = nn.Dropout(dropout)
            self.transitions = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))

        def emissions(self, x):  # type: ignore[no-untyped-def]
            h = self.drop(torch.relu(self.proj(x)))
            h, _ = self.lstm(h)
            return self.out(self.drop(h))

        def token_loss(self, x, y, mask):  # type: ignore[no-untyped-def]
            """Cross-entropy per token (no CRF: decoding still keeps to valid BIO sequences)."""
            scores = self.emissions(x)
            loss = nn.functional.cross_entropy(scores.reshape(-1, n), y.reshape(-1), reduction="none")
            return (loss * mask.reshape(-1)).sum()

        def nll(self, x, y, mask):  # type: ignore[no-untyped-def]
            """CRF negative log-likelihood under the BIO constraints, summed over the batch."""
            scores = self.emissions(x)
            trans = self.transitions.masked_fill(~allowed, -1e4)
            batch = torch.arange(x.shape[0])
            gold = self.start[y[:, 0]] + start_ok[y[:, 0]] + scores[batch, 0, y[:, 0]]
            alpha = self.start + start_ok + scores[:, 0]
            for t in range(1, x.shape[1]):
                m = mask[:, t]
                step = trans[y[:, t - 1], y[:, t]] + scores[batch, t, y[:, t]]
                gold = gold + step * m
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + scores[:, t]
                alpha = torch.where(m.unsqueeze(1) > 0, nxt, alpha)
            last = mask.sum(1).long() - 1
            gold = gold + self.end[y[batch, last]]
            log_z = torch.logsumexp(alpha + self.end, dim=1)
            return (log_z - gold).sum()

    return Tagger()


def export(model, mean: np.ndarray, scale: np.ndarray, meta: dict) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    return {
        "mean": mean, "scale": scale, "proj_w": sd["proj.weight"], "proj_b": sd["proj.bias"],
        **{f"lstm.{name}{layer}": value for layer in range(model.lstm.num_layers) for name, value in (
            ("w_ih_f", sd[f"lstm.weight_ih_l{layer}"]), ("w_hh_f", sd[f"lstm.weight_hh_l{layer}"]),
            ("b_f", sd[f"lstm.bias_ih_l{layer}"] + sd[f"lstm.bias_hh_l{layer}"]),
            ("w_ih_b", sd[f"lstm.weight_ih_l{layer}_reverse"]), ("w_hh_b", sd[f"lstm.weight_hh_l{layer}_reverse"]),
            ("b_b", sd[f"lstm.bias_ih_l{layer}_reverse"] + sd[f"lstm.bias_hh_l{layer}_reverse"]))},
        "out_w": sd["out.weight"], "out_b": sd["out.bias"], "transitions": sd["transitions"],
        "start": sd["start"], "end": sd["end"],
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
    }


def span_f1(pairs: list[tuple[list[str], list[str]]]) -> dict[str, tuple[float, float, float]]:
    """Exact-match P/R/F1 per role over paragraphs, as CofeNet's evaluation counts spans."""
    out = {}
    for role in quote_tagger.ROLES:
        tp = npred = ngold = 0
        for gold, pred in pairs:
            g = {s for s in quote_tagger.label_spans(gold) if s[0] == role}
            p = {s for s in quote_tagger.label_spans(pred) if s[0] == role}
            tp, npred, ngold = tp + len(g & p), npred + len(p), ngold + len(g)
        out[role] = prf(tp, npred, ngold)
    return out


def fit(train: list[dict], held: list[dict], args: argparse.Namespace, epochs: int) -> tuple[dict, list]:
    import torch

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    xs = [with_features(i, args.outputs) for i in train]
    stacked = np.concatenate(xs)
    mean = stacked.mean(0).astype(np.float32)
    scale = np.clip(stacked.std(0), 1e-3, None).astype(np.float32)
    index = {label: k for k, label in enumerate(quote_tagger.LABELS)}
    model = make_model(stacked.shape[1], args.hidden, args.dropout, args.layers)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-5)
    order = list(range(len(train)))
    history = []
    best = (-1.0, None, 0)
    for epoch in range(1, epochs + 1):
        model.train()
        # Paragraphs of similar length batched together: less padding, fewer CRF steps per epoch.
        random.shuffle(order)
        order.sort(key=lambda k: len(train[k]["labels"]) + random.random() * 8)
        batches = [order[b:b + args.batch] for b in range(0, len(order), args.batch)]
        random.shuffle(batches)
        order = [k for batch in batches for k in batch]
        total = 0.0
        for b in range(0, len(order), args.batch):
            batch = [order[k] for k in range(b, min(b + args.batch, len(order))) if len(train[order[k]]["labels"])]
            if not batch:
                continue
            length = max(len(train[k]["labels"]) for k in batch)
            x = np.zeros((len(batch), length, stacked.shape[1]), dtype=np.float32)
            y = np.zeros((len(batch), length), dtype=np.int64)
            m = np.zeros((len(batch), length), dtype=np.float32)
            for r, k in enumerate(batch):
                n = len(train[k]["labels"])
                x[r, :n] = (xs[k] - mean) / scale
                y[r, :n] = [index[label] for label in train[k]["labels"]]
                m[r, :n] = 1
            objective = model.nll if args.loss == "crf" else model.token_loss
            loss = objective(torch.tensor(x), torch.tensor(y), torch.tensor(m))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += float(loss.detach())
        model.eval()
        arrays = export(model, mean, scale, {})
        if held:
            w = quote_tagger.weights_from_arrays(arrays, {"minilm_outputs": args.outputs})
            pairs = [(i["labels"], quote_tagger.tag(w, with_features(i, args.outputs))) for i in held if len(i["labels"])]
            scores = span_f1(pairs)
            mean_f1 = sum(s[2] for s in scores.values()) / 3
            history.append((epoch, total, scores))
            print(f"epoch {epoch:2d} loss {total:9.1f}  " + "  ".join(
                f"{r} {s[0]:.1f}/{s[1]:.1f}/{s[2]:.1f}" for r, s in scores.items()) + f"  mean F1 {mean_f1:.1f}", flush=True)
            if mean_f1 > best[0]:
                best = (mean_f1, arrays, epoch)
        else:
            print(f"epoch {epoch:2d} loss {total:9.1f}", flush=True)
            best = (0.0, arrays, epoch)
    return best[1], history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", type=Path, required=True, help="Cache of the dev split's features (built if absent).")
    parser.add_argument("--minilm", default="", help=f"Comma-separated MiniLM layers to add, of {','.join(CACHED_OUTPUTS)}.")
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--loss", choices=("crf", "softmax"), default="softmax",
                        help="CRF likelihood, or per-token cross-entropy (several times faster to fit).")
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--save", type=Path, help="Hold-out run: write the best epoch's weights here.")
    parser.add_argument("--final", action="store_true", help=f"Refit on all dev articles and write {OUT}.")
    args = parser.parse_args()
    args.outputs = tuple(o for o in args.minilm.split(",") if o)
    started = time.time()
    if args.features.exists():
        items = pickle.loads(args.features.read_bytes())
    else:
        items = build("dev")
        args.features.write_bytes(pickle.dumps(items))
        print(f"features of {len(items)} paragraphs built in {time.time() - started:.0f} s", flush=True)
    names = sorted({i["article"] for i in items})
    held_names = set(names[::HOLD_OUT_EVERY])
    if args.final:
        arrays, _ = fit(items, [], args, args.epochs)
        meta = {"minilm_outputs": list(args.outputs), "epochs": args.epochs, "hidden": args.hidden, "layers": args.layers, "loss": args.loss, "dropout": args.dropout,
                "lr": args.lr, "trained_on": f"PolNeAR dev, {len(names)} articles, {len(items)} paragraphs",
                "features": quote_tagger.feature_width(args.outputs)}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(OUT, **{k: (v.astype(np.float16) if v.dtype == np.float32 else v) for k, v in arrays.items()})
        print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB) in {time.time() - started:.0f} s")
        return
    train = [i for i in items if i["article"] not in held_names]
    held = [i for i in items if i["article"] in held_names]
    rules = span_f1([(i["labels"], i["rules"]) for i in held if len(i["labels"])])
    print(f"{len(train)} training / {len(held)} held-out paragraphs ({len(held_names)} articles)")
    print("rules on held-out: " + "  ".join(f"{r} {s[0]:.1f}/{s[1]:.1f}/{s[2]:.1f}" for r, s in rules.items()))
    arrays, _ = fit(train, held, args, args.epochs)
    if args.save:
        meta = {"minilm_outputs": list(args.outputs), "trained_on": "PolNeAR dev without its held-out articles"}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        np.savez_compressed(args.save, **arrays)
        print(f"wrote the best held-out epoch's weights to {args.save}")
    print(f"({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
