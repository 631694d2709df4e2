"""The bulk CSV path for admissions builds exactly what the general codec path builds."""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partydev import Admission, PartydevError, ValidationError
from partydev.model import codec
from partydev.model.records import attribute_pairs as _pairs
from partydev.shell.io import read_admissions_csv

_FIELDS = {"unit", "date", "person", "birth_date", "age"}


def _general(path: Path) -> list[Admission]:
    """The general path, restated from the documented CSV rules: each row a record
    through :func:`partydev.codec.read_records`, an error located at its file and line."""
    name = str(path)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if None in row:
                raise ValidationError("more cells than headers", file=name, line=reader.line_num)
            cells = {key.strip(): (value or "").strip() for key, value in row.items()}
            record: dict[str, object] = {k: v for k, v in cells.items() if k in _FIELDS and v}
            record["attributes"] = {k: v for k, v in cells.items() if k not in _FIELDS and v}
            try:
                if "age" in record:
                    record["age"] = _whole(cells["age"])
                out.append(codec.read_records("admissions", [record])[0])
            except PartydevError as error:
                error.path = None
                raise error.located(file=name, line=reader.line_num) from None
    return out


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
