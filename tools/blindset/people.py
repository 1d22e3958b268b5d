"""The blind set's roster and the many ways a certificate prints a physician's name.

Names carry what real rosters carry and extractors trip on: accents, hyphenated and
apostrophe surnames, particles ("van der"), full middle names, two physicians with one surname.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from samplegen.model import Physician

# (first, middle, last, degree, honorifics). Latin-1 only: the PDF standard fonts print it.
_PEOPLE: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("José", "Luis", "Ortiz-Ramírez", "MD", ()),
    ("Siobhán", "Maire", "O'Connell", "MD", ("FACP",)),
    ("Thanh", "Van", "Nguyen", "MD", ()),
    ("Linh", "Bao", "Nguyen", "DO", ()),
    ("Margaret", "Elizabeth", "Hollis-Barnard", "MD", ("PhD",)),
    ("Björn", "Erik", "Åkesson", "MD", ()),
    ("Anne-Marie", "Claire", "Lefèvre", "MD", ()),
    ("Chukwuemeka", "Obinna", "Okonkwo", "DO", ()),
    ("Priya", "Lakshmi", "Raghunathan", "MD", ("MPH",)),
    ("DeShawn", "Marcus", "Whitfield", "MD", ()),
    ("Inês", "Maria", "Gonçalves", "MD", ()),
    ("Patrick", "Seamus", "D'Arcy", "DO", ()),
    ("Hannah", "Ruth", "van der Berg", "MD", ()),
    ("Lukas", "Johannes", "Schröder", "MD", ("FACC",)),
    ("Fatima", "Zahra", "Al-Masri", "MD", ()),
    ("Carlos", "Andrés", "Peña", "MD", ()),
    ("Rebecca", "Anne", "McAllister", "DO", ()),
    ("Yuki", "", "Tanaka", "MD", ()),
    ("Olusegun", "Adebayo", "Adeyemi-Cole", "MD", ("FACS",)),
    ("Mary-Kate", "Frances", "Brennan", "MD", ()),
    ("Aleksandr", "Petrovich", "Volkov", "MD", ()),
    ("Noémie", "Sophie", "Beaulieu", "DO", ()),
)


def ascii_fold(s: str) -> str:
    """``s`` without accents (\"Lefèvre\" -> \"Lefevre\")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def roster(rng: random.Random) -> list[Physician]:
    """The fictional physicians of the set (ids B001...)."""
    out: list[Physician] = []
    used: set[str] = set()
    for i, (first, middle, last, degree, hon) in enumerate(_PEOPLE):
        lic = str(rng.randint(210000, 289999))
        while lic in used:
            lic = str(rng.randint(210000, 289999))
        used.add(lic)
        slug = "".join(ch for ch in ascii_fold(first[0] + last).lower() if ch.isalpha())
        out.append(
            Physician(
                physician_id=f"B{i + 1:03d}",
                last_name=last,
                first_name=first,
                middle_name=middle,
                degree=degree,
                license_number=lic,
                license_expires=dt.date(rng.choice([2027, 2027, 2028]), rng.randint(1, 12), 15),
                prescribes=rng.random() < 0.75,
                first_licensed=dt.date(rng.randint(1994, 2019), rng.randint(1, 12), 1),
                email=f"{slug}@example.org",
                honorifics=hon,
            )
        )
    return out


NAME_FORMS = (
    "full_deg",  # José Luis Ortiz-Ramírez, MD
    "first_mi_last_deg",  # José L. Ortiz-Ramírez, M.D.
    "dr_first_last",  # Dr. José Ortiz-Ramírez
    "last_first_mi",  # Ortiz-Ramírez, José L.
    "upper_last_first",  # ORTIZ-RAMIREZ, JOSE (portal exports drop accents)
    "first_last",  # José Ortiz-Ramírez
    "first_last_deg_hon",  # José Ortiz-Ramírez MD FACP
    "ascii_first_mi_last",  # Jose L. Ortiz-Ramirez
    "last_first_full",  # Ortiz-Ramírez, José Luis, MD
)


def printed_name(p: Physician, form: str) -> str:
    """``p``'s name as a certificate prints it in ``form``."""
    mi = f"{p.middle_name[0]}." if p.middle_name else ""
    dots = "M.D." if p.degree == "MD" else "D.O."

    def join(*parts: str) -> str:
        return " ".join(x for x in parts if x)

    if form == "full_deg":
        return join(p.first_name, p.middle_name, p.last_name) + f", {p.degree}"
    if form == "first_mi_last_deg":
        return join(p.first_name, mi, p.last_name) + f", {dots}"
    if form == "dr_first_last":
        return join("Dr.", p.first_name, p.last_name)
    if form == "last_first_mi":
        return join(f"{p.last_name}, {p.first_name}", mi)
    if form == "upper_last_first":
        return ascii_fold(f"{p.last_name}, {p.first_name}").upper()
    if form == "first_last":
        return join(p.first_name, p.last_name)
    if form == "first_last_deg_hon":
        return join(p.first_name, p.last_name, p.degree, *p.honorifics)
    if form == "ascii_first_mi_last":
        return ascii_fold(join(p.first_name, mi, p.last_name))
    if form == "last_first_full":
        return join(f"{p.last_name}, {p.first_name}", p.middle_name) + f", {p.degree}"
    raise ValueError(form)


def name_for(p: Physician, rng: random.Random, forms: tuple[str, ...] = NAME_FORMS) -> str:
    """A printed name in a form drawn from ``forms``."""
    return printed_name(p, forms[rng.randrange(len(forms))])


def salutation(p: Physician) -> str:
    """A letter's salutation name ("Dr. Ortiz-Ramírez")."""
    return f"Dr. {p.last_name}"
