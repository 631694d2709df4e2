"""Every word partydev writes into an export exists in Vietnamese and English."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from partydev import build_report, sample_ledger
from partydev.labels import LABELS, label
from partydev.report import METADATA_LABELS


@pytest.mark.parametrize("code", sorted(LABELS))
def test_label_has_both_languages_in_nfc(code: str) -> None:
    """Each label is non-empty in both languages and NFC-normalised."""
    vi, en = LABELS[code]
    assert vi.strip()
    assert en.strip()
    assert unicodedata.normalize("NFC", vi) == vi
    assert label(code, "vi") == vi
    assert label(code, "en") == en


def test_every_code_in_a_report_has_a_label() -> None:
    """Every cell of a code column, in every table and roll-up mode, has a label."""
    for rollup in ("reported", "sum", "own"):
        report = build_report(sample_ledger(), as_of=date(2023, 6, 30), rollup=rollup)  # type: ignore[arg-type]
        for table in report.tables:
            for column in table.columns:
                if column.type != "code":
                    continue
                index = table.column_index(column.key)
                for row in table.rows:
                    if row[index] is not None:
                        assert row[index] in LABELS, (table.key, column.key, row[index])


def test_every_metadata_key_and_code_value_has_a_label() -> None:
    """Metadata keys are labelled, and coded metadata values are too."""
    report = build_report(sample_ledger(), as_of=date(2023, 6, 30))
    for key, value in report.metadata:
        assert key in METADATA_LABELS
        if key in {"rollup", "elapsed", "rounding"}:
            assert value in LABELS


def test_column_labels_differ_by_language_and_are_nfc() -> None:
    """Column headings exist in both languages, NFC, and are not left untranslated."""
    report = build_report(sample_ledger(), as_of=date(2023, 6, 30))
    for table in report.tables:
        assert table.title_vi != table.title_en
        for column in table.columns:
            assert unicodedata.normalize("NFC", column.label_vi) == column.label_vi
            assert column.label_vi
            assert column.label_en
