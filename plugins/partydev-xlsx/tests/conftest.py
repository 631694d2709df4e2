"""A hand-built report with every column type, for the XLSX exporter tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager
from partydev.report import Column, Report, Table

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def report() -> Report:
    """Three units (one named like a formula), a second table with a long title, metadata."""
    summary = Table(
        "summary",
        "Tổng hợp thực hiện chỉ tiêu",
        "Summary of targets",
        [
            Column("unit_id", "text", "Mã đơn vị", "Unit id"),
            Column("unit_name", "text", "Tên đơn vị", "Unit"),
            Column("level", "code", "Cấp", "Level"),
            Column("depth", "integer", "Cấp độ", "Depth"),
            Column("target", "integer", "Chỉ tiêu", "Target"),
            Column("achieved", "integer", "Đã kết nạp", "Admitted"),
            Column("percent", "percent", "Tỷ lệ thực hiện", "Achieved", places=1),
            Column("elapsed_percent", "percent", "Thời gian đã qua", "Time elapsed", places=2),
            Column("average", "decimal", "Bình quân mỗi năm", "Per year", places=2),
            Column("as_of", "date", "Tính đến", "As of"),
        ],
        [
            (
                "HN",
                "Thành phố Hà Nội",
                "province",
                0,
                7500,
                4537,
                Decimal("60.5"),
                Decimal("50.03"),
                Decimal("1512.33"),
                date(2023, 6, 30),
            ),
            (
                "BD",
                "Quận Ba Đình",
                "district",
                1,
                300,
                None,
                None,
                Decimal("50.03"),
                None,
                date(2023, 6, 30),
            ),
            (
                "X",
                HYPERLINK,
                "cell",
                2,
                12,
                9,
                Decimal("75"),
                Decimal("50.03"),
                Decimal("3"),
                date(2023, 6, 30),
            ),
        ],
    )
    claims = Table(
        "claims",
        "Số liệu nêu trong nguồn: so sánh/đối chiếu [2021–2025]",
        "Stated claims: compared/checked [2021–2025]",
        [
            Column("unit_name", "text", "Tên đơn vị", "Unit"),
            Column("stated", "percent", "Tỷ lệ nêu", "Stated", places=0),
            Column("status", "code", "Đánh giá", "Status"),
        ],
        [("Thành phố Hà Nội", Decimal("61"), "ahead")],
    )
    return Report(
        "Báo cáo phát triển đảng viên",
        "Party-member development report",
        [summary, claims],
        {
            "title": "Báo cáo phát triển đảng viên",
            "term_id": "2020-2025",
            "as_of": date(2023, 6, 30),
            "places": 1,
            "pace_tolerance": Decimal("5.0"),
            "rounding": "ROUND_HALF_UP",
            "source": None,
        },
    )


@pytest.fixture
def only_xlsx(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh plugin manager loading the built-ins and this plugin only."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "xlsx")
    reset_plugin_manager()
    yield
    reset_plugin_manager()
