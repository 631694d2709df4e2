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

import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs

from ..errors import LedgerErrors, ParseError, PartydevError, PluginError, ValidationError
from ..model.codec import (
    COLLECTIONS,
    covers_from_data,
    join_records,
    ledger_from_data,
    ledger_to_data,
    read_records,
)
from ..model.coverage import Coverage
from ..model.ledger import Ledger
from ..model.store import AdmissionTable
from ..plugins._reading import (
    DEFAULT_MAX_BYTES,
    check_nesting,
    confined,
    decode,
    nesting_failure,
    read_bounded,
)
from ..plugins.importing import CsvEngine, Importer, LedgerSource
from ..plugins.manager import get_importer, importer_for_path, importers
from .csv_records import csv_engine, read_admissions_csv, read_tallies_csv, record_lines

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
    engine: CsvEngine | None = None,
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
        engine: What parses the CSV files of its ``files`` table: ``None`` (the
            default) or ``"python"`` for the standard library's csv, ``"pyarrow"``
            for pyarrow (``pip install "partydev[fast]"``), with the same records
            and errors (see :func:`~partydev.shell.csv_records.read_admissions_csv`).

    Raises:
        PartydevError: naming the file, the line or path, the field and the value;
            also for a file that is not a regular file or is larger than *max_bytes*,
            and for a ``files`` entry outside the ledger's folder.
        PluginError: for an unknown format or option, or an importer that
            failed other than by a :class:`PartydevError`.
        ImportError: for *engine* ``"pyarrow"`` when pyarrow is not installed.

    .. versionchanged:: 0.3
       *format* and *options*; formats come from importer plugins.

    .. versionchanged:: 0.9
       *engine*.
    """
    csv_engine(engine)  # checked before any file is read
    importer = _choose_importer(path, format)
    source = LedgerSource.of(
        path, max_bytes=max_bytes, allow_outside=allow_outside, csv_engine=engine
    )
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
            part = attrs.evolve(source, path=csv_path, name=str(csv_path))
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
                lines[csv_path] = record_lines(csv_path, max_bytes)
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


_FILE_COLLECTIONS: dict[str, Callable[..., Sequence[Any]]] = {
    "admissions": read_admissions_csv,
    "tallies": read_tallies_csv,
}


def _read_csv_records(
    source: LedgerSource, collection: str, options: Mapping[str, Any]
) -> Sequence[Any]:
    """The records of one CSV file a ``files`` table names."""
    read = _FILE_COLLECTIONS[collection]
    return read(source.path, max_bytes=source.max_bytes, engine=source.csv_engine)


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
