"""Shareable audit packets: one folder (and a zip of it) per physician, for an outsider.

A packet holds the cycle's compliance summary (``summary.html``, the report's audit packet
page), ``activities.csv`` (every counted activity, naming the copy that proves it) and
``certificates/``: a copy of each counted certificate file, named so a reader can follow it
(``01_2026-03-02_opioid-prescribing_p1.pdf``). Files are copied, never moved, and checked
against the content hash the run read.

Nothing about another physician goes in: only counted activities are listed, and a file that
also holds another physician's certificates (a combined scan) is cut down to this physician's
pages when it is a PDF, and left out with a note otherwise, or when a page itself is shared.
A PDF summary is not produced: no well-kept pure-Python HTML-to-PDF library is a dependency.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from cme_batch.errors import CmeBatchError, ExitCode, OutputError
from cme_batch.hashing import file_sha256
from cme_batch.output import atomic_path, write_csv, write_text_atomic
from cme_batch.pipeline import RunOptions, RunResult, build_model

log = logging.getLogger(__name__)

#: ``activities.csv`` of a packet, in order.
PACKET_COLUMNS: Final[tuple[str, ...]] = (
    "certificate_file",
    "page",
    "activity_title",
    "provider",
    "activity_date",
    "credits",
    "category",
    "credit_type",
    "topics",
    "counted_toward",
    "record_id",
    "source_file",
    "source_page",
    "sha256",
    "note",
)
_TEXT_COLUMNS: Final = ("certificate_file", "activity_title", "provider", "credit_type", "note")
_EXTENSIONS: Final = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


class PacketError(CmeBatchError):
    """A packet cannot be made (unknown physician)."""

    exit_code = ExitCode.BAD_ARGUMENTS


@dataclass(frozen=True)
class Packet:
    """A written packet."""

    physician_id: str
    folder: Path
    zip_path: Path
    certificates: int


@dataclass(frozen=True)
class _Copy:
    """One file of ``certificates/``: which source pages it holds, and how it was made."""

    name: str
    source_file: str
    pages: tuple[int, ...]
    #: Only these pages of the source were kept (a PDF also holding others' certificates).
    extract: bool


def slug(text: str, limit: int = 40) -> str:
    """ASCII, lower-case, hyphen-separated: ``"Opioid Prescribing: Safe!"`` -> ``opioid-...``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "untitled"


def folder_name(physician_id: str) -> str:
    """``packet-<id>``, safe whatever the id holds (a hash is added when the id was changed)."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", physician_id)[:40].strip("-") or "x"
    if safe != physician_id:
        safe += "-" + hashlib.sha256(physician_id.encode("utf-8")).hexdigest()[:8]
    return f"packet-{safe}"


def write_packets(
    result: RunResult, options: RunOptions, physician_ids: list[str] | None
) -> list[Packet]:
    """Write the packets of the given physicians (``None``: everyone on the roster).

    Raises:
        PacketError: A physician id is not on the roster.
        OutputError: The packet folder cannot be written.
    """
    known = result.evaluation.physicians["physician_id"].astype(str).tolist()
    ids = known if physician_ids is None else physician_ids
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise PacketError(f"packet: not on the roster: {', '.join(unknown)}")
    return [write_packet(result, options, pid) for pid in ids]


def write_packet(result: RunResult, options: RunOptions, physician_id: str) -> Packet:
    """Write one physician's packet folder and zip into ``options.out``."""
    out = options.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".packet-", dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write packets into {out}: {exc.strerror}") from exc
    try:
        counted = _counted_rows(result, physician_id)
        copies, notes = _plan_copies(result, physician_id, counted)
        made = _copy_certificates(copies, notes, options.inbox, result.documents, staging)
        sha_of = dict(
            zip(
                result.documents["source_file"], result.documents["sha256"].astype(str), strict=True
            )
        )
        rows = _csv_rows(counted, made, notes, sha_of)
        write_csv(staging / "activities.csv", rows, PACKET_COLUMNS, _TEXT_COLUMNS, for_excel=True)
        _write_summary(result, options, physician_id, counted, made, staging)
        files = len({name for name, _ in made.values()})
        write_text_atomic(staging / "README.txt", _readme(physician_id, options.as_of, files))
        folder = out / folder_name(physician_id)
        _replace_folder(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    zip_path = folder.with_suffix(".zip")
    _zip(folder, zip_path, options.as_of)
    files = len({name for name, _ in made.values()})
    log.info("packet for %s: %s (%d certificate file(s))", physician_id, folder, files)
    return Packet(physician_id, folder, zip_path, files)


def _counted_rows(result: RunResult, physician_id: str) -> pd.DataFrame:
    """This physician's counted activities, with what each counted toward."""
    compliance = result.evaluation.compliance
    own = compliance[compliance["physician_id"].astype(str) == physician_id]
    ids = {r for cell in own["counted"].astype(str) for r in cell.split(";") if r}
    acts = result.activities
    rows = acts[acts["record_id"].isin(ids) & (acts["physician_id"].astype(str) == physician_id)]
    status = result.evaluation.activity_status
    status = status[status["physician_id"].astype(str) == physician_id]
    toward = dict(zip(status["record_id"], status["counted_toward"].astype(str), strict=True))
    rows = rows.copy()
    rows["counted_toward"] = rows["record_id"].map(toward).fillna("")
    return rows.sort_values(["activity_date", "source_file", "record_id"], kind="stable")


def _plan_copies(
    result: RunResult, physician_id: str, counted: pd.DataFrame
) -> tuple[list[_Copy], dict[str, str]]:
    """Decide the copies and their names; ``notes`` says why a record has no copy."""
    acts = result.activities
    others: dict[str, set[int]] = defaultdict(set)  # file -> pages holding anyone else's record
    for source, page, pid in zip(
        acts["source_file"], acts["page"], acts["physician_id"], strict=True
    ):
        if str(pid) != physician_id:
            others[str(source)].add(_page(page))
    notes: dict[str, str] = {}
    by_file: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in counted.to_dict("records"):
        rid = str(row["record_id"])
        if rid.startswith("ledger:"):
            notes[rid] = "self-reported in a ledger: no certificate file"
        else:
            by_file[str(row["source_file"])].append({str(k): v for k, v in row.items()})
    plans: list[tuple[tuple[str, str, int], str, tuple[int, ...], bool, list[dict[str, object]]]]
    plans = []
    for source, rows in by_file.items():
        pages = tuple(sorted({_page(r["page"]) for r in rows}))
        shared = others.get(source, set())
        if not shared:
            plans.append((_order(rows), source, pages, False, rows))
            continue
        for page in pages:
            on_page = [r for r in rows if _page(r["page"]) == page]
            if page in shared or Path(source).suffix.lower() != ".pdf":
                for r in on_page:
                    notes[str(r["record_id"])] = (
                        "certificate not included: the file also holds other physicians' "
                        "certificates (ask the office for a redacted copy)"
                    )
                continue
            plans.append((_order(on_page), source, (page,), True, on_page))
    copies = []
    for number, (_, source, pages, extract, rows) in enumerate(sorted(plans), start=1):
        first = min(rows, key=lambda r: _order([r]))
        titles = {str(r.get("activity_title") or "") for r in rows}
        title = slug(titles.pop()) if len(titles) == 1 else f"{len(rows)}-activities"
        when = _order([first])[0] or "undated"
        span = f"p{pages[0]}" if len(pages) == 1 else f"p{pages[0]}-{pages[-1]}"
        suffix = Path(source).suffix.lower()
        suffix = suffix if suffix in _EXTENSIONS else ".bin"
        name = f"{number:02d}_{when}_{title}_{span}{suffix}"
        copies.append(_Copy(name, source, pages, extract))
    return copies, notes


def _order(rows: list[dict[str, object]]) -> tuple[str, str, int]:
    dates = sorted(str(r["activity_date"]) for r in rows if r.get("activity_date"))
    first = rows[0]
    return (dates[0] if dates else "", str(first["source_file"]), _page(first["page"]))


def _page(value: object) -> int:
    """A 1-based page number; 0 for none (pandas turns a column with gaps into floats)."""
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return 0
    return int(number) if number == number else 0


def _copy_certificates(
    copies: list[_Copy],
    notes: dict[str, str],
    inbox: Path,
    documents: pd.DataFrame,
    staging: Path,
) -> dict[tuple[str, int], tuple[str, int]]:
    """Copy (or cut) each file; returns (source, page) -> (copy name, page in the copy).

    A file that is gone, outside the inbox, or not the content the run read is left out and
    its records get a note: a packet must never show a file other than the one counted.
    """
    sha_of = dict(
        zip(documents["source_file"].astype(str), documents["sha256"].astype(str), strict=True)
    )
    root = inbox.resolve()
    target_dir = staging / "certificates"
    target_dir.mkdir()
    made: dict[tuple[str, int], tuple[str, int]] = {}
    for copy in copies:
        source = (root / copy.source_file).resolve()
        problem = ""
        if not source.is_relative_to(root) or not source.is_file():
            problem = "certificate not included: the file is no longer in the inbox"
        elif file_sha256(source) != sha_of.get(copy.source_file):
            problem = "certificate not included: the file changed since it was read; run again"
        if problem:
            notes.update({f"{copy.source_file}\0{p}": problem for p in copy.pages})
            continue
        target = target_dir / copy.name
        if copy.extract:
            _extract_pages(source, copy.pages, target)
        else:
            shutil.copyfile(source, target)
        for index, page in enumerate(copy.pages, start=1):
            made[(copy.source_file, page)] = (
                f"certificates/{copy.name}",
                index if copy.extract else page,
            )
    return made


def _extract_pages(source: Path, pages: tuple[int, ...], target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter()
    for page in pages:
        writer.add_page(reader.pages[page - 1])
    with target.open("wb") as handle:
        writer.write(handle)


def _csv_rows(
    counted: pd.DataFrame,
    made: dict[tuple[str, int], tuple[str, int]],
    notes: dict[str, str],
    sha_of: dict[str, str],
) -> pd.DataFrame:
    rows = []
    for row in counted.to_dict("records"):
        source, page = str(row["source_file"]), _page(row["page"])
        copy = made.get((source, page))
        rid = str(row["record_id"])
        note = notes.get(rid) or notes.get(f"{source}\0{page}", "")
        rows.append(
            {
                **{str(k): v for k, v in row.items()},
                "certificate_file": copy[0] if copy else "",
                "page": copy[1] if copy else None,
                "source_page": row["page"],
                "sha256": sha_of.get(source, ""),
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=[*PACKET_COLUMNS])


def _write_summary(
    result: RunResult,
    options: RunOptions,
    physician_id: str,
    counted: pd.DataFrame,
    made: dict[tuple[str, int], tuple[str, int]],
    staging: Path,
) -> None:
    """``summary.html``: the report's packet page, linking to the copies instead of the inbox.

    Only counted activities are shown, renamed to their copies, so every link works inside
    the shared folder and no other file of the inbox is named.
    """
    from cme_batch.report.html import write_physician_packet

    model = build_model(result, options)
    acts = counted.drop(columns=["counted_toward"]).copy()
    renamed = [
        made.get((str(s), _page(p)), ("", None))
        for s, p in zip(acts["source_file"], acts["page"], strict=True)
    ]
    acts["source_file"] = [
        name or str(s) for (name, _), s in zip(renamed, acts["source_file"], strict=True)
    ]
    acts["page"] = [pg if name else p for (name, pg), p in zip(renamed, acts["page"], strict=True)]
    status = model.activity_status
    status = status[status["record_id"].isin(set(acts["record_id"]))]
    docs = pd.DataFrame(
        [
            {
                "source_file": name,
                "sha256": "",
                "kind": "",
                "pages": 0,
                "status": "ok",
                "reason": "",
            }
            for name in sorted({n for n, _ in made.values()})
        ],
        columns=list(model.documents.columns),
    )
    import dataclasses

    packet_model = dataclasses.replace(
        model, activities=acts.reset_index(drop=True), activity_status=status, documents=docs,
        inbox_href_base="",
    )  # fmt: skip
    write_physician_packet(packet_model, physician_id, staging / "summary.html")


def _readme(physician_id: str, as_of: dt.date, files: int) -> str:
    return (
        f"CME audit packet for physician {physician_id}, as of {as_of.isoformat()}.\n\n"
        "summary.html      the compliance summary for the renewal cycle\n"
        "activities.csv    every activity counted, with the certificate file that shows it\n"
        f"certificates/     {files} certificate file(s), copies of what was counted, numbered\n"
        "                  in date order: NN_<date>_<title>_p<page>.<ext>\n\n"
        "The record_id and source_file columns of activities.csv name each activity as the\n"
        "office's reports do; sha256 is the original file's content hash.\n"
    )


def _replace_folder(staging: Path, folder: Path) -> None:
    """Swap the new packet folder in; a packet from an earlier run is replaced whole."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        folder.rename(old)
    staging.rename(folder)
    os.chmod(folder, 0o777 & ~_umask())
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _zip(folder: Path, zip_path: Path, as_of: dt.date) -> None:
    """A zip of the folder, entries sorted and dated ``as_of``: the same packet, the same bytes."""
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)
    with atomic_path(zip_path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
