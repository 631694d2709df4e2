"""Reporting periods: years, half-years, quarters, months and any closed date range.

A :class:`Period` is a closed interval of dates (both ends included) with a
*kind* that says how reports name it.  Periods are built with the class
methods (:meth:`Period.year`, :meth:`Period.half`, :meth:`Period.quarter`,
:meth:`Period.month`, :meth:`Period.between`), compared with
:meth:`~Period.contains` and :meth:`~Period.overlaps`, cut into calendar pieces
with :meth:`~Period.split`, and read from report text with :func:`parse_period`.

>>> Period.half(2023, 1)
Period(start=datetime.date(2023, 1, 1), end=datetime.date(2023, 6, 30), kind='half')
>>> Period.half(2023, 1).label("vi")
'6 tháng đầu năm 2023'
>>> parse_period("quý II/2023").label("en")
'Q2 2023'
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Literal, TypeAlias

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, YEARLY, rrule

from ..errors import ParseError, ValidationError
from ..numbers import check_locale, nfc, parse_date

__all__ = ["GRANULARITIES", "Granularity", "Period", "PeriodKind", "parse_period"]

PeriodKind: TypeAlias = Literal["year", "half", "quarter", "month", "range"]
"""How a period is named: a calendar year, half-year, quarter, month, or a free range."""

Granularity: TypeAlias = Literal["year", "half", "quarter", "month", "day"]
"""The calendar pieces a period can be split into."""

GRANULARITIES: tuple[Granularity, ...] = ("year", "half", "quarter", "month", "day")
"""Every granularity, coarsest first: what :meth:`Period.split` and the elapsed-time
conventions accept (a report's per-period table takes all but ``"day"``)."""

_MONTHS_PER = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FROM_ROMAN = {v: k for k, v in _ROMAN.items()}
_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _check_order(instance: Period, attribute: attrs.Attribute[date], value: date) -> None:
    if value < instance.start:
        raise ValidationError(
            f"a period cannot end ({value.isoformat()}) before it starts "
            f"({instance.start.isoformat()})",
            field="end",
            value=value.isoformat(),
        )


def _check_date(instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if isinstance(value, datetime):
        raise ValidationError(
            "expected a date without a time of day", field=attribute.name, value=value
        )
    if not isinstance(value, date):
        raise ValidationError("must be a date", field=attribute.name, value=value)


@attrs.frozen(order=True)
class Period:
    """A closed range of dates, ``start`` to ``end`` inclusive.

    Periods order by start, then end, so that sorting a unit's tallies puts
    them in calendar order.
    """

    start: date = attrs.field(validator=_check_date)
    end: date = attrs.field(validator=[_check_date, _check_order])
    kind: PeriodKind = attrs.field(default="range", eq=False, order=False)

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year *year*."""
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        """The first (``half=1``) or second (``half=2``) half of *year*."""
        if half not in (1, 2):
            raise ValidationError("a half-year is 1 or 2", field="half", value=half)
        return cls._months(year, 6 * (half - 1) + 1, 6, "half")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """Quarter 1 to 4 of *year*."""
        if quarter not in (1, 2, 3, 4):
            raise ValidationError("a quarter is 1 to 4", field="quarter", value=quarter)
        return cls._months(year, 3 * (quarter - 1) + 1, 3, "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Month 1 to 12 of *year*."""
        if not 1 <= month <= 12:
            raise ValidationError("a month is 1 to 12", field="month", value=month)
        return cls._months(year, month, 1, "month")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """Any closed range; named as the calendar period it happens to be, if it is one."""
        return cls(start, end, _kind_of(start, end))

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        """Whole calendar years *first* to *last* inclusive (a term's target years)."""
        return cls.between(date(first, 1, 1), date(last, 12, 31))

    @classmethod
    def _months(cls, year: int, month: int, count: int, kind: PeriodKind) -> Period:
        start = date(year, month, 1)
        end = start + relativedelta(months=count) - timedelta(days=1)
        return cls(start, end, kind)

    @property
    def days(self) -> int:
        """Number of days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, other: date | Period) -> bool:
        """Whether a date, or a whole period, lies inside this one."""
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None``."""
        if not self.overlaps(other):
            return None
        return Period.between(max(self.start, other.start), min(self.end, other.end))

    def until(self, as_of: date) -> Period | None:
        """The part of the period up to and including *as_of* (``None`` before it starts)."""
        if as_of < self.start:
            return None
        return Period.between(self.start, min(self.end, as_of))

    def split(self, granularity: Granularity) -> Iterator[Period]:
        """Cut the period at calendar boundaries into years, halves, quarters, months or days.

        The first and last pieces are clipped to the period, so the pieces
        always tile it exactly.

        >>> [p.label("en") for p in Period.between(date(2022, 11, 1), date(2023, 6, 30))
        ...     .split("half")]
        ['2022-11-01 – 2022-12-31', 'H1 2023']
        """
        if granularity == "day":
            for offset in range(self.days):
                day = self.start + timedelta(days=offset)
                yield Period(day, day, "range")
            return
        if granularity not in _MONTHS_PER:
            raise ValidationError("unknown granularity", field="granularity", value=granularity)
        step = _MONTHS_PER[granularity]
        first_month = ((self.start.month - 1) // step) * step + 1
        anchor = date(self.start.year, first_month, 1)
        starts = rrule(
            YEARLY if step == 12 else MONTHLY,
            interval=1 if step == 12 else step,
            dtstart=anchor,
            until=self.end,
        )
        for moment in starts:
            piece_start = moment.date()
            piece_end = piece_start + relativedelta(months=step) - timedelta(days=1)
            yield Period.between(max(piece_start, self.start), min(piece_end, self.end))

    def label(self, locale: str = "vi") -> str:
        """The period named as reports name it, in Vietnamese or English.

        >>> Period.year(2022).label("vi"), Period.month(2022, 9).label("vi")
        ('năm 2022', 'tháng 9/2022')
        """
        loc = check_locale(locale)
        year = self.start.year
        if self.kind == "year":
            return f"năm {year}" if loc == "vi" else str(year)
        if self.kind == "half":
            first = self.start.month == 1
            if loc == "vi":
                return f"6 tháng {'đầu' if first else 'cuối'} năm {year}"
            return f"H{1 if first else 2} {year}"
        if self.kind == "quarter":
            number = (self.start.month - 1) // 3 + 1
            return f"quý {_ROMAN[number]}/{year}" if loc == "vi" else f"Q{number} {year}"
        if self.kind == "month":
            month = self.start.month
            if loc == "vi":
                return f"tháng {month}/{year}"
            return f"{_EN_MONTHS[month - 1].capitalize()} {year}"
        from ..numbers import format_date

        return f"{format_date(self.start, loc)} – {format_date(self.end, loc)}"

    def title(self, locale: str = "vi") -> str:
        """The period as a report's title names it, spelled out.

        >>> Period.half(2022, 1).title("vi"), Period.half(2022, 1).title("en")
        ('6 tháng đầu năm 2022', 'first half of 2022')
        >>> Period.quarter(2024, 1).title("en"), Period.years(2024, 2025).title("vi")
        ('first quarter of 2024', 'giai đoạn 2024–2025')
        """
        loc = check_locale(locale)
        year = self.start.year
        if self.kind == "half" and loc == "en":
            return f"{'first' if self.start.month == 1 else 'second'} half of {year}"
        if self.kind == "quarter" and loc == "en":
            number = (self.start.month - 1) // 3
            return f"{('first', 'second', 'third', 'fourth')[number]} quarter of {year}"
        if self.kind == "range" and self == Period.years(year, self.end.year):
            return f"{'giai đoạn ' if loc == 'vi' else ''}{year}–{self.end.year}"
        return self.label(loc)

    @property
    def key(self) -> str:
        """A short, locale-free identifier: ``2023``, ``2023-H1``, ``2023-Q2``, ``2023-06``."""
        year = self.start.year
        if self.kind == "year":
            return str(year)
        if self.kind == "half":
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def _kind_of(start: date, end: date) -> PeriodKind:
    if start.day != 1 or start.year != end.year:
        return "range"
    months = end.month - start.month + 1
    if months < 1 or end.day != calendar.monthrange(end.year, end.month)[1]:
        return "range"  # not whole months: the end is not a month's last day
    if months == 12:
        return "year"
    if months == 6 and start.month in (1, 7):
        return "half"
    if months == 3 and start.month in (1, 4, 7, 10):
        return "quarter"
    if months == 1:
        return "month"
    return "range"


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:năm\s+)?(\d{4})$"), "year"),
    (re.compile(r"^6\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})$"), "half-vi"),
    (
        re.compile(
            r"^(?:nhiệm kỳ|nhiệm kì|term|the)?\s*(\d{4})\s*(?:-|–|—|to)\s*(\d{4})(?:\s+term)?$"
        ),
        "years",
    ),
    (re.compile(r"^(?:quý|q)\s*(i|ii|iii|iv|[1-4])\s*[/ ]\s*(?:năm\s+)?(\d{4})$"), "quarter-vi"),
    (re.compile(r"^tháng\s+(\d{1,2})\s*[/ ]\s*(?:năm\s+)?(\d{4})$"), "month-vi"),
    (re.compile(r"^(first|second)\s+half\s+(?:of\s+)?(\d{4})$"), "half-en"),
    (re.compile(r"^h([12])[\s/-]*(\d{4})$"), "half-code"),
    (re.compile(r"^(\d{4})-h([12])$"), "half-key"),
    (re.compile(r"^q([1-4])[\s/-]*(\d{4})$"), "quarter-code"),
    (re.compile(r"^(\d{4})-q([1-4])$"), "quarter-key"),
    (re.compile(r"^(" + "|".join(_EN_MONTHS) + r")\s+(\d{4})$"), "month-en"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month-key"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "month-slash"),
]
_RANGE_RE = re.compile(r"^(?:từ\s+|from\s+)?(.+?)\s*(?:–|—|\.\.|\bđến\b|\bto\b| - )\s*(.+)$")


def parse_period(text: str, locale: str = "vi") -> Period:
    """Read a period as reports write it, in Vietnamese or English.

    Accepted: ``"năm 2022"``, ``"2022"``, ``"6 tháng đầu năm 2023"``,
    ``"quý II/2023"``, ``"tháng 9/2022"``, ``"first half of 2023"``,
    ``"H1 2023"``, ``"Q2 2023"``, ``"September 2022"``, whole years such as
    a term's ``"nhiệm kỳ 2020 - 2025"`` or ``"2020–2025 term"``, the keys of
    :attr:`Period.key` (``2023-H1``), and ranges of two dates
    (``"1/1/2021 - 30/6/2023"``, ``"2021-01-01..2023-06-30"``).

    >>> parse_period("6 tháng đầu năm 2023") == Period.half(2023, 1)
    True
    >>> parse_period("nhiệm kỳ 2020 - 2025") == Period.years(2020, 2025)
    True

    Raises:
        ParseError: quoting the text when it names no period.
    """
    check_locale(locale)
    cleaned = re.sub(r"\s+", " ", nfc(text).strip().lower())
    for pattern, how in _PATTERNS:
        match = pattern.match(cleaned)
        if match is None:
            continue
        a, *rest = match.groups()
        b = rest[0] if rest else None
        try:
            return _build(how, a, b)
        except ValidationError:
            break
    match = _RANGE_RE.match(cleaned)
    if match is not None:
        try:
            start = parse_date(match.group(1), locale)
            end = parse_date(match.group(2), locale)
            return Period.between(start, end)
        except (ParseError, ValidationError):
            pass
    raise ParseError(f"not a period: {text!r}", value=text)


def _build(how: str, a: str, b: str | None) -> Period:
    if how == "year":
        return Period.year(int(a))
    assert b is not None
    if how == "years":
        return Period.years(int(a), int(b))
    if how == "half-vi":
        return Period.half(int(b), 1 if a == "đầu" else 2)
    if how == "half-en":
        return Period.half(int(b), 1 if a == "first" else 2)
    if how == "half-code":
        return Period.half(int(b), int(a))
    if how == "half-key":
        return Period.half(int(a), int(b[-1]))
    if how == "quarter-vi":
        number = _FROM_ROMAN.get(a.upper()) or int(a)
        return Period.quarter(int(b), number)
    if how == "quarter-code":
        return Period.quarter(int(b), int(a))
    if how == "quarter-key":
        return Period.quarter(int(a), int(b[-1]))
    if how == "month-en":
        return Period.month(int(b), _EN_MONTHS.index(a) + 1)
    if how == "month-key":
        return Period.month(int(a), int(b))
    # month-vi, month-slash
    return Period.month(int(b), int(a))
