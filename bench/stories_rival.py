"""A young story's later members re-decided when a rival story opens, on the dev streams (cross-fitted).

    .venv/bin/python bench/stories_rival.py --load models.pkl   # models saved by stories_order.py --save

ECB+ in file order alternates a topic's two events, so the second event's first report joins the first
event's one-article story while it has no rival (bench/stories_order.py). Here the membership of a young
story stays provisional: when an article opens a new story, each candidate story it passed over that is
still young has its members after the first re-decided between what the rest of their story would be
without them and the new story; a member that fits the new one by the margin (rank log-odds) moves there.
Nothing of a held-out part is read.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_eval as se  # noqa: E402
import stories_order as so  # noqa: E402
from newsfuse.stories import assign  # noqa: E402
from newsfuse.stories.index import StoryIndex, StoryState, WeightedArticle  # noqa: E402


def _logit(a: WeightedArticle, members: list[WeightedArticle], weights: tuple[float, ...]) -> float:
    state = StoryState(id="probe")
    for m in members:
        state.add(m)
    p = min(max(assign.probability(assign.channels(a, state), weights), 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


class Provisional(assign.Assigner):
    """The shipped assignment with young stories' later members re-decided when a rival opens."""

    def __init__(self, weights, margin: float | None, young: int, rivals: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(StoryIndex(), weights, assign.JOIN_THRESHOLD, None)
        self.margin, self.young, self.rivals = margin, young, rivals
        self.members: dict[str, list[tuple[WeightedArticle, list[str]]]] = {}
        self.story_of: dict[str, str] = {}
        self.moved = 0

    def assign(self, features, story_id_for_new=None):  # type: ignore[no-untyped-def]
        decision = super().assign(features, story_id_for_new)
        article, ranked = self.last  # type: ignore[misc]
        entry = (article, self.index.lookup_keys(article, posting=True))
        for gone in decision.merged:
            self.members.pop(gone, None)
            self.members.pop(decision.story_id, None)
        self.story_of[features.article_id] = decision.story_id
        if decision.new:
            self.members[decision.story_id] = [entry]
            if self.margin is not None:
                self._rival(decision.story_id, ranked)
        elif decision.story_id in self.members:
            self.members[decision.story_id].append(entry)
            if len(self.members[decision.story_id]) > self.young:
                del self.members[decision.story_id]
        return decision

    def _rival(self, new_id: str, ranked: list) -> None:
        for _, story, _ in ranked[: self.rivals]:
            members = self.members.get(story.id)
            if not members or len(members) < 2:
                continue
            new = self.members[new_id]
            for k in range(len(members) - 1, 0, -1):
                article, keys = members[k]
                rest = [m[0] for i, m in enumerate(members) if i != k]
                stay = _logit(article, rest, self.weights)
                go = _logit(article, [m[0] for m in new], self.weights)
                if go - stay < self.margin:
                    continue
                self.moved += 1
                members.pop(k)
                state = StoryState(id=story.id)
                for m, _ in members:
                    state.add(m)
                self.index.put_story(state)
                if state.dense is not None:
                    self.index.dense.update(story.id, state.dense, state.dense_norm)
                self.index.add_to_story(self.index.story(new_id), article, keys)
                new.append((article, keys))
                self.story_of[article.features.article_id] = new_id


def run(name: str, weights, folds, margin, young, rivals) -> dict:  # type: ignore[no-untyped-def]
    feats, gold = so.dev_stream(name)
    assigner = Provisional(weights, margin, young, rivals)
    for feat, g in zip(feats, gold):
        assigner.join_model = folds[se.fold_of(g)]
        assigner.assign(feat)
    pred = [assigner.index.resolve(assigner.story_of[f.article_id]) for f in feats]
    return {**se.scores(pred, gold), "moved": assigner.moved}


def _margin(text: str) -> float | None:
    return None if text == "none" else float(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", type=Path, required=True)
    parser.add_argument("--streams", nargs="*", default=["ecb", "ecb shuffled", "gva", "gva overlaid", "uci"])
    parser.add_argument("--margins", nargs="*", type=_margin, default=[None, 0.0, 1.0, 2.0],
                        help="rank log-odds margins; none: no re-decision (the shipped assignment)")
    parser.add_argument("--young", type=int, default=3)
    parser.add_argument("--rivals", type=int, default=3)
    args = parser.parse_args()
    weights, _, folds = pickle.loads(args.load.read_bytes())
    for margin in args.margins:
        for name in args.streams:
            res = run(name, weights, folds, margin, args.young, args.rivals)
            print(f"margin {margin} young {args.young} rivals {args.rivals} {name:<13} B3 {res['b3_f1']:.3f} "
                  f"pairwise {res['pair_f1']:.3f} stories {res['stories']} moved {res['moved']}", flush=True)


if __name__ == "__main__":
    main()
