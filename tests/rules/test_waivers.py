"""Individual CME waivers (MA_RULES section 3a): roster columns ``cme_waiver`` and
``cme_waiver_scope``.

From the specification: the scope is ``all`` (the default) or a ``;``-separated list of
requirement ids; a waived requirement is ``not_applicable`` with the note "waived: <reference>";
the physician's status says a waiver was applied; a waiver never hides activities (still listed
and counted where they apply). From the issue: no reminder for a waived requirement, and a scope
naming an unknown requirement is a roster error (exit 4, the line named).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from rules_factory import (
    ALL_2018,
    AS_OF,
    RENEWAL,
    act,
    complete_2018,
    overall,
    physician,
    req,
    run,
    status_of,
    without,
)

from cme_batch.cli import main
from cme_batch.errors import InputTableError
from cme_batch.notices.config import NoticeConfig
from cme_batch.notices.plan import plan_notices
from cme_batch.roster import load_roster
from cme_batch.rules import Evaluation

BASE = complete_2018()
REFERENCE = "BORIM letter 2026-02-01"
# 107 days before the renewal: past the 120-day reminder threshold.
REMIND = NoticeConfig()


def waived(scope: str = "all", **overrides: object) -> dict[str, object]:
    return physician(cme_waiver=REFERENCE, cme_waiver_scope=scope, **overrides)


def test_waiver_of_all_makes_every_requirement_not_applicable() -> None:
    ev = run([], [waived("all")])
    for requirement in ALL_2018:
        row = req(ev, requirement)
        assert (row["status"], row["note"]) == ("not_applicable", f"waived: {REFERENCE}")
    person = overall(ev)
    assert person["status"] == "compliant"
    assert person["missing"] == f"CME waiver applied ({REFERENCE}): all requirements waived"


def test_blank_scope_means_all() -> None:
    ev = run([], [waived("")])
    assert {req(ev, r)["status"] for r in ALL_2018} == {"not_applicable"}


def test_waiver_of_all_still_lists_and_counts_activities() -> None:
    ev = run(BASE, [waived("all")])
    total = req(ev, "total")
    assert (total["required"], total["earned"], total["shortfall"]) == (0, 50, 0)
    assert total["counted"] == "br;dem;dv;gen;ib;op;rm"
    assert status_of(ev, "op")["counted_toward"] == "total;risk_management;opioid_pain"
    assert sorted(ev.activity_status.record_id) == sorted(a["record_id"] for a in BASE)
    text = ev.explain("P1")
    assert f"Individual waiver: {REFERENCE}" in text
    assert "- total: not_applicable, why: waived: BORIM letter 2026-02-01" in text
    assert "counted toward total (3, waived)" in text


def test_waiver_of_one_requirement() -> None:
    ev = run(without(BASE, "dem", "rm"), [waived("dementia")])
    dementia = req(ev, "dementia")
    assert (dementia["status"], dementia["note"]) == ("not_applicable", f"waived: {REFERENCE}")
    assert req(ev, "risk_management")["status"] == "short"  # the rest still applies
    assert req(ev, "ehr")["status"] == "met"
    person = overall(ev)
    assert person["status"] == "deficient"
    assert "dementia" not in person["missing"].split(";")[0]  # not among what is missing
    assert person["missing"].endswith(f"CME waiver applied ({REFERENCE}): dementia waived")


def test_scope_list_tolerates_case_and_spaces() -> None:
    ev = run(without(BASE, "ehr"), [waived(" Dementia ; ehr ")])
    assert req(ev, "dementia")["status"] == req(ev, "ehr")["status"] == "not_applicable"
    assert overall(ev)["status"] == "compliant"
    assert overall(ev)["missing"].endswith("ehr, dementia waived")


def test_waiver_outranks_the_law_silent_review() -> None:
    person = waived("dementia", license_expires=date(2021, 6, 1), first_licensed=date(2019, 6, 1))
    ev = run([], [person], as_of=date(2021, 1, 1))
    assert req(ev, "dementia")["note"] == f"waived: {REFERENCE}"


def test_no_waiver_columns_old_roster_unchanged() -> None:
    assert overall(run(BASE))["missing"] == ""
    assert overall(run(BASE, [physician(cme_waiver="", cme_waiver_scope="")]))["missing"] == ""


def test_lapsed_with_a_waiver_says_both() -> None:
    ev = run([], [waived("all")], as_of=date(2027, 3, 15))
    person = overall(ev)
    assert person["status"] == "lapsed"
    assert "has passed" in person["missing"] and "CME waiver applied" in person["missing"]


def test_scope_of_a_requirement_of_another_rule_set_is_named() -> None:
    ev = run([], [waived("category1_min;dementia")])
    assert (
        "category1_min is not a requirement of this renewal's rule set" in (overall(ev)["missing"])
    )


@pytest.mark.parametrize(
    ("scope", "reference", "fragment"),
    [
        ("dementa", REFERENCE, "unknown requirement(s) dementa"),
        ("all;ehr", REFERENCE, "'all' cannot be combined"),
        ("dementia, ehr", REFERENCE, "not a requirement id"),
        ("dementia", "", "cme_waiver (the waiver's reference) is empty"),
    ],
)
def test_engine_bad_scope_goes_to_review(scope: str, reference: str, fragment: str) -> None:
    ev = run(BASE, [physician(cme_waiver=reference, cme_waiver_scope=scope)])
    person = overall(ev)
    assert person["status"] == "needs_review"
    assert fragment in person["missing"]


def test_no_reminder_for_a_waived_physician_or_requirement() -> None:
    ev = run(
        without(BASE, "dem", "rm"),
        [waived("all", physician_id="A"), waived("dementia", physician_id="B"), physician("C")],
    )
    plan = plan_notices(ev.physicians, ev.compliance, {}, [], REMIND)
    due = {n.physician_id: n for n in plan.due}
    assert set(due) == {"B", "C"}  # A is waived entirely: compliant, no reminder
    labels_b = {r.label for r in due["B"].requirements}
    labels_c = {r.label for r in due["C"].requirements}
    assert "Alzheimer's disease and dementia" in labels_c - labels_b
    assert "dementia" not in due["B"].missing.split(";")[0]
    assert "dementia" in due["C"].missing


ROSTER_HEAD = (
    "physician_id,last_name,first_name,middle_name,degree,license_number,license_expires,"
    "prescribes_controlled_substances,first_licensed,email"
)


def write_roster(path: Path, waiver_columns: str, *rows: str) -> Path:
    head = ROSTER_HEAD + ("," + waiver_columns if waiver_columns else "")
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def test_old_roster_without_waiver_columns_loads(tmp_path: Path) -> None:
    roster = load_roster(
        write_roster(tmp_path / "r.csv", "", "P1,Doe,Jane,,MD,1,2027-03-14,yes,2000-07-01,j@x.org")
    )
    assert roster.loc[0, "cme_waiver"] == "" and roster.loc[0, "cme_waiver_scope"] == ""


def test_roster_waiver_columns_load(tmp_path: Path) -> None:
    roster = load_roster(
        write_roster(
            tmp_path / "r.csv",
            "cme_waiver,cme_waiver_scope",
            f"P1,Doe,Jane,,MD,1,2027-03-14,yes,2000-07-01,j@x.org,{REFERENCE},",
            "P2,Roe,Rick,,MD,2,2027-03-14,yes,2000-07-01,r@x.org,Letter 7,EHR; dementia",
        )
    )
    assert list(roster.cme_waiver_scope) == ["all", "dementia;ehr"]


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("Letter 7,dementa", "line 3: cme_waiver_scope names unknown requirement(s) 'dementa'"),
        ("Letter 7,all;ehr", "line 3: cme_waiver_scope 'all;ehr': 'all' cannot be combined"),
        (",dementia", "line 3: cme_waiver_scope 'dementia' is set but cme_waiver is empty"),
    ],
)
def test_roster_bad_scope_names_the_line(tmp_path: Path, row: str, fragment: str) -> None:
    path = write_roster(
        tmp_path / "r.csv",
        "cme_waiver,cme_waiver_scope",
        "P1,Doe,Jane,,MD,1,2027-03-14,yes,2000-07-01,j@x.org,,",
        f"P2,Roe,Rick,,MD,2,2027-03-14,yes,2000-07-01,r@x.org,{row}",
    )
    with pytest.raises(InputTableError) as caught:
        load_roster(path)
    assert any(p.startswith(fragment) for p in caught.value.problems), caught.value.problems


def _run_cli(tmp_path: Path, roster: Path, ledger: Path | None = None) -> int:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(tmp_path / "o")]
    # A ledger-only run: the inbox is empty on purpose.
    args += ["--as-of", AS_OF.isoformat(), "--quiet", "--no-notices", "--accept-inbox-shrink"]
    if ledger is not None:
        args += ["--ledger", str(ledger)]
    return main(args)


def test_cli_bad_scope_is_exit_4_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = write_roster(
        tmp_path / "r.csv",
        "cme_waiver,cme_waiver_scope",
        f"P1,Doe,Jane,,MD,1,{RENEWAL},yes,2000-07-01,j@x.org,{REFERENCE},opiod_pain",
    )
    assert _run_cli(tmp_path, roster) == 4
    err = capsys.readouterr().err
    assert "line 2: cme_waiver_scope names unknown requirement(s) 'opiod_pain'" in err
    assert not (tmp_path / "o").exists()


def test_cli_waiver_reaches_the_output_files(tmp_path: Path) -> None:
    roster = write_roster(
        tmp_path / "r.csv",
        "cme_waiver,cme_waiver_scope",
        f"P1,Doe,Jane,,MD,1,{RENEWAL},yes,2000-07-01,j@x.org,{REFERENCE},all",
    )
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "physician_id,activity_title,activity_date,credits,topics\n"
        "P1,Reading 243 CMR,2026-01-05,2,board_regulations\n",
        encoding="utf-8",
    )
    assert _run_cli(tmp_path, roster, ledger) == 0
    with (tmp_path / "o" / "physicians.csv").open(newline="", encoding="utf-8") as fh:
        (person,) = list(csv.DictReader(fh))
    assert person["status"] == "compliant" and "CME waiver applied" in person["missing"]
    with (tmp_path / "o" / "compliance.csv").open(newline="", encoding="utf-8") as fh:
        rows = {r["requirement"]: r for r in csv.DictReader(fh)}
    assert rows["board_regulations"]["status"] == "not_applicable"
    assert rows["board_regulations"]["earned"] == "2"  # still counted, for the record


def test_waived_row_unaffected_by_activity_order() -> None:
    acts = [*BASE, act("x", date(2025, 6, 2), "1", "dementia")]
    forward = run(acts, [waived("dementia")])
    backward = run(list(reversed(acts)), [waived("dementia")])
    assert forward.explain("P1") == backward.explain("P1")


# Why each not_applicable, as explain and the audit packet must say (issue: grace period,
# waiver, license type, not a prescriber, not serving adults).
WHY = {
    "grace": (
        physician("G", license_expires=date(2022, 8, 8), first_licensed=date(2018, 8, 9)),
        "dementia",
        "grace period",
    ),
    "waiver": (waived("ehr", physician_id="W"), "ehr", f"waived: {REFERENCE}"),
    "license type": (physician("L", license_type="administrative"), "ehr", "license type"),
    "prescriber": (
        physician("N", prescribes_controlled_substances=False),
        "opioid_pain",
        "not a prescriber",
    ),
    "adults": (physician("K", serves_adults=False), "dementia", "not serving adults"),
}


def _why_evaluation() -> tuple[Evaluation, dict[str, tuple[str, str]]]:
    people = [person for person, _, _ in WHY.values()]
    ev = run([], people, as_of=date(2022, 6, 1))
    expected = {str(p["physician_id"]): (r, why) for p, r, why in WHY.values()}
    return ev, expected


def test_every_not_applicable_has_its_reason_in_explain() -> None:
    ev, expected = _why_evaluation()
    for pid, (requirement, why) in expected.items():
        text = ev.explain(pid)
        assert f"- {requirement}: not_applicable, why: " in text
        line = next(x for x in text.splitlines() if x.startswith(f"- {requirement}: not_appl"))
        assert why in line, line
    na = ev.compliance[ev.compliance.status == "not_applicable"]
    assert not na.empty and na.note.str.len().gt(0).all()


def test_audit_packet_says_why_for_every_not_applicable() -> None:
    import pandas as pd

    from cme_batch.report.html import render_physician_packet
    from cme_batch.report.model import ReportModel, RunInfo
    from cme_batch.schema import ACTIVITY_COLUMNS, DOCUMENT_COLUMNS

    ev, expected = _why_evaluation()
    model = ReportModel(
        run=RunInfo(as_of=date(2022, 6, 1), rule_sets=(), inbox="inbox", roster="roster.csv"),
        documents=pd.DataFrame(columns=list(DOCUMENT_COLUMNS)),
        activities=pd.DataFrame(columns=list(ACTIVITY_COLUMNS)),
        compliance=ev.compliance,
        physicians=ev.physicians,
        activity_status=ev.activity_status,
    )
    for pid, (_, why) in expected.items():
        assert why in render_physician_packet(model, pid), pid
