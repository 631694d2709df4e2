"""The bulk CSV path for tallies builds exactly what the general codec path builds."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partydev import PartydevError, ValidationError
from partydev.model import codec
from partydev.model.periods import Period
from partydev.model.records import Tally
from partydev.shell.io import read_tallies_csv

_FIELDS = {"unit", "period", "count", "inclusive"}


def _general(path: Path) -> list[Tally]:
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
            if "inclusive" in record:
                record["inclusive"] = cells["inclusive"].lower() in {"1", "true", "yes", "có"}
            record["breakdown"] = {
                k.removeprefix("breakdown."): v
                for k, v in cells.items()
                if k.startswith("breakdown.") and v
            }
            try:
                out.append(codec.read_records("tallies", [record])[0])
            except PartydevError as error:
                error.path = None
                raise error.located(file=name, line=reader.line_num) from None
    return out


def _outcome(path: Path, general: bool) -> object:
    try:
        return _general(path) if general else read_tallies_csv(path)
    except PartydevError as error:
        return ("error", type(error).__name__, str(error))


def _write(text: str) -> Path:
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", suffix=".csv", encoding="utf-8", newline="", delete=False
    )
    with handle:
        handle.write(text)
    return Path(handle.name)


cells = st.sampled_from(
    ["", " ", "c1", " c2 ", "2023", "2023-H1", " 2023-Q2 ", "1700", "6 tháng đầu năm 2023",
     "bad", "0", "3", "5", "1.732", "1,5", "-3", "99999999999999999999", "true", "Có", "no"]
)  # fmt: skip
headers = st.sampled_from(
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
@given(header=headers, rows=st.lists(st.lists(cells, min_size=0, max_size=7), max_size=6))
def test_bulk_and_general_paths_agree(header: str, rows: list[list[str]]) -> None:
    """Any file gives the same tallies, or the same located error, on both paths."""
    path = _write(header + "\n" + "".join(",".join(row) + "\n" for row in rows))
    try:
        assert _outcome(path, general=False) == _outcome(path, general=True)
    finally:
        path.unlink()


def test_bulk_path_reads_a_typical_file() -> None:
    """A well-formed file gives its tallies: periods read, breakdowns without empty cells."""
    path = _write(
        "unit,period,count,inclusive,breakdown.young,breakdown.female\n"
        "g1,2023,5,,3,\n"
        "\n"
        "g1, 2023-H1 ,1.732,có,0,2\n"
    )
    try:
        got = read_tallies_csv(path)
        assert got == _general(path)
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
def test_bulk_path_names_the_line_and_field_of_a_bad_row(row: str, field: str) -> None:
    """A bad period, count, breakdown or missing unit names its file, line and field."""
    path = _write(f"unit,period,count,breakdown.young\ng1,2022,3,1\n{row}\n")
    try:
        with pytest.raises(PartydevError) as caught:
            read_tallies_csv(path)
        assert (caught.value.file, caught.value.line) == (str(path), 3)
        assert caught.value.field == field
    finally:
        path.unlink()
