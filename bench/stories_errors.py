"""Where ECB+ dev groups wrongly: each wrong join (into a story most of whose articles are another event) and
the stories that end holding both events of a topic, cross-fitted.

    .venv/bin/python bench/stories_train.py --save models.pkl      # fit once (as shipped), keep the folds
    .venv/bin/python bench/stories_errors.py --load models.pkl     # ECB+ dev in file order
    .venv/bin/python bench/stories_errors.py --load models.pkl --shuffled

Each article's join is decided by the trees fitted without its story's fold (stories_eval.crossfit_stream),
as stories_train.py reports. A wrong join is printed with the story's size before it, the join model's and
the rank model's probabilities, the headline (ECB+: the first sentence) and the channels that tell two
same-kind events apart. Nothing of a held-out part is read.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_data as sd  # noqa: E402
import stories_ecb  # noqa: E402
import stories_eval as se  # noqa: E402
from newsfuse.stories import assign  # noqa: E402
from newsfuse.stories.index import StoryIndex  # noqa: E402

# The channels printed with each wrong join.
SHOWN = ("title", "entities", "rare_entities", "dense", "quote_match", "number_clash", "year_clash",
         "title_names_match", "title_names_clash")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", type=Path, required=True, help="models saved by stories_train.py --save")
    parser.add_argument("--shuffled", action="store_true", help="the seeded shuffle instead of file order")
    args = parser.parse_args()
    weights, _, folds = pickle.loads(args.load.read_bytes())
    feats, gold, part = sd.stream_features("ecb")
    items = sd.ecb()
    dev = [i for i, p in enumerate(part) if p == "dev"]
    if args.shuffled:
        dev = stories_ecb.shuffled(dev)
    assigner = assign.Assigner(StoryIndex(), weights, assign.JOIN_THRESHOLD, None)
    members: dict[str, Counter] = {}
    wrong = 0
    pred = []
    for i in dev:
        g = f"ecb:{gold[i]}"
        assigner.join_model = folds[se.fold_of(g)]
        decision = assigner.assign(feats[i])
        _, ranked = assigner.last
        if not decision.new:
            best = ranked[0][1].id
            before = members.get(best, Counter())
            if before.most_common(1)[0][0] != g:
                wrong += 1
                values = dict(zip(assign.CHANNELS, ranked[0][2]))
                print(f"wrong join: p {decision.score:.2f}, rank {ranked[0][0]:.2f}, story of {sum(before.values())} "
                      f"{dict(before)} <- {gold[i]}: {items[i].article.title[:80]!r}")
                print("   ", {name: round(values[name], 2) for name in SHOWN})
        story = members.setdefault(decision.story_id, Counter())
        story[g] += 1
        for gone in decision.merged:
            story.update(members.pop(gone, Counter()))
        pred.append(decision.story_id)
    pred = [assigner.index.resolve(p) for p in pred]
    golds = [f"ecb:{gold[i]}" for i in dev]
    print(se.fmt("ECB+ dev x", {"all": se.scores(pred, golds)}))
    mixed = Counter()
    for p, g in zip(pred, golds):
        mixed[p, g] += 1
    by_story: dict[str, dict[str, int]] = {}
    for (p, g), n in mixed.items():
        by_story.setdefault(p, {})[g] = n
    both = [events for events in by_story.values() if len(events) > 1]
    print(f"{wrong} wrong joins; {len(both)} stories hold more than one event:")
    for events in both:
        print("   ", events)


if __name__ == "__main__":
    main()
