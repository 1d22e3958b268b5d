"""Tag activities with Massachusetts topics from their title and their requirement statements.

The cues are data (``topics.toml``, part of the lexicon). A title is tagged by a topic's
``title`` cues; a sentence of the certificate body is searched with the topic's ``statement``
cues only when it states a requirement ("This activity meets the Board's requirement for
end-of-life care"), so a passing mention (a learning objective naming opioids) tags nothing.
A topic's ``trap`` cues name look-alike wording (cardiovascular *risk* management, *board
review*, chronic-*pain* physiology): the text they match is taken out before the topic's cues
are tried, so the look-alike tags nothing while the rest of the title still can.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cme_batch.fields import lexicon

#: A word that makes a body sentence a requirement statement ("meets", "satisfies", ...).
_VERB = lexicon.pattern(
    "topics._VERB", lambda w: r"\b(?:" + w("requirement_statement.verb") + r")\b", re.I
)

#: A sentence ends at a full stop followed by a space or the end of the line; a decimal
#: point ("2.00 credits", "243 CMR 2.06") does not end one.
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)")

#: A statement wrapped on a printed page runs on to the next line (one line at most: a
#: certificate's lines rarely end sentences with a full stop, and the line after next is
#: usually another field).
_RUN_ON_LINES = 1

#: What a trap's text is replaced with: a break no cue can match across.
_CUT = " | "

#: Topics that count toward risk management in every rule set (ma_2012.toml, ma_2018.toml).
#: A certificate's statement that such a course "qualifies as risk management study" adds
#: nothing the topic does not already give (an activity counts once toward a bucket), so it
#: is not kept as a second topic. Wellness is not one of them: it fills at most part of the
#: bucket, and a certificate that says its course is risk management study is kept as such.
_COUNT_AS_RISK_MANAGEMENT = frozenset({"opioid_pain", "end_of_life", "ehr", "board_regulations"})


def requirement_statements(body: str) -> list[str]:
    """The sentences of ``body`` that state a requirement, each with its wrapped run-on line.

    Args:
        body: Certificate text, lines separated by newlines.
    """
    lines = body.splitlines()
    statements: list[str] = []
    for number, line in enumerate(lines):
        for verb in _VERB.finditer(line):
            start = _sentence_start(line, verb.start())
            text = line[start:]
            end = _SENTENCE_END.search(text, verb.end() - start)
            if end is None:
                run_on = lines[number + 1 : number + 1 + _RUN_ON_LINES]
                text = " ".join([text, *run_on])
                end = _SENTENCE_END.search(text, verb.end() - start)
            statements.append(text[: end.start()] if end else text)
    return list(dict.fromkeys(s.strip() for s in statements if s.strip()))


def _sentence_start(line: str, at: int) -> int:
    """Where the sentence containing position ``at`` of ``line`` begins."""
    ends = [m.end() for m in _SENTENCE_END.finditer(line, 0, at)]
    return ends[-1] if ends else 0


def without_traps(text: str, traps: Sequence[re.Pattern[str]]) -> str:
    """``text`` with every span a trap cue matches cut out."""
    for trap in traps:
        text = trap.sub(_CUT, text)
    return text


def _tags(text: str, cues: Sequence[re.Pattern[str]], traps: Sequence[re.Pattern[str]]) -> bool:
    if not text or not cues:
        return False
    kept = without_traps(text, traps)
    return any(cue.search(kept) for cue in cues)


def infer_topics(title: str, body: str = "") -> list[str]:
    """Return the sorted topic ids of an activity.

    Args:
        title: The activity title.
        body: The rest of the certificate text, searched only in requirement statements.
    """
    statements = requirement_statements(body) if body else []
    by_title: set[str] = set()
    by_statement: set[str] = set()
    for topic, cues in lexicon.current().topics.items():
        if _tags(title, cues.title, cues.trap):
            by_title.add(topic)
        elif any(_tags(s, cues.statement, cues.trap) for s in statements):
            by_statement.add(topic)
    found = by_title | by_statement
    if "risk_management" in by_statement and found & _COUNT_AS_RISK_MANAGEMENT:
        found.discard("risk_management")
    return sorted(found)
