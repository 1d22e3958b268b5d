"""CPU seconds this process spends in each reading stage, for the speed benchmark.

The stages are ``rasterise`` (PDF page or image file to pixels), ``preprocess`` (grey, scale,
light, speckle, skew, rules), ``ocr`` (the first reading of each page, this process's share:
writing the image for tesseract and turning its words into the page model) and ``reread``
(second readings and region re-reads, likewise). Tesseract's own CPU seconds are counted by
the engine (:data:`cme_batch.extract.engine.COUNTERS`); parsing is the rest.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

#: CPU seconds by stage, accumulated over this process's life.
SECONDS: dict[str, float] = {}


@contextlib.contextmanager
def timed(stage: str) -> Iterator[None]:
    """Add the CPU seconds (this process's, not tesseract's) spent in the block to ``stage``."""
    started = time.process_time()
    try:
        yield
    finally:
        SECONDS[stage] = SECONDS.get(stage, 0.0) + time.process_time() - started
