"""The ``xlsx`` ledger format: a workbook a board's clerk fills in, read and written.

One sheet per collection (Đơn vị / Units, Nhiệm kỳ / Terms, Chỉ tiêu / Targets,
Kết nạp / Admissions, Số liệu tổng hợp / Tallies, Tổng số đảng viên / Memberships,
Phân loại / Categories, Số liệu công bố / Claims, Phạm vi / Covers, Thông tin /
About), each found by its Vietnamese or English name, with the columns found by their
Vietnamese or English headers.  Dates are date cells or text such as ``30/6/2023``;
counts are numbers or Vietnamese text such as ``1.732`` (read by
:func:`partydev.numbers.parse_count`, the rule of every count); an empty cell is
*not recorded*, never 0; a row whose first cell starts with ``#`` is a note.  Errors
name the sheet and cell (``Kết nạp!C17``).

A TOML or JSON ledger's ``files`` table may name a workbook too
(``files = { admissions = ["ket-nap.xlsx"] }``): its Admissions (or Tallies) sheet
is read.
"""

from __future__ import annotations

from partydev.plugins.importing import Importer

from ._ledger_read import read_ledger, read_sheet_records
from ._ledger_write import write_ledger

__all__ = ["IMPORTER", "read_ledger", "read_sheet_records", "write_ledger"]

IMPORTER = Importer(
    name="xlsx",
    title_vi="Sổ theo dõi trong bảng tính Excel (.xlsx)",
    title_en="Ledger in an Excel workbook (.xlsx)",
    suffixes=(".xlsx",),
    read=read_ledger,
    read_records=read_sheet_records,
    write=write_ledger,
)
"""The ``xlsx`` importer (which also writes ledgers: ``export-ledger -f xlsx``, ``template``)."""
