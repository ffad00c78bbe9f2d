"""The 'olympics-2020' scenario: it loads cleanly in format v2, it is a complete exercise package
(`tabletop pack` produces every part), its facts carry their provenance, and over many seeds
(through the batch API, never hand-written tallies) its dynamics have the properties the
expert review asked for: failed evictions are retried, nothing is prevented for ever, the
central decisions are always posed, no outcome is fixed by the script unless the trainer doc
says what it teaches, every decision moves some objective, and the playbooks differ the way a
policy expert expects.

The margins are wide on purpose: the claims are about directions and sizes a room would
notice, not about exact rates (those are in docs/scenarios/olympics-2020.md).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from scenario_batches import DEFAULTS, RATINGS, Sweep, policies_batch, sweeps
from seed_documents import absent_reason, seeds_dir

from sim.analysis.pack import package
from sim.batch import RANDOM, BatchResult
from sim.batch.results import batch_data
from sim.batch.view import PolicyView
from sim.cli import main
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.flow import scenario_flow
from sim.loader import check_scenario_file
from sim.playbook import load_playbook
from sim.schema import Countermeasure, Scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "olympics-2020.yaml"
DOC = ROOT / "docs" / "scenarios" / "olympics-2020.md"
PLAYBOOK_DIR = ROOT / "scenarios" / "playbooks"
POLICIES = ("allied-and-prepared", "go-it-alone", "hard-line")
RUNS = 150
SWEEP_RUNS = 150
SEED = 0
"""Not the seed of the published tables (2020): the properties must hold on other runs too."""
CLEAR_SWEEP_RUNS = 100
CLEAR = ("ally_liaison", "testing_programme", "iot_bill", "article_v", "espionage_response")
CLEAR += ("games_posture",)
"""Decisions whose largest effect is 24 points or more in the published sweep (300 runs, seed
2020): they are swept over 100 runs instead of 150. The runs are paired (the same luck under
every option), so the standard error of a difference of shares is about sqrt(d / n), d the
share of runs whose rating differs between the two options: with d up to 0.4 it is 6 points
at 100 runs, and the 5-point test keeps a margin of 3 standard errors or more. The others
(9-29 points, or read by tests with small margins) keep 150 runs."""


@functools.cache
def scenario() -> Scenario:
    sc, problems = check_scenario_file(SCENARIO)
    assert sc is not None, [str(p) for p in problems]
    return sc


def playbook_path(policy: str) -> Path:
    return PLAYBOOK_DIR / f"olympics-2020--{policy}.yaml"


def run(policy: str, seed: int) -> Exercise:
    sc = scenario()
    ex = Exercise(sc, seed)
    play(ex, PlaybookDecider(load_playbook(playbook_path(policy), sc)))
    return ex


@functools.cache
def batch() -> BatchResult:
    """Every playbook, the defaults and the random decider over the same runs, once."""
    return policies_batch("olympics-2020", RUNS, SEED)


@functools.cache
def data() -> dict[str, Any]:
    return batch_data(batch())


def name(policy: str) -> str:
    return policy if policy in (DEFAULTS, RANDOM) else f"olympics-2020--{policy}"


def outcomes(policy: str) -> PolicyView:
    return batch().policy(name(policy))


def policy_data(policy: str) -> dict[str, Any]:
    return next(p for p in data()["policies"] if p["name"] == name(policy))


def threat_outcomes(policy: str, threat: str) -> dict[str, int]:
    return next(t["outcomes"] for t in policy_data(policy)["threats"] if t["id"] == threat)


@functools.cache
def all_swept() -> dict[str, Sweep]:
    """Every decision's one-at-a-time sweep, in two batches (shared by every test)."""
    rest = tuple(d.id for d in scenario().decisions if d.id not in CLEAR)
    return {
        **sweeps("olympics-2020", CLEAR, CLEAR_SWEEP_RUNS, SEED),
        **sweeps("olympics-2020", rest, SWEEP_RUNS, SEED),
    }


def swept(decision: str) -> Sweep:
    return all_swept()[decision]


def objectives() -> tuple[str, ...]:
    return tuple(o.id for o in scenario().objectives)


def doc_section(title: str) -> str:
    """The text of one '## ' section of the trainer doc."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


# --- (1) it loads in format v2, with no warnings, and plays every playbook -------------------


def test_scenario_validates_without_warnings_in_format_2() -> None:
    sc, problems = check_scenario_file(SCENARIO)
    assert sc is not None
    assert [str(p) for p in problems] == []
    assert sc.scenario.id == "olympics-2020"
    assert sc.format == 2


@pytest.mark.parametrize("policy", POLICIES)
def test_playbooks_load_and_name_themselves(policy: str) -> None:
    book = load_playbook(playbook_path(policy), scenario())
    assert book.playbook.id == playbook_path(policy).stem
    assert book.playbook.scenario == "olympics-2020"
    assert book.playbook.title and book.playbook.description
    assert set(book.decisions) == {d.id for d in scenario().decisions}, "every decision is scripted"


def test_no_run_fails_and_no_expression_fails() -> None:
    for p in data()["policies"]:
        assert p["failed"] == 0, p["name"]
        assert p["expression_failures"] == 0, p["name"]


# --- (2) a complete exercise package, produced by `tabletop pack` ----------------------------


def test_is_a_complete_exercise_package() -> None:
    """Enough actors, injects, decisions, objectives and modules for a 2–3 hour session, with a
    handling caveat, a notional disclaimer, purpose, scope and ground rules."""
    sc = scenario()
    info = sc.scenario
    assert len(sc.actors) >= 8 and len(sc.injects) >= 15 and len(sc.decisions) >= 6
    assert sum(i.contingency for i in sc.injects) >= 2
    assert all(i.notes for i in sc.injects if i.contingency), "contingencies say when to fire"
    assert all(len(d.options) >= 3 for d in sc.decisions)
    assert {r.kind for r in sc.responses} == {"notification", "countermeasure", "legislation"}
    assert "FOR EXERCISE USE ONLY" in info.handling and "NOTIONAL" in info.handling
    assert info.purpose and info.scope and len(info.ground_rules) >= 4
    modules = {m.id for m in info.modules}
    assert all(i.module in modules for i in sc.injects)
    assert all(o.module in modules for o in sc.objectives)
    for m in info.modules:
        assert m.discussion_questions and m.facilitator_notes, m.id


def test_the_agenda_fits_the_session_and_ends_with_a_hot_wash() -> None:
    info = scenario().scenario
    assert 120 <= info.session_minutes <= 180
    assert all(m.minutes for m in info.modules), "every module has its planned minutes"
    assert sum(m.minutes or 0 for m in info.modules) == info.session_minutes
    last = max(info.modules, key=lambda m: m.start)
    assert "hot wash" in last.title.lower()
    questions = " ".join(last.discussion_questions).lower()
    for topic in ("strength", "improvement", "owner", "luck"):
        assert topic in questions, topic


def test_objectives_are_capabilities_with_indices_as_evidence_and_an_evaluation_guide() -> None:
    for o in scenario().objectives:
        assert o.description.startswith("Capability: "), o.id
        assert "(evidence: " in o.description, o.id
        assert len(o.evaluation) >= 3, o.id
        assert all(q.endswith("?") for q in o.evaluation), o.id


def test_every_player_cell_has_a_role_brief() -> None:
    played = [a for a in scenario().actors if a.is_player]
    assert len(played) >= 4
    for a in played:
        assert len(a.brief) >= 120, a.id
    controllers = [a for a in scenario().actors if not a.is_player and a.affiliation != "adversary"]
    assert sum(bool(a.brief) for a in controllers) >= len(controllers) - 2


def test_pack_produces_caveat_agenda_briefs_evaluation_guide_and_hot_wash(tmp_path: Path) -> None:
    sc = scenario()
    pkg = package(sc)
    assert pkg.manual.caveat == sc.scenario.handling
    assert [a.minutes for a in pkg.manual.agenda] == [m.minutes for m in sc.scenario.modules]
    briefs = {r.name: r.brief for r in pkg.manual.roles}
    assert all(briefs.values()) and len(briefs) >= 4
    assert all(g.look_for for g in pkg.handbook.objectives)
    out = tmp_path / "pack"
    result = CliRunner().invoke(main, ["pack", "olympics-2020", "--out", str(out)])
    assert result.exit_code == 0, result.output
    manual = (out / "situation-manual.md").read_text(encoding="utf-8")
    book = (out / "controller-handbook.md").read_text(encoding="utf-8")
    assert "NOTIONAL" in manual and "NOTIONAL" in book
    assert "Hot wash" in manual and "Agenda" in manual
    guide = " ".join(sc.objectives[0].evaluation[0].split()[:6])  # plain words, no markup
    assert guide in book
    assert guide not in manual, "the evaluation guide is for the staff only"


# --- (3) provenance --------------------------------------------------------------------------


def test_every_inject_states_its_provenance() -> None:
    """documented: a verbatim quote from a seed; dramatized: a real fact carried by an invented
    event, with a source and a note saying what is invented; invented: marked as such."""
    for inj in scenario().injects:
        assert inj.provenance in ("documented", "dramatized", "invented"), inj.id
        if inj.provenance == "documented":
            assert inj.source is not None and inj.source.quote, inj.id
        elif inj.provenance == "dramatized":
            assert inj.source is not None and inj.notes, inj.id
        else:
            assert inj.invented, inj.id


def test_documented_quotes_are_verbatim_in_the_seeds() -> None:
    """Fails, never skips, wherever the seeds are present; sources outside the seeds (public
    record, no file) carry no quote to check."""
    sc = scenario()
    files = {s.id: s.file for s in sc.scenario.sources}
    quoted = [i for i in sc.injects if i.source is not None and i.source.quote]
    assert all(files[i.source.ref] for i in quoted if i.source is not None), "quotes need a file"
    outside = [s for s in sc.scenario.sources if s.file is None]
    assert all("outside the seeds" in (s.publisher or "").lower() for s in outside)
    seeds = seeds_dir()
    if seeds is None:
        pytest.skip(absent_reason())
    for inj in quoted:
        assert inj.source is not None
        text = (seeds / (files[inj.source.ref] or "")).read_text(encoding="utf-8")
        assert inj.source.quote in text, f"{inj.id}: quote not in {files[inj.source.ref]}"


# --- (4) dynamics: retries, no prevention for ever, consequences -----------------------------


def test_central_decisions_are_posed_in_every_run() -> None:
    """Each module's central decision is posed whatever the room does (the grid decision was
    posed in 30% of go-it-alone runs before the regulators' fallback sweep)."""
    for policy in (*POLICIES, DEFAULTS, RANDOM):
        posed = {d["id"]: d["posed"] for d in policy_data(policy)["decisions"]}
        for decision in (
            "ally_liaison",
            "iot_bill",
            "rwc_incident",
            "gru_response",
            "grid_incident",
        ):
            assert posed[decision] == RUNS, (policy, decision, posed[decision])


def test_known_intrusions_are_not_left_running() -> None:
    """A failed eviction comes back as a decision, so runs that end with the spies or the grid
    intruders known to be inside are few (27–69% in some playbooks before)."""
    for policy in POLICIES:
        for threat in ("games_espionage", "grid_intrusion"):
            known = threat_outcomes(policy, threat).get("detected", 0)
            assert known <= 0.15 * RUNS, (policy, threat, known)
    # The GRU is found at a rate over time, often weeks before the end, and a room alone hunts
    # with poor indicators: a failed hunt comes back (up to four times), yet a quarter of
    # go-it-alone runs end with it recently found or still being hunted.
    for policy, most in (("allied-and-prepared", 0.15), ("hard-line", 0.2), ("go-it-alone", 0.3)):
        known = threat_outcomes(policy, "gru_campaign").get("detected", 0)
        assert known <= most * RUNS, (policy, known)


def test_a_failed_eviction_is_posed_again() -> None:
    sc = scenario()
    retried = {d.id for d in sc.decisions if d.reopen is not None}
    assert {"espionage_response", "grid_incident"} <= retried
    reposed = 0
    for seed in range(40):
        ex = run("go-it-alone", seed)
        opened = [r.to_dict()["decision"] for r in ex.records if r.kind == "decision_opened"]
        reposed += opened.count("espionage_response") > 1 or opened.count("grid_incident") > 1
    assert reposed >= 3, "some runs see a decision come back after a failed eviction"


def test_nothing_prevents_a_campaign_for_ever() -> None:
    """A botnet takedown and DDoS protection do not stop the 2020 campaign before it starts:
    protection mitigates, and the tournament botnet is rebuilt in weeks after a takedown."""
    sc = scenario()
    later = {t.id for t in sc.threats if t.at is not None and t.at >= 500}
    for r in sc.responses:
        if isinstance(r, Countermeasure):
            assert not set(r.stops) & later, r.id
    threats = {t.id: t for t in sc.threats}
    assert threats["rwc_ddos"].reentry is not None
    assert threats["games_espionage"].reentry is not None
    for policy in (*POLICIES, RANDOM):
        assert threat_outcomes(policy, "games_ddos").get("stopped", 0) == 0, policy


def test_every_variable_feeds_something_beyond_its_objective() -> None:
    """No scoreboard: each variable is read by a condition, a chance or an effect, not only
    by an objective."""
    sc = scenario()
    flow = scenario_flow(sc)
    for var in sc.variables:
        key = f"variable:{var}"
        readers = {e.target for e in flow.out(key) if e.target != key}
        assert any(not t.startswith("objective:") for t in readers), (var, readers)


def test_deterrence_makes_the_state_strike_less_likely() -> None:
    """The strike is called off more often, and lands less often, the higher deterrence is;
    a unilateral Article V claim deters less than a joint statement (and less than nothing)."""
    sw = swept("article_v")
    det = {o: v.mean("deterrence") for o, v in sw.views.items()}
    assert det["unilateral_signal"] < det["leave_it"] < det["joint_statement"]
    hard, alone = outcomes("hard-line"), outcomes("go-it-alone")
    assert hard.mean("stand_down") > alone.mean("stand_down") + 0.15


def test_allied_help_depends_on_confidence_continuously() -> None:
    """The allies consent with a chance that grows with confidence: some refusals even for the
    best-allied room, more for the others; no single cliff."""
    sc = scenario()
    consents = [o.consent for d in sc.decisions for o in d.options if o.consent is not None]
    assert len(consents) >= 3
    texts = {str(c.chance) for c in consents}
    assert all("ally_trust" in t for t in texts), texts


# --- (4b) NOTICE's size and the GRU ----------------------------------------------------------


def test_the_survey_is_scaled_to_notice_and_is_no_ddos_defence() -> None:
    """The index is the weak-password pool NOTICE surveys: the survey cuts it by a fifth to a
    quarter (NOTICE's notified devices fell about 17% in 15 months), and domestic devices
    supply at most a tenth of a flood, so the bill moves its own objective a lot and the
    Games' outage hardly at all (it used to cut the botnet to 40-50%)."""
    survey = next(r for r in scenario().responses if r.id == "iot_survey")
    assert isinstance(survey, Countermeasure)
    assert "0.75 + 0.05 * safeguards" in str(survey.effects["iot_exposure"])
    sw = swept("iot_bill")
    law, none = sw.views["introduce_with_safeguards"], sw.views["defer"]
    assert law.rate("iot_exposure_cut") >= none.rate("iot_exposure_cut") + 0.5
    assert abs(law.mean("games_outage") - none.mean("games_outage")) < 1.5
    assert abs(law.mean("rwc_outage") - none.mean("rwc_outage")) < 1.0


def test_the_gru_campaign_is_simulated_and_marked_outside_the_seeds() -> None:
    """Russia's GRU is a campaign (reconnaissance, then a wiper or a leak), not only a warning;
    every part of it says it is outside the seeds, and the UK's warning poses its decision."""
    sc = scenario()
    gru = [t for t in sc.threats if t.actor == "gru"]
    assert {t.id for t in gru} == {"gru_campaign", "gru_destroyer", "gru_leak"}
    assert all("outside the seeds" in t.description for t in gru)
    actor = next(a for a in sc.actors if a.id == "gru")
    assert "Outside the seeds" in actor.description
    warning = next(i for i in sc.injects if i.id == "gru_warning")
    assert warning.provenance == "dramatized" and warning.decision == "gru_response"
    assert warning.source is not None
    source = next(x for x in sc.scenario.sources if x.id == warning.source.ref)
    assert source.file is None and "outside the seeds" in (source.publisher or "").lower()


def test_what_the_room_does_shapes_the_gru_campaign() -> None:
    """Warning the partners and hunting with the UK's indicators removes the wiper before the
    opening ceremony more often than noting the warning; naming the operation with the UK
    shelves the leak; deterrence tilts the GRU from the wiper toward the deniable leak."""
    sw = swept("gru_response")
    wiped = {o: sw.threat_outcomes(o, "gru_destroyer").get("completed", 0) for o in sw.options}
    leaked = {o: sw.threat_outcomes(o, "gru_leak").get("completed", 0) for o in sw.options}
    assert wiped["hunt_and_evict"] <= wiped["note_it"] - 0.1 * SWEEP_RUNS, wiped
    assert leaked["expose_with_uk"] == 0 < leaked["note_it"], leaked
    assert leaked["warn_partners"] > 0, "passing the warning on does not stop a leak"
    deterred = swept("cyber_deterrent")
    wiper = {o: deterred.views[o].mean("gru_wiper") for o in deterred.options}
    assert wiper["announce_capability"] <= wiper["defensive_only"] - 0.05, wiper
    allied, alone = outcomes("allied-and-prepared"), outcomes("go-it-alone")
    assert allied.mean("gru_wiper") < alone.mean("gru_wiper") - 0.15


def test_exposed_spies_come_back_less_often() -> None:
    """Disclosure or attribution burns the espionage group's tools: its re-entry chance reads
    what the room did."""
    threat = next(t for t in scenario().threats if t.id == "games_espionage")
    assert threat.reentry is not None
    assert "spies_exposed" in str(threat.reentry.chance)
    exposed = scenario().variables["spies_exposed"]
    assert exposed.initial == 0
    assert outcomes("allied-and-prepared").mean("spies_exposed") > 0.9
    assert outcomes("go-it-alone").mean("spies_exposed") == 0


# --- (5) no artefacts decide the outcome -----------------------------------------------------


def fixed_cells() -> dict[tuple[str, str], str]:
    out = {}
    for policy in POLICIES:
        v = outcomes(policy)
        for obj in objectives():
            for rating in RATINGS:
                if v.rate(obj, rating) >= 0.98:
                    out[(obj, policy)] = rating
    return out


def test_fixed_cells_are_only_those_the_doc_explains() -> None:
    """An objective × playbook cell with one rating in 98% of runs or more is a lesson the
    trainer doc states, never an accident."""
    section = doc_section("Fixed cells and the lessons they teach")
    for (obj, policy), rating in fixed_cells().items():
        assert f"`{obj}` under `{policy}`" in section, (obj, policy, rating)


def test_every_rating_is_reachable() -> None:
    """No objective that can never be 'not met' (or never met): over the playbooks and the
    random decider, each rating occurs."""
    for obj in objectives():
        for rating in RATINGS:
            seen = sum(outcomes(p).count(obj, rating) for p in (*POLICIES, RANDOM))
            assert seen > 0, (obj, rating)


THRESHOLD = re.compile(r"^\s*(\w+)\s*(>=|<=|<|>)\s*([\d.]+)\s*$")


def test_no_objective_sits_on_a_cliff() -> None:
    """Where a playbook usually meets an objective, its evidence is not bunched just over the
    threshold (so one small step of an effect cannot move the rate from 93% to 0%)."""
    sc = scenario()
    for o in sc.objectives:
        m = THRESHOLD.match(o.met)
        assert m, o.met
        var, _, limit = m.group(1), m.group(2), float(m.group(3))
        spec = sc.variables[var]
        span = (spec.max if spec.max is not None else 100.0) - (spec.min or 0.0)
        step = 0.05 * span if spec.max is not None and spec.max <= 1 else 0.05 * max(limit, 1.0)
        for policy in POLICIES:
            values = outcomes(policy).values(var)
            close = sum(abs(x - limit) <= step for x in values) / len(values)
            assert close <= 0.5, (o.id, policy, close)


@pytest.mark.parametrize("decision", [d.id for d in scenario().decisions])
def test_every_decision_moves_some_objective_by_five_points(decision: str) -> None:
    """Against its alternatives (one at a time, every other decision at its default, the same
    runs), each decision moves the share of some rating of some objective by 5 points or
    more: none is cosmetic."""
    obj, rating, by = swept(decision).largest(objectives())
    assert by >= 0.05, (decision, obj, rating, by)


# --- (6) the playbooks differ the way an expert expects --------------------------------------


def test_partnership_keeps_the_allies_engaged() -> None:
    allied, alone = outcomes("allied-and-prepared"), outcomes("go-it-alone")
    assert allied.rate("allies_engaged") >= alone.rate("allies_engaged") + 0.3
    assert allied.mean("ally_trust") > alone.mean("ally_trust") + 0.3


def test_preparation_protects_the_games() -> None:
    allied, alone = outcomes("allied-and-prepared"), outcomes("go-it-alone")
    assert allied.rate("games_services_up") >= alone.rate("games_services_up") + 0.4
    assert allied.mean("games_outage") < alone.mean("games_outage") / 2


def test_us_support_against_the_grid_intruders_matters() -> None:
    """Consulting the US (Article IV, the ACM) for technical support beats the operators'
    responders alone, on the alliance and on Games outage (the review measured 0–2 points);
    asked without a relationship, Washington mostly declines, so the gain stays modest."""
    sw = swept("grid_incident")
    joint, alone = sw.views["joint_us_response"], sw.views["evict_now"]
    assert joint.rate("allies_engaged") >= alone.rate("allies_engaged") + 0.04
    assert joint.mean("games_outage") <= alone.mean("games_outage") - 1.0
    landed = {o: sw.threat_outcomes(o, "grid_strike").get("completed", 0) for o in sw.options}
    assert landed["joint_us_response"] < landed["evict_now"], landed


def test_calling_in_the_allies_helps_the_rugby_world_cup() -> None:
    sw = swept("rwc_incident")
    rate = {o: v.rate("rwc_services_up") for o, v in sw.views.items()}
    assert rate["mitigate_and_call_allies"] >= rate["mitigate_quietly"] + 0.05, rate


def test_safeguards_get_the_iot_law_through_and_the_survey_done() -> None:
    allied, hard, alone = (
        outcomes("allied-and-prepared"),
        outcomes("hard-line"),
        outcomes("go-it-alone"),
    )
    assert allied.rate("iot_exposure_cut") >= hard.rate("iot_exposure_cut") + 0.1
    assert hard.rate("iot_exposure_cut") > alone.rate("iot_exposure_cut")


def test_openness_keeps_public_confidence() -> None:
    allied, hard = outcomes("allied-and-prepared"), outcomes("hard-line")
    assert allied.rate("public_confidence") >= hard.rate("public_confidence") + 0.4
    assert allied.mean("public_trust") > hard.mean("public_trust") + 0.1


def test_watching_the_spies_costs_data() -> None:
    allied, hard = outcomes("allied-and-prepared"), outcomes("hard-line")
    assert allied.rate("games_data_protected") >= hard.rate("games_data_protected") + 0.15
    assert allied.mean("data_stolen") < hard.mean("data_stolen")


def test_the_hard_line_no_longer_out_deters_the_joint_statement_for_free() -> None:
    """The hard line's deterrence comes from the announced capability, not the unilateral
    claim, and it costs the alliance far more."""
    allied, hard = outcomes("allied-and-prepared"), outcomes("hard-line")
    assert hard.mean("ally_trust") < allied.mean("ally_trust") - 0.2


# --- (6b) the bill meets the Diet's calendar: time, not defeat ------------------------------

SITTINGS = {"autumn_2019": (245.0, 311.0), "ordinary_2020": (353.0, 502.0)}
"""Where the bill can be enacted: the 198th session's submission deadline (day 42) comes before
any bill decided in March 2019 can be drafted and cleared (day 57 at the earliest)."""


def bill_history(policy: str, seeds: range) -> list[list[dict[str, Any]]]:
    """The NICT bill's records (progress, enactment, death) in each run."""
    out = []
    for seed in seeds:
        records = [r.to_dict() for r in run(policy, seed).records]
        out.append([r for r in records if r.get("response") == "nict_law"])
    return out


def test_the_bill_follows_the_2019_20_diet_calendar() -> None:
    """Three sittings (dates public record), a submission deadline for the ordinary ones, no
    dissolution (none happened in 2017-21), and a Diet stage that counts only sitting time."""
    sc = scenario()
    sittings = {s.id: s for s in sc.calendar}
    assert list(sittings) == ["ordinary_2019", "autumn_2019", "ordinary_2020"]
    assert sittings["ordinary_2019"].submit_by == 42
    assert (sittings["ordinary_2019"].closes, sittings["autumn_2019"].opens) == (145, 245)
    assert all(s.dissolution is None for s in sc.calendar)
    law = next(r for r in sc.responses if r.id == "nict_law")
    diet = law.stages[-1]
    assert diet.sitting and float(str(diet.passes)) >= 0.95, "a floor defeat is rare"


def test_the_bill_is_enacted_only_in_a_sitting_and_misses_the_1st_session() -> None:
    """Across runs, the bill waits for the autumn sitting, and is enacted in it or carried over
    to January 2020: both paths occur, and it is never enacted outside a sitting."""
    carried = autumn = 0
    for history in bill_history("allied-and-prepared", range(20)):
        steps = [r.get("step") for r in history]
        assert "waiting" in steps, "the 198th session's deadline has passed"
        carried += "carried_over" in steps
        for r in history:
            if r["kind"] == "response_finished" and r.get("summary") == "enacted":
                t = r["time"]
                assert any(a < t <= b for a, b in SITTINGS.values()), t
                autumn += t <= SITTINGS["autumn_2019"][1]
    assert carried >= 2 and autumn >= 2, (carried, autumn)


def test_the_uncertainty_is_time_not_defeat() -> None:
    """With safeguards the bill is nearly always enacted, yet the survey misses the Games in a
    fair share of runs: the calendar, not the vote, decides. A bill dies at a session's end (or
    in the ruling parties' prior review), never on the floor, and the cabinet is asked whether
    to submit it again."""
    allied, hard = policy_data("allied-and-prepared"), policy_data("hard-line")
    law = next(b for b in allied["bills"] if b["id"] == "nict_law")
    assert law["enacted"] >= 0.9 * RUNS, law
    assert outcomes("allied-and-prepared").rate("iot_exposure_cut") <= 0.9
    hard_law = next(b for b in hard["bills"] if b["id"] == "nict_law")
    assert hard_law["enacted"] < law["enacted"], (hard_law, law)
    reasons = [
        r["reason"]
        for history in bill_history("hard-line", range(20))
        for r in history
        if r["kind"] == "response_failed"
    ]
    assert any(reason.startswith("died: ") for reason in reasons), reasons
    assert not any("Deliberation in the Diet" in reason for reason in reasons), reasons
    posed = {d["id"]: d for d in hard["decisions"]}
    assert scenario_decision("iot_bill").reopen is not None
    assert posed["iot_bill"]["posed"] == RUNS


def scenario_decision(decision: str) -> Any:
    return next(d for d in scenario().decisions if d.id == decision)


# --- (7) reproducible ------------------------------------------------------------------------


@pytest.mark.parametrize("policy", POLICIES)
def test_same_seed_and_playbook_give_the_same_log(policy: str) -> None:
    first, second = run(policy, 7), run(policy, 7)
    assert json.dumps([r.to_dict() for r in first.records]) == json.dumps(
        [r.to_dict() for r in second.records]
    )
    other = run(policy, 8)
    assert [r.to_dict() for r in other.records] != [r.to_dict() for r in first.records]
