"""A ledger's validation names every problem, cross-record ones included, each located."""

from __future__ import annotations

import copy
import pickle
import textwrap
from pathlib import Path
from typing import Any

import pytest

from partydev.errors import (
    DuplicateError,
    InconsistentDataError,
    LedgerErrors,
    PartydevError,
    UnknownReferenceError,
)
from partydev.model.codec import ledger_from_data
from partydev.shell.cli import EXIT_CODES, main
from partydev.shell.io import load_ledger, validate_ledger_file

BASE: dict[str, Any] = {
    "units": [
        {"id": "p", "name": "Tỉnh", "level": "province"},
        {"id": "d", "name": "Huyện", "level": "district", "parent": "p"},
    ],
    "terms": [{"id": "t", "label": "2020–2025", "start": "2020-10-01", "end": "2025-12-31"}],
}

TOML = textwrap.dedent(
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

    [[targets]]
    unit = "ghost"
    term = "t"
    value = 10

    [[tallies]]
    unit = "p"
    period = "2021"
    count = 3

    [[tallies]]
    unit = "p"
    period = "2021-07-01..2022-06-30"
    count = 3

    [[claims]]
    id = "c"
    unit = "p"
    kind = "count"
    stated = "1.732"
    term = "nope"
    """
)


def _spoiled() -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data["targets"] = [{"unit": "ghost", "term": "t", "value": 1}]
    data["admissions"] = [
        {"unit": "d", "date": "2022-01-05", "person": "A1"},
        {"unit": "d", "date": "2019-01-05"},
        {"unit": "p", "date": "2022-02-05", "person": "A1"},
    ]
    data["claims"] = [{"id": "c", "unit": "p", "kind": "count", "stated": "1", "term": "x"}]
    return data


def test_every_cross_record_problem_is_collected() -> None:
    """Unknown unit and term, an admission outside the term and a duplicate person: all four."""
    with pytest.raises(LedgerErrors) as info:
        ledger_from_data(_spoiled())
    found = [(type(e), e.path, e.field) for e in info.value.errors]
    assert found == [
        (UnknownReferenceError, "targets[0]", "unit"),
        (InconsistentDataError, "admissions[1]", "date"),
        (UnknownReferenceError, "claims[0]", "term"),
        (DuplicateError, "admissions[2]", "person"),
    ]
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("4 problems; first: targets[0]: no such unit")


def test_duplicate_person_names_both_records() -> None:
    """A person admitted twice names the second record and, in its message, the first."""
    data = copy.deepcopy(BASE)
    data["admissions"] = [
        {"unit": "d", "date": "2022-01-05", "person": "A1"},
        {"unit": "d", "date": "2022-01-06", "person": "B2"},
        {"unit": "p", "date": "2022-02-05", "person": "A1"},
    ]
    with pytest.raises(DuplicateError) as info:
        ledger_from_data(data)
    assert (info.value.path, info.value.value, info.value.unit) == ("admissions[2]", "A1", "p")
    assert "admissions[0]" in info.value.message


def test_admissions_without_person_are_not_duplicates() -> None:
    """Many admissions without a person id are fine; distinct ids are fine."""
    data = copy.deepcopy(BASE)
    data["admissions"] = [
        {"unit": "d", "date": "2022-01-05"},
        {"unit": "d", "date": "2022-01-05"},
        {"unit": "d", "date": "2022-01-05", "person": "A"},
        {"unit": "d", "date": "2022-01-05", "person": "B"},
    ]
    assert len(ledger_from_data(data).admissions) == 4


def test_one_problem_keeps_its_own_class() -> None:
    """With a single problem the ledger raises that error itself, as before."""
    data = copy.deepcopy(BASE)
    data["targets"] = [{"unit": "ghost", "term": "t", "value": 1}]
    with pytest.raises(UnknownReferenceError):
        ledger_from_data(data)


def test_bad_hierarchy_does_not_hide_other_problems() -> None:
    """A unit with an unknown parent and a target for a missing unit are both reported."""
    data = copy.deepcopy(BASE)
    data["units"].append({"id": "x", "name": "X", "level": "district", "parent": "nowhere"})
    data["targets"] = [{"unit": "ghost", "term": "t", "value": 1}]
    with pytest.raises(LedgerErrors) as info:
        ledger_from_data(data)
    assert [e.path for e in info.value.errors] == ["units[2]", "targets[0]"]


def test_load_ledger_raises_one_error_carrying_all(tmp_path: Path) -> None:
    """load_ledger raises one error naming the file and the count; each problem is located."""
    path = tmp_path / "l.toml"
    path.write_text(TOML, encoding="utf-8")
    with pytest.raises(LedgerErrors) as info:
        load_ledger(path)
    assert str(info.value).startswith(f"3 problems; first: {path}: targets[0]: no such unit")
    assert [(e.file, e.path) for e in info.value.errors] == [
        (str(path), "targets[0]"),
        (str(path), "tallies[1]"),
        (str(path), "claims[0]"),
    ]
    assert [str(e) for e in validate_ledger_file(path)] == [str(e) for e in info.value.errors]


def test_validate_prints_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """partydev validate prints each cross-record problem on its own line and exits 1."""
    path = tmp_path / "l.toml"
    path.write_text(TOML, encoding="utf-8")
    code = main(["validate", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code == EXIT_CODES["problems"]
    assert len(err) == 4
    assert err[0].startswith(f"{path}: targets[0]: no such unit")
    assert err[1].startswith(f"{path}: tallies[1]: two tallies of one unit overlap")
    assert err[2].startswith(f"{path}: claims[0]: no such term")
    assert err[3] == f"3 lỗi trong {path}"


def test_other_commands_print_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A command loading a ledger with several problems prints one summary line."""
    path = tmp_path / "l.toml"
    path.write_text(TOML, encoding="utf-8")
    code = main(["check", str(path)])
    err = capsys.readouterr().err.splitlines()
    assert code != 0
    assert len(err) == 1
    assert "3 problems; first:" in err[0]


def test_csv_duplicate_person_names_both_lines(tmp_path: Path) -> None:
    """A person admitted twice in a CSV names both CSV lines."""
    (tmp_path / "a.csv").write_text(
        "unit,date,person\np,2022-01-05,A1\np,2022-01-06,B2\np,2022-02-05,A1\n",
        encoding="utf-8",
    )
    head = TOML.split("[[targets]]")[0]
    path = tmp_path / "l.toml"
    path.write_text('files = { admissions = ["a.csv"] }\n' + head, encoding="utf-8")
    with pytest.raises(DuplicateError) as info:
        load_ledger(path)
    csv_path = tmp_path / "a.csv"
    assert (info.value.file, info.value.line) == (str(csv_path), 4)
    assert f"{csv_path}:2" in info.value.message


def test_ledger_errors_pickle() -> None:
    """LedgerErrors survives pickling (multiprocessing) with every problem."""
    with pytest.raises(LedgerErrors) as info:
        ledger_from_data(_spoiled())
    again = pickle.loads(pickle.dumps(info.value))
    assert [str(e) for e in again.errors] == [str(e) for e in info.value.errors]
    assert isinstance(again, PartydevError)


def test_validate_reports_cross_record_problems_beside_bad_records(tmp_path: Path) -> None:
    """A bad record does not hide a broken reference elsewhere; indexes stay the file's."""
    text = TOML + textwrap.dedent(
        """
        [[claims]]
        id = "c2"
        unit = "p"
        kind = "count"
        stated = "1,5"

        [[claims]]
        id = "c3"
        unit = "nobody"
        kind = "count"
        stated = "3"
        """
    )
    path = tmp_path / "l.toml"
    path.write_text(text, encoding="utf-8")
    found = [(e.path, e.field) for e in validate_ledger_file(path)]
    assert found == [
        ("claims[1]", "stated"),
        ("targets[0]", "unit"),
        ("tallies[1]", "period"),
        ("claims[0]", "term"),
        ("claims[2]", "unit"),
    ]


def test_validate_skips_echoes_of_a_bad_unit(tmp_path: Path) -> None:
    """With a unit record invalid, references to it are not reported as missing too."""
    path = tmp_path / "l.toml"
    path.write_text(TOML.replace('level = "province"', 'level = "county"'), encoding="utf-8")
    assert [e.path for e in validate_ledger_file(path)] == ["units[0]"]


def test_validate_accepts_declared_levels(tmp_path: Path) -> None:
    """A unit at a level the ledger declares is valid for validate too."""
    head = TOML.split("[[targets]]")[0].replace('level = "province"', 'level = "ca"')
    path = tmp_path / "l.toml"
    path.write_text(
        '[[levels]]\nid = "ca"\nlabel_vi = "Công an"\nlabel_en = "Police"\ntier = 1\n\n' + head,
        encoding="utf-8",
    )
    assert validate_ledger_file(path) == []


def test_reference_problems_come_in_record_order() -> None:
    """Unknown units, terms and categories of targets, tallies and snapshots are each
    named at their record, in the records' order, among records that are fine."""
    data = {
        **BASE,
        "categories": [{"id": "young", "label_vi": "Trẻ", "label_en": "Young", "max_age": 30}],
        "targets": [
            {"unit": "p", "term": "t", "value": 5},
            {"unit": "ghost", "term": "t", "value": 5},
            {"unit": "d", "term": "nope", "value": 5, "category": "old"},
        ],
        "tallies": [
            {"unit": "d", "period": "2021", "count": 3, "breakdown": {"young": 1}},
            {"unit": "d", "period": "2022", "count": 3, "breakdown": {"old": 1}},
            {"unit": "ghost", "period": "2022", "count": 3},
        ],
        "memberships": [
            {"unit": "p", "date": "2021-01-01", "members": 9},
            {"unit": "ghost", "date": "2021-01-01", "members": 9},
        ],
    }
    with pytest.raises(LedgerErrors) as caught:
        ledger_from_data(data)
    assert [(e.path, e.field, e.value) for e in caught.value.errors] == [
        ("targets[1]", "unit", "ghost"),
        ("targets[2]", "term", "nope"),
        ("targets[2]", "category", "old"),
        ("tallies[1]", "category", "old"),
        ("tallies[2]", "unit", "ghost"),
        ("memberships[1]", "unit", "ghost"),
    ]


def test_units_ordered_and_grouped_as_given() -> None:
    """Targets and snapshots of a unit listed apart keep the ledger's order per unit."""
    data = {
        **BASE,
        "targets": [
            {"unit": "p", "term": "t", "value": 1},
            {"unit": "d", "term": "t", "value": 2},
            {"unit": "p", "term": "t", "value": 3},
        ],
        "memberships": [
            {"unit": "p", "date": "2022-01-01", "members": 9},
            {"unit": "d", "date": "2021-01-01", "members": 4},
            {"unit": "p", "date": "2021-01-01", "members": 8},
        ],
    }
    ledger = ledger_from_data(data)
    assert [t.value for t in ledger.targets_of("p")] == [1, 3]
    assert [m.members for m in ledger.memberships if m.unit == "p"] == [9, 8]
    assert ledger.members("p", ledger.memberships[0].date) == 9
    assert ledger.hierarchy.order() == ("p", "d")
