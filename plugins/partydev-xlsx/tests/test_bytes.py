"""The XLSX bytes are pinned: speed work on the exporter must not change one byte."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import itertools
from datetime import date
from pathlib import Path

import partydev_xlsx
import pytest

from partydev import check_claims, check_rollup, sample_ledger
from partydev.checks import verdicts_report
from partydev.report import Report
from partydev.shell.testing import sample_report

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


def check_report() -> Report:
    """The check workbook's report: the sample's verdicts and roll-up findings."""
    ledger = sample_ledger()
    as_of = date(2023, 6, 30)
    return verdicts_report(
        check_claims(ledger, as_of), check_rollup(ledger, as_of), ledger=ledger, as_of=as_of
    )


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
        ("sample", "db504bdecece912c09ba0e4eb1478b2ed02696d037b220e8a77106fed99b3edb"),
        ("fixture", "3c5bee035446e4ce3ba359cc57f3b0cd95059c1d395d491a098f29e49b8259be"),
        ("synthetic", "46eaaf94f52aab6950d7890f4c2848065b443a72075da62c2e76b7602a75483e"),
        ("check", "bfb5538344702c12d9a8e7c336836ff14183e85f244209c555795145cbc24660"),
    ],
)
def test_xlsx_bytes_are_pinned(name: str, expected: str, report: Report) -> None:
    """The XLSX bytes of the sample, the fixture, a synthetic report and the check are unchanged.

    Re-pinned deliberately when the workbook became printable (title block, page setup,
    borders, name column first, the chart of the compared units, typed check figures).
    """
    chosen = {
        "sample": sample_report,
        "fixture": lambda: report,
        "synthetic": synthetic_report,
        "check": check_report,
    }
    assert hashlib.sha256(_xlsx_bytes(chosen[name]())).hexdigest() == expected
