"""The workbook ledger's layout: one sheet per collection, bilingual headers, notes.

One table says it all, for the reader, the writer and the template: each
:class:`Sheet` names a ledger collection, its Vietnamese and English sheet
names, and its :class:`Field` columns (key, headers in both languages, the kind
of cell, a one-line note per language, the allowed values when there is a list).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal, get_args

import attrs

from partydev.model.claims import ClaimKind, Comparison, ShareBase
from partydev.model.targets import Source, TargetKind
from partydev.model.terms import CountFrom
from partydev.model.units import Level

__all__ = [
    "ABOUT",
    "COVERS",
    "NOTE_MARK",
    "SHEETS",
    "YES_NO",
    "Field",
    "Kind",
    "Sheet",
    "header_key",
]

Kind = Literal["text", "int", "decimal", "date", "bool", "period", "list"]
"""How a cell is read: text, a whole number, an exact number, a date, yes/no, a period
("2023", "quý II/2023"), or a list of texts separated by ``;``."""

NOTE_MARK = "#"
"""A row whose first cell starts with this is a note (the template's second row), skipped."""

YES_NO = ("có", "không")
"""The values of a yes/no drop-down list (``yes``/``no``, ``true``/``false`` read too)."""


@attrs.frozen
class Field:
    """One column of a sheet."""

    key: str
    vi: str
    en: str
    kind: Kind = "text"
    note_vi: str = ""
    note_en: str = ""
    choices: tuple[str, ...] | None = None
    required: bool = False


@attrs.frozen
class Sheet:
    """One sheet: a ledger collection's records, one per row."""

    collection: str
    vi: str
    en: str
    fields: tuple[Field, ...]
    more_vi: str = ""
    more_en: str = ""

    def names(self) -> tuple[str, str]:
        """The sheet's names, Vietnamese first."""
        return (self.vi, self.en)


def _choices(alias: object) -> tuple[str, ...]:
    return tuple(str(value) for value in get_args(alias))


_UNIT = Field("unit", "Mã đơn vị", "Unit id", note_vi="Mã ở trang Đơn vị", note_en="An id from Units", required=True)  # fmt: skip  # noqa: E501
_TERM = Field("term", "Mã nhiệm kỳ", "Term id", note_vi="Mã ở trang Nhiệm kỳ", note_en="An id from Terms")  # fmt: skip  # noqa: E501
_PERIOD = Field("period", "Kỳ", "Period", "period", "Năm 2023, quý II/2023, 6 tháng đầu năm 2023", "Year 2023, quý II/2023, a half-year")  # fmt: skip  # noqa: E501
_CATEGORY = Field("category", "Mã phân loại", "Category id", note_vi="Mã ở trang Phân loại", note_en="An id from Categories")  # fmt: skip  # noqa: E501
_NOTE = Field("note", "Ghi chú", "Note")
_DATE_NOTE = ("Ngày/tháng/năm, ví dụ 30/6/2023", "Day/month/year, e.g. 30/6/2023")

SHEETS: tuple[Sheet, ...] = (
    Sheet("units", "Đơn vị", "Units", (
        Field("id", "Mã đơn vị", "Unit id", note_vi="Mã duy nhất, ví dụ tam-ky", note_en="Unique, e.g. tam-ky", required=True),  # noqa: E501
        Field("name", "Tên đơn vị", "Name", required=True),
        Field("level", "Cấp", "Level", note_vi="Chọn trong danh sách", note_en="Pick from the list", choices=tuple(level.value for level in Level), required=True),  # noqa: E501
        Field("parent", "Mã đơn vị cấp trên", "Parent id", note_vi="Để trống ở cấp cao nhất", note_en="Empty at the top"),  # noqa: E501
    )),
    Sheet("terms", "Nhiệm kỳ", "Terms", (
        Field("id", "Mã nhiệm kỳ", "Term id", note_vi="Ví dụ 2020-2025", note_en="E.g. 2020-2025", required=True),  # noqa: E501
        Field("label", "Tên nhiệm kỳ", "Label", note_vi="Ví dụ Nhiệm kỳ 2020–2025", note_en="E.g. 2020–2025 term", required=True),  # noqa: E501
        Field("start", "Ngày bắt đầu", "Start", "date", *_DATE_NOTE, required=True),
        Field("end", "Ngày kết thúc", "End", "date", *_DATE_NOTE, required=True),
        Field("congress", "Đại hội", "Congress", note_vi="Ví dụ XXII", note_en="E.g. XXII"),
        Field("count_from", "Tính từ", "Count from", note_vi="Năm chỉ tiêu hoặc đầu nhiệm kỳ", note_en="Target years or term start", choices=_choices(CountFrom)),  # noqa: E501
        Field("first_target_year", "Năm chỉ tiêu đầu", "First target year", "int"),
        Field("last_target_year", "Năm chỉ tiêu cuối", "Last target year", "int"),
    )),
    Sheet("targets", "Chỉ tiêu", "Targets", (
        _UNIT,
        _TERM,
        Field("value", "Chỉ tiêu", "Value", "int", "Số người, ví dụ 1.500", "People, e.g. 1,500"),
        Field("kind", "Loại chỉ tiêu", "Kind", note_vi="Chọn trong danh sách", note_en="Pick from the list", choices=_choices(TargetKind)),  # noqa: E501
        Field("high", "Mức cao", "High", "int", "Mức trên của khoảng", "Upper end of a range"),
        Field("percent", "Tỷ lệ (%)", "Percent", "decimal", "Với chỉ tiêu theo % đảng viên", "For a share of members"),  # noqa: E501
        Field("reference", "Mốc tính", "Reference", choices=("start_of_year", "start_of_term")),
        Field("per_year", "Mỗi năm", "Per year", "bool", "có: chỉ tiêu từng năm", "yes: a yearly figure", choices=YES_NO),  # noqa: E501
        _PERIOD,
        Field("source", "Nguồn", "Source", note_vi="Nghị quyết, được giao, tự đặt", note_en="Resolution, assigned, internal", choices=_choices(Source)),  # noqa: E501
        _CATEGORY,
        Field("derived", "Suy ra", "Derived", "bool", "có: tính ra, không công bố", "yes: worked out, not stated", choices=YES_NO),  # noqa: E501
        _NOTE,
    )),
    Sheet("admissions", "Kết nạp", "Admissions", (
        _UNIT,
        Field("date", "Ngày kết nạp", "Date", "date", *_DATE_NOTE, required=True),
        Field("person", "Mã người", "Person", note_vi="Không ghi họ tên", note_en="Not a name"),
        Field("birth_date", "Ngày sinh", "Birth date", "date", *_DATE_NOTE),
        Field("age", "Tuổi", "Age", "int", "Khi không có ngày sinh", "When no birth date"),
    ), "Cột khác: thuộc tính (giới tính, dân tộc…)", "Other columns: attributes (sex, education…)"),  # noqa: E501
    Sheet("tallies", "Số liệu tổng hợp", "Tallies", (
        _UNIT,
        Field("period", "Kỳ", "Period", "period", "Năm 2023, quý II/2023, 6 tháng đầu năm 2023", "Year 2023, quý II/2023, a half-year", required=True),  # noqa: E501
        Field("count", "Số kết nạp", "Count", "int", "Số người, ví dụ 1.732; trống là chưa có số liệu", "People, e.g. 1,732; empty is not recorded", required=True),  # noqa: E501
        Field("inclusive", "Gồm cấp dưới", "Inclusive", "bool", "có: đã cộng các đơn vị cấp dưới", "yes: sub-units included", choices=YES_NO),  # noqa: E501
    ), "Cột breakdown.<mã phân loại>: số trong đó", "Columns breakdown.<category id>: of which"),
    Sheet("memberships", "Tổng số đảng viên", "Memberships", (
        _UNIT,
        Field("date", "Tính đến ngày", "Date", "date", *_DATE_NOTE, required=True),
        Field("members", "Số đảng viên", "Members", "int", "Ví dụ 71.441", "E.g. 71,441", required=True),  # noqa: E501
    )),
    Sheet("categories", "Phân loại", "Categories", (
        Field("id", "Mã phân loại", "Category id", note_vi="Ví dụ young", note_en="E.g. young", required=True),  # noqa: E501
        Field("label_vi", "Tên tiếng Việt", "Vietnamese label", required=True),
        Field("label_en", "Tên tiếng Anh", "English label", required=True),
        Field("attribute", "Thuộc tính", "Attribute", note_vi="Cột ở trang Kết nạp", note_en="A column of Admissions"),  # noqa: E501
        Field("values", "Giá trị", "Values", "list", "Cách nhau bằng ;", "Separated by ;"),
        Field("max_age", "Tuổi tối đa", "Max age", "int", "Ví dụ 30 cho đảng viên trẻ", "E.g. 30 for young"),  # noqa: E501
        Field("group", "Nhóm", "Group"),
    )),
    Sheet("claims", "Số liệu công bố", "Claims", (
        Field("id", "Mã", "Claim id", required=True),
        _UNIT,
        Field("kind", "Loại", "Kind", note_vi="Chọn trong danh sách", note_en="Pick from the list", choices=_choices(ClaimKind), required=True),  # noqa: E501
        Field("stated", "Số liệu nêu", "Stated", note_vi="Như bài viết, ví dụ 60,5%", note_en="As written, e.g. 60,5%", required=True),  # noqa: E501
        Field("text", "Câu trích", "Text"),
        Field("source", "Nguồn", "Source"),
        _TERM,
        _PERIOD,
        Field("as_of", "Tính đến ngày", "As of", "date", *_DATE_NOTE),
        _CATEGORY,
        Field("comparison", "So sánh", "Comparison", choices=_choices(Comparison)),
        Field("target_source", "Chỉ tiêu so với", "Target source", choices=_choices(Source)),
        _NOTE,
        Field("base", "Cơ sở tỷ lệ", "Base", choices=_choices(ShareBase)),
    )),
)  # fmt: skip
"""The collection sheets, in the order a workbook holds them."""

COVERS = Sheet("covers", "Phạm vi", "Covers", (
    Field("period", "Kỳ", "Period", "period", "Kỳ mà trang Kết nạp ghi đủ", "A span Admissions lists in full", required=True),  # noqa: E501
    Field("units", "Đơn vị", "Units", "list", "Mã đơn vị cách nhau bằng ;, trống là tất cả", "Unit ids separated by ;, empty for all"),  # noqa: E501
    Field("subunits", "Gồm cấp dưới", "Sub-units", "bool", "có: cả các đơn vị cấp dưới", "yes: their sub-units too", choices=YES_NO),  # noqa: E501
))  # fmt: skip
"""Where the person-level admissions are complete (see :mod:`partydev.coverage`)."""

ABOUT = Sheet("about", "Thông tin", "About", (
    Field("title", "Tiêu đề", "Title"),
    Field("source", "Nguồn số liệu", "Source"),
))  # fmt: skip
"""The ledger's title and source, one row."""

_SPACES = re.compile(r"\s+")


def header_key(text: str) -> str:
    """A header as compared: NFC, case-folded, spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()
