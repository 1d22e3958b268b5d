"""Label and phrase cues that locate a certificate's fields, independent of layout.

Certificates put the same facts in different places: "Participant: Jane Doe", "This certifies
that / Jane Doe / has completed", "Dear Dr. Doe". Each field is found by the words around it;
the value is the rest of the cell after the cue or, when the cue ends its line, the next line.
"""

from __future__ import annotations

import re

CELL_SPLIT = re.compile(r"\s{3,}")

NAME_LABEL = re.compile(
    r"^(?:participant|name|physician|learner|attendee|recipient|clinician|doctor|member|"
    r"awarded\s+to|presented\s+to|issued\s+to|granted\s+to|prepared\s+for|transcript\s+(?:for|of)|"
    r"participant\s+name|learner\s+name|physician\s+name|attendee\s+name|name\s+of\s+(?:participant|physician))"
    r"(?:\s*[:\-]\s*(?P<value>.*)|\s*)$",
    re.I,
)
NAME_PHRASE = re.compile(
    r"(?:certif(?:y|ies)\s+that|awarded\s+to|presented\s+to|is\s+presented\s+to|granted\s+to|"
    r"issued\s+to|in\s+recognition\s+of|this\s+acknowledges\s+that|confirms?\s+that|"
    r"verif(?:y|ies)\s+that|recognizes)\s*[:,]?\s*(?P<value>.*)$",
    re.I,
)
# "ASHWORTH, GREGORY completed the live seminar ...": the name opens the sentence.
NAME_BEFORE_VERB = re.compile(
    r"^(?:dr\.?\s+)?(?P<value>[A-Z][\w'’.\-]+(?:,?\s+[A-Z][\w'’.\-]*){1,5}?)\s+"
    r"(?:has\s+|have\s+)?(?:successfully\s+)?(?:completed|attended|participated|earned|finished)\b",
)
DEAR = re.compile(r"^\s*dear\s+(?P<value>[^,:]+)[,:]?\s*$", re.I)

TITLE_LABEL = re.compile(
    r"^(?:activity(?:\s+title|\s+name)?|course(?:\s+title|\s+name)?|title|program(?:\s+title)?|"
    r"session(?:\s+title)?|event(?:\s+title)?|enduring\s+material|module|topic|conference|"
    r"lecture|presentation|webinar)(?:\s*[:\-]\s*(?P<value>.*)|\s*)$",
    re.I,
)
TITLE_PHRASE = re.compile(
    r"(?:has\s+)?(?:successfully\s+)?(?:completed|participated\s+in|attended|for\s+participation\s+in|"
    r"for\s+completing|for\s+completion\s+of|completion\s+of|participation\s+in|for\s+attending|"
    r"has\s+earned\s+credit\s+for|took\s+part\s+in)"
    r"(?:\s+the)?(?:\s+(?:live|online|internet|enduring|journal[-\s]based|regularly\s+scheduled|"
    r"self[-\s]study|virtual|in[-\s]person|educational|cme|accredited|internet[-\s]based))*"
    r"(?:\s+(?:activity|course|program|session|module|material|webinar|conference|series|"
    r"lecture|training|meeting|symposium|workshop|grand\s+rounds))?"
    r"(?:\s+(?:entitled|titled|called))?\s*[:,\-]?\s*(?P<value>.*)$",
    re.I,
)
QUOTED = re.compile(r"[\"“”'‘’]{1}(?P<value>[^\"“”]{6,160})[\"“”’]")

PROVIDER_LABEL = re.compile(
    r"^(?:provider|cme\s+provider|accredited\s+provider|provided\s+by|presented\s+by|sponsored\s+by|"
    r"offered\s+by|jointly\s+provided\s+by|hosted\s+by|organi[sz]ation|organi[sz]er|issued\s+by|"
    r"sponsor|institution|issuing\s+organi[sz]ation)\s*[:\-]?\s*(?P<value>.*)$",
    re.I,
)
PROVIDER_PHRASE = re.compile(
    r"^(?:the\s+)?(?P<value>.{3,90}?)\s+(?:designates\s+this|is\s+accredited\s+by|"
    r"has\s+been\s+accredited|is\s+approved\s+by|certifies\s+that|is\s+pleased|awards?\s+this)",
    re.I,
)
ORG_WORDS = re.compile(
    r"\b(?:institute|society|university|college|hospital|center|centre|academy|association|"
    r"school|foundation|education|learning|cme|inc|llc|group|insurance|company|network|alliance|"
    r"council|health|healthcare|medical|medicine|clinic|board|department|office|partners|"
    r"academic|consortium|federation|system|services|programs?|collaborative|league|trust)\b",
    re.I,
)
ACCREDITOR = re.compile(
    r"accreditation\s+council|\bACCME\b|american\s+osteopathic\s+association|"
    r"american\s+academy\s+of\s+family\s+physicians|\bANCC\b|american\s+medical\s+association|"
    r"^\s*(?:AMA|AOA|AAFP)\b",
    re.I,
)

DATE_POSITIVE = re.compile(
    r"complet|date\s+of\s+(?:the\s+)?(?:activity|completion|attendance|participation|course|program|"
    r"event|session|conference|training|lecture)|activity\s+date|session\s+date|course\s+date|"
    r"event\s+date|attended|held|took\s+place|presented\s+on|conducted|participat|dates?\s*(?:\(s\))?\s*[:]|"
    r"\bon\s*$|\bdates?\s*$|conference|meeting|finished|passed",
    re.I,
)
DATE_NEGATIVE = re.compile(
    r"issue|print|generat|expir|valid|claim\s+(?:by|credit\s+by)|release|review|terminat|updat|"
    r"revis|birth|\bDOB\b|approv|renew|through|until|last\s+day\s+to|request|sign|report\s+run|"
    r"as\s+of|run\s+date|created|copyright|©|statement|report\s+period|period|premium|policy|deadline|due",
    re.I,
)

NOT_A_NAME = re.compile(
    r"\b(?:has|have|completed|certificate|credit|credits|activity|course|participat|attended|"
    r"the|this|for|awarded|category|designat|hours?|date|on|of)\b",
    re.I,
)

TRANSCRIPT_HINT = re.compile(
    r"transcript|activity\s+report|cme\s+(?:record|history|summary)|credit\s+summary|"
    r"learning\s+record|activity\s+log|self[-\s]report|category\s+2\s+log",
    re.I,
)
TOTAL_ROW = re.compile(r"^\s*(?:grand\s+)?(?:sub)?totals?\b|\btotal\s+(?:credits?|hours?)\b", re.I)


def cells(line: str) -> list[str]:
    """Split a line at wide gaps into cells (columns of a table or a two-column layout)."""
    return [c.strip() for c in CELL_SPLIT.split(line) if c.strip()]


def clean_value(value: str) -> str:
    """Trim quotes, bullets, trailing punctuation and leftover label colons from a value."""
    value = value.strip().strip("\"“”‘’'").strip()
    value = re.sub(r"^[\-–—:•*\s]+", "", value)
    value = re.sub(r"[\s,;:\-–—]+$", "", value)
    return value.strip("\"“”‘’'").strip()
