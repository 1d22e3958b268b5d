"""Tag activities with Massachusetts topics from their title and their requirement statements."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from cme_batch.schema import TOPICS

# A body sentence only tags a topic when it says the activity meets or counts toward something;
# a passing mention ("opioids" in a clinical course's learning objectives) does not.
_STATEMENT = re.compile(
    r"[^.\n]*\b(?:meets?|fulfil+s?|satisf(?:y|ies)|qualif(?:y|ies)|counts?\s+toward|applies\s+toward|"
    r"designated\s+as|approved\s+(?:for|as)|accepted\s+(?:for|as)|requirement)\b[^.\n]*",
    re.I,
)


@lru_cache(maxsize=1)
def topic_cues() -> dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]]:
    """Load ``topics.toml``: for each topic, its title cues and its statement cues.

    Raises:
        ValueError: The file names a topic outside the vocabulary or lacks cues.
    """
    raw = resources.files("cme_batch.fields").joinpath("topics.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    cues = {}
    for topic, entry in data.items():
        if topic not in TOPICS:
            raise ValueError(f"topics.toml: unknown topic {topic!r}")
        title = tuple(re.compile(p, re.I) for p in entry.get("title", []))
        statement = tuple(re.compile(p, re.I) for p in entry.get("statement", []))
        if not title:
            raise ValueError(f"topics.toml: topic {topic!r} has no title cues")
        cues[topic] = (title, statement)
    return cues


def infer_topics(title: str, body: str = "") -> list[str]:
    """Return the sorted topic ids of an activity.

    Args:
        title: The activity title.
        body: The rest of the certificate text, searched only in requirement statements.
    """
    statements = " ".join(m.group(0) for m in _STATEMENT.finditer(body))
    found = set()
    for topic, (title_cues, statement_cues) in topic_cues().items():
        if any(p.search(title) for p in title_cues) or (
            statements and any(p.search(statements) for p in statement_cues)
        ):
            found.add(topic)
    return sorted(found)
