"""The cue vocabulary as data: loaded and validated once, and the patterns built from it.

The words that locate a certificate's fields (label words by role, credit systems with the
names that mark their amounts, item markers, name phrases, topic cues) are data, in
``lexicon.toml``, ``credit_systems.toml`` and ``topics.toml`` beside this module, and in an
office's own lexicon files (``cme-batch run --lexicon FILE``), whose entries are added to the
built-in ones. The readers keep only the shapes around the words: each of their patterns is a
:class:`LivePattern`, a shape that joins a role's entries as alternatives, built from the
lexicon in force in the process.

A lexicon is checked in full when it is loaded: every role the readers use is present, every
entry compiles, captures nothing and does not match empty text, every credit system is complete,
every topic is one the rule files know, and every pattern built from the entries compiles. The
first problem raises :class:`LexiconError`, naming the file and the entry; the command line
stops with exit code 7 before any document is read.

One lexicon is in force per process (:func:`current`). The main process sets it with
:func:`configure` before reading; worker processes get the office files' text with their read
options and set the same one with :func:`use`, whatever starts them.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from cme_batch.errors import CmeBatchError, ExitCode
from cme_batch.schema import TOPICS

#: The built-in lexicon files, in the order their entries are read.
BUILT_IN: Final[tuple[str, ...]] = ("lexicon.toml", "credit_systems.toml", "topics.toml")

#: Every word role the readers use: table -> its lists of fragments. The built-in files must
#: give each of them; an office file may add to any of them.
WORD_ROLES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "names": (
            "label", "phrase", "verb_after", "salutation", "run_on", "not_a_name", "degree",
        ),
        "titles": (
            "label", "phrase", "format", "kind", "naming", "activity_type", "ends_before",
            "open_end", "noise",
        ),
        "providers": ("label", "statement", "organization", "accreditor", "not_provider"),
        "dates": (
            "activity", "issued", "expiry", "claim", "release", "other", "after_not_activity",
            "caption_deadline", "caption_issued", "caption_release",
        ),
        "items": ("word", "numbering", "bullet"),
        "credits": (
            "unit", "label", "label_verb", "cell_label", "cell_label_verb", "caption",
            "caption_verb", "caption_claimed", "trademark", "category_before", "maximum",
            "claimed", "points", "hours", "word_amount_unit", "none_awarded",
        ),
        "transcripts": (
            "hint", "header", "credit_header", "title_column", "provider_column",
            "not_text_column", "amount_unit", "amount_tail", "category_before", "total_word",
        ),
        "requirement_statement": ("verb",),
    }
)  # fmt: skip
#: Spelled-out numbers: table.key -> word -> value.
NUMBER_TABLES: Final[tuple[str, ...]] = ("credits.number_words", "credits.fraction_words")
_SYSTEM_KEYS: Final = frozenset(
    {"id", "pattern", "credit_type", "category", "physician", "amount_names"}
)
_TOPIC_KEYS: Final = frozenset({"title", "statement", "trap"})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER_WORD = re.compile(r"^[a-z][a-z \-]*[a-z]$")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9+&.\-]*$")


class LexiconError(CmeBatchError):
    """A lexicon file is malformed; the message names the file and the entry."""

    exit_code = ExitCode.BAD_RULES

    def __init__(self, file: str, entry: str, message: str) -> None:
        self.file = file
        self.entry = entry
        self.reason = message
        super().__init__(f"{file}: lexicon entry {entry!r}: {message}")


@dataclass(frozen=True)
class CreditSystem:
    """A credit system of the lexicon (``credit_systems.toml``, or an office's file).

    Attributes:
        id: Its id.
        pattern: Where the text names it.
        credit_type: The name written to certificates.csv.
        category: ``1`` or ``2`` for physician credit, ``""`` for other credit.
        physician: Whether it is physician credit (other credit never counts).
        amount_names: Short names that, right after a number, make it an amount of credit.
    """

    id: str
    pattern: re.Pattern[str]
    credit_type: str
    category: str
    physician: bool
    amount_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicCues:
    """A topic's cues: on the title, in requirement statements, and its traps."""

    title: tuple[re.Pattern[str], ...]
    statement: tuple[re.Pattern[str], ...]
    trap: tuple[re.Pattern[str], ...] = ()


@dataclass
class _Part:
    """What one file gives, validated, before the files are merged."""

    words: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    numbers: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    systems: list[CreditSystem] = field(default_factory=list)
    topics: dict[str, dict[str, list[re.Pattern[str]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon: the built-in files with an office's files added.

    Attributes:
        words: ``table.role`` -> its fragments, in order.
        numbers: ``table.key`` -> spelled-out number -> value.
        systems: The credit systems, in the order they are tried.
        topics: Topic id -> its cues.
        extensions: The office files as (name, TOML text), as passed to worker processes.
        origin: ``table.role`` -> the file each fragment came from (for messages).
    """

    words: Mapping[str, tuple[str, ...]]
    numbers: Mapping[str, Mapping[str, Decimal]]
    systems: tuple[CreditSystem, ...]
    topics: Mapping[str, TopicCues]
    extensions: tuple[tuple[str, str], ...] = ()
    origin: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __call__(self, *roles: str) -> str:
        """The fragments of ``roles`` (``"table.role"``) joined as alternatives."""
        return "|".join(fragment for role in roles for fragment in self.words[role])

    def amount_names(self, physician_only: bool = False) -> str:
        """The credit systems' amount names joined as alternatives (each once, in order)."""
        return "|".join(self.amount_name_list(physician_only))

    def amount_name_list(self, physician_only: bool = False) -> tuple[str, ...]:
        """The credit systems' amount names (escaped), each once, in the systems' order."""
        names = [
            name
            for system in self.systems
            if system.physician or not physician_only
            for name in system.amount_names
        ]
        return tuple(dict.fromkeys(names))

    @property
    def version_tag(self) -> str:
        """What the office files add to the extraction version ("" without any).

        Records parsed with other office files are parsed again from their stored text.
        """
        if not self.extensions:
            return ""
        digest = hashlib.sha256()
        for _name, text in self.extensions:
            digest.update(hashlib.sha256(text.encode("utf-8")).digest())
        return f"+lexicon.{digest.hexdigest()[:12]}"


#: A pattern's shape: the lexicon in, the regular expression out.
Shape = Callable[[Lexicon], str]


class LivePattern:
    """A reader's pattern: a shape filled with the words of the lexicon in force.

    It answers like a compiled pattern (``search``, ``match``, ...); it is built again when
    the process's lexicon changes (an office's file configured after the readers were
    imported), so a module-level pattern never keeps an older vocabulary.
    """

    __slots__ = ("_built_for", "_compiled", "flags", "name", "shape")

    def __init__(self, name: str, shape: Shape, flags: int = 0) -> None:
        self.name = name
        self.shape = shape
        self.flags = flags
        self._built_for: Lexicon | None = None
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The pattern built from the lexicon in force."""
        lexicon = current()
        if self._built_for is not lexicon or self._compiled is None:
            self._compiled = build(self, lexicon)
            self._built_for = lexicon
        return self._compiled

    @property
    def pattern(self) -> str:
        """The regular expression, as built."""
        return self.compiled.pattern

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As :meth:`re.Pattern.search`."""
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As :meth:`re.Pattern.match`."""
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        """As :meth:`re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """As :meth:`re.Pattern.finditer`."""
        return self.compiled.finditer(string)

    def findall(self, string: str) -> list[Any]:
        """As :meth:`re.Pattern.findall`."""
        return self.compiled.findall(string)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        """As :meth:`re.Pattern.split`."""
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: str, string: str, count: int = 0) -> str:
        """As :meth:`re.Pattern.sub`."""
        return self.compiled.sub(repl, string, count)

    def __repr__(self) -> str:
        return f"LivePattern({self.name!r})"


#: Every pattern the readers declared (validated against each lexicon that is configured).
_PATTERNS: list[LivePattern] = []
_current: Lexicon | None = None


def pattern(name: str, shape: Shape, flags: int = 0) -> LivePattern:
    """Declare a reader's pattern built from the lexicon (``name`` names it in messages)."""
    live = LivePattern(name, shape, flags)
    _PATTERNS.append(live)
    return live


def build(live: LivePattern, lexicon: Lexicon) -> re.Pattern[str]:
    """Compile ``live``'s shape with ``lexicon``'s words.

    Raises:
        LexiconError: The words do not fit the shape (named by the pattern and the files).
    """
    try:
        return re.compile(live.shape(lexicon), live.flags)
    except (re.error, KeyError) as exc:
        files = ", ".join(dict.fromkeys(f for names in lexicon.origin.values() for f in names))
        raise LexiconError(
            files or "lexicon", live.name, f"pattern does not build: {exc}"
        ) from None


def current() -> Lexicon:
    """The lexicon in force in this process (the built-in one until :func:`configure`)."""
    return _current if _current is not None else use(())


def configure(files: Sequence[Path] = ()) -> Lexicon:
    """Load the built-in lexicon with an office's ``files`` added, validate it, and use it.

    Called in the main process before any document is read. Every pattern the readers
    declare is built once here, so a word that breaks one is reported now, not mid-run.

    Raises:
        LexiconError: A file is malformed or cannot be read (named with the entry).
    """
    extensions: list[tuple[str, str]] = []
    for path in files:
        try:
            extensions.append((str(path), Path(path).read_text("utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise LexiconError(str(path), "file", f"cannot be read: {exc}") from None
    return use(tuple(extensions))


def use(extensions: tuple[tuple[str, str], ...]) -> Lexicon:
    """Put in force the built-in lexicon with ``extensions`` (name, TOML text) added.

    A worker process calls it with what the main process configured; nothing is rebuilt when
    that lexicon is already in force.

    Raises:
        LexiconError: An extension is malformed.
    """
    global _current  # noqa: PLW0603 - one lexicon per process, set before reading
    if _current is not None and _current.extensions == extensions:
        return _current
    lexicon = load(extensions)
    _import_readers()
    for live in _PATTERNS:
        build(live, lexicon)
    _current = lexicon
    return lexicon


def _import_readers() -> None:
    """Import the readers, so that every pattern they declare is built when validating."""
    import cme_batch.fields.parse  # noqa: F401, PLC0415 - the readers import this module


def built_in_files() -> list[tuple[str, str]]:
    """The built-in lexicon files as (name, TOML text), from the package."""
    folder = resources.files("cme_batch.fields")
    return [(name, folder.joinpath(name).read_text("utf-8")) for name in BUILT_IN]


def load(
    extensions: Sequence[tuple[str, str]] = (),
    built_in: Sequence[tuple[str, str]] | None = None,
) -> Lexicon:
    """Read and validate a lexicon (without putting it in force).

    Args:
        extensions: An office's files as (name, TOML text), added to the built-in ones.
        built_in: The built-in files as (name, TOML text); :func:`built_in_files` by default.

    Raises:
        LexiconError: naming the file and the entry.
    """
    if built_in is None:
        built_in = built_in_files()
    base = [_parse_file(name, text) for name, text in built_in]
    for table, roles in WORD_ROLES.items():
        for role in roles:
            if not any(f"{table}.{role}" in part.words for part in base):
                raise LexiconError(built_in[0][0], f"{table}.{role}", "required role is missing")
    for key in NUMBER_TABLES:
        if not any(key in part.numbers for part in base):
            raise LexiconError(built_in[0][0], key, "required table is missing")
    if not any(part.systems for part in base):
        raise LexiconError(built_in[0][0], "credit_system", "no credit system is defined")
    for topic in TOPICS:
        if not any(part.topics.get(topic, {}).get("title") for part in base):
            raise LexiconError(built_in[-1][0], f"topics.{topic}", "every topic needs title cues")
    extra = [_parse_file(name, text) for name, text in extensions]
    return _merge([*base, *extra], tuple((n, t) for n, t in extensions), len(base))


def _merge(parts: list[_Part], extensions: tuple[tuple[str, str], ...], n_base: int) -> Lexicon:
    words: dict[str, list[str]] = {}
    origin: dict[str, list[str]] = {}
    numbers: dict[str, dict[str, Decimal]] = {}
    systems: list[CreditSystem] = []
    topics: dict[str, dict[str, list[re.Pattern[str]]]] = {}
    for index, part in enumerate(parts):
        for role, fragments in part.words.items():
            for file, fragment in fragments:
                if fragment not in words.setdefault(role, []):
                    words[role].append(fragment)
                    origin.setdefault(role, []).append(file)
        for key, table in part.numbers.items():
            numbers.setdefault(key, {}).update(table)
        if index < n_base:
            systems.extend(part.systems)
        else:
            # An office's system replaces the built-in one with its id; a new one is tried
            # first, since an office adds the systems particular to its certificates.
            new = []
            for system in part.systems:
                same = [i for i, s in enumerate(systems) if s.id == system.id]
                if same:
                    systems[same[0]] = system
                else:
                    new.append(system)
            systems[:0] = new
        for topic, cues in part.topics.items():
            entry = topics.setdefault(topic, {"title": [], "statement": [], "trap": []})
            for key, compiled in cues.items():
                entry[key].extend(compiled)
    return Lexicon(
        words=MappingProxyType({k: tuple(v) for k, v in words.items()}),
        numbers=MappingProxyType({k: MappingProxyType(v) for k, v in numbers.items()}),
        systems=tuple(systems),
        topics=MappingProxyType(
            {
                topic: TopicCues(tuple(c["title"]), tuple(c["statement"]), tuple(c["trap"]))
                for topic, c in topics.items()
            }
        ),
        extensions=extensions,
        origin=MappingProxyType({k: tuple(v) for k, v in origin.items()}),
    )


def _parse_file(file: str, text: str) -> _Part:
    """Validate one lexicon file's text into a :class:`_Part`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(file, "file", f"not valid TOML: {exc}") from None
    part = _Part()
    for table, value in data.items():
        if table == "credit_system":
            part.systems = _systems(file, value)
        elif table == "topics":
            part.topics = _topics(file, value)
        elif table in WORD_ROLES:
            _words(file, table, value, part)
        else:
            known = ", ".join([*WORD_ROLES, "credit_system", "topics"])
            raise LexiconError(file, table, f"unknown table; known: {known}")
    return part


def _words(file: str, table: str, value: object, part: _Part) -> None:
    if not isinstance(value, dict):
        raise LexiconError(file, table, "must be a table")
    for key, fragments in value.items():
        entry = f"{table}.{key}"
        if entry in NUMBER_TABLES:
            part.numbers[entry] = _numbers(file, entry, fragments)
            continue
        if key not in WORD_ROLES[table]:
            known = ", ".join(
                [
                    *WORD_ROLES[table],
                    *(k.split(".")[1] for k in NUMBER_TABLES if k.startswith(f"{table}.")),
                ]
            )
            raise LexiconError(file, entry, f"unknown key; known in [{table}]: {known}")
        if not isinstance(fragments, list) or not fragments:
            raise LexiconError(file, entry, "must be a non-empty list of strings")
        part.words[entry] = [
            (file, _fragment(file, f"{entry}[{i}]", f)) for i, f in enumerate(fragments)
        ]


def _fragment(file: str, entry: str, value: object) -> str:
    """Check one fragment: a string that compiles, captures nothing and needs some text."""
    compiled = _compile(file, entry, value)
    if compiled.groups:
        raise LexiconError(file, entry, f"{value!r} captures a group: write (?:...) instead")
    assert isinstance(value, str)
    return value


def _compile(file: str, entry: str, value: object) -> re.Pattern[str]:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(file, entry, f"must be a non-empty string, got {value!r}")
    try:
        compiled = re.compile(value, re.I)
    except re.error as exc:
        message = f"{value!r} is not a valid regular expression: {exc}"
        raise LexiconError(file, entry, message) from None
    if compiled.fullmatch(""):
        raise LexiconError(file, entry, f"{value!r} matches empty text (it would match anywhere)")
    return compiled


def _numbers(file: str, entry: str, value: object) -> dict[str, Decimal]:
    if not isinstance(value, dict) or not value:
        raise LexiconError(file, entry, 'must be a table of word = "value"')
    numbers: dict[str, Decimal] = {}
    for word, raw in value.items():
        if not _NUMBER_WORD.match(word):
            raise LexiconError(file, f"{entry}.{word}", "must be lower-case letters, - or space")
        try:
            number = Decimal(str(raw)) if not isinstance(raw, bool) else Decimal("NaN")
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number <= 0:
            raise LexiconError(file, f"{entry}.{word}", f"must be a positive number, got {raw!r}")
        numbers[word] = number
    return numbers


def _systems(file: str, value: object) -> list[CreditSystem]:
    if not isinstance(value, list):
        raise LexiconError(file, "credit_system", "must be an array of tables ([[credit_system]])")
    systems: list[CreditSystem] = []
    for number, entry in enumerate(value, 1):
        name = f"credit_system #{number}"
        if not isinstance(entry, dict):
            raise LexiconError(file, name, "must be a table")
        if isinstance(entry.get("id"), str):
            name = f"credit_system {entry['id']}"
        unknown = sorted(set(entry) - _SYSTEM_KEYS)
        if unknown:
            raise LexiconError(file, name, f"unknown key(s): {', '.join(unknown)}")
        missing = sorted(_SYSTEM_KEYS - set(entry))
        if missing:
            raise LexiconError(file, name, f"missing key(s): {', '.join(missing)}")
        ident, credit_type, category = entry["id"], entry["credit_type"], entry["category"]
        if not isinstance(ident, str) or not _ID.match(ident):
            raise LexiconError(file, name, "id must be lower-case letters, digits and _")
        if any(s.id == ident for s in systems):
            raise LexiconError(file, name, "the same id is defined twice")
        if not isinstance(credit_type, str) or not credit_type.strip():
            raise LexiconError(file, name, "credit_type must be a non-empty string")
        physician = entry["physician"]
        if not isinstance(physician, bool):
            raise LexiconError(file, name, "physician must be true or false")
        allowed = ("1", "2") if physician else ("",)
        if category not in allowed:
            raise LexiconError(
                file, name, f"category must be one of {allowed} when physician is {physician}"
            )
        names = entry["amount_names"]
        if not isinstance(names, list) or not all(
            isinstance(n, str) and _NAME.match(n) for n in names
        ):
            raise LexiconError(
                file, name, "amount_names must be a list of short names (letters, digits, +&.-)"
            )
        systems.append(
            CreditSystem(
                id=ident,
                pattern=_compile(file, f"{name}.pattern", entry["pattern"]),
                credit_type=credit_type.strip(),
                category=category,
                physician=physician,
                amount_names=tuple(re.escape(n) for n in names),
            )
        )
    return systems


def _topics(file: str, value: object) -> dict[str, dict[str, list[re.Pattern[str]]]]:
    if not isinstance(value, dict):
        raise LexiconError(file, "topics", "must be a table of [topics.<id>] tables")
    topics: dict[str, dict[str, list[re.Pattern[str]]]] = {}
    for topic, cues in value.items():
        entry = f"topics.{topic}"
        if topic not in TOPICS:
            raise LexiconError(file, entry, f"unknown topic; the rule files know: {TOPICS}")
        if not isinstance(cues, dict):
            raise LexiconError(file, entry, "must be a table")
        unknown = sorted(set(cues) - _TOPIC_KEYS)
        if unknown:
            raise LexiconError(file, entry, f"unknown key(s): {', '.join(unknown)}")
        topics[topic] = {}
        for key, patterns in cues.items():
            if not isinstance(patterns, list):
                raise LexiconError(file, f"{entry}.{key}", "must be a list of strings")
            topics[topic][key] = [
                _compile(file, f"{entry}.{key}[{i}]", p) for i, p in enumerate(patterns)
            ]
    return topics
