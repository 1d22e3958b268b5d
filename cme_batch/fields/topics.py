"""Tag activities with Massachusetts topics from their title and their requirement statements."""

from __future__ import annotations

import re

from cme_batch.fields import lexicon

# A body sentence only tags a topic when it says the activity meets or counts toward something;
# a passing mention ("opioids" in a clinical course's learning objectives) does not.
_STATEMENT = lexicon.pattern(
    "topics._STATEMENT",
    lambda w: r"[^.\n]*\b(?:" + w("requirement_statement.verb") + r")\b[^.\n]*",
    re.I,
)


def infer_topics(title: str, body: str = "") -> list[str]:
    """Return the sorted topic ids of an activity.

    Args:
        title: The activity title.
        body: The rest of the certificate text, searched only in requirement statements.
    """
    statements = " ".join(m.group(0) for m in _STATEMENT.finditer(body))
    found = set()
    for topic, cues in lexicon.current().topics.items():
        by_title = any(p.search(title) for p in cues.title) and not any(
            p.search(title) for p in cues.trap
        )
        if by_title or (statements and any(p.search(statements) for p in cues.statement)):
            found.add(topic)
    return sorted(found)
