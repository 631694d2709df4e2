"""Reading and writing ledger files: TOML, JSON, and CSV for bulk records.

This is the shell around :mod:`partydev.codec`: it opens files, parses them,
and adds the file name and line to any error, so that a bad value is reported
as ``ledger.toml: targets[2].value: …`` or ``admissions.csv:1043: …``.

* A whole ledger is a TOML file (hand-written; the bundled sample is one) or a
  JSON file (as :func:`dump_ledger` writes it).
* Bulk admissions or tallies come from CSV files named in the ledger's
  ``files`` table (``files = { admissions = ["admissions.csv"] }``, paths
  relative to the ledger), or read directly with :func:`read_admissions_csv`
  and :func:`read_tallies_csv`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache, partial
from importlib import resources
from itertools import islice, repeat
from operator import gt, itemgetter
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from ..errors import LedgerErrors, ParseError, PartydevError, PluginError, ValidationError
from ..model.codec import (
    COLLECTIONS,
    count_from_data,
    covers_from_data,
    in_calendar,
    join_records,
    ledger_from_data,
    ledger_to_data,
    period_from_data,
    read_records,
)
from ..model.coverage import Coverage
from ..model.ledger import Ledger
from ..model.periods import Period
from ..model.records import Tally, attribute_pairs
from ..model.store import AdmissionTable
from ..numbers import parse_count, parse_date
from ..plugins._reading import (
    DEFAULT_MAX_BYTES,
    check_nesting,
    confined,
    decode,
    nesting_failure,
    open_bounded,
    read_bounded,
)
from ..plugins.importing import Importer, LedgerSource
from ..plugins.manager import get_importer, importer_for_path, importers

__all__ = [
    "CSV_IMPORTER",
    "DEFAULT_MAX_BYTES",
    "JSON_IMPORTER",
    "TOML_IMPORTER",
    "dump_ledger",
    "dumps_ledger",
    "load_ledger",
    "read_admissions_csv",
    "read_tallies_csv",
    "sample_ledger",
    "validate_ledger_file",
]

SAMPLE = "quang-nam-2023.toml"

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_ADMISSION_FIELDS = {"unit", "date", "person", "birth_date", "age"}
_TALLY_FIELDS = {"unit", "period", "count", "inclusive"}


def _parse_text(
    text: str, name: str, raw: bytes | None = None, toml: bool | None = None
) -> dict[str, Any]:
    """Parse ledger text as TOML or JSON (*toml*, else by *name*'s suffix); *name*
    (the path as given) names errors.

    *raw*, the bytes *text* was decoded from, spares encoding it again for the
    nesting check.
    """
    if toml is None:
        toml = not name.lower().endswith(".json")
    check_nesting(text.encode("utf-8", "surrogatepass") if raw is None else raw, name, toml)
    try:
        data = tomllib.loads(text) if toml else json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg}", file=name, line=exc.lineno) from None
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(f"invalid TOML: {exc}", file=name) from None
    except RecursionError:  # strings hid the depth from check_nesting
        error = nesting_failure(text, name, toml)
        raise error or ParseError("nested too deeply to read", file=name) from None
    except ValueError:  # Python's own limit on the digits of an integer
        raise _long_number(text, name) from None
    if not isinstance(data, dict):
        raise ValidationError("a ledger file holds a table of collections", file=name)
    if not toml and _SURROGATE_ESCAPE.search(text):
        _check_encodable(data, name)
    return data


def _long_number(text: str, name: str) -> ParseError:
    """The error naming the integer literal longer than Python converts."""
    limit = sys.get_int_max_str_digits() or 4300
    match = re.search(rf"[0-9][0-9_]{{{limit},}}", text)
    line = None if match is None else text.count("\n", 0, match.start()) + 1
    return ParseError(f"a number has more than {limit:,} digits", file=name, line=line)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_encodable(data: object, name: str) -> None:
    """Refuse text a JSON escape made from half a UTF-16 pair: no file could hold it."""
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        items: Iterable[tuple[object, object]] = ()
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        for key, item in items:
            where = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip(".")
            for text in (key, item):
                if isinstance(text, str) and not text.isascii():
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        raise ParseError(
                            "text holds an unpaired UTF-16 surrogate (a \\uD800–\\uDFFF escape)",
                            file=name,
                            path=where,
                        ) from None
            stack.append((item, where))


def _read_document(source: LedgerSource, toml: bool) -> dict[str, Any]:
    """The parsed TOML or JSON ledger file, read within the limits."""
    raw = read_bounded(source.path, source.name, source.max_bytes, what="the ledger")
    return _parse_text(decode(raw, source.name), source.name, raw, toml)


def _choose_importer(path: str | os.PathLike[str], format: str | None) -> Importer:
    """The importer reading a whole ledger from *path*: *format*'s, or the suffix's."""
    name = str(path)
    if format is not None:
        importer = get_importer(format)
        if importer.read is None:
            raise ValidationError(
                f"the {format!r} format holds records a ledger's files table names, "
                "not a whole ledger",
                file=name,
                value=format,
            )
        return importer
    found = importer_for_path(path)
    if found is None:
        suffixes = [
            suffix for i in importers().values() if i.read is not None for suffix in i.suffixes
        ]
        listed = " or ".join(
            [", ".join(suffixes[:-1]), *suffixes[-1:]] if suffixes[1:] else suffixes
        )
        raise ValidationError(
            f"a ledger is a {listed or 'readable'} file",
            file=name,
            value=os.path.splitext(name)[1],
        )
    return found


def _csv_paths(collection: str, paths: object, name: str) -> list[str | Mapping[str, Any]]:
    """The CSV files a ``files`` entry lists: a path or a table ``{path, covers,
    units}``, or a list of them."""
    listed = [paths] if isinstance(paths, str | Mapping) else paths
    if not isinstance(listed, list) or not all(isinstance(p, str | Mapping) for p in listed):
        raise ValidationError(
            "files lists CSV paths as text or tables {path, covers, units}, or a list of them",
            file=name,
            path=f"files.{collection}",
            value=paths,
        )
    return listed


def load_ledger(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_outside: bool = False,
    options: Mapping[str, Any] | None = None,
) -> Ledger:
    """Read and validate a ledger: TOML, JSON, or any format an importer plugin reads.

    CSV files listed in its ``files`` table are read too.

    Args:
        path: The ledger file.
        format: The importer to read it with (``toml``, ``json``, ``xlsx`` …);
            by default the one whose suffix *path* has (see ``partydev formats``).
        max_bytes: The largest file read, the ledger or any of its CSV files.
        allow_outside: Read ``files`` entries that lead out of the ledger's
            folder (absolute paths, ``..``, symbolic links pointing out).
        options: The importer's options (see its reference).

    Raises:
        PartydevError: naming the file, the line or path, the field and the value;
            also for a file that is not a regular file or is larger than *max_bytes*,
            and for a ``files`` entry outside the ledger's folder.
        PluginError: for an unknown format or option, or an importer that
            failed other than by a :class:`PartydevError`.

    .. versionchanged:: 0.3
       *format* and *options*; formats come from importer plugins.
    """
    importer = _choose_importer(path, format)
    source = LedgerSource.of(path, max_bytes=max_bytes, allow_outside=allow_outside)
    resolved = importer.resolve_options(options)
    read = importer.read
    assert read is not None  # _choose_importer checked it
    try:
        return read(source, resolved)
    except PartydevError as error:
        raise error.located(file=source.name) from None
    except (KeyboardInterrupt, MemoryError):
        raise
    except BaseException as error:  # the importer's fault, not the file's
        raise PluginError(
            f"the {importer.name!r} importer failed: {type(error).__name__}: {error}",
            file=source.name,
        ) from error


def _load_document(source: LedgerSource, toml: bool) -> Ledger:
    """A TOML or JSON ledger and the files its ``files`` table names."""
    file, name, max_bytes = source.path, source.name, source.max_bytes
    data = _read_document(source, toml)
    parts: dict[str, list[Sequence[Any]]] = {}  # by collection, the records of each file
    read: dict[str, int] = {}  # by collection, how many records the files gave so far
    covered: list[Coverage] = []
    files = data.get("files", {})
    if not isinstance(files, Mapping):
        raise ValidationError(
            "files maps admissions/tallies to lists of CSV paths", file=name, path="files"
        )
    origins: list[tuple[str, int, int, Path]] = []
    for collection, paths in files.items():
        if collection not in _FILE_COLLECTIONS:
            raise ValidationError(
                "files lists admissions or tallies", file=name, path=f"files.{collection}"
            )
        inline = data.get(collection, [])
        offset = len(inline) if isinstance(inline, list) else 0
        for k, entry in enumerate(_csv_paths(collection, paths, name)):
            relative, spec = _file_entry(entry, name, f"files.{collection}[{k}]")
            try:
                csv_path = confined(file.parent, relative, source.allow_outside)
            except PartydevError as error:
                raise error.located(file=name, path=f"files.{collection}") from None
            importer = importer_for_path(csv_path, ledger=False) or CSV_IMPORTER
            read_records = importer.read_records
            assert read_records is not None  # importer_for_path checked it
            part = LedgerSource(csv_path, str(csv_path), max_bytes, source.allow_outside)
            try:
                records = read_records(part, collection, importer.resolve_options())
            except PartydevError as error:
                raise error.located(file=part.name) from None
            parts.setdefault(collection, []).append(records)
            start = offset + read.get(collection, 0)
            read[collection] = read.get(collection, 0) + len(records)
            if importer is CSV_IMPORTER:
                origins.append((collection, start, start + len(records), csv_path))
            if spec is not None:
                covered.extend(_file_covers(spec, records, name, csv_path))
    extra: dict[str, Iterable[Any]] = {c: join_records(p) for c, p in parts.items()}
    if covered:
        extra["covers"] = covered
    try:
        # The document is ours: let the codec drop each collection's dicts once read.
        return ledger_from_data(data, extra, consume=data)
    except LedgerErrors as many:
        lines: dict[Path, list[int]] = {}  # each CSV is read once, however many problems
        for each in many.errors:
            _locate_csv_record(each, origins, max_bytes, lines)
        raise many.located(file=name) from None
    except PartydevError as error:
        raise _locate_csv_record(error, origins, max_bytes).located(file=name) from None


def _file_entry(entry: object, name: str, where: str) -> tuple[str, Mapping[str, Any] | None]:
    """A ``files`` entry: a path, or ``{path, covers, units}`` (see :mod:`partydev.coverage`)."""
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, Mapping) and isinstance(entry.get("path"), str):
        unknown = sorted(set(entry) - {"path", "covers", "units", "subunits"})
        if unknown:
            raise ValidationError("unknown field", field=unknown[0], file=name, path=where)
        return entry["path"], entry if "covers" in entry else None
    raise ValidationError(
        "a files entry is a CSV path or a table {path, covers, units}",
        value=entry,
        file=name,
        path=where,
    )


def _file_covers(
    spec: Mapping[str, Any], records: Sequence[Any], name: str, csv_path: Path
) -> list[Coverage]:
    """What a CSV file's ``covers`` states: for the units it lists (with their
    sub-units), else for the units that appear in the file."""
    data: dict[str, Any] = {"period": spec["covers"]}
    if "units" in spec:
        data["units"] = spec["units"]
        data["subunits"] = spec.get("subunits", True)
    else:
        units = records.units if isinstance(records, AdmissionTable) else [r.unit for r in records]
        data["units"] = sorted(set(units))
        data["subunits"] = False
    try:
        return covers_from_data(data, path=f"covers of {csv_path.name}")
    except PartydevError as error:
        raise error.located(file=name) from None


_PATH_INDEX = re.compile(r"^(\w+)\[(\d+)\]")
_PATH_IN_TEXT = re.compile(r"\b(\w+)\[(\d+)\]")


def _locate_csv_record(
    error: PartydevError,
    origins: list[tuple[str, int, int, Path]],
    max_bytes: int,
    lines: dict[Path, list[int]] | None = None,
) -> PartydevError:
    """Point an error about ``collection[i]`` at the CSV file and line the record came from.

    Only runs on the error path: it reads the file again to find the line,
    so that the readers need not carry a line number for each record.
    """
    if not origins:
        return error
    lines = {} if lines is None else lines
    # A message may name another record (a duplicate's first place): point at its line too.
    message = _PATH_IN_TEXT.sub(
        lambda m: _csv_place(m.group(1), int(m.group(2)), origins, lines, max_bytes) or m.group(0),
        error.message,
    )
    if message != error.message:
        error.message = message
        error.args = (message,)
    match = _PATH_INDEX.match(error.path or "")
    if match is None:
        return error
    place = _csv_line(match.group(1), int(match.group(2)), origins, lines, max_bytes)
    if place is not None:
        error.path = None
        return error.located(file=str(place[0]), line=place[1])
    return error


def _csv_line(
    collection: str,
    index: int,
    origins: list[tuple[str, int, int, Path]],
    lines: dict[Path, list[int]],
    max_bytes: int,
) -> tuple[Path, int] | None:
    """The CSV file and line record ``collection[index]`` was read from, if any."""
    for name, start, end, csv_path in origins:
        if name == collection and start <= index < end:
            if csv_path not in lines:
                lines[csv_path] = [line for line, _ in _csv_rows(csv_path, max_bytes)]
            numbers = lines[csv_path]
            if index - start < len(numbers):
                return csv_path, numbers[index - start]
    return None


def _csv_place(
    collection: str,
    index: int,
    origins: list[tuple[str, int, int, Path]],
    lines: dict[Path, list[int]],
    max_bytes: int,
) -> str | None:
    place = _csv_line(collection, index, origins, lines, max_bytes)
    return None if place is None else f"{place[0]}:{place[1]}"


def validate_ledger_file(
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_outside: bool = False,
) -> list[PartydevError]:
    """Every problem in a ledger file, each naming its location; empty when it is valid.

    Each record is checked on its own, so all invalid records are reported at
    once; checks across records (references, overlaps, duplicates) report every
    contradiction too.  When some records are invalid, the checks across records
    still run on the valid ones, unless an invalid record is one that others
    refer to (a level, unit, term or category), whose absence would only echo.  A
    ledger in a format other than TOML or JSON reports what its importer finds.
    *format*, *max_bytes* and *allow_outside* are those of :func:`load_ledger`.
    """
    name = str(path)

    def whole() -> list[PartydevError]:
        """The problems loading the whole ledger finds (none: it loads)."""
        try:
            load_ledger(path, format, max_bytes=max_bytes, allow_outside=allow_outside)
        except LedgerErrors as many:
            return list(many.errors)
        except PartydevError as error:
            return [error.located(file=name)]
        return []

    try:
        importer = _choose_importer(path, format)
        if importer not in (TOML_IMPORTER, JSON_IMPORTER):
            return whole()
        source = LedgerSource.of(path, max_bytes=max_bytes, allow_outside=allow_outside)
        data = _read_document(source, importer is TOML_IMPORTER)
    except LedgerErrors as many:
        return list(many.errors)
    except PartydevError as error:
        return [error.located(file=name)]
    problems, valid, positions = _each_record(data, name)
    if not problems:
        return whole()
    referred = {"levels", "units", "terms", "categories"}
    if any(_PATH_INDEX.match(p.path or "") is None for p in problems) or any(
        positions[c] != list(range(len(data.get(c, [])))) for c in referred
    ):
        return problems
    return problems + [_renumbered(e, positions).located(file=name) for e in _across(valid)]


def _each_record(
    data: Mapping[str, Any], name: str
) -> tuple[list[PartydevError], dict[str, list[Any]], dict[str, list[int]]]:
    """Every record of *data* read on its own: the problems, the valid records by
    collection, and each valid record's index in the file."""
    problems: list[PartydevError] = []
    valid: dict[str, list[Any]] = {}
    positions: dict[str, list[int]] = {}
    levels: dict[str, Any] = {}
    for collection in COLLECTIONS:
        items = data.get(collection, [])
        valid[collection], positions[collection] = [], []
        if not isinstance(items, list):
            problems.append(
                ValidationError("expected a list of records", file=name, path=collection)
            )
            continue
        for i, item in enumerate(items):
            try:
                record = read_records(collection, [item], offset=i, levels=levels)[0]
            except PartydevError as error:
                problems.append(error.located(file=name))
                continue
            valid[collection].append(record)
            positions[collection].append(i)
            if collection == "levels":
                levels[record.id] = record
    return problems, valid, positions


def _across(collections: dict[str, list[Any]]) -> list[PartydevError]:
    """The problems across records of *collections* (no file is read)."""
    try:
        Ledger(title="", source="", **dict[str, Any](collections))
    except LedgerErrors as many:
        return list(many.errors)
    except PartydevError as error:
        return [error]
    return []


def _renumbered(error: PartydevError, positions: dict[str, list[int]]) -> PartydevError:
    """*error* about ``collection[k]`` of the valid records, about its index in the file."""

    def place(match: re.Match[str]) -> str:
        collection, k = match.group(1), int(match.group(2))
        where = positions.get(collection)
        return f"{collection}[{where[k]}]" if where is not None and k < len(where) else match[0]

    if error.path is not None:
        error.path = _PATH_INDEX.sub(place, error.path)
    message = _PATH_IN_TEXT.sub(place, error.message)
    error.message, error.args = message, (message,)
    return error


def loads_ledger(text: str, name: str = "<ledger>.toml") -> Ledger:
    """Read a ledger from text; *name*'s suffix (``.toml``/``.json``) picks the parser."""
    try:
        return ledger_from_data(_parse_text(text, name))
    except PartydevError as error:
        raise error.located(file=name) from None


@cache
def sample_ledger() -> Ledger:
    """The bundled Quảng Nam mid-term ledger (Báo Quảng Nam, 7 July 2023).

    >>> ledger = sample_ledger()
    >>> [unit.id for unit in ledger.units]
    ['quang-nam', 'nam-giang', 'tam-ky', 'khoi-co-quan']
    """
    text = resources.files("partydev").joinpath("data", SAMPLE).read_text(encoding="utf-8")
    return loads_ledger(text, SAMPLE)


def dumps_ledger(ledger: Ledger) -> str:
    """The ledger as JSON text: UTF-8 without escapes, stable key order, one trailing newline."""
    return json.dumps(ledger_to_data(ledger), ensure_ascii=False, indent=2) + "\n"


def dump_ledger(ledger: Ledger, stream: IO[str]) -> None:
    """Write the ledger as JSON to a text stream (see :func:`dumps_ledger`)."""
    stream.write(dumps_ledger(ledger))


def _open_csv(path: str | os.PathLike[str], max_bytes: int) -> io.TextIOWrapper:
    """A CSV file opened as UTF-8 text within the limits of :func:`open_bounded`."""
    return io.TextIOWrapper(
        open_bounded(path, str(path), max_bytes), encoding="utf-8-sig", newline=""
    )


def _csv_rows(
    path: str | os.PathLike[str], max_bytes: int
) -> Iterator[tuple[int, dict[str, str]]]:
    name = str(path)
    with _open_csv(path, max_bytes) as handle:
        reader = csv.DictReader(handle)
        try:
            if reader.fieldnames is None:
                return
            for row in reader:
                if None in row:
                    raise ValidationError(
                        "more cells than headers", file=name, line=reader.line_num
                    )
                yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items()}
        except UnicodeDecodeError:
            decode(read_bounded(path, name, max_bytes), name)  # raises, naming the line
            raise
        except csv.Error as exc:
            raise ValidationError(
                f"malformed CSV: {exc}", file=name, line=reader.line_num + 1
            ) from None


def _read_csv(
    path: str | os.PathLike[str],
    collection: str,
    known: set[str],
    shape: Any,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Any]:
    name = str(path)
    out: list[Any] = []
    for line, row in _csv_rows(path, max_bytes):
        out.append(_csv_record(row, collection, known, shape, name, line))
    return out


def _csv_record(
    row: dict[str, str], collection: str, known: set[str], shape: Any, name: str, line: int
) -> Any:
    """One record from one CSV row, through the codec (errors name file and line)."""
    try:
        return read_records(collection, [shape(row, known)])[0]
    except PartydevError as error:
        error.path = None
        raise error.located(file=name, line=line) from None


def _admissions_bulk(path: str | os.PathLike[str], max_bytes: int) -> AdmissionTable | None:
    """Admissions straight from CSV rows into the columns of an :class:`AdmissionTable`.

    The same records as the general path (:func:`_read_csv` through the codec),
    built a chunk of rows at a time, column by column: each distinct unit id,
    date, age and combination of attribute cells is read once, and no
    :class:`Admission` object is made.  A file the bulk path does not take as
    is returns ``None`` (see :func:`_read_bulk`): the whole file then takes the
    general path, whose error names the line.
    """
    return _read_bulk(path, max_bytes, _AdmissionColumns.for_header)


class _Bulk(Protocol[T_co]):
    """What a bulk reader fills from a CSV file's rows, a chunk at a time."""

    width: int  # cells a row has: the header's

    def add(self, rows: list[list[str]]) -> bool:
        """Add rows of *width* cells; ``False`` when one needs the general path."""

    def result(self) -> T_co:
        """The records read."""


def _read_bulk(
    path: str | os.PathLike[str], max_bytes: int, start: Callable[[list[str]], _Bulk[T] | None]
) -> T | None:
    """The records *start(header)* reads from a CSV file's rows, a chunk at a time.

    ``None`` when the general path must read the file: a row the bulk reader
    does not accept as is (a cell it cannot read, a row too long), a header it
    does not handle (*start* returns ``None``), or a file that cannot be read
    or decoded.  The general path then reads it, and its error names the line.
    """
    try:
        handle = _open_csv(path, max_bytes)
    except PartydevError:
        return None
    try:
        with handle:
            reader = csv.reader(handle)
            columns = start([key.strip() for key in next(reader, [])])
            if columns is None:
                return None
            while chunk := list(islice(reader, _CHUNK)):
                rows = _even(chunk, columns.width)
                if rows is None or (rows and not columns.add(rows)):
                    return None
            return columns.result()
    except (UnicodeDecodeError, csv.Error):
        return None


def _column(rows: list[list[str]], at: int) -> list[str]:
    """The cells of *rows* at *at* (lists, not a transposition by zip: its 2,048 row
    iterators a chunk made the garbage collector run twice as often)."""
    return list(map(itemgetter(at), rows))


def _bulk_keys(keys: list[str], required: set[str]) -> bool:
    """Whether a bulk reader takes a header: distinct, non-empty names, *required* among them."""
    return len(set(keys)) == len(keys) and "" not in keys and required <= set(keys)


def _even(rows: list[list[str]], width: int) -> list[list[str]] | None:
    """*rows* as :class:`csv.DictReader` reads them: blank lines skipped, short rows
    padded with empty cells; ``None`` when a row has more cells than the header."""
    if set(map(len, rows)) == {width}:
        return rows
    rows = [row for row in rows if row]
    if any(len(row) > width for row in rows):
        return None
    return [row + [""] * (width - len(row)) for row in rows]


_CHUNK = 2048
"""Rows the bulk reader holds as cells at once.  Small: a chunk's row lists are
garbage-collector-tracked containers, and 65,536 of them alive at once made the
collector's passes cost more than reading the rows (0.64 s against 0.47 s for
100,000 admissions)."""


class _AdmissionColumns:
    """The columns of an admissions CSV, filled a chunk of rows at a time."""

    def __init__(self, keys: list[str]) -> None:
        self.width = len(keys)
        self.unit_at, self.date_at = keys.index("unit"), keys.index("date")
        self.optional = {
            name: keys.index(name) for name in ("person", "birth_date", "age") if name in keys
        }
        self.extra = [(i, key) for i, key in enumerate(keys) if key not in _ADMISSION_FIELDS]
        self.attribute_cells = _cells_getter([i for i, _ in self.extra])
        self.units: list[str] = []
        self.days: list[int] = []
        self.persons: list[str | None] = []
        self.births: list[date | None] = []
        self.ages: list[int | None] = []
        self.profile: list[int] = []
        self.sets: dict[tuple[tuple[str, str], ...], int] = {}  # attribute set -> number
        self.raw: dict[tuple[str, ...], int] = {}  # cells as they stand -> number
        self.shared: dict[str, str] = {}  # cell -> unit id, one string per id
        self.ordinals: dict[str, int] = {"": 0}  # date text -> day ordinal; 0: empty
        self.born: dict[int, date | None] = {0: None}  # day ordinal -> date
        self.numbers: dict[str, int | None] = {"": None}

    @classmethod
    def for_header(cls, keys: list[str]) -> _AdmissionColumns | None:
        return cls(keys) if _bulk_keys(keys, {"unit", "date"}) else None

    def add(self, rows: list[list[str]]) -> bool:
        """Add a chunk of rows, column by column; ``False`` when one needs the general path.

        Each column is read with C-level maps over its cells and a Python
        step per *distinct* cell only (unit ids, dates, ages, attribute
        combinations).
        """
        column = partial(_column, rows)
        units = _read_distinct(column(self.unit_at), self.shared, _unit_id)
        days = self._days(column(self.date_at))
        if units is None or days is None or 0 in days:
            return False
        optional = self.optional
        if "birth_date" in optional:
            births = self._days(column(optional["birth_date"]))
            if births is None or any(map(gt, births, days)):
                return False
            self.births.extend(map(self.born.__getitem__, births))
        if "age" in optional:
            ages = self._ages(column(optional["age"]))
            if ages is None:
                return False
            self.ages.extend(ages)
        self.units.extend(units)
        self.days.extend(days)
        if "person" in optional:
            persons: list[str | None] = list(map(str.strip, column(optional["person"])))
            if "" in persons:
                persons = [p or None for p in persons]
            self.persons.extend(persons)
        raw = list(map(self.attribute_cells, rows))
        for combination in set(raw).difference(self.raw):
            self.raw[combination] = self._profile(combination)
        self.profile.extend(map(self.raw.__getitem__, raw))
        return True

    def _days(self, texts: Sequence[str]) -> list[int] | None:
        """The day ordinals of a column (0 for an empty cell); ``None`` when one
        is not a date the bulk path takes."""
        return _read_distinct(texts, self.ordinals, self._ordinal)

    def _ordinal(self, text: str) -> int:
        day = parse_date(text)
        if not in_calendar(day):
            raise ValueError("outside the calendar the general path checks")
        self.born[day.toordinal()] = day
        return day.toordinal()

    def _ages(self, texts: Sequence[str]) -> list[int | None] | None:
        """The ages of a column (``None`` for an empty cell); ``None`` when one is
        not a whole number of 0 or more."""
        return _read_distinct(texts, self.numbers, _age)

    def _profile(self, raw: tuple[str, ...]) -> int:
        """The number of the attribute set a row's attribute cells give."""
        attributes = attribute_pairs(
            tuple(
                (key, value)
                for (_, key), cell in zip(self.extra, raw, strict=True)
                if (value := cell.strip())
            )
        )
        return self.sets.setdefault(attributes, len(self.sets))

    def result(self) -> AdmissionTable:
        given = self.optional
        return AdmissionTable.from_columns(
            units=self.units,
            days=self.days,
            profile=self.profile,
            profiles=list(self.sets),
            persons=self.persons if "person" in given else None,
            births=self.births if "birth_date" in given else None,
            ages=self.ages if "age" in given else None,
        )


class _TallyRows:
    """The tallies of a CSV file, a chunk of rows at a time: each distinct period
    and count text read once, by the codec's rules (:func:`period_from_data`,
    :func:`count_from_data`, :func:`parse_count` for a breakdown); each
    :class:`Tally` made by its constructor, which checks the rest."""

    def __init__(self, keys: list[str]) -> None:
        self.width = len(keys)
        self.unit_at, self.period_at, self.count_at = map(keys.index, ("unit", "period", "count"))
        self.inclusive_at = keys.index("inclusive") if "inclusive" in keys else None
        self.parts = [
            (i, key.removeprefix("breakdown."))
            for i, key in enumerate(keys)
            if key.startswith("breakdown.")
        ]
        self.tallies: list[Tally] = []
        self.shared: dict[str, str] = {}  # cell -> unit id, one string per id
        self.periods: dict[str, Period] = {}
        self.counts: dict[str, int] = {}
        self.breakdowns: dict[str, int | None] = {"": None}  # None: an empty cell, left out

    @classmethod
    def for_header(cls, keys: list[str]) -> _TallyRows | None:
        return cls(keys) if _bulk_keys(keys, {"unit", "period", "count"}) else None

    def add(self, rows: list[list[str]]) -> bool:
        def read(at: int, known: dict[str, T], how: Callable[[str], T]) -> list[T] | None:
            return _read_distinct(_column(rows, at), known, how)

        units = read(self.unit_at, self.shared, _unit_id)
        periods = read(self.period_at, self.periods, period_from_data)
        counts = read(self.count_at, self.counts, count_from_data)
        parts = [read(at, self.breakdowns, parse_count) for at, _ in self.parts]
        if units is None or periods is None or counts is None or None in parts:
            return False
        flags = (
            repeat(False)
            if self.inclusive_at is None
            else map(_flag, map(str.strip, _column(rows, self.inclusive_at)))
        )
        breakdowns = map(self._breakdown, zip(*parts, strict=True)) if parts else repeat(())
        try:  # the constructor checks counts against each other, as on the general path
            self.tallies.extend(map(Tally, units, periods, counts, breakdowns, flags))
        except PartydevError:
            return False
        return True

    def _breakdown(self, cells: tuple[int | None, ...]) -> dict[str, int]:
        """A row's breakdown: the counts of its non-empty cells, by category."""
        return {name: n for (_, name), n in zip(self.parts, cells, strict=True) if n is not None}

    def result(self) -> list[Tally]:
        return self.tallies


def _read_distinct(
    texts: Sequence[str], known: dict[str, T], read: Callable[[str], T]
) -> list[T] | None:
    """*texts* read stripped, each distinct text once (*known* keeps what has been
    read across chunks, by the text as it stands); ``None`` when *read* refuses
    one (raises ``ValueError`` or a :class:`PartydevError`): the general path then
    decides."""
    for text in set(texts).difference(known):
        stripped = text.strip()
        try:
            known[text] = known[stripped] if stripped in known else read(stripped)
        except (PartydevError, ValueError):
            return None
    return list(map(known.__getitem__, texts))


def _unit_id(text: str) -> str:
    """A unit id cell, stripped; an empty one is for the general path to name."""
    if not text:
        raise ValueError("no unit: the general path names the line")
    return text


def _age(text: str) -> int:
    number = int(text)
    if number < 0:
        raise ValueError("a negative age: the general path names it")
    return number


def _cells_getter(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A function giving the cells at *positions* of a row, always as a tuple."""
    if len(positions) == 1:
        (single,) = positions
        return lambda row: (row[single],)
    if positions:
        return itemgetter(*positions)
    return lambda row: ()


def _admission_row(row: dict[str, str], known: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {k: v for k, v in row.items() if k in known and v != ""}
    if "age" in record:
        record["age"] = _integer(record["age"], "age")
    record["attributes"] = {k: v for k, v in row.items() if k not in known and v != ""}
    return record


def _tally_row(row: dict[str, str], known: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {k: v for k, v in row.items() if k in known and v != ""}
    # Counts stay text: the codec reads them as every count is read (parse_count).
    if "inclusive" in record:
        record["inclusive"] = _flag(record["inclusive"])
    record["breakdown"] = {
        k.removeprefix("breakdown."): v
        for k, v in row.items()
        if k.startswith("breakdown.") and v != ""
    }
    return record


def _flag(text: str) -> bool:
    """A CSV cell read as true or false: ``1``, ``true``, ``yes`` or ``có`` (any case) is true."""
    return text.lower() in {"1", "true", "yes", "có"}


def _integer(text: str, field: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError("expected a whole number", field=field, value=text) from None


def read_admissions_csv(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> AdmissionTable:
    """Admissions from a CSV file with columns ``unit, date`` and optionally
    ``person, birth_date, age``; every other column is an attribute
    (``sex``, ``education`` …), empty cells meaning "not recorded".

    The result is an :class:`~partydev.model.store.AdmissionTable`: a sequence of
    :class:`Admission` held as columns (a ledger keeps it as it is).

    Raises:
        PartydevError: naming the file, line, field and value; also for a file
            that is not a regular file, is larger than *max_bytes* or is not UTF-8.
    """
    try:
        bulk = _admissions_bulk(path, max_bytes)
        if bulk is not None:
            return bulk
        general = _read_csv(path, "admissions", _ADMISSION_FIELDS, _admission_row, max_bytes)
        return AdmissionTable.from_records(general)
    except PartydevError as error:
        raise error.located(file=str(path)) from None


def read_tallies_csv(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[Tally]:
    """Tallies from a CSV file with columns ``unit, period, count`` and optionally
    ``inclusive`` and ``breakdown.<category>`` columns.

    Raises:
        PartydevError: naming the file, line, field and value; also for a file
            that is not a regular file, is larger than *max_bytes* or is not UTF-8.
    """
    try:
        bulk = _read_bulk(path, max_bytes, _TallyRows.for_header)
        if bulk is not None:
            return bulk
        return _read_csv(path, "tallies", _TALLY_FIELDS, _tally_row, max_bytes)
    except PartydevError as error:
        raise error.located(file=str(path)) from None


_FILE_COLLECTIONS: dict[str, Callable[..., Sequence[Any]]] = {
    "admissions": read_admissions_csv,
    "tallies": read_tallies_csv,
}


def _read_csv_records(
    source: LedgerSource, collection: str, options: Mapping[str, Any]
) -> Sequence[Any]:
    """The records of one CSV file a ``files`` table names."""
    return _FILE_COLLECTIONS[collection](source.path, max_bytes=source.max_bytes)


TOML_IMPORTER = Importer(
    name="toml",
    title_vi="Sổ theo dõi TOML (viết tay)",
    title_en="TOML ledger (hand-written)",
    suffixes=(".toml",),
    read=lambda source, options: _load_document(source, toml=True),
)
"""The built-in TOML ledger reader (``.toml``), with the CSV files its ``files`` names."""


def _write_json(ledger: Ledger, stream: IO[bytes]) -> None:
    stream.write(dumps_ledger(ledger).encode("utf-8"))


JSON_IMPORTER = Importer(
    name="json",
    title_vi="Sổ theo dõi JSON (partydev-ledger/1)",
    title_en="JSON ledger (partydev-ledger/1)",
    suffixes=(".json",),
    read=lambda source, options: _load_document(source, toml=False),
    write=_write_json,
)
"""The built-in JSON ledger reader (``.json``, as :func:`dump_ledger` writes)."""

CSV_IMPORTER = Importer(
    name="csv",
    title_vi="Bản ghi CSV cho mục files của sổ",
    title_en="CSV records for a ledger's files",
    suffixes=(".csv",),
    read_records=_read_csv_records,
)
"""The built-in reader of the CSV files a ledger's ``files`` table names."""
