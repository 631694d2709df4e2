"""The pieces of the bilingual reasons a verdict gives: figures, spans, scopes, wordings.

Shared by the claim checks, the roll-up check and the text of ``partydev check``,
so that a figure or a list of rounding conventions reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeAlias

from ..labels import label
from ..model.claims import Comparison
from ..model.periods import Period
from ..model.terms import Term
from ..numbers import format_number, parse_number, parse_percent

__all__ = ["Text", "conventions", "no_target", "num", "pct", "quoted", "scope", "span", "wording"]

Text: TypeAlias = tuple[str, str]
"""A (Vietnamese, English) pair."""


def num(value: int, locale: str) -> str:
    """A count in *locale*: ``7.500`` or ``7,500``."""
    return format_number(value, locale)


def pct(value: Decimal, locale: str) -> str:
    """A computed percent in *locale*: ``60,5%``."""
    return format_number(value, locale) + "%"


def quoted(stated: str, locale: str) -> str:
    """A stated figure (printed the Vietnamese way) as *locale* writes it, same digits.

    English reasons quote English numbers; text that is not a plain figure stays as it is.

    >>> quoted("60,5%", "en"), quoted("1.732", "en"), quoted("1.732", "vi"), quoted("x", "en")
    ('60.5%', '1,732', '1.732', 'x')
    """
    if locale == "vi":
        return stated
    text = stated.strip()
    try:
        if text.endswith("%"):
            return format_number(parse_percent(text, "vi"), locale) + "%"
        return format_number(parse_number(text, "vi"), locale)
    except ValueError:
        return stated


def span(values: range, locale: str) -> str:
    """A range of whole numbers: ``350``, ``348–352``, or *none* when empty."""
    if not values:
        return "không có" if locale == "vi" else "none"
    if values[0] == values[-1]:  # not len(): a range past sys.maxsize has none
        return num(values[0], locale)
    return f"{num(values[0], locale)}–{num(values[-1], locale)}"


def scope(period: Period | None, term: Term) -> Text:
    """The period a claim speaks of: the term, or the period's label."""
    if period is None or period == term.target_period:
        return "trong nhiệm kỳ", "in the term"
    return period.label("vi"), f"in {period.label('en')}"


def conventions(modes: Sequence[str], locale: str) -> str:
    """Rounding conventions in words: ``làm tròn nửa lên, cắt bỏ (không làm tròn)``."""
    return ", ".join(label(m, locale).lower() for m in modes)


def wording(comparison: Comparison) -> Text:
    """The words that precede a stated figure: *more than*, *nearly*, or nothing."""
    return {
        "exact": ("", ""),
        "more_than": ("hơn ", "more than "),
        "less_than": ("dưới ", "less than "),
        "nearly": ("gần đạt ", "nearly "),
    }[comparison]


def no_target(name: str, where: Text) -> Text:
    """Why a claim cannot be checked: the ledger has no target for the unit there."""
    return (
        f"sổ số liệu không có chỉ tiêu của {name} {where[0]}",
        f"the ledger has no target for {name} {where[1]}",
    )
