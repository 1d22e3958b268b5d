"""Where the package's files that are not code live: the report and notice templates.

Standard library only, so that the fast path of an unchanged rerun (``cme_batch.fastpath``) can
include the templates in its digest of the software without importing jinja2.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_TEMPLATE_PACKAGE = "cme_batch.templates"


def template_root() -> Traversable:
    """Return the folder holding the templates.

    The installed ``cme_batch.templates`` package when present, else the checkout's top-level
    ``templates/`` folder beside the package (running from source).
    """
    try:
        root = resources.files(_TEMPLATE_PACKAGE)
        if root.joinpath("report.html.j2").is_file():
            return root
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "templates"
