from __future__ import annotations

import copy

import score

TRUTH = [
    {
        "source_file": "a.pdf",
        "page": "1",
        "physician_name": "Jane Q. Doe, MD",
        "physician_id": "P1",
        "activity_title": "Reducing Diagnostic Error",
        "provider": "Harborview Medical Center",
        "activity_date": "2026-03-03",
        "credits": "1.5",
        "category": "1",
        "credit_type": "AMA PRA Category 1 Credits™",
        "topics": "risk_management",
        "variant": "digital",
    },
    {
        "source_file": "b.jpg",
        "page": "1",
        "physician_name": "DOE, JANE",
        "physician_id": "P1",
        "activity_title": "Update in Diabetes",
        "provider": "MedLearn Online CME",
        "activity_date": "2025-10-15",
        "credits": "12.25",
        "category": "1",
        "credit_type": "AMA PRA Category 1 Credits(TM)",
        "topics": "",
        "variant": "photo",
    },
    {
        "source_file": "t.pdf",
        "page": "2",
        "physician_name": "Roe, Ann",
        "physician_id": "P2",
        "activity_title": "Asthma",
        "provider": "X",
        "activity_date": "2025-01-02",
        "credits": "1",
        "category": "1",
        "credit_type": "AMA PRA Cat 1",
        "topics": "",
        "variant": "scanned",
    },
]


def test_perfect_prediction_scores_one() -> None:
    sc = score.score_rows(copy.deepcopy(TRUTH), TRUTH)
    m = sc.overall.prf()
    assert (m["precision"], m["recall"], m["f1"]) == (1.0, 1.0, 1.0)
    assert all(sc.field_right[f] == 3 for f in score.FIELDS)


def test_credit_equality_is_decimal() -> None:
    pred = copy.deepcopy(TRUTH)
    pred[0]["credits"] = "1.50"
    pred[1]["credits"] = "12.250"
    assert score.score_rows(pred, TRUTH).overall.tp == 3


def test_wrong_credit_makes_row_wrong() -> None:
    pred = copy.deepcopy(TRUTH)
    pred[1]["credits"] = "20"  # the "maximum of" designation instead of the claimed credits
    sc = score.score_rows(pred, TRUTH)
    assert sc.overall.tp == 2
    assert sc.by_variant["photo"].tp == 0
    assert sc.matched == 3
    assert sc.field_right["credits"] == 2
    assert any(e["kind"] == "wrong" and e["fields"] == "credits" for e in sc.errors)


def test_missing_row_lowers_recall_only() -> None:
    sc = score.score_rows(copy.deepcopy(TRUTH[:2]), TRUTH)
    m = sc.overall.prf()
    assert m["precision"] == 1.0
    assert abs(m["recall"] - 2 / 3) < 1e-9


def test_invented_row_lowers_precision_only() -> None:
    extra = dict(TRUTH[0], activity_title="TOTAL CREDITS", credits="14.5")
    sc = score.score_rows(copy.deepcopy(TRUTH) + [extra], TRUTH)
    m = sc.overall.prf()
    assert m["recall"] == 1.0
    assert abs(m["precision"] - 3 / 4) < 1e-9


def test_rows_match_only_within_file_and_page() -> None:
    pred = copy.deepcopy(TRUTH)
    pred[2]["page"] = "1"  # right values on the wrong transcript page
    pred[0]["source_file"] = "other.pdf"
    sc = score.score_rows(pred, TRUTH)
    assert sc.overall.tp == 1


def test_one_to_one_best_match_first() -> None:
    truth = [
        dict(TRUTH[2], page="", activity_title=f"T{i}", credits=c) for i, c in enumerate(["1", "2"])
    ]
    pred = [dict(truth[1]), dict(truth[0])]  # reversed order
    assert score.score_rows(pred, truth).overall.tp == 2
    dup = [dict(truth[0]), dict(truth[0])]  # the same row twice counts once
    assert score.score_rows(dup, truth).overall.tp == 1


def test_field_normalisation() -> None:
    t = TRUTH[0]
    assert score.field_equal("physician_name", dict(t, physician_name="DOE, JANE Q."), t)
    assert score.field_equal("physician_name", dict(t, physician_name="Dr. Jane Q Doe"), t)
    assert not score.field_equal("physician_name", dict(t, physician_name="John Doe"), t)
    assert score.field_equal(
        "activity_title", dict(t, activity_title="Reducing Diagnostic Errors"), t
    )
    assert not score.field_equal("activity_title", dict(t, activity_title="Diagnostic Error"), t)
    assert score.field_equal("credit_type", dict(t, credit_type="AMA PRA Category 1 Credit"), t)
    assert not score.field_equal(
        "credit_type", dict(t, credit_type="AMA PRA Category 2 Credit™"), t
    )
    assert score.canon_credit_type("AOA Category 1-A credits") == "aoa1a"
    assert score.canon_credit_type("AAFP Elective credit") == "aafp_e"
    assert score.field_equal("topics", dict(t, topics="risk_management"), t)
    assert not score.field_equal("topics", dict(t, topics="risk_management;opioid_pain"), t)


def test_documents_accuracy() -> None:
    truth = [
        {"source_file": "a.pdf", "expected_status": "ok"},
        {"source_file": "b.pdf", "expected_status": "duplicate"},
    ]
    pred = [{"source_file": "a.pdf", "status": "ok"}, {"source_file": "b.pdf", "status": "ok"}]
    res = score.score_documents(pred, truth)
    assert res["accuracy"] == 0.5
    assert res["wrong"] == [{"source_file": "b.pdf", "expected": "duplicate", "got": "ok"}]


def test_cli_writes_json(tmp_path) -> None:
    import csv
    import json

    path = tmp_path / "truth.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(TRUTH[0]))
        w.writeheader()
        w.writerows(TRUTH)
    out = tmp_path / "s.json"
    assert score.main(["--predicted", str(path), "--truth", str(path), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rows"]["f1"] == 1.0


def test_silent_error_rate_counts_only_unflagged_wrong_or_invented_rows() -> None:
    pred = copy.deepcopy(TRUTH)
    for r in pred:
        r["needs_review"] = "false"
    pred[1]["credits"] = "2"  # wrong and unflagged: silent
    pred[2]["credits"] = "9"  # wrong but flagged: not silent
    pred[2]["needs_review"] = "true"
    invented = dict(pred[0], activity_date="2020-01-01", needs_review="false")
    sc = score.score_rows([*pred, invented], TRUTH)
    overall = sc.as_dict()["slices"]["overall"]["silent"]
    assert (overall["wrong"], overall["unflagged"]) == (2, 3)
    assert sc.as_dict()["slices"]["photo"]["silent"]["rate"] == 1.0
    assert sc.as_dict()["slices"]["scanned"]["silent"]["unflagged"] == 0
    assert "BY SLICE" in score.format_table(sc)


def test_topic_precision_and_recall_over_matched_pairs() -> None:
    pred = copy.deepcopy(TRUTH)
    pred[0]["topics"] = "risk_management;opioid_pain"  # one right, one extra
    pred[1]["topics"] = ""
    truth = copy.deepcopy(TRUTH)
    truth[1]["topics"] = "dementia"  # missed
    t = score.score_rows(pred, truth).as_dict()["slices"]
    assert t["overall"]["topics"]["precision"] == 0.5
    assert t["overall"]["topics"]["recall"] == 0.5
    assert t["digital"]["fields"]["topics"] == 0.0
    assert t["digital"]["topics"]["recall"] == 1.0
