"""The nightly cycle as cron runs it: ``--quiet``, real SMTP on 127.0.0.1, one process per night.

Cron mails what a job prints and tells failure by the exit code alone, so each night is checked
by exactly that: the exit code, the one summary line on stdout, and (through the README's
crontab idiom) that a night with nothing to do prints nothing at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from cme_batch.errors import ExitCode
from tests.conftest import cert_lines, write_certificate_pdf
from tests.notices.test_smtp import Handler, free_port, serve

pytest.importorskip("aiosmtpd")

ROSTER = """physician_id,last_name,first_name,middle_name,degree,license_number,license_expires,prescribes_controlled_substances,first_licensed,email
P1,Doe,Jane,Quinn,MD,123456,2027-01-20,yes,2001-07-01,jane.doe@refuse.example
P2,Doe,John,,MD,223344,2027-01-25,no,2010-07-01,
"""
#: Night 2: the office fixed both addresses.
FIXED = ROSTER.replace("jane.doe@refuse.example", "jane.doe@example.org").replace(
    "2010-07-01,\n", "2010-07-01,john.doe@example.org\n"
)

Night = Callable[..., subprocess.CompletedProcess[str]]


class Switchable(Handler):
    """The test SMTP server; ``refuse_all`` refuses every recipient (a server turning mail away)."""

    refuse_all = True

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]  # noqa: N802
        if self.refuse_all:
            return "550 5.7.1 relaying denied"
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.fixture()
def smtp() -> Switchable:
    handler = Switchable()
    handler.port = free_port()  # type: ignore[attr-defined]
    controller = serve(handler, handler.port)  # type: ignore[attr-defined]
    yield handler  # type: ignore[misc]
    controller.stop()


@pytest.fixture()
def night(tmp_path: Path, smtp: Switchable) -> Night:
    """One cron night: the README's crontab command, as its own process, through ``sh``."""
    inbox = tmp_path / "share"
    inbox.mkdir()
    for n, (name, title) in enumerate(
        [
            ("Jane Q. Doe, MD", "Advances in Heart Failure Care"),
            ("John Doe, MD", "Updates in Diabetes Management"),
        ]
    ):
        write_certificate_pdf(
            inbox / f"cert{n}.pdf",
            cert_lines(name, title, "March 3, 2026", "3.0", "Harborview Medical Education"),
        )
    config = tmp_path / "notices.toml"
    config.write_text(
        '[notices]\nfrom = "Medical Staff Office <cme@example.org>"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nstarttls = false\ntimeout = 5\n',  # type: ignore[attr-defined]
        encoding="utf-8",
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")

    def go(as_of: str, *, silent_wrapper: bool = False) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable, "-m", "cme_batch", "run", "--inbox", str(inbox), "--roster",
            str(roster), "--out", str(tmp_path / "out"), "--send-notices", "--notices-config",
            str(config), "--as-of", as_of, "--jobs", "1", "--quiet",
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        if silent_wrapper:
            # The README's crontab line: output only when the exit code is not 0.
            line = " ".join(f"'{c}'" for c in command)
            wrapped = f'out=$({line} 2>&1) || echo "$out"'
            return subprocess.run(
                ["sh", "-c", wrapped], capture_output=True, text=True, timeout=300, env=env
            )
        return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)

    go.inbox = inbox  # type: ignore[attr-defined]
    go.roster = roster  # type: ignore[attr-defined]
    go.out = tmp_path / "out"  # type: ignore[attr-defined]
    return go


def _recipients(smtp: Switchable) -> list[str]:
    return sorted(
        str(message_from_bytes(raw, policy=policy.default)["To"]) for _, raw in smtp.messages
    )


def _two_nights(night: Night, smtp: Switchable) -> None:
    """Night 1 the server refuses and one address is missing; night 2 both are fixed."""
    first = night("2026-11-27")
    assert first.returncode == ExitCode.NOTICES_FAILED == 9, first.stderr
    lines = first.stdout.splitlines()
    assert len(lines) == 1, first.stdout
    assert lines[0].startswith("cme-batch: 2 files (2 ok, 0 failed)")
    assert "Needs a person: 1 notice failed, 1 notice not sendable" in lines[0]
    assert smtp.messages == []
    log = (night.out / "run.log").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert log.rstrip().splitlines()[-1].endswith("exit code 9")
    assert lines[0] in log

    night.roster.write_text(FIXED, encoding="utf-8")  # type: ignore[attr-defined]
    smtp.refuse_all = False
    second = night("2026-11-28")
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("\n") == 1 and "Nothing needs a person." in second.stdout
    assert second.stderr == ""
    assert [r.split("<")[-1].rstrip(">") for r in _recipients(smtp)] == [
        "jane.doe@example.org",
        "john.doe@example.org",
    ]
    assert (night.out / "run.log.1").is_file()  # type: ignore[attr-defined]


def test_nightly_cycle_as_cron_runs_it(night: Night, smtp: Switchable) -> None:
    _two_nights(night, smtp)
    # Night 3, nothing new: the crontab line prints nothing and the exit code is 0.
    quiet = night("2026-11-29", silent_wrapper=True)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    # A failing night through the same line prints its summary line for cron to mail.
    smtp.refuse_all = True
    shutil.copy(night.inbox / "cert0.pdf", night.inbox / "broken.pdf")  # type: ignore[attr-defined]
    (night.inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n")  # type: ignore[attr-defined]
    loud = night("2026-11-30", silent_wrapper=True)
    assert loud.returncode == 0  # the shell line itself succeeds: it echoed the output
    assert "Needs a person: 1 failed document" in loud.stdout


def test_an_empty_inbox_night_stops_and_sends_nothing(night: Night, smtp: Switchable) -> None:
    _two_nights(night, smtp)
    sent = len(smtp.messages)
    reports = {p.name: p.read_bytes() for p in night.out.glob("*.csv")}  # type: ignore[attr-defined]
    for file in night.inbox.iterdir():  # type: ignore[attr-defined]
        file.unlink()  # the share did not mount: its mount point is an empty folder
    # 2026-12-27 is past the 30-day threshold: without the guard both would be reminded.
    empty = night("2026-12-27")
    # Exit 2, as for a missing inbox folder (README): nothing was read or changed.
    assert empty.returncode == 2, empty.stdout + empty.stderr
    assert len(smtp.messages) == sent
    assert {p.name: p.read_bytes() for p in night.out.glob("*.csv")} == reports  # type: ignore[attr-defined]
