"""Column contracts of the output files and of the tables passed between stages.

These lists are the public interface described in README ("Outputs"): scripts and other tools
read these files by column name, so columns are only ever appended, never renamed or reordered.
"""

from __future__ import annotations

from typing import Final

#: ``certificates.csv``: one row per credit-bearing activity (certificate, transcript line or
#: ledger row).
CERTIFICATE_COLUMNS: Final[tuple[str, ...]] = (
    "source_file",
    "page",
    "physician_name",
    "physician_id",
    "activity_title",
    "provider",
    "activity_date",
    "credits",
    "category",
    "credit_type",
    "topics",
    "confidence",
    "needs_review",
    "review_reason",
)

#: Extra columns the internal activity table carries beside :data:`CERTIFICATE_COLUMNS`.
#: ``record_id`` is the stable key of a row (``<source_file>#p<page>`` plus ``.<n>`` when a page
#: holds several activities, ``ledger:<file>#r<digest>`` for ledger rows, named by content);
#: ``compliance.csv``'s ``counted`` column lists these keys. ``exclude_reason`` is set upstream
#: of the rules engine for rows that must never count (duplicate, non-physician credit);
#: ``corrected_fields`` names the fields a person set through a correction.
ACTIVITY_EXTRA_COLUMNS: Final[tuple[str, ...]] = (
    "record_id",
    "exclude_reason",
    "corrected_fields",
)

ACTIVITY_COLUMNS: Final[tuple[str, ...]] = CERTIFICATE_COLUMNS + ACTIVITY_EXTRA_COLUMNS

#: ``documents.csv``: one row per inbox file.
DOCUMENT_COLUMNS: Final[tuple[str, ...]] = (
    "source_file",
    "sha256",
    "kind",
    "pages",
    "status",
    "reason",
)

#: ``compliance.csv``: one row per physician and requirement.
COMPLIANCE_COLUMNS: Final[tuple[str, ...]] = (
    "physician_id",
    "physician_name",
    "renewal_date",
    "cycle_start",
    "cycle_end",
    "requirement",
    "required",
    "earned",
    "shortfall",
    "status",
    "counted",
)

#: ``physicians.csv``: one row per roster physician.
PHYSICIAN_COLUMNS: Final[tuple[str, ...]] = (
    "physician_id",
    "physician_name",
    "renewal_date",
    "days_to_renewal",
    "status",
    "missing",
)

#: Roster columns that must be present.
ROSTER_REQUIRED_COLUMNS: Final[tuple[str, ...]] = (
    "physician_id",
    "last_name",
    "first_name",
    "middle_name",
    "degree",
    "license_number",
    "license_expires",
    "prescribes_controlled_substances",
    "first_licensed",
    "email",
)

#: Optional roster columns and their defaults.
ROSTER_OPTIONAL_DEFAULTS: Final[dict[str, str]] = {
    "license_type": "full",
    "serves_adults": "yes",
    "ehr_alternative_route": "no",
    # A CME waiver the Board granted: the office's reference, and "all" or ";"-separated ids.
    "cme_waiver": "",
    "cme_waiver_scope": "",
}

LICENSE_TYPES: Final[tuple[str, ...]] = (
    "full",
    "administrative",
    "temporary_faculty",
    "limited",
    "inactive",
)

#: The topic vocabulary of the ``topics`` column.
TOPICS: Final[tuple[str, ...]] = (
    "risk_management",
    "opioid_pain",
    "end_of_life",
    "ehr",
    "board_regulations",
    "implicit_bias",
    "child_abuse",
    "domestic_violence",
    "dementia",
    "wellness_burnout",
)

#: ``documents.csv`` statuses.
DOCUMENT_STATUSES: Final[tuple[str, ...]] = (
    "ok",
    "no_certificate",
    "duplicate",
    "failed",
    "skipped",
    "unsupported",
)

#: Requirement statuses in ``compliance.csv``.
REQUIREMENT_STATUSES: Final[tuple[str, ...]] = ("met", "short", "not_applicable", "needs_review")

#: Overall physician statuses in ``physicians.csv``.
PHYSICIAN_STATUSES: Final[tuple[str, ...]] = (
    "compliant",
    "deficient",
    "urgent",
    "needs_review",
    "not_applicable",
    "lapsed",
)
