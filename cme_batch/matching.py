"""Match a printed physician name or license number to the roster.

Names are compared as token sets after removing accents, punctuation and credentials, so order
("DOE, JANE"), credentials ("Jane Doe, M.D., FACP"), middle names and initials, hyphens and
particles ("van der Berg" / "Vanderberg") and small OCR errors do not matter. A match must be
unique: when two physicians fit (same surname, first name missing or ambiguous) the record is
sent to review rather than guessed.

A name that fits the roster only after correcting OCR noise (one misread letter in a surname,
"rn" read for "m", a misspelt first name) is accepted only when it fits one physician clearly
better than any other (:data:`CLEAR_LEAD`); otherwise it goes to review with a reason naming the
physicians it could be. Account headers of portal pages ("Signed in as", "Logged in as") are
never part of a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

import pandas as pd
from rapidfuzz import fuzz

CREDENTIALS = frozenset(
    """dr doctor md mph mba phd ms msc do facp facs faafp facog faap facc fache frcpc frcp mbbs
    jr sr ii iii iv rn np pa dnp facep fasa mhs mpp ma bs ba dds dmd scd fccp fhm face faan
    mmsc mhpe mpa msed msce fasn faha fcap fidsa fasco facr faans faos mrcp dabfm dabim
    mbchb bchir md-phd prof professor mr mrs ms miss m d""".split()
)
#: A corrected match is accepted only this far ahead of the next physician's score.
CLEAR_LEAD: Final[float] = 0.15

#: Account and print headers of portal pages: their words are never a name ("Signed in as
#: Jane Doe" names the account the page was printed from, "Signed in as" alone nobody).
_ACCOUNT_HEADER = re.compile(
    r"\b(?:signed|logged)\s+(?:in|on)\s+as\b|\bwelcome(?:\s+back)?\b|\b(?:printed|generated|"
    r"downloaded|exported)\s+by\b|\b(?:log|sign)\s*(?:out|off)\b|\bmy\s+account\b",
    re.I,
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


def without_header(text: str) -> str:
    """``text`` without account-header words ("Signed in as Jane Doe" -> "Jane Doe")."""
    return " ".join(_ACCOUNT_HEADER.sub(" ", text).split()).strip(" :|-\u2022")


def name_tokens(text: str) -> list[str]:
    """Tokens of a printed name without credentials, titles or account-header words."""
    text = without_header(text)
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


@dataclass(frozen=True)
class _Fit:
    """How well printed name tokens fit one physician."""

    score: float
    corrected: bool = False


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
        return self._fit(tokens, person).score

    def _fit(self, tokens: list[str], person: _Person) -> _Fit:
        """The score, and whether it needed an OCR correction (a misread letter) to fit."""
        last = _surname_score(tokens, person.last_tokens)
        if last == 0:
            return _Fit(0.0)
        used = _surname_span(tokens, person.last_tokens)
        remaining = [t for i, t in enumerate(tokens) if i not in used]
        first, first_token, first_fuzzy = 0.0, "", False
        for token in remaining:
            fuzzy = False
            if token == person.first:
                value = 1.0
            elif len(token) == 1 and person.first.startswith(token):
                value = 0.6
            elif (
                len(token) >= 4 and len(person.first) >= 4 and fuzz.ratio(token, person.first) >= 75
            ):
                value, fuzzy = 0.85, True
            elif len(token) >= 3 and (
                token.startswith(person.first) or person.first.startswith(token)
            ):
                value = 0.75
            else:
                continue
            if value > first:
                first, first_token, first_fuzzy = value, token, fuzzy
        if first == 0:
            return _Fit(0.0)
        middle = 0.0
        extras = [t for t in remaining if t != first_token and len(t) == 1]
        if person.middle and extras:
            middle = 0.1 if any(person.middle.startswith(t) for t in extras) else -0.15
        score = min(1.0, 0.5 * last + 0.45 * first + 0.05 + middle)
        return _Fit(score, corrected=first_fuzzy or last < 1.0)

    def match_name(self, printed: str) -> Match:
        """Match a printed name to exactly one physician, or explain why not."""
        printed = without_header(printed)
        tokens = name_tokens(printed)
        if not tokens:
            return Match("", 0.0, "no physician name found")
        fits = sorted(
            ((self._fit(tokens, p), p) for p in self._people),
            key=lambda fp: fp[0].score,
            reverse=True,
        )
        scored = [(f.score, p) for f, p in fits]
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
                # A name printed in full whose first name fits nobody (a nickname, a misread
                # first name) is said to be so, not taken for a surname alone.
                what = (
                    f"only the surname is printed ({printed!r})"
                    if len(tokens) <= len(surname_only[0].last_tokens)
                    else f"the surname of {printed!r} is on the roster but its first name is not"
                )
                return Match(
                    "",
                    0.3,
                    f"{what}: could be {names}",
                    ambiguous=True,
                    candidates=tuple(p.physician_id for p in surname_only),
                )
            return Match("", 0.0, f"physician {printed!r} is not on the roster")
        best, person = good[0]
        corrected = fits[0][0].corrected
        # A clean fit must lead the other good fits clearly; one that fits only after
        # correcting a misread letter must lead every other physician that fits at all.
        rivals = scored[1:] if corrected else good[1:]
        close = [p for score, p in rivals if score > 0 and best - score < CLEAR_LEAD]
        if close:
            names = " or ".join(p.physician_id for p in [person, *close][:3])
            how = (
                "fits the roster only after correcting misread letters, not clearly one physician"
                if corrected or any(f.corrected for f, p in fits[1:] if p in close)
                else "is ambiguous"
            )
            return Match(
                "",
                0.4,
                f"physician name {printed!r} {how}: could be {names}",
                ambiguous=True,
                candidates=(person.physician_id, *(p.physician_id for p in close)),
            )
        return Match(person.physician_id, round(best, 3))

    def find_in_text(self, text: str) -> list[tuple[str, str]]:
        """Find roster physicians named anywhere in ``text``, line by line.

        A name broken over two lines (the first name at the end of one, the surname opening
        the next) is found too. A cell that fits several physicians names the one it fits
        clearly best (:data:`CLEAR_LEAD`), else all of them (and the page goes to review).

        Returns:
            ``(physician_id, the printed text)`` pairs, one per physician found; strict (surname
            and first name or initial both present) so that clinical words never match.
        """
        found: dict[str, str] = {}
        lines = [re.split(r"\s{3,}", line) for line in text.splitlines()]
        named = [[bool(self._find_in_cell(cell, found)) for cell in cells] for cells in lines]
        for number in range(len(lines) - 1):
            last, first = lines[number][-1], lines[number + 1][0]
            # A surname on the next line: the line's last cell and the next line's first,
            # both short and neither naming anyone alone, read as one name.
            if named[number][-1] or named[number + 1][0]:
                continue
            if all(0 < len(name_tokens(c)) <= 3 for c in (last, first)):
                self._find_in_cell(f"{last.strip()} {first.strip()}", found)
        return list(found.items())

    def _find_in_cell(self, cell: str, found: dict[str, str]) -> list[str]:
        """Add to ``found`` the physicians ``cell`` names (strictly: score 0.8 or more).

        Returns:
            The ids ``cell`` names (also those found before).
        """
        printed = without_header(cell).strip()
        tokens = name_tokens(printed)
        if not tokens:
            return []
        # Long cells (a sentence naming the physician) are searched in short windows.
        windows = (
            [tokens] if len(tokens) <= 8 else [tokens[i : i + 4] for i in range(len(tokens) - 1)]
        )
        scores = []
        for person in self._people:
            best = max(self.score(w, person) for w in windows)
            if best >= 0.8:
                scores.append((best, person))
        if not scores:
            return []
        scores.sort(key=lambda sp: sp[0], reverse=True)
        top = scores[0][0]
        named = [person.physician_id for score, person in scores if top - score < CLEAR_LEAD]
        for physician_id in named:
            found.setdefault(physician_id, printed)
        return named


def _ocr_variants(token: str) -> set[str]:
    """Readings of ``token`` with one kind of common OCR confusion undone (not the token)."""
    # "ü" read as "ii", "m" as "rn", "o" as "0", and "ñ" (folded to "n") as "fi" ("Pefia").
    variants = {
        token.replace("ii", "u"),
        token.replace("rn", "m"),
        token.replace("0", "o"),
        token.replace("fi", "n"),
    }
    if token.startswith("l"):
        variants.add("i" + token[1:])
    variants.discard(token)
    return variants


def _spans(tokens: list[str], size: int) -> list[tuple[int, int]]:
    """(start, end) of every run of 1 to ``size`` consecutive tokens."""
    return [
        (start, start + n)
        for n in range(1, min(size, len(tokens)) + 1)
        for start in range(len(tokens) - n + 1)
    ]


def _joined_spans(tokens: list[str], last: tuple[str, ...]) -> list[tuple[str, tuple[int, int]]]:
    """Runs of tokens that may print the surname, joined ("o brien" -> "obrien").

    A run may have one token more than the roster's surname: an apostrophe or a hyphen read
    as a space splits it ("O Brien", "Garcia Lo pez").
    """
    return [("".join(tokens[a:b]), (a, b)) for a, b in _spans(tokens, len(last) + 1)]


def _surname_span(tokens: list[str], last: tuple[str, ...]) -> set[int]:
    """Indexes of the tokens that print the surname (best-fitting run), for the first name."""
    if not last:
        return set()
    joined = "".join(last)
    best, where = 0.0, (0, 0)
    for text, span in _joined_spans(tokens, last):
        value = 1.0 if text == joined else fuzz.ratio(text, joined) / 100
        if joined in _ocr_variants(text):
            value = max(value, 0.95)
        if value > best:
            best, where = value, span
    return set(range(*where)) if best >= 0.8 else {i for i, t in enumerate(tokens) if t in last}


def _surname_score(tokens: list[str], last: tuple[str, ...]) -> float:
    """1.0 when the surname's tokens appear together (or joined: "vanderberg"), less if fuzzy."""
    if not last:
        return 0.0
    joined = "".join(last)
    runs = [text for text, _ in _joined_spans(tokens, last)]
    if joined in runs:
        return 1.0
    # Letters OCR confuses in names: "ü" read as "ii" ("Miiller" for "Müller", folded to
    # "muller"), a capital I as l ("lyer" for "Iyer"), "m" as "rn".
    if any(joined in _ocr_variants(t) for t in runs):
        return 0.95
    if len(joined) >= 5:
        # One misread letter, also in an accented or hyphenated surname printed in two
        # parts ("Garcia-Lopcz" for "García-López").
        best = max(fuzz.ratio(t, joined) for t in runs)
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
