"""What a person sees at a terminal: fitted tables, colour, pager, progress, refusals.

The terminal is a real pseudo-terminal (:func:`os.openpty`) of a chosen size, so
``isatty`` and the window size are what the command sees in tmux or xterm.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

import partydev
from partydev.numbers import ROUNDING_MODES
from partydev.plugins.exporting import Exporter
from partydev.plugins.hookspecs import hookimpl
from partydev.report.terminal import display_width, render_report, wrap_text
from partydev.shell import _console, cli
from partydev.shell._cli_vi import HELP_VI, english_texts
from partydev.shell.cli import EXIT_CODES, ROUNDING_NAMES, build_parser, main
from partydev.shell.testing import registered, sample_report

fcntl = pytest.importorskip("fcntl", reason="pseudo-terminals are POSIX")
termios = pytest.importorskip("termios", reason="pseudo-terminals are POSIX")

ESCAPE = "\x1b["

# ---------------------------------------------------------------- a pseudo-terminal


class Screen:
    """What the pseudo-terminal received, with the terminal's CR LF read back as LF."""

    def __init__(self) -> None:
        self.data = bytearray()

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace").replace("\r\n", "\n")


@contextmanager
def _terminal(columns: int = 80, rows: int = 1000) -> Iterator[tuple[IO[str], Screen]]:
    """A text stream on a pseudo-terminal of *columns* × *rows*, and what it showed."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    stream = io.TextIOWrapper(io.FileIO(slave, "wb", closefd=True), encoding="utf-8")
    screen = Screen()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed
                return
            if not chunk:
                return
            screen.data += chunk

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield stream, screen
    finally:
        stream.close()
        reader.join(timeout=10)
        os.close(master)


def _run_on_terminal(
    argv: list[str],
    *,
    columns: int = 80,
    rows: int = 1000,
    stderr_too: bool = False,
) -> tuple[int, str, str]:
    """Run the command with stdout (and with *stderr_too*, stderr) on a pseudo-terminal."""
    captured_err = io.StringIO()
    saved = sys.stdout, sys.stderr
    with _terminal(columns, rows) as (stream, screen):
        sys.stdout, sys.stderr = stream, stream if stderr_too else captured_err
        try:
            code = main(argv)
        finally:
            stream.flush()
            sys.stdout, sys.stderr = saved
    return code, screen.text, captured_err.getvalue()


def _widest(text: str) -> int:
    return max(display_width(line) for line in text.splitlines())


# ---------------------------------------------------------------- a 300-unit ledger


def _big_ledger(path: Path, units: int = 300) -> Path:
    """A province with *units* − 1 grassroots organisations with long names."""
    lines = [
        'schema = "partydev-ledger/1"',
        'title = "Ba trăm đơn vị"',
        "",
        "[[units]]",
        'id = "p"',
        'name = "Đảng bộ tỉnh Quảng Nam"',
        'level = "province"',
        "",
        "[[terms]]",
        'id = "2020-2025"',
        'label = "2020–2025"',
        "start = 2020-10-01",
        "end = 2025-12-31",
        "",
        "[[targets]]",
        'unit = "p"',
        'term = "2020-2025"',
        "value = 90000",
    ]
    for number in range(1, units):
        lines += [
            "",
            "[[units]]",
            f'id = "u{number}"',
            f'name = "Đảng bộ xã Điện Phương Tây Bắc thuộc huyện Điện Bàn số {number}"',
            'level = "grassroots"',
            'parent = "p"',
            "",
            "[[targets]]",
            f'unit = "u{number}"',
            'term = "2020-2025"',
            f"value = {100 + number}",
        ]
        for year in (2021, 2022):
            lines += [
                "",
                "[[tallies]]",
                f'unit = "u{number}"',
                f'period = "{year}"',
                f"count = {20 + number % 17}",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300-unit ledger file."""
    return _big_ledger(tmp_path_factory.mktemp("big") / "big.toml")


# ---------------------------------------------------------------- widths


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_sample_fits_the_width(width: int, locale: str) -> None:
    """At 80 and 120 columns no line of the sample's report is wider than the terminal."""
    text = render_report(sample_report(), locale, width=width)
    assert _widest(text) <= width
    assert "Đảng bộ tỉnh Quảng Nam" in text


def test_without_a_width_the_text_is_unchanged() -> None:
    """render_report without width prints every terminal column, as callers had it."""
    text = render_report(sample_report(), "vi")
    assert text == partydev.render_report(sample_report(), "vi")
    assert _widest(text) > 120
    assert "2021" in text
    assert "Ẩn" not in text


@pytest.mark.parametrize("width", [80, 120])
def test_300_units_fit_the_width(
    width: int,
    big_ledger: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 300-unit ledger's report fits 80 and 120 columns; every unit is still there."""
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["report", str(big_ledger), "--as-of", "31/12/2022"]) == 0
    out = capsys.readouterr().out
    assert _widest(out) <= width
    assert out.count("Đảng bộ xã Điện Phương") == 299


def test_names_wrap_and_columns_keep_their_place() -> None:
    """A name too long for its column wraps below itself; the figures stay in their column."""
    text = render_report(sample_report(), "vi", width=80)
    lines = text.splitlines()
    bloc = next(i for i, line in enumerate(lines) if "Đảng bộ Khối các cơ" in line)
    assert lines[bloc + 1].strip() == "tỉnh"
    assert lines[bloc + 1].startswith("    tỉnh")  # under the name, indented
    header = lines[2]
    assert lines[bloc].index("500") + 3 == header.index("Chỉ tiêu") + len("Chỉ tiêu")


def test_narrow_terminal_hides_low_priority_columns_and_says_so() -> None:
    """At 80 columns the per-year columns go first, and a line names what is hidden."""
    text = render_report(sample_report(), "en", width=80)
    header = text.splitlines()[2]
    assert "Reached" in header
    assert "Status" in header
    assert "2021" not in header
    assert "columns hidden to fit the screen: " in text
    assert "2021" in text.split("columns hidden")[1]


def test_unknown_marker_and_missing_data_notes_survive_fitting(tmp_path: Path) -> None:
    """The '–' of an unknown count and the notes under the table stay when fitted."""
    report = sample_report()
    fitted = render_report(report, "vi", width=80)
    assert "–" in fitted
    wide = render_report(report, "vi")
    for line in wide.splitlines():
        if line.startswith("Chưa đủ số liệu:"):
            assert "Chưa đủ số liệu:" in fitted


def test_columns_and_wide_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--columns shows exactly those columns after the name; --wide ignores the width."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["report", "--columns", "achieved,percent", "--locale", "en"]) == 0
    header = capsys.readouterr().out.splitlines()[2].split()
    assert header == ["Unit", "Admitted", "Reached"]
    assert main(["report", "--wide"]) == 0
    assert _widest(capsys.readouterr().out) > 120
    assert main(["report", "--columns", "nope"]) == EXIT_CODES["usage"]
    assert "unknown column 'nope'" in capsys.readouterr().err


def test_check_fits_80_columns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """partydev check wraps its reasons instead of padding them to 300 columns."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["check"]) == EXIT_CODES["problems"]
    out = capsys.readouterr().out
    assert _widest(out) <= 80
    assert "815" in out


def test_wrap_text_never_exceeds_the_width() -> None:
    """Every wrapped line fits, long words are cut, and nothing is lost."""
    text = "  Đảng bộ " + "x" * 40 + " Quảng Nam"
    for width in range(1, 30):
        lines = wrap_text(text, width, hang=2)
        assert all(display_width(line) <= width for line in lines)
        assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")


# ---------------------------------------------------------------- the real terminal


def test_terminal_width_comes_from_the_terminal() -> None:
    """On a 80-column pseudo-terminal the report fits 80 columns, on 120 it fits 120."""
    for columns in (80, 120):
        code, screen, _ = _run_on_terminal(["report", "--no-pager"], columns=columns)
        assert code == 0
        plain = _strip_escapes(screen)
        assert _widest(plain) <= columns
        assert "Đảng bộ huyện Nam Giang" in plain


def _strip_escapes(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", text)


def test_colour_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Statuses and verdicts are coloured on a terminal; a pipe gets plain text."""
    pytest.importorskip("rich")
    code, screen, _ = _run_on_terminal(["check", "--no-pager"])
    assert code == EXIT_CODES["problems"]
    assert ESCAPE in screen
    assert "\x1b[1;31mKhông khớp với số liệu" in screen
    assert main(["check"]) == EXIT_CODES["problems"]
    assert ESCAPE not in capsys.readouterr().out


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR=1 turns colour off even on a terminal (no-color.org)."""
    monkeypatch.setenv("NO_COLOR", "1")
    code, screen, _ = _run_on_terminal(["report", "--no-pager"])
    assert code == 0
    assert ESCAPE not in screen


def test_tall_output_goes_through_the_pager(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Output taller than the terminal is given to $PAGER; --no-pager prints it directly."""
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    code, screen, _ = _run_on_terminal(["report"], rows=10)
    assert code == 0
    assert "Đảng bộ huyện Nam Giang" in paged.read_text(encoding="utf-8")
    assert "Nam Giang" not in screen
    paged.unlink()
    code, screen, _ = _run_on_terminal(["report", "--no-pager"], rows=10)
    assert "Nam Giang" in screen
    assert not paged.exists()


def test_short_output_is_not_paged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Output that fits the screen is printed, the pager never started."""
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    code, screen, _ = _run_on_terminal(["report"], rows=100)
    assert code == 0
    assert "Nam Giang" in screen
    assert not paged.exists()


# ---------------------------------------------------------------- progress


def _slow_build(monkeypatch: pytest.MonkeyPatch) -> None:
    build = partydev.build_report

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return build(*args, **kwargs)

    monkeypatch.setattr(cli, "build_report", slow)
    monkeypatch.setattr(_console, "PROGRESS_DELAY", 0.05)


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A report taking longer than the delay shows its step on stderr's terminal."""
    monkeypatch.delenv("CI", raising=False)  # progress is off under CI (tested below)
    _slow_build(monkeypatch)
    target = tmp_path / "out.csv"
    code, screen, _ = _run_on_terminal(["report", "-o", str(target)], stderr_too=True)
    assert code == 0
    assert "Đang lập báo cáo" in _strip_escapes(screen)
    assert "đã ghi" in screen  # then the one line saying what was written


def test_no_progress_in_a_pipe_or_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Progress is never written to a pipe, nor to a terminal under CI."""
    _slow_build(monkeypatch)
    target = tmp_path / "out.csv"
    assert main(["report", "-o", str(target)]) == 0
    assert "Đang" not in capsys.readouterr().err
    _slow_build(monkeypatch)
    monkeypatch.setenv("CI", "true")
    code, screen, _ = _run_on_terminal(["report", "-o", str(target)], stderr_too=True)
    assert code == 0
    assert "Đang" not in screen


# ---------------------------------------------------------------- binary data


def _write_bytes(report: partydev.Report, stream: IO[bytes], options: Any) -> None:
    stream.write(b"\x00\x01binary\xff")


class _BinaryPlugin:
    @hookimpl
    def register_exporters(self, register: Any) -> None:
        register(Exporter("bin", "Nhị phân", "Binary", (".bin",), "x/bin", True, _write_bytes))


def test_binary_refused_on_a_terminal() -> None:
    """A binary format without -o is refused on a terminal (exit 2), as curl does."""
    with registered(_BinaryPlugin()):
        code, screen, err = _run_on_terminal(["report", "-f", "bin"])
    assert code == EXIT_CODES["usage"]
    assert "binary" not in screen
    assert "\x00" not in screen
    assert err.startswith("partydev: error: không ghi dữ liệu nhị phân (bin) ra màn hình")


def test_binary_allowed_to_a_pipe_or_with_o_dash(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    """Into a pipe, or on a terminal with an explicit -o -, the bytes are written."""
    with registered(_BinaryPlugin()):
        assert main(["report", "-f", "bin"]) == 0
        assert capsysbinary.readouterr().out == b"\x00\x01binary\xff"
        code, screen, _ = _run_on_terminal(["report", "-f", "bin", "-o", "-"])
    assert code == 0
    assert "binary" in screen


# ---------------------------------------------------------------- words a person reads


@pytest.mark.parametrize("name", list(ROUNDING_NAMES))
def test_every_rounding_name_is_accepted(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each of the seven rounding modes has a name and gives the same as its constant."""
    assert main(["report", "--rounding", name, "-f", "json", "-o", "-"]) == 0
    by_name = capsys.readouterr().out
    assert main(["report", "--rounding", ROUNDING_NAMES[name], "-f", "json", "-o", "-"]) == 0
    assert capsys.readouterr().out == by_name


def test_rounding_names_cover_the_decimal_modes(capsys: pytest.CaptureFixture[str]) -> None:
    """The names map onto exactly partydev.numbers.ROUNDING_MODES; a bad one is exit 2."""
    assert set(ROUNDING_NAMES.values()) == set(ROUNDING_MODES)
    assert {"half-up", "down", "half-even"} <= set(ROUNDING_NAMES)
    with pytest.raises(SystemExit) as caught:
        main(["report", "--rounding", "bankers"])
    assert caught.value.code == EXIT_CODES["usage"]
    assert "half-up" in capsys.readouterr().err


def test_check_help_shows_single_percent_signs(capsys: pytest.CaptureFixture[str]) -> None:
    """check --help writes 59,75% (argparse does not unescape descriptions)."""
    for locale in ("vi", "en"):
        with pytest.raises(SystemExit):
            main(["check", "--help", "--locale", locale])
        out = capsys.readouterr().out
        assert "59,75%" in out
        assert "%%" not in out


def test_help_in_vietnamese_by_default_and_english_on_request(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--help speaks Vietnamese by default, English with --locale en or LANG=en_*."""
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "cách dùng: partydev report" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", "--help", "--locale", "en"])
    assert "usage: partydev report" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "show tracebacks on errors" in capsys.readouterr().out


def test_lang_chooses_the_output_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """LANG=en_US gives the English report; LANG=C keeps the Vietnamese default."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["report"]) == 0
    assert capsys.readouterr().out.startswith("Party-member development")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["report"]) == 0
    assert capsys.readouterr().out.startswith("Tiến độ")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert main(["report", "--locale", "vi"]) == 0
    assert capsys.readouterr().out.startswith("Tiến độ")


def test_every_help_text_has_a_vietnamese_translation() -> None:
    """No option or command ships with English help only, and no translation is stale."""
    english = english_texts(build_parser("en"))
    assert [text for text in english if text not in HELP_VI] == []
    assert [text for text in HELP_VI if text not in english] == []  # none left stale
    for text in HELP_VI.values():
        assert unicodedata.is_normalized("NFC", text)


def test_known_plugin_format_names_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    """-f xlsx or -o chart.png without the plugin says which package to install (exit 5)."""
    assert main(["report", "-f", "xlsx"]) == EXIT_CODES["plugin"]
    assert "pip install 'partydev[xlsx]'" in capsys.readouterr().err
    assert main(["report", "-o", "chart.png"]) == EXIT_CODES["plugin"]
    assert "partydev-chart" in capsys.readouterr().err


# ---------------------------------------------------------------- without rich


def test_without_rich_the_text_is_plain_and_progress_a_counter(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the terminal extra: the same table, no colour, a one-line progress counter."""
    monkeypatch.delenv("CI", raising=False)  # progress is off under CI
    for name in ("rich", "rich.console", "rich.text", "rich.progress"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    code, screen, _ = _run_on_terminal(["report", "--no-pager"])
    assert code == 0
    assert ESCAPE not in screen
    assert screen == render_report(sample_report(), "vi", width=80)
    _slow_build(monkeypatch)
    code, screen, _ = _run_on_terminal(
        ["report", "-o", str(tmp_path / "out.csv")], stderr_too=True
    )
    assert code == 0
    assert "Đang lập báo cáo … 0 s" in screen
