"""What a worker must share with this machine for its results to equal a local run's.

Package versions, tesseract and leptonica, the CPU features tesseract's dot product uses (its
choice of SIMD kernel can change a page's reading slightly) and the hash of the traineddata
files in use. A cluster whose workers differ is refused before any work starts, with the
worker and the difference named.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import re
import subprocess
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pytesseract

#: Python distributions whose version can change a result, or the exchange with the workers.
PACKAGES = (
    "cme-batch", "numpy", "pandas", "pillow", "pypdf", "pypdfium2", "pytesseract",
    "rapidfuzz", "dask", "distributed", "cloudpickle", "msgpack",
)  # fmt: skip
#: Language data tesseract loads: English text and the orientation detector.
TRAINEDDATA = ("eng", "osd")
_TIMEOUT = 30


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _run(*args: str) -> str:
    command = [pytesseract.pytesseract.tesseract_cmd, *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"cannot run tesseract ({exc})"
    return done.stdout + done.stderr


def _tesseract() -> dict[str, str]:
    text = _run("--version")
    first = re.search(r"tesseract\s+(\S+)", text)
    leptonica = re.search(r"leptonica-(\S+)", text)
    simd = re.findall(r"Found (AVX\S*|FMA|SSE\S*|NEON|RVV)", text)
    facts = {
        "tesseract": first.group(1) if first else text.strip()[:80],
        "leptonica": leptonica.group(1) if leptonica else "unknown",
        "tesseract SIMD": " ".join(simd) or "none",
    }
    listing = _run("--list-langs")
    folder = re.search(r'languages in "([^"]+)"', listing)
    for lang in TRAINEDDATA:
        facts[f"{lang}.traineddata"] = (
            _sha256(Path(folder.group(1)) / f"{lang}.traineddata") if folder else "not found"
        )
    return facts


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "not found"


@lru_cache(maxsize=1)
def software_facts() -> dict[str, str]:
    """This process's software facts (asked once per process: they do not change)."""
    facts = {"python": platform.python_version()}
    facts.update({name: _version(name) for name in PACKAGES})
    facts.update(_tesseract())
    return facts


def digest(facts: Mapping[str, str]) -> str:
    """A short digest of ``facts``, for the check each task makes on its worker."""
    return hashlib.sha256(json.dumps(dict(facts), sort_keys=True).encode()).hexdigest()


def differences(here: Mapping[str, str], there: Mapping[str, str]) -> list[str]:
    """How ``there`` differs from ``here``, one line per fact (empty when the same)."""
    return [
        f"{name} {here.get(name, 'missing')} here, {there.get(name, 'missing')} there"
        for name in sorted(set(here) | set(there))
        if here.get(name) != there.get(name)
    ]


def mismatch_message(worker: str, lines: list[str]) -> str:
    """The message that refuses a worker whose software differs."""
    return (
        f"Dask worker {worker} does not have the same software as this machine, so its "
        f"results could differ from a local run: {'; '.join(lines)}. Install the same "
        "versions on every worker (see docs/scale-out.md), or run with --executor local"
    )


def inbox_visible(path: str) -> bool:
    """Whether this process sees the inbox folder at ``path`` (run on each worker)."""
    return os.path.isdir(path)
