"""The join-or-new variants tried beside the shipped trees, cross-fitted on the dev streams.

    .venv/bin/python bench/stories_join_variants.py               # every variant, thresholds 0.4 and 0.5
    .venv/bin/python bench/stories_join_variants.py --kinds gva   # on GVA < 2016 and overlaid alone

Each variant is fitted on the best-ranked candidates of the dev streams (as `stories_train.py` does) once
per fold, and each article is decided by the model fitted without its story's fold, so the figures are
comparable with stories_train.py's cross-fitted rows. Prints B-cubed / pairwise F1 per stream.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_eval as se  # noqa: E402
import stories_train as st  # noqa: E402
from newsfuse.stories import assign  # noqa: E402

# The article's own values join_values() ends with (a variant leaves them out).
OWN_VALUES = ("log_length", "log_candidates", "has_ages", "has_persons", "has_addresses")
THRESHOLDS = (0.4, 0.5)


class LogisticJoin:
    """A logistic join model over join_values(), as the shipped model was before the trees."""

    def __init__(self, rows: list[list[float]], labels: list[int], sample_weight: list[float]) -> None:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=st.REGULARISATION_C, max_iter=3000, fit_intercept=False)
        model.fit(rows, labels, sample_weight=sample_weight)
        self.weights = tuple(float(w) for w in model.coef_[0])

    def probability(self, values: list[float]) -> float:
        return assign.probability(values, self.weights)


class Without:
    """A model that never sees some join values (zeroed when fitted and when asked)."""

    def __init__(self, model, dropped: list[int]) -> None:  # type: ignore[no-untyped-def]
        self.model, self.dropped = model, dropped

    def probability(self, values: list[float]) -> float:
        return self.model.probability(zeroed(values, self.dropped))


class RankFloor:
    """The shipped trees, joining only where the rank model also gives the story at least `floor`."""

    def __init__(self, model: assign.JoinTrees, floor: float) -> None:
        self.model, self.floor = model, floor
        self.rank_logit = assign.JOIN_VALUES.index("rank_logit")

    def probability(self, values: list[float]) -> float:
        rank = 1.0 / (1.0 + math.exp(-values[self.rank_logit]))
        return self.model.probability(values) if rank >= self.floor else 0.0


def zeroed(values: list[float], dropped: list[int]) -> list[float]:
    return [0.0 if j in dropped else v for j, v in enumerate(values)]


def variants() -> dict:
    """Name -> a function fitting that variant on (rows, labels, sample weights)."""
    own = [assign.JOIN_VALUES.index(n) for n in OWN_VALUES]
    fit = st.fit_join_trees
    out = {
        "logistic": lambda r, y, w: LogisticJoin(r, y, w),
        "trees (shipped settings)": lambda r, y, w: fit(r, y, w),
        "trees, no monotone constraints": lambda r, y, w: fit(r, y, w, monotone=False),
        "trees without the article's own values": lambda r, y, w: Without(fit([zeroed(v, own) for v in r], y, w), own),
        "trees, depth 2, 300 trees": lambda r, y, w: fit(r, y, w, {"max_depth": 2, "max_iter": 300}),
        "trees, depth 4": lambda r, y, w: fit(r, y, w, {"max_depth": 4}),
        "trees, 400 trees": lambda r, y, w: fit(r, y, w, {"max_iter": 400}),
        "trees, 20 per leaf": lambda r, y, w: fit(r, y, w, {"min_samples_leaf": 20}),
        "trees, 100 per leaf": lambda r, y, w: fit(r, y, w, {"min_samples_leaf": 100}),
    }
    for floor in (0.2, 0.4):
        out[f"trees, rank floor {floor}"] = lambda r, y, w, f=floor: RankFloor(fit(r, y, w), f)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", nargs="*", default=list(st.KINDS), choices=st.KINDS)
    args = parser.parse_args()
    streams = st.dev_streams(tuple(args.kinds))
    tops, kinds = [], []
    for name, f, g in streams:
        found = st.training_pairs(f, g)[2]
        tops += found
        kinds += [st.stream_group(name)] * len(found)
    weights = st.kind_weights(Counter(kinds), kinds)
    for name, fit in variants().items():
        folds = []
        for k in range(se.CROSS_FOLDS):
            keep = [i for i, t in enumerate(tops) if se.fold_of(t[2]) != k]
            folds.append(fit([tops[i][0] for i in keep], [tops[i][1] for i in keep], [weights[i] for i in keep]))
        cells = []
        for threshold in THRESHOLDS:
            for stream_name, f, g in streams:
                s = se.scores(se.crossfit_stream(f, g, folds, threshold=threshold), g)
                cells.append(f"{stream_name} {s['b3_f1']:.3f} / {s['pair_f1']:.3f}")
        print(f"{name:<42} " + "   ".join(f"@{t}: " + "; ".join(cells[i * len(streams):(i + 1) * len(streams)])
                                        for i, t in enumerate(THRESHOLDS)), flush=True)


if __name__ == "__main__":
    main()
