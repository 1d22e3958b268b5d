"""Label and phrase cues that locate a certificate's fields, independent of layout.

Certificates put the same facts in different places: "Participant: Jane Doe", "This certifies
that / Jane Doe / has completed", "Dear Dr. Doe". Each field is found by the words around it;
the value is the rest of the cell after the cue or, when the cue ends its line, the next line.
"""

from __future__ import annotations

import re

from cme_batch.fields import lexicon

CELL_SPLIT = re.compile(r"\s{3,}")

# The patterns below are shapes filled with the lexicon's words (``lexicon.toml``): the role
# named in each shape, joined as alternatives.
NAME_LABEL = lexicon.pattern(
    "cues.NAME_LABEL",
    lambda w: r"^(?:" + w("names.label") + r")(?:\s*[:\-]\s*(?P<value>.*)|\s*)$",
    re.I,
)
NAME_PHRASE = lexicon.pattern(
    "cues.NAME_PHRASE",
    lambda w: r"(?:" + w("names.phrase") + r")\s*[:,]?\s*(?P<value>.*)$",
    re.I,
)
# "ASHWORTH, GREGORY completed the live seminar ...": the name opens the sentence.
NAME_BEFORE_VERB = lexicon.pattern(
    "cues.NAME_BEFORE_VERB",
    lambda w: (
        r"^(?:dr\.?\s+)?(?P<value>[A-Z][\w'’.\-]+(?:,?\s+[A-Z][\w'’.\-]*){1,5}?)\s+"
        r"(?:has\s+|have\s+)?(?:successfully\s+)?(?:" + w("names.verb_after") + r")\b"
    ),
)
DEAR = lexicon.pattern(
    "cues.DEAR",
    lambda w: r"^\s*(?:" + w("names.salutation") + r")\s+(?P<value>[^,:]+)[,:]?\s*$",
    re.I,
)

TITLE_LABEL = lexicon.pattern(
    "cues.TITLE_LABEL",
    lambda w: r"^(?:" + w("titles.label") + r")(?:\s*[:\-]\s*(?P<value>.*)|\s*)$",
    re.I,
)
# Between the verb and the title: formats, then a kind of activity, then a naming word ("the
# live internet course entitled"). An activity type ("enduring material", "journal-based CME")
# is skipped only where a kind or naming word or the line's end follows it, so a title that
# opens with such words ("Performance Improvement in Sepsis Care") keeps them.
TITLE_PHRASE = lexicon.pattern(
    "cues.TITLE_PHRASE",
    lambda w: (
        r"(?:has\s+)?(?:successfully\s+)?(?:" + w("titles.phrase") + r")(?:\s+the)?"
        r"(?:(?:\s+(?:" + w("titles.activity_type", "titles.format") + r"))*"
        r"(?:(?:\s+(?:" + w("titles.kind") + r"))+(?:\s+(?:" + w("titles.naming") + r"))?"
        r"|\s+(?:" + w("titles.naming") + r")|(?=\s*[:,\-]?\s*$))"
        r"|(?:\s+(?:" + w("titles.format") + r"))*(?:\s+(?:" + w("titles.kind") + r"))?"
        r"(?:\s+(?:" + w("titles.naming") + r"))?)"
        r"\s*[:,\-]?\s*(?P<value>.*)$"
    ),
    re.I,
)
# A value made of title cue words only ("activity titled", "the enduring material"): the
# sentence around a title, never the title.
TITLE_CUES_ONLY = lexicon.pattern(
    "cues.TITLE_CUES_ONLY",
    lambda w: (
        r"^[\W_]*(?:(?:the|an?|this|following|"
        + w(
            "titles.activity_type", "titles.phrase", "titles.format", "titles.kind",
            "titles.naming", "titles.label",
        )
        + r")\b[\W_]*)+$"
    ),
    re.I,
)  # fmt: skip
QUOTED = re.compile(r"[\"“”'‘’]{1}(?P<value>[^\"“”]{6,160})[\"“”’]")

PROVIDER_LABEL = lexicon.pattern(
    "cues.PROVIDER_LABEL",
    lambda w: r"^(?:" + w("providers.label") + r")\s*[:\-]?\s*(?P<value>.*)$",
    re.I,
)
PROVIDER_PHRASE = lexicon.pattern(
    "cues.PROVIDER_PHRASE",
    lambda w: r"^(?:the\s+)?(?P<value>.{3,90}?)\s+(?:" + w("providers.statement") + r")",
    re.I,
)
ORG_WORDS = lexicon.pattern(
    "cues.ORG_WORDS", lambda w: r"\b(?:" + w("providers.organization") + r")\b", re.I
)
ACCREDITOR = lexicon.pattern("cues.ACCREDITOR", lambda w: w("providers.accreditor"), re.I)

DATE_POSITIVE = lexicon.pattern("cues.DATE_POSITIVE", lambda w: w("dates.activity"), re.I)
#: Labels of every other date a page prints: issue, expiry, claim-by, release and the rest.
DATE_NEGATIVE = lexicon.pattern(
    "cues.DATE_NEGATIVE",
    lambda w: w("dates.issued", "dates.expiry", "dates.claim", "dates.release", "dates.other"),
    re.I,
)

NOT_A_NAME = lexicon.pattern(
    "cues.NOT_A_NAME", lambda w: r"\b(?:" + w("names.not_a_name") + r")\b", re.I
)

TRANSCRIPT_HINT = lexicon.pattern("cues.TRANSCRIPT_HINT", lambda w: w("transcripts.hint"), re.I)
TOTAL_ROW = lexicon.pattern(
    "cues.TOTAL_ROW",
    lambda w: (
        r"^\s*(?:grand\s+)?(?:sub)?(?:"
        + w("transcripts.total_word")
        + r")(?!\w)|\b(?:"
        + w("transcripts.total_word")
        + r")\s+(?:credits?|hours?)\b"
    ),
    re.I,
)


def cells(line: str) -> list[str]:
    """Split a line at wide gaps into cells (columns of a table or a two-column layout)."""
    return [c.strip() for c in CELL_SPLIT.split(line) if c.strip()]


def clean_value(value: str) -> str:
    """Trim quotes, bullets, trailing punctuation and leftover label colons from a value."""
    value = value.strip().strip("\"“”‘’'").strip()
    value = re.sub(r"^[\-–—:•*\s]+", "", value)
    value = re.sub(r"[\s,;:\-–—]+$", "", value)
    return value.strip("\"“”‘’'").strip()
