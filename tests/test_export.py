"""The export shell: atomic replacement, stdout, streams, format guessing."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import pytest

from partydev import ExportError, PluginError, Report
from partydev.plugins.exporting import Exporter
from partydev.plugins.hookspecs import hookimpl
from partydev.shell.export import export, format_for_path
from partydev.shell.testing import registered


class _Failing:
    """A plugin whose exporter writes half a report and then raises."""

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        def write(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
            stream.write("half a report\n" * 10_000)
            raise RuntimeError("disk on fire")

        register(Exporter("failing", "Hỏng", "Failing", (".fail",), "text/plain", False, write))


def test_writes_file(report: Report, tmp_path: Path) -> None:
    """A successful export leaves exactly the destination in the directory."""
    target = tmp_path / "out.json"
    export(report, "json", target)
    assert target.read_bytes().startswith(b"{\n")
    assert os.listdir(tmp_path) == ["out.json"]


def test_failure_leaves_destination_untouched(report: Report, tmp_path: Path) -> None:
    """An exporter raising midway keeps the old file byte-identical and leaves no temp file."""
    target = tmp_path / "report.txt"
    target.write_bytes(b"previous \xe2\x80\x94 contents\r\n")
    with registered(_Failing()), pytest.raises(ExportError, match="failing") as info:
        export(report, "failing", target)
    assert target.read_bytes() == b"previous \xe2\x80\x94 contents\r\n"
    assert os.listdir(tmp_path) == ["report.txt"]
    assert isinstance(info.value.__cause__, RuntimeError)
    assert info.value.file == str(target)
    assert isinstance(info.value, OSError)


def test_missing_directory_is_export_error(report: Report, tmp_path: Path) -> None:
    """A destination in a missing directory is an ExportError naming it."""
    target = tmp_path / "nope" / "r.csv"
    with pytest.raises(ExportError, match="nope") as info:
        export(report, "csv", target)
    assert isinstance(info.value.__cause__, FileNotFoundError)


def test_keeps_existing_mode(report: Report, tmp_path: Path) -> None:
    """Replacing a file keeps its permission bits."""
    target = tmp_path / "r.csv"
    target.write_text("old")
    target.chmod(0o640)
    export(report, "csv", target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_bytes() != b"old"


def test_dash_is_stdout(report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    """'-' writes the export to standard output."""
    export(report, "csv", "-", {"bom": False})
    out = capsys.readouterr().out
    assert out.startswith("Mã đơn vị,Tên đơn vị")
    assert "quang-nam,Tỉnh Quảng Nam,province,4537,60.50" in out


def test_binary_stream_gets_utf8(report: Report) -> None:
    """A text exporter handed a binary stream writes UTF-8 and leaves the stream open."""
    buffer = io.BytesIO()
    export(report, "csv", buffer)
    assert not buffer.closed
    assert buffer.getvalue().decode("utf-8-sig").startswith("Mã đơn vị")


def test_unknown_format(report: Report, tmp_path: Path) -> None:
    """An unknown format is a PluginError listing the formats; nothing is written."""
    with pytest.raises(PluginError, match="available: csv, json"):
        export(report, "xlsx", tmp_path / "r.xlsx")
    assert os.listdir(tmp_path) == []


def test_unknown_option(report: Report, tmp_path: Path) -> None:
    """An option the exporter does not have is refused by name."""
    with pytest.raises(PluginError, match="'colour'"):
        export(report, "csv", tmp_path / "r.csv", {"colour": "red"})


def test_format_for_path() -> None:
    """The suffix chooses the format, case-insensitively; an unknown suffix is an error."""
    assert format_for_path("báo-cáo.CSV") == "csv"
    assert format_for_path(Path("x/y.json")) == "json"
    with pytest.raises(PluginError, match=r"\.csv, \.json"):
        format_for_path("r.docx")


class _Binary:
    """A plugin with a binary exporter."""

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        def write(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
            stream.write(b"\x00\x01" + report.title_vi.encode())

        register(Exporter("bin", "Nhị phân", "Binary", (".bin",), "x/bin", True, write))


def test_dash_binary_goes_to_buffer(
    report: Report, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """A binary exporter writing to '-' writes bytes to sys.stdout.buffer."""
    with registered(_Binary()):
        export(report, "bin", "-")
    assert capsysbinary.readouterr().out == b"\x00\x01" + "Báo cáo giữa nhiệm kỳ".encode()


def test_binary_file(report: Report, tmp_path: Path) -> None:
    """A binary exporter gets the raw file; the suffix of a plugin's format is known."""
    with registered(_Binary()):
        assert format_for_path(tmp_path / "x.BIN") == "bin"
        export(report, "bin", tmp_path / "x.bin")
    assert (tmp_path / "x.bin").read_bytes().startswith(b"\x00\x01B")
