"""The pyarrow CSV engine reads the same admissions, tallies, ledgers and errors as csv."""

from __future__ import annotations

import csv
import io
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partydev import PartydevError, ValidationError, dumps_ledger, load_ledger
from partydev.shell.cli import main
from partydev.shell.io import read_admissions_csv, read_tallies_csv

pacsv: Any = pytest.importorskip("pyarrow.csv")
pytest.importorskip("numpy")

TAY = unicodedata.normalize("NFC", "Tày")

# -- generated admissions files --------------------------------------------------------


def _rarely(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """One of *good*, or now and then one of *bad* (a cell the rules refuse)."""
    return st.sampled_from(good * 12 + bad)


units = _rarely(["c1", "c2", " c3 ", "chi-bo-tày", "d,1", "c" * 30], ["", " "])
day_texts = _rarely(
    ["2023-03-11", " 2021-12-31", "30/6/2023", "2000-02-29", "1/1/2022"], ["2023-02-30", "x"]
)
birth_texts = _rarely(["", "1990-05-04", " 1/2/1985 ", "2000-01-01"], ["2030-01-01"])
age_texts = _rarely(["", "0", "25", " 31 ", "07"], ["-3", "2.5"])
texts = st.sampled_from(
    ["", " ", "P1", "Nguyễn Văn A", 'say "hi"', "a,b", "line\nbreak", "cr\r\nlf", TAY, "  x  "]
)
attribute_names = st.sampled_from(["sex", "education", "dân tộc", " trình độ ", "note"])


@st.composite
def admissions_files(draw: st.DrawFn) -> bytes:
    """The bytes of an admissions CSV: required and optional columns in any order,
    attribute columns, quoting, line ends, a byte-order mark, blank lines."""
    optional = draw(st.lists(st.sampled_from(["person", "birth_date", "age"]), unique=True))
    extra = draw(st.lists(attribute_names, unique_by=str.strip, max_size=3))
    header = draw(st.permutations(["unit", "date", *optional, *extra]))
    cells: dict[str, st.SearchStrategy[str]] = {
        "unit": units,
        "date": day_texts,
        "person": texts,
        "birth_date": birth_texts,
        "age": age_texts,
    }
    rows = draw(st.lists(st.tuples(*(cells.get(name, texts) for name in header)), max_size=12))
    out = io.StringIO()
    writer = csv.writer(
        out,
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
    )
    writer.writerow(header)
    blank = draw(st.sets(st.integers(0, 12)))
    for i, row in enumerate(rows):
        if i in blank:
            out.write("\n")
        writer.writerow(row)
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + out.getvalue()).encode("utf-8")


def _outcome(read: Callable[..., Any], path: Path, engine: str) -> object:
    """What reading *path* gives: the records, or the error and where it points."""
    try:
        return list(read(path, engine=engine))
    except PartydevError as error:
        return (type(error), str(error), error.file, error.line, error.field, error.value)


def _both(data: bytes, read: Callable[..., Any] = read_admissions_csv) -> tuple[object, object]:
    """What the python and the pyarrow engines give for a file holding *data*."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.csv"
        path.write_bytes(data)
        return _outcome(read, path, "python"), _outcome(read, path, "pyarrow")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=admissions_files())
def test_engines_read_equal_tables(data: bytes) -> None:
    """Any generated admissions file gives equal tables (or the same error) with both engines."""
    python, arrow = _both(data)
    assert python == arrow


def _write(tmp_path: Path, text: str, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_tables_are_equal_column_for_column(tmp_path: Path) -> None:
    """The pyarrow engine's table equals the python one's, in every column."""
    path = _write(
        tmp_path,
        "\ufeffunit,date, person ,birth_date,age,sex,education\n"
        'c1,2023-03-11,"P,1",1990-01-02,,female,"đại\nhọc"\n'
        "\n"
        "c2,30/6/2023,,,25,,\n"
        f"c1,2023-03-12,P3,,,{TAY},\n",
    )
    python = read_admissions_csv(path)
    arrow = read_admissions_csv(path, engine="pyarrow")
    assert arrow == python
    assert list(arrow) == list(python)
    assert (arrow.units, arrow.days, arrow.persons, arrow.profile) == (
        python.units,
        python.days,
        python.persons,
        python.profile,
    )
    assert arrow.attribute_sets == python.attribute_sets
    assert arrow.ages_at_admission() == python.ages_at_admission()
    assert arrow[0].attribute("education") == "đại\nhọc"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (b"unit,date\nc1,2023-01-01\nc1\n", None),  # a short row: padded, read
        (b"unit,date\nc1,2023-01-01\nc1,2023-01-02,extra\n", None),  # too many cells
        (b"unit,date\nc1,2023-01-01\nc\xc3(,2023-01-02\n", None),  # not UTF-8
        (b"unit,date\nc1,2023-01-01\nc1,2023-13-45\n", "date"),
        (b"unit,date,age\nc1,2023-01-01,3\nc1,2023-01-02,-3\n", "age"),
        (b"unit,date\nc1,2023-01-01\n ,2023-01-02\n", "unit"),
        (b"unit,date,birth_date\nc1,2023-01-01,2024-01-01\n", "birth_date"),
        (b"unit,unit,date\nc1,c2,2023-01-01\n", None),  # a header the bulk path refuses
        (b"unit,dates\nc1,2023-01-01\n", None),  # no date column
        (b'unit,date\n"c1,2023-01-01\n', None),  # a quote never closed
        (b"\n\nunit,date\nc1,2023-01-01\n", None),  # blank lines before the header
        (b"", None),  # an empty file
    ],
)
def test_fallbacks_give_the_same_result_or_error(data: bytes, field: str | None) -> None:
    """A file pyarrow does not take as is gives what the python engine gives: the
    same records, or the same error naming file, line, field and value."""
    python, arrow = _both(data)
    assert arrow == python
    if field is not None:
        assert isinstance(python, tuple)
        assert python[3] is not None
        assert python[4] == field


def test_a_cell_longer_than_the_csv_limit_gives_the_same_error(tmp_path: Path) -> None:
    """A cell the csv module refuses as too long is refused with the same error."""
    path = _write(tmp_path, "unit,date,note\nc1,2023-01-01," + "x" * 200 + "\n")
    old = csv.field_size_limit(100)
    try:
        python = _outcome(read_admissions_csv, path, "python")
        arrow = _outcome(read_admissions_csv, path, "pyarrow")
    finally:
        csv.field_size_limit(old)
    assert isinstance(python, tuple)
    assert arrow == python


def test_pyarrow_parses_a_well_formed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A well-formed file is parsed by pyarrow: the csv module reads only its header."""
    path = _write(tmp_path, "unit,date,sex\n" + "c1,2023-01-01,female\n" * 50)
    seen: list[int] = []
    reader = csv.reader

    def counting(stream: Any) -> Iterator[list[str]]:
        for row in reader(stream):
            seen.append(len(row))
            yield row

    monkeypatch.setattr(csv, "reader", counting)
    table = read_admissions_csv(path, engine="pyarrow")
    assert len(table) == 50
    assert seen == [3]


def test_tallies_are_equal_with_both_engines(tmp_path: Path) -> None:
    """Tallies read with pyarrow equal those the csv module gives, errors too."""
    good = "unit,period,count,inclusive,breakdown.young\ng1,2023,5,,3\ng1, 2023-H1 ,1.732,có,0\n"
    bad = "unit,period,count\ng1,2023,5\ng1,2023,x\n"
    for text in (good, bad):
        python, arrow = _both(text.encode(), read_tallies_csv)
        assert arrow == python
    path = _write(tmp_path, good)
    assert len(read_tallies_csv(path, engine="pyarrow")) == 2


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    """An engine that is neither python nor pyarrow is a ValidationError naming it."""
    path = _write(tmp_path, "unit,date\nc1,2023-01-01\n")
    with pytest.raises(ValidationError) as caught:
        read_admissions_csv(path, engine="polars")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("engine", "polars")


def test_pyarrow_engine_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking for pyarrow when it is not installed raises ImportError naming partydev[fast]."""
    ledger = _ledger(tmp_path)
    path = _write(tmp_path, "unit,date\nc1,2023-01-01\n", "one.csv")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r'pip install "partydev\[fast\]"'):
        read_admissions_csv(path, engine="pyarrow")
    with pytest.raises(ImportError, match=r"partydev\[fast\]"):
        load_ledger(ledger, engine="pyarrow")
    assert len(read_admissions_csv(path)) == 1


# -- ledgers and the command line ------------------------------------------------------

LEDGER = """\
schema = "partydev-ledger/1"
title = "Hai chi bộ"
files = { admissions = ["a.csv"], tallies = "t.csv" }
units = [
  { id = "p", name = "Tỉnh", level = "province" },
  { id = "c1", name = "Chi bộ 1", level = "cell", parent = "p" },
  { id = "c2", name = "Chi bộ 2", level = "cell", parent = "p" },
]
terms = [{ id = "2020-2025", label = "2020–2025", start = 2020-10-01, end = 2025-12-31 }]
targets = [{ unit = "p", term = "2020-2025", value = 40 }]
"""


def _ledger(tmp_path: Path) -> Path:
    """A ledger whose admissions and tallies are in CSV files."""
    rows = "".join(
        f"c{1 + i % 2},202{1 + i % 3}-0{1 + i % 9}-1{i % 10},P{i},,{20 + i % 15},"
        f"{('male', 'female', '')[i % 3]},{('đại học', 'trung cấp')[i % 2]}\n"
        for i in range(60)
    )
    _write(tmp_path, "unit,date,person,birth_date,age,sex,education\n" + rows)
    _write(tmp_path, "unit,period,count\nc2,2020,3\n", "t.csv")
    path = tmp_path / "ledger.toml"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_load_ledger_is_the_same_with_both_engines(tmp_path: Path) -> None:
    """A ledger whose files table names CSV files loads the same with either engine."""
    path = _ledger(tmp_path)
    python = load_ledger(path, engine="python")
    arrow = load_ledger(path, engine="pyarrow")
    assert arrow == python == load_ledger(path)
    assert len(arrow.admissions) == 60
    assert dumps_ledger(arrow) == dumps_ledger(python)


def test_load_ledger_locates_csv_errors_the_same_way(tmp_path: Path) -> None:
    """An error in a CSV file a ledger names points at the same file and line either way."""
    path = _ledger(tmp_path)
    with (tmp_path / "a.csv").open("a", encoding="utf-8") as handle:
        handle.write("ghost,2022-01-05,P99,,,,\n")
    errors = []
    for engine in ("python", "pyarrow"):
        with pytest.raises(PartydevError) as caught:
            load_ledger(path, engine=engine)
        errors.append((str(caught.value), caught.value.file, caught.value.line))
    assert errors[0] == errors[1]
    assert errors[0][2] == 62


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record each file pyarrow's CSV reader is opened on."""
    opened: list[object] = []
    open_csv = pacsv.open_csv

    def spy(source: object, **options: Any) -> Any:
        opened.append(source)
        return open_csv(source, **options)

    monkeypatch.setattr(pacsv, "open_csv", spy)
    return opened


def test_cli_reads_csv_with_pyarrow_when_the_fast_path_is_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PARTYDEV_KERNELS=numpy makes the command line parse CSV files with pyarrow, with
    the same report; without it, pyarrow is not used."""
    path = _ledger(tmp_path)
    opened = _spied(monkeypatch)
    monkeypatch.delenv("PARTYDEV_KERNELS", raising=False)
    assert main(["report", str(path), "--as-of", "2023-06-30"]) == 0
    plain = capsys.readouterr().out
    assert opened == []
    monkeypatch.setenv("PARTYDEV_KERNELS", "numpy")
    assert main(["report", str(path), "--as-of", "2023-06-30"]) == 0
    assert capsys.readouterr().out == plain
    assert len(opened) == 2  # the admissions and the tallies
    monkeypatch.setenv("PARTYDEV_KERNELS", "python")
    assert main(["report", str(path), "--as-of", "2023-06-30"]) == 0
    assert len(opened) == 2
