"""The office's own inputs never give a wrong answer: folders, a vanished inbox, ledgers, fixes.

Each test runs the command line and checks what a user sees: the outputs, the exit code and
the messages (issue "office-proof", section A).
"""

from __future__ import annotations

import csv
import logging
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cme_batch.cli import main
from tests.state.certs import Cert, cert, write_lines_pdf
from tests.state.conftest import OUTPUT_CSVS, Run, csv_texts, last_run

LEDGER_HEADER = "physician_id,activity_title,activity_date,credits,category,topics\n"


def _rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _ledger_rows(out: Path) -> dict[str, dict[str, str]]:
    return {
        r["activity_title"]: r
        for r in _rows(out, "certificates.csv")
        if r["source_file"].startswith("ledger:")
    }


def _record_ids(out: Path) -> dict[str, str]:
    """Title -> record id, from the workbook's Activities sheet (where the office finds them)."""
    sheet = load_workbook(out / "report.xlsx", read_only=True)["Activities"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[1]]
    ids, titles = header.index("Record ID"), header.index("Title")
    return {str(r[titles]): str(r[ids]) for r in rows[2:] if r[ids]}


def _earned(out: Path, pid: str, requirement: str = "total") -> str:
    rows = _rows(out, "compliance.csv")
    return next(
        r["earned"] for r in rows if r["physician_id"] == pid and r["requirement"] == requirement
    )


def _notices(out: Path) -> list[str]:
    folder = out / "notices"
    return sorted(p.name for p in folder.glob("*.eml")) if folder.is_dir() else []


# -- A7: the output folder and the inbox kept apart --------------------------------------------


def test_out_inside_inbox_and_inbox_inside_out_are_refused(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in inbox.rglob("*"))
    assert run(inbox, inbox / "reports") == 2
    assert "is inside --inbox" in capsys.readouterr().err
    assert run(inbox, inbox) == 2
    assert sorted(p.name for p in inbox.rglob("*")) == before  # nothing written in the inbox
    outer = tmp_path / "outer"
    nested = outer / "inbox"
    shutil.copytree(inbox, nested)
    assert run(nested, outer) == 2
    assert "is inside --out" in capsys.readouterr().err
    assert not (outer / "report.html").exists()
    state_in_inbox = str(inbox / "state.sqlite")
    assert run(inbox, tmp_path / "out", "--state", state_in_inbox) == 2
    assert not (inbox / "state.sqlite").exists()


# -- A2: an empty or unmounted inbox changes nothing ---------------------------------------------


def test_vanished_inbox_stops_before_the_rules_and_sends_nothing(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    reports = csv_texts(out)
    workbook = (out / "report.xlsx").read_bytes()
    notices = _notices(out)
    capsys.readouterr()
    # The share did not mount: the folder is there, empty but for Finder's settings file.
    unmounted = tmp_path / "share"
    unmounted.mkdir()
    (unmounted / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    # A later night, when new notices would be due (P001 renews 2027-01-15).
    later = ("--as-of", "2026-12-20")
    assert run(unmounted, out, *later) == 2
    err = capsys.readouterr().err
    assert "4 of 4 known files are gone" in err and "is the share mounted?" in err
    assert "--accept-inbox-shrink" in err
    assert csv_texts(out) == reports
    assert (out / "report.xlsx").read_bytes() == workbook
    assert _notices(out) == notices
    assert last_run(out)["status"] == "stopped" and last_run(out)["exit_code"] == 2
    # The state still knows the files: the next night with the share back reads nothing again.
    assert run(inbox, out, *later) == 0
    assert last_run(out)["files_read"] == 0
    # Most files gone (3 of 4) stops too; accepting the shrink goes on.
    for name in ("cert-0000.pdf", "cert-0001.pdf", "cert-0002.pdf"):
        (inbox / name).unlink()
    assert run(inbox, out, *later) == 2
    assert "3 of 4 known files are gone" in capsys.readouterr().err
    assert run(inbox, out, *later, "--accept-inbox-shrink") == 0
    assert [r["source_file"] for r in _rows(out, "documents.csv")] == ["cert-0003.pdf"]


def test_first_run_on_an_empty_inbox_writes_no_report_and_no_notice(
    run: Run, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    assert run(empty, out) == 2
    assert "has no files" in capsys.readouterr().err
    assert not (out / "physicians.csv").exists() and _notices(out) == []


# -- A3, A4: ledger rows are named by their content; identical rows count once ------------------


def test_ledger_decision_follows_its_row_not_its_line(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        LEDGER_HEADER
        + "P001,Reading for Jane,2026-05-01,2,2,\n"
        + "P002,Reading for Samuel,2026-05-02,3,2,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run(inbox, out, "--ledger", str(ledger)) == 0
    samuel = _record_ids(out)["Reading for Samuel"]
    assert samuel.startswith("ledger:ledger.csv#r") and "#row" not in samuel
    state = str(out / "state.sqlite")
    assert main(["review", "fix", samuel, "--credits", "1", "--state", state]) == 0
    # The office inserts a row on top and sorts: Samuel's row moves, another takes its line.
    ledger.write_text(
        LEDGER_HEADER
        + "P003,Reading for Maria,2026-05-03,4,2,\n"
        + "P002,Reading for Samuel,2026-05-02,3,2,\n"
        + "P001,Reading for Jane,2026-05-01,2,2,\n",
        encoding="utf-8",
    )
    assert run(inbox, out, "--ledger", str(ledger)) == 0
    rows = _ledger_rows(out)
    assert rows["Reading for Samuel"]["credits"] == "1"
    assert rows["Reading for Maria"]["credits"] == "4"
    assert rows["Reading for Jane"]["credits"] == "2"
    capsys.readouterr()
    # The row itself is edited: the decision is not applied to it, and is shown for review.
    ledger.write_text(
        LEDGER_HEADER + "P002,Reading for Samuel (corrected),2026-05-02,3,2,\n", encoding="utf-8"
    )
    assert run(inbox, out, "--ledger", str(ledger), "--accept-inbox-shrink") == 0
    assert _ledger_rows(out)["Reading for Samuel (corrected)"]["credits"] == "3"
    form = {r["record_id"]: r for r in _rows(out, "corrections.csv")}
    assert form[samuel]["why"].startswith("not applied")
    assert f"{samuel}: the fix decision matches no row of ledger.csv any more" in (
        out / "run.log"
    ).read_text(encoding="utf-8")
    # Reading that form back is no error and no new decision.
    assert (
        run(inbox, out, "--ledger", str(ledger), "--corrections", str(out / "corrections.csv")) == 0
    )


def _ledger_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The warnings about ledger rows logged since the last call (printed on the console)."""
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    caplog.clear()
    return [text for text in said if "ledger" in text]


def test_a_fixed_ambiguous_ledger_row_is_no_longer_warned_about(
    inbox: Path, roster: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"

    def run(*extra: str) -> int:  # not --quiet: the console's warnings are what is checked
        args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
        return main([*args, "--as-of", "2026-11-27", "--jobs", "1", "--no-notices", *extra])

    with roster.open("a", encoding="utf-8") as fh:  # a second Doe: "Dr. Doe" could be either
        fh.write("P005,Doe,John,,MD,567890,2027-05-15,no,2012-07-01,john@example.org\n")
    ledger = tmp_path / "ledger.csv"
    header = "physician_name,activity_title,activity_date,credits,category,topics\n"
    ledger.write_text(
        header + "Dr. Doe,Board regulations reading,2026-05-02,2,2,board_regulations\n",
        encoding="utf-8",
    )
    assert run("--ledger", str(ledger)) == 0
    warned = _ledger_warnings(caplog)
    assert len(warned) == 1 and "could be P001 or P005" in warned[0]
    assert warned[0] in (out / "run.log").read_text(encoding="utf-8")
    row = _ledger_rows(out)["Board regulations reading"]
    assert (row["physician_id"], row["needs_review"]) == ("", "true")
    record = _record_ids(out)["Board regulations reading"]
    state = str(out / "state.sqlite")
    assert main(["review", "fix", record, "--physician-id", "P001", "--state", state]) == 0
    for extra in ((), ("--full",)):  # the run that applies the fix, and every later one
        assert run("--ledger", str(ledger), *extra) == 0
        assert _ledger_warnings(caplog) == []
        assert _ledger_rows(out)["Board regulations reading"]["needs_review"] == "false"
        assert _earned(out, "P001", "board_regulations") == "2"
    # The other way out: the office corrects the ledger itself.
    ledger.write_text(
        "physician_id," + header + "P005,Dr. Doe,Board regulations reading,2026-05-02,2,2,"
        "board_regulations\n",
        encoding="utf-8",
    )
    assert run("--ledger", str(ledger)) == 0
    warned = _ledger_warnings(caplog)
    assert not any("could be" in w for w in warned)
    assert _earned(out, "P005", "board_regulations") == "2"
    # The fix made for the old row now matches no row: said, until the office takes it back.
    assert [w for w in warned if w.startswith(f"{record}: the fix decision matches no row")]
    assert f"cme-batch review withdraw {record}" in warned[0]
    assert main(["review", "withdraw", record, "--state", state]) == 0
    for extra in ((), ("--full",)):
        assert run("--ledger", str(ledger), *extra) == 0
        assert _ledger_warnings(caplog) == []
        assert _earned(out, "P005", "board_regulations") == "2"
    assert main(["review", "withdraw", record, "--state", state]) == 2  # nothing left to take


def test_identical_ledger_rows_count_once(
    inbox: Path, roster: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    row = "P002,Board regulations reading,2026-05-02,2,2,board_regulations\n"
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(LEDGER_HEADER + row + row, encoding="utf-8")
    other = tmp_path / "more.csv"
    other.write_text(LEDGER_HEADER + row, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    assert main([*args, "--jobs", "1", "--ledger", str(ledger), "--ledger", str(other)]) == 0
    titles = [
        r["activity_title"]
        for r in _rows(out, "certificates.csv")
        if r["source_file"].startswith("ledger:")
    ]
    assert titles == ["Board regulations reading"]
    assert _earned(out, "P002", "board_regulations") == "2"
    err = caplog.text  # printed as warnings on the console
    assert "ledger.csv line 3: same physician, title, date and credits as ledger.csv line 2" in err
    assert "more.csv line 2: same physician, title, date and credits as ledger.csv line 2" in err
    excluded = [t for t in _record_ids(out) if t == "Board regulations reading"]
    assert excluded  # the copies stay visible in the workbook, marked as duplicates


# -- A5: a title made of cue words is never taken ---------------------------------------------


def test_enduring_material_wording_yields_the_quoted_title_and_its_topic(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    write_lines_pdf(
        inbox / "malpractice.pdf",
        [
            "Harbor Risk Education Institute",
            "This certifies that",
            "Samuel Okafor, MD",
            "has participated in the enduring material activity titled",
            "\u201cClosed Claims: Lessons for Safer Practice\u201d",
            "Completed on March 5, 2026",
            "and is awarded 2.5 AMA PRA Category 1 Credits",
        ],
    )
    write_lines_pdf(
        inbox / "cue_words_only.pdf",
        [
            "Harbor Risk Education Institute",
            "This certifies that",
            "Samuel Okafor, MD",
            "has participated in the internet point-of-care activity titled",
            "Completed on March 9, 2026",
            "and is awarded 1.5 AMA PRA Category 1 Credits",
        ],
    )
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    rows = {r["source_file"]: r for r in _rows(out, "certificates.csv")}
    row = rows["malpractice.pdf"]
    assert row["activity_title"] == "Closed Claims: Lessons for Safer Practice"
    assert row["topics"] == "risk_management"
    assert row["needs_review"] == "false"
    # Samuel Okafor's other certificate is an opioid course: the 2.5 are this one's.
    assert _earned(out, "P002", "risk_management") == "2.5"
    # Nothing but the activity's type where the title should be: no title, and a person looks.
    bare = rows["cue_words_only.pdf"]
    assert bare["activity_title"] == ""
    assert bare["needs_review"] == "true"
    assert "activity title not found" in bare["review_reason"]


# -- A6: later fixes merge; unknown physician ids are refused ------------------------------------


def test_second_fix_merges_with_the_first(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    state = str(out / "state.sqlite")
    record = "cert-0002.pdf#p1"
    assert main(["review", "fix", record, "--activity-date", "2025-02-01", "--state", state]) == 0
    capsys.readouterr()
    assert main(["review", "fix", record, "--credits", "2.5", "--state", state]) == 0
    said = capsys.readouterr().out
    assert "keeps activity_date 2025-02-01 from the earlier fix" in said
    assert main(["review", "fix", record, "--credits", "2.75", "--state", state]) == 0
    assert "replaces credits 2.5 (earlier fix) with 2.75" in capsys.readouterr().out
    assert run(inbox, out) == 0
    row = next(r for r in _rows(out, "certificates.csv") if r["source_file"] == "cert-0002.pdf")
    assert (row["activity_date"], row["credits"]) == ("2025-02-01", "2.75")
    assert main(["review", "fix", record, "--physician-id", "P999", "--state", state]) == 2
    assert "P999" in capsys.readouterr().err
    assert main(["review", "fix", record, "--physician-id", "P004", "--state", state]) == 0
    assert run(inbox, out) == 0  # the tool accepts its own decisions


# -- B: a corrections form's problems are all reported on the first try ---------------------


def test_every_bad_record_id_of_a_form_is_reported_on_the_first_try(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    before = csv_texts(out)
    # A file the office adds today: its records are known only once this run reads it.
    write_lines_pdf(
        inbox / "new.pdf",
        ["This certifies that", "Wei Chen, MD", "has completed", "Sepsis Care Today",
         "Completed on May 4, 2026", "and is awarded 1.5 AMA PRA Category 1 Credits"],
    )  # fmt: skip
    form = tmp_path / "form.csv"
    form.write_text(
        "record_id,decision,credits\n"
        "cert-0001.pdf#p1,fix,lots\n"  # a bad value
        "cert-0009.pdf#p1,confirm,\n"  # a file the inbox never had
        "cert-0002.pdf#p7,confirm,\n"  # a page the file does not have
        "new.pdf#p2,confirm,\n"  # a page of the new file: found missing only by reading it
        "cert-0003.pdf#p1,fix,3\n",  # good: stored only when the whole form is
        encoding="utf-8",
    )
    capsys.readouterr()
    assert run(inbox, out, "--corrections", str(form)) == 4
    err = capsys.readouterr().err
    assert "form.csv: 4 problem(s):" in err
    said = [line.strip() for line in err.splitlines() if line.strip().startswith("- line")]
    assert said == [
        "- line 2: credits 'lots' is not a number",
        "- line 3: cert-0009.pdf#p1: no file 'cert-0009.pdf' is in the inbox or has been seen in it",
        "- line 4: cert-0002.pdf#p7: cert-0002.pdf has no record 'p7' (its records: p1)",
        "- line 5: new.pdf#p2: new.pdf has no record 'p2' (its records: p1)",
    ]
    assert csv_texts(out) == before  # no report changed, no decision stored
    assert last_run(out)["status"] == "stopped" and last_run(out)["exit_code"] == 4
    assert "exit code 4" in (out / "run.log").read_text(encoding="utf-8")
    # The office fixes the form once; the next run takes it (and what was read is kept).
    form.write_text(
        "record_id,decision,credits\ncert-0001.pdf#p1,fix,2\nnew.pdf#p1,confirm,\n"
        "cert-0003.pdf#p1,fix,3\n",
        encoding="utf-8",
    )
    assert run(inbox, out, "--corrections", str(form)) == 0
    rows = {r["source_file"]: r for r in _rows(out, "certificates.csv")}
    assert (rows["cert-0001.pdf"]["credits"], rows["cert-0003.pdf"]["credits"]) == ("2", "3")


# -- C: the office's folders and a physician who left ----------------------------------------------


def test_system_files_are_skipped_and_listed(run: Run, inbox: Path, tmp_path: Path) -> None:
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", "~$notes.docx", "__MACOSX/._cert.pdf"):
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(b"system bytes")
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    docs = {r["source_file"]: r for r in _rows(out, "documents.csv")}
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", "~$notes.docx", "__MACOSX/._cert.pdf"):
        assert (docs[name]["status"], docs[name]["kind"]) == ("skipped", "system")
        assert docs[name]["reason"].startswith("system file")


def test_not_our_physician_by_file_and_by_printed_name(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    for n in range(3):
        lines = Cert(0, f"Grand Rounds {n}", cert(n).date, "1.0").lines()
        lines[1] = "Robert X. Nobody, MD"  # a physician who left the group
        write_lines_pdf(inbox / f"left-{n}.pdf", lines)
    out = tmp_path / "out"

    def waiting() -> list[str]:
        rows = _rows(out, "certificates.csv")
        return sorted(r["source_file"] for r in rows if r["source_file"].startswith("left-"))

    assert run(inbox, out) == 0
    assert waiting() == ["left-0.pdf", "left-1.pdf", "left-2.pdf"]
    state = str(out / "state.sqlite")
    assert main(["review", "not-ours", "left-0.pdf#p1", "--state", state]) == 0
    assert run(inbox, out) == 0
    assert waiting() == ["left-1.pdf", "left-2.pdf"]
    assert main(["review", "not-ours", "left-1.pdf#p1", "--scope", "name", "--state", state]) == 0
    assert run(inbox, out) == 0
    assert waiting() == []
    form = {r["record_id"]: r["decision"] for r in _rows(out, "corrections.csv")}
    assert form["left-0.pdf#p1"] == "not_ours_file"
    assert form["left-2.pdf#p1"] == "not_ours_name"
    assert (out / "corrections.csv").is_file()
    # The form read back (as the office would pass it) changes nothing and is no error.
    assert run(inbox, out, "--corrections", str(out / "corrections.csv")) == 0
    assert waiting() == []


def test_output_csvs_read_back_as_written(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    assert (out / "corrections.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    for name in OUTPUT_CSVS[:4]:
        assert not (out / name).read_bytes().startswith(b"\xef\xbb\xbf")


# -- C: tables as Excel writes them -------------------------------------------------------------

EXCEL_ROSTER = (
    "physician_id;last_name;first_name;middle_name;degree;license_number;license_expires;"
    "prescribes_controlled_substances;first_licensed;email\n"
    "P001;Doe;Jane;Q;MD;123456;1/15/2027;yes;7/13/2010;jane@example.org\n"
    "P002;Okafor;Samuel;;MD;234567;2/15/2027;yes;7/13/2010;samuel@example.org\n"
    "P003;Lindqvist;María;T;DO;345678;3/15/2027;yes;7/13/2010;maria@example.org\n"
    "P004;Beaulieu;Hélène;;MD;456789;4/15/2027;yes;7/13/2010;helene@example.org\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-16"])
def test_roster_and_ledger_saved_by_excel_are_read(
    inbox: Path, tmp_path: Path, encoding: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(EXCEL_ROSTER.encode(encoding))
    ledger = tmp_path / "ledger.csv"
    ledger.write_bytes(
        (
            "physician_id;activity_title;activity_date;credits;category;topics\n"
            "P004;Lecture des règlements;5/14/2026;2,5;2;board_regulations\n"
        ).encode(encoding)
    )
    out = tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    assert main([*args, "--ledger", str(ledger), "--as-of", "2026-11-27", "--quiet"]) == 0
    names = {r["physician_id"]: r for r in _rows(out, "physicians.csv")}
    assert names["P004"]["physician_name"] == "Hélène Beaulieu, MD"
    assert names["P004"]["renewal_date"] == "2027-04-15"
    row = _ledger_rows(out)["Lecture des règlements"]
    assert (row["activity_date"], row["credits"]) == ("2026-05-14", "2.5")
    form = (out / "corrections.csv").read_bytes()
    assert form.startswith(b"\xef\xbb\xbf")  # Excel then shows the accents as they are


def test_ambiguous_us_date_is_refused_with_both_readings(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(EXCEL_ROSTER.replace("4/15/2027", "4/5/2027"), encoding="cp1252")
    out = tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    assert main([*args, "--quiet"]) == 4
    err = capsys.readouterr().err
    assert "line 5: license_expires '4/5/2027' is ambiguous" in err
    assert "2027-04-05" in err and "2027-05-04" in err
    assert not (out / "physicians.csv").exists()


def test_a_pdf_given_as_roster_says_so(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    pdf = sorted(inbox.glob("*.pdf"))[0]
    roster = tmp_path / "roster.csv"
    shutil.copy(pdf, roster)
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    assert main([*args, "--quiet"]) == 4
    assert "a PDF, not a table" in capsys.readouterr().err


def test_corrections_form_saved_by_excel_in_cp1252_is_read(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = tmp_path / "decisions.csv"
    form.write_bytes(
        (
            "record_id;decision;physician_id;activity_date;credits;category;topics;"
            "activity_title;note\n"
            "cert-0002.pdf#p1;fix;;2/13/2025;;;;Réunion clinique;vérifié au téléphone\n"
        ).encode("cp1252")
    )
    assert run(inbox, out, "--corrections", str(form)) == 0
    row = next(r for r in _rows(out, "certificates.csv") if r["source_file"] == "cert-0002.pdf")
    assert (row["activity_date"], row["activity_title"]) == ("2025-02-13", "Réunion clinique")


def test_docs_quote_every_topics_list() -> None:
    """`--topics a;b` unquoted ends the command at the `;` in a shell: the docs quote it."""
    root = Path(__file__).resolve().parents[2]
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    shown = [
        (page.name, value)
        for page in pages
        for value in re.findall(r"--topics[ =]([^\s`|]+)", page.read_text(encoding="utf-8"))
    ]
    assert shown  # the option is documented
    for page, value in shown:
        assert ";" not in value or value[0] in "'\"", (page, value)


def test_quiet_summary_says_the_corrections_form_has_unread_decisions(
    run: Run, inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    write_lines_pdf(
        inbox / "undated.pdf",
        ["This certifies that", "Wei Chen, MD", "has completed", "Sepsis Care Today",
         "and is awarded 1.5 AMA PRA Category 1 Credits"],
    )  # fmt: skip
    assert run(inbox, out) == 0
    assert "1 record awaiting review" in capsys.readouterr().out
    form = out / "corrections.csv"
    text = form.read_text(encoding="utf-8-sig")
    record = next(r for r in _rows(out, "corrections.csv") if r["record_id"].startswith("undated"))
    form.write_text(
        text.replace(f"{record['record_id']},,", f"{record['record_id']},confirm,", 1),
        encoding="utf-8-sig",
    )
    assert run(inbox, out) == 0  # --quiet: one line, and it names what waits for a person
    (line,) = capsys.readouterr().out.splitlines()
    assert "Needs a person: 1 record awaiting review, corrections.csv has decisions no run" in line
    assert run(inbox, out, "--corrections", str(form)) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "Nothing needs a person." in line
