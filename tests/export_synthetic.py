"""A deterministic synthetic report with awkward cells, for byte-pinning the exporters.

Shared by ``tests/test_export_bytes.py`` and the XLSX plugin's byte test (it is
loaded by path there), so that every exporter is pinned on the same cells.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from partydev.report import Cell, Column, Report, Table

CODES = ["province", "district", "cell", "ahead", "behind", "not-a-label", "=SUM(A1)", "-x"]
TEXTS = [
    "Tỉnh Quảng Nam",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-cell",
    "@me",
    "\tTab",
    "\rCR",
    'Chi bộ "Tam Kỳ", 1\nline two',
    "a;b,c",
    "Đảng bộ 𝔘 astral",
    "",
    " space ",
    "x" * 70,
]
DECIMALS = ["60.50", "-0.5", "1E+3", "0.00", "0", "-0", "1234567.891", "0.005", "99.9", "2.5E-3"]


def _integer(rng: random.Random) -> int:
    return rng.choice(
        [0, -3, 7, 999, 1000, -1000, 123456789, 2**53, -(2**53), rng.randint(-5, 10**7)]
    )


def _decimal(rng: random.Random) -> Decimal:
    if rng.random() < 0.5:
        return Decimal(rng.choice(DECIMALS))
    return Decimal(rng.randint(-20000, 200000)).scaleb(-rng.choice([0, 1, 2, 3]))


def _date(rng: random.Random) -> date:
    return date(rng.randint(1999, 2030), rng.randint(1, 12), rng.randint(1, 28))


def _cell(kind: str, rng: random.Random) -> Cell:
    if rng.random() < 0.1:
        return None
    if kind == "code":
        return rng.choice(CODES)
    if kind == "text":
        return rng.choice(TEXTS) + ("" if rng.random() < 0.7 else str(rng.randint(0, 10**6)))
    if kind == "integer":
        return _integer(rng)
    if kind in ("percent", "decimal"):
        return _decimal(rng)
    return _date(rng)


def synthetic_report(seed: int = 6, rows: int = 1500) -> Report:
    """Two tables of every column type, indentable and chartable, with edge-case cells."""
    rng = random.Random(seed)
    summary_columns = [
        Column("unit_id", "text", "Mã đơn vị", "Unit id"),
        Column("unit_name", "text", "Tên đơn vị", "Unit"),
        Column("level", "code", "Cấp", "Level"),
        Column("depth", "integer", "Cấp độ", "Depth"),
        Column("target", "integer", "Chỉ tiêu", "Target"),
        Column("percent", "percent", "Tỷ lệ thực hiện", "Achieved", places=1),
        Column("elapsed_percent", "percent", "Thời gian đã qua", "Time elapsed", places=2),
        Column("average", "decimal", "Bình quân", "Average", places=2),
        Column("free", "decimal", "Tự do", "Free"),
        Column("loose", "percent", "Tỷ lệ tự do", "Loose percent"),
        Column("as_of", "date", "Tính đến", "As of"),
        Column("status", "code", "Tiến độ", "Pace"),
    ]
    summary_rows = []
    for number in range(rows):
        row = [_cell(column.type, rng) for column in summary_columns]
        row[0] = f"u{number}"
        row[3] = rng.choice([0, 1, 2, 3, 20, -1, None])
        summary_rows.append(row)
    other_columns = [
        Column("name", "text", "Tên", "Name"),
        Column("n", "integer", "Số", "Count"),
        Column("p", "percent", "Tỷ lệ", "Percent", places=0),
    ]
    other_rows = [[_cell(c.type, rng) for c in other_columns] for _ in range(rows // 3)]
    empty = Table("empty", "Trống", "Empty", [Column("k", "code", "Mã", "Code")], [])
    return Report(
        "Báo cáo tổng hợp",
        "Synthetic report",
        [
            Table("summary", "Tổng hợp: 2021/2025", "Summary", summary_columns, summary_rows),
            Table("other", "Bảng khác", "Other", other_columns, other_rows),
            empty,
        ],
        {
            "as_of": date(2025, 12, 31),
            "places": 1,
            "rollup": "rollup_sum",
            "share": Decimal("12.50"),
            "flag": True,
            "none": None,
        },
    )
