"""Reading and writing ledgers: TOML, JSON and CSV, with errors that point at the input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from tests.model_strategies import rich_ledgers

import partydev
from partydev.errors import ParseError, PartydevError, ValidationError
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.shell.io import (
    dump_ledger,
    dumps_ledger,
    load_ledger,
    loads_ledger,
    read_admissions_csv,
    read_tallies_csv,
    sample_ledger,
)

HEAD = textwrap.dedent(
    """\
    [[units]]
    id = "p"
    name = "Tỉnh"
    level = "province"

    [[units]]
    id = "d"
    name = "Huyện"
    level = "district"
    parent = "p"

    [[terms]]
    id = "t"
    label = "2020–2025"
    start = 2020-10-01
    end = 2025-12-31

    [[categories]]
    id = "young"
    label_vi = "Trẻ"
    label_en = "Young"
    max_age = 30
    """
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_round_trips_through_json(tmp_path: Path) -> None:
    """The sample dumped to JSON and loaded again is an equal ledger."""
    ledger = sample_ledger()
    path = _write(tmp_path, "sample.json", dumps_ledger(ledger))
    again = load_ledger(path)
    assert again == ledger
    assert again.claims == ledger.claims
    assert len(again.tallies) == 8


def test_dump_is_byte_identical(tmp_path: Path) -> None:
    """Dumping twice, or through a reloaded copy, gives the same bytes."""
    first = dumps_ledger(sample_ledger())
    assert first == dumps_ledger(sample_ledger())
    reloaded = loads_ledger(first, "x.json")
    assert dumps_ledger(reloaded) == first
    assert first.endswith("}\n")
    assert "Quảng Nam" in first  # UTF-8, not \\u escapes
    with (tmp_path / "out.json").open("w", encoding="utf-8") as stream:
        dump_ledger(sample_ledger(), stream)
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == first


@settings(max_examples=50, deadline=None)
@given(ledger=rich_ledgers())
def test_generated_ledgers_round_trip(ledger: Ledger) -> None:
    """Any generated ledger survives dumps_ledger / loads_ledger unchanged."""
    again = loads_ledger(dumps_ledger(ledger), "x.json")
    assert again == ledger
    assert dumps_ledger(again) == dumps_ledger(ledger)


def test_toml_error_names_file_and_path(tmp_path: Path) -> None:
    """A bad value in a TOML ledger names the file, the path and the value."""
    path = _write(
        tmp_path,
        "bad.toml",
        HEAD + '\n[[targets]]\nunit = "p"\nterm = "t"\nvalue = "many"\n',
    )
    with pytest.raises(ValidationError) as info:
        load_ledger(path)
    error = info.value
    assert error.file == str(path)
    assert error.path == "targets[0].value"
    assert str(error).startswith(f"{path}: targets[0].value: ")
    assert "value 'many'" in str(error)


def test_toml_model_error_names_file_and_record(tmp_path: Path) -> None:
    """A reference error in a TOML ledger names the file and collection[i]."""
    path = _write(
        tmp_path,
        "bad.toml",
        HEAD + '\n[[tallies]]\nunit = "ghost"\nperiod = "2022"\ncount = 3\n',
    )
    with pytest.raises(PartydevError) as info:
        load_ledger(path)
    assert str(info.value).startswith(f"{path}: tallies[0]: no such unit")


def test_toml_syntax_error_names_file(tmp_path: Path) -> None:
    """A TOML syntax error is a ParseError naming the file."""
    path = _write(tmp_path, "broken.toml", HEAD + "\n[[targets]\n")
    with pytest.raises(ParseError) as info:
        load_ledger(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: invalid TOML")


def test_json_syntax_error_names_line(tmp_path: Path) -> None:
    """A JSON syntax error names the file and the line."""
    path = _write(tmp_path, "broken.json", '{\n  "units": [],\n  "terms": [,]\n}\n')
    with pytest.raises(ParseError) as info:
        load_ledger(path)
    assert (info.value.file, info.value.line) == (str(path), 3)
    assert str(info.value).startswith(f"{path}:3: invalid JSON")
    assert isinstance(info.value, ValueError)


def test_unknown_field_rejected(tmp_path: Path) -> None:
    """A field the schema does not know is rejected, naming it."""
    path = _write(
        tmp_path,
        "extra.toml",
        HEAD + '\n[[targets]]\nunit = "p"\nterm = "t"\nvalue = 5\ncolour = "red"\n',
    )
    with pytest.raises(ValidationError) as info:
        load_ledger(path)
    assert info.value.field == "colour"
    assert info.value.path == "targets[0].colour"


def test_unknown_top_level_key_rejected() -> None:
    """An unknown collection is rejected, naming it."""
    with pytest.raises(ValidationError) as info:
        loads_ledger(HEAD + '\n[[admisions]]\nunit = "p"\n', "x.toml")
    assert info.value.field == "admisions"
    assert str(info.value).startswith("x.toml: admisions")


def test_unsupported_schema_rejected() -> None:
    """A ledger written for another schema is refused."""
    with pytest.raises(ValidationError) as info:
        loads_ledger('schema = "partydev-ledger/9"\n' + HEAD, "x.toml")
    assert (info.value.field, info.value.value) == ("schema", "partydev-ledger/9")


def test_csv_files_table(tmp_path: Path) -> None:
    """Admissions and tallies listed in the files table are read relative to the ledger."""
    _write(
        tmp_path,
        "a.csv",
        "unit,date,age,sex\nd,2022-01-05,25,female\nd,2022-02-05,,\n",
    )
    _write(
        tmp_path,
        "t.csv",
        "unit,period,count,inclusive,breakdown.young\np,2021,10,yes,4\nd,2021,3,,\n",
    )
    path = _write(
        tmp_path,
        "ledger.toml",
        'files = { admissions = ["a.csv"], tallies = "t.csv" }\n' + HEAD,
    )
    ledger = load_ledger(path)
    first, second = ledger.admissions_of("d")
    assert (first.age, first.attribute("sex")) == (25, "female")
    assert (second.age, second.attributes) == (None, ())
    tallies = {t.unit: t for t in ledger.tallies}
    assert (tallies["p"].count, tallies["p"].inclusive, tallies["p"].breakdown) == (
        10,
        True,
        (("young", 4),),
    )
    assert (tallies["d"].count, tallies["d"].inclusive) == (3, False)
    assert tallies["d"].period == Period.year(2021)


def test_csv_bad_date_names_file_and_line(tmp_path: Path) -> None:
    """A bad date on line 3 of a CSV is reported as a.csv:3."""
    _write(tmp_path, "a.csv", "unit,date\nd,2022-01-05\nd,2022-13-45\n")
    path = _write(tmp_path, "ledger.toml", 'files = { admissions = ["a.csv"] }\n' + HEAD)
    with pytest.raises(PartydevError) as info:
        load_ledger(path)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.line == 3
    assert error.file is not None
    assert error.file.endswith("a.csv")
    assert "a.csv:3" in str(error)
    assert "field 'date'" in str(error)
    assert "value '2022-13-45'" in str(error)


def test_csv_bad_count_names_line(tmp_path: Path) -> None:
    """A non-numeric tally count names the file, line, field and value."""
    path = _write(tmp_path, "t.csv", "unit,period,count\nd,2021,3\nd,2022,3\nd,2023,three\n")
    with pytest.raises(ValidationError) as info:
        read_tallies_csv(path)
    assert "t.csv:4" in str(info.value)
    assert (info.value.field, info.value.value) == ("count", "three")


def test_csv_reference_error_from_ledger_names_csv_line(tmp_path: Path) -> None:
    """A CSV admission naming an unknown unit is caught by the ledger and located in the CSV."""
    _write(tmp_path, "a.csv", "unit,date\nghost,2022-01-05\n")
    path = _write(tmp_path, "ledger.toml", 'files = { admissions = ["a.csv"] }\n' + HEAD)
    with pytest.raises(PartydevError) as info:
        load_ledger(path)
    assert info.value.unit == "ghost"
    assert f"{tmp_path / 'a.csv'}:2:" in str(info.value)


def test_csv_too_many_cells(tmp_path: Path) -> None:
    """A row with more cells than headers is rejected with its line."""
    path = _write(tmp_path, "a.csv", "unit,date\nd,2022-01-05,extra\n")
    with pytest.raises(ValidationError) as info:
        read_admissions_csv(path)
    assert info.value.line == 2


def test_read_admissions_csv_direct(tmp_path: Path) -> None:
    """read_admissions_csv returns admissions with attributes from extra columns."""
    path = _write(tmp_path, "a.csv", "\ufeffunit,date,education\nd,2022-01-05,university\n")
    (admission,) = read_admissions_csv(path)
    assert admission.unit == "d"
    assert admission.attribute("education") == "university"


def test_files_table_rejects_other_collections(tmp_path: Path) -> None:
    """The files table lists only admissions and tallies."""
    path = _write(tmp_path, "ledger.toml", 'files = { units = ["u.csv"] }\n' + HEAD)
    with pytest.raises(ValidationError) as info:
        load_ledger(path)
    assert info.value.path == "files.units"


def test_wrong_suffix_rejected(tmp_path: Path) -> None:
    """A ledger file must be .toml or .json."""
    path = _write(tmp_path, "ledger.yaml", HEAD)
    with pytest.raises(ValidationError) as info:
        load_ledger(path)
    assert info.value.value == ".yaml"


def test_suffix_case_insensitive_and_name_kept(tmp_path: Path) -> None:
    """An upper-case .JSON suffix picks the JSON parser; errors keep the name as given."""
    path = _write(tmp_path, "Ledger.JSON", "{\n  oops\n}\n")
    with pytest.raises(ParseError) as info:
        load_ledger(path)
    assert str(info.value).startswith(f"{path}:2: invalid JSON")


def test_validate_ledger_file_names_path_of_syntax_error(tmp_path: Path) -> None:
    """validate_ledger_file reports a syntax error under the path as given, with its line."""
    from partydev.shell.io import validate_ledger_file

    path = _write(tmp_path, "Bad.json", "{\n  oops\n}\n")
    (problem,) = validate_ledger_file(path)
    assert isinstance(problem, ParseError)
    assert str(problem).startswith(f"{path}:2: invalid JSON")


def test_csv_record_failing_a_cross_check_names_its_csv_line(tmp_path: Path) -> None:
    """An admission of an unknown unit, read from CSV, is reported at its CSV file and line."""
    (tmp_path / "a.csv").write_text(
        "unit,date\nquang-nam,2021-03-01\nquang-nam,2021-04-01\nnowhere,2021-05-01\n",
        encoding="utf-8",
    )
    ledger = tmp_path / "ledger.toml"
    ledger.write_text(
        'files = { admissions = ["a.csv"] }\n'
        '[[units]]\nid = "quang-nam"\nname = "Quảng Nam"\nlevel = "province"\n'
        '[[terms]]\nid = "t"\nlabel = "2020–2025"\nstart = 2020-10-01\nend = 2025-12-31\n'
        '[[admissions]]\nunit = "quang-nam"\ndate = 2021-02-01\n',
        encoding="utf-8",
    )
    with pytest.raises(partydev.UnknownReferenceError) as info:
        partydev.load_ledger(ledger)
    assert info.value.file == str(tmp_path / "a.csv")
    assert info.value.line == 4
    assert "nowhere" in str(info.value)


def test_null_text_field_is_a_located_error() -> None:
    """A JSON null where text is expected is a ValidationError at its path, not a crash."""
    text = (
        '{"units": [{"id": "a", "name": "A", "level": "province"}],'
        ' "terms": [{"id": "t", "label": "x", "start": "2020-10-01", "end": "2025-12-31"}],'
        ' "targets": [{"unit": "a", "term": "t", "value": 1, "note": null}]}'
    )
    with pytest.raises(ValidationError) as info:
        partydev.loads_ledger(text, "x.json")
    assert str(info.value).startswith("x.json: targets[0].note: expected text")
