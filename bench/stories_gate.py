"""Join trees per kind of news mixed by a learned kind gate, against one set over every kind, on the dev
streams (cross-fitted).

    .venv/bin/python bench/stories_gate.py --load models.pkl   # rank weights saved by stories_train.py --save

GVA's pairwise F1 fell when the join trees were fitted on every kind of news (BENCHMARKS.md, "Story
grouping"). Here the rank model stays fitted on every kind, and the join decision is made by one set of
trees per kind of news, mixed by the shares of a kind gate: a logistic model of the article alone (its
MiniLM vector and whether it gives ages, people's names, addresses, clock times, quotes, or only a
headline; assign.gate_values) fitted to tell the dev kinds apart. Any article has those features, so no
data set is special-cased at run time. Each groupings of kinds below is run with the mixed ("soft") gate
the shipped model uses and with the single most likely kind's trees ("hard"). Each article's join is
decided by trees fitted without its story's fold. Nothing of a held-out part is read.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories_ecb  # noqa: E402
import stories_eval as se  # noqa: E402
import stories_train as st  # noqa: E402
from newsfuse.stories import assign  # noqa: E402

LOCAL = ("local incident reports", ("gva", "gva dense"), ("gva",))
# (name, JOIN_EXPERTS) of each grouping of kinds run.
GENERAL = ("general news", ("ecb", "newswcl"), ("ecb", "newswcl"))
HEADLINES = ("headlines", ("ecb", "newswcl", "uci"), ("uci",))
GROUPINGS = (
    ("two: local reports, general news (shipped)", st.JOIN_EXPERTS),
    ("three, headlines' trees fitted on UCI alone", (LOCAL, GENERAL, ("headlines", ("uci",), ("uci",)))),
    ("three, headlines' trees on all general news", (LOCAL, GENERAL, HEADLINES)),
    ("three, general news' trees also on ECB+ shuffled",
     (LOCAL, ("general news", ("ecb", "ecb shuffled", "newswcl"), ("ecb", "newswcl")), HEADLINES)),
)


class Hard(assign.GatedJoin):
    """The gated model deciding by the most likely kind's trees alone."""

    def probability(self, values: list[float], shares: tuple[float, ...]) -> float:
        return self.experts[max(range(len(shares)), key=shares.__getitem__)].probability(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--load", type=Path, help="rank weights from stories_train.py --save (else fitted)")
    parser.add_argument("--groupings", type=int, nargs="*", default=list(range(len(GROUPINGS))),
                        help="which of GROUPINGS to run (0-based)")
    parser.add_argument("--gates", nargs="*", default=["soft", "hard"], choices=["soft", "hard"])
    parser.add_argument("--report-on", nargs="*", help="dev streams to report (default: all, and ECB+ shuffled)")
    args = parser.parse_args()
    streams = st.dev_streams(st.KINDS)
    feats, gold = next((f, g) for name, f, g in streams if name == "ecb")
    order = stories_ecb.shuffled(list(range(len(feats))))
    shuffled = ("ecb shuffled", [feats[i] for i in order], [gold[i] for i in order])
    shown = [*streams, shuffled]
    shown = [s for s in shown if not args.report_on or s[0] in args.report_on]
    weights = pickle.loads(args.load.read_bytes())[0] if args.load else st.train(streams)[0]
    tops, top_streams = [], []
    for name, feats, gold in [*streams, shuffled]:  # the shuffled stream's rows only where a grouping names it
        found = st.training_pairs(feats, gold, weights)[2]
        tops += found
        top_streams += [name] * len(found)
    for grouping, experts in [GROUPINGS[i] for i in args.groupings]:
        st.JOIN_EXPERTS = experts
        _, folds = st.fit_gated(streams, tops, top_streams)
        for gate, models in (("soft", folds), ("hard", [Hard(f.kinds, f.gate, f.experts) for f in folds])):
            if gate not in args.gates:
                continue
            for name, feats, gold in shown:
                res = se.scores(se.crossfit_stream(feats, gold, models, weights), gold)
                print(f"{grouping}; {gate} gate; {name:<10} B3 {res['b3_f1']:.3f} pairwise {res['pair_f1']:.3f} "
                      f"(P {res['pair_p']:.3f} R {res['pair_r']:.3f}) stories {res['stories']}", flush=True)


if __name__ == "__main__":
    main()
