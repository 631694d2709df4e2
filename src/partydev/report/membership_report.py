"""The summary's columns for what follows admission, computed by :mod:`partydev.membership`.

:func:`summary_extras` gives :func:`partydev.build_report` the extra columns
of a ledger that records movements, recognitions, pipeline counts, villages or
eligibility rules, and each unit's cells in them; a ledger without any gets
no extra column, so its reports are unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from ..calc.membership import Balance, Lifecycle, Pipeline, describe_missing
from ..model.ledger import Ledger
from ..model.lifecycle import PROBATION_FIGURES
from ..model.periods import Period
from ..model.villages import village_status
from .table import Cell, Column

__all__ = [
    "BALANCE_COLUMNS",
    "ELIGIBILITY_COLUMN",
    "PIPELINE_COLUMNS",
    "PROBATION_COLUMNS",
    "VILLAGE_COLUMNS",
    "summary_extras",
]


BALANCE_COLUMNS: tuple[Column, ...] = (
    Column("members_start", "integer", "Tổng số đảng viên đầu kỳ", "Members at the start"),
    Column("removed", "integer", "Đưa ra khỏi Đảng, từ trần", "Removed (all losses)"),
    Column("transferred_in", "integer", "Chuyển đến", "Transferred in"),
    Column("transferred_out", "integer", "Chuyển đi", "Transferred out"),
    Column("members_end", "integer", "Tổng số đảng viên cuối kỳ", "Members at the end"),
    Column("balance_gap", "integer", "Chênh lệch so với biến động", "Balance gap"),
    Column("balance_note", "text", "Ghi chú biến động", "Balance note (Vietnamese)"),
    Column("balance_note_en", "text", "Ghi chú biến động (tiếng Anh)", "Balance note"),
)
"""The summary's membership-balance columns, shown when the ledger has movements."""

PROBATION_COLUMNS: tuple[Column, ...] = (
    Column("probationary", "integer", "Đảng viên dự bị", "Probationary members"),
    Column("recognised", "integer", "Công nhận chính thức", "Recognised"),
    Column("recognised_on_time", "integer", "Công nhận đúng hạn", "Recognised on time"),
    Column("not_recognised", "integer", "Không công nhận", "Not recognised"),
    Column("overdue", "integer", "Quá hạn chưa xét", "Overdue"),
)
"""The summary's probation columns, shown when the ledger has recognitions or
probation tallies."""

PIPELINE_COLUMNS: tuple[Column, ...] = (
    Column(
        "source_pool", "integer", "Tạo nguồn (quần chúng ưu tú)", "Brought into the source pool"
    ),
    Column(
        "awareness_class",
        "integer",
        "Học lớp bồi dưỡng nhận thức về Đảng",
        "Completed the awareness class",
    ),
    Column(
        "admitted_per_graduate",
        "decimal",
        "Số kết nạp trên mỗi người học lớp nhận thức",
        "Admitted per awareness-class graduate",
        2,
    ),
)
"""The summary's candidate-pipeline columns, shown when the ledger has pipeline counts."""

VILLAGE_COLUMNS: tuple[Column, ...] = (
    Column("villages", "integer", "Số thôn, tổ dân phố", "Villages and residential groups"),
    Column("villages_date", "date", "Số thôn, tổ dân phố tính đến", "Villages as of"),
    Column(
        "villages_without_members",
        "integer",
        "Thôn, tổ dân phố chưa có đảng viên",
        "Villages without a member",
    ),
    Column(
        "villages_without_cells",
        "integer",
        "Thôn, tổ dân phố chưa có chi bộ",
        "Villages without a cell",
    ),
    Column(
        "without_members_target",
        "integer",
        "Chỉ tiêu: chưa có đảng viên còn tối đa",
        "Target: at most without a member",
    ),
    Column(
        "without_members_reached", "code", "Đạt chỉ tiêu (đảng viên)", "Target reached (members)"
    ),
    Column(
        "without_cells_target",
        "integer",
        "Chỉ tiêu: chưa có chi bộ còn tối đa",
        "Target: at most without a cell",
    ),
    Column("without_cells_reached", "code", "Đạt chỉ tiêu (chi bộ)", "Target reached (cells)"),
)
"""The summary's village columns, shown when the ledger has village counts or targets."""

ELIGIBILITY_COLUMN = Column(
    "eligibility_warnings", "integer", "Cảnh báo điều kiện kết nạp", "Eligibility warnings"
)
"""The summary's count of eligibility warnings, shown when the ledger states its
``eligibility`` rules."""


def summary_extras(
    ledger: Ledger,
    period: Period,
    as_of: date,
    units: Sequence[str],
    name_of: Callable[[str], str | None],
    rounding: str = "ROUND_HALF_UP",
) -> tuple[list[Column], dict[str, tuple[Cell, ...]]]:
    """The summary's lifecycle columns for *ledger* and each unit's cells in them.

    Columns appear only for what the ledger records: the balance columns when
    it has movements, the probation columns when it has recognitions or
    probation tallies (with a grace of 0 days), the pipeline columns when it
    has pipeline counts (the ratio rounded to 2 places in *rounding*), the
    village columns when it has village counts or targets, the count of
    eligibility warnings when it states its ``eligibility`` rules.
    Cells are empty (``None``) where the figure is unknown, never 0; the
    balance note says what is missing.
    """
    balance = bool(ledger.movements)
    probation = bool(ledger.recognitions or ledger.probation)
    eligibility = ledger.eligibility is not None
    pipeline = bool(ledger.pipeline)
    villages = bool(ledger.villages or ledger.village_targets)
    sections = (
        (balance, BALANCE_COLUMNS),
        (probation, PROBATION_COLUMNS),
        (pipeline, PIPELINE_COLUMNS),
        (villages, VILLAGE_COLUMNS),
        (eligibility, (ELIGIBILITY_COLUMN,)),
    )
    columns = [column for shown, group in sections if shown for column in group]
    if not columns:
        return columns, {}
    cells: dict[str, tuple[Cell, ...]] = {u: (None,) * len(columns) for u in units}
    if period.until(as_of) is None:
        return columns, cells
    lifecycle = Lifecycle(ledger, as_of)
    wanted = [u for u in units if u in lifecycle.hierarchy]
    balances = lifecycle.balances(period, wanted) if balance else {}
    probations = lifecycle.probations(period, wanted) if probation else {}
    pipelines = lifecycle.pipelines(period, wanted) if pipeline else {}
    warned = lifecycle.eligibility_warnings(period, wanted) if eligibility else {}
    for unit_id in wanted:
        row: list[Cell] = []
        if balance:
            row.extend(_balance_cells(balances[unit_id], name_of))
        if probation:
            p = probations[unit_id]
            row.extend(getattr(p, figure) for figure in PROBATION_FIGURES)
        if pipeline:
            row.extend(_pipeline_cells(pipelines[unit_id], rounding))
        if villages:
            row.extend(_village_cells(ledger, unit_id, lifecycle.window(period).end))
        if eligibility:
            row.append(warned[unit_id])
        cells[unit_id] = tuple(row)
    return columns, cells


def _balance_cells(b: Balance, name_of: Callable[[str], str | None]) -> tuple[Cell, ...]:
    """The balance columns of one unit, with the note on what is missing in both languages."""
    return (
        b.start,
        b.removed,
        b.count("transfer_in"),
        b.count("transfer_out"),
        b.end,
        b.gap,
        describe_missing(b.missing, b.period, "vi", name_of),
        describe_missing(b.missing, b.period, "en", name_of),
    )


def _pipeline_cells(line: Pipeline, rounding: str) -> tuple[Cell, ...]:
    """The pipeline columns of one unit, the ratio to 2 places in *rounding*."""
    ratio = line.admitted_per_graduate
    return (
        line.source_pool,
        line.awareness_class,
        None if ratio is None else ratio.quantize(2, rounding),
    )


def _village_cells(ledger: Ledger, unit_id: str, on: date) -> tuple[Cell, ...]:
    """The village columns of one unit on *on* (its own counts and targets only)."""
    status = village_status(
        [c for c in ledger.villages if c.unit == unit_id],
        [t for t in ledger.village_targets if t.unit == unit_id],
        on,
    )
    counts = status.counts
    cells: list[Cell] = [
        None if counts is None else counts.villages,
        None if counts is None else counts.date,
        None if counts is None else counts.without_members,
        None if counts is None else counts.without_cells,
    ]
    for measure in ("without_members", "without_cells"):
        found = [t for t in status.targets if t.target.measure == measure]
        if not found:
            cells.extend((None, None))
            continue
        goal = min(found, key=lambda t: t.target.at_most)
        reached = None if goal.reached is None else ("yes" if goal.reached else "no")
        cells.extend((goal.target.at_most, reached))
    return tuple(cells)
