"""The verdicts and roll-up findings as a :class:`~partydev.Report`, for any exporter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from .._version import __version__
from ..calc.achieved import RollUp
from ..model.ledger import Ledger
from ..numbers import format_date
from ..report.table import (
    PERIOD_COLUMNS,
    UNIT_ID,
    UNIT_NAME,
    Cell,
    Column,
    Report,
    Table,
    period_cells,
)
from ._rollup import RollupFinding
from ._verdict import FLAGS, Figure, Verdict

__all__ = ["verdicts_report"]


def _decimal(value: Figure | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


_VERDICT_COLUMNS = (
    Column("claim_id", "text", "Mã", "Claim id"),
    UNIT_ID,
    UNIT_NAME,
    Column("kind", "code", "Loại số liệu", "Kind"),
    Column("comparison", "code", "Cách diễn đạt", "Wording"),
    Column("period", "text", "Kỳ", "Period"),
    Column("as_of", "date", "Tính đến ngày", "As of"),
    Column("stated", "text", "Số liệu công bố", "Stated"),
    Column("stated_value", "decimal", "Giá trị công bố", "Stated value"),
    Column("computed", "decimal", "Tính lại", "Computed"),
    Column("status", "code", "Kết luận", "Verdict"),
    Column("rounding", "code", "Cách làm tròn khớp", "Reproducing rounding"),
    Column("base", "code", "Cơ sở tính", "Base"),
    Column("base_value", "integer", "Giá trị cơ sở", "Base value"),
    Column("base_source", "code", "Nguồn chỉ tiêu", "Target source"),
    Column("stated_base", "code", "Cơ sở nguồn nêu", "Stated base"),
    Column("implied_low", "integer", "Chỉ tiêu suy từ tỷ lệ (từ)", "Implied target (from)"),
    Column("implied_high", "integer", "Chỉ tiêu suy từ tỷ lệ (đến)", "Implied target (to)"),
    Column("min_group", "integer", "Quy mô nhóm tối thiểu", "Smallest possible group"),
    Column("uninformative", "code", "Kiểm tra không phân biệt", "Uninformative"),
    Column("derived_target", "code", "Chỉ tiêu suy ra", "Target derived"),
    Column("base_differs", "code", "Khớp với cơ sở khác", "Other base"),
    Column("reason_vi", "text", "Lý do", "Reason (Vietnamese)"),
    Column("reason_en", "text", "Lý do (tiếng Anh)", "Reason"),
)
_ROLLUP_COLUMNS = (
    UNIT_ID,
    UNIT_NAME,
    *PERIOD_COLUMNS,
    Column("reported", "integer", "Cấp trên báo cáo", "Reported"),
    Column("children_sum", "integer", "Tổng cấp dưới", "Sub-units' sum"),
    Column("children_known", "integer", "Cấp dưới đã biết", "Sub-units known"),
    Column("gap", "integer", "Chênh lệch với phần đã biết", "Gap to the known part"),
    Column("children", "text", "Đơn vị cấp dưới", "Sub-units"),
    Column("exhaustive", "code", "Cấp dưới đầy đủ", "Exhaustive"),
    Column("status", "code", "Kết luận", "Verdict"),
    Column("reason_vi", "text", "Lý do", "Reason (Vietnamese)"),
    Column("reason_en", "text", "Lý do (tiếng Anh)", "Reason"),
)


def verdicts_report(
    verdicts: Iterable[Verdict],
    findings: Iterable[RollupFinding] = (),
    *,
    ledger: Ledger | None = None,
    as_of: date | None = None,
    rollup: RollUp = "reported",
    places: int | None = None,
) -> Report:
    """The verdicts and roll-up findings as a :class:`~partydev.Report` for any exporter.

    Args:
        verdicts: From :func:`check_claims`.
        findings: From :func:`check_rollup`.
        ledger: Gives unit names, the title and the source, when passed.
        as_of: Recorded in the metadata.
        rollup: Recorded in the metadata.
        places: Recorded in the metadata.

    Returns:
        A report with the tables ``verdicts`` and ``rollup``.
    """

    def name(unit: str) -> str | None:
        if ledger is None or unit not in ledger.hierarchy:
            return None
        return ledger.unit(unit).name

    verdict_table = Table(
        "verdicts",
        "Kiểm tra số liệu đã công bố",
        "Checks of published figures",
        list(_VERDICT_COLUMNS),
        [_verdict_row(v, name(v.unit)) for v in verdicts],
    )
    rollup_table = Table(
        "rollup",
        "Đối chiếu số liệu cấp trên và cấp dưới",
        "Roll-up consistency",
        list(_ROLLUP_COLUMNS),
        [_rollup_row(f, name(f.unit)) for f in findings],
    )
    metadata: list[tuple[str, Cell]] = [
        ("title", ledger.title or None if ledger else None),
        ("as_of", as_of),
        ("rollup", f"rollup_{rollup}"),
        ("places", places),
        ("source", ledger.source or None if ledger else None),
        ("generator", "partydev"),
        ("version", __version__),
    ]
    when_vi = f", tính đến ngày {format_date(as_of, 'vi')}" if as_of else ""
    when_en = f", as of {format_date(as_of, 'en')}" if as_of else ""
    return Report(
        title_vi=f"Kiểm tra số liệu phát triển đảng viên đã công bố{when_vi}",
        title_en=f"Checks of published party-member development figures{when_en}",
        tables=(verdict_table, rollup_table),
        metadata=[(k, v) for k, v in metadata if v is not None],
    )


def _verdict_row(v: Verdict, unit_name: str | None) -> tuple[Cell, ...]:
    """One row of the ``verdicts`` table, in the order of :data:`_VERDICT_COLUMNS`."""
    return (
        v.claim,
        v.unit,
        unit_name,
        v.kind,
        v.comparison,
        v.period.key if v.period else None,
        v.as_of,
        v.stated,
        _decimal(v.stated_value),
        _decimal(v.computed),
        v.status,
        v.roundings[0] if v.roundings else None,
        v.base,
        v.base_value,
        v.base_source,
        v.stated_base,
        v.implied[0] if v.implied else None,
        v.implied[-1] if v.implied else None,
        v.min_group,
        *(_yes(flag in v.flags) for flag in FLAGS[:3]),
        v.reason_vi,
        v.reason_en,
    )


def _rollup_row(f: RollupFinding, unit_name: str | None) -> tuple[Cell, ...]:
    """One row of the ``rollup`` table, in the order of :data:`_ROLLUP_COLUMNS`."""
    return (
        f.unit,
        unit_name,
        *period_cells(f.period),
        f.reported,
        f.summed,
        f.reported - f.gap,  # the sum, or when a sub-unit's figure is missing its known part
        f.gap,
        " + ".join(f"{c}={'?' if n is None else n}" for c, n in f.children),
        _yes(f.exhaustive),
        f.status,
        f.reason_vi,
        f.reason_en,
    )
