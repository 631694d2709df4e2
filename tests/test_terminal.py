"""The terminal table: widths in terminal cells, aligned columns, right-aligned numbers."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from partydev import Column, Table
from partydev.report.terminal import display_width, render_report, render_table
from partydev.shell.testing import sample_report

NFC_NAME = "Đảng bộ huyện Nam Giang"
NFD_NAME = unicodedata.normalize("NFD", NFC_NAME)
CJK_NAME = "广南省委"


def _cut(line: str, cells: int) -> tuple[str, str]:
    """Split *line* after *cells* terminal cells (combining marks stay with their base)."""
    width = 0
    for index, char in enumerate(line):
        if width >= cells and not unicodedata.combining(char):
            return line[:index], line[index:]
        width += display_width(char)
    return line, ""


def _columns(rendered: str) -> list[tuple[int, int]]:
    """The (start, end) cell offsets of each column, read from the rule line."""
    rule = rendered.splitlines()[1]
    spans, start = [], 0
    for segment in rule.split("  "):
        spans.append((start, start + len(segment)))
        start += len(segment) + 2
    return spans


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The text of *line* inside each column span, padding included."""
    out, rest, position = [], line, 0
    for start, end in spans:
        _, rest = _cut(rest, start - position)
        cell, rest = _cut(rest, end - start)
        out.append(cell)
        position = end
    return out


def _table() -> Table:
    return Table(
        "units",
        "Đơn vị",
        "Units",
        [
            Column("unit_name", "text", "Đơn vị", "Unit"),
            Column("depth", "integer", "Cấp bậc", "Depth"),
            Column("percent", "percent", "Tỷ lệ", "Share", places=1),
            Column("achieved", "integer", "Kết nạp", "Admitted"),
        ],
        [
            ["Đảng bộ tỉnh Quảng Nam", 0, Decimal("60.5"), 4537],
            [NFD_NAME, 1, Decimal("76.6"), 268],
            [CJK_NAME, 1, Decimal("7.0"), 7],
            ["Chi bộ 1", 2, None, 12345678],
        ],
    )


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Quảng Nam", 9),
        (unicodedata.normalize("NFD", "Quảng Nam"), 9),
        (NFC_NAME, 23),
        (NFD_NAME, 23),
        ("Tiến độ", 7),
        (unicodedata.normalize("NFD", "Tiến độ"), 7),
        (CJK_NAME, 8),
        ("Quảng Nam 广南", 14),
        ("", 0),
    ],
)
def test_display_width(text: str, width: int) -> None:
    """Combining marks take no cell, wide CJK characters take two, others one."""
    assert display_width(text) == width


def test_nfd_and_nfc_names_have_the_same_width() -> None:
    """A decomposed Vietnamese name is as wide on screen as its composed form."""
    assert len(NFD_NAME) > len(NFC_NAME)
    assert display_width(NFD_NAME) == display_width(NFC_NAME)


def test_every_line_has_the_same_display_width() -> None:
    """With a numeric last column, every line (header, rule, rows) is equally wide."""
    lines = render_table(_table(), "vi").splitlines()
    widths = {display_width(line) for line in lines}
    assert len(lines) == 6
    assert widths == {display_width(lines[1])}


def test_columns_align_with_the_header() -> None:
    """Each cell of each row sits inside its header's column, whatever its script."""
    rendered = render_table(_table(), "vi")
    spans = _columns(rendered)
    assert [end - start for start, end in spans] == [25, 7, 5, 10]
    lines = rendered.splitlines()
    header = _cells(lines[0], spans)
    assert [cell.strip() for cell in header] == ["Đơn vị", "Cấp bậc", "Tỷ lệ", "Kết nạp"]
    rows = [[cell.strip() for cell in _cells(line, spans)] for line in lines[2:]]
    assert rows == [
        ["Đảng bộ tỉnh Quảng Nam", "0", "60,5%", "4.537"],
        [NFD_NAME, "1", "76,6%", "268"],
        [CJK_NAME, "1", "7,0%", "7"],
        ["Chi bộ 1", "2", "", "12.345.678"],
    ]


def test_numbers_are_right_aligned_and_text_left_aligned() -> None:
    """Numeric cells end at their column's right edge; text starts at its left edge."""
    rendered = render_table(_table(), "en", indent_key=None)
    spans = _columns(rendered)
    lines = rendered.splitlines()
    for line in lines[2:]:
        name, depth, _percent, achieved = _cells(line, spans)
        assert not name.startswith(" ")
        assert depth.endswith(depth.strip())
        assert depth.startswith(" ")
        assert achieved.strip()
        assert achieved.endswith(achieved.strip())
    assert _cells(lines[2], spans)[3] == "     4,537"
    assert _cells(lines[5], spans)[2] == "     "


def test_depth_indents_the_unit_name() -> None:
    """unit_name is indented two spaces per level of depth; without indent_key it is not."""
    names = [line.split("  ")[0] for line in render_table(_table(), "vi").splitlines()[2:]]
    rows = render_table(_table(), "vi").splitlines()[2:]
    assert rows[0].startswith("Đảng bộ tỉnh")
    assert rows[1].startswith("  " + NFD_NAME)
    assert rows[2].startswith("  " + CJK_NAME)
    assert rows[3].startswith("    Chi bộ 1")
    assert names[0] == "Đảng bộ tỉnh Quảng Nam"
    flat = render_table(_table(), "vi", indent_key=None).splitlines()[2:]
    assert all(not row.startswith(" ") for row in flat)


def test_keys_choose_and_order_columns() -> None:
    """keys renders only the chosen columns, in the order given."""
    lines = render_table(_table(), "en", keys=["achieved", "unit_name"]).splitlines()
    assert lines[0].split() == ["Admitted", "Unit"]
    assert lines[2].split() == ["4,537", "Đảng", "bộ", "tỉnh", "Quảng", "Nam"]


def test_sample_report_columns_align() -> None:
    """In the Quảng Nam report, every figure ends at its column's right edge."""
    text = render_report(sample_report(), "vi")
    lines = text.splitlines()
    table = "\n".join(lines[2:8])
    spans = _columns(table)
    rows = [_cells(line, spans) for line in table.splitlines()[2:]]
    assert [cell.strip() for cell in rows[0][:4]] == [
        "Đảng bộ tỉnh Quảng Nam",
        "7.500",
        "4.537",
        "60,5%",
    ]
    assert [cell.strip() for cell in rows[1][:4]] == [
        "Đảng bộ huyện Nam Giang",
        "350",
        "268",
        "76,6%",
    ]
    for row in rows:
        for cell in row[1:5]:
            assert cell.strip()
            assert not cell.endswith(" ")
    assert lines[0] == "Tiến độ phát triển đảng viên nhiệm kỳ 2020–2025, tính đến ngày 30/6/2023"
