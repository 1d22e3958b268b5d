"""The fast path: an unchanged rerun keeps the last run's outputs without loading pandas.

Every change that could alter what a run writes or how it ends must defeat it; each test below
changes one thing and checks that the run did the work (``runs.kept_outputs_of`` is NULL) and
that the outputs show the change.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cme_batch.cli import main
from cme_batch.errors import ExitCode
from cme_batch.lock import hold
from tests.state.certs import cert, write_pdf
from tests.state.conftest import AS_OF, Run, last_run

ROOT = Path(__file__).resolve().parents[2]

#: Packages a kept rerun must not import: its whole point is to end before they load.
HEAVY = ("pandas", "numpy", "openpyxl", "pypdfium2", "PIL", "jinja2", "pytesseract", "rapidfuzz")

# Runs cme-batch's main in a fresh interpreter, then reports the exit code and which heavy
# packages that process imported.
_PROBE = """
import json, sys
from cme_batch.cli import main
code = main(sys.argv[1:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(%r))
print(json.dumps([code, heavy]))
""" % (HEAVY,)  # noqa: UP031 - a format string inside a format string reads worse


def probe(*args: str) -> tuple[int, list[str], str]:
    """Run ``cme-batch ARGS`` in its own process; returns (exit code, heavy imports, stdout)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    *printed, last = done.stdout.splitlines()
    code, heavy = json.loads(last)
    return code, heavy, "\n".join(printed)


def run_args(inbox: Path, roster: Path, out: Path, *extra: str) -> list[str]:
    return [
        "run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out),
        "--as-of", AS_OF, *extra,
    ]  # fmt: skip


def outputs(out: Path) -> dict[str, bytes]:
    """Every file in the output folder except the state, its lock and the run log."""
    skip = ("state.sqlite", "run.log")
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(skip)
    }


def kept(out: Path) -> bool:
    """Whether the last run kept an earlier run's outputs (the fast path)."""
    return last_run(out)["kept_outputs_of"] is not None


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def credits(out: Path) -> dict[str, str]:
    """certificates.csv credits by record id (file#pPAGE)."""
    return {f"{r['source_file']}#p{r['page']}": r["credits"] for r in rows(out, "certificates.csv")}


# -- the fast path is taken -------------------------------------------------------------------


def test_unchanged_rerun_keeps_outputs_without_pandas(
    inbox: Path, roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, heavy, _ = probe(*run_args(inbox, roster, out, "--quiet"))
    assert code == 0 and "pandas" in heavy
    first_run = last_run(out)
    before = outputs(out)
    assert "notices/digest.html" in before and "report.xlsx" in before
    # --jobs and --quiet change neither the outputs nor the exit code: still the same key.
    code, heavy, printed = probe(*run_args(inbox, roster, out, "--jobs", "1"))
    assert (code, heavy) == (0, [])
    assert outputs(out) == before
    record = last_run(out)
    assert record["id"] == int(str(first_run["id"])) + 1
    assert record["kept_outputs_of"] == first_run["id"]
    assert (record["status"], record["exit_code"], record["files"]) == ("finished", 0, 4)
    assert (record["files_read"], record["files_reused"]) == (0, 4)
    summary = printed.splitlines()[0]
    assert summary.startswith("cme-batch: 4 files (4 ok, 0 failed)")
    assert "nothing changed since run" in printed
    log = (out / "run.log").read_text(encoding="utf-8")
    assert f"nothing changed since run {first_run['id']}" in log


def test_quiet_rerun_prints_the_same_summary_line(
    inbox: Path, roster: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _, _, first = probe(*run_args(inbox, roster, out, "--quiet"))
    _, heavy, again = probe(*run_args(inbox, roster, out, "--quiet"))
    assert heavy == []
    assert again == first and len(first.splitlines()) == 1


def test_rerun_repeats_exit_code_5_of_a_failed_document(
    inbox: Path, roster: Path, tmp_path: Path
) -> None:
    (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(4000))
    out = tmp_path / "out"
    code, _, _ = probe(*run_args(inbox, roster, out))
    assert code == 5
    failed = [r for r in rows(out, "documents.csv") if r["status"] == "failed"]
    assert [r["source_file"] for r in failed] == ["corrupt.pdf"]
    before = outputs(out)
    code, heavy, printed = probe(*run_args(inbox, roster, out))
    assert (code, heavy) == (5, [])
    assert kept(out) and last_run(out)["exit_code"] == 5
    assert outputs(out) == before
    assert "1 file(s) that failed" in printed and "--full" in printed


def test_full_does_the_whole_run_and_the_next_rerun_is_kept_again(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    assert run(inbox, out, "--full") == 0
    assert not kept(out)
    assert last_run(out)["files_reused"] == 4
    assert run(inbox, out) == 0
    assert kept(out)


# -- every change defeats it ------------------------------------------------------------------


def test_new_file_is_read(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    write_pdf(inbox / "new.pdf", [cert(50)])
    assert run(inbox, out) == 0
    assert not kept(out) and last_run(out)["files_read"] == 1
    assert "new.pdf" in {r["source_file"] for r in rows(out, "documents.csv")}


def test_changed_content_is_read(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    write_pdf(inbox / "cert-0001.pdf", [cert(51)])
    assert run(inbox, out) == 0
    assert not kept(out) and last_run(out)["files_read"] == 1
    assert "(session 51)" in (out / "certificates.csv").read_text(encoding="utf-8")


def test_renamed_file_changes_source_file(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    shutil.move(inbox / "cert-0002.pdf", inbox / "renamed.pdf")
    assert run(inbox, out) == 0
    assert not kept(out) and last_run(out)["files_read"] == 0
    sources = {r["source_file"] for r in rows(out, "certificates.csv")}
    assert "renamed.pdf" in sources and "cert-0002.pdf" not in sources


def test_other_as_of_date_is_evaluated(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    assert run(inbox, out, "--as-of", "2027-01-10") == 0
    assert not kept(out)
    assert last_run(out)["as_of"] == "2027-01-10"
    # Back to the first date: the stored key is the last run's, so this is a whole run too.
    assert run(inbox, out) == 0
    assert not kept(out)


def test_default_as_of_is_today_and_part_of_the_key(
    inbox: Path, roster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt
    import types

    import cme_batch.cli

    today = [dt.date(2026, 11, 27)]

    class Clock(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return today[0]

    # Only the command line's clock: the run judges the date it resolves.
    monkeypatch.setattr(cme_batch.cli, "dt", types.SimpleNamespace(date=Clock))
    out = tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--roster", str(roster), "--out", str(out)]
    args += ["--jobs", "1", "--quiet"]
    assert main(args) == 0
    assert main(args) == 0
    assert kept(out) and last_run(out)["as_of"] == "2026-11-27"
    today[0] = dt.date(2026, 11, 28)
    assert main(args) == 0
    assert not kept(out) and last_run(out)["as_of"] == "2026-11-28"


def test_new_extraction_version_parses_again(
    run: Run, inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cme_batch.state

    out = tmp_path / "out"
    assert run(inbox, out) == 0
    monkeypatch.setattr(cme_batch.state, "EXTRACTION_VERSION", "test-bumped")
    assert run(inbox, out) == 0
    assert not kept(out) and last_run(out)["files_reparsed"] == 4


def test_changed_roster_is_evaluated(run: Run, roster: Path, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace("2027-01-15", "2027-06-30"), encoding="utf-8")
    assert run(inbox, out) == 0
    assert not kept(out)
    renewal = {r["physician_id"]: r["renewal_date"] for r in rows(out, "physicians.csv")}
    assert renewal["P001"] == "2027-06-30"


def test_review_decision_is_applied(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    assert run(inbox, out) == 0 and kept(out)
    record = "cert-0003.pdf#p1"
    assert main(["review", "fix", record, "--out", str(out), "--credits", "7.5"]) == 0
    assert run(inbox, out) == 0
    assert not kept(out)
    assert credits(out)[record] == "7.5"
    assert run(inbox, out) == 0 and kept(out)


def test_corrections_form_decision_is_applied(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = tmp_path / "decisions.csv"
    form.write_text(
        "record_id,decision,physician_id,activity_date,credits,category,topics,activity_title,note\n"
        "cert-0001.pdf#p1,not_cme,,,,,,,a newsletter\n",
        encoding="utf-8",
    )
    assert run(inbox, out, "--corrections", str(form)) == 0
    assert not kept(out)
    assert "cert-0001.pdf#p1" not in credits(out)
    # The same form again adds nothing: the rerun is kept.
    assert run(inbox, out, "--corrections", str(form)) == 0
    assert kept(out)
    # An edited form is read again.
    form.write_text(
        form.read_text(encoding="utf-8").replace("not_cme,,,,,,,", "fix,,,2.5,,,,"),
        encoding="utf-8",
    )
    assert run(inbox, out, "--corrections", str(form)) == 0
    assert not kept(out)
    assert credits(out)["cert-0001.pdf#p1"] == "2.5"


def test_edited_corrections_form_in_out_is_not_kept(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    form = out / "corrections.csv"
    edited = form.read_text(encoding="utf-8") + "cert-0001.pdf#p1,not_cme,,,,,,,newsletter\n"
    form.write_text(edited, encoding="utf-8")
    assert run(inbox, out) == 0
    assert not kept(out)
    # That run left the form alone (its edits are unread) and did not record it as an output;
    # as long as it holds edits no run has read, reruns are not kept.
    assert form.read_text(encoding="utf-8") == edited
    assert run(inbox, out) == 0
    assert not kept(out)


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_deleted_or_edited_output_is_written_again(
    run: Run, inbox: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    before = outputs(out)
    for name in ("certificates.csv", "report.html", "notices/digest.txt"):
        if damage == "delete":
            (out / name).unlink()
        else:
            (out / name).write_text("edited", encoding="utf-8")
        assert run(inbox, out) == 0
        assert not kept(out), name
        assert (out / name).read_text(encoding="utf-8") != "edited"
    after = outputs(out)
    for name in ("certificates.csv", "documents.csv", "physicians.csv", "corrections.csv"):
        assert after[name] == before[name]
    # The notices digest is written again by the notices step, which found nothing due now.
    assert "Delivered (0)" in after["notices/digest.txt"].decode("utf-8")


def test_failed_notice_is_retried(run: Run, roster: Path, inbox: Path, tmp_path: Path) -> None:
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace("jane@example.org", "jane at example"), encoding="utf-8")
    out = tmp_path / "out"
    # A notice that cannot be sent needs a person: the run says so with exit code 9.
    assert run(inbox, out) == ExitCode.NOTICES_FAILED == 9
    digest = (out / "notices" / "digest.txt").read_text(encoding="utf-8")
    assert "P001" in digest.split("Failed or not sent")[1].split("Not reminded")[0]
    assert run(inbox, out) == 9
    assert not kept(out)
    # With notices off, a failed notice is no reason to do the work again.
    assert run(inbox, out, "--no-notices") == 0
    assert run(inbox, out, "--no-notices") == 0
    assert kept(out)


def test_physician_packet_run_is_never_kept(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out, "--physician", "P001") == 0
    assert run(inbox, out, "--physician", "P001") == 0
    assert not kept(out)
    assert (out / "packet-P001.html").is_file()


def test_locked_state_still_exits_6(run: Run, inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    runs = last_run(out)["id"]
    with hold(out / "state.sqlite"):
        assert run(inbox, out) == 6
    assert last_run(out)["id"] == runs


def test_other_command_on_the_state_defeats_it(
    run: Run, roster: Path, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    state = out / "state.sqlite"
    args = ["--inbox", str(inbox), "--roster", str(roster), "--as-of", AS_OF, "--jobs", "1"]
    assert main(["explain", "P001", *args, "--out", str(out), "--state", str(state)]) == 0
    assert run(inbox, out) == 0
    assert not kept(out)


def test_run_recorded_by_an_older_cme_batch_defeats_it(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    import datetime as dt

    from cme_batch.state import open_state

    out = tmp_path / "out"
    assert run(inbox, out) == 0
    # A cme-batch without the fast path records its runs but leaves the stored key alone.
    with open_state(out / "state.sqlite") as state:
        other = state.start_run(dt.date(2027, 1, 10), str(inbox), str(out), {})
        state.finish_run(other, 0)
    assert run(inbox, out) == 0
    assert not kept(out)
    assert run(inbox, out) == 0
    assert kept(out)


def test_old_state_database_gains_the_column(run: Run, inbox: Path, tmp_path: Path) -> None:
    import sqlite3

    out = tmp_path / "out"
    assert run(inbox, out) == 0
    with sqlite3.connect(out / "state.sqlite") as db:
        db.execute("ALTER TABLE runs DROP COLUMN kept_outputs_of")
    assert run(inbox, out) == 0
    assert "kept_outputs_of" in last_run(out)


def test_reading_the_form_in_out_settles_after_one_more_run(
    run: Run, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    form = out / "corrections.csv"
    read_form = ("--corrections", str(form))
    assert run(inbox, out) == 0
    form.write_text(
        form.read_text(encoding="utf-8") + "cert-0001.pdf#p1,fix,,,2.5,,,,misread\n",
        encoding="utf-8",
    )
    assert run(inbox, out, *read_form) == 0
    assert not kept(out) and credits(out)["cert-0001.pdf#p1"] == "2.5"
    # That run rewrote the form (now listing the decision), so the next run reads another form.
    assert run(inbox, out, *read_form) == 0
    assert not kept(out)
    assert run(inbox, out, *read_form) == 0
    assert kept(out)
