"""The last ``run``'s inputs, kept in the state, so ``explain`` and ``packet`` match it.

``explain`` and ``packet`` compute the answer again from the state. Typed again by hand, their
inputs drift from the report's: a forgotten ``--ledger`` drops credits, and without ``--as-of``
they judge as of today instead of the report's date. So every ``run`` that writes reports
stores its inbox, roster, ledgers and as-of date; ``explain`` and ``packet`` use them for what
is not given, and say which given input differs from the report's.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cme_batch.state import StateDB, open_state

#: ``meta`` key of the last reporting run's inputs (JSON).
META_LAST_INPUTS: Final[str] = "last_run_inputs"


@dataclass(frozen=True)
class LastInputs:
    """What the last reporting run was given (paths resolved when it ran)."""

    run_id: int
    inbox: Path
    roster: Path
    ledgers: tuple[Path, ...]
    as_of: dt.date


def remember(
    state: StateDB,
    run_id: int,
    inbox: Path,
    roster: Path,
    ledgers: tuple[Path, ...],
    as_of: dt.date,
) -> None:
    """Store a reporting run's inputs (called by ``run`` once it has written its reports)."""
    value = {
        "run": run_id,
        "inbox": str(inbox.resolve()),
        "roster": str(roster.resolve()),
        "ledgers": [str(p.resolve()) for p in ledgers],
        "as_of": as_of.isoformat(),
    }
    state.set_meta(META_LAST_INPUTS, json.dumps(value, sort_keys=True))


def recall(state_path: Path) -> LastInputs | None:
    """The last reporting run's inputs, or ``None`` (no state yet, or none recorded)."""
    if not state_path.is_file():
        return None
    with open_state(state_path) as state:
        text = state.get_meta(META_LAST_INPUTS)
    if not text:
        return None
    value = json.loads(text)
    return LastInputs(
        run_id=int(value["run"]),
        inbox=Path(value["inbox"]),
        roster=Path(value["roster"]),
        ledgers=tuple(Path(p) for p in value["ledgers"]),
        as_of=dt.date.fromisoformat(value["as_of"]),
    )


def fill_in(
    given: dict[str, object], last: LastInputs | None, command: str
) -> tuple[dict[str, object], list[str]]:
    """Complete ``explain``/``packet`` inputs from the last run; say what was taken or differs.

    Args:
        given: ``inbox``, ``roster`` (``Path`` or ``None``), ``ledgers`` (list of ``Path``)
            and ``as_of`` (``date`` or ``None``) as given on the command line.
        last: The last reporting run's inputs.
        command: ``explain`` or ``packet``, for the messages.

    Returns:
        The inputs to use, and one note per input taken from the last run or differing from it.
    """
    filled = dict(given)
    notes: list[str] = []
    if last is None:
        return filled, notes
    run = f"run {last.run_id}"
    for name, option in (("inbox", "--inbox"), ("roster", "--roster")):
        value, before = given.get(name), getattr(last, name)
        if value is None:
            filled[name] = before
            notes.append(f"{command}: {option} {before} (as in {run}, the last report)")
        elif Path(str(value)).resolve() != before:
            notes.append(
                f"{command}: {option} {value} differs from {run}'s {before}: the answer may "
                "differ from the report"
            )
    ledgers = [Path(str(p)) for p in given.get("ledgers") or []]  # type: ignore[attr-defined]
    if not ledgers and last.ledgers:
        filled["ledgers"] = list(last.ledgers)
        names = " ".join(str(p) for p in last.ledgers)
        notes.append(f"{command}: --ledger {names} (as in {run}, the last report)")
    elif ledgers and sorted(p.resolve() for p in ledgers) != sorted(last.ledgers):
        before = ", ".join(map(str, last.ledgers)) or "no ledger"
        notes.append(
            f"{command}: the ledgers given differ from {run}'s ({before}): the answer may "
            "differ from the report"
        )
    as_of = given.get("as_of")
    if as_of is None:
        filled["as_of"] = last.as_of
        notes.append(f"{command}: as of {last.as_of.isoformat()} (the date of {run}'s report)")
    elif as_of != last.as_of:
        notes.append(
            f"{command}: --as-of {as_of} differs from {run}'s {last.as_of.isoformat()}: the "
            "answer may differ from the report"
        )
    return filled, notes
