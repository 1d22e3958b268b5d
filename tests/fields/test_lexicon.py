"""The lexicon: the built-in one validates, bad files are refused by name, an office's file adds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from cme_batch.extract.document import ReadOptions
from cme_batch.fields import credits, lexicon
from cme_batch.fields.certificate import choose_date
from cme_batch.fields.dates import find_dates
from cme_batch.fields.lexicon import LexiconError
from cme_batch.schema import TOPICS

#: An office's lexicon: a credit system the built-in one does not know, and a date-caption word.
OFFICE = """
[[credit_system]]
id = "mainpro_plus"
pattern = 'Mainpro\\+?\\s*certified'
credit_type = "Mainpro+ certified credit"
category = "1"
physician = true
amount_names = ['Mainpro']

[dates]
activity = ['viewed']
"""


@pytest.fixture(autouse=True)
def built_in_afterwards() -> Iterator[None]:
    yield
    lexicon.use(())


def test_built_in_lexicon_validates_and_builds_every_pattern() -> None:
    built = lexicon.use(())
    for table, roles in lexicon.WORD_ROLES.items():
        for role in roles:
            assert built.words[f"{table}.{role}"], f"{table}.{role} is empty"
    assert set(built.topics) == set(TOPICS)
    ids = [s.id for s in built.systems]
    assert len(ids) == len(set(ids)) and "ama_pra_1" in ids
    # Every pattern a reader declared builds from it (configure/use build them all).
    assert lexicon._PATTERNS
    for live in lexicon._PATTERNS:
        assert live.compiled.pattern == lexicon.build(live, built).pattern
    # The credit systems' names are read from the data, not written in the shapes.
    assert built.amount_names() == "AMA|AOA|AAFP|ANCC|ACPE"
    assert built.amount_names(physician_only=True) == "AMA|AOA|AAFP"


def _error(text: str) -> LexiconError:
    with pytest.raises(LexiconError) as caught:
        lexicon.load([("office.toml", text)])
    assert caught.value.file == "office.toml"
    assert str(caught.value).startswith("office.toml: lexicon entry ")
    return caught.value


@pytest.mark.parametrize(
    ("text", "entry", "says"),
    [
        ("[dates]\nactivity = ['viewed(']\n", "dates.activity[0]", "not a valid regular"),
        ("[dates]\nactivity = ['(view)ed']\n", "dates.activity[0]", "captures a group"),
        ("[dates]\nactivity = ['x?']\n", "dates.activity[0]", "matches empty text"),
        ("[dates]\nactivty = ['viewed']\n", "dates.activty", "unknown key"),
        ("[datez]\nactivity = ['viewed']\n", "datez", "unknown table"),
        ("[dates]\nactivity = []\n", "dates.activity", "non-empty list"),
        (
            "[[credit_system]]\nid = 'x'\npattern = 'X'\ncredit_type = 'X'\ncategory = '1'\n"
            "physician = true\n",
            "credit_system x",
            "missing key(s): amount_names",
        ),
        (
            "[[credit_system]]\nid = 'x'\npattern = 'X'\ncredit_type = 'X'\ncategory = ''\n"
            "physician = true\namount_names = []\n",
            "credit_system x",
            "category must be one of",
        ),
        (
            "[[credit_system]]\nid = 'x'\npattern = 'X['\ncredit_type = 'X'\ncategory = '1'\n"
            "physician = true\namount_names = []\n",
            "credit_system x.pattern",
            "not a valid regular",
        ),
        ("[topics.opioids]\ntitle = ['fentanyl']\n", "topics.opioids", "unknown topic"),
        ("[topics.ehr]\ntitel = ['x']\n", "topics.ehr", "unknown key(s): titel"),
        ("[credits.number_words]\ntwo = 'x'\n", "credits.number_words.two", "positive number"),
        ("[dates\n", "file", "not valid TOML"),
    ],
)
def test_bad_office_file_is_refused_naming_file_and_entry(text: str, entry: str, says: str) -> None:
    error = _error(text)
    assert error.entry == entry
    assert says in error.reason


def test_missing_role_in_built_in_file_is_refused() -> None:
    files = lexicon.built_in_files()
    name, text = files[0]
    damaged = text.replace("after_not_activity = ['issue', 'print', 'expir']\n", "")
    assert damaged != text
    with pytest.raises(LexiconError) as caught:
        lexicon.load(built_in=[(name, damaged), *files[1:]])
    assert caught.value.file == "lexicon.toml"
    assert caught.value.entry == "dates.after_not_activity"
    assert "required role is missing" in caught.value.reason


def test_bad_file_leaves_the_lexicon_in_force() -> None:
    before = lexicon.current()
    with pytest.raises(LexiconError):
        lexicon.use((("office.toml", "[names]\nlabel = ['(?P<x>a)']\n"),))
    assert lexicon.current() is before


TEXT = (
    "This certifies that Jane Q. Doe\n"
    "Recording posted: March 1, 2026\n"
    "Webcast viewed: April 1, 2026\n"
    "and has earned 3.5 Mainpro+ certified credits\n"
)


def test_office_file_adds_a_credit_system_and_a_date_caption_word() -> None:
    assert credits.find_credits(TEXT) == []
    date, _confidence, note = choose_date(TEXT, find_dates(TEXT))
    assert date == dt.date(2026, 3, 1) and "several dates" in note

    office = lexicon.use((("office.toml", OFFICE),))
    assert office.systems[0].id == "mainpro_plus"  # an office's new system is tried first
    assert office.version_tag.startswith("+lexicon.")
    hits = credits.find_credits(TEXT)
    assert [(h.value, h.kind, h.system and h.system.id) for h in hits] == [
        (Decimal("3.5"), "claimed", "mainpro_plus")
    ]
    assert choose_date(TEXT, find_dates(TEXT)) == (dt.date(2026, 4, 1), 0.95, "")


def test_worker_setup_puts_the_main_process_lexicon_in_force() -> None:
    import pandas as pd

    from cme_batch.process import init_worker

    roster = pd.DataFrame(columns=["physician_id", "last_name", "first_name", "license_number"])
    init_worker(roster, ReadOptions(lexicon=(("office.toml", OFFICE),)))
    assert lexicon.current().systems[0].id == "mainpro_plus"
    init_worker(roster, ReadOptions())
    assert lexicon.current().extensions == ()
