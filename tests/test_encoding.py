"""Any locale: the terminal degrades to its encoding, data on stdout is always UTF-8."""

from __future__ import annotations

import errno
import io
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partydev.report.terminal import display_width, fit_encoding
from partydev.shell.cli import EXIT_CODES, main

ENCODINGS = ["ascii", "iso-8859-1", "cp1252", "utf-8"]


@pytest.fixture
def run_in(child_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Runs ``partydev ARGV`` in a child process whose standard streams use *encoding*."""

    def run(*argv: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "partydev", *argv],
            capture_output=True,
            env={**child_env, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"},
            timeout=120,
            check=False,
        )

    return run


@given(st.text(), st.sampled_from(ENCODINGS))
def test_fit_encoding_always_encodes(text: str, encoding: str) -> None:
    """Whatever the text, the result encodes in the target encoding."""
    fit_encoding(text, encoding).encode(encoding)


@given(st.text(), st.sampled_from(ENCODINGS))
def test_fit_encoding_keeps_what_fits(text: str, encoding: str) -> None:
    """Text the encoding can hold comes back unchanged."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return
    assert fit_encoding(text, encoding) == text


@pytest.mark.parametrize("encoding", ["ascii", "iso-8859-1"])
def test_fit_encoding_keeps_vietnamese_widths(encoding: str) -> None:
    """Dropping accents keeps every letter's terminal width, so tables stay aligned."""
    text = "Đảng bộ tỉnh Quảng Nam ─ Huyện ủy Nam Giang — Thành ủy Tam Kỳ"
    fitted = fit_encoding(text, encoding)
    assert display_width(fitted) == display_width(text)
    assert fit_encoding("Đảng bộ", "ascii") == "Dang bo"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("ascii", "Tien do phat trien dang vien"), ("iso-8859-1", "Tiên do phát triên dang viên")],
)
def test_report_in_a_narrow_locale(
    run_in: Callable[..., subprocess.CompletedProcess[bytes]], encoding: str, expected: str
) -> None:
    """`partydev report` prints in the terminal's encoding instead of crashing."""
    done = run_in("report", encoding=encoding)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert expected in done.stdout.decode(encoding)


def test_report_in_the_c_locale(child_env: dict[str, str]) -> None:
    """Under LC_ALL=C without UTF-8 mode (ASCII, surrogateescape) the report still prints."""
    env = {**child_env, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [sys.executable, "-m", "partydev", "report"],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Tien do phat trien dang vien" in done.stdout.decode("ascii")


def test_formats_in_ascii(run_in: Callable[..., subprocess.CompletedProcess[bytes]]) -> None:
    """`partydev formats` prints its table in ASCII, headings without accents."""
    done = run_in("formats", encoding="ascii")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("ascii").splitlines()[0].split() == [
        "Dinh",
        "dang",
        "Duoi",
        "tep",
        "Plugin",
        "Phien",
        "ban",
        "Chieu",
        "Mo",
        "ta",
    ]


@pytest.mark.parametrize(
    ("argv", "marker"),
    [
        (["report", "-f", "csv", "-o", "-"], "Mã đơn vị"),
        (["report", "-o", "-"], "Tiến độ"),
        (["formats", "--json"], "Bảng CSV"),
        (["export-ledger"], "Quảng Nam"),
    ],
)
def test_data_on_stdout_is_utf8_in_any_locale(
    run_in: Callable[..., subprocess.CompletedProcess[bytes]], argv: list[str], marker: str
) -> None:
    """Data written to standard output is UTF-8 bytes even under an ASCII locale."""
    done = run_in(*argv, encoding="ascii")
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout.decode("utf-8")


class _FullStdout(io.TextIOWrapper):
    """A standard output whose every write finds the disk full."""

    def __init__(self) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_full_terminal_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The terminal table to a full stdout: exit 4 and one 'no space left' line."""
    monkeypatch.setattr(sys, "stdout", _FullStdout())
    assert main(["report", "--locale", "en"]) == EXIT_CODES["export_failed"]
    assert capsys.readouterr().err == "partydev: error: no space left on standard output\n"
