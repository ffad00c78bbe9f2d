"""The handbook says when each objective is judged, and the Markdown caveat stays bold."""

from __future__ import annotations

from aar_helpers import scenario

from sim.analysis.markdown import handbook_markdown, manual_markdown
from sim.analysis.pack import handbook, situation_manual
from sim.schema import Objective, Scenario, Within


def with_objectives(sc: Scenario, *objectives: Objective) -> Scenario:
    return sc.model_copy(update={"objectives": list(objectives)})


def test_objectives_judged_at_a_time_or_within_a_window_say_so() -> None:
    sc = scenario("quickstart")
    first_inject = sc.injects[0].id
    sc = with_objectives(
        sc,
        Objective(id="at_noon", description="At a time", met="true", at=2),
        Objective(
            id="quick",
            description="Within a window",
            met="true",
            within=Within(time=3, of=first_inject),
        ),
        Objective(id="end", description="At the end", met="true"),
    )
    judged = {o.description: o.judged for o in handbook(sc).objectives}
    assert "judged at the end" not in judged["At a time"]
    assert "t=2 " in judged["At a time"] and judged["At a time"].startswith("judged at 20")
    assert "judged at the end" not in judged["Within a window"]
    assert "within 3 " in judged["Within a window"] and first_inject in judged["Within a window"]
    assert judged["At the end"] == "judged at the end"
    md = handbook_markdown(handbook(sc))
    assert "t=2 " in md and f"'{first_inject}'" in md.replace("\\_", "_")


def caveat_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "EXERCISE USE" in line]


def test_a_caveat_with_trailing_whitespace_and_newlines_stays_bold_on_one_line() -> None:
    sc = scenario("quickstart")
    info = sc.scenario.model_copy(
        update={"handling": "FOR EXERCISE USE ONLY.  \nNOTIONAL: invented.\n\n  \t"}
    )
    sc = sc.model_copy(update={"scenario": info})
    for text in (manual_markdown(situation_manual(sc)), handbook_markdown(handbook(sc))):
        lines = caveat_lines(text)
        assert lines, text[:200]
        for line in lines:
            assert line == "**FOR EXERCISE USE ONLY. NOTIONAL: invented.**", line


def test_a_blank_caveat_writes_no_empty_bold() -> None:
    sc = scenario("quickstart")
    sc = sc.model_copy(update={"scenario": sc.scenario.model_copy(update={"handling": " \n "})})
    text = handbook_markdown(handbook(sc))
    assert "****" not in text and "** **" not in text
