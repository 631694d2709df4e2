"""Congress terms (*nhiệm kỳ*) and the years their targets count.

A term such as 2020–2025 opens with a congress in 2020; 2021 is "the first
year of carrying out the resolution", so its target years are 2021–2025.  Some
reports count "from the start of the term" instead: :attr:`Term.count_from`
makes both expressible, and :attr:`Term.target_period` is the period every
term-to-date figure is measured over.

>>> term = Term("2020-2025", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
>>> term.target_years
(2021, 2022, 2023, 2024, 2025)
>>> term.target_period.label("en")
'2021-01-01 – 2025-12-31'
"""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeAlias

import attrs

from ..errors import ValidationError
from ..numbers import nfc
from ._fields import check_date, to_date
from .periods import Period

__all__ = ["CountFrom", "Term"]

CountFrom: TypeAlias = Literal["target_years", "term_start"]
"""Where term-to-date figures start: the first target year, or the term's start date."""


def _optional_text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("must be text", value=value)
    return nfc(value)


@attrs.frozen
class Term:
    """A congress term.

    Args:
        id: A stable identifier (``"2020-2025"``).
        label: How reports name it (``"2020–2025"``).
        start: The day the term opens (the congress).
        end: The day it closes.
        first_target_year: The first year targets count; by default the year
            after *start* (the congress year itself is not a target year).
        last_target_year: The last year targets count; by default *end*'s year.
        congress: The congress ordinal as written (``"XXII"``), if known.
        count_from: ``"target_years"`` (default) or ``"term_start"``.
    """

    id: str
    label: str = attrs.field(converter=nfc)
    start: date = attrs.field(converter=to_date, validator=check_date)
    end: date = attrs.field(converter=to_date, validator=check_date)
    first_target_year: int = attrs.field()
    last_target_year: int = attrs.field()
    congress: str | None = attrs.field(default=None, converter=_optional_text)
    count_from: CountFrom = "target_years"

    @first_target_year.default
    def _first(self) -> int:
        # A start that is not a date is refused by its validator, which runs next.
        return self.start.year + 1 if isinstance(self.start, date) else 0

    @last_target_year.default
    def _last(self) -> int:
        return self.end.year if isinstance(self.end, date) else 0

    def __attrs_post_init__(self) -> None:
        if not self.id:
            raise ValidationError("a term needs an id", field="id", value=self.id)
        if self.end < self.start:
            raise ValidationError(
                "a term cannot end before it starts", field="end", value=self.end.isoformat()
            )
        if self.last_target_year < self.first_target_year:
            raise ValidationError(
                "the last target year is before the first",
                field="last_target_year",
                value=self.last_target_year,
            )
        if self.count_from not in ("target_years", "term_start"):
            raise ValidationError(
                "count_from is 'target_years' or 'term_start'",
                field="count_from",
                value=self.count_from,
            )

    @property
    def target_years(self) -> tuple[int, ...]:
        """The years the term's targets count, in order."""
        return tuple(range(self.first_target_year, self.last_target_year + 1))

    @property
    def target_period(self) -> Period:
        """The period term-to-date figures and the elapsed share are measured over."""
        last = date(self.last_target_year, 12, 31)
        if self.count_from == "term_start":
            return Period.between(self.start, max(last, self.end))
        return Period.years(self.first_target_year, self.last_target_year)

    @property
    def period(self) -> Period:
        """The term from its opening to its closing day."""
        return Period.between(self.start, self.end)

    def year_count(self) -> int:
        """The number of target years."""
        return self.last_target_year - self.first_target_year + 1
