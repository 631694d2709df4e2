"""The ``partydev check`` command: verdicts, exit codes, exports, direct percent questions."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from partydev import dumps_ledger, sample_ledger
from partydev.shell.cli import main


def test_sample_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """On the sample, Tam Kỳ's impossible shares make the check exit 1, naming 815 and 335."""
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "tk-vocational" in out
    assert "cần một nhóm ít nhất 815 người, nhiều hơn 335" in out
    assert "Không khớp với số liệu" in out


def test_sample_english(capsys: pytest.CaptureFixture[str]) -> None:
    """--locale en writes English reasons and numbers."""
    assert main(["check", "--locale", "en"]) == 1
    out = capsys.readouterr().out
    assert "need a group of at least 815, more than the 335 admitted in the term" in out
    assert "4,537" in out
    assert "Inconsistent" in out


def test_consistent_ledger_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without the impossible shares, nothing is inconsistent and the exit code is 0."""
    ledger = sample_ledger()
    kept = tuple(
        c for c in ledger.claims if c.id not in {"tk-vocational", "tk-college-university"}
    )
    path = tmp_path / "ledger.json"
    path.write_text(dumps_ledger(ledger.evolve(claims=kept)), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    assert "tk-vocational" not in capsys.readouterr().out


def test_implied_target(capsys: pytest.CaptureFixture[str]) -> None:
    """--percent with --achieved prints the implied target and the conventions giving it."""
    assert main(["check", "--percent", "76,57%", "--achieved", "268"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "268 / chỉ tiêu = 76,57%: chỉ tiêu",
        "  350  (làm tròn nửa lên, cắt bỏ (không làm tròn), làm tròn nửa về chẵn)",
        "  không có  (làm tròn lên)",
    ]


def test_implied_range_english(capsys: pytest.CaptureFixture[str]) -> None:
    """A one-decimal percent implies a range, written the English way with --locale en."""
    assert main(["check", "--percent", "60,5%", "--achieved", "4537", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "7,493–7,505  (round half up, round half to even)" in out
    assert "7,487–7,499  (truncate)" in out


def test_percent_possible(capsys: pytest.CaptureFixture[str]) -> None:
    """--denominator answers GRIM; a percent impossible under every convention exits 1."""
    assert main(["check", "--percent", "59,75%", "--denominator", "335"]) == 1
    assert "không thể" in capsys.readouterr().out
    assert main(["check", "--percent", "59,75%", "--denominator", "815", "--locale", "en"]) == 0
    assert "possible  (round half up" in capsys.readouterr().out


def test_min_denominator(capsys: pytest.CaptureFixture[str]) -> None:
    """Several --percent alone give the smallest group under each convention."""
    assert main(["check", "--percent", "59,75%", "--percent", "7,48%"]) == 0
    out = capsys.readouterr().out
    assert "  815  (làm tròn nửa lên, làm tròn nửa về chẵn)" in out
    assert "  641  (cắt bỏ (không làm tròn))" in out


def test_bad_percent_is_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    """A percent that cannot be read exits 3 with one error line."""
    assert main(["check", "--percent", "abc", "--achieved", "3"]) == 3
    assert capsys.readouterr().err.startswith("partydev: error:")


def test_export_csv(tmp_path: Path) -> None:
    """-o verdicts.csv exports the verdicts through the csv exporter; they read back."""
    path = tmp_path / "verdicts.csv"
    assert main(["check", "-o", str(path), "--locale", "en"]) == 1
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    by_id = {row["Claim id"]: row for row in rows}
    assert by_id["qn-term-percent"]["Computed"] == "60.5"
    assert by_id["tk-college-university"]["Smallest possible group"] == "815"
    assert len(rows) == len(sample_ledger().claims)


def test_export_json(capsys: pytest.CaptureFixture[str]) -> None:
    """-f json writes both tables; the numbers read back exactly."""
    assert main(["check", "-f", "json"]) == 1
    document = json.loads(capsys.readouterr().out, parse_float=Decimal)
    tables = {t["key"]: t for t in document["tables"]}
    keys = [c["key"] for c in tables["verdicts"]["columns"]]
    rows = {r[0]: dict(zip(keys, r, strict=True)) for r in tables["verdicts"]["rows"]}
    assert rows["ng-percent"]["computed"] == Decimal("76.57")
    assert rows["ng-percent"]["implied_low"] == 350
    assert rows["tk-vocational"]["status"] == "inconsistent"
    assert document["labels"]["inconsistent"] == {
        "vi": "Không khớp với số liệu",
        "en": "Inconsistent",
    }
    rollup_keys = [c["key"] for c in tables["rollup"]["columns"]]
    gaps = [dict(zip(rollup_keys, r, strict=True))["gap"] for r in tables["rollup"]["rows"]]
    assert 3449 in gaps
