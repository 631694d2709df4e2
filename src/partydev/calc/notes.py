"""The note a report prints beside a figure the data cannot give, in both languages.

An unknown count is shown empty, never as 0, and its note says what is
missing, naming the unit when it is not the row's own:

>>> from datetime import date
>>> from partydev.calc.achieved import Gap, Shortfall
>>> from partydev.model.periods import Period
>>> short = Shortfall(1732, (Gap("tinh", Period.year(2022)),))
>>> shortfall_note(short, "tinh", {"tinh": "Tỉnh"}.get, "vi")
'chưa có số liệu năm 2022; đã biết ít nhất 1.732'
>>> shortfall_note(short, "tinh", {"tinh": "Tỉnh"}.get, "en")
'no data for 2022; at least 1,732 known'
"""

from __future__ import annotations

from collections.abc import Callable

from ..numbers import check_locale, format_number
from .achieved import Gap, Shortfall

__all__ = ["gap_text", "shortfall_note"]


def gap_text(gap: Gap, locale: str = "vi") -> str:
    """What one :class:`~partydev.achieved.Gap` misses, in *locale* (without the unit)."""
    vi = check_locale(locale) == "vi"
    when = gap.period.label(locale)
    if gap.reason == "split" and gap.tally is not None:
        whole = gap.tally.label(locale)
        if vi:
            return f"số liệu {whole} không tách được cho {when}"
        return f"the figure for {whole} cannot be split to {when}"
    if gap.reason == "after":
        return f"{when} chưa bắt đầu" if vi else f"{when} has not started"
    return f"chưa có số liệu {when}" if vi else f"no data for {when}"


def shortfall_note(
    shortfall: Shortfall,
    unit: str,
    name_of: Callable[[str], str | None],
    locale: str = "vi",
) -> str:
    """The note for an unknown figure of *unit*: each gap, the others counted,
    and the lower bound the known parts give.

    Args:
        shortfall: What is known and missing.
        unit: The row's unit (its own gaps are not prefixed with its name).
        name_of: A unit's display name (its id when this gives ``None``).
        locale: ``"vi"`` or ``"en"``.
    """
    vi = check_locale(locale) == "vi"
    parts = []
    for gap in shortfall.gaps:
        text = gap_text(gap, locale)
        if gap.unit != unit:
            text = f"{name_of(gap.unit) or gap.unit}: {text}"
        parts.append(text)
    if shortfall.more:
        more = format_number(shortfall.more, locale)
        parts.append(f"và {more} chỗ thiếu khác" if vi else f"and {more} more gaps")
    if shortfall.known:
        known = format_number(shortfall.known, locale)
        parts.append(f"đã biết ít nhất {known}" if vi else f"at least {known} known")
    return "; ".join(parts)
