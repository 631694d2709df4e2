"""Writing that respects what is there: special files, symlinks, full disks, stale temp files.

Nothing here writes to a real device path directly: a device is reached through a
symlink in the test's own folder, so that a regression replaces the link, never
``/dev/null`` or ``/dev/full`` themselves.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from partydev import ExportError, Report
from partydev.shell.cli import EXIT_CODES, main
from partydev.shell.export import (
    STALE_AFTER,
    TEMP_SUFFIX,
    export,
    remove_stale_temporaries,
    write_atomically,
)

HAS_DEV_FULL = os.path.exists("/dev/full") and stat.S_ISCHR(os.stat("/dev/full").st_mode)
needs_dev_full = pytest.mark.skipif(not HAS_DEV_FULL, reason="no /dev/full on this platform")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


def _age(path: Path, seconds: float) -> None:
    """Make *path* look untouched for *seconds*."""
    then = time.time() - seconds
    os.utime(path, (then, then))


@needs_fifo
def test_fifo_destination_is_written_not_replaced(report: Report, tmp_path: Path) -> None:
    """A FIFO destination receives the export and stays a FIFO; no temp file appears."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    export(report, "csv", fifo)
    reader.join(timeout=10)
    assert received
    assert received[0].decode("utf-8-sig").startswith("Mã đơn vị")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_symlink_target_is_replaced_and_link_kept(report: Report, tmp_path: Path) -> None:
    """Through a symlink the target file gets the export (keeping its mode); the link stays."""
    data = tmp_path / "data"
    data.mkdir()
    target = data / "real.csv"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    export(report, "csv", link)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8-sig").startswith("Mã đơn vị")
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["data", "link.csv"]
    assert os.listdir(data) == ["real.csv"]


def test_dangling_symlink_creates_its_target(report: Report, tmp_path: Path) -> None:
    """A symlink to a file not there yet creates that file and keeps the link."""
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "new.json")
    export(report, "json", link)
    assert link.is_symlink()
    assert (tmp_path / "new.json").read_bytes().startswith(b"{")


def test_device_through_symlink_is_written_in_place(report: Report, tmp_path: Path) -> None:
    """A symlink to /dev/null is written through: the device and the link both stay."""
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    export(report, "csv", link)
    assert link.is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert os.listdir(tmp_path) == ["null"]


def test_folder_destination_is_an_export_error(report: Report, tmp_path: Path) -> None:
    """A folder as destination is an ExportError; nothing is written in or beside it."""
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportError, match="out"):
        export(report, "csv", folder)
    assert os.listdir(tmp_path) == ["out"]
    assert os.listdir(folder) == []


@needs_dev_full
def test_full_disk_file_is_one_error(report: Report, tmp_path: Path) -> None:
    """A full device is 'no space left on <destination>' with errno ENOSPC, not a traceback."""
    link = tmp_path / "full.csv"
    link.symlink_to("/dev/full")
    with pytest.raises(ExportError) as info:
        export(report, "csv", link)
    assert str(info.value) == f"{link}: no space left on {link}"
    assert info.value.errno == errno.ENOSPC
    assert os.listdir(tmp_path) == ["full.csv"]


@needs_dev_full
@pytest.mark.parametrize(
    ("argv", "plugins"),
    [
        (["report"], ""),
        (["report", "-f", "csv", "-o", "-"], ""),
        (["plugins"], ""),
        (["report", "-f", "xlsx", "-o", "-"], "xlsx"),
        (["report", "-f", "xlsx", "-o", "-", "-O", "streaming=on"], "xlsx"),
    ],
)
def test_full_stdout_is_one_line_exit_4(
    argv: list[str], plugins: str, child_env: dict[str, str]
) -> None:
    """Standard output on a full disk: exit 4 and exactly one line, in both languages."""
    if plugins:
        pytest.importorskip("partydev_xlsx")
    for locale, line in (
        ("vi", "partydev: error: không còn chỗ trống trên đầu ra chuẩn"),
        ("en", "partydev: error: no space left on standard output"),
    ):
        extra = ["--locale", locale] if argv[0] == "report" else []
        if argv[0] != "report" and locale == "en":
            continue
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [sys.executable, "-m", "partydev", *argv, *extra],
                stdout=full,
                stderr=subprocess.PIPE,
                env={**child_env, "PARTYDEV_LOAD_PLUGINS": plugins},
                timeout=120,
                check=False,
            )
        assert done.returncode == EXIT_CODES["export_failed"] == 4
        assert done.stderr.decode("utf-8").splitlines() == [line]


def test_dev_stdout_is_written_through(tmp_path: Path, child_env: dict[str, str]) -> None:
    """-o /dev/stdout writes into what standard output is (here a file), never replacing it."""
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout on this platform")
    out = tmp_path / "out.csv"
    with open(out, "wb") as stream:
        stream.write(b"header\n")
        stream.flush()
        done = subprocess.run(
            [sys.executable, "-m", "partydev", "report", "-f", "csv", "-o", "/dev/stdout"],
            stdout=stream,
            stderr=subprocess.PIPE,
            env=child_env,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("header\n\ufeffMã đơn vị")
    assert not [name for name in os.listdir("/dev") if name.endswith(TEMP_SUFFIX)]


def test_stale_temporaries_of_the_destination_go_on_next_write(
    report: Report, tmp_path: Path
) -> None:
    """A write removes its destination's temp files older than an hour, and only those."""
    stale = tmp_path / f".r.csv.0123456789ab{TEMP_SUFFIX}"
    fresh = tmp_path / f".r.csv.ba9876543210{TEMP_SUFFIX}"
    other = tmp_path / f".other.csv.0123456789ab{TEMP_SUFFIX}"
    for path in (stale, fresh, other):
        path.write_bytes(b"half")
    _age(stale, STALE_AFTER + 60)
    _age(other, STALE_AFTER + 60)
    export(report, "csv", tmp_path / "r.csv")
    assert sorted(os.listdir(tmp_path)) == sorted([fresh.name, other.name, "r.csv"])


def test_remove_stale_temporaries_files_and_folders(tmp_path: Path) -> None:
    """Stale temp files and folders go (a folder counts as fresh if anything in it is)."""
    old_file = tmp_path / f".a.csv.000000000000{TEMP_SUFFIX}"
    old_file.write_bytes(b"x")
    _age(old_file, 7200)
    old_folder = tmp_path / f"partydev-xlsx-abc{TEMP_SUFFIX}"
    old_folder.mkdir()
    (old_folder / "sheet1.xml").write_bytes(b"<x/>")
    _age(old_folder / "sheet1.xml", 7200)
    _age(old_folder, 7200)
    busy_folder = tmp_path / f"partydev-xlsx-def{TEMP_SUFFIX}"
    busy_folder.mkdir()
    (busy_folder / "sheet1.xml").write_bytes(b"<x/>")  # being written now
    _age(busy_folder, 7200)
    unrelated = tmp_path / "partydev-xlsx-keep"
    unrelated.mkdir()
    _age(unrelated, 7200)
    expected = sorted([str(old_file), str(old_folder)])
    assert remove_stale_temporaries(tmp_path, dry_run=True) == expected
    assert old_file.exists()
    assert old_folder.exists()
    assert remove_stale_temporaries(tmp_path) == expected
    assert sorted(os.listdir(tmp_path)) == sorted([busy_folder.name, unrelated.name])


def test_clean_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`partydev clean FOLDER` removes stale temp files and says which, in the locale."""
    stale = tmp_path / f".r.csv.0123456789ab{TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    _age(stale, 7200)
    assert main(["clean", str(tmp_path), "--dry-run", "--locale", "en"]) == 0
    assert capsys.readouterr().out == f"would remove {stale}\n"
    assert stale.exists()
    assert main(["clean", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"đã xoá {stale}\n"
    assert os.listdir(tmp_path) == []


def test_write_atomically_failure_removes_temp_through_symlink(tmp_path: Path) -> None:
    """A failing write through a symlink leaves target and link as they were, no temp file."""
    target = tmp_path / "real.json"
    target.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(target)

    def write(stream: object) -> None:
        raise OSError(errno.EIO, "disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        write_atomically(link, write)
    assert target.read_bytes() == b"old"
    assert link.is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real.json"]
