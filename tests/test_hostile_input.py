"""Hostile and careless input: each malformed file is one located PartydevError, never a hang.

One test per cause found by fuzzing the loaders (issue 10), with data of our own.
"""

from __future__ import annotations

import json
import os
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from partydev.errors import ParseError, PartydevError, ValidationError
from partydev.shell.cli import main
from partydev.shell.io import (
    DEFAULT_MAX_BYTES,
    load_ledger,
    loads_ledger,
    read_admissions_csv,
    read_tallies_csv,
    validate_ledger_file,
)

HEAD = textwrap.dedent(
    """\
    [[units]]
    id = "p"
    name = "Tỉnh"
    level = "province"

    [[terms]]
    id = "t"
    label = "2020–2025"
    start = 2020-10-01
    end = 2025-12-31
    """
)
JSON_HEAD: dict[str, Any] = {
    "units": [{"id": "p", "name": "Tỉnh", "level": "province"}],
    "terms": [{"id": "t", "label": "2020–2025", "start": "2020-10-01", "end": "2025-12-31"}],
}


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _json(**collections: Any) -> str:
    return json.dumps({**JSON_HEAD, **collections}, ensure_ascii=False, indent=1)


def _within(seconds: float, call: Callable[[], object]) -> BaseException | None:
    """Run *call* in a thread; fail if it is still running after *seconds*; return its error."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s"
    return outcome[0]


# -- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_invalid_utf8_in_a_ledger_names_line_and_byte(tmp_path: Path, suffix: str) -> None:
    """A byte that is not UTF-8 on line 3 of a ledger is a ParseError at file:3."""
    text = HEAD if suffix == ".toml" else _json()
    lines = text.encode("utf-8").split(b"\n")
    lines[2] = lines[2][:-1] + b"\xc3\x28"
    path = _write(tmp_path, "bad" + suffix, b"\n".join(lines))
    with pytest.raises(ParseError) as info:
        load_ledger(path)
    assert (info.value.file, info.value.line) == (str(path), 3)
    assert "not UTF-8" in str(info.value)
    assert "C3" in str(info.value)


def test_a_utf16_ledger_is_named_as_such(tmp_path: Path) -> None:
    """A ledger saved as UTF-16 says so instead of failing on its second byte."""
    path = _write(tmp_path, "wide.toml", HEAD.encode("utf-16"))
    with pytest.raises(ParseError, match="UTF-16; save it as UTF-8"):
        load_ledger(path)


@pytest.mark.parametrize("reader", [read_admissions_csv, read_tallies_csv])
def test_invalid_utf8_in_a_csv_names_line(tmp_path: Path, reader: Callable[..., Any]) -> None:
    """A bad byte deep in a CSV file names that file and its line, not a decoder chunk."""
    rows = "".join(f"p,2022-01-{1 + i % 28:02d},1\n" for i in range(5000))
    head = "unit,date,age\n" if reader is read_admissions_csv else "unit,period,count\n"
    if reader is read_tallies_csv:
        rows = "".join(f"p,2022-{1 + i % 12:02d},1\n" for i in range(5000))
    data = (head + rows).encode() + b"p,2022-01-01,\xff\n"
    path = _write(tmp_path, "bad.csv", data)
    with pytest.raises(ParseError) as info:
        reader(path)
    assert (info.value.file, info.value.line) == (str(path), 5002)


def test_unpaired_surrogate_escape_in_json_is_refused() -> None:
    """A JSON escape of half a UTF-16 pair is text no file can hold: refused with its path."""
    text = _json().replace('"Tỉnh"', '"T\\ud800nh"')
    with pytest.raises(ParseError) as info:
        loads_ledger(text, "x.json")
    assert info.value.path == "units[0].name"
    assert loads_ledger(_json().replace('"Tỉnh"', '"T\\ud83d\\ude00"'), "x.json")  # a pair is fine


# -- sizes of numbers and nesting --------------------------------------------------------


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_an_integer_of_5000_digits_is_a_located_parse_error(suffix: str) -> None:
    """An integer past Python's 4,300-digit limit is a ParseError naming its line."""
    huge = "7" * 5000
    if suffix == ".toml":
        text = HEAD + f'\n[[memberships]]\nunit = "p"\ndate = 2023-01-01\nmembers = {huge}\n'
        line = HEAD.count("\n") + 5
    else:
        text = _json().replace('"units"', f'"big": {huge},\n"units"')
        line = 2
    with pytest.raises(ParseError) as info:
        loads_ledger(text, "x" + suffix)
    assert info.value.line == line
    assert "4,300 digits" in str(info.value)


def test_a_count_of_19_digits_is_refused_at_its_field() -> None:
    """A count no population reaches is refused by the reader, naming the field."""
    text = HEAD + f'\n[[tallies]]\nunit = "p"\nperiod = "2022"\ncount = {10**19}\n'
    with pytest.raises(ValidationError) as info:
        loads_ledger(text)
    assert (info.value.path, info.value.field) == ("tallies[0].count", "count")
    members = _json(memberships=[{"unit": "p", "date": "2023-01-01", "members": 10**30}])
    with pytest.raises(ValidationError, match="at most 18 digits"):
        loads_ledger(members, "x.json")  # the fast path refuses it as the reader does


@pytest.mark.parametrize("suffix", [".toml", ".json"])
@pytest.mark.parametrize("opening", ["[", "{"])
def test_nesting_1000_deep_is_refused_before_parsing(suffix: str, opening: str) -> None:
    """Arrays or tables nested 1,000 deep are a ParseError, not a RecursionError."""
    closing = {"[": "]", "{": "}"}[opening]
    if suffix == ".toml":
        inner = "[" * 1000 + "]" * 1000 if opening == "[" else "{a=" * 1000 + "1" + "}" * 1000
        text = HEAD + f"\nx = {inner}\n"
    else:
        inner = (opening + ('"a":' if opening == "{" else "")) * 1000 + "1" + closing * 1000
        text = '{\n"x": ' + inner + "\n}"
    with pytest.raises(ParseError, match="nested more than 64 deep") as info:
        loads_ledger(text, "x" + suffix)
    assert info.value.line == (HEAD.count("\n") + 2 if suffix == ".toml" else 2)


def test_nesting_hidden_by_brackets_in_strings_is_still_refused() -> None:
    """Closing brackets inside strings cannot smuggle deep nesting past the check."""
    text = '{"a": "' + "]" * 2000 + '", "b": ' + "[" * 3000 + "]" * 3000 + "}"
    with pytest.raises(ParseError, match="nested"):
        loads_ledger(text, "x.json")


def test_brackets_in_strings_do_not_count_as_nesting() -> None:
    """A note full of brackets is text: the ledger loads."""
    text = HEAD.replace('name = "Tỉnh"', 'name = "' + "[" * 100 + "]" * 100 + '"')
    assert loads_ledger(text).units[0].name.startswith("[[[")


def test_a_deeply_nested_value_still_prints_in_one_line() -> None:
    """An error quoting a value nested 2,000 deep (TOML dotted keys) prints, cut short."""
    text = HEAD.replace('name = "Tỉnh"', "name" + ".a" * 2000 + " = 1")
    with pytest.raises(ValidationError) as info:
        loads_ledger(text)
    message = str(info.value)
    assert "units[0].name" in message
    assert "\n" not in message
    assert len(message) < 400


# -- value types at the loader boundary --------------------------------------------------


@pytest.mark.parametrize("entry", [3, None, True, [1, 2], {"x": 1}])
def test_a_files_entry_that_is_not_paths_names_it(tmp_path: Path, entry: object) -> None:
    """A files entry that is a number, null, true, a list of numbers or a table without
    a path names files.<kind> (and the entry's position when it is a table)."""
    path = _write(tmp_path, "l.json", _json(files={"admissions": entry}))
    with pytest.raises(ValidationError) as info:
        load_ledger(path)
    assert info.value.file == str(path)
    expected = "files.admissions[0]" if isinstance(entry, dict) else "files.admissions"
    assert info.value.path == expected


@pytest.mark.parametrize("values", ["[1, 2]", "[true]", '["a", 3]', "5"])
def test_category_values_must_be_text(values: str) -> None:
    """Category values that are numbers are refused at categories[0].values."""
    text = HEAD + textwrap.dedent(
        f"""
        [[categories]]
        id = "c"
        label_vi = "c"
        label_en = "c"
        attribute = "sex"
        values = {values}
        """
    )
    with pytest.raises(ValidationError) as info:
        loads_ledger(text)
    assert info.value.path == "categories[0].values"
    null = [{"id": "c", "label_vi": "c", "label_en": "c", "attribute": "s", "values": None}]
    with pytest.raises(ValidationError):
        loads_ledger(_json(categories=null), "x.json")


@pytest.mark.parametrize("period", [0, -5, 1799, 3000, 99999, 2**70])
def test_an_integer_period_outside_the_calendar_is_refused(period: int) -> None:
    """A tally period 0, −5, 99999, 2**70 or outside 1800–2999 is refused at tallies[0].period."""
    text = _json(tallies=[{"unit": "p", "period": period, "count": 1}])
    with pytest.raises(ValidationError) as info:
        loads_ledger(text, "x.json")
    assert (info.value.path, info.value.value) == ("tallies[0].period", period)


@pytest.mark.parametrize(
    ("field", "year"), [("first_target_year", 0), ("last_target_year", 10000)]
)
def test_a_target_year_outside_the_calendar_is_refused(field: str, year: int) -> None:
    """A term whose target years leave 1800–2999 is refused on load, not in the report."""
    text = HEAD + f"{field} = {year}\n"
    with pytest.raises(ValidationError) as info:
        loads_ledger(text)
    assert info.value.path == f"terms[0].{field}"


@pytest.mark.parametrize(
    "place",
    [
        ("start = 2020-10-01", "start = 2020-10-01T08:00:00", "terms[0].start"),
        ("end = 2025-12-31", "end = 2025-12-31 23:59:00", "terms[0].end"),
    ],
)
def test_a_toml_datetime_is_refused_where_a_date_belongs(place: tuple[str, str, str]) -> None:
    """A date with a time of day is refused with its path instead of failing a comparison."""
    old, new, where = place
    with pytest.raises(ValidationError, match="without a time of day") as info:
        loads_ledger(HEAD.replace(old, new))
    assert info.value.path == where


def test_a_datetime_in_a_claim_or_period_is_refused() -> None:
    """A claim's as_of or a period's start given with a time is refused on load."""
    claim = '\n[[claims]]\nid = "c"\nunit = "p"\nkind = "count"\nstated = "5"\n'
    with pytest.raises(ValidationError) as info:
        loads_ledger(HEAD + claim + "as_of = 2023-06-30T00:00:00\n")
    assert info.value.path == "claims[0].as_of"
    period = "period = { start = 2021-01-01T00:00:00, end = 2021-12-31 }\n"
    with pytest.raises(ValidationError) as info:
        loads_ledger(HEAD + claim + period)
    assert info.value.path == "claims[0].period"


def test_check_answers_for_a_27_digit_achieved_count(capsys: pytest.CaptureFixture[str]) -> None:
    """`check --percent --achieved` with a count past sys.maxsize answers instead of crashing."""
    code = main(["check", "--percent", "76,57%", "--achieved", "9" * 26, "--locale", "en"])
    out = capsys.readouterr().out
    assert code == 0
    assert "130,590,923,930,786,810,316,682,990–" in out


# -- special files, sizes ----------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_as_a_ledger_fails_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    """`partydev report /dev/zero` refuses it before reading a byte."""
    assert _within(5, lambda: main(["report", "/dev/zero"])) is None
    assert capsys.readouterr().err.strip() == (
        "partydev: error: /dev/zero: a ledger is a .toml or .json file (value '')"
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_behind_a_ledger_name_or_files_entry_is_refused(tmp_path: Path) -> None:
    """A symbolic link to /dev/zero, as the ledger or as a CSV, is refused without reading it."""
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    error = _within(5, lambda: load_ledger(tmp_path / "zero.json"))
    assert isinstance(error, ValidationError)
    assert "cannot read a character device" in str(error)
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    path = _write(tmp_path, "l.toml", 'files = { admissions = "zero.csv" }\n' + HEAD)
    error = _within(5, lambda: load_ledger(path, allow_outside=True))
    assert isinstance(error, ValidationError)
    assert error.file == str(tmp_path / "zero.csv")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A named pipe as the ledger, a CSV or under validate is refused at once, never waited on."""
    os.mkfifo(tmp_path / "pipe.toml")
    os.mkfifo(tmp_path / "pipe.csv")
    error = _within(5, lambda: load_ledger(tmp_path / "pipe.toml"))
    assert isinstance(error, ValidationError)
    assert "named pipe" in str(error)
    error = _within(5, lambda: read_tallies_csv(tmp_path / "pipe.csv"))
    assert isinstance(error, ValidationError)
    assert "named pipe" in str(error)
    problems: list[PartydevError] = []
    assert (
        _within(5, lambda: problems.extend(validate_ledger_file(tmp_path / "pipe.toml"))) is None
    )
    assert len(problems) == 1
    assert "named pipe" in str(problems[0])


def test_a_folder_as_a_csv_is_refused(tmp_path: Path) -> None:
    """A files entry naming a folder is an error naming it."""
    (tmp_path / "dir.csv").mkdir()
    path = _write(tmp_path, "l.toml", 'files = { tallies = "dir.csv" }\n' + HEAD)
    with pytest.raises(ValidationError, match="cannot read a folder"):
        load_ledger(path)


def test_the_size_limit_applies_to_ledger_and_csv(tmp_path: Path) -> None:
    """Files past max_bytes are refused, naming the limit; the default is 1 GiB."""
    assert DEFAULT_MAX_BYTES == 1 << 30
    _write(tmp_path, "t.csv", "unit,period,count\n" + "p,2022,1\n" * 200)
    path = _write(tmp_path, "l.toml", 'files = { tallies = "t.csv" }\n' + HEAD)
    with pytest.raises(ValidationError, match="larger than the limit of 100 bytes") as info:
        load_ledger(path, max_bytes=100)
    assert (info.value.file, info.value.value) == (str(path), path.stat().st_size)
    with pytest.raises(ValidationError) as info:
        load_ledger(path, max_bytes=1000)
    assert info.value.file == str(tmp_path / "t.csv")
    with pytest.raises(ValidationError, match="larger than the limit"):
        read_tallies_csv(tmp_path / "t.csv", max_bytes=1000)


def test_cli_max_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--max-bytes takes 2K-style sizes; a ledger past it is one line and exit 3."""
    path = _write(tmp_path, "l.toml", HEAD + "# " + "x" * 3000 + "\n")
    assert main(["export-ledger", str(path), "--max-bytes", "2K"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "larger than the limit of 2,048 bytes" in err
    assert main(["export-ledger", str(path), "--max-bytes", "4KiB"]) == 0
    with pytest.raises(SystemExit) as info:
        main(["report", str(path), "--max-bytes", "lots"])
    assert info.value.code == 2


# -- confined paths ----------------------------------------------------------------------


def _outside_setup(tmp_path: Path) -> tuple[Path, Path]:
    """A ledger in tmp/ledger/ and a valid tallies CSV in tmp/outside/."""
    outside = _write(tmp_path / "outside", "t.csv", "unit,period,count\np,2022,4\n")
    return tmp_path / "ledger", outside


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink", "symlinked-folder"])
def test_files_entries_stay_in_the_ledger_folder(tmp_path: Path, how: str) -> None:
    """Absolute, '..' and symlinked paths out of the folder are refused unless allowed."""
    folder, outside = _outside_setup(tmp_path)
    folder.mkdir()
    entry = {"absolute": str(outside), "dotdot": "../outside/t.csv"}.get(how, "in/t.csv")
    if how == "symlink":
        (folder / "in").mkdir()
        (folder / "in" / "t.csv").symlink_to(outside)
    elif how == "symlinked-folder":
        (folder / "in").symlink_to(outside.parent)
    path = _write(folder, "l.toml", f"files = {{ tallies = [{json.dumps(entry)}] }}\n" + HEAD)
    with pytest.raises(ValidationError) as info:
        load_ledger(path)
    assert (info.value.file, info.value.path, info.value.value) == (
        str(path),
        "files.tallies",
        entry,
    )
    assert "--allow-outside" in str(info.value)
    assert load_ledger(path, allow_outside=True).tallies[0].count == 4


def test_paths_inside_the_folder_load(tmp_path: Path) -> None:
    """Subfolders, './', '..' that comes back, and a symlink that stays inside are fine."""
    _write(tmp_path, "data/a.csv", "unit,period,count\np,2022,4\n")
    _write(tmp_path, "data/b.csv", "unit,period,count\np,2023,5\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "data" / "b.csv")
    entries = '["./data/a.csv", "data/../link.csv"]'
    path = _write(tmp_path, "l.toml", f"files = {{ tallies = {entries} }}\n" + HEAD)
    assert [t.count for t in load_ledger(path).tallies] == [4, 5]


def test_cli_allow_outside(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI refuses a files entry outside the folder with exit 3, and reads it when allowed."""
    folder, outside = _outside_setup(tmp_path)
    path = _write(folder, "l.toml", f'files = {{ tallies = "{outside}" }}\n' + HEAD)
    assert main(["export-ledger", str(path)]) == 3
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["export-ledger", str(path), "--allow-outside"]) == 0
    assert '"count": 4' in capsys.readouterr().out
    assert main(["validate", str(path)]) == 1
    assert main(["validate", str(path), "--allow-outside"]) == 0


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    """A CSV field over csv's 131,072-character limit names the file and line."""
    path = _write(tmp_path, "t.csv", "unit,period,count\np,2022,1\np,2023," + "9" * 200_000 + "\n")
    with pytest.raises(ValidationError) as info:
        read_tallies_csv(path)
    assert (info.value.file, info.value.line) == (str(path), 3)
    assert "field larger than field limit" in str(info.value)
    admissions = _write(tmp_path, "a.csv", "unit,date,x\np,2022-01-01," + "y" * 200_000 + "\n")
    with pytest.raises(ValidationError) as info:
        read_admissions_csv(admissions)
    assert info.value.line == 2


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("terms[0].end", HEAD.replace("end = 2025-12-31", "end = 9999-12-31")),
        ("tallies[0].period", HEAD + '[[tallies]]\nunit = "p"\nperiod = "9999-12"\ncount = 1\n'),
        ("tallies[0].period", HEAD + '[[tallies]]\nunit = "p"\nperiod = "0001-Q1"\ncount = 1\n'),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused(where: str, text: str) -> None:
    """A date or period in year 9999 or 1 is refused on load: reports add and subtract months."""
    with pytest.raises(ValidationError) as info:
        loads_ledger(text)
    assert info.value.path == where


def test_a_csv_admission_in_year_9999_is_refused(tmp_path: Path) -> None:
    """The bulk CSV path refuses out-of-range dates as the general path does, naming the line."""
    path = _write(tmp_path, "a.csv", "unit,date\np,2022-01-01\np,9999-12-31\n")
    with pytest.raises(ValidationError) as info:
        read_admissions_csv(path)
    assert (info.value.line, info.value.field) == (3, "date")
