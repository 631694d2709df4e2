"""Levels are data: a ledger declares levels, with names and tiers, beside the built-in ones."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from partydev import build_report, export, format_cell
from partydev.errors import DuplicateError, UnknownReferenceError, ValidationError
from partydev.model.codec import ledger_from_data, ledger_to_data
from partydev.model.ledger import Ledger
from partydev.model.terms import Term
from partydev.model.units import BUILTIN_LEVELS, DeclaredLevel, Level, Unit
from partydev.report import render_table
from partydev.shell.cli import main
from partydev.shell.io import dumps_ledger, load_ledger, loads_ledger, sample_ledger

POLICE = "Đảng bộ Công an tỉnh"
MILITARY = "Đảng bộ Quân sự tỉnh"

LEDGER = textwrap.dedent(
    f"""\
    title = "Quảng Nam, lực lượng vũ trang"

    [[levels]]
    id = "cong-an-tinh"
    label_vi = "{POLICE}"
    label_en = "Provincial police party organisation"
    tier = 2

    [[levels]]
    id = "quan-su-tinh"
    label_vi = "{MILITARY}"
    label_en = "Provincial military party organisation"
    tier = 2

    [[levels]]
    id = "district"
    label_vi = "Huyện ủy"
    label_en = "District committee"

    [[units]]
    id = "qn"
    name = "Đảng bộ tỉnh Quảng Nam"
    level = "province"

    [[units]]
    id = "ca"
    name = "{POLICE} Quảng Nam"
    level = "cong-an-tinh"
    parent = "qn"

    [[units]]
    id = "qs"
    name = "{MILITARY} Quảng Nam"
    level = "quan-su-tinh"
    parent = "qn"

    [[units]]
    id = "ng"
    name = "Đảng bộ huyện Nam Giang"
    level = "district"
    parent = "qn"

    [[units]]
    id = "ca-cell"
    name = "Chi bộ Phòng Tham mưu"
    level = "cell"
    parent = "ca"

    [[terms]]
    id = "t"
    label = "2020–2025"
    start = 2020-10-01
    end = 2025-12-31

    [[tallies]]
    unit = "ca"
    period = "2021"
    count = "1.012"

    [[tallies]]
    unit = "qs"
    period = "2021"
    count = 87
    """
)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    path = tmp_path / "ledger.toml"
    path.write_text(LEDGER, encoding="utf-8")
    return load_ledger(path)


def test_declared_levels_load_with_their_tiers(ledger: Ledger) -> None:
    """Units at declared levels carry the declared level; a renamed built-in stays built in."""
    police = ledger.unit("ca").level
    assert isinstance(police, DeclaredLevel)
    assert (police.value, police.tier, police.label("vi")) == ("cong-an-tinh", 2, POLICE)
    assert ledger.unit("ng").level is Level.DISTRICT
    assert ledger.level("quan-su-tinh").label("en") == "Provincial military party organisation"
    assert ledger.level("district").label("vi") == "Huyện ủy"
    assert ledger.level("cell") is Level.CELL
    assert ledger.tallies_of("ca")[0].count == 1012


def test_report_names_declared_levels_in_both_locales(ledger: Ledger) -> None:
    """The level column keeps the code and renders the declared names, vi and en."""
    report = build_report(ledger, as_of=date(2023, 6, 30))
    table = report.tables[0]
    at = [c.key for c in table.columns].index("level")
    column = table.columns[at]
    cells = {row[0]: row[at] for row in table.rows}
    assert cells["ca"] == "cong-an-tinh"
    assert format_cell(column, "cong-an-tinh", "vi") == POLICE
    assert format_cell(column, "quan-su-tinh", "en") == "Provincial military party organisation"
    assert format_cell(column, "district", "en") == "District committee"
    assert format_cell(column, "province", "en") == "Province"  # not declared: built-in name
    vi = render_table(table, "vi", keys=["unit_name", "level"])
    en = render_table(table, "en", keys=["unit_name", "level"])
    assert [name for name in (POLICE, MILITARY, "Huyện ủy") if name in vi] == [
        POLICE,
        MILITARY,
        "Huyện ủy",
    ]
    assert "Provincial police party organisation" in en


def test_exports_name_declared_levels(ledger: Ledger) -> None:
    """JSON labels and a formatted CSV carry the declared names (XLSX: the plugin's tests)."""
    report = build_report(ledger, as_of=date(2023, 6, 30))
    stream = io.StringIO()
    export(report, "json", stream)
    document = json.loads(stream.getvalue())
    assert document["labels"]["cong-an-tinh"]["vi"] == POLICE
    assert document["labels"]["district"]["en"] == "District committee"
    stream = io.StringIO()
    export(report, "csv", stream, {"numbers": "formatted", "locale": "vi"})
    assert MILITARY in stream.getvalue()


def test_level_selection_uses_declared_tiers(ledger: Ledger) -> None:
    """Reporting down to a declared level keeps the units at or above its tier."""
    report = build_report(ledger, as_of=date(2023, 6, 30), level="cong-an-tinh")
    assert [row[0] for row in report.tables[0].rows] == ["qn", "ca", "qs", "ng"]
    with pytest.raises(ValidationError):
        build_report(ledger, as_of=date(2023, 6, 30), level="county")


def test_cli_level_accepts_a_declared_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """partydev report --level takes a declared level id and prints its English name."""
    path = tmp_path / "ledger.toml"
    path.write_text(LEDGER, encoding="utf-8")
    argv = ["report", str(path), "--as-of", "30/6/2023", "--level", "quan-su-tinh"]
    assert main([*argv, "-f", "csv", "-O", "numbers=formatted", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "Provincial military party organisation" in out
    names = [row["Unit"] for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))]
    assert "Chi bộ Phòng Tham mưu" not in names  # below the level: no row (a note may name it)
    assert main([*argv[:-1], "county"]) != 0
    assert "unknown level" in capsys.readouterr().err


def test_declared_levels_round_trip_through_json(ledger: Ledger) -> None:
    """A ledger with declared levels dumped to JSON loads back equal, levels included."""
    again = loads_ledger(dumps_ledger(ledger), "x.json")
    assert again == ledger
    assert again.levels == ledger.levels
    assert isinstance(again.unit("qs").level, DeclaredLevel)


def test_a_ledger_without_levels_writes_none() -> None:
    """A ledger declaring no level is written as before: no levels key."""
    assert "levels" not in ledger_to_data(sample_ledger())


def _data(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "units": [
            {"id": "p", "name": "P", "level": "province"},
            {"id": "x", "name": "X", "level": "cong-an-tinh", "parent": "p"},
        ],
        "terms": [{"id": "t", "label": "x", "start": "2020-10-01", "end": "2025-12-31"}],
        "levels": [{"id": "cong-an-tinh", "label_vi": POLICE, "label_en": "Police", "tier": 2}],
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("level", "field"),
    [
        ({"id": "province", "label_vi": "Tỉnh ủy", "label_en": "P", "tier": 3}, "tier"),
        ({"id": "new", "label_vi": "Mới", "label_en": "New"}, "tier"),
        ({"id": "new", "label_vi": " ", "label_en": "New", "tier": 2}, "label_vi"),
        ({"id": "new", "label_vi": "Mới", "label_en": "New", "tier": -1}, "tier"),
        ({"id": "", "label_vi": "Mới", "label_en": "New", "tier": 1}, "id"),
    ],
)
def test_bad_declared_level_names_its_field(level: dict[str, Any], field: str) -> None:
    """A built-in keeps its tier; a new level needs a tier, names and an id."""
    data = _data()
    data["levels"].append(level)
    with pytest.raises(ValidationError) as info:
        ledger_from_data(data)
    assert (info.value.path, info.value.field) == ("levels[1]", field)


def test_unit_at_undeclared_level_is_located() -> None:
    """A unit naming a level neither built in nor declared names its record."""
    with pytest.raises(ValidationError) as info:
        ledger_from_data(_data(levels=[]))
    assert (info.value.path, info.value.field, info.value.value) == (
        "units[1]",
        "level",
        "cong-an-tinh",
    )


def test_duplicate_level_id_is_refused() -> None:
    """Two declared levels with one id are a DuplicateError naming the second."""
    data = _data()
    data["levels"].append(dict(data["levels"][0]))
    with pytest.raises(DuplicateError) as info:
        ledger_from_data(data)
    assert info.value.path == "levels[1]"


def test_python_ledger_checks_declared_levels() -> None:
    """A Unit given a DeclaredLevel the ledger does not declare is refused, located."""
    police = DeclaredLevel("cong-an-tinh", POLICE, "Police", 2)
    units = (Unit("p", "P", "province"), Unit("x", "X", police, "p"))
    terms = (Term("t", "x", date(2020, 10, 1), date(2025, 12, 31)),)
    assert Ledger(units, terms, levels=(police,)).unit("x").level == police
    with pytest.raises(UnknownReferenceError) as info:
        Ledger(units, terms)
    assert (info.value.path, info.value.unit) == ("units[1]", "x")


def test_builtin_levels_are_the_default() -> None:
    """The built-in list is unchanged, in tier order, each with both names."""
    assert [level.value for level in BUILTIN_LEVELS] == [
        "nation",
        "province",
        "district",
        "city",
        "bloc",
        "grassroots",
        "cell",
    ]
    assert Level.BLOC.label("vi") == "Đảng bộ khối"
    assert Unit("a", "A", "bloc").level is Level.BLOC
