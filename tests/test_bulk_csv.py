"""The bulk CSV paths for admissions and tallies build what the general codec path builds."""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partydev import Admission, PartydevError, ValidationError
from partydev.model import codec
from partydev.model.periods import Period
from partydev.model.records import Tally
from partydev.model.records import attribute_pairs as _pairs
from partydev.model.store import AdmissionTable
from partydev.plugins.importing import CsvEngine
from partydev.shell.io import read_admissions_csv, read_tallies_csv

_FIELDS = {"unit", "date", "person", "birth_date", "age"}
_TALLY_FIELDS = {"unit", "period", "count", "inclusive"}


def _through_codec(
    path: Path, collection: str, record_of: Callable[[dict[str, str]], dict[str, object]]
) -> list[Any]:
    """The general path, restated from the documented CSV rules: each row's cells
    stripped, made a record by *record_of* and read by :func:`partydev.codec.read_records`,
    an error located at its file and line."""
    name = str(path)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if None in row:
                raise ValidationError("more cells than headers", file=name, line=reader.line_num)
            cells = {key.strip(): (value or "").strip() for key, value in row.items()}
            try:
                out.append(codec.read_records(collection, [record_of(cells)])[0])
            except PartydevError as error:
                error.path = None
                raise error.located(file=name, line=reader.line_num) from None
    return out


def _admission_record(cells: dict[str, str]) -> dict[str, object]:
    record: dict[str, object] = {k: v for k, v in cells.items() if k in _FIELDS and v}
    record["attributes"] = {k: v for k, v in cells.items() if k not in _FIELDS and v}
    if "age" in record:
        record["age"] = _whole(cells["age"])
    return record


def _general(path: Path) -> list[Admission]:
    """The admissions of *path* on the general path."""
    return _through_codec(path, "admissions", _admission_record)


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValidationError("expected a whole number", field="age", value=text) from None


def _write(text: str) -> Path:
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", suffix=".csv", encoding="utf-8", newline="", delete=False
    )
    with handle:
        handle.write(text)
    return Path(handle.name)


def _outcome(read: object, path: Path) -> object:
    try:
        return read(path)  # type: ignore[operator]
    except PartydevError as error:
        return ("error", type(error).__name__, str(error))


DECOMPOSED = unicodedata.normalize("NFD", "Tày")

cells = st.sampled_from(
    [
        "",
        " ",
        "2023-03-11",
        " 2023-03-11 ",
        "30/6/2023",
        "2000-02-29",
        "2023-02-28",
        "2023-02-30",
        "1999-12-31",
        "2030-01-01",
        "17",
        "-3",
        "x",
        "female",
        "yes",
        DECOMPOSED,
        "Kinh",
        "c1",
        "P001",
    ]
)
headers = st.sampled_from(
    [
        "unit,date,person,birth_date,age,sex,ethnicity",
        "\ufeffunit,date,birth_date,education",
        "date, unit ,age",
        "unit,date,unit",
        "unit,date,,sex",
        "unit,person",
    ]
)


@settings(max_examples=300, deadline=None)
@given(header=headers, rows=st.lists(st.lists(cells, min_size=0, max_size=8), max_size=6))
def test_bulk_and_general_paths_agree(header: str, rows: list[list[str]]) -> None:
    """Any file gives the same admissions, or the same located error, on both paths."""
    text = header + "\n" + "".join(",".join(row) + "\n" for row in rows)
    path = _write(text)
    try:
        assert _outcome(read_admissions_csv, path) == _outcome(_general, path)
    finally:
        path.unlink()


line_ends = st.sampled_from(["\n", "\r\n", "\r"])
odd_cells = st.sampled_from(['say "hi"', '"q,uoted"', "nul\x00", "x" * 40, "a\x0bb", "\u2028"])


@st.composite
def unquoted_files(draw: st.DrawFn) -> str:
    """An admissions file cut at commas: rows as wide as the header (now and then one
    shorter, longer or blank), any line end, and now and then a cell the csv module
    reads otherwise than a cut at commas would (a quote, a NUL) or that is longer
    than the test's field limit."""
    width = 5
    row = st.lists(cells, min_size=width, max_size=width)
    odd_row = st.one_of(
        st.lists(cells, max_size=width + 2),
        st.lists(st.one_of(cells, odd_cells), min_size=width, max_size=width),
    )
    rows = draw(st.lists(st.one_of(row, row, row, odd_row), max_size=8))
    end = draw(line_ends)
    return "unit,date,birth_date,age,sex" + end + "".join(",".join(r) + end for r in rows)


@settings(max_examples=300, deadline=None)
@given(text=unquoted_files())
def test_rows_cut_at_commas_are_what_the_csv_module_reads(text: str) -> None:
    """A file read by cutting its lines at commas gives the same admissions, or the same
    located error, as the general path: quotes, NULs, ragged or over-long rows and
    every line end included."""
    limit = csv.field_size_limit(32)
    path = _write(text)
    try:
        try:
            expected = _outcome(_general, path)
        except csv.Error:  # what the library says of a file the csv module refuses
            expected = ("error", "ValidationError", "malformed CSV")
        got = _outcome(read_admissions_csv, path)
        if isinstance(got, tuple) and "malformed CSV" in got[2]:
            got = (*got[:2], "malformed CSV")
        assert got == expected
    finally:
        path.unlink()
        csv.field_size_limit(limit)


SPACES = list("\x1c\x1d\x1e\x1f\x85\u2028\u2029\x0c\x0b\xa0\u3000")
"""Characters str.strip takes for whitespace (and str.splitlines for line ends), and
the csv module for plain cell text."""


def _spaced(texts: list[str]) -> st.SearchStrategy[str]:
    """One of *texts*, now and then wrapped in a space of SPACES on either side."""
    pad = st.sampled_from(["", "", *SPACES])
    return st.tuples(pad, st.sampled_from(texts), pad).map("".join)


spaced_rows = st.tuples(
    _spaced(["c1", "c2", "Tày", DECOMPOSED, "c1"]),
    _spaced(["2023-03-11", "30/6/2023", "2000-02-29", "2023-02-28"]),
    _spaced(["", "17", "0", "25"]),
    _spaced(["", "female", DECOMPOSED, "Kinh"]),
).map(",".join)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.one_of(spaced_rows, spaced_rows, spaced_rows, _spaced(["", ","])), max_size=6
    ),
    end=line_ends,
    last=st.booleans(),
    bom=st.booleans(),
)
def test_cells_padded_with_any_whitespace_read_as_on_the_general_path(
    rows: list[str], end: str, last: bool, bom: bool
) -> None:
    """Cells wrapped in what str.strip strips beyond spaces (information separators,
    NEL, line and paragraph separators, form feeds, no-break spaces), any line end, a
    last line with or without one and a byte-order mark: the cut at commas gives the
    general path's admissions or error, unit ids stripped and coded in order of first
    appearance (a stripping narrower than str.strip fails here)."""
    text = "unit,date,age,sex" + end + end.join(rows) + (end if last else "")
    path = _write(("\ufeff" if bom else "") + text)
    try:
        got, expected = _outcome(read_admissions_csv, path), _outcome(_general, path)
        assert got == expected
        if isinstance(got, AdmissionTable):
            assert got.units.values == tuple(dict.fromkeys(a.unit for a in got))
    finally:
        path.unlink()


def test_a_large_file_is_cut_at_commas_until_its_first_quote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blocks before the first quote are cut at commas (the csv module reads none of
    their rows); from the quote on, a cell spanning lines is read as the csv module
    reads it, and the admissions equal the general path's."""
    lines = [f"c{k % 97},2023-03-{1 + k % 28:02d},P{k},,{20 + k % 30},\n" for k in range(20000)]
    text = "unit,date,person,birth_date,age,sex\n" + "".join(lines)
    text += 'c1,2023-04-01,"P,\nquoted",,31,"nữ"\n' + "".join(lines[:50])
    read_rows = 0
    real_reader = csv.reader

    def counting_reader(*args: Any, **kwargs: Any) -> Any:
        for row in real_reader(*args, **kwargs):
            nonlocal read_rows
            read_rows += 1
            yield row

    path = _write(text)
    try:
        expected = _general(path)
        monkeypatch.setattr(csv, "reader", counting_reader)
        got = read_admissions_csv(path)
        assert got == expected
        assert len(got) == 20000 + 1 + 50
        assert got[20000].person == "P,\nquoted"
        assert read_rows < 5000  # the header and the rows from the quote's block on
    finally:
        path.unlink()


def test_bulk_path_reads_a_typical_file() -> None:
    """A well-formed file is read on the bulk path with dates, ages and NFC attributes."""
    path = _write(
        "unit,date,person,birth_date,age,sex,ethnicity\n"
        "c1,2023-03-11,P1,2000-02-29,,female," + DECOMPOSED + "\n"
        "\n"
        "c2,30/6/2023,,,25,male\n"
    )
    try:
        got = read_admissions_csv(path)
        assert got == _general(path)
        assert got[0] == Admission(
            "c1",
            date(2023, 3, 11),
            "P1",
            date(2000, 2, 29),
            None,
            {"sex": "female", "ethnicity": "Tày"},
        )
        assert got[1].age == 25
        assert got[1].attributes == (("sex", "male"),)
    finally:
        path.unlink()


def test_bulk_path_names_the_line_of_a_bad_row() -> None:
    """An invalid row is reported with its file and line, as the general path does."""
    path = _write("unit,date,age\nc1,2023-01-01,3\nc1,2023-13-01,4\n")
    try:
        with pytest.raises(PartydevError) as caught:
            read_admissions_csv(path)
        assert caught.value.line == 3
        assert caught.value.file == str(path)
    finally:
        path.unlink()


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_an_age_of_nineteen_digits_is_refused_as_on_the_general_path(engine: str) -> None:
    """An age of 10**18 or more is the general path's located error on the bulk path
    too (the bulk reader took it as an age)."""
    chosen: CsvEngine = "pyarrow" if engine == "pyarrow" else "python"
    if engine == "pyarrow":
        pytest.importorskip("pyarrow.csv")
    path = _write("unit,date,age\nc1,2023-01-01,3\nc1,2023-01-01,1000000000000000000\n")
    try:
        expected = _outcome(_general, path)
        assert isinstance(expected, tuple)
        assert "18 digits" in expected[2]
        read: Callable[[Path], object] = lambda p: read_admissions_csv(p, engine=chosen)  # noqa: E731
        assert _outcome(read, path) == expected
        with pytest.raises(PartydevError) as caught:
            read_admissions_csv(path, engine=chosen)
        assert (caught.value.line, caught.value.field) == (3, "age")
    finally:
        path.unlink()


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_bulk_units_are_coded_in_order_of_first_appearance(engine: str) -> None:
    """The units of a bulk-read table are coded in order of first appearance, as
    documented and as the general path codes them (not in a set's order, which
    changes with the hash seed)."""
    chosen: CsvEngine = "pyarrow" if engine == "pyarrow" else "python"
    if engine == "pyarrow":
        pytest.importorskip("pyarrow.csv")
    ids = [f"u{(k * 37) % 60}" for k in range(60)]
    rows = "".join(f"{' ' * (k % 2)}{unit},2023-01-01\n" for k, unit in enumerate(ids * 2))
    path = _write("unit,date\n" + rows)
    try:
        table = read_admissions_csv(path, engine=chosen)
        assert table.units.values == tuple(ids)
        assert table == _general(path)
    finally:
        path.unlink()


def test_attribute_cache_keeps_bool_and_int_apart() -> None:
    """Remembered attribute pairs never confuse True with 1 (they compare equal)."""
    assert _pairs({"flag": True}) == (("flag", "yes"),)
    assert _pairs({"flag": 1}) == (("flag", "1"),)
    assert _pairs({"flag": "1"}) == (("flag", "1"),)


def test_table_cell_check_still_refuses_a_bool_and_accepts_subclasses() -> None:
    """The exact-type fast path of the table check neither lets a bool pass as an
    integer nor refuses a datetime in a date column."""
    from datetime import datetime

    from partydev.errors import ValidationError
    from partydev.report import Column, Table

    columns = [Column("n", "integer", "Số", "Number"), Column("d", "date", "Ngày", "Date")]
    table = Table("t", "Bảng", "Table", columns, [(1, datetime(2023, 6, 30, 12))])
    assert table.rows[0][1] == datetime(2023, 6, 30, 12)
    with pytest.raises(ValidationError, match="must be integer"):
        Table("t", "Bảng", "Table", columns, [(True, date(2023, 6, 30))])


# -- tallies ---------------------------------------------------------------------------


def _tally_record(cells: dict[str, str]) -> dict[str, object]:
    record: dict[str, object] = {k: v for k, v in cells.items() if k in _TALLY_FIELDS and v}
    if "inclusive" in record:
        record["inclusive"] = cells["inclusive"].lower() in {"1", "true", "yes", "có"}
    record["breakdown"] = {
        k.removeprefix("breakdown."): v
        for k, v in cells.items()
        if k.startswith("breakdown.") and v
    }
    return record


def _general_tallies(path: Path) -> list[Tally]:
    """The tallies of *path* on the general path."""
    return _through_codec(path, "tallies", _tally_record)


def _tally_outcome(path: Path, general: bool) -> object:
    try:
        return _general_tallies(path) if general else read_tallies_csv(path)
    except PartydevError as error:
        return ("error", type(error).__name__, str(error))


tally_cells = st.sampled_from(
    ["", " ", "c1", " c2 ", "2023", "2023-H1", " 2023-Q2 ", "1700", "6 tháng đầu năm 2023",
     "bad", "0", "3", "5", "1.732", "1,5", "-3", "99999999999999999999", "true", "Có", "no"]
)  # fmt: skip
tally_headers = st.sampled_from(
    [
        "unit,period,count",
        "\ufeffunit,period,count,breakdown.young,breakdown.female",
        " unit , period ,count,inclusive,breakdown.young",
        "unit,period,count,unit",
        "unit,period,count,,breakdown.x",
        "unit,count,inclusive",
        "unit,period,count,note,breakdown.,breakdown",
    ]
)


@settings(max_examples=300, deadline=None)
@given(header=tally_headers, rows=st.lists(st.lists(tally_cells, max_size=7), max_size=6))
def test_tally_bulk_and_general_paths_agree(header: str, rows: list[list[str]]) -> None:
    """Any file gives the same tallies, or the same located error, on both paths."""
    path = _write(header + "\n" + "".join(",".join(row) + "\n" for row in rows))
    try:
        assert _tally_outcome(path, general=False) == _tally_outcome(path, general=True)
    finally:
        path.unlink()


def test_tally_bulk_path_reads_a_typical_file() -> None:
    """A well-formed file gives its tallies: periods read, breakdowns without empty cells."""
    path = _write(
        "unit,period,count,inclusive,breakdown.young,breakdown.female\n"
        "g1,2023,5,,3,\n"
        "\n"
        "g1, 2023-H1 ,1.732,có,0,2\n"
    )
    try:
        got = read_tallies_csv(path)
        assert got == _general_tallies(path)
        assert got == [
            Tally("g1", Period.year(2023), 5, {"young": 3}),
            Tally("g1", "2023-H1", 1732, {"young": 0, "female": 2}, inclusive=True),
        ]
    finally:
        path.unlink()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("g1,2023-H3,4,1", "period"),
        ("g1,1700,4,1", "period"),
        ("g1,2023,x,1", "count"),
        ("g1,2023,3,4", "breakdown.young"),
        (",2023,3,1", "unit"),
    ],
)
def test_tally_bulk_path_names_the_line_and_field_of_a_bad_row(row: str, field: str) -> None:
    """A bad period, count, breakdown or missing unit names its file, line and field."""
    path = _write(f"unit,period,count,breakdown.young\ng1,2022,3,1\n{row}\n")
    try:
        with pytest.raises(PartydevError) as caught:
            read_tallies_csv(path)
        assert (caught.value.file, caught.value.line) == (str(path), 3)
        assert caught.value.field == field
    finally:
        path.unlink()
