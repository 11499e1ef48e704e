"""A fact that is one sentence of a longer quotation names who says it; one that carries its own cue does not
(written for the project)."""

from __future__ import annotations

from tests.fuse.conftest import _fuse
from tests.fuse.test_fuse_attribution import _article

QUOTED = ("The transport minister, Karl Weber, spoke in Linz on Monday. "
          "“The corridor will reopen by the end of June. The harbour at Varna will load the first ships. "
          "Nobody should doubt that,” Weber said.")
OTHER = ("Karl Weber, the transport minister, said on Monday that the corridor would reopen by the end of June. "
         "“We have the ships and the crews,” Weber told reporters in Linz.")


def test_a_sentence_inside_a_quotation_names_its_speaker() -> None:
    fused = _fuse("fact-speakers", [_article("a", "Danube Courier", QUOTED), _article("b", "Lake Ledger", OTHER)])
    middle = next(f for f in fused.facts if f.text.startswith("The harbour at Varna"))
    assert middle.speaker == "Karl Weber", middle
    # A fact that says who speaks in its own words gets no second name.
    own_cue = [f for f in fused.facts if "Weber said" in f.text or "Weber told" in f.text]
    assert own_cue and all(f.speaker == "" for f in own_cue), own_cue


def test_the_report_reads_the_quotation_with_its_speaker() -> None:
    from newsfuse.report import render_markdown

    fused = _fuse("fact-speakers", [_article("a", "Danube Courier", QUOTED), _article("b", "Lake Ledger", OTHER)])
    lines = render_markdown(fused).splitlines()
    assert any(line.startswith("- Karl Weber: “The harbour at Varna will load the first ships.”") for line in lines), lines
