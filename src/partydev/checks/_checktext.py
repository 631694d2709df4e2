"""Text for ``partydev check``: the verdicts for the terminal, and direct percent questions.

Kept out of :mod:`partydev.cli` so that the command stays one small function;
nothing here reads files or the environment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from ..errors import ValidationError
from ..labels import label
from ..numbers import format_number, parse_stated_percent
from ..report.table import Column, Report, Table
from ..report.terminal import render_table, wrap_text
from ._reasons import conventions, span
from ._verdict import PERCENT_KINDS
from .rounding import CONVENTIONS, implied_targets, min_denominator, percent_possible

__all__ = ["answer_percents", "render_verdicts"]


def _vi(locale: str, vi: str, en: str) -> str:
    return vi if locale == "vi" else en


_CHECK_COLUMNS = (
    Column("claim_id", "text", "Mã", "Claim"),
    Column("stated", "text", "Công bố", "Stated"),
    Column("computed", "text", "Tính lại", "Computed"),
    Column("status", "code", "Kết luận", "Verdict"),
    Column("reason", "text", "Lý do", "Reason"),
)


def render_verdicts(report: Report, locale: str = "vi", *, width: int | None = None) -> str:
    """The verdicts and roll-up findings of a :func:`~partydev.verdicts_report` as text.

    With *width*, no line is longer than *width* terminal cells: reasons and unit
    names wrap, and the computed figure goes first if that is not enough.
    """
    counts: dict[str, int] = {}
    table = _check_table(report, locale, counts)
    order = ("claim_id", "status", "reason", "stated", "computed")
    parts = [
        report.title(locale),
        "",
        render_table(table, locale, indent_key=None, width=width, priority=order),
    ]
    rollup = report.table("rollup")
    if rollup.rows:
        keys = ["unit_name", "period_vi" if locale == "vi" else "period_en"]
        keys += ["reported", "children_sum", "children_known", "gap", "status"]
        parts += [
            "",
            rollup.title(locale),
            render_table(rollup, locale, keys, indent_key=None, width=width),
        ]
        for record in rollup.records():
            status = str(record["status"])
            counts[f"rollup_{status}"] = counts.get(f"rollup_{status}", 0) + 1
    summary = ", ".join(
        f"{format_number(counts[s], locale)} {label(s, locale).lower()}"
        for s in ("consistent", "inconsistent", "unverifiable")
        if s in counts
    )
    parts += ["", _vi(locale, "Số liệu công bố: ", "Stated figures: ") + summary]
    if width is not None:
        parts = [line for part in parts for line in part.split("\n")]
        parts = [piece for line in parts for piece in (wrap_text(line, width) or [""])]
    return "\n".join(parts) + "\n"


def _check_table(report: Report, locale: str, counts: dict[str, int]) -> Table:
    """The verdicts as the terminal shows them, counting each status into *counts*."""
    rows = []
    for record in report.table("verdicts").records():
        computed = record["computed"]
        shown = ""
        if isinstance(computed, Decimal):
            shown = format_number(computed, locale)
            if record["kind"] in PERCENT_KINDS:
                shown += "%"
        status = str(record["status"])
        counts[status] = counts.get(status, 0) + 1
        rows.append(
            (
                record["claim_id"],
                record["stated"],
                shown,
                status,
                record["reason_vi" if locale == "vi" else "reason_en"],
            )
        )
    return Table("check", "Kiểm tra", "Check", list(_CHECK_COLUMNS), rows)


def answer_percents(
    percents: Sequence[str],
    *,
    achieved: int | None = None,
    denominator: int | None = None,
    places: int | None = None,
    locale: str = "vi",
) -> tuple[str, bool]:
    """Answer the direct questions of ``partydev check --percent``.

    With *achieved*: the whole targets each percent implies; with
    *denominator*: whether each percent is possible for a group that size;
    with neither: the smallest group all the percents fit.  Each answer is
    given per rounding convention, conventions with the same answer together.

    Returns:
        The text, and whether every percent has an answer under some
        convention (False: some stated percent cannot be true).

    Raises:
        ParseError: for a percent that cannot be read in *locale*.
        ValidationError: for bad counts or places.
    """
    values = [parse_stated_percent(p, locale) for p in percents]
    asked = list(zip(percents, values, strict=True))
    if achieved is not None:
        lines, fine = _implied_answers(asked, achieved, places, locale)
    elif denominator is not None:
        lines, fine = _possible_answers(asked, denominator, places, locale)
    else:
        lines, fine = _smallest_group_answer(percents, values, places, locale)
    return "\n".join(lines) + "\n", fine


def _grouped(results: list[tuple[str, str]], locale: str) -> list[str]:
    """One line per distinct answer, naming the rounding conventions that give it."""
    order: dict[str, list[str]] = {}
    for mode, text in results:
        order.setdefault(text, []).append(mode)
    return [f"  {text}  ({conventions(modes, locale)})" for text, modes in order.items()]


def _each_percent(
    asked: list[tuple[str, Decimal]],
    heading: Callable[[str], str],
    answer: Callable[[Decimal], tuple[list[tuple[str, str]], bool]],
    locale: str,
) -> tuple[list[str], bool]:
    """For each asked percent its *heading* and its *answer* per convention, grouped;
    and whether every percent has an answer under some convention."""
    lines: list[str] = []
    fine = True
    for text, value in asked:
        lines.append(heading(text))
        results, found = answer(value)
        fine = fine and found
        lines += _grouped(results, locale)
    return lines, fine


def _implied_answers(
    asked: list[tuple[str, Decimal]], achieved: int, places: int | None, locale: str
) -> tuple[list[str], bool]:
    """The whole targets each percent of *achieved* implies, and whether each has one."""
    count = format_number(achieved, locale)

    def answer(value: Decimal) -> tuple[list[tuple[str, str]], bool]:
        results = []
        found = False
        for mode in CONVENTIONS:
            try:
                targets = implied_targets(achieved, value, places, mode)
            except ValidationError:
                results.append((mode, _vi(locale, "không xác định", "unbounded")))
                found = True
                continue
            found = found or bool(targets)
            results.append((mode, span(targets, locale)))
        return results, found

    return _each_percent(
        asked,
        lambda text: _vi(
            locale, f"{count} / chỉ tiêu = {text}: chỉ tiêu", f"{count} / target = {text}: target"
        ),
        answer,
        locale,
    )


def _possible_answers(
    asked: list[tuple[str, Decimal]], denominator: int, places: int | None, locale: str
) -> tuple[list[str], bool]:
    """Whether each percent is possible for a group of *denominator*, and whether all are."""
    size = format_number(denominator, locale)
    yes, no = _vi(locale, "có thể", "possible"), _vi(locale, "không thể", "impossible")

    def answer(value: Decimal) -> tuple[list[tuple[str, str]], bool]:
        possible = {m: percent_possible(denominator, value, places, m) for m in CONVENTIONS}
        return [(m, yes if ok else no) for m, ok in possible.items()], any(possible.values())

    return _each_percent(
        asked,
        lambda text: _vi(locale, f"{text} của {size} người:", f"{text} of {size} people:"),
        answer,
        locale,
    )


def _smallest_group_answer(
    percents: Sequence[str], values: list[Decimal], places: int | None, locale: str
) -> tuple[list[str], bool]:
    """The smallest group all the percents fit, and whether there is one."""
    lines = [
        _vi(
            locale,
            f"{', '.join(percents)}: nhóm (hoặc chỉ tiêu) nhỏ nhất có thể",
            f"{', '.join(percents)}: smallest possible group (or target)",
        )
    ]
    results = []
    for mode in CONVENTIONS:
        try:
            results.append((mode, format_number(min_denominator(values, places, mode), locale)))
        except ValidationError:
            results.append((mode, _vi(locale, "không có", "none")))
    fine = any(text not in ("không có", "none") for _, text in results)
    return lines + _grouped(results, locale), fine
