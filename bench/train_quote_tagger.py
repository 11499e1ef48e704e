"""Fit the attribution tagger (src/newsfuse/analyse/quote_tagger.py) on PolNeAR's train split and ship its weights.

Reads the caches bench/quote_tagger_cache.py builds (train and dev; the test split is never read here,
bench/quotes_polnear.py reports it once). Every paragraph of every annotation file is one instance, in
CofeNet's BIO form (bench/polnear_bio.py). The model is fitted on train; after each epoch it is scored on
dev (exact-match span P/R/F1 per role, paragraph BIO, as CofeNet counts), and the best dev epoch's
weights are kept: dev chooses the epoch and every setting, train alone fits. A checkpoint is written each
epoch, so `--resume` continues an interrupted fit. Needs PyTorch for fitting only (`pip install
torch==2.13.0`); newsfuse runs the weights with numpy.

  python bench/quote_tagger_cache.py --split dev --out build/qt/dev
  python bench/quote_tagger_cache.py --split train --out build/qt/train
  python bench/train_quote_tagger.py --cache build/qt --name bilstm --epochs 8            # fit, dev F1 per epoch
  python bench/train_quote_tagger.py --cache build/qt --name bilstm --ship                # copy the best into the package
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import quote_tagger  # noqa: E402
from quotes_polnear import prf  # noqa: E402

OUT = ROOT / "src" / "newsfuse" / "analyse" / "data" / quote_tagger.BILSTM_FILE
SEED = 13
# The MiniLM layers among the shipped tagger's features, in this order (minilm_onnx outputs: layer_<i> is
# the state after encoder layer i, counted from 0): layers 2, 4 and 6, chosen on PolNeAR dev in the
# dev-only fit (BENCHMARKS.md). The shipped weights name them by the third-party export's nodes
# (layer_norm_4, layer_norm_8), which quote_tagger.LEGACY_OUTPUTS maps to these.
OUTPUTS = ("layer_1", "layer_3", "last_hidden_state")


class Split:
    """One cached split: per-token features and MiniLM layers as float16 memory maps, instances in order."""

    def __init__(self, path: Path) -> None:
        shapes = json.loads((path / "shapes.json").read_text())
        self.features = np.memmap(path / "features.bin", np.float16, "r").reshape(-1, shapes["features"])
        self.token_layers = np.memmap(path / "token_layers.bin", np.float16, "r").reshape(-1, shapes["token_layers"])
        self.pieces = np.memmap(path / "pieces.bin", np.float16, "r").reshape(-1, shapes["pieces"])
        self.piece_token = np.memmap(path / "piece_token.bin", np.int32, "r")
        self.pooled = self._pooled(path)
        self.instances: list[dict] = []
        for line in (path / "items.jsonl").open():
            article = json.loads(line)
            for k in range(len(article["annotations"])):
                for p in article["paragraphs"]:
                    if p["n"]:
                        self.instances.append({"article": article["article"], "token": p["token"], "n": p["n"],
                                               "windows": p["windows"], "labels": p["labels"][k], "rules": p["rules"]})

    def _pooled(self, path: Path) -> np.ndarray:
        """Layer 4 pooled per token (built once from the word pieces, then read back)."""
        target = path / "pooled_pieces.bin"
        if not target.exists():
            out = np.zeros((len(self.features), self.pieces.shape[1]), np.float32)
            counts = np.zeros(len(self.features), np.float32)
            for line in (path / "items.jsonl").open():
                for p in json.loads(line)["paragraphs"]:
                    for start, length in p["windows"]:
                        owners = np.asarray(self.piece_token[start:start + length])
                        keep = owners >= 0
                        np.add.at(out, p["token"] + owners[keep], self.pieces[start:start + length][keep].astype(np.float32))
                        np.add.at(counts, p["token"] + owners[keep], 1.0)
            (out / np.clip(counts, 1, None)[:, None]).astype(np.float16).tofile(target)
        return np.memmap(target, np.float16, "r").reshape(len(self.features), -1)

    def rows(self, item: dict) -> np.ndarray:
        """The tagger's input rows for one instance: parse features, then MiniLM layers 2, 4 and 6."""
        a, b = item["token"], item["token"] + item["n"]
        width = quote_tagger.MINILM_WIDTH
        return np.concatenate([self.features[a:b], self.token_layers[a:b, :width], self.pooled[a:b],
                               self.token_layers[a:b, width:]], axis=1).astype(np.float32)


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


def length_batches(indices: list[int], instances: list[dict], size: int, rng: random.Random) -> list[list[int]]:
    """Instances in batches of similar length (less padding, fewer CRF steps), the batches in random order."""
    indices.sort(key=lambda k: instances[k]["n"] + rng.random() * 8)
    batches = [indices[b:b + size] for b in range(0, len(indices), size)]
    rng.shuffle(batches)
    return batches


def fit(train: Split, dev: Split, args: argparse.Namespace, run: Path) -> None:
    import torch

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    sample = random.Random(args.seed).sample(range(len(train.instances)), min(2000, len(train.instances)))
    stacked = np.concatenate([train.rows(train.instances[k]) for k in sample])
    mean = stacked.mean(0).astype(np.float32)
    scale = np.clip(stacked.std(0), 1e-3, None).astype(np.float32)
    index = {label: k for k, label in enumerate(quote_tagger.LABELS)}
    model = make_model(stacked.shape[1], args.hidden, args.dropout, args.layers)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-5)
    first, history = 1, []
    checkpoint = run / "checkpoint.pt"
    if args.resume and checkpoint.exists():
        state = torch.load(checkpoint)
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        first, history = state["epoch"] + 1, state["history"]
        print(f"resumed after epoch {state['epoch']}", flush=True)
    order = list(range(len(train.instances)))
    meta = {"minilm_outputs": list(OUTPUTS), "hidden": args.hidden, "layers": args.layers, "loss": args.loss,
            "dropout": args.dropout, "lr": args.lr, "batch": args.batch, "seed": args.seed,
            "trained_on": f"PolNeAR train, {len(train.instances)} paragraph instances",
            "features": quote_tagger.feature_width(OUTPUTS)}
    for epoch in range(first, args.epochs + 1):
        started = time.time()
        model.train()
        rng = random.Random(args.seed * 1000 + epoch)
        rng.shuffle(order)
        batches = length_batches(order, train.instances, args.batch, rng)
        total = 0.0
        for step, batch in enumerate(batches):
            items = [train.instances[k] for k in batch]
            length = max(i["n"] for i in items)
            x = np.zeros((len(items), length, len(mean)), dtype=np.float32)
            y = np.zeros((len(items), length), dtype=np.int64)
            m = np.zeros((len(items), length), dtype=np.float32)
            for r, item in enumerate(items):
                x[r, :item["n"]] = (train.rows(item) - mean) / scale
                y[r, :item["n"]] = [index[label] for label in item["labels"]]
                m[r, :item["n"]] = 1
            objective = model.nll if args.loss == "crf" else model.token_loss
            loss = objective(torch.tensor(x), torch.tensor(y), torch.tensor(m))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += float(loss.detach())
            if step % 200 == 0:
                print(f"  epoch {epoch} step {step}/{len(batches)} loss {total / (step + 1):.2f} "
                      f"({time.time() - started:.0f} s)", flush=True)
        model.eval()
        arrays = export(model, mean, scale, {})
        w = quote_tagger.weights_from_arrays(arrays, {"minilm_outputs": OUTPUTS})
        scores = span_f1([(i["labels"], quote_tagger.tag(w, dev.rows(i))) for i in dev.instances])
        mean_f1 = sum(s[2] for s in scores.values()) / 3
        history.append({"epoch": epoch, "loss": total, "dev": scores, "mean_f1": mean_f1})
        print(f"epoch {epoch:2d} loss {total:9.1f}  " + "  ".join(
            f"{r} {s[0]:.1f}/{s[1]:.1f}/{s[2]:.1f}" for r, s in scores.items())
            + f"  mean F1 {mean_f1:.1f}  ({time.time() - started:.0f} s)", flush=True)
        if mean_f1 >= max(h["mean_f1"] for h in history):
            arrays["meta"] = np.frombuffer(json.dumps({**meta, "epoch": epoch, "dev_f1": scores}).encode("utf-8"),
                                           dtype=np.uint8)
            np.savez_compressed(run / "best.npz",
                                **{k: (v.astype(np.float16) if v.dtype == np.float32 else v) for k, v in arrays.items()})
        torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(), "epoch": epoch,
                    "history": history}, checkpoint)
        (run / "history.json").write_text(json.dumps(history, indent=1))


def ship(run: Path, out: Path) -> None:
    """Copy a run's best weights into the package."""
    shutil.copyfile(run / "best.npz", out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True, help="Folder with the train/ and dev/ caches.")
    parser.add_argument("--name", required=True, help="Run name: its checkpoint, history and best weights go in CACHE/runs/NAME.")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--loss", choices=("crf", "softmax"), default="crf",
                        help="CRF likelihood, or per-token cross-entropy (several times faster to fit).")
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--resume", action="store_true", help="Continue from the run's last checkpoint.")
    parser.add_argument("--ship", action="store_true", help=f"Copy the run's best weights to {OUT}.")
    args = parser.parse_args()
    run = args.cache / "runs" / args.name
    if args.ship:
        ship(run, OUT)
        return
    run.mkdir(parents=True, exist_ok=True)
    train, dev = Split(args.cache / "train"), Split(args.cache / "dev")
    rules = span_f1([(i["labels"], i["rules"]) for i in dev.instances])
    print(f"{len(train.instances)} training / {len(dev.instances)} dev paragraph instances")
    print("rules on dev: " + "  ".join(f"{r} {s[0]:.1f}/{s[1]:.1f}/{s[2]:.1f}" for r, s in rules.items()), flush=True)
    fit(train, dev, args, run)


if __name__ == "__main__":
    main()
