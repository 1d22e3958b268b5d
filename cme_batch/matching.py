"""Match a printed physician name or license number to the roster.

Names are compared as token sets after removing accents, punctuation and credentials, so order
("DOE, JANE"), credentials ("Jane Doe, M.D., FACP"), middle names and initials, hyphens and
particles ("van der Berg" / "Vanderberg") and small OCR errors do not matter. A match must be
unique: when two physicians fit (same surname, first name missing or ambiguous) the record is
sent to review rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz

CREDENTIALS = frozenset(
    """dr doctor md mph mba phd ms msc do facp facs faafp facog faap facc fache frcpc frcp mbbs
    jr sr ii iii iv rn np pa dnp facep fasa mhs mpp ma bs ba dds dmd scd fccp fhm face faan
    mmsc mhpe mpa msed msce fasn faha fcap fidsa fasco facr faans faos mrcp dabfm dabim
    mbchb bchir md-phd prof professor mr mrs ms miss m d""".split()
)
_LICENSE = re.compile(
    r"(?:licen[cs]e|lic\.?)\s*(?:no\.?|num(?:ber)?|#)?\s*[:#.]?\s*(?P<num>[A-Z]{0,3}[\s-]?\d{3,9})\b",
    re.I,
)


@dataclass(frozen=True)
class Match:
    """Outcome of matching one certificate to the roster.

    Attributes:
        physician_id: The roster id, or "" when unmatched or ambiguous.
        confidence: 0..1.
        reason: Why it is unmatched or uncertain ("" for a clean match).
        ambiguous: True when several physicians fit.
        candidates: The physicians an ambiguous name could be.
    """

    physician_id: str
    confidence: float
    reason: str = ""
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower-case, strip accents, drop apostrophes, turn other punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.lower().replace("ß", "ss")
    plain = re.sub(r"[’'`´]", "", plain)
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


def name_tokens(text: str) -> list[str]:
    """Tokens of a printed name without credentials or titles ("Dr.", "M.D.", "FACP")."""
    folded = fold(re.sub(r"\bM\.\s?D\.|\bD\.\s?O\.|\bPh\.\s?D\.", " ", text, flags=re.I))
    return [t for t in folded.split() if t not in CREDENTIALS]


def normalize_license(text: str) -> str:
    """Upper-case alphanumerics of a license number ("ma-123 456" -> "MA123456")."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@dataclass(frozen=True)
class _Person:
    physician_id: str
    first: str
    middle: str
    last_tokens: tuple[str, ...]
    license: str

    @property
    def last_joined(self) -> str:
        return "".join(self.last_tokens)


class RosterIndex:
    """Looks physicians up by license number and by name."""

    def __init__(self, roster: pd.DataFrame) -> None:
        """Index a roster loaded by :func:`cme_batch.roster.load_roster`."""
        self._people: list[_Person] = []
        for row in roster.to_dict("records"):
            first_tokens = fold(str(row["first_name"])).split()
            self._people.append(
                _Person(
                    physician_id=str(row["physician_id"]),
                    first=first_tokens[0] if first_tokens else "",
                    middle=fold(str(row.get("middle_name", ""))),
                    last_tokens=tuple(fold(str(row["last_name"])).split()),
                    license=normalize_license(str(row.get("license_number", ""))),
                )
            )
        self._by_license = {p.license: p for p in self._people if len(p.license) >= 4}

    def by_license_in(self, text: str) -> list[str]:
        """Roster ids whose license number is printed in ``text`` (labelled or standalone)."""
        found: list[str] = []
        for m in _LICENSE.finditer(text):
            person = self._by_license.get(normalize_license(m.group("num")))
            if person and person.physician_id not in found:
                found.append(person.physician_id)
        if not found:
            tokens = set(normalize_license(t) for t in re.findall(r"[A-Za-z]{0,3}-?\d{4,9}", text))
            for lic, person in self._by_license.items():
                if (
                    lic in tokens
                    and person.physician_id not in found
                    and any(c.isdigit() for c in lic)
                ):
                    found.append(person.physician_id)
        return found

    def score(self, tokens: list[str], person: _Person) -> float:
        """Score how well name tokens fit a physician (0..1); 0 when the surname is absent."""
        last = _surname_score(tokens, person.last_tokens)
        if last == 0:
            return 0.0
        remaining = [t for t in tokens if t not in person.last_tokens]
        first, first_token = 0.0, ""
        for token in remaining:
            if token == person.first:
                value = 1.0
            elif len(token) == 1 and person.first.startswith(token):
                value = 0.6
            elif (
                len(token) >= 4 and len(person.first) >= 4 and fuzz.ratio(token, person.first) >= 75
            ):
                value = 0.85
            elif len(token) >= 3 and (
                token.startswith(person.first) or person.first.startswith(token)
            ):
                value = 0.75
            else:
                continue
            if value > first:
                first, first_token = value, token
        if first == 0:
            return 0.0
        middle = 0.0
        extras = [t for t in remaining if t != first_token and len(t) == 1]
        if person.middle and extras:
            middle = 0.1 if any(person.middle.startswith(t) for t in extras) else -0.15
        return min(1.0, 0.5 * last + 0.45 * first + 0.05 + middle)

    def match_name(self, printed: str) -> Match:
        """Match a printed name to exactly one physician, or explain why not."""
        tokens = name_tokens(printed)
        if not tokens:
            return Match("", 0.0, "no physician name found")
        scored = sorted(
            ((self.score(tokens, p), p) for p in self._people), key=lambda sp: sp[0], reverse=True
        )
        good = [(s, p) for s, p in scored if s >= 0.7]
        if not good:
            surname_only = [p for p in self._people if _surname_score(tokens, p.last_tokens) == 1.0]
            if len(surname_only) == 1 and len(tokens) <= len(surname_only[0].last_tokens):
                only = surname_only[0]
                return Match(
                    only.physician_id,
                    0.65,
                    f"only the surname is printed ({printed!r}); matched to the one roster "
                    f"physician with that surname",
                )
            if surname_only and len(tokens) <= len(surname_only[0].last_tokens) + 1:
                names = " or ".join(p.physician_id for p in surname_only[:3])
                return Match(
                    "",
                    0.3,
                    f"only the surname is printed ({printed!r}): could be {names}",
                    ambiguous=True,
                    candidates=tuple(p.physician_id for p in surname_only),
                )
            return Match("", 0.0, f"physician {printed!r} is not on the roster")
        if len(good) > 1 and good[0][0] - good[1][0] < 0.15:
            names = " or ".join(p.physician_id for _, p in good[:3])
            return Match(
                "",
                0.4,
                f"physician name {printed!r} is ambiguous: {names}",
                ambiguous=True,
                candidates=tuple(p.physician_id for score, p in good if good[0][0] - score < 0.15),
            )
        best, person = good[0]
        return Match(person.physician_id, round(best, 3))

    def find_in_text(self, text: str) -> list[tuple[str, str]]:
        """Find roster physicians named anywhere in ``text``, line by line.

        Returns:
            ``(physician_id, the printed text)`` pairs, one per physician found; strict (surname
            and first name or initial both present) so that clinical words never match.
        """
        found: dict[str, str] = {}
        for line in text.splitlines():
            for cell in re.split(r"\s{3,}", line):
                tokens = name_tokens(cell)
                if not tokens:
                    continue
                # Long cells (a sentence naming the physician) are searched in short windows.
                windows = (
                    [tokens]
                    if len(tokens) <= 8
                    else [tokens[i : i + 4] for i in range(len(tokens) - 1)]
                )
                for person in self._people:
                    if person.physician_id in found:
                        continue
                    if any(self.score(w, person) >= 0.8 for w in windows):
                        found[person.physician_id] = cell.strip()
        return list(found.items())


def _ocr_variants(token: str) -> set[str]:
    """Readings of ``token`` with one kind of common OCR confusion undone (not the token)."""
    variants = {token.replace("ii", "u"), token.replace("rn", "m"), token.replace("0", "o")}
    if token.startswith("l"):
        variants.add("i" + token[1:])
    variants.discard(token)
    return variants


def _surname_score(tokens: list[str], last: tuple[str, ...]) -> float:
    """1.0 when the surname's tokens appear together (or joined: "vanderberg"), less if fuzzy."""
    if not last:
        return 0.0
    joined = "".join(last)
    for size in range(1, min(len(last) + 1, len(tokens)) + 1):
        for start in range(len(tokens) - size + 1):
            if "".join(tokens[start : start + size]) == joined:
                return 1.0
    # Letters OCR confuses in names: "ü" read as "ii" ("Miiller" for "Müller", folded to
    # "muller"), a capital I as l ("lyer" for "Iyer"), "m" as "rn".
    if any(joined in _ocr_variants(t) for t in tokens):
        return 0.95
    if len(joined) >= 5:
        best = max(fuzz.ratio(t, joined) for t in tokens)
        if best >= 85:
            return 0.85
        if best >= 80:
            # One misread letter in a short surname ("Miller" for "Müller"); the first name
            # must then match too, and a closer roster surname still wins.
            return 0.6
    # A particle dropped or a hyphenated surname printed in part ("Garcia" for "Garcia-Lopez").
    core = [t for t in last if len(t) > 3]
    if len(last) > 1 and core and all(t in tokens for t in core):
        return 0.8
    return 0.0
