"""The OCR engine interface: the one place that knows tesseract.

Everything else reads pages through :class:`OcrEngine`: a page or region read into words with
boxes and confidences (tesseract's TSV), and an orientation guess (tesseract's OSD). Three
engines implement it:

* :class:`TesseractEngine` runs the ``tesseract`` program, one process per call, so a hung or
  crashing tesseract costs its page (timeout, error), never the worker, and no state carries
  from one page to the next.
* :class:`TesserocrEngine` runs the same tesseract library in the worker (tesserocr): no
  process, image file or model load per call. Chosen by default when it runs the program's
  own tesseract version, so that it reads word for word as the program does.
* :class:`ReplayEngine` answers from recordings of real tesseract output (files keyed by the
  image's pixels and the settings), so the fast test tier reads every OCR'd test document
  without tesseract installed. A call with no recording raises :class:`MissingRecordingError`,
  never a made-up reading.
* :class:`RecordingEngine` runs tesseract and stores each answer for the replay engine.

Which one a process uses is :func:`current`: ``CME_BATCH_OCR_ENGINE`` (``auto``, the
default; ``tesseract``; ``tesserocr``; ``replay``; ``record``) with ``CME_BATCH_OCR_RECORDINGS``
naming the recordings folder.
Both are environment variables so worker processes, however started, use the same engine.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from cme_batch.errors import MissingDependencyError

ENGINE_VARIABLE = "CME_BATCH_OCR_ENGINE"
RECORDINGS_VARIABLE = "CME_BATCH_OCR_RECORDINGS"
#: The tesseract program to run (default: ``tesseract`` on ``PATH``).
PROGRAM_VARIABLE = "CME_BATCH_TESSERACT"
_MIN_VERSION = (4, 1)


class OcrTimeoutError(Exception):
    """Tesseract did not finish a page within the timeout."""


class OcrFailedError(Exception):
    """Tesseract refused or crashed on an image (the page is unreadable, the run goes on)."""


class MissingRecordingError(Exception):
    """The replay engine has no recording for this image and these settings."""


@dataclass(frozen=True, slots=True)
class RawWord:
    """One word of tesseract's TSV output, in pixels of the image read.

    Attributes:
        text: The word as read.
        left: Left edge.
        top: Top edge.
        width: Box width.
        height: Box height.
        conf: Tesseract's word confidence, 0..100.
        block: Tesseract's block number.
        par: Paragraph number within the block.
        line: Line number within the paragraph.
    """

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int = 0
    par: int = 0
    line: int = 0


@dataclass(frozen=True)
class Settings:
    """How one image is read.

    Attributes:
        psm: Tesseract's page segmentation mode (3 page, 4 column, 6 block, 7 line, 11 sparse).
        whitelist: Only these characters are recognised (empty: all).
        thresholding: Tesseract 5's ``thresholding_method`` (0 Otsu, 1 LeptonicaOtsu,
            2 Sauvola); ``None`` leaves tesseract's default.
    """

    psm: int = 3
    whitelist: str = ""
    thresholding: int | None = None

    def arguments(self) -> list[str]:
        """The settings as tesseract command-line arguments."""
        args = ["--psm", str(self.psm)]
        if self.whitelist:
            args += ["-c", f"tessedit_char_whitelist={self.whitelist}"]
        if self.thresholding is not None:
            args += ["-c", f"thresholding_method={self.thresholding}"]
        return args

    def key(self) -> str:
        """A stable text naming these settings (part of a recording's key)."""
        return " ".join(self.arguments())


@dataclass
class Counters:
    """What one process's engine did: calls by kind and the CPU seconds tesseract spent.

    Attributes:
        calls: Tesseract calls by kind (``page``, ``region``, ``osd``).
        cpu: CPU seconds of the tesseract processes by kind (0 for the replay engine).
        wall: Wall seconds spent waiting for tesseract by kind.
    """

    calls: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)

    def add(self, kind: str, cpu: float, wall: float) -> None:
        """Count one call of ``kind``."""
        self.calls[kind] = self.calls.get(kind, 0) + 1
        self.cpu[kind] = self.cpu.get(kind, 0.0) + cpu
        self.wall[kind] = self.wall.get(kind, 0.0) + wall


#: This process's engine counters (read by ``tools/bench_speed.py``).
COUNTERS = Counters()


class OcrEngine(Protocol):
    """What the readers need from an OCR engine."""

    def version(self) -> str:
        """The engine's version; raises :class:`MissingDependencyError` when it cannot run."""
        ...  # pragma: no cover

    def read(
        self, image: Image.Image, settings: Settings, timeout: float, kind: str = "page"
    ) -> list[RawWord]:
        """Read an image (a page, or a region cut from one) into words with boxes.

        Args:
            image: The prepared image.
            settings: Segmentation mode, whitelist, thresholding.
            timeout: Seconds the reading may take.
            kind: ``page`` for a whole page, ``region`` for a part (counted apart).

        Raises:
            OcrTimeoutError: The reading took longer than ``timeout``.
            OcrFailedError: Tesseract refused or crashed on the image.
        """
        ...  # pragma: no cover

    def orientation(self, image: Image.Image, timeout: float) -> tuple[int, float]:
        """How far a page is turned: ``(degrees clockwise to make it upright, confidence)``.

        ``(0, 0.0)`` when the page has too little text to tell.

        Raises:
            OcrTimeoutError: The detection took longer than ``timeout``.
        """
        ...  # pragma: no cover


def parse_tsv(tsv: str) -> list[RawWord]:
    """Tesseract's TSV output as words (level-5 rows with text and a confidence)."""
    words: list[RawWord] = []
    lines = tsv.splitlines()
    if not lines:
        return words
    header = lines[0].split("\t")
    index = {name: n for n, name in enumerate(header)}
    needed = ("level", "block_num", "par_num", "line_num", "left", "top", "width", "height")
    if any(name not in index for name in (*needed, "conf", "text")):
        return words
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < len(header) or cells[index["level"]] != "5":
            continue
        text = cells[index["text"]].strip()
        conf = float(cells[index["conf"]])
        if not text or conf < 0:
            continue
        words.append(
            RawWord(
                text=text,
                left=int(cells[index["left"]]),
                top=int(cells[index["top"]]),
                width=int(cells[index["width"]]),
                height=int(cells[index["height"]]),
                conf=conf,
                block=int(cells[index["block_num"]]),
                par=int(cells[index["par_num"]]),
                line=int(cells[index["line_num"]]),
            )
        )
    return words


def parse_osd(osd: str) -> tuple[int, float]:
    """Tesseract's OSD report as ``(degrees, orientation confidence)``."""
    rotate = re.search(r"Rotate:\s*(\d+)", osd)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", osd)
    return (int(rotate.group(1)) if rotate else 0), (float(conf.group(1)) if conf else 0.0)


def image_key(image: Image.Image, call: str) -> str:
    """A recording's key: SHA-256 of the image's mode, size and pixels, and the call."""
    digest = hashlib.sha256()
    digest.update(f"{image.mode} {image.width}x{image.height} {call}\0".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _image_file(image: Image.Image) -> Iterator[str]:
    """The image saved as an uncompressed PNM file for tesseract to read.

    zlib-compressing a 300 dpi page as PNG costs about a tenth of tesseract's own time on it;
    a PNM file is written as is.
    """
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    with tempfile.TemporaryDirectory(prefix="cme-ocr-") as folder:
        path = os.path.join(folder, "page.pnm")
        image.save(path, format="PPM")
        yield path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TesseractEngine:
    """The ``tesseract`` program, one process per call, single-threaded.

    Args:
        program: The program to run; default ``CME_BATCH_TESSERACT`` or ``tesseract``.
    """

    def __init__(self, program: str | None = None) -> None:
        self.program = program or os.environ.get(PROGRAM_VARIABLE) or "tesseract"

    def version(self) -> str:
        """The tesseract version, after checking it can run and has English data."""
        return _checked_version(self.program)

    def _run(self, image: Image.Image, args: list[str], timeout: float, kind: str) -> str:
        # One thread per process: the batch parallelises across pages, and tesseract's own
        # OpenMP threads only fight the other workers for the cores.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        started, cpu = time.perf_counter(), _children_cpu()
        with _image_file(image) as path:
            try:
                done = subprocess.run(
                    [self.program, path, "stdout", *args],
                    capture_output=True,
                    timeout=timeout,
                    env=env,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                # subprocess.run has killed and reaped the process: nothing hangs on.
                raise OcrTimeoutError(f"tesseract took longer than {timeout:g} s") from exc
            except OSError as exc:
                raise OcrFailedError(f"tesseract cannot be run: {exc}") from exc
            finally:
                COUNTERS.add(kind, _children_cpu() - cpu, time.perf_counter() - started)
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrFailedError(
                f"tesseract failed (exit code {done.returncode})"
                + (f": {message[-1]}" if message else "")
            )
        return done.stdout.decode("utf-8", "replace")

    def read_tsv(self, image: Image.Image, settings: Settings, timeout: float, kind: str) -> str:
        """Tesseract's raw TSV for an image (what the recording engine stores)."""
        return self._run(image, [*settings.arguments(), "tsv"], timeout, kind)

    def read(
        self, image: Image.Image, settings: Settings, timeout: float, kind: str = "page"
    ) -> list[RawWord]:
        """Read an image into words (see :meth:`OcrEngine.read`)."""
        return parse_tsv(self.read_tsv(image, settings, timeout, kind))

    def read_osd(self, image: Image.Image, timeout: float) -> str:
        """Tesseract's raw OSD report, empty when the page has too little text."""
        try:
            return self._run(
                image, ["--psm", "0", "-c", "min_characters_to_try=10"], timeout, "osd"
            )
        except OcrFailedError:
            # Too few characters to decide is an error exit for tesseract's OSD.
            return ""

    def orientation(self, image: Image.Image, timeout: float) -> tuple[int, float]:
        """Tesseract's orientation detector (see :meth:`OcrEngine.orientation`)."""
        return parse_osd(self.read_osd(image, timeout))


@lru_cache(maxsize=4)
def _checked_version(program: str) -> str:
    if shutil.which(program) is None:
        raise MissingDependencyError(
            "tesseract is not installed: install it with 'apt-get install tesseract-ocr' "
            "(or run 'make demo', which does)"
        )
    try:
        done = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        langs = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise MissingDependencyError(
            f"tesseract cannot be run ({exc}): reinstall tesseract-ocr"
        ) from exc
    found = re.search(r"tesseract\s+v?(\d+(?:\.\d+)*)", done.stdout + done.stderr)
    if done.returncode != 0 or found is None:
        raise MissingDependencyError("tesseract cannot be run: reinstall tesseract-ocr")
    version = found.group(1)
    parts = tuple(int(p) for p in version.split(".")[:2])
    if parts < _MIN_VERSION:
        raise MissingDependencyError(
            f"tesseract {version} is too old: install tesseract 5 (tesseract-ocr)"
        )
    if "eng" not in langs.stdout.split():
        raise MissingDependencyError("tesseract has no English data: install tesseract-ocr-eng")
    return version


class _Recordings:
    """A folder of recordings: one gzip'd JSON file per (image, call), named by its key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json.gz"

    def load(self, key: str) -> dict[str, str] | None:
        try:
            with gzip.open(self.path(key), "rt", encoding="utf-8") as fh:
                loaded: dict[str, str] = json.load(fh)
                return loaded
        except FileNotFoundError:
            return None

    def save(self, key: str, record: dict[str, str]) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same answer gives the same bytes, so re-recording changes no file.
        data = json.dumps(record, sort_keys=True).encode("utf-8")
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        # filename="": the header would otherwise name the temporary file (its pid).
        with (
            open(temporary, "wb") as raw,
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as fh,
        ):
            fh.write(data)
        os.replace(temporary, path)


def _call(settings: Settings | None) -> str:
    return "osd" if settings is None else f"tsv {settings.key()}"


class ReplayEngine:
    """Answers from recordings of real tesseract output; never runs tesseract.

    Args:
        folder: The recordings folder (see :class:`RecordingEngine`).
    """

    def __init__(self, folder: Path) -> None:
        self.recordings = _Recordings(folder)

    def version(self) -> str:
        """The version of the tesseract the recordings were made with."""
        record = self.recordings.load("version")
        if record is None:
            raise MissingDependencyError(
                f"no OCR recordings in {self.recordings.folder}: record them with "
                f"{ENGINE_VARIABLE}=record (needs tesseract)"
            )
        return record["version"]

    def _answer(self, image: Image.Image, settings: Settings | None) -> str:
        call = _call(settings)
        key = image_key(image, call)
        record = self.recordings.load(key)
        if record is None:
            raise MissingRecordingError(
                f"no recording of {call!r} for image {key[:12]} ({image.width}x{image.height}); "
                f"record it with {ENGINE_VARIABLE}=record (needs tesseract)"
            )
        return record["output"]

    def read(
        self, image: Image.Image, settings: Settings, timeout: float, kind: str = "page"
    ) -> list[RawWord]:
        """The recorded words (see :meth:`OcrEngine.read`)."""
        COUNTERS.add(kind, 0.0, 0.0)
        return parse_tsv(self._answer(image, settings))

    def orientation(self, image: Image.Image, timeout: float) -> tuple[int, float]:
        """The recorded orientation (see :meth:`OcrEngine.orientation`)."""
        COUNTERS.add("osd", 0.0, 0.0)
        return parse_osd(self._answer(image, None))


class RecordingEngine:
    """Tesseract, storing each answer for :class:`ReplayEngine`.

    Args:
        folder: Where the recordings go.
        real: The engine that reads.
    """

    def __init__(self, folder: Path, real: TesseractEngine | TesserocrEngine | None = None) -> None:
        self.recordings = _Recordings(folder)
        self.real = real or TesseractEngine()

    def version(self) -> str:
        """The real version, recorded for the replay engine."""
        version = self.real.version()
        self.recordings.save("version", {"version": version})
        return version

    def read(
        self, image: Image.Image, settings: Settings, timeout: float, kind: str = "page"
    ) -> list[RawWord]:
        """Read with tesseract and record the TSV (see :meth:`OcrEngine.read`)."""
        tsv = self.real.read_tsv(image, settings, timeout, kind)
        self.recordings.save(image_key(image, _call(settings)), {"output": tsv})
        return parse_tsv(tsv)

    def orientation(self, image: Image.Image, timeout: float) -> tuple[int, float]:
        """Detect with tesseract and record the report (see :meth:`OcrEngine.orientation`)."""
        osd = self.real.read_osd(image, timeout)
        self.recordings.save(image_key(image, _call(None)), {"output": osd})
        return parse_osd(osd)


#: The TSV header tesseract's own TSV renderer writes (the API's page text has none).
_TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)
#: Where Debian (and most Linux distributions) keep tesseract's language data.
_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")


def _tessdata() -> str:
    """The folder of tesseract's language data: ``TESSDATA_PREFIX`` or the system's."""
    prefix = os.environ.get("TESSDATA_PREFIX", "")
    for folder in (prefix, *_TESSDATA):
        if folder and os.path.isfile(os.path.join(folder, "eng.traineddata")):
            return folder
    raise MissingDependencyError(
        "tesseract has no English data: install tesseract-ocr-eng (or set TESSDATA_PREFIX)"
    )


#: Bytes per pixel tesseract is told for each image mode: 0 is one bit per pixel, packed with
#: the first pixel in the high bit and 1 meaning white, as Pillow packs a ``1`` image.
_BYTES_PER_PIXEL = {"1": 0, "L": 1, "RGB": 3}


def _set_pixels(api: Any, image: Image.Image) -> None:
    """Hand tesseract the image's pixels as they are, with no resolution.

    Raw pixels cost no image file or encoding, and no resolution is what the program gets from
    the PNM file :class:`TesseractEngine` writes: tesseract then uses the same default and
    reads the page word for word as the program does (measured: identical TSV on the
    evaluation set's scans). Pillow's ``SetImage`` route writes a BMP that says 96 dpi, which
    reads differently.
    """
    if image.mode not in _BYTES_PER_PIXEL:
        image = image.convert("RGB")
    depth = _BYTES_PER_PIXEL[image.mode]
    line = (image.width + 7) // 8 if depth == 0 else image.width * depth
    api.SetImageBytes(image.tobytes(), image.width, image.height, depth, line)


class TesserocrEngine:
    """Tesseract in this process through ``tesserocr``: the model loads once per worker.

    A page costs no new process, no image file and no model load. The page timeout is
    tesseract's own deadline; every call sets all its variables, so no reading depends on
    the one before. A crash here costs the worker and its file (the pool's isolation), not
    the run.
    """

    def __init__(self) -> None:
        self._tesserocr = _import_tesserocr()
        self._path = _tessdata()
        self._loaded: Any = None
        self._osd: object | None = None

    @property
    def _api(self) -> Any:
        # The model loads at the first reading, not when the engine is made: the coordinating
        # process only asks the version, and its workers read.
        if self._loaded is None:
            self._loaded = self._tesserocr.PyTessBaseAPI(path=self._path, lang="eng")
        return self._loaded

    def version(self) -> str:
        """The version of the tesseract library tesserocr runs."""
        return _library_version(self._tesserocr)

    def read(
        self, image: Image.Image, settings: Settings, timeout: float, kind: str = "page"
    ) -> list[RawWord]:
        """Read an image into words (see :meth:`OcrEngine.read`)."""
        return parse_tsv(self.read_tsv(image, settings, timeout, kind))

    def read_tsv(self, image: Image.Image, settings: Settings, timeout: float, kind: str) -> str:
        """Tesseract's TSV for an image, header included, as the program writes it."""
        api = self._api
        started = time.perf_counter()
        try:
            api.SetPageSegMode(settings.psm)
            api.SetVariable("tessedit_char_whitelist", settings.whitelist)
            api.SetVariable(
                "thresholding_method",
                str(settings.thresholding if settings.thresholding is not None else 0),
            )
            _set_pixels(api, image)
            done = api.Recognize(timeout=max(1, int(timeout * 1000)))
            # Past its deadline tesseract stops and may keep what it read so far: a partial
            # page is a page not read, never a complete one.
            if time.perf_counter() - started >= timeout:
                raise OcrTimeoutError(f"tesseract took longer than {timeout:g} s")
            if not done:
                raise OcrFailedError("tesseract failed on the image")
            body = api.GetTSVText(0) or ""
        except RuntimeError as exc:
            raise OcrFailedError(f"tesseract failed: {exc}") from exc
        finally:
            api.Clear()
            api.ClearAdaptiveClassifier()
            # Tesseract's CPU seconds here are this process's own, already in the stage timers
            # (cme_batch.extract.stages): counted there, not twice.
            COUNTERS.add(kind, 0.0, time.perf_counter() - started)
        return _TSV_HEADER + "\n" + body

    def read_osd(self, image: Image.Image, timeout: float) -> str:
        """An OSD report in the program's words (``Rotate:``, ``Orientation confidence:``)."""
        tesserocr = self._tesserocr
        if self._osd is None:
            self._osd = tesserocr.PyTessBaseAPI(
                path=self._path, lang="osd", psm=tesserocr.PSM.OSD_ONLY
            )
        api: Any = self._osd
        started = time.perf_counter()
        try:
            api.SetVariable("min_characters_to_try", "10")
            _set_pixels(api, image)
            found = api.DetectOrientationScript()
        except RuntimeError:
            found = None
        finally:
            api.Clear()
            COUNTERS.add("osd", 0.0, time.perf_counter() - started)
        if not found:
            return ""
        # The API gives the page's orientation; the program reports the turn that undoes it.
        rotate = (360 - int(found["orient_deg"])) % 360
        return f"Rotate: {rotate}\nOrientation confidence: {float(found['orient_conf']):.2f}\n"

    def orientation(self, image: Image.Image, timeout: float) -> tuple[int, float]:
        """Tesseract's orientation detector (see :meth:`OcrEngine.orientation`)."""
        return parse_osd(self.read_osd(image, timeout))


def current() -> OcrEngine:
    """The engine this process reads with, from :data:`ENGINE_VARIABLE`.

    ``auto`` (the default) is tesseract in-process (:class:`TesserocrEngine`) when tesserocr
    runs the same tesseract as the ``tesseract`` program (it then reads as the program does,
    for less CPU), else the program; ``tesseract`` is always the program (and ``auto`` with
    :data:`PROGRAM_VARIABLE` set); ``tesserocr`` is in-process whatever its tesseract;
    ``replay`` and ``record`` use :data:`RECORDINGS_VARIABLE`.

    Raises:
        MissingDependencyError: An unknown engine name, or replay/record without a folder.
    """
    name = os.environ.get(ENGINE_VARIABLE, "auto").strip().lower() or "auto"
    folder = os.environ.get(RECORDINGS_VARIABLE, "")
    # Keyed by process: a worker forked from the main process makes its own engine rather
    # than sharing the parent's in-process tesseract state.
    return _engine(name, folder, os.environ.get(PROGRAM_VARIABLE, ""), os.getpid())


def _import_tesserocr() -> Any:
    """The tesserocr module, loaded with tesseract held to one thread per process.

    OpenMP reads its thread limit once, when tesseract's library loads: set any later, the
    limit is ignored and every worker's tesseract spins threads against the others (measured:
    six times the CPU seconds on two cores).
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import tesserocr

    return tesserocr


def _library_version(tesserocr: Any) -> str:
    found = re.search(r"(\d+(?:\.\d+)*)", tesserocr.tesseract_version())
    return found.group(1) if found else "unknown"


def _in_process_reads_as(program: str) -> bool:
    """Whether tesserocr is installed and runs the same tesseract as ``program``.

    The same library reads word for word as the program (same pixels, same settings, no
    resolution): then in-process reading is only cheaper. A tesserocr wheel that bundles
    another tesseract reads differently, so ``auto`` keeps the program.
    """
    try:
        tesserocr = _import_tesserocr()
        return _library_version(tesserocr) == _checked_version(program)
    except (ImportError, MissingDependencyError):
        return False


def _real(name: str, program: str) -> OcrEngine:
    if name == "tesseract" or (name == "auto" and program):
        # A named program (CME_BATCH_TESSERACT) is a choice of tesseract: it is run as is.
        return TesseractEngine(program or None)
    if name == "auto":
        if _in_process_reads_as("tesseract"):
            return TesserocrEngine()
        return TesseractEngine()
    try:
        return TesserocrEngine()
    except ImportError:
        raise MissingDependencyError(
            "tesserocr is not installed: pip install 'cme-batch[tesserocr]', or use the "
            f"tesseract program ({ENGINE_VARIABLE}=tesseract)"
        ) from None


@lru_cache(maxsize=4)
def _engine(name: str, folder: str, program: str, pid: int) -> OcrEngine:
    if name in ("auto", "tesseract", "tesserocr"):
        return _real(name, program)
    if name in ("replay", "record"):
        if not folder:
            raise MissingDependencyError(
                f"{ENGINE_VARIABLE}={name} needs {RECORDINGS_VARIABLE} set to a folder"
            )
        if name == "replay":
            return ReplayEngine(Path(folder))
        real = _real("auto", program)
        assert isinstance(real, TesseractEngine | TesserocrEngine)
        return RecordingEngine(Path(folder), real)
    raise MissingDependencyError(
        f"{ENGINE_VARIABLE}={name!r} is not an OCR engine: use auto, tesserocr, tesseract, "
        "replay or record"
    )
