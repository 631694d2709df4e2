"""CSV files of admissions and tallies: one record per row, errors naming file and line.

Two paths give the same records.  The bulk readers (:class:`_AdmissionColumns`,
:class:`_TallyRows`) take a file a chunk of rows at a time, column by column,
reading each distinct cell once; admissions go straight into the columns of an
:class:`~partydev.model.store.AdmissionTable`.  The chunks come from cutting a
block of lines at its commas where the csv module would read the same cells (no
quote, no NUL, every row as wide as the header), else from the csv module, or
from pyarrow (``engine="pyarrow"``).  Any row they do not take as is
sends the whole file down the general path, which reads each row through the
codec (:func:`~partydev.model.codec.read_records`) and names the line of the
first problem.  :mod:`partydev.shell.io` reads the files a ledger's ``files``
table names through :func:`read_admissions_csv` and :func:`read_tallies_csv`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from itertools import chain, count, filterfalse, islice, repeat
from operator import add, gt, itemgetter, mul
from typing import Any, Protocol, TypeVar

from ..errors import PartydevError, ValidationError
from ..model.codec import count_from_data, in_calendar, period_from_data, read_records
from ..model.columnar import CodedColumn, codes_for
from ..model.kernels import EXTRA
from ..model.periods import Period
from ..model.records import Tally, attribute_pairs
from ..model.store import AdmissionTable
from ..numbers import parse_count, parse_date
from ..plugins._reading import DEFAULT_MAX_BYTES, decode, open_bounded, read_bounded
from ..plugins.importing import CSV_ENGINES, CsvEngine
from ._arrow_csv import ListedCells, NumberedCells, Refused, arrow_available, arrow_chunks

__all__ = ["csv_engine", "read_admissions_csv", "read_tallies_csv", "record_lines"]

K = TypeVar("K")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

_ADMISSION_FIELDS = {"unit", "date", "person", "birth_date", "age"}
_TALLY_FIELDS = {"unit", "period", "count", "inclusive"}


def record_lines(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> list[int]:
    """The line each record of a CSV file starts on, in order (what an error about
    ``admissions[i]`` needs to point at the file's line; read only on that path)."""
    return [line for line, _ in _csv_rows(path, max_bytes)]


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


class _Bulk(Protocol[T_co]):
    """What a bulk reader fills from a CSV file's rows, a chunk at a time."""

    width: int  # cells a row has: the header's

    def add(self, chunk: _Chunk) -> bool:
        """Add a chunk of rows of *width* cells; ``False`` when one needs the general path."""

    def result(self) -> T_co:
        """The records read."""


def _read_bulk(
    path: str | os.PathLike[str],
    max_bytes: int,
    start: Callable[[list[str]], _Bulk[T] | None],
    engine: CsvEngine,
) -> T | None:
    """The records *start(header)* reads from a CSV file's rows, a chunk at a time.

    The csv module reads the header either way; the rows come from it too, or
    from pyarrow's parse of the same bytes (*engine*, see
    :mod:`partydev.shell._arrow_csv`), as chunks of columns (:class:`_Chunk`).
    ``None`` when the general path must read the file: a row the bulk reader
    does not accept as is (a cell it cannot read, a row too long), a header it
    does not handle (*start* returns ``None``), or a file that cannot be read
    or decoded (or that pyarrow does not parse as the csv module does).  The
    general path then reads it, and its error names the line.
    """
    try:
        handle = _open_csv(path, max_bytes)
    except PartydevError:
        return None
    try:
        with handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            columns = start([key.strip() for key in header])
            if columns is None:
                return None
            chunks = (
                _arrow_chunks(path, max_bytes, header)
                if engine == "pyarrow"
                else _text_chunks(handle, columns.width)
            )
            for chunk in chunks:
                if not columns.add(chunk):
                    return None
            return columns.result()
    except (UnicodeDecodeError, csv.Error, Refused):
        return None


def _text_chunks(handle: io.TextIOWrapper, width: int) -> Iterator[_Chunk]:
    """The rows after the header, a block of lines at a time, as the csv module reads them.

    A block with no quote and no NUL, whose lines each have *width* cells, none
    longer than :func:`csv.field_size_limit`, is cut at its commas in C (with no
    quote, a comma always ends a cell and a line end a row; blank lines are
    skipped, as the csv module's empty rows are); its columns are slices of the
    cells.  Any other block goes to the csv module (:func:`_row_chunks`): from the
    first quote on, the rest of the file, since a quoted cell may span lines.
    """
    limit = csv.field_size_limit()
    while lines := handle.readlines(_BLOCK):
        block = "".join(lines)
        if '"' in block or "\0" in block:
            yield from _row_chunks(csv.reader(chain(lines, handle)), width)
            return
        rows = list(filter(None, map(str.rstrip, lines, repeat("\r\n"))))
        if not rows:
            continue
        if set(map(str.count, rows, repeat(","))) != {width - 1} or max(map(len, rows)) > limit:
            yield from _row_chunks(csv.reader(lines), width)  # short rows, or refused
            continue
        yield _SlicedChunk(",".join(rows).split(","), width)


_BLOCK = 1 << 18
"""Characters of a CSV file :func:`_text_chunks` cuts at once (about 4,000 admissions)."""


class _TextChunk:
    """A chunk whose columns are lists of texts (:class:`_Chunk`): what a cut at commas
    and the csv module's rows share.  A subclass says how to read a column of texts."""

    rows: int  # how many rows the chunk holds

    def texts(self, at: int) -> list[str]:
        """Each row's cell at position *at*."""
        raise NotImplementedError

    def column(self, at: int) -> ListedCells[str]:
        return ListedCells(self.texts(at))

    def combined(self, positions: list[int]) -> NumberedCells[tuple[str, ...]]:
        """Each row's cells at *positions*, numbered in C: each column's cells by
        their distinct cells, the rows' combinations by those numbers in mixed
        radix; a tuple made per distinct combination only."""
        keys: Iterable[int] = repeat(0, self.rows)
        columns: list[list[str]] = []
        for at in positions:
            texts = self.texts(at)
            number = dict(zip(dict.fromkeys(texts), count()))
            columns.append(list(number))
            keys = map(add, map(mul, keys, repeat(len(number))), map(number.__getitem__, texts))
        rows = list(keys)
        combination = dict(zip(dict.fromkeys(rows), count()))
        return NumberedCells(
            [_digits(key, columns) for key in combination],
            list(map(combination.__getitem__, rows)),
        )


class _SlicedChunk(_TextChunk):
    """A block of rows cut at their commas: every cell in row order."""

    def __init__(self, cells: list[str], width: int) -> None:
        self.cells = cells
        self.width = width
        self.rows = len(cells) // width

    def texts(self, at: int) -> list[str]:
        """The cells at *at* of every row: one slice of the cells."""
        return self.cells[at :: self.width]


def _digits(key: int, columns: list[list[str]]) -> tuple[str, ...]:
    """The cells a mixed-radix *key* numbers, one from each of *columns*."""
    cells: list[str] = []
    for column in reversed(columns):
        key, digit = divmod(key, len(column))
        cells.append(column[digit])
    return tuple(reversed(cells))


def _row_chunks(reader: Iterator[list[str]], width: int) -> Iterator[_Chunk]:
    """The csv module's rows, a chunk at a time (:class:`Refused` at a row too long)."""
    while chunk := list(islice(reader, _CHUNK)):
        rows = _even(chunk, width)
        if rows is None:
            raise Refused("more cells than the header")
        if rows:
            yield _RowChunk(rows)


def _arrow_chunks(
    path: str | os.PathLike[str], max_bytes: int, header: list[str]
) -> Iterator[_Chunk]:
    """pyarrow's parse of the file's bytes after *header* (see :func:`arrow_chunks`)."""
    try:
        data = read_bounded(path, str(path), max_bytes)
    except PartydevError:
        raise Refused("the file changed since it was opened") from None
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    return arrow_chunks(memoryview(data)[start:], header, csv.field_size_limit())


class _Cells(Protocol[K]):
    """A column of a chunk: each row's cell (a text, or a tuple of texts)."""

    def distinct(self) -> Iterable[K]:
        """The cells, each at least once."""

    def each(self, values: Mapping[K, T]) -> list[T]:
        """Each row's value, looked up by its cell in *values* (which has every cell)."""


class _Chunk(Protocol):
    """A chunk of rows of a CSV file, as columns: what a bulk reader fills from."""

    def column(self, at: int) -> _Cells[str]:
        """The cells at position *at*."""

    def texts(self, at: int) -> list[str]:
        """Each row's cell at position *at*, as a list."""

    def combined(self, positions: list[int]) -> _Cells[tuple[str, ...]]:
        """Each row's cells at *positions*, as a tuple."""


class _RowChunk(_TextChunk):
    """A chunk of rows the csv module read."""

    def __init__(self, rows: list[list[str]]) -> None:
        self.cells_by_row = rows
        self.rows = len(rows)

    def texts(self, at: int) -> list[str]:
        """The cells of the rows at *at* (lists, not a transposition by zip: its 2,048
        row iterators a chunk made the garbage collector run twice as often)."""
        return list(map(itemgetter(at), self.cells_by_row))


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
        # Each column as its chunks' tuples, joined once at the end: a growing list of
        # a million cells would be walked by every full garbage collection the read
        # sets off (1.6 s of a national file's 7.4 s), a tuple of plain values is not.
        self.units: list[tuple[int, ...]] = []  # the numbers of the unit ids
        self.days: list[tuple[int, ...]] = []
        self.persons: list[tuple[str | None, ...]] = []
        self.births: list[tuple[date | None, ...]] = []
        self.ages: list[tuple[int | None, ...]] = []
        self.profile: list[tuple[int, ...]] = []
        self.sets: dict[tuple[tuple[str, str], ...], int] = {}  # attribute set -> number
        self.raw: dict[tuple[str, ...], int] = {}  # cells as they stand -> number
        self.unit_ids: list[str] = []  # the distinct unit ids, by number
        self.unit_numbers: dict[str, int] = {}  # cell (as it stands, or stripped) -> number
        self.ordinals: dict[str, int] = {"": 0}  # date text -> day ordinal; 0: empty
        self.born: dict[int, date | None] = {0: None}  # day ordinal -> date
        self.numbers: dict[str, int | None] = {"": None}

    @classmethod
    def for_header(cls, keys: list[str]) -> _AdmissionColumns | None:
        return cls(keys) if _bulk_keys(keys, {"unit", "date"}) else None

    def add(self, chunk: _Chunk) -> bool:
        """Add a chunk of rows, column by column; ``False`` when one needs the general path.

        Each column is read with C-level maps over its cells and a Python
        step per *distinct* cell only (unit ids, dates, ages, attribute
        combinations).
        """
        column = chunk.column
        units = _read_distinct(column(self.unit_at), self.unit_numbers, self._unit_number)
        days = self._days(column(self.date_at))
        if units is None or days is None or 0 in days:
            return False
        optional = self.optional
        if "birth_date" in optional:
            births = self._days(column(optional["birth_date"]))
            if births is None or any(map(gt, births, days)):
                return False
            self.births.append(tuple(map(self.born.__getitem__, births)))
        if "age" in optional:
            ages = self._ages(column(optional["age"]))
            if ages is None:
                return False
            self.ages.append(tuple(ages))
        self.units.append(tuple(units))
        self.days.append(tuple(days))
        if "person" in optional:
            persons: list[str | None] = list(map(str.strip, chunk.texts(optional["person"])))
            if "" in persons:
                persons = [p or None for p in persons]
            self.persons.append(tuple(persons))
        raw = chunk.combined([i for i, _ in self.extra])
        for combination in set(raw.distinct()).difference(self.raw):
            self.raw[combination] = self._profile(combination)
        self.profile.append(tuple(raw.each(self.raw)))
        return True

    def _unit_number(self, text: str) -> int:
        """The number of the unit id *text* (stripped), a new one for a new id."""
        number = self.unit_numbers.setdefault(_unit_id(text), len(self.unit_ids))
        if number == len(self.unit_ids):
            self.unit_ids.append(text)
        return number

    def _days(self, texts: _Cells[str]) -> list[int] | None:
        """The day ordinals of a column (0 for an empty cell); ``None`` when one
        is not a date the bulk path takes."""
        return _read_distinct(texts, self.ordinals, self._ordinal)

    def _ordinal(self, text: str) -> int:
        day = parse_date(text)
        if not in_calendar(day):
            raise ValueError("outside the calendar the general path checks")
        self.born[day.toordinal()] = day
        return day.toordinal()

    def _ages(self, texts: _Cells[str]) -> list[int | None] | None:
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
            units=CodedColumn(self.unit_ids, codes_for(len(self.unit_ids), _joined(self.units))),
            days=_joined(self.days),
            profile=_joined(self.profile),
            profiles=list(self.sets),
            persons=_joined(self.persons) if "person" in given else None,
            births=_joined(self.births) if "birth_date" in given else None,
            ages=_joined(self.ages) if "age" in given else None,
        )


def _joined(parts: list[tuple[T, ...]]) -> tuple[T, ...]:
    """One column from its chunks' tuples."""
    return tuple(chain.from_iterable(parts))


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

    def add(self, chunk: _Chunk) -> bool:
        def read(at: int, known: dict[str, T], how: Callable[[str], T]) -> list[T] | None:
            return _read_distinct(chunk.column(at), known, how)

        units = read(self.unit_at, self.shared, _unit_id)
        periods = read(self.period_at, self.periods, period_from_data)
        counts = read(self.count_at, self.counts, count_from_data)
        parts = [read(at, self.breakdowns, parse_count) for at, _ in self.parts]
        if units is None or periods is None or counts is None or None in parts:
            return False
        flags = (
            repeat(False)
            if self.inclusive_at is None
            else map(_flag, map(str.strip, chunk.texts(self.inclusive_at)))
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
    texts: _Cells[str], known: dict[str, T], read: Callable[[str], T]
) -> list[T] | None:
    """*texts* read stripped, each distinct text once and in order of first
    appearance, so that *read* numbers new unit ids in that order (*known* keeps
    what has been read across chunks, by the text as it stands); ``None`` when
    *read* refuses one (raises ``ValueError`` or a :class:`PartydevError`): the
    general path then decides."""
    for text in filterfalse(known.__contains__, dict.fromkeys(texts.distinct())):
        stripped = text.strip()
        try:
            known[text] = known[stripped] if stripped in known else read(stripped)
        except (PartydevError, ValueError):
            return None
    return texts.each(known)


def _unit_id(text: str) -> str:
    """A unit id cell, stripped; an empty one is for the general path to name."""
    if not text:
        raise ValueError("no unit: the general path names the line")
    return text


def _age(text: str) -> int:
    """An age cell read as the general path reads it: :func:`int`, then the codec's
    bound on whole numbers (:func:`count_from_data` raises past 18 digits)."""
    number = count_from_data(int(text))
    if number < 0:
        raise ValueError("a negative age: the general path names it")
    return number


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


def csv_engine(engine: CsvEngine | None) -> CsvEngine:
    """The CSV engine *engine* names, checked: ``None`` is ``"python"``.

    Raises:
        ValidationError: for a name that is not in :data:`~partydev.plugins.CSV_ENGINES`.
        ImportError: for ``"pyarrow"`` when pyarrow or numpy is not installed,
            naming the extra (``pip install "partydev[fast]"``).

    >>> csv_engine(None)
    'python'

    .. versionadded:: 0.9
    """
    if engine is None:
        return "python"
    if engine not in CSV_ENGINES:
        raise ValidationError(
            "unknown CSV engine; use 'python' or 'pyarrow'", field="engine", value=engine
        )
    if engine == "pyarrow" and not arrow_available():
        raise ImportError(
            f'the pyarrow CSV engine needs pyarrow and numpy: pip install "partydev[{EXTRA}]"',
            name="pyarrow",
        )
    return engine


def read_admissions_csv(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    engine: CsvEngine | None = None,
) -> AdmissionTable:
    """Admissions from a CSV file with columns ``unit, date`` and optionally
    ``person, birth_date, age``; every other column is an attribute
    (``sex``, ``education`` …), empty cells meaning "not recorded".

    The result is an :class:`~partydev.model.store.AdmissionTable`: a sequence of
    :class:`Admission` held as columns (a ledger keeps it as it is).

    *engine* ``"pyarrow"`` (``pip install "partydev[fast]"``) has pyarrow parse the
    file, several times faster, into the same table; a file it does not take as
    is (rows of unequal length, bytes that are not UTF-8, a cell the rules refuse)
    is read by the csv module, so the result and the errors are the same either
    way.  ``None`` (the default) is ``"python"``, the standard library's csv.

    Raises:
        PartydevError: naming the file, line, field and value; also for a file
            that is not a regular file, is larger than *max_bytes* or is not UTF-8.
        ImportError: for *engine* ``"pyarrow"`` without pyarrow (see :func:`csv_engine`).

    .. versionchanged:: 0.9
       *engine*.
    """

    def general() -> AdmissionTable:
        rows = _read_csv(path, "admissions", _ADMISSION_FIELDS, _admission_row, max_bytes)
        return AdmissionTable.from_records(rows)

    return _read_file(path, max_bytes, engine, _AdmissionColumns.for_header, general)


def read_tallies_csv(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    engine: CsvEngine | None = None,
) -> list[Tally]:
    """Tallies from a CSV file with columns ``unit, period, count`` and optionally
    ``inclusive`` and ``breakdown.<category>`` columns.

    *engine* is that of :func:`read_admissions_csv`.

    Raises:
        PartydevError: naming the file, line, field and value; also for a file
            that is not a regular file, is larger than *max_bytes* or is not UTF-8.
        ImportError: for *engine* ``"pyarrow"`` without pyarrow (see :func:`csv_engine`).

    .. versionchanged:: 0.9
       *engine*.
    """

    def general() -> list[Tally]:
        return _read_csv(path, "tallies", _TALLY_FIELDS, _tally_row, max_bytes)

    return _read_file(path, max_bytes, engine, _TallyRows.for_header, general)


def _read_file(
    path: str | os.PathLike[str],
    max_bytes: int,
    engine: CsvEngine | None,
    start: Callable[[list[str]], _Bulk[T] | None],
    general: Callable[[], T],
) -> T:
    """The records of a CSV file: filled in bulk by *start* through *engine*, or
    through the csv module when pyarrow does not take the file as is; else read
    row by row by *general*, whose error names the line.  Errors name the file.

    The bulk path builds the same records as the general path (:func:`_read_csv`
    through the codec), a chunk of rows at a time, column by column: each
    distinct cell is read once, and no record object is made per admission.
    """
    chosen = csv_engine(engine)
    try:
        for each in dict.fromkeys((chosen, "python")):  # pyarrow, then the csv module
            bulk = _read_bulk(path, max_bytes, start, each)
            if bulk is not None:
                return bulk
        return general()
    except PartydevError as error:
        raise error.located(file=str(path)) from None
