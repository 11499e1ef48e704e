"""Fine-tune MiniLM's top layers for "same fact" on ECB+ event coreference: fusion's statement vectors.

Pairs (ECB+ dev topics 1-35 only; 36-45 are held out everywhere, stories_data.ECB_TEST_TOPICS): two
sentences of different documents that hold mentions of one cross-document event chain are a positive; the
hard negatives of a sentence are sentences of the same topic about its other seminal event (same kind of
event, another one) and sentences of the same event's documents that share no event chain with it.
Only the top MiniLM layers are fitted (PyTorch, fitting only), on the word-piece states below them from the
reference fp32 graph, cached once (the layers below stay frozen); the loss is contrastive (in-batch, or each
sentence against its own hard negatives with --own-only) over what fusion compares: the pooled cosine and
the BERTScore-style piece recall (fuse/pairs.py).

The fitted layers ship int8 per output row (analyse/quote_encoder.pack, as the attribution tagger's) and
replace the reference ones in the statement graph (models.minilm_tuned); SuperPAL dev, cross-fitted by
topic with the pair model refitted per fold (`bench/align_superpal.py --train --statements FILE`), says
whether they pay. ECB+ topics 31-35 are this script's own check (pair ranking), never trained on.

  nice -n 5 python bench/finetune_statements.py --cache build/fts --name t2 --top 1 --steps 250 --every 50 --lr 1e-4
  python bench/align_superpal.py --train --statements build/fts/runs/t2/step100.npz

Result (2026-12-01, BENCHMARKS.md "Fact alignment"): no run beat the stock vectors on SuperPAL dev
(cross-fitted F1 0.682 stock, 0.667-0.681 fine-tuned, lower the longer it fits), so nothing ships.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from newsfuse.analyse import quote_encoder  # noqa: E402
from newsfuse.text import minilm_onnx  # noqa: E402
from newsfuse.text.embeddings import MAX_TOKENS  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ecbplus"
TRAIN_TOPICS = range(1, 31)
CHECK_TOPICS = range(31, 36)  # ECB+ dev topics kept out of the fit: the script's own ranking check
SEED = 7


@dataclass
class Sentence:
    doc: str
    topic: int
    subtopic: str
    events: frozenset[str]
    text: str


_DETOK = [(re.compile(r"``\s*|\s*''"), '"'), (re.compile(r"\s+([.,;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$])\s+"), r"\1"),
          (re.compile(r"\s+('s|'re|'ve|'ll|'d|n't|')\b"), r"\1"), (re.compile(r"\s+-\s+"), "-")]


def detokenize(text: str) -> str:
    """ECB+'s space-joined tokens back to running text ("Lohan rear - ended" -> "Lohan rear-ended")."""
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def load(topics: range) -> list[Sentence]:
    """Sentences of the topics that mention a cross-document event chain, with those chains."""
    docs = [json.loads(line) for line in gzip.open(DATA / "ecbplus_docs.jsonl.gz", "rt", encoding="utf-8")]
    mentions = {}
    for line in gzip.open(DATA / "ecbplus_mentions.jsonl.gz", "rt", encoding="utf-8"):
        row = json.loads(line)
        mentions[row["doc_id"]] = row["mentions"]
    out = []
    for doc in docs:
        if doc["topic"] not in topics:
            continue
        events: dict[int, set[str]] = defaultdict(set)
        for m in mentions.get(doc["doc_id"], []):
            if m["cross_doc"] and m["chain"] and m["type"].startswith(("ACTION", "NEG_ACTION")):
                events[m["sentence"]].add(m["chain"])
        for s in doc["sentences"]:
            if events.get(s["sid"]):
                out.append(Sentence(doc["doc_id"], doc["topic"], doc["subtopic"], frozenset(events[s["sid"]]),
                                    detokenize(s["text"])))
    return out


def positives(sentences: list[Sentence]) -> list[tuple[int, int]]:
    by_event: dict[str, list[int]] = defaultdict(list)
    for k, s in enumerate(sentences):
        for e in s.events:
            by_event[e].append(k)
    found = set()
    for members in by_event.values():
        for a in members:
            for b in members:
                if a < b and sentences[a].doc != sentences[b].doc:
                    found.add((a, b))
    return sorted(found)


def hard_negatives(sentences: list[Sentence]) -> list[list[int]]:
    """Per sentence: same topic, other seminal event; or same event's documents, no shared event chain."""
    by_topic: dict[int, list[int]] = defaultdict(list)
    for k, s in enumerate(sentences):
        by_topic[s.topic].append(k)
    return [[j for j in by_topic[s.topic] if sentences[j].doc != s.doc and not (sentences[j].events & s.events)]
            for s in sentences]


def cache_states(sentences: list[Sentence], path: Path, below: int) -> None:
    """The word-piece states after encoder layer `below` (0-based) of each sentence from the reference fp32
    graph (the input of the fitted layers), and which pieces have a character span (the ones embed_tokens keeps)."""
    if path.is_file():
        return
    from newsfuse.text.models import minilm_layers

    session, tokenizer = minilm_layers((f"layer_{below}",), False)
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    states, real, starts = [], [], [0]
    for s in sentences:
        e = tokenizer.encode(s.text)
        ids = np.array([e.ids], dtype=np.int64)
        out = session.run([f"layer_{below}"], {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                        "token_type_ids": np.zeros_like(ids)})[0][0]
        states.append(out.astype(np.float16))
        real.append(np.array([t > a for a, t in e.offsets], dtype=bool))
        starts.append(starts[-1] + len(out))
    np.savez(path, states=np.concatenate(states), real=np.concatenate(real), starts=np.array(starts))


class States:
    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.states, self.real, self.starts = data["states"], data["real"], data["starts"]

    def batch(self, items: list[int]):  # type: ignore[no-untyped-def]
        """(pieces, attention mask, real-piece mask) tensors for the sentences, padded."""
        import torch

        lengths = [int(self.starts[i + 1] - self.starts[i]) for i in items]
        width = max(lengths)
        x = np.zeros((len(items), width, 384), np.float32)
        mask = np.zeros((len(items), width), np.float32)
        real = np.zeros((len(items), width), np.float32)
        for r, (i, n) in enumerate(zip(items, lengths)):
            x[r, :n] = self.states[self.starts[i]:self.starts[i + 1]]
            mask[r, :n] = 1
            real[r, :n] = self.real[self.starts[i]:self.starts[i + 1]]
        return torch.tensor(x), torch.tensor(mask), torch.tensor(real)


def encode(top, states: States, items: list[int]):  # type: ignore[no-untyped-def]
    """Unit-length piece vectors (batch, pieces, 384), the real-piece mask and the pooled unit vectors."""
    import torch

    x, mask, real = states.batch(items)
    out = top(x, mask)
    pooled = (out * real[..., None]).sum(1) / real.sum(1, keepdim=True).clamp(min=1)
    return (torch.nn.functional.normalize(out, dim=-1), real, torch.nn.functional.normalize(pooled, dim=-1))


def piece_recall(a, a_real, b, b_real):  # type: ignore[no-untyped-def]
    """(A, B) BERTScore-style recall: mean over a's real pieces of the best cosine with b's real pieces."""
    cos = torch_einsum("ipd,jqd->ijpq", a, b)
    cos = cos.masked_fill(b_real[None, :, None, :] == 0, -2.0)
    best = cos.max(dim=3).values  # (A, B, pa)
    return (best * a_real[:, None, :]).sum(2) / a_real.sum(1)[:, None].clamp(min=1)


def torch_einsum(spec: str, *xs):  # type: ignore[no-untyped-def]
    import torch

    return torch.einsum(spec, *xs)


def ranking_check(top, states: States, sentences: list[Sentence], rng: random.Random, count: int = 200) -> dict[str, float]:
    """On the check topics: for sampled positive pairs, how often the positive outranks each sentence's hard
    negatives (pooled cosine and piece recall), as a pair-ordering AUC."""
    import torch

    pos = positives(sentences)
    negatives = hard_negatives(sentences)
    chosen = rng.sample(pos, min(count, len(pos)))
    wins = {"pooled": 0.0, "recall": 0.0}
    total = 0
    top.eval()
    with torch.no_grad():
        for k in range(0, len(chosen), 32):
            part = chosen[k:k + 32]
            negs = [rng.choice(negatives[a]) if negatives[a] else b for a, b in part]
            pa, ra, va = encode(top, states, [a for a, _ in part])
            pb, rb, vb = encode(top, states, [b for _, b in part])
            pn, rn, vn = encode(top, states, negs)
            for name, good, bad in (("pooled", (va * vb).sum(1), (va * vn).sum(1)),
                                    ("recall", piece_recall(pa, ra, pb, rb).diagonal(), piece_recall(pa, ra, pn, rn).diagonal())):
                wins[name] += float(((good > bad).float() + 0.5 * (good == bad).float()).sum())
            total += len(part)
    top.train()
    return {k: v / max(total, 1) for k, v in wins.items()}


def fit(args: argparse.Namespace) -> None:
    import torch
    from finetune_quote_tagger import make_top

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    args.cache.mkdir(parents=True, exist_ok=True)
    train, check = load(TRAIN_TOPICS), load(CHECK_TOPICS)
    # The frozen layers run once, here: the fit starts from the state below the first fitted layer.
    below = 5 - args.top
    for name, sentences in (("train", train), ("check", check)):
        cache_states(sentences, args.cache / f"{name}_layer{below}.npz", below)
    train_states, check_states = (States(args.cache / f"{name}_layer{below}.npz") for name in ("train", "check"))
    pos, negatives = positives(train), hard_negatives(train)
    print(f"ECB+ topics {TRAIN_TOPICS.start}-{TRAIN_TOPICS.stop - 1}: {len(train)} sentences, {len(pos)} positive pairs; "
          f"check topics {CHECK_TOPICS.start}-{CHECK_TOPICS.stop - 1}: {len(check)} sentences", flush=True)
    reference = {k: v for k, v in minilm_onnx.reference_weights().items() if k.startswith("encoder.layer.")}
    trained = list(range(6 - args.top, 6))
    top = make_top(reference, trained, trained, args.dropout)
    params = [p for p in top.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    total_steps = args.steps
    warmup = max(1, total_steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total_steps - s) / (total_steps - warmup))))
    run = args.cache / "runs" / args.name
    run.mkdir(parents=True, exist_ok=True)
    history = [{"step": 0, "check": ranking_check(top, check_states, check, random.Random(1))}]
    print(f"step 0 check {history[-1]['check']}", flush=True)
    started = time.time()
    running = 0.0
    for step in range(1, total_steps + 1):
        batch = rng.sample(pos, args.batch)
        batch = [(a, b) if rng.random() < 0.5 else (b, a) for a, b in batch]
        anchors = [a for a, _ in batch]
        others = [b for _, b in batch] + [rng.choice(negatives[a]) if negatives[a] else rng.randrange(len(train))
                                          for a in anchors for _ in range(args.hard)]
        pa, ra, va = encode(top, train_states, anchors)
        pb, rb, vb = encode(top, train_states, others)
        # Another anchor's positive may be about the same event: not a negative for this anchor. With
        # --own-only, an anchor is ranked against its own hard negatives alone (same topic, other event): the
        # in-batch ones are mostly other topics, which the stock vectors already tell apart.
        owner = list(range(len(anchors))) + [i for i in range(len(anchors)) for _ in range(args.hard)]
        same = torch.tensor([[(bool(train[a].events & train[o].events) or (args.own_only and owner[j] != i)) and j != i
                              for j, o in enumerate(others)] for i, a in enumerate(anchors)])
        target = torch.arange(len(anchors))
        loss = 0.0
        if args.pooled_weight:
            logits = (va @ vb.T * args.scale).masked_fill(same, -1e4)
            loss = loss + args.pooled_weight * torch.nn.functional.cross_entropy(logits, target)
        if args.recall_weight:
            recall = piece_recall(pa, ra, pb, rb)
            logits = (recall * args.scale).masked_fill(same, -1e4)
            loss = loss + args.recall_weight * torch.nn.functional.cross_entropy(logits, target)
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        schedule.step()
        running += float(loss.detach())
        if step % args.every == 0 or step == total_steps:
            history.append({"step": step, "loss": running / args.every, "check": ranking_check(top, check_states, check, random.Random(1))})
            running = 0.0
            print(f"step {step} loss {history[-1]['loss']:.3f} check {history[-1]['check']} "
                  f"({time.time() - started:.0f} s)", flush=True)
            save(top, trained, args, run, history, len(train), len(pos))


def save(top, trained: list[int], args: argparse.Namespace, run: Path, history: list[dict], sentences: int,
         pairs: int) -> None:  # type: ignore[no-untyped-def]
    """The fitted layers as a weights file (int8 per output row) with what they were fitted on."""
    arrays = quote_encoder.pack({k: v for k, v in top.arrays().items() if int(k.split(".")[2]) in trained})
    meta = {"trained_layers": trained, "fitted_on": f"ECB+ topics {TRAIN_TOPICS.start}-{TRAIN_TOPICS.stop - 1}: "
            f"{sentences} sentences, {pairs} positive pairs (a shared cross-document event chain)",
            "loss": {"pooled": args.pooled_weight, "recall": args.recall_weight, "scale": args.scale,
                     "hard": args.hard, "own_only": args.own_only},
            "lr": args.lr, "steps": history[-1]["step"], "batch": args.batch, "seed": args.seed,
            "dropout": args.dropout, "check": history[-1]["check"]}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), np.uint8)
    np.savez_compressed(run / f"step{history[-1]['step']}.npz", **arrays)
    (run / "history.json").write_text(json.dumps(history, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--top", type=int, choices=(1, 2), default=1)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--pooled-weight", type=float, default=1.0)
    parser.add_argument("--recall-weight", type=float, default=1.0)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--hard", type=int, default=1, help="hard negatives per anchor")
    parser.add_argument("--own-only", action="store_true", help="rank each anchor against its own hard negatives only")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=SEED)
    fit(parser.parse_args())


if __name__ == "__main__":
    main()
