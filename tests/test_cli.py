"""The ``partydev`` command: output, files written, exit codes and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pytest

from partydev import Report, __version__
from partydev.plugins import LOAD_PLUGINS_ENV
from partydev.plugins.exporting import Exporter
from partydev.plugins.hookspecs import hookimpl
from partydev.shell.cli import EXIT_CODES, main
from partydev.shell.testing import registered

HYPERLINK = '=HYPERLINK("http://x","y")'

SMALL_LEDGER = """\
schema = "partydev-ledger/1"
title = "Small"

[[units]]
id = "p"
name = '{name}'
level = "province"

[[terms]]
id = "2020-2025"
label = "2020–2025"
start = 2020-10-01
end = 2025-12-31

[[targets]]
unit = "p"
term = "2020-2025"
value = {value}

[[tallies]]
unit = "p"
period = "2021"
count = {count}
"""


def _ledger(
    tmp_path: Path, name: str = "Chi bộ Nhỏ", value: str = "100", count: str = "40"
) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SMALL_LEDGER.format(name=name, value=value, count=count), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _exit_code(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run a command that argparse rejects; returns its exit code and stderr."""
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    return int(str(caught.value.code)), capsys.readouterr().err


# -------------------------------------------------------------- the main job


@pytest.mark.parametrize("argv", [[], ["report"]])
def test_report_prints_the_quang_nam_table(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """Plain `partydev` and `partydev report` print the sample's mid-term figures."""
    code, out, err = _run(capsys, *argv)
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Tiến độ phát triển đảng viên nhiệm kỳ 2020–2025, tính đến ngày 30/6/2023"
    province = next(line for line in lines if line.startswith("Đảng bộ tỉnh Quảng Nam"))
    assert province.split()[5:9] == ["7.500", "4.537", "60,5%", "50,0%"]
    nam_giang = next(line for line in lines if "Đảng bộ huyện Nam Giang" in line)
    assert nam_giang.startswith("  Đảng bộ huyện Nam Giang")
    assert nam_giang.split()[5:8] == ["350", "268", "76,6%"]
    assert "Nguồn số liệu: Báo Quảng Nam, 7/7/2023" in lines


def test_report_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    """--locale en uses English labels and English number format."""
    code, out, _ = _run(capsys, "report", "--locale", "en")
    assert code == 0
    assert out.startswith("Party-member development, term 2020–2025, as of 2023-06-30\n")
    province = next(line for line in out.splitlines() if line.startswith("Đảng bộ tỉnh"))
    assert province.split()[5:10] == ["7,500", "4,537", "60.5%", "50.0%", "Ahead"]
    assert "4.537" not in out


@pytest.mark.parametrize("as_of", ["30/6/2023", "2023-06-30"])
def test_as_of_accepts_both_date_forms(capsys: pytest.CaptureFixture[str], as_of: str) -> None:
    """--as-of takes the Vietnamese d/m/yyyy and ISO forms alike."""
    code, out, _ = _run(capsys, "report", "--as-of", as_of)
    assert code == 0
    assert "tính đến ngày 30/6/2023" in out.splitlines()[0]
    assert "4.537" in out


def test_as_of_earlier_date_changes_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """An earlier --as-of reports fewer admissions than the mid-term figure."""
    code, out, _ = _run(capsys, "report", "--as-of", "31/12/2022", "--level", "province")
    assert code == 0
    assert "tính đến ngày 31/12/2022" in out
    assert "3.609" in out  # 1.732 + 1.877
    assert "4.537" not in out


@pytest.mark.parametrize("bad", ["2023-13-01", "31/2/2023", "yesterday"])
def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    """A date that does not exist exits 2 with argparse's message naming it."""
    code, err = _exit_code(capsys, "report", "--as-of", bad)
    assert code == EXIT_CODES["usage"] == 2
    assert "partydev report: error: argument --as-of: not a" in err
    assert f"{bad!r}" in err
    assert "Traceback" not in err


def test_level_province_keeps_only_the_province(capsys: pytest.CaptureFixture[str]) -> None:
    """--level province drops the district, city and bloc rows."""
    code, out, _ = _run(capsys, "report", "--level", "province")
    assert code == 0
    assert "Đảng bộ tỉnh Quảng Nam" in out
    for name in ("Nam Giang", "Tam Kỳ", "Khối các cơ quan"):
        assert name not in out
    assert "4.537" in out


def test_no_rollup_reports_own_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """--no-rollup is --rollup own, and the report says so."""
    code, out, _ = _run(capsys, "report", "--no-rollup")
    assert code == 0
    assert "Cách cộng dồn: Chỉ số liệu của đơn vị" in out
    _, default, _ = _run(capsys, "report")
    assert "Cách cộng dồn: Cộng dồn cấp dưới, ưu tiên số cấp trên báo cáo" in default
    code, same, _ = _run(capsys, "report", "--rollup", "own")
    assert same == out


# -------------------------------------------------------------- exports


def _read_csv(path: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = path.read_bytes()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return raw, list(csv.DictReader(handle))


def test_csv_export_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """-f csv -o out.csv writes a UTF-8 CSV with a BOM and the sample's figures."""
    target = tmp_path / "out.csv"
    code, out, err = _run(capsys, "report", "-f", "csv", "-o", str(target))
    size = f"{target.stat().st_size / 1000:.1f}".replace(".", ",")
    assert (code, out, err) == (0, "", f"partydev: đã ghi {target} (4 dòng, {size} kB)\n")
    raw, rows = _read_csv(target)
    assert raw.startswith(b"\xef\xbb\xbf")
    by_id = {row["Mã đơn vị"]: row for row in rows}
    assert list(by_id) == ["quang-nam", "nam-giang", "tam-ky", "khoi-co-quan"]
    assert by_id["quang-nam"]["Đơn vị"] == "Đảng bộ tỉnh Quảng Nam"
    assert by_id["quang-nam"]["Chỉ tiêu"] == "7500"
    assert by_id["quang-nam"]["Đã kết nạp"] == "4537"
    assert by_id["quang-nam"]["Tỷ lệ đạt (%)"] == "60.5"
    assert by_id["nam-giang"]["Đã kết nạp"] == "268"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_suffix_chooses_the_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """-o report.csv without -f writes CSV, guessed from the suffix."""
    target = tmp_path / "report.csv"
    code, _, _ = _run(capsys, "report", "-o", str(target))
    assert code == 0
    _, rows = _read_csv(target)
    assert rows[0]["Đã kết nạp"] == "4537"


def test_json_export_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """-f json -o - writes the report as JSON on standard output."""
    code, out, err = _run(capsys, "report", "-f", "json", "-o", "-")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["metadata"]["as_of"] == "2023-06-30"
    assert data["metadata"]["source"] == "Báo Quảng Nam, 7/7/2023"
    assert "4537" in out


def test_formula_in_a_unit_name_is_inert_in_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A unit named like a spreadsheet formula is exported as text prefixed with '."""
    ledger = _ledger(tmp_path, name=HYPERLINK)
    target = tmp_path / "out.csv"
    code, _, err = _run(
        capsys, "report", str(ledger), "--as-of", "30/6/2023", "-f", "csv", "-o", str(target)
    )
    assert (code, err) == (0, f"partydev: đã ghi {target} (1 dòng, {target.stat().st_size} B)\n")
    _, rows = _read_csv(target)
    assert rows[0]["Đơn vị"] == "'" + HYPERLINK
    # Only 2021 is tallied: the term to date is unknown, 40 is a lower bound.
    assert rows[0]["Đã kết nạp"] == ""
    assert rows[0]["Đã biết (ít nhất)"] == "40"


class _Boom:
    """A plugin whose exporter writes half a report, then fails."""

    @staticmethod
    def write(report: Report, stream: IO[Any], options: Any) -> None:
        stream.write("Mã đơn vị,Đơn vị\nquang-nam,")
        raise RuntimeError("disk on fire")

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(Exporter("boom", "Hỏng", "Broken", (".boom",), "text/plain", False, self.write))


def test_failed_export_leaves_the_file_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An exporter failing mid-write exits 4; the old file is byte-identical, no temp file."""
    target = tmp_path / "out.csv"
    before = b"old report\r\n\xc4\x90\xe1\xba\xa3ng\r\n"
    target.write_bytes(before)
    with registered(_Boom(), name="boom"):
        code, out, err = _run(capsys, "report", "-f", "boom", "-o", str(target))
    assert code == EXIT_CODES["export_failed"] == 4
    assert out == ""
    assert err.splitlines() == [
        f"partydev: error: {target}: could not write the 'boom' export: RuntimeError: disk on fire"
    ]
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unknown_option_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown exporter option exits 5 before anything is written."""
    target = tmp_path / "out.csv"
    target.write_bytes(b"keep me")
    code, _, err = _run(capsys, "report", "-f", "csv", "-O", "bogus=1", "-o", str(target))
    assert code == EXIT_CODES["plugin"] == 5
    assert len(err.splitlines()) == 1
    assert "'bogus'" in err
    assert target.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_unknown_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown format exits 5 with one stderr line naming it and the known ones."""
    code, out, err = _run(capsys, "report", "-f", "nope", "-o", str(tmp_path / "x.nope"))
    assert code == 5
    assert out == ""
    assert err.splitlines() == [
        "partydev: error: unknown export format 'nope'; available: csv, json (value 'nope')"
    ]
    assert list(tmp_path.iterdir()) == []


def test_unknown_suffix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """-o with a suffix no exporter claims exits 5 and lists the known suffixes."""
    code, _, err = _run(capsys, "report", "-o", str(tmp_path / "x.docx"))
    assert code == 5
    assert len(err.splitlines()) == 1
    assert "known suffixes: .csv, .json" in err
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------- errors


def test_invalid_ledger_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A ledger error exits 3 with one stderr line naming file, path and value; no traceback."""
    ledger = _ledger(tmp_path, count="-4")
    code, out, err = _run(capsys, "report", str(ledger))
    assert code == EXIT_CODES["invalid_input"] == 3
    assert out == ""
    assert err.splitlines() == [
        f"partydev: error: {ledger}: tallies[0]: cannot be negative "
        "(unit 'p', field 'count', value -4)"
    ]


def test_invalid_json_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Malformed JSON exits 3 naming the file and line."""
    ledger = tmp_path / "broken.json"
    ledger.write_text('{\n  "units": [\n    {"id": "p",,}\n  ]\n}\n', encoding="utf-8")
    code, _, err = _run(capsys, "report", str(ledger))
    assert code == 3
    assert len(err.splitlines()) == 1
    assert err.startswith(f"partydev: error: {ledger}:3: invalid JSON")


def test_missing_ledger(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A ledger file that does not exist exits 3 naming it."""
    missing = tmp_path / "none.toml"
    code, _, err = _run(capsys, "report", str(missing))
    assert code == 3
    assert err.splitlines() == [
        f"partydev: error: {missing}: cannot read the ledger: No such file or directory"
    ]


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--debug prints the traceback instead of the one line, with the same exit code."""
    ledger = _ledger(tmp_path, count="-4")
    code, _, err = _run(capsys, "--debug", "report", str(ledger))
    assert code == 3
    assert err.startswith("Traceback (most recent call last):")
    assert err.rstrip().endswith(
        f"partydev.errors.ValidationError: {ledger}: tallies[0]: cannot be negative "
        "(unit 'p', field 'count', value -4)"
    )


def test_validate_reports_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """validate lists both bad records with their locations and exits 1."""
    ledger = _ledger(tmp_path, value='"x"', count="-4")
    code, out, err = _run(capsys, "validate", str(ledger))
    assert code == EXIT_CODES["problems"] == 1
    assert out == ""
    assert err.splitlines() == [
        f"{ledger}: targets[0].value: expected a whole number (a count, thousands grouped"
        " by three: 1732 or '1.732') (field 'value', value 'x')",
        f"{ledger}: tallies[0]: cannot be negative (unit 'p', field 'count', value -4)",
        f"2 lỗi trong {ledger}",
    ]


def test_validate_good_ledger(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """validate on a valid ledger says so, in the chosen language, and exits 0."""
    ledger = _ledger(tmp_path)
    assert _run(capsys, "validate", str(ledger)) == (0, f"{ledger}: hợp lệ\n", "")
    assert _run(capsys, "validate", str(ledger), "--locale", "en") == (0, f"{ledger}: ok\n", "")


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A command that does not exist exits 2."""
    code, err = _exit_code(capsys, "frobnicate")
    assert code == 2
    assert "invalid choice: 'frobnicate'" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version and exits 0."""
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"partydev {__version__}\n"


# -------------------------------------------------------------- ledgers


def test_exported_ledger_reports_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """export-ledger then report of that JSON gives exactly the sample's report."""
    target = tmp_path / "x.json"
    code, out, err = _run(capsys, "export-ledger", "-o", str(target), "--locale", "en")
    assert (code, out) == (0, "")
    assert err.startswith(f"partydev: wrote {target} (")
    assert err.endswith(" kB)\n")
    assert json.loads(target.read_text(encoding="utf-8"))["units"][0]["id"] == "quang-nam"
    code, from_file, err = _run(capsys, "report", str(target), "--as-of", "30/6/2023")
    assert (code, err) == (0, "")
    _, sample, _ = _run(capsys, "report")
    assert from_file == sample
    assert "4.537" in from_file


def test_export_ledger_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """export-ledger without -o prints the sample ledger as JSON."""
    code, out, _ = _run(capsys, "export-ledger")
    assert code == 0
    data = json.loads(out)
    assert [unit["name"] for unit in data["units"]][1] == "Đảng bộ huyện Nam Giang"


# -------------------------------------------------------------- plugins


def test_formats_table(capsys: pytest.CaptureFixture[str]) -> None:
    """formats lists the export then the import formats with the plugin and version of each."""
    code, out, _ = _run(capsys, "formats", "--locale", "en")
    assert code == 0
    rows = [line.split()[:5] for line in out.splitlines()[2:]]
    assert rows == [
        ["csv", ".csv", "partydev.shell.exporters.csv", __version__, "export"],
        ["json", ".json", "partydev.shell.exporters.json", __version__, "export"],
        ["csv", ".csv", "partydev.shell.importers.builtin", __version__, "import"],
        ["json", ".json", "partydev.shell.importers.builtin", __version__, "import"],
        ["toml", ".toml", "partydev.shell.importers.builtin", __version__, "import"],
    ]


def test_formats_json(capsys: pytest.CaptureFixture[str]) -> None:
    """formats --json prints one parseable record per format."""
    code, out, _ = _run(capsys, "formats", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["direction"], r["name"], r["plugin"]) for r in rows] == [
        ("export", "csv", "partydev.shell.exporters.csv"),
        ("export", "json", "partydev.shell.exporters.json"),
        ("import", "csv", "partydev.shell.importers.builtin"),
        ("import", "json", "partydev.shell.importers.builtin"),
        ("import", "toml", "partydev.shell.importers.builtin"),
    ]
    assert {r["version"] for r in rows} == {__version__}
    assert rows[0]["suffixes"] == [".csv"]
    assert "locale" in rows[0]["options"]


def test_plugins_json(capsys: pytest.CaptureFixture[str]) -> None:
    """plugins prints JSON listing the built-in plugins without errors."""
    code, out, _ = _run(capsys, "plugins")
    assert code == 0
    rows = json.loads(out)
    assert [(r["name"], r["exporters"], r["builtin"], r["error"]) for r in rows] == [
        ("partydev.shell.exporters.csv", ["csv"], True, None),
        ("partydev.shell.exporters.json", ["json"], True, None),
        ("partydev.shell.importers.builtin", [], True, None),
    ]
    assert rows[-1]["importers"] == ["toml", "json", "csv"]


# -------------------------------------------------------------- real processes


def _env(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    env["PYTHONIOENCODING"] = "utf-8"
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _script() -> str:
    script = shutil.which("partydev", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.fail("the partydev console script is not installed: pip install -e .")
    return script


def test_python_m_partydev(tmp_path: Path) -> None:
    """`python -m partydev` runs the main job in a real process."""
    done = subprocess.run(
        [sys.executable, "-m", "partydev"],
        capture_output=True,
        env=_env(**{LOAD_PLUGINS_ENV: ""}),
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert "Đảng bộ huyện Nam Giang" in out
    assert "4.537" in out
    assert done.stderr == b""


def test_console_script_with_a_broken_plugin(tmp_path: Path) -> None:
    """With every plugin loading, csv and markdown exports work and warn once, naming `broken`."""
    for name in ("partydev-broken", "partydev-markdown"):
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name} is not installed; see the README's test command")
    done = subprocess.run(
        [_script(), "report", "-f", "csv"],
        capture_output=True,
        env=_env(**{LOAD_PLUGINS_ENV: None}),
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert rows[0]["Đã kết nạp"] == "4537"
    warnings = done.stderr.decode("utf-8").splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("partydev: warning: partydev plugin 'broken'")
    assert "fails on import on purpose" in warnings[0]
    markdown = subprocess.run(
        [_script(), "report", "--format", "markdown", "--output", "-"],
        capture_output=True,
        env=_env(**{LOAD_PLUGINS_ENV: None}),
        cwd=tmp_path,
        check=False,
    )
    assert markdown.returncode == 0, markdown.stderr
    assert "Đảng bộ huyện Nam Giang" in markdown.stdout.decode("utf-8")
    assert "4.537" in markdown.stdout.decode("utf-8")
    assert len(markdown.stderr.splitlines()) == 1


def test_main_leaves_no_process_wide_settings(capsys: pytest.CaptureFixture[str]) -> None:
    """After a command the collector and the warnings formatter are as they were."""
    import gc
    import warnings

    before = (gc.isenabled(), warnings.formatwarning, warnings.showwarning)
    assert main(["report", "--locale", "en"]) == 0
    capsys.readouterr()
    assert (gc.isenabled(), warnings.formatwarning, warnings.showwarning) == before
