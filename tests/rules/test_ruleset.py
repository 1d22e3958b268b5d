"""Rule files: the packaged ones load; broken ones fail naming the file and the rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from cme_batch.rules import (
    RuleFileError,
    RuleSettings,
    load_ruleset,
    load_rulesets,
    select_ruleset,
)
from cme_batch.schema import TOPICS

PACKAGED = Path(str(resources.files("cme_batch.rules")))
MA_2018 = (PACKAGED / "ma_2018.toml").read_text(encoding="utf-8")
MA_2012 = (PACKAGED / "ma_2012.toml").read_text(encoding="utf-8")


def test_packaged_rule_sets_load() -> None:
    rulesets = {r.id: r for r in load_rulesets()}
    assert set(rulesets) == {"ma_2012", "ma_2018"}
    current = rulesets["ma_2018"]
    assert [r.id for r in current.requirements] == [
        "total",
        "risk_management",
        "board_regulations",
        "opioid_pain",
        "end_of_life",
        "ehr",
        "implicit_bias",
        "child_abuse",
        "domestic_violence",
        "dementia",
    ]
    assert all(r.source for r in current.requirements)
    risk = next(r for r in current.requirements if r.id == "risk_management")
    assert risk.caps[0].limit == Decimal(7)
    assert risk.topics == frozenset(TOPICS) - {"child_abuse", "domestic_violence", "dementia"}


@pytest.mark.parametrize(
    ("renewal", "expected"),
    [
        (date(2012, 1, 31), None),
        (date(2012, 2, 1), "ma_2012"),
        (date(2017, 12, 31), "ma_2012"),
        (date(2018, 1, 1), "ma_2018"),
        (date(2031, 6, 1), "ma_2018"),
    ],
)
def test_select_by_renewal_date(renewal: date, expected: str | None) -> None:
    chosen = select_ruleset(load_rulesets(), "MA", renewal)
    assert (chosen.id if chosen else None) == expected


def test_settings_select_variants() -> None:
    rules = {r.id: r for r in select_ruleset(load_rulesets(), "MA", date(2026, 1, 1)).requirements}  # type: ignore[union-attr]
    assert rules["board_regulations"].with_settings(RuleSettings()).amount == Decimal(2)
    per_chapter = RuleSettings(board_regulations="per_chapter")
    assert rules["board_regulations"].with_settings(per_chapter).amount == Decimal(6)
    per_renewal = RuleSettings(implicit_bias="per_renewal")
    assert rules["implicit_bias"].with_settings(per_renewal).frequency == "per_cycle"
    assert rules["implicit_bias"].with_settings(RuleSettings()).frequency == "one_time"


def test_bad_setting_value_rejected() -> None:
    with pytest.raises(ValueError, match="board_regulations"):
        RuleSettings(board_regulations="per_page")  # type: ignore[arg-type]


# (case, text to replace in ma_2018.toml, replacement, rule named, message fragment)
BROKEN = [
    ("negative amount", "amount = 50", "amount = -50", "total", "positive"),
    ("zero amount", "amount = 10\n", "amount = 0\n", "risk_management", "positive"),
    (
        "amount not a number",
        'amount = 3\nfrequency = "per_cycle"',
        'amount = "three"\nfrequency = "per_cycle"',
        "opioid_pain",
        "number",
    ),
    (
        "boolean amount",
        'amount = 2\nfrequency = "per_cycle"',
        'amount = true\nfrequency = "per_cycle"',
        "board_regulations",
        "number",
    ),
    ("duplicate id", 'id = "dementia"', 'id = "child_abuse"', "child_abuse", "duplicate"),
    ("bad id", 'id = "dementia"', 'id = "Dementia!"', "Dementia!", "lower-case"),
    ("unknown topic", 'topics = ["dementia"]', 'topics = ["dementa"]', "dementia", "dementa"),
    (
        "unknown license type",
        'license_types = ["full"] }',
        'license_types = ["fulll"] }',
        "ehr",
        "fulll",
    ),
    (
        "unknown applies_to key",
        "serves_adults_only = true",
        "serves_kids_only = true",
        "dementia",
        "serves_kids_only",
    ),
    (
        "applies_to flag not bool",
        "prescribers_only = true",
        'prescribers_only = "yes"',
        "opioid_pain",
        "true or false",
    ),
    (
        "applies_to date outside rule set",
        "renewals_from = 2022-06-01",
        "renewals_from = 2016-06-01",
        "implicit_bias",
        "outside",
    ),
    (
        "applies_to not a date",
        "renewals_from = 2022-06-01",
        'renewals_from = "2022-06-01"',
        "implicit_bias",
        "TOML date",
    ),
    (
        "bad frequency",
        'frequency = "one_time"\ntopics = ["dementia"]',
        'frequency = "yearly"\ntopics = ["dementia"]',
        "dementia",
        "frequency",
    ),
    ("bad category", 'category = "1"', 'category = "3"', "ehr", "category"),
    ("cap above amount", "max = 7", "max = 11", "risk_management", "exceeds"),
    (
        "cap topic outside requirement",
        'caps = [{ topics = ["wellness_burnout"]',
        'caps = [{ topics = ["dementia"]',
        "risk_management",
        "subset",
    ),
    (
        "training with amount",
        'kind = "training"\nfrequency',
        'kind = "training"\namount = 1\nfrequency',
        "child_abuse",
        "training",
    ),
    (
        "missing source",
        'source = "massmed.org/child-abuse; BORIM requirements chart (2024-04-11)"',
        "",
        "child_abuse",
        "source",
    ),
    (
        "unknown option setting",
        "options.implicit_bias.per_renewal",
        "options.implicit_bias_mode.per_renewal",
        "implicit_bias",
        "unknown setting",
    ),
    (
        "unknown option value",
        "options.implicit_bias.per_renewal",
        "options.implicit_bias.sometimes",
        "implicit_bias",
        "unknown value",
    ),
    ("unknown requirement key", 'label = "dementia"', 'lable = "dementia"', "dementia", "lable"),
    (
        "waiver keeps unknown requirement",
        'keeps = ["opioid_pain",',
        'keeps = ["opioids",',
        "waiver covid_policy_20_03",
        "opioids",
    ),
    (
        "waiver dates reversed",
        "renewals_to = 2020-12-31",
        "renewals_to = 2020-01-31",
        "waiver covid_policy_20_03",
        "before",
    ),
    (
        "waiver outside rule set",
        "renewals_from = 2020-04-02",
        "renewals_from = 2017-04-02",
        "waiver covid_policy_20_03",
        "outside",
    ),
    (
        "waiver lists both waives and keeps",
        'keeps = ["opioid_pain",',
        'waives = ["total"]\nkeeps = ["opioid_pain",',
        "waiver covid_policy_20_03",
        "exactly one of waives",
    ),
    (
        "waiver reading with reversed dates",
        "renewals_to = 2021-12-31",
        "renewals_to = 2019-12-31",
        "waiver covid_policy_20_03",
        "before",
    ),
    (
        "waiver note with an unknown placeholder",
        "reading used: {reading}",
        "reading used: {readings}",
        "waiver covid_policy_20_03",
        "unknown placeholder",
    ),
    (
        "exception names an unknown date setting",
        'renewals_to = { setting = "dementia_grace_end" }',
        'renewals_to = { setting = "grace" }',
        "dementia",
        "unknown date setting",
    ),
    (
        "exception with an unknown status",
        'status = "not_applicable"',
        'status = "exempt"',
        "dementia",
        "status must be one of",
    ),
    (
        "exception note with a placeholder for an absent bound",
        "had until {renewals_to}",
        "had until {renewals_from}",
        "dementia",
        "unknown placeholder",
    ),
    (
        "exception with no bound",
        'first_licensed_to = 2018-08-09\nrenewals_to = { setting = "dementia_grace_end" }\n',
        "",
        "dementia",
        "at least one",
    ),
    (
        "exception with an unknown key",
        "first_licensed_to = 2018-08-09",
        "first_licensed_before = 2018-08-09",
        "dementia",
        "first_licensed_before",
    ),
    (
        "rule set dates reversed",
        "effective_from = 2018-01-01",
        "effective_from = 2018-01-01\neffective_to = 2017-01-01",
        "ruleset",
        "before",
    ),
    ("bad state", 'state = "MA"', 'state = "Mass"', "ruleset", "two-letter"),
    (
        "unknown alternative route",
        'alternative_route = "ehr_alternative_route"',
        'alternative_route = "hipaa"',
        "ehr",
        "alternative_route",
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "rule", "fragment"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_bad_rule_file_names_file_and_rule(
    tmp_path: Path, case: str, old: str, new: str, rule: str, fragment: str
) -> None:
    assert old in MA_2018, f"test setup: {old!r} not in ma_2018.toml"
    path = tmp_path / "ma_broken.toml"
    path.write_text(MA_2018.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(path)
    message = str(caught.value)
    assert "ma_broken.toml" in message
    assert f"rule {rule!r}" in message
    assert fragment in message
    assert caught.value.rule == rule


def test_invalid_toml_names_file(tmp_path: Path) -> None:
    path = tmp_path / "ma_bad_syntax.toml"
    path.write_text("[ruleset\nid = 1", encoding="utf-8")
    with pytest.raises(RuleFileError, match="ma_bad_syntax.toml.*not valid TOML"):
        load_ruleset(path)


def test_overlapping_rule_sets_rejected(tmp_path: Path) -> None:
    (tmp_path / "ma_2018.toml").write_text(MA_2018, encoding="utf-8")
    overlapping = MA_2012.replace("effective_to = 2017-12-31", "effective_to = 2018-01-01")
    (tmp_path / "ma_2012.toml").write_text(overlapping, encoding="utf-8")
    with pytest.raises(RuleFileError, match="overlap") as caught:
        load_rulesets(tmp_path)
    assert "ma_2018.toml" in str(caught.value) and "ma_2012" in str(caught.value)


def test_open_ended_rule_sets_of_one_state_overlap(tmp_path: Path) -> None:
    (tmp_path / "ma_2018.toml").write_text(MA_2018, encoding="utf-8")
    later = MA_2018.replace('id = "ma_2018"', 'id = "ma_2019"').replace(
        "effective_from = 2018-01-01", "effective_from = 2019-01-01"
    )
    (tmp_path / "ma_2019.toml").write_text(later, encoding="utf-8")
    with pytest.raises(RuleFileError, match="overlap"):
        load_rulesets(tmp_path)


def test_other_state_may_share_dates(tmp_path: Path) -> None:
    (tmp_path / "ma_2018.toml").write_text(MA_2018, encoding="utf-8")
    other = MA_2018.replace('id = "ma_2018"', 'id = "nh_2018"').replace(
        'state = "MA"', 'state = "NH"'
    )
    (tmp_path / "nh_2018.toml").write_text(other, encoding="utf-8")
    states = sorted(r.state for r in load_rulesets(tmp_path))
    assert states == ["MA", "NH"]


def test_changed_policy_is_a_data_file(tmp_path: Path) -> None:
    """A new policy from 2030 is a new file; the engine picks it by renewal date."""
    from rules_factory import activities, physician, roster

    from cme_batch.rules import evaluate

    old = MA_2018.replace(
        "effective_from = 2018-01-01", "effective_from = 2018-01-01\neffective_to = 2029-12-31"
    )
    new = (
        MA_2018.replace('id = "ma_2018"', 'id = "ma_2030"')
        .replace("effective_from = 2018-01-01", "effective_from = 2030-01-01")
        .replace("renewals_from = 2020-04-02", "renewals_from = 2030-04-02")
        .replace("renewals_to = 2020-12-31", "renewals_to = 2030-12-31")
        .replace("renewals_to = 2021-12-31", "renewals_to = 2031-12-31")
        .replace("renewals_from = 2022-06-01", "renewals_from = 2030-01-01")
        .replace("amount = 50", "amount = 60")
    )
    (tmp_path / "ma_2018.toml").write_text(old, encoding="utf-8")
    (tmp_path / "ma_2030.toml").write_text(new, encoding="utf-8")
    rules = load_rulesets(tmp_path)
    people = roster(
        physician("A", license_expires=date(2029, 12, 31)),
        physician("B", license_expires=date(2030, 1, 1)),
    )
    ev = evaluate(activities(), people, date(2029, 1, 1), rulesets=rules)
    totals = ev.compliance[ev.compliance.requirement == "total"].set_index("physician_id")
    assert totals.loc["A", "required"] == Decimal(50) and totals.loc["A", "rule_set"] == "ma_2018"
    assert totals.loc["B", "required"] == Decimal(60) and totals.loc["B", "rule_set"] == "ma_2030"


def test_exception_only_with_names_a_known_setting_and_value(tmp_path: Path) -> None:
    old = 'only_with = { domestic_violence_enforcement = "review_before_2017_11_01" }'
    assert old in MA_2012
    for bad, fragment in (
        ('only_with = { domestic_violence = "review" }', "unknown setting"),
        ('only_with = { domestic_violence_enforcement = "later" }', "unknown value"),
    ):
        path = tmp_path / "ma_bad.toml"
        path.write_text(MA_2012.replace(old, bad), encoding="utf-8")
        with pytest.raises(RuleFileError, match=fragment) as caught:
            load_ruleset(path)
        assert caught.value.rule == "domestic_violence"


def test_covid_waiver_keeps_the_statutory_trainings() -> None:
    current = select_ruleset(load_rulesets(), "MA", date(2020, 6, 1))
    assert current is not None
    (waiver,) = current.waivers
    statutory = {"opioid_pain", "end_of_life", "ehr", "child_abuse", "domestic_violence"}
    assert waiver.keeps == statutory | {"dementia"}
    assert waiver.waives == {"total", "risk_management", "board_regulations", "implicit_bias"}
    secondary = waiver.with_settings(RuleSettings(covid_waiver="specialty_society"))
    assert secondary.keeps == waiver.keeps | {"risk_management"}
    assert secondary.renewals_to == date(2021, 12, 31)
    assert waiver.reading and secondary.reading and waiver.reading != secondary.reading
