"""Jinja2 environments for notices and the digest, from the top-level ``templates/`` folder.

Two environments because the two outputs need opposite escaping: the HTML part and the HTML
digest autoescape every value (a name like ``<script>`` shows as text), while the plain-text
part and the subject must not turn ``&`` into ``&amp;``. Subjects are flattened to one line
afterwards (:func:`cme_batch.notices.address.header_text`), so a template cannot produce a
header break either.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import jinja2

from cme_batch.assets import template_root
from cme_batch.notices.address import header_text


def _credits(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _long_date(value: dt.date | None) -> str:
    return "(no date)" if value is None else f"{value:%B} {value.day}, {value:%Y}"


def _read(name: str) -> str:
    return template_root().joinpath(name).read_text(encoding="utf-8")


def _environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_read),
        autoescape=html,  # noqa: S701 - plain text and subjects are not HTML; see above
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["credits"] = _credits
    env.filters["long_date"] = _long_date
    # Roster and certificate text on one line: a name cannot start a line of its own.
    env.filters["oneline"] = lambda value: header_text(str(value), 2_000)
    return env


@cache
def html_environment() -> jinja2.Environment:
    """Autoescaping environment for ``*.html.j2`` templates."""
    return _environment(html=True)


@cache
def text_environment() -> jinja2.Environment:
    """Non-escaping environment for ``*.txt.j2`` templates (plain text and subjects)."""
    return _environment(html=False)


def render(name: str, **context: object) -> str:
    """Render a template, choosing the environment by its name (``.html.j2`` escapes)."""
    env = html_environment() if name.endswith(".html.j2") else text_environment()
    return env.get_template(name).render(**context)
