"""What a Dask worker runs: a batch of files read with the roster and options it is given.

Nothing here reads worker-local settings (date, locale, configuration): the coordinator passes
everything a result depends on (the roster, and in the reading options the page timeout and
the office's lexicon), so a worker computes what this machine would. The as-of date and the
rule settings are not needed here: rules run on the coordinator only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pandas as pd

from cme_batch.executors import facts
from cme_batch.extract import ocr
from cme_batch.extract.document import ReadOptions
from cme_batch.fields import lexicon
from cme_batch.matching import RosterIndex
from cme_batch.process import DocResult, read_file

#: ``reader(path, kind, sha256, roster, options)``: reads one file (a test seam).
Reader = Callable[[str, str, str, RosterIndex, ReadOptions], DocResult]
#: One file of a batch: (task key, path on the worker, kind, sha256).
Item = tuple[str, str, str, str]

_INDEXES: dict[str, RosterIndex] = {}
_LOCK = threading.Lock()


class SoftwareMismatch(Exception):  # noqa: N818 - it travels back to the coordinator as is
    """The worker's software facts differ from the coordinator's (a worker that joined late)."""


def read_batch(
    items: tuple[Item, ...],
    roster: pd.DataFrame,
    roster_digest: str,
    options: ReadOptions,
    expected: str,
    reader: Reader = read_file,
) -> list[tuple[str, DocResult]]:
    """Read the files of one batch; returns (task key, result) for each, in order.

    Args:
        items: The files.
        roster: The roster (sent to each worker once by the coordinator).
        roster_digest: Its content digest: the roster index is built once per worker and roster.
        options: Reading options.
        expected: :func:`cme_batch.executors.facts.digest` of the coordinator's software.
        reader: Reads one file.

    Raises:
        SoftwareMismatch: This worker's software differs from the coordinator's.
    """
    here = facts.software_facts()
    if facts.digest(here) != expected:
        raise SoftwareMismatch(_worker_name(), here)
    ocr.limit_threads()
    # The coordinator's lexicon (its --lexicon files travel in the options): a worker started
    # by ``dask worker`` knows only the built-in one. Built once per worker and lexicon.
    lexicon.use(options.lexicon)
    index = _index(roster, roster_digest)
    return [(key, reader(path, kind, sha256, index, options)) for key, path, kind, sha256 in items]


def _index(roster: pd.DataFrame, roster_digest: str) -> RosterIndex:
    with _LOCK:
        index = _INDEXES.get(roster_digest)
        if index is None:
            # One roster at a time is kept: a worker serving run after run does not grow.
            _INDEXES.clear()
            index = _INDEXES[roster_digest] = RosterIndex(roster)
        return index


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "unknown worker"
