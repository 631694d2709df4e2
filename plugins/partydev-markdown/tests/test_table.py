"""The table layout, on a small hand-built report."""

from __future__ import annotations

import io
from decimal import Decimal

import partydev_markdown

from partydev import Column, Report, Table


def _report() -> Report:
    table = Table(
        key="summary",
        title_vi="Kết quả",
        title_en="Results",
        columns=[
            Column("name", "text", "Tên | đơn vị", "Unit"),
            Column("percent", "percent", "Tỷ lệ", "Share", places=1),
        ],
        rows=[["Tam Kỳ\nthành phố", Decimal("104.5")], ["Nam Giang", None]],
    )
    return Report(title_vi="Báo cáo", title_en="Report", tables=[table], metadata=[])


def test_pipe_table() -> None:
    """A heading, a header row, an alignment row and one escaped line per row."""
    stream = io.StringIO()
    partydev_markdown.write_markdown(_report(), stream, {"locale": "vi"})
    assert stream.getvalue() == (
        "# Báo cáo\n"
        "\n"
        "## Kết quả\n"
        "\n"
        "| Tên \\| đơn vị | Tỷ lệ |\n"
        "| --- | ---: |\n"
        "| Tam Kỳ<br>thành phố | 104,5% |\n"
        "| Nam Giang |  |\n"
    )
