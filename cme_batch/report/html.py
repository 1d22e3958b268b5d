"""The self-contained HTML report and per-physician audit packets (jinja2).

Templates live in the top-level ``templates/`` folder, installed as the ``cme_batch.templates``
package. Everything is autoescaped; the only markup not escaped is this project's own CSS and
script and the JSON island (escaped for a ``<script>`` context by :func:`json_for_script`).
A Content-Security-Policy allows no network request at all and only the exact inline script and
style shipped here (by hash), so even a missed escape could not load or run anything.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from cme_batch.assets import template_root
from cme_batch.report.model import STATUS_ORDER, ReportModel
from cme_batch.report.safe import json_for_script, truncate
from cme_batch.report.views import PhysicianView, ReportView, build_view

logger = logging.getLogger(__name__)

#: Longest text shown for one value in HTML: a 40,000-character "title" would take the browser
#: seconds to lay out and bury the page; the workbook keeps up to Excel's cell limit.
HTML_TEXT_LIMIT = 2_000


def _read(name: str) -> str:
    return template_root().joinpath(name).read_text(encoding="utf-8")


def _fmt_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "–"


def _fmt_datetime(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "–"


def _fmt_credits(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = format(value.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def _fmt_days(value: int) -> str:
    if value < 0:
        return f"{-value} days ago"
    return "today" if value == 0 else f"in {value} days"


def _fmt_percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _fmt_status(value: str) -> str:
    return value.replace("_", " ")


def _finalize(value: object) -> object:
    """Cut every untrusted string the templates print (our own Markup passes unchanged)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return truncate(value, HTML_TEXT_LIMIT)
    return value


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_read),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[..., str]] = {
        "date": _fmt_date,
        "datetime": _fmt_datetime,
        "credits": _fmt_credits,
        "days": _fmt_days,
        "percent": _fmt_percent,
        "status_label": _fmt_status,
    }
    env.filters.update(filters)
    return env


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _csp(css: str, js: str | None) -> str:
    script = _hash(js) if js is not None else "'none'"
    return (
        f"default-src 'none'; style-src {_hash(css)}; script-src {script}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _table_data(view: ReportView) -> list[dict[str, Any]]:
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    cut = partial(truncate, limit=HTML_TEXT_LIMIT)
    return [
        {
            "name": cut(p.name.casefold()),
            "id": p.physician_id,
            "license": p.license_type,
            "renewal": p.renewal_date.isoformat() if p.renewal_date else None,
            "days": p.days_to_renewal,
            "status": p.status,
            "rank": rank.get(p.status, len(rank)),
            "missing": cut(p.missing),
            "search": cut(" ".join((p.name, p.physician_id, p.license_type, p.missing)).casefold()),
        }
        for p in view.physicians
    ]


def render_html(model: ReportModel) -> str:
    """Return the group report as one self-contained HTML document."""
    view = build_view(model)
    css, js = _read("report.css"), _read("report.js")
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            run=model.run,
            view=view,
            css=Markup(css),  # noqa: S704 - this project's constant stylesheet
            js=Markup(js),  # noqa: S704 - this project's constant script
            csp=_csp(css, js),
            table_json=json_for_script(_table_data(view)),
        )
    )


def render_physician_packet(model: ReportModel, physician_id: str) -> str:
    """Return one physician's audit packet as a self-contained HTML document.

    Raises:
        KeyError: When the physician is not in the model.
    """
    own = model.for_physician(physician_id)
    view = build_view(own)
    physician: PhysicianView = view.physicians[0]
    css = _read("report.css")
    rule_sets = [r for r in model.run.rule_sets if r.name == physician.rule_set]
    return (
        _environment()
        .get_template("packet.html.j2")
        .render(
            run=model.run,
            physician=physician,
            rule_sets=rule_sets,
            css=Markup(css),  # noqa: S704 - this project's constant stylesheet
            csp=_csp(css, None),
        )
    )


def write_html(model: ReportModel, path: Path | str) -> Path:
    """Write the group report (dashboard, physician table, audit packets, review queue).

    Args:
        model: The report model.
        path: Where to write the ``.html`` (links to inbox files are relative to its folder).

    Returns:
        The path written.
    """
    target = Path(path)
    target.write_text(render_html(model), encoding="utf-8")
    # Debug only: ``target`` is usually the temporary name the caller renames into place.
    logger.debug("wrote HTML report %s", target)
    return target


def write_physician_packet(model: ReportModel, physician_id: str, path: Path | str) -> Path:
    """Write one physician's audit packet, a page that mentions no other physician.

    Args:
        model: The report model.
        physician_id: The roster id.
        path: Where to write the ``.html``.

    Returns:
        The path written.

    Raises:
        KeyError: When the physician is not in the model.
    """
    target = Path(path)
    target.write_text(render_physician_packet(model, physician_id), encoding="utf-8")
    logger.debug("wrote audit packet %s for %s", target, physician_id)
    return target
