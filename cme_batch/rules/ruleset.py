"""Rule-set data files: loading and validation.

A rule set is one TOML file per state and effective period (``ma_2018.toml``). Everything the
engine needs to decide who owes what is declared there: amounts, frequency, topics, category
constraints, caps, who a rule applies to and from when, exceptions by renewal and licensing date,
waivers and source citations. A file is checked in full when loaded, and the first problem raises
:class:`RuleFileError` naming the file and the rule, so a broken file stops the run instead of
producing a wrong compliance report.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from cme_batch.rules.conditions import (
    EXCEPTION_BOUNDS,
    EXCEPTION_STATUSES,
    DateBound,
    RequirementException,
    Waiver,
)
from cme_batch.rules.settings import DATE_SETTINGS, OPTION_CHOICES, RuleSettings
from cme_batch.schema import LICENSE_TYPES, TOPICS

KINDS: Final[tuple[str, ...]] = ("credits", "training")
FREQUENCIES: Final[tuple[str, ...]] = ("per_cycle", "one_time")
CATEGORIES: Final[tuple[str, ...]] = ("any", "1")
#: Roster flags a physician may attest to meet a requirement by another route than credits.
ROUTE_FLAGS: Final[tuple[str, ...]] = ("ehr_alternative_route",)
#: Fields an ``options`` variant may override.
OPTION_FIELDS: Final[tuple[str, ...]] = ("amount", "frequency")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_STATE = re.compile(r"^[A-Z]{2}$")
_RULESET_KEYS = frozenset(
    {"id", "state", "title", "effective_from", "effective_to", "source", "no_cme_license_types"}
)
_REQUIREMENT_KEYS = frozenset(
    {
        "id",
        "kind",
        "amount",
        "frequency",
        "topics",
        "category",
        "min_category1",
        "caps",
        "applies_to",
        "amount_by_license",
        "alternative_route",
        "label",
        "name",
        "source",
        "verify",
        "options",
        "exceptions",
    }
)
_APPLIES_KEYS = frozenset(
    {"license_types", "prescribers_only", "serves_adults_only", "renewals_from", "renewals_to"}
)
_WAIVER_KEYS = frozenset(
    {
        "id",
        "renewals_from",
        "renewals_to",
        "waives",
        "keeps",
        "reading",
        "source",
        "note",
        "options",
    }
)
#: Fields an ``options`` variant of a waiver may override.
_WAIVER_OPTION_KEYS = frozenset(
    {"renewals_from", "renewals_to", "waives", "keeps", "reading", "note"}
)
_WAIVER_PLACEHOLDERS = frozenset({"renewals_from", "renewals_to", "reading"})
_EXCEPTION_KEYS = frozenset({*EXCEPTION_BOUNDS, "status", "note", "source", "only_with"})
_TOP_KEYS = frozenset({"ruleset", "requirements", "waivers"})


class RuleFileError(ValueError):
    """A rule file is malformed; the message names the file and the rule."""

    def __init__(self, file: str, rule: str, message: str) -> None:
        self.file = file
        self.rule = rule
        self.reason = message
        super().__init__(f"{file}: rule {rule!r}: {message}")


@dataclass(frozen=True)
class Cap:
    """At most ``limit`` credits may come from activities qualifying only through ``topics``."""

    topics: frozenset[str]
    limit: Decimal


@dataclass(frozen=True)
class AppliesTo:
    """Who a requirement applies to."""

    license_types: frozenset[str]
    prescribers_only: bool = False
    serves_adults_only: bool = False
    renewals_from: date | None = None
    renewals_to: date | None = None


@dataclass(frozen=True)
class OptionVariant:
    """What one value of an option setting changes in a requirement."""

    amount: Decimal | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class Requirement:
    """One requirement of a rule set, as declared in its file."""

    id: str
    kind: str
    amount: Decimal
    frequency: str
    topics: frozenset[str]
    category: str
    applies_to: AppliesTo
    label: str
    name: str
    source: str
    min_category1: Decimal | None = None
    caps: tuple[Cap, ...] = ()
    amount_by_license: Mapping[str, Decimal] = field(default_factory=dict)
    alternative_route: str | None = None
    verify: str = ""
    options: Mapping[tuple[str, str], OptionVariant] = field(default_factory=dict)
    exceptions: tuple[RequirementException, ...] = ()

    @property
    def is_training(self) -> bool:
        """Whether one qualifying activity meets it, whatever its credits."""
        return self.kind == "training"

    @property
    def one_time(self) -> bool:
        """Whether any activity on or before the renewal date counts (not only the window)."""
        return self.frequency == "one_time"

    def amount_for(self, license_type: str) -> Decimal:
        """The minimum for a license type (``amount_by_license`` overrides ``amount``)."""
        return self.amount_by_license.get(license_type, self.amount)

    def with_settings(self, settings: RuleSettings) -> Requirement:
        """This requirement with the variants selected by ``settings`` applied."""
        resolved = self
        for (setting, value), variant in self.options.items():
            if settings.option(setting) != value:
                continue
            if variant.amount is not None:
                resolved = replace(resolved, amount=variant.amount)
            if variant.frequency is not None:
                resolved = replace(resolved, frequency=variant.frequency)
        return resolved


@dataclass(frozen=True)
class RuleSet:
    """The requirements in force for renewals in ``[effective_from, effective_to]``."""

    id: str
    state: str
    title: str
    effective_from: date
    effective_to: date | None
    source: str
    file: str
    requirements: tuple[Requirement, ...]
    waivers: tuple[Waiver, ...] = ()
    no_cme_license_types: frozenset[str] = frozenset()

    def covers(self, renewal: date) -> bool:
        """Whether this rule set is in force for a renewal on ``renewal``."""
        if renewal < self.effective_from:
            return False
        return self.effective_to is None or renewal <= self.effective_to

    @property
    def requirement_ids(self) -> tuple[str, ...]:
        """The requirement ids, in file order."""
        return tuple(r.id for r in self.requirements)

    def waiver_for(self, renewal: date, settings: RuleSettings | None = None) -> Waiver | None:
        """The waiver covering ``renewal``, as the reading chosen by ``settings`` has it."""
        for declared in self.waivers:
            waiver = declared.with_settings(settings or RuleSettings())
            if waiver.covers(renewal):
                return waiver
        return None


class _Parser:
    """Validates one file's parsed TOML; every error names the file and the rule."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.rule = "ruleset"

    def fail(self, message: str) -> RuleFileError:
        return RuleFileError(self.file, self.rule, message)

    def table(self, value: object, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be a table")
        return value

    def keys(self, data: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(f"unknown key(s) in {what}: {', '.join(unknown)}")

    def text(self, data: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string")
        if required and not value.strip():
            raise self.fail(f"{key} is required")
        return value.strip()

    def ident(self, data: Mapping[str, Any], key: str) -> str:
        value = self.text(data, key)
        if not _ID.match(value):
            raise self.fail(f"{key} {value!r} must be lower-case letters, digits and _")
        return value

    def day(self, data: Mapping[str, Any], key: str, *, required: bool) -> date | None:
        value = data.get(key)
        if value is None and not required:
            return None
        # tomllib gives datetime for date-times; a rule date must be a plain calendar date.
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.fail(f"{key} must be a TOML date (YYYY-MM-DD), got {value!r}")
        return value

    def flag(self, data: Mapping[str, Any], key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false")
        return value

    def number(self, value: object, key: str) -> Decimal:
        # bool is an int subclass; "amount = true" is a typo, not 1 credit.
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(f"{key} must be a number, got {value!r}")
        try:
            # str() first so a TOML float like 4.5 becomes Decimal("4.5"), not its binary value.
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(f"{key} must be a number, got {value!r}") from None
        if not number.is_finite() or number <= 0:
            raise self.fail(f"{key} must be a positive number, got {value!r}")
        return number

    def names(self, value: object, key: str, vocabulary: Iterable[str]) -> frozenset[str]:
        allowed = tuple(vocabulary)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key} must be a list of strings")
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise self.fail(f"{key}: unknown value(s) {', '.join(unknown)}; known: {allowed}")
        if len(set(value)) != len(value):
            raise self.fail(f"{key} lists a value twice")
        return frozenset(value)

    def choice(
        self,
        data: Mapping[str, Any],
        key: str,
        choices: tuple[str, ...],
        default: str | None = None,
    ) -> str:
        value = data.get(key, default)
        if value not in choices:
            raise self.fail(f"{key} must be one of {choices}, got {value!r}")
        assert isinstance(value, str)
        return value

    def date_range(self, start: date | None, end: date | None, what: str) -> None:
        if start is not None and end is not None and end < start:
            raise self.fail(f"{what}: end {end} is before start {start}")

    def bound(self, data: Mapping[str, Any], key: str) -> DateBound | None:
        """A date, or ``{ setting = "<date setting>" }`` standing for a setting's value."""
        value = data.get(key)
        if isinstance(value, dict):
            self.keys(value, frozenset({"setting"}), key)
            name = value.get("setting")
            if name not in DATE_SETTINGS:
                raise self.fail(f"{key}: unknown date setting {name!r}; known: {DATE_SETTINGS}")
            assert isinstance(name, str)
            return name
        return self.day(data, key, required=False)

    def note(self, data: Mapping[str, Any], key: str, placeholders: frozenset[str]) -> str:
        """A required text whose ``{name}`` placeholders must all be in ``placeholders``."""
        text = self.text(data, key)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise self.fail(f"{key}: {exc} (write {{{{ and }}}} for a literal brace)") from None
        unknown = sorted(used - placeholders)
        if unknown:
            known = ", ".join(sorted(placeholders)) or "none"
            raise self.fail(f"{key}: unknown placeholder(s) {unknown}; known here: {known}")
        return text


def _parse_applies(p: _Parser, raw: object, ruleset: RuleSet) -> AppliesTo:
    data = p.table(raw, "applies_to")
    p.keys(data, _APPLIES_KEYS, "applies_to")
    if "license_types" not in data:
        raise p.fail("applies_to.license_types is required")
    license_types = p.names(data["license_types"], "applies_to.license_types", LICENSE_TYPES)
    if not license_types:
        raise p.fail("applies_to.license_types must not be empty")
    start = p.day(data, "renewals_from", required=False)
    end = p.day(data, "renewals_to", required=False)
    p.date_range(start, end, "applies_to renewal dates")
    for bound in (start, end):
        if bound is not None and not ruleset.covers(bound):
            raise p.fail(f"applies_to date {bound} lies outside the rule set's effective dates")
    return AppliesTo(
        license_types=license_types,
        prescribers_only=p.flag(data, "prescribers_only"),
        serves_adults_only=p.flag(data, "serves_adults_only"),
        renewals_from=start,
        renewals_to=end,
    )


def _option_tables(
    p: _Parser, raw: object, allowed: frozenset[str]
) -> Iterator[tuple[tuple[str, str], dict[str, Any]]]:
    """Yield ``((setting, value), table)`` for each ``options.SETTING.VALUE`` table in ``raw``.

    Every setting and value is checked against :data:`OPTION_CHOICES` and every table's keys
    against ``allowed``, so requirements and waivers name their variants the same way.
    """
    for setting, values in p.table(raw, "options").items():
        if setting not in OPTION_CHOICES:
            raise p.fail(f"options.{setting}: unknown setting; known: {tuple(OPTION_CHOICES)}")
        for value, overrides in p.table(values, f"options.{setting}").items():
            if value not in OPTION_CHOICES[setting]:
                raise p.fail(
                    f"options.{setting}.{value}: unknown value; known: {OPTION_CHOICES[setting]}"
                )
            table = p.table(overrides, f"options.{setting}.{value}")
            p.keys(table, allowed, f"options.{setting}.{value}")
            yield (setting, value), table


def _parse_options(p: _Parser, raw: object) -> dict[tuple[str, str], OptionVariant]:
    options: dict[tuple[str, str], OptionVariant] = {}
    for key, data in _option_tables(p, raw, frozenset(OPTION_FIELDS)):
        amount = p.number(data["amount"], "amount") if "amount" in data else None
        frequency = p.choice(data, "frequency", FREQUENCIES) if "frequency" in data else None
        options[key] = OptionVariant(amount=amount, frequency=frequency)
    return options


def _parse_caps(
    p: _Parser, raw: object, topics: frozenset[str], amount: Decimal
) -> tuple[Cap, ...]:
    if not isinstance(raw, list):
        raise p.fail("caps must be an array of tables")
    caps = []
    for entry in raw:
        data = p.table(entry, "caps entry")
        p.keys(data, frozenset({"topics", "max"}), "caps entry")
        cap_topics = p.names(data.get("topics"), "caps.topics", TOPICS)
        if not cap_topics or not cap_topics <= topics:
            raise p.fail("caps.topics must be a non-empty subset of the requirement's topics")
        limit = p.number(data.get("max"), "caps.max")
        if limit > amount:
            raise p.fail(f"caps.max {limit} exceeds the amount {amount}")
        caps.append(Cap(topics=cap_topics, limit=limit))
    return tuple(caps)


def _parse_only_with(p: _Parser, raw: object) -> dict[str, str]:
    selected: dict[str, str] = {}
    for setting, value in p.table(raw, "only_with").items():
        if setting not in OPTION_CHOICES:
            raise p.fail(f"only_with.{setting}: unknown setting; known: {tuple(OPTION_CHOICES)}")
        if value not in OPTION_CHOICES[setting]:
            raise p.fail(
                f"only_with.{setting} = {value!r}: unknown value; known: {OPTION_CHOICES[setting]}"
            )
        selected[setting] = value
    return selected


def _parse_exception(p: _Parser, raw: object) -> RequirementException:
    data = p.table(raw, "exceptions entry")
    p.keys(data, _EXCEPTION_KEYS, "exceptions entry")
    bounds = {name: p.bound(data, name) for name in EXCEPTION_BOUNDS}
    if all(b is None for b in bounds.values()):
        raise p.fail("an exception needs at least one renewals_* or first_licensed_* bound")
    for prefix in ("renewals", "first_licensed"):
        start, end = bounds[f"{prefix}_from"], bounds[f"{prefix}_to"]
        if isinstance(start, date) and isinstance(end, date):
            p.date_range(start, end, f"exception {prefix} dates")
    placeholders = frozenset(name for name, b in bounds.items() if b is not None)
    return RequirementException(
        status=p.choice(data, "status", EXCEPTION_STATUSES),
        note=p.note(data, "note", placeholders),
        source=p.text(data, "source"),
        only_with=MappingProxyType(_parse_only_with(p, data.get("only_with", {}))),
        **bounds,
    )


def _parse_exceptions(p: _Parser, raw: object) -> tuple[RequirementException, ...]:
    if not isinstance(raw, list):
        raise p.fail("exceptions must be an array of tables ([[requirements.exceptions]])")
    return tuple(_parse_exception(p, entry) for entry in raw)


def _parse_requirement(p: _Parser, raw: object, ruleset: RuleSet) -> Requirement:
    data = p.table(raw, "requirement")
    p.rule = str(data.get("id", "?"))
    p.keys(data, _REQUIREMENT_KEYS, "requirement")
    rid = p.ident(data, "id")
    kind = p.choice(data, "kind", KINDS, "credits")
    if kind == "training":
        # A training has no credit minimum: one qualifying activity meets it.
        if "amount" in data or "min_category1" in data or "caps" in data:
            raise p.fail("a training takes no amount, min_category1 or caps")
        amount = Decimal(1)
    else:
        if "amount" not in data:
            raise p.fail("amount is required for a credits requirement")
        amount = p.number(data["amount"], "amount")
    topics = p.names(data.get("topics", []), "topics", TOPICS)
    if kind == "training" and not topics:
        raise p.fail("a training must name the topics that qualify")
    min_cat1 = p.number(data["min_category1"], "min_category1") if "min_category1" in data else None
    if min_cat1 is not None and min_cat1 > amount:
        raise p.fail(f"min_category1 {min_cat1} exceeds the amount {amount}")
    by_license_raw = p.table(data.get("amount_by_license", {}), "amount_by_license")
    p.names(list(by_license_raw), "amount_by_license", LICENSE_TYPES)
    if by_license_raw and kind == "training":
        raise p.fail("a training takes no amount_by_license")
    by_license = {k: p.number(v, f"amount_by_license.{k}") for k, v in by_license_raw.items()}
    route = data.get("alternative_route")
    if route is not None and route not in ROUTE_FLAGS:
        raise p.fail(f"alternative_route must be one of {ROUTE_FLAGS}, got {route!r}")
    if "applies_to" not in data:
        raise p.fail("applies_to is required")
    return Requirement(
        id=rid,
        kind=kind,
        amount=amount,
        frequency=p.choice(data, "frequency", FREQUENCIES),
        topics=topics,
        category=p.choice(data, "category", CATEGORIES, "any"),
        applies_to=_parse_applies(p, data["applies_to"], ruleset),
        label=p.text(data, "label"),
        name=p.text(data, "name"),
        source=p.text(data, "source"),
        min_category1=min_cat1,
        caps=_parse_caps(p, data.get("caps", []), topics, amount),
        amount_by_license=MappingProxyType(by_license),
        alternative_route=route,
        verify=p.text(data, "verify", required=False),
        options=MappingProxyType(_parse_options(p, data.get("options", {}))),
        exceptions=_parse_exceptions(p, data.get("exceptions", [])),
    )


def _waiver_items(
    p: _Parser, data: Mapping[str, Any], ids: set[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """``(waives, keeps)`` from exactly one of the keys ``waives`` and ``keeps``."""
    if ("waives" in data) == ("keeps" in data):
        raise p.fail("give exactly one of waives (what is lifted) and keeps (what stays)")
    if "keeps" in data:
        keeps = p.names(data["keeps"], "keeps", sorted(ids))
        return frozenset(ids - keeps), keeps
    return p.names(data["waives"], "waives", sorted(ids)), frozenset()


def _waiver_reading(
    p: _Parser, wid: str, data: Mapping[str, Any], ruleset: RuleSet, ids: set[str]
) -> Waiver:
    """One reading of a waiver, from its table (an option variant merged over the declared one)."""
    start = p.day(data, "renewals_from", required=True)
    end = p.day(data, "renewals_to", required=True)
    assert start is not None and end is not None
    p.date_range(start, end, "waiver renewal dates")
    if not (ruleset.covers(start) and ruleset.covers(end)):
        raise p.fail("waiver dates lie outside the rule set's effective dates")
    waives, keeps = _waiver_items(p, data, ids)
    reading = p.text(data, "reading", required=False)
    note = p.note(data, "note", _WAIVER_PLACEHOLDERS)
    return Waiver(
        id=wid,
        renewals_from=start,
        renewals_to=end,
        waives=waives,
        keeps=keeps,
        reading=reading,
        source=p.text(data, "source"),
        note=note.format(renewals_from=start, renewals_to=end, reading=reading),
    )


def _parse_waiver(p: _Parser, raw: object, ruleset: RuleSet, ids: set[str]) -> Waiver:
    data = p.table(raw, "waiver")
    p.rule = f"waiver {data.get('id', '?')}"
    p.keys(data, _WAIVER_KEYS, "waiver")
    wid = p.ident(data, "id")
    declared = {k: v for k, v in data.items() if k != "options"}
    variants: dict[tuple[str, str], Waiver] = {}
    for key, table in _option_tables(p, data.get("options", {}), _WAIVER_OPTION_KEYS):
        # A variant replaces what it names; listing waives or keeps replaces the items.
        base = declared
        if "waives" in table or "keeps" in table:
            base = {k: v for k, v in declared.items() if k not in ("waives", "keeps")}
        variants[key] = _waiver_reading(p, wid, base | table, ruleset, ids)
    waiver = _waiver_reading(p, wid, declared, ruleset, ids)
    return replace(waiver, options=MappingProxyType(variants))


def parse_ruleset(data: Mapping[str, Any], file: str) -> RuleSet:
    """Validate parsed TOML ``data`` from ``file`` into a :class:`RuleSet`.

    Raises:
        RuleFileError: naming ``file`` and the offending rule.
    """
    p = _Parser(file)
    p.keys(data, _TOP_KEYS, "the file")
    head = p.table(data.get("ruleset"), "[ruleset]")
    p.keys(head, _RULESET_KEYS, "[ruleset]")
    state = p.text(head, "state")
    if not _STATE.match(state):
        raise p.fail(f"state {state!r} must be a two-letter code such as MA")
    start = p.day(head, "effective_from", required=True)
    assert start is not None
    end = p.day(head, "effective_to", required=False)
    p.date_range(start, end, "effective dates")
    ruleset = RuleSet(
        id=p.ident(head, "id"),
        state=state,
        title=p.text(head, "title"),
        effective_from=start,
        effective_to=end,
        source=p.text(head, "source"),
        file=file,
        requirements=(),
        no_cme_license_types=p.names(
            head.get("no_cme_license_types", []), "no_cme_license_types", LICENSE_TYPES
        ),
    )
    raw_reqs = data.get("requirements")
    if not isinstance(raw_reqs, list) or not raw_reqs:
        raise p.fail("at least one [[requirements]] entry is required")
    requirements: list[Requirement] = []
    for raw in raw_reqs:
        requirement = _parse_requirement(p, raw, ruleset)
        if any(r.id == requirement.id for r in requirements):
            raise p.fail("duplicate requirement id")
        requirements.append(requirement)
    ids = {r.id for r in requirements}
    raw_waivers = data.get("waivers", [])
    if not isinstance(raw_waivers, list):
        raise p.fail("waivers must be an array of tables")
    waivers = tuple(_parse_waiver(p, raw, ruleset, ids) for raw in raw_waivers)
    return replace(ruleset, requirements=tuple(requirements), waivers=waivers)


def load_ruleset(path: Path) -> RuleSet:
    """Load and validate one rule file.

    Raises:
        RuleFileError: the file is not valid TOML or breaks a rule of the format.
    """
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(str(path), "-", f"not valid TOML: {exc}") from exc
    return parse_ruleset(data, str(path))


def check_no_overlap(rulesets: Iterable[RuleSet]) -> None:
    """Raise :class:`RuleFileError` if two rule sets of one state cover a common renewal date."""
    ordered = sorted(rulesets, key=lambda r: (r.state, r.effective_from))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.state != later.state:
            continue
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise RuleFileError(
                later.file,
                later.id,
                f"effective dates overlap rule set {earlier.id!r} in {earlier.file}",
            )


def load_rulesets(directory: Path | None = None) -> tuple[RuleSet, ...]:
    """Load every ``*.toml`` rule file in ``directory`` (default: the packaged rule files).

    Raises:
        RuleFileError: a file is invalid, two rule sets overlap, or ids repeat.
    """
    if directory is None:
        directory = Path(str(resources.files("cme_batch.rules")))
    rulesets = tuple(load_ruleset(path) for path in sorted(directory.glob("*.toml")))
    seen: dict[str, str] = {}
    for ruleset in rulesets:
        if ruleset.id in seen:
            raise RuleFileError(
                ruleset.file, ruleset.id, f"rule set id also used in {seen[ruleset.id]}"
            )
        seen[ruleset.id] = ruleset.file
    check_no_overlap(rulesets)
    return rulesets


def select_ruleset(rulesets: Iterable[RuleSet], state: str, renewal: date) -> RuleSet | None:
    """The rule set of ``state`` in force for a renewal on ``renewal``, or None."""
    for ruleset in rulesets:
        if ruleset.state == state and ruleset.covers(renewal):
            return ruleset
    return None
