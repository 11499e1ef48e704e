"""A learned tagger for attribution spans: BIO source/cue/content per paragraph, BiLSTM-CRF over parse features.

Each token is described by what the analysis already has (spaCy's contextual tok2vec vector, tag,
dependency, entity type, reporting-verb lexicon, quotation marks, and the rules' own source/cue/content
tags) and, when the model was trained with them, MiniLM's contextual word-piece vectors: inner layers, and
top layers fine-tuned for this task (shipped here, built into the MiniLM graph in place of the reference
ones: quote_encoder.py). A BiLSTM reads the paragraph both ways and a CRF picks the best valid tag
sequence. The weights are fitted by `bench/finetune_quote_tagger.py` (`bench/train_quote_tagger.py` for
the head alone) and shipped with the package; the head runs in onnxruntime (tagger_head.py), or in numpy
where onnxruntime is not installed.
"""

from __future__ import annotations

import hashlib
import io
import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from newsfuse.analyse import lexicon, quote_encoder
from newsfuse.analyse.sentences import doc_length
from newsfuse.errors import ModelUnavailable

LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
ROLES = ("source", "cue", "content")
WEIGHTS_FILE = "quote_tagger.npz"
# The earlier tagger (a BiLSTM-CRF over frozen MiniLM layers 2, 4 and 6), kept selectable by this name.
BILSTM = "bilstm"
BILSTM_FILE = "quote_tagger_bilstm.npz"
CUE_LEMMAS_FILE = "cue_lemmas.txt"

POS_TAGS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
            "SCONJ", "SYM", "VERB", "X")
DEP_LABELS = ("ROOT", "acl", "acomp", "advcl", "advmod", "agent", "amod", "appos", "attr", "aux", "auxpass", "case",
              "cc", "ccomp", "compound", "conj", "csubj", "csubjpass", "dative", "dep", "det", "dobj", "expl", "intj",
              "mark", "meta", "neg", "nmod", "npadvmod", "nsubj", "nsubjpass", "nummod", "oprd", "parataxis", "pcomp",
              "pobj", "poss", "preconj", "predet", "prep", "prt", "punct", "quantmod", "relcl", "xcomp")
ENT_TYPES = ("PERSON", "ORG", "GPE", "NORP")
QUOTE_MARKS = frozenset("\"“”«»„")
ATTITUDE_LEMMAS = lexicon.INTENT_VERBS | lexicon.FOR_VERBS | lexicon.OBJECT_VERBS
CLAUSE_DEPS = frozenset(("ccomp", "xcomp", "parataxis", "advcl"))
N_FLAGS = 14
TENSOR_WIDTH = 96
MINILM_WIDTH = 384
MAX_PIECES = 256  # MiniLM's word pieces per call, [CLS] and [SEP] included
# Word pieces per MiniLM call: windows sorted by length and batched up to this many, padded and masked.
# 12 PolNeAR dev articles on one thread, best of 3 alternating runs on the shared machine: one window per
# call 84.4 s, batches of up to 1,024 pieces 75.9 s, 4,096 pieces 93.4 s; identical states. (Unsorted
# padded batches of 16 paragraphs were slower than one call each: 19.8 s against 17.7 s on 24 articles.)
BATCH_PIECES = 1024
POS_INDEX = {p: i for i, p in enumerate(POS_TAGS)}
DEP_INDEX = {d: i for i, d in enumerate(DEP_LABELS)}
ENT_INDEX = {e: i for i, e in enumerate(ENT_TYPES)}
LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
# Weights fitted on the third-party MiniLM export name its node outputs: layer_norm_2k is the state after
# encoder layer k-1 (each layer ends with its second LayerNorm; layer_norm_12 is the last state).
LEGACY_OUTPUTS = {**{f"layer_norm_{2 * (i + 1)}": f"layer_{i}" for i in range(5)}, "layer_norm_12": "last_hidden_state"}


def feature_width(minilm_outputs: tuple[str, ...] = ()) -> int:
    """Features per token: the parse's, then MINILM_WIDTH per MiniLM layer read."""
    return TENSOR_WIDTH + len(POS_TAGS) + len(DEP_LABELS) + len(ENT_TYPES) + N_FLAGS + len(LABELS) + (
        MINILM_WIDTH * len(minilm_outputs))


def rule_tags(doc: Any, offset: int, rule_spans: list[tuple[str, int, int]], idx: list[int] | None = None,
              lengths: list[int] | None = None) -> list[str]:
    """The rules' attributions as BIO tags over the paragraph's tokens (a token keeps its first role).

    `idx` and `lengths`, each token's character offset in the doc and length, when the caller has them."""
    tags = ["O"] * len(doc)
    if not len(doc):
        return tags
    if idx is None or lengths is None:
        idx, lengths = [t.idx for t in doc], [len(t) for t in doc]
    starts = [offset + i for i in idx]
    ends = [s + length for s, length in zip(starts, lengths)]
    for role, start, end in rule_spans:
        if end <= starts[0] or start >= ends[-1]:
            continue  # another paragraph's
        first = bisect_left(starts, start)
        inside = [i for i in range(first, bisect_right(ends, end)) if ends[i] <= end]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + role
    return tags


def token_features(doc: Any, offset: int, rule_spans: list[tuple[str, int, int]],
                   minilm_rows: np.ndarray | None = None) -> np.ndarray:
    """One row of features per token of a paragraph's spaCy doc.

    The parse is read in one `Doc.to_array` and the strings it names looked up once per distinct value:
    reading each token's attributes (three Token objects a token: itself, its head, its head's head) and
    setting ~20 cells one at a time was ~2.6 CPU-s per 1,000 GVA articles; the same values either way
    (tests/analyse/test_quote_tagger.py compares with a token-by-token reading)."""
    n = len(doc)
    width = feature_width() + (minilm_rows.shape[1] if minilm_rows is not None else 0)
    out = np.zeros((n, width), dtype=np.float32)
    if n == 0:
        return out
    tensor = doc.tensor if getattr(doc, "tensor", None) is not None and len(doc.tensor) == n else None
    if tensor is not None and tensor.shape[1] == TENSOR_WIDTH:
        out[:, :TENSOR_WIDTH] = tensor
    parse = _parse_columns(doc)
    col = TENSOR_WIDTH
    rows = np.arange(n)
    for column, index in ((parse.pos, POS_INDEX), (parse.dep, DEP_INDEX), (parse.ent_type, ENT_INDEX)):
        found = np.array([index.get(value, -1) for value in column], dtype=np.int64)
        hit = found >= 0
        out[rows[hit], col + found[hit]] = 1.0
        col += len(index)
    text, lower, heads = parse.text, parse.lower, parse.heads
    reporting = [lemma in lexicon.REPORTING_VERBS for lemma in parse.lemmas]
    is_quote = [t in QUOTE_MARKS or t in ("''", "``") for t in text]
    inside, inside_quotes = [], False
    for quote in is_quote:
        if quote:
            inside_quotes = not inside_quotes
        inside.append(inside_quotes)
    flags = np.zeros((n, N_FLAGS), dtype=bool)
    flags[:, 0] = is_quote
    flags[:, 1] = inside
    flags[:, 2] = reporting
    flags[:, 3] = [lemma in ATTITUDE_LEMMAS for lemma in parse.lemmas]
    flags[:, 4] = [reporting[h] and h != i for i, h in enumerate(heads)]
    flags[:, 5] = [reporting[heads[h]] and heads[h] != h for h in heads]
    flags[:, 6] = _under_reported(heads, [dep in CLAUSE_DEPS and reporting[h] for dep, h in zip(parse.dep, heads)])
    flags[:, 7] = parse.numbers[:, 0] == 1  # SENT_START: 1 where spaCy's is_sent_start is True
    flags[:, 8] = parse.numbers[:, 1] == 1  # IS_TITLE
    flags[:, 9] = parse.numbers[:, 2] == 1  # IS_PUNCT
    flags[:, 10] = [w in ("according", "to") and (w == "according" or (i > 0 and lower[i - 1] == "according"))
                    for i, w in enumerate(lower)]
    flags[:, 11] = parse.numbers[:, 3] == 3  # ENT_IOB: 3 is "B"
    flags[n - 1, 12] = True
    flags[:, 13] = parse.numbers[:, 4] == 1  # LIKE_NUM
    out[:, col:col + N_FLAGS] = flags
    col += N_FLAGS
    tags = rule_tags(doc, offset, rule_spans, parse.starts, parse.lengths)
    out[rows, col + np.array([LABEL_INDEX[tag] for tag in tags], dtype=np.int64)] = 1.0
    col += len(LABELS)
    if minilm_rows is not None:
        out[:, col:] = minilm_rows[:n]
    return out


@dataclass
class _ParseColumns:
    """What token_features reads of each token, as lists (strings) and one integer array."""

    pos: list[str]
    dep: list[str]
    ent_type: list[str]
    text: list[str]
    lower: list[str]
    lemmas: list[str]  # lower-cased
    heads: list[int]  # absolute token indexes
    starts: list[int]  # character offsets in the doc
    lengths: list[int]
    numbers: np.ndarray  # (n, 5): SENT_START, IS_TITLE, IS_PUNCT, ENT_IOB, LIKE_NUM


def _parse_columns(doc: Any) -> _ParseColumns:
    from spacy.attrs import (DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, IS_PUNCT, IS_TITLE, LEMMA, LENGTH, LIKE_NUM, LOWER,
                             ORTH, POS, SENT_START)
    from spacy.parts_of_speech import NAMES

    array = doc.to_array([POS, DEP, ENT_TYPE, ORTH, LOWER, LEMMA, HEAD, IDX, LENGTH,
                          SENT_START, IS_TITLE, IS_PUNCT, ENT_IOB, LIKE_NUM])
    strings = doc.vocab.strings
    names: dict[int, str] = {}

    def named(column: np.ndarray) -> list[str]:
        values = column.tolist()
        for value in set(values) - names.keys():
            names[value] = strings[value] if value else ""
        return [names[v] for v in values]

    lemma_names = named(array[:, 5])
    return _ParseColumns(
        pos=[NAMES.get(v, "") for v in array[:, 0].tolist()], dep=named(array[:, 1]), ent_type=named(array[:, 2]),
        text=named(array[:, 3]), lower=named(array[:, 4]), lemmas=[lemma.lower() for lemma in lemma_names],
        heads=(array[:, 6].astype(np.int64) + np.arange(len(array))).tolist(),
        starts=array[:, 7].tolist(), lengths=array[:, 8].tolist(),
        numbers=array[:, 9:].astype(np.int64),
    )


def under_reported_clause(doc: Any) -> list[bool]:
    """Per token: whether a clause below a reporting verb holds it (the usual place of reported content).

    One pass over the tree, each token's answer taken from its head's, so a paragraph parsed as one deep
    tree costs time linear in its tokens (walking every token's ancestors was quadratic).
    """
    heads = [t.head.i for t in doc]
    return _under_reported(heads, [t.dep_ in CLAUSE_DEPS and t.head.lemma_.lower() in lexicon.REPORTING_VERBS for t in doc])


def _under_reported(heads: list[int], opens: list[bool]) -> list[bool]:
    """under_reported_clause() from each token's head index and whether it opens a reported clause."""
    answer: list[bool | None] = [None] * len(heads)
    for i in range(len(heads)):
        path = []
        node = i
        while answer[node] is None:
            path.append(node)
            head = heads[node]
            if head == node:  # the root: no ancestor above it
                answer[node] = False
                path.pop()
                break
            if opens[head]:
                answer[node] = True
                path.pop()
                break
            node = head
        for walked in reversed(path):  # each below its head: it is under a clause when its head is
            answer[walked] = answer[heads[walked]]
    return [bool(a) for a in answer]


# Which words open the tagger's gate (may_attribute): "lexicon", the reporting and attitude verbs of
# lexicon.py, or "train", the 869 cue heads of PolNeAR train (cue_lemmas.txt). PolNeAR dev
# (bench/quote_gate.py): "lexicon" skips 22.2% of paragraphs and 12.6% of MiniLM's word pieces but 5.3 /
# 6.3 / 6.2% of the gold source / cue / content spans lie there; "train" skips 8.2% and 1.6% and loses
# 0.1 / 0.2 / 0.3%. Political news holds an attribution in nearly every paragraph; the gate pays on
# other text (captions, lists, scores), never at the cost of a real attribution.
GATE_WORDS = "train"
LEXICON_LEMMAS = lexicon.REPORTING_VERBS | ATTITUDE_LEMMAS


def gate_lemmas() -> frozenset[str]:
    """The words whose lemma opens the gate, as GATE_WORDS says."""
    return cue_lemmas() if GATE_WORDS == "train" else LEXICON_LEMMAS


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """The words that head a cue (bench/quote_gate.py collects them from PolNeAR train), with the lexicon's."""
    resource = resources.files("newsfuse.analyse").joinpath("data", CUE_LEMMAS_FILE)
    found = {line.strip() for line in resource.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")} if resource.is_file() else set()
    return frozenset(found | LEXICON_LEMMAS)


def may_attribute(doc: Any, offset: int, rule_spans: list[tuple[str, int, int]],
                  lemmas: frozenset[str] | None = None) -> bool:
    """Whether a paragraph can hold an attribution: a quotation mark, a cue word, "according", a colon
    after a name, or a rule quote. The tagger reads only such paragraphs (the rest cost its time for
    nothing: bench/quote_gate.py measures what it skips and loses)."""
    if not len(doc):
        return False
    end = offset + doc_length(doc)
    if any(offset <= start < end or offset < stop <= end for _, start, stop in rule_spans):
        return True
    lemmas = gate_lemmas() if lemmas is None else lemmas
    return any(t.text in QUOTE_MARKS or t.text in ("''", "``", ":") or t.lemma_.lower() in lemmas
               or t.lower_ == "according" for t in doc)


def minilm_windows(doc: Any, tokenizer: Any, max_pieces: int = MAX_PIECES) -> list[tuple[list[int], list[int]]]:
    """A paragraph's word pieces in windows of at most max_pieces, each with [CLS] and [SEP] at its ends:
    (piece ids, the spaCy token each piece belongs to, -1 for the markers and pieces outside any token)."""
    if not len(doc):
        return []
    tokenizer.no_padding()
    tokenizer.no_truncation()
    encoded = tokenizer.encode(doc.text)
    ids = encoded.ids
    char_token = _char_to_token(doc)
    owner = [-1] * len(ids)
    for piece, (s, e) in enumerate(encoded.offsets):
        if e > s and 0 < piece < len(ids) - 1 and s < len(char_token):
            owner[piece] = char_token[s]
    body = list(range(1, len(ids) - 1))
    windows = []
    for start in range(0, len(body), max_pieces - 2):
        chunk = body[start:start + max_pieces - 2]
        windows.append(([ids[0], *(ids[i] for i in chunk), ids[-1]], [-1, *(owner[i] for i in chunk), -1]))
    return windows


def run_window(session: Any, ids: list[int], outputs: tuple[str, ...]) -> list[np.ndarray]:
    """The named ONNX outputs of one window, one (pieces, width) array each."""
    window = np.array([ids], dtype=np.int64)
    feed = {"input_ids": window, "attention_mask": np.ones_like(window), "token_type_ids": np.zeros_like(window)}
    names = {i.name for i in session.get_inputs()}
    return [s[0] for s in session.run(list(outputs), {k: v for k, v in feed.items() if k in names})]


def pool_pieces(rows: np.ndarray, owners: list[int], n_tokens: int) -> np.ndarray:
    """Per-token mean of the word pieces' rows (zeros for a token without pieces)."""
    out = np.zeros((n_tokens, rows.shape[1]), dtype=np.float32)
    index = np.asarray(owners, dtype=np.int64)
    keep = index >= 0
    index, rows = index[keep], rows[keep]
    if not len(index):
        return out
    if np.all(index[1:] >= index[:-1]):
        # A token's pieces are consecutive (windows keep the text's order): one sum per run of pieces, the
        # same additions in the same order as np.add.at, which cost ~6 CPU-s per 1,000 GVA articles.
        starts = np.flatnonzero(np.concatenate(([True], index[1:] != index[:-1])))
        counts = np.diff(np.append(starts, len(index)))
        out[index[starts]] = run_sums(rows, starts, counts) / counts.astype(np.float32)[:, None]
        return out
    counts = np.zeros(n_tokens, dtype=np.float32)
    np.add.at(out, index, rows)
    np.add.at(counts, index, 1.0)
    return out / np.clip(counts, 1, None)[:, None]


def run_sums(rows: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """np.add.reduceat(rows, starts, axis=0) for runs rows[start:start + count], bit for bit, faster.

    reduceat along the first axis took ~0.45 ms a paragraph. It adds to each run's first row the sum of the
    others, summed from zero one after another (numpy's pairwise sum, sequential below 8 terms); here the
    k-th rows of all runs are added in one step. Runs of 9 rows or more (rare: a long URL) go to reduceat.
    """
    sums = rows[starts]
    short = np.flatnonzero((counts > 1) & (counts < 9))
    if len(short):
        rest = rows[starts[short] + 1]
        for k in range(2, int(counts[short].max())):
            longer = counts[short] > k
            rest[longer] += rows[starts[short][longer] + k]
        sums[short] = sums[short] + rest
    for run in np.flatnonzero(counts >= 9):
        sums[run] = np.add.reduceat(rows[starts[run]:starts[run] + counts[run]], [0], axis=0)[0]
    return sums


def minilm_token_vectors(docs: list[Any], session: Any, tokenizer: Any, outputs: tuple[str, ...] = ("last_hidden_state",),
                         max_pieces: int = MAX_PIECES, batch_pieces: int = BATCH_PIECES) -> list[np.ndarray]:
    """MiniLM's hidden states per spaCy token (mean over its word pieces; the named layers side by side).

    With batch_pieces, windows of similar length go through the model together, padded and masked, up to
    that many word pieces per call."""
    windows = [(d, w) for d, doc in enumerate(docs) for w in minilm_windows(doc, tokenizer, max_pieces)]
    states: list[np.ndarray | None] = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda k: len(windows[k][1][0]))
    start = 0
    while start < len(order):
        stop = start + 1
        while stop < len(order) and (stop - start + 1) * len(windows[order[stop]][1][0]) <= batch_pieces:
            stop += 1
        batch = [windows[k][1][0] for k in order[start:stop]]
        for k, rows in zip(order[start:stop], run_windows(session, batch, outputs)):
            states[k] = rows
        start = stop
    out: list[np.ndarray] = []
    for d, doc in enumerate(docs):
        mine = [(w, states[k]) for k, (owner, w) in enumerate(windows) if owner == d]
        if not mine:
            out.append(np.zeros((len(doc), MINILM_WIDTH * len(outputs)), dtype=np.float32))
            continue
        rows = mine[0][1] if len(mine) == 1 else np.concatenate([r for _, r in mine])  # type: ignore[misc]
        out.append(pool_pieces(rows, [o for (_, owners), _ in mine for o in owners], len(doc)))
    return out


def run_windows(session: Any, batch: list[list[int]], outputs: tuple[str, ...]) -> list[np.ndarray]:
    """The named outputs side by side, one (pieces, width) array per window; a batch is padded and masked."""
    if len(batch) == 1:
        return [np.concatenate(run_window(session, batch[0], outputs), axis=1)]
    length = max(len(ids) for ids in batch)
    window = np.zeros((len(batch), length), dtype=np.int64)
    mask = np.zeros_like(window)
    for r, ids in enumerate(batch):
        window[r, :len(ids)] = ids
        mask[r, :len(ids)] = 1
    feed = {"input_ids": window, "attention_mask": mask, "token_type_ids": np.zeros_like(window)}
    names = {i.name for i in session.get_inputs()}
    result = session.run(list(outputs), {k: v for k, v in feed.items() if k in names})
    both = np.concatenate(result, axis=2)
    return [both[r, :len(ids)] for r, ids in enumerate(batch)]


def _char_to_token(doc: Any) -> list[int]:
    mapping = [-1] * doc_length(doc)
    for t in doc:
        for k in range(t.idx, t.idx + len(t.text)):
            mapping[k] = t.i
    return mapping


@dataclass
class TaggerWeights:
    """A BiLSTM-CRF's parameters, as numpy arrays (PyTorch's LSTM gate order: input, forget, cell, output)."""

    mean: np.ndarray
    scale: np.ndarray
    proj_w: np.ndarray
    proj_b: np.ndarray
    lstm: dict[str, np.ndarray]
    out_w: np.ndarray
    out_b: np.ndarray
    transitions: np.ndarray
    start: np.ndarray
    end: np.ndarray
    minilm_outputs: tuple[str, ...]  # MiniLM layers (layer_<i>, last_hidden_state) among the features; () for none
    meta: dict[str, Any]
    top: dict[str, np.ndarray]  # fine-tuned MiniLM layers that replace the reference ones; {} for none


def version(choice: str | None = None) -> str:
    """`quote_tagger-<digest of the weights>`, or `off`: recorded with every analysis."""
    w = weights(choice)
    return "off" if w is None else f"quote_tagger-{w.meta.get('digest', 'unknown')}"


def weights(choice: str | None = None) -> TaggerWeights | None:
    """The tagger's weights: the `quote_tagger` setting (a file, `bilstm` for the earlier tagger, or `off`;
    None: the shipped ones), or None."""
    return _load((choice or "").strip())


@lru_cache(maxsize=4)
def _load(choice: str) -> TaggerWeights | None:
    if choice.lower() == "off":
        return None
    shipped = {"": WEIGHTS_FILE, BILSTM: BILSTM_FILE}.get(choice.lower())
    resource: Any = resources.files("newsfuse.analyse").joinpath("data", shipped) if shipped else Path(choice)
    if not resource.is_file():
        if not shipped:
            raise ModelUnavailable(f"the quote_tagger setting names {choice!r}, which is not a file: name a .npz file, {BILSTM} or off")
        return None
    raw = resource.read_bytes()
    with io.BytesIO(raw) as handle:
        data = np.load(handle, allow_pickle=False)
        arrays = {k: data[k].astype(np.float32) for k in data.files if k != "meta"}
        meta = json.loads(bytes(data["meta"]).decode("utf-8"))
    meta["digest"] = hashlib.sha256(raw).hexdigest()[:12]
    return weights_from_arrays(arrays, meta)


def weights_from_arrays(arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> TaggerWeights:
    """The arrays of a weights file (or of a model being fitted) as TaggerWeights."""
    lstm = {k[5:]: v for k, v in arrays.items() if k.startswith("lstm.")}
    return TaggerWeights(
        mean=arrays["mean"], scale=arrays["scale"], proj_w=arrays["proj_w"], proj_b=arrays["proj_b"], lstm=lstm,
        out_w=arrays["out_w"], out_b=arrays["out_b"], transitions=arrays["transitions"], start=arrays["start"],
        end=arrays["end"], minilm_outputs=tuple(LEGACY_OUTPUTS.get(n, n) for n in meta.get("minilm_outputs", ())), meta=meta,
        top=quote_encoder.unpack(arrays),
    )


def emissions(w: TaggerWeights, features: np.ndarray) -> np.ndarray:
    """Per-token label scores of the BiLSTM for one paragraph."""
    x = (features - w.mean) / w.scale
    x = np.maximum(x @ w.proj_w.T + w.proj_b, 0.0)
    layer = 0
    while f"w_ih_f{layer}" in w.lstm:
        forward = _lstm(x, w.lstm[f"w_ih_f{layer}"], w.lstm[f"w_hh_f{layer}"], w.lstm[f"b_f{layer}"])
        backward = _lstm(x[::-1], w.lstm[f"w_ih_b{layer}"], w.lstm[f"w_hh_b{layer}"], w.lstm[f"b_b{layer}"])[::-1]
        x = np.concatenate([forward, backward], axis=1)
        layer += 1
    return x @ w.out_w.T + w.out_b


def _lstm(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b: np.ndarray) -> np.ndarray:
    size = w_hh.shape[1]
    gates_in = x @ w_ih.T + b
    h = np.zeros(size, dtype=np.float32)
    c = np.zeros(size, dtype=np.float32)
    out = np.empty((len(x), size), dtype=np.float32)
    for t in range(len(x)):
        g = gates_in[t] + w_hh @ h
        i, f, cell, o = _sigmoid(g[:size]), _sigmoid(g[size:2 * size]), np.tanh(g[2 * size:3 * size]), _sigmoid(g[3 * size:])
        c = f * c + i * cell
        h = o * np.tanh(c)
        out[t] = h
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def allowed_transitions() -> np.ndarray:
    """A tag may be I-x only after B-x or I-x: the BIO rule the CRF decodes under."""
    n = len(LABELS)
    allowed = np.ones((n, n), dtype=bool)
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            role = label[2:]
            for i, previous in enumerate(LABELS):
                allowed[i, j] = previous in (f"B-{role}", f"I-{role}")
    return allowed


ALLOWED = allowed_transitions()
# No span opens with an inside tag.
START_OK = np.array([-1e4 if label.startswith("I-") else 0.0 for label in LABELS], dtype=np.float32)


def viterbi(scores: np.ndarray, transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """The best valid tag sequence under the CRF's transition scores."""
    trans = np.where(ALLOWED, transitions, -1e4)
    best = start + START_OK + scores[0]
    back = np.zeros((len(scores), len(LABELS)), dtype=np.int64)
    for t in range(1, len(scores)):
        total = best[:, None] + trans
        back[t] = total.argmax(axis=0)
        best = total.max(axis=0) + scores[t]
    best = best + end
    path = [int(best.argmax())]
    for t in range(len(scores) - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return path[::-1]


def viterbi_many(scores: list[np.ndarray], transitions: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[list[int]]:
    """viterbi() of each paragraph's scores (each with a token or more), bit for bit, one step for all
    paragraphs at once: stepping each paragraph on its own cost ~4 µs a token in numpy calls (3 CPU-s per
    1,000 GVA articles). Each step adds, compares and picks exactly as viterbi() does, per paragraph."""
    if not scores:
        return []
    trans = np.where(ALLOWED, transitions, -1e4)
    lengths = np.array([len(s) for s in scores])
    n = len(LABELS)
    padded = np.zeros((len(scores), int(lengths.max()), n), dtype=np.result_type(*scores))
    for row, s in enumerate(scores):
        padded[row, :len(s)] = s
    best = start + START_OK + padded[:, 0]
    back = np.zeros((len(scores), padded.shape[1], n), dtype=np.int64)
    for t in range(1, padded.shape[1]):
        live = np.flatnonzero(lengths > t)  # paragraphs still running (the longest first ends last)
        total = best[live][:, :, None] + trans
        back[live, t] = total.argmax(axis=1)
        best[live] = total.max(axis=1) + padded[live, t]
    best = best + end
    paths = []
    for row, length in enumerate(lengths):
        path = [int(best[row].argmax())]
        for t in range(int(length) - 1, 0, -1):
            path.append(int(back[row, t, path[-1]]))
        paths.append(path[::-1])
    return paths


def tag(w: TaggerWeights, features: np.ndarray) -> list[str]:
    """BIO labels for one paragraph's tokens."""
    if len(features) == 0:
        return []
    return decode(w, emissions(w, features))


def tag_many(w: TaggerWeights, features: list[np.ndarray]) -> list[list[str]]:
    """BIO labels for several paragraphs: the head in onnxruntime (tagger_head, paragraphs of similar length
    batched) where it is installed, else emissions() in numpy one paragraph at a time."""
    from newsfuse.analyse import tagger_head

    filled = [k for k, f in enumerate(features) if len(f)]
    scores = (tagger_head.emissions_many(w, [features[k] for k in filled]) if tagger_head.available()
              else [emissions(w, features[k]) for k in filled])
    out: list[list[str]] = [[] for _ in features]
    for k, labels in zip(filled, decode_many(w, scores)):
        out[k] = labels
    return out


def decode(w: TaggerWeights, scores: np.ndarray) -> list[str]:
    """The best valid BIO sequence for one paragraph's emission scores."""
    path = viterbi(log_probabilities(scores), w.transitions, w.start, w.end)
    return [LABELS[i] for i in path]


def decode_many(w: TaggerWeights, scores: list[np.ndarray]) -> list[list[str]]:
    """decode() of each paragraph's scores (each with a token or more), the same labels, all paragraphs
    stepped together (viterbi_many)."""
    paths = viterbi_many([log_probabilities(s) for s in scores], w.transitions, w.start, w.end)
    return [[LABELS[i] for i in path] for path in paths]


def log_probabilities(scores: np.ndarray) -> np.ndarray:
    """Log-probabilities per token: what a per-token model's scores mean; a CRF's best path is unchanged by it."""
    shifted = scores - scores.max(1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(1, keepdims=True))


def label_spans(labels: list[str]) -> list[tuple[str, int, int]]:
    """(role, first token, end token) for every span of BIO labels."""
    found: list[tuple[str, int, int]] = []
    role, begin = None, -1
    for i, label in enumerate([*labels, "O"]):
        if label.startswith("I-") and role == label[2:]:
            continue
        if role is not None:
            found.append((role, begin, i))
        role, begin = (label[2:], i) if label.startswith("B-") else (None, -1)
    return found


OPENERS = "“\"«„"
CLOSERS = "”\"»“"


def with_quote_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A direct quote's content widened to its quotation marks and the punctuation inside them (PolNeAR's span)."""
    s = start
    while s > 0 and text[s - 1] == " ":
        s -= 1
    if s > 0 and text[s - 1] in OPENERS:
        start = s - 1
    e = end
    while e < len(text) and text[e] in ",.?!;: '’":  # past a nested quote's closing mark too: ,'"
        e += 1
    if e < len(text) and text[e] in CLOSERS:
        end = e + 1
    return start, end


def rule_spans(text: str, quotes: Any) -> list[tuple[str, int, int]]:
    """(role, start, end) of the rules' quotes, direct contents with their quotation marks."""
    spans: list[tuple[str, int, int]] = []
    for q in sorted(quotes, key=lambda q: -(q.content_end - q.content_start)):
        spans.append(("content", *(with_quote_marks(text, q.content_start, q.content_end) if q.direct
                                   else (q.content_start, q.content_end))))
        if q.source_start is not None:
            spans.append(("source", q.source_start, q.source_end))
        if q.cue_start is not None:
            spans.append(("cue", q.cue_start, q.cue_end))
    return spans
