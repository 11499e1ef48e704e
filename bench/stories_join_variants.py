"""The join-or-new variants tried beside the shipped trees, cross-fitted on GVA < 2016 and overlaid.

    .venv/bin/python bench/stories_join_variants.py           # every variant, thresholds 0.4 and 0.5

Each variant is fitted on the best-ranked candidates of the tuning streams (as `stories_gva.py --train`
does) once per fold, and each article is decided by the model fitted without its incident's fold, so
the figures are comparable with `--train`'s cross-fitted rows. Prints B-cubed / pairwise F1 per stream.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_gva as sg  # noqa: E402
from newsfuse.stories import assign  # noqa: E402

# The article's own values join_values() ends with (a variant leaves them out).
OWN_VALUES = ("log_length", "log_candidates", "has_ages", "has_persons", "has_addresses")
THRESHOLDS = (0.4, 0.5)


class LogisticJoin:
    """A logistic join model over join_values(), as the shipped model was before the trees."""

    def __init__(self, rows: list[list[float]], labels: list[int]) -> None:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=sg.REGULARISATION_C, max_iter=3000, fit_intercept=False).fit(rows, labels)
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


def variants(rows: list[list[float]], labels: list[int]) -> dict:
    """Name -> a function fitting that variant on (rows, labels)."""
    own = [assign.JOIN_VALUES.index(n) for n in OWN_VALUES]
    out = {
        "logistic": lambda r, y: LogisticJoin(r, y),
        "trees (shipped settings)": lambda r, y: sg.fit_join_trees(r, y),
        "trees, no monotone constraints": lambda r, y: sg.fit_join_trees(r, y, monotone=False),
        "trees without the article's own values": lambda r, y: Without(sg.fit_join_trees([zeroed(v, own) for v in r], y), own),
        "trees, depth 2, 300 trees": lambda r, y: sg.fit_join_trees(r, y, {"max_depth": 2, "max_iter": 300}),
        "trees, depth 4": lambda r, y: sg.fit_join_trees(r, y, {"max_depth": 4}),
        "trees, 400 trees": lambda r, y: sg.fit_join_trees(r, y, {"max_iter": 400}),
        "trees, rate 0.1, 100 trees": lambda r, y: sg.fit_join_trees(r, y, {"learning_rate": 0.1, "max_iter": 100}),
        "trees, 20 per leaf": lambda r, y: sg.fit_join_trees(r, y, {"min_samples_leaf": 20}),
        "trees, 100 per leaf": lambda r, y: sg.fit_join_trees(r, y, {"min_samples_leaf": 100}),
    }
    for floor in (0.2, 0.3, 0.4, 0.5):
        out[f"trees, rank floor {floor}"] = lambda r, y, f=floor: RankFloor(sg.fit_join_trees(r, y), f)
    return out


def main() -> None:
    rows = sg.load_gva()
    feats = sg.cached_features(rows)
    gold = [str(r["incident_id"]) for r in rows]
    tune, _ = sg.split(rows, feats)
    plain = ([feats[i] for i in tune], [gold[i] for i in tune])
    streams = [plain, sg.overlaid(*plain)]
    tops = [top for f, g in streams for top in sg.training_pairs(f, g)[2]]
    for name, fit in variants([t[0] for t in tops], [t[1] for t in tops]).items():
        folds = [fit([t[0] for t in tops if sg.fold_of(t[2]) != k], [t[1] for t in tops if sg.fold_of(t[2]) != k])
                 for k in range(sg.CROSS_FOLDS)]
        cells = []
        for threshold in THRESHOLDS:
            for f, g in streams:
                s = sg.report(sg.crossfit_stream(f, g, folds, threshold=threshold), g)["all"]
                cells.append(f"{s['b3_f1']:.3f} / {s['pair_f1']:.3f}")
        print(f"{name:<42} " + "   ".join(f"@{t}: {cells[2 * i]}; {cells[2 * i + 1]}" for i, t in enumerate(THRESHOLDS)),
              flush=True)


if __name__ == "__main__":
    main()
