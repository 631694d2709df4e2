"""The XLSX bytes are pinned: speed work on the exporter must not change one byte."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import itertools
from pathlib import Path

import partydev_xlsx
import pytest

from partydev.report import Report
from partydev.testing import sample_report

# The synthetic report shared with the CSV and JSON byte tests (this plugin's own
# ``tests`` package hides the repository's, so it is loaded by path).
_SPEC = importlib.util.spec_from_file_location(
    "export_synthetic", Path(__file__).parents[3] / "tests" / "export_synthetic.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
_SYNTHETIC = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_SYNTHETIC)
synthetic_report = _SYNTHETIC.synthetic_report


def _xlsx_bytes(report: Report) -> bytes:
    """*report* as XLSX in both locales, both memory modes, with and without a chart."""
    out = io.BytesIO()
    for locale, streaming, chart in itertools.product(["vi", "en"], ["off", "on"], [True, False]):
        buffer = io.BytesIO()
        partydev_xlsx.write(
            report, buffer, {"locale": locale, "streaming": streaming, "chart": chart}
        )
        out.write(buffer.getvalue())
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sample", "420b07c1edbc87ae420c0fc0691c8169c783f53f4829ff25288cdc99a32bcfa0"),
        ("fixture", "ab72fa48a336e9cc6252549bed402ba1a90e80abb0c653844f8a14c7578d12c0"),
        ("synthetic", "5883f0138ccad77d02b8101be6ede4c2a80ae88e88e5fa4621b7cffb378984e7"),
    ],
)
def test_xlsx_bytes_are_pinned(name: str, expected: str, report: Report) -> None:
    """The XLSX bytes of the sample, the fixture and a synthetic report are unchanged."""
    chosen = {"sample": sample_report, "fixture": lambda: report, "synthetic": synthetic_report}
    assert hashlib.sha256(_xlsx_bytes(chosen[name]())).hexdigest() == expected
