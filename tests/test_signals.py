"""Signals during an export: one line, the documented exit code, no temporary file left.

Each test runs ``partydev`` in a child process with an exporter registered in that
process which writes half a report, says so by creating a file, and then waits;
the test sends the signal at that point.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import pytest

import partydev
from partydev import Report
from partydev.plugins.exporting import Exporter
from partydev.plugins.hookspecs import hookimpl
from partydev.shell.cli import EXIT_CODES, main
from partydev.shell.testing import registered

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CHILD = """
import signal, sys, time
from partydev.shell.cli import main
from partydev.plugins import Exporter
from partydev.plugins import hookimpl
from partydev.plugins import get_plugin_manager

ready = sys.argv[1]
# Whatever the test runner inherited (nohup ignores SIGHUP, and partydev rightly keeps an
# ignored signal ignored), the child starts with the default dispositions.
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGTERM, signal.SIG_DFL)

class Slow:
    @hookimpl
    def register_exporters(self, register):
        def write(report, stream, options):
            stream.write(b"half a report\\n" * 1000)
            stream.flush()
            open(ready, "w").close()
            time.sleep(60)

        register(Exporter("slow", "Chậm", "Slow", (".slow",), "x/slow", True, write))

get_plugin_manager().register(Slow(), name="slow")
raise SystemExit(main(sys.argv[2:]))
"""

CASES = [
    ("SIGINT", EXIT_CODES["interrupted"], "partydev: interrupted (Ctrl-C)"),
    ("SIGTERM", 128 + 15, "partydev: stopped by SIGTERM"),
    ("SIGHUP", 128 + 1, "partydev: stopped by SIGHUP"),
]


def _start(env: dict[str, str], ready: Path, *argv: str) -> subprocess.Popen[bytes]:
    """``partydev ARGV`` with the slow exporter, once it has written half a report."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ready), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            _, err = child.communicate()
            pytest.fail(f"the child never reached the write: {err.decode()}")
        time.sleep(0.02)
    return child


@pytest.mark.parametrize(("name", "code", "line"), CASES)
def test_signal_during_write(
    tmp_path: Path, child_env: dict[str, str], name: str, code: int, line: str
) -> None:
    """The signal mid-write exits with its code and one line; the old file stays, no temp."""
    if not hasattr(signal, name):
        pytest.skip(f"no {name} on this platform")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.slow"
    target.write_bytes(b"previous report")
    argv = ["report", "-f", "slow", "-o", str(target), "--locale", "en"]
    child = _start(child_env, tmp_path / "ready", *argv)
    assert len(os.listdir(out)) == 2  # the report and the temporary file being written
    child.send_signal(getattr(signal, name))
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == code
    assert stderr.decode("utf-8").splitlines() == [line]
    assert stdout == b""
    assert os.listdir(out) == ["report.slow"]
    assert target.read_bytes() == b"previous report"


def test_interrupt_in_vietnamese(tmp_path: Path, child_env: dict[str, str]) -> None:
    """Ctrl-C says so in the command's locale (Vietnamese by default)."""
    child = _start(child_env, tmp_path / "ready", "report", "-f", "slow", "-o", "-")
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130
    assert stderr.decode("utf-8").splitlines() == ["partydev: đã dừng (Ctrl-C)"]


class _Probe:
    """An exporter that records the signal handlers in force while it writes."""

    def __init__(self) -> None:
        self.seen: dict[str, Any] = {}

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        def write(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
            self.seen = {
                "term": signal.getsignal(signal.SIGTERM),
                "hup": signal.getsignal(signal.SIGHUP),
            }
            stream.write("x")

        register(Exporter("probe", "Dò", "Probe", (".probe",), "text/plain", False, write))


def test_handlers_only_while_the_command_runs(tmp_path: Path) -> None:
    """main() handles SIGTERM only while it runs, leaves an ignored SIGHUP ignored, restores."""
    probe = _Probe()
    before_term = signal.getsignal(signal.SIGTERM)
    before_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with registered(probe, name="probe"):
            code = main(["report", "-f", "probe", "-o", str(tmp_path / "r.probe")])
        assert code == 0
        assert probe.seen["term"] not in (before_term, signal.SIG_DFL)
        assert probe.seen["hup"] is signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) == before_term
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, before_hup)


def test_library_export_installs_no_handlers(report: Report, tmp_path: Path) -> None:
    """partydev.export leaves the process's signal handlers alone."""
    probe = _Probe()
    before = signal.getsignal(signal.SIGTERM)
    with registered(probe, name="probe"):
        partydev.export(report, "probe", tmp_path / "r.probe")
    assert probe.seen["term"] == before


def test_sigkill_leaves_old_file_and_clean_removes_the_rest(
    tmp_path: Path, child_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """After SIGKILL mid-write the old file is intact; `partydev clean` removes the temp file."""
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.slow"
    target.write_bytes(b"previous report")
    child = _start(child_env, tmp_path / "ready", "report", "-f", "slow", "-o", str(target))
    child.kill()
    child.communicate(timeout=60)
    [left] = [name for name in os.listdir(out) if name != "report.slow"]
    assert left.startswith(".report.slow.")
    assert left.endswith(".partydev-tmp")
    assert target.read_bytes() == b"previous report"
    assert main(["clean", str(out)]) == 0  # too fresh: a write may still be running
    assert len(os.listdir(out)) == 2
    then = time.time() - 2 * 3600
    os.utime(out / left, (then, then))
    assert main(["clean", str(out), "--locale", "en"]) == 0
    assert capsys.readouterr().out == f"removed {out / left}\n"
    assert os.listdir(out) == ["report.slow"]
