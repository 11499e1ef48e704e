"""Why stream order matters to story grouping, on the dev streams (cross-fitted), and the re-examinations tried.

    .venv/bin/python bench/stories_order.py --save out.pkl   # fit as stories_train.py does, then report
    .venv/bin/python bench/stories_order.py --load out.pkl   # report with models saved before

ECB+ groups better shuffled than in file order (held out 0.901 against 0.888 B-cubed). File order alternates
a topic's two events (A, B, A, B ...), so the second event's first report meets the first event while that
story is one article and has no rival; in a shuffled stream the two events more often meet when each has a
story of its own, and the article picks between them. This script measures that on the dev streams (each
article decided by join trees fitted without its story's fold, as stories_train.py reports): B-cubed per
order, the joins into a story that holds none of the article's event, by the story's size, and whether a
floor under the rank score would stop those into one-article stories, and the ECB+ streams with other
numbers of first articles decided by the rank score alone (assign.COLD_START_DOCS). Then it runs each re-examination tried
(a story's members looked at again as it grows; the member that fits the others least goes back to a story
of its own when the margin is large):

- "MiniLM cohesion": the member's mean cosine to the others against the others' mean among themselves;
- "rank cohesion": the same with the rank model's log-odds between single articles;
- "third article's vote": when a third article joins a two-article story, the member it matches less by
  the rank model's log-odds leaves when the two differ by the margin.

Nothing of a held-out part is read. None of the re-examinations was kept (BENCHMARKS.md, "Story grouping").
"""

from __future__ import annotations

import argparse
import itertools
import math
import pickle
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_data as sd  # noqa: E402
import stories_ecb  # noqa: E402
import stories_eval as se  # noqa: E402
import stories_train as st  # noqa: E402
from newsfuse.stories import assign  # noqa: E402
from newsfuse.stories.index import StoryIndex, StoryState, WeightedArticle  # noqa: E402

# Rank-score floors looked at for joins into one-article stories.
RANK_FLOORS = (0.2, 0.3, 0.4, 0.5)
# (name, margin) of each re-examination run; margins in cosine (MiniLM) or log-odds (rank) units.
VARIANTS = (("minilm", 0.2), ("minilm", 0.25), ("minilm", 0.3), ("rank", 3.0), ("rank", 4.0),
            ("vote", 2.0), ("vote", 4.0), ("vote", 6.0))
# Stories are re-examined while they have at most this many articles (members are kept that long).
YOUNG_MAX = 6
# COLD_START_DOCS values looked at on ECB+ (the shipped one is assign.COLD_START_DOCS).
COLD_STARTS = (0, 200)


def dev_stream(name: str) -> tuple[list, list[str]]:
    """(features, gold) of a dev stream: ecb, ecb shuffled, gva, gva overlaid, uci."""
    kind = name.split()[0]
    feats, gold, part = sd.stream_features(kind)
    dev = [i for i, p in enumerate(part) if p == "dev"]
    if name == "ecb shuffled":
        dev = stories_ecb.shuffled(dev)
    f, g = [feats[i] for i in dev], [f"{kind}:{gold[i]}" for i in dev]
    return se.overlaid(f, g) if name == "gva overlaid" else (f, g)


def _pair_logit(a: WeightedArticle, b: WeightedArticle, weights: tuple[float, ...]) -> float:
    """The rank model's log-odds that article `a` belongs to a story made of article `b` alone."""
    alone = StoryState(id="pair")
    alone.add(b)
    p = min(max(assign.probability(assign.channels(a, alone), weights), 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def minilm_odd(members: list[WeightedArticle], weights: tuple[float, ...], margin: float) -> int | None:
    return _cohesion_odd([[_cosine(a, b) for b in members] for a in members], margin)


def rank_odd(members: list[WeightedArticle], weights: tuple[float, ...], margin: float) -> int | None:
    one = [[_pair_logit(a, b, weights) if a is not b else 0.0 for b in members] for a in members]
    return _cohesion_odd([[(one[i][j] + one[j][i]) / 2 for j in range(len(one))] for i in range(len(one))], margin)


def vote_odd(members: list[WeightedArticle], weights: tuple[float, ...], margin: float) -> int | None:
    if len(members) != 3:
        return None
    to_first, to_second = (_pair_logit(members[2], m, weights) for m in members[:2])
    return None if abs(to_first - to_second) < margin else (0 if to_first < to_second else 1)


def _cosine(a: WeightedArticle, b: WeightedArticle) -> float:
    x, y = a.features.embedding, b.features.embedding
    return float(x @ y) / math.sqrt(float(x @ x) * float(y @ y))


def _cohesion_odd(sim: list[list[float]], margin: float) -> int | None:
    """The member whose mean similarity to the others is lowest, when the others' mean among themselves
    beats it by `margin`."""
    n = len(sim)
    if n < 3:
        return None
    mean = [sum(sim[i][j] for j in range(n) if j != i) / (n - 1) for i in range(n)]
    odd = min(range(n), key=lambda i: mean[i])
    rest = [j for j in range(n) if j != odd]
    inner = sum(sim[i][j] for i, j in itertools.combinations(rest, 2)) / math.comb(len(rest), 2)
    return odd if inner - mean[odd] >= margin else None


ODD: dict[str, Callable[[list[WeightedArticle], tuple[float, ...], float], int | None]] = {
    "minilm": minilm_odd, "rank": rank_odd, "vote": vote_odd}


class Reexamining(assign.Assigner):
    """The shipped assignment, with a young story's members looked at again each time it grows."""

    def __init__(self, weights: tuple[float, ...], odd: Callable | None, margin: float) -> None:
        super().__init__(StoryIndex(), weights, assign.JOIN_THRESHOLD, None)
        self.odd, self.margin = odd, margin
        self.members: dict[str, list[tuple[WeightedArticle, list[str]]]] = {}
        self.story_of: dict[str, str] = {}
        self.sent_back = 0

    def assign(self, features, story_id_for_new=None):  # type: ignore[no-untyped-def]
        decision = super().assign(features, story_id_for_new)
        article, _ = self.last  # type: ignore[misc]
        entry = (article, self.index.lookup_keys(article, posting=True))
        for gone in decision.merged:
            moved = self.members.pop(gone, None)
            if moved is not None and decision.story_id in self.members:
                self.members[decision.story_id] += moved
            else:
                self.members.pop(decision.story_id, None)
        self.story_of[features.article_id] = decision.story_id
        if decision.new:
            self.members[decision.story_id] = [entry]
        elif decision.story_id in self.members:
            self.members[decision.story_id].append(entry)
            if len(self.members[decision.story_id]) > YOUNG_MAX:
                del self.members[decision.story_id]
            elif self.odd is not None:
                self._reexamine(decision.story_id)
        return decision

    def _reexamine(self, story_id: str) -> None:
        members = self.members[story_id]
        odd = self.odd([m[0] for m in members], self.weights, self.margin)
        if odd is None:
            return
        self.sent_back += 1
        kept = [m for k, m in enumerate(members) if k != odd]
        state = StoryState(id=story_id)
        for article, _ in kept:
            state.add(article)
        self.index.put_story(state)
        if state.dense is not None:
            self.index.dense.update(story_id, state.dense, state.dense_norm)
        article, keys = members[odd]
        alone = StoryState(id=f"back{self.sent_back}:{article.features.article_id}")
        self.index.add_to_story(alone, article, keys)
        self.members[story_id], self.members[alone.id] = kept, [members[odd]]
        self.story_of[article.features.article_id] = alone.id


def run(name: str, weights: tuple[float, ...], folds: list, variant: tuple[str, float] | None = None) -> dict:
    """Scores of one dev stream, wrong joins by story size, and the rank scores of joins into one-article stories."""
    feats, gold = dev_stream(name)
    assigner = Reexamining(weights, ODD[variant[0]] if variant else None, variant[1] if variant else 0.0)
    members: dict[str, Counter] = defaultdict(Counter)
    wrong_by_size: Counter = Counter()
    singles: list[tuple[bool, float]] = []
    for feat, g in zip(feats, gold):
        assigner.join_model = folds[se.fold_of(g)]
        decision = assigner.assign(feat)
        _, ranked = assigner.last  # type: ignore[misc]
        if not decision.new:
            size = sum(members[decision.story_id].values())
            right = g in members[decision.story_id]
            wrong_by_size[min(size, 5)] += not right
            if size == 1:
                singles.append((right, ranked[0][0]))
        for gone in decision.merged:
            members[decision.story_id] += members.pop(gone, Counter())
        members[decision.story_id][g] += 1
    pred = [assigner.index.resolve(assigner.story_of[f.article_id]) for f in feats]
    return {**se.scores(pred, gold), "wrong_by_size": dict(sorted(wrong_by_size.items())), "singles": singles,
            "sent_back": assigner.sent_back}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--save", type=Path, help="pickle the fitted models here")
    parser.add_argument("--load", type=Path, help="use models saved by --save (or stories_train.py --save)")
    parser.add_argument("--streams", nargs="*", default=["ecb", "ecb shuffled", "gva", "gva overlaid", "uci"])
    args = parser.parse_args()
    if args.load:
        weights, _, folds = pickle.loads(args.load.read_bytes())
    else:
        weights, trees, folds = st.train(st.dev_streams(st.KINDS))
        if args.save:
            args.save.write_bytes(pickle.dumps((weights, trees, folds)))
    for name in args.streams:
        res = run(name, weights, folds)
        floors = "; ".join(f"<{c}: {sum(r for r, p in res['singles'] if p < c)} right, "
                           f"{sum(not r for r, p in res['singles'] if p < c)} wrong" for c in RANK_FLOORS)
        print(f"{name:<13} B3 {res['b3_f1']:.3f} pairwise {res['pair_f1']:.3f} stories {res['stories']} "
              f"(gold {res['gold']}); joins into a story without the article's event, by its size "
              f"{res['wrong_by_size']}; joins into one-article stories {len(res['singles'])} "
              f"({sum(not r for r, _ in res['singles'])} wrong), rank score {floors}", flush=True)
    shipped = assign.COLD_START_DOCS
    for docs in COLD_STARTS:
        assign.COLD_START_DOCS = docs
        for name in [n for n in args.streams if n.startswith("ecb")]:
            res = run(name, weights, folds)
            print(f"first {docs} articles by the rank score {name:<13} B3 {res['b3_f1']:.3f} pairwise {res['pair_f1']:.3f}",
                  flush=True)
    assign.COLD_START_DOCS = shipped
    for variant in VARIANTS:
        for name in args.streams:
            res = run(name, weights, folds, variant)
            print(f"{variant[0]} margin {variant[1]:<5} {name:<13} B3 {res['b3_f1']:.3f} pairwise "
                  f"{res['pair_f1']:.3f} stories {res['stories']} sent back {res['sent_back']}", flush=True)


if __name__ == "__main__":
    main()
