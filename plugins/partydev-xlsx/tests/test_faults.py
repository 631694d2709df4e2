"""Faults while writing XLSX: a full stream is one error, temporary folders never stay."""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, cast

import partydev_xlsx
import pytest

from partydev.errors import ExportError
from partydev.report import Report
from partydev.shell.export import TEMP_SUFFIX


class _Filling(io.RawIOBase):
    """A binary stream that takes *room* bytes, then fails like a full disk (or *error*)."""

    def __init__(self, room: int, error: BaseException | None = None) -> None:
        self.room = room
        self.error = error or OSError(errno.ENOSPC, "No space left on device")
        self.seen_folders: list[str] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.seen_folders = os.listdir(tempfile.gettempdir())
        if len(data) > self.room:
            raise self.error
        self.room -= len(data)
        return len(data)


@pytest.fixture
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private system temporary folder, to see what the plugin leaves in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Collects the "Exception ignored in …" reports Python would print."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(repr(u.exc_value)))
    return seen


@pytest.mark.parametrize("streaming", ["off", "on"])
def test_full_stream_is_one_error_without_noise(
    report: Report, own_tempdir: Path, unraisable: list[str], streaming: str
) -> None:
    """A stream that fills up raises once; the zip left open makes no noise later."""
    stream = _Filling(room=2000)
    with pytest.raises(OSError, match="No space left") as info:
        partydev_xlsx.write(report, cast(IO[bytes], stream), {"streaming": streaming})
    del info
    gc.collect()
    assert unraisable == []
    assert os.listdir(own_tempdir) == []


@pytest.mark.parametrize(
    "error", [OSError(errno.ENOSPC, "full"), KeyboardInterrupt(), RuntimeError("boom")]
)
def test_streaming_folder_removed_on_every_way_out(
    report: Report, own_tempdir: Path, unraisable: list[str], error: BaseException
) -> None:
    """The streaming folder is named partydev-xlsx-*.partydev-tmp and is gone after any error."""
    stream = _Filling(room=0, error=error)
    with pytest.raises(type(error)):
        partydev_xlsx.write(report, cast(IO[bytes], stream), {"streaming": "on"})
    gc.collect()
    [folder] = stream.seen_folders
    assert folder.startswith("partydev-xlsx-")
    assert folder.endswith(TEMP_SUFFIX)
    assert os.listdir(own_tempdir) == []
    assert unraisable == []


def test_streaming_folder_removed_after_success(report: Report, own_tempdir: Path) -> None:
    """A successful streaming write leaves nothing in the temporary folder."""
    buffer = io.BytesIO()
    partydev_xlsx.write(report, buffer, {"streaming": "on"})
    assert buffer.getvalue().startswith(b"PK")
    assert os.listdir(own_tempdir) == []


def test_full_stream_through_export_names_no_space(
    report: Report, own_tempdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through partydev.export a full stream is an ExportError saying no space is left."""
    from partydev import export
    from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager
    from partydev.shell.testing import registered

    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")  # only the plugin under test
    reset_plugin_manager()
    stream = _Filling(room=100)
    with registered(partydev_xlsx), pytest.raises(ExportError, match="no space left on"):
        export(report, "xlsx", cast(IO[bytes], stream))
