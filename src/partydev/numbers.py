"""Exact ratios, rounding, and numbers and dates written the Vietnamese or English way.

Everything here is exact: a :class:`Ratio` is a pair of integers, and rounding to
a number of decimal places is done with integer arithmetic in the rounding mode
asked for (half up by default, as Excel's ``ROUND`` and the press do).  Floats
are refused wherever a published figure could depend on them.

>>> Ratio(4537, 7500).percent(1)
Decimal('60.5')
>>> format_percent(Ratio(268, 350), 2)
'76,57%'
>>> parse_number("4.537")
4537
"""

from __future__ import annotations

import decimal
import re
import unicodedata
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from .errors import ParseError, ValidationError

__all__ = [
    "ROUNDING_MODES",
    "Locale",
    "Ratio",
    "check_locale",
    "check_places",
    "check_rounding",
    "format_date",
    "format_number",
    "format_percent",
    "nfc",
    "parse_count",
    "parse_date",
    "parse_number",
    "parse_percent",
    "parse_stated_percent",
    "percent_places",
    "round_fraction",
]

Locale: TypeAlias = Literal["vi", "en"]
"""The two locales partydev writes and reads: ``"vi"`` (Vietnamese) and ``"en"``."""

ROUNDING_MODES: frozenset[str] = frozenset(
    {
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
    }
)
"""The :mod:`decimal` rounding constants accepted wherever ``rounding=`` is taken."""

_SEPARATORS: dict[str, tuple[str, str]] = {"vi": (".", ","), "en": (",", ".")}
"""Per locale: (thousands separator, decimal mark)."""


def nfc(text: str) -> str:
    """Return *text* in Unicode normalisation form C (composed Vietnamese letters)."""
    return unicodedata.normalize("NFC", text)


def check_locale(locale: str) -> Locale:
    """Return *locale* if partydev supports it, else raise :class:`ValidationError`."""
    if locale == "vi":
        return "vi"
    if locale == "en":
        return "en"
    raise ValidationError("unsupported locale; use 'vi' or 'en'", field="locale", value=locale)


def check_rounding(rounding: object) -> str:
    """*rounding* if it is one of :data:`ROUNDING_MODES`, else a :class:`ValidationError`:
    the one check of a ``rounding=`` argument."""
    if not isinstance(rounding, str) or rounding not in ROUNDING_MODES:
        raise ValidationError(
            "unsupported rounding mode; use a constant of the decimal module",
            field="rounding",
            value=rounding,
        )
    return rounding


def check_places(places: object, most: int | None = None) -> int:
    """*places* if it is a whole number from 0 (to *most*), else a :class:`ValidationError`:
    the one check of a ``places=`` argument."""
    if isinstance(places, bool) or not isinstance(places, int):
        raise ValidationError("places must be an integer", field="places", value=places)
    if places < 0 or (most is not None and places > most):
        bound = "0 or more" if most is None else f"0 to {most}"
        raise ValidationError(f"places must be {bound}", field="places", value=places)
    return places


def round_fraction(value: Fraction, places: int, rounding: str = decimal.ROUND_HALF_UP) -> Decimal:
    """Round an exact fraction to *places* decimal places, exactly.

    Unlike ``round()`` (banker's rounding on a binary float) or a default
    :class:`~decimal.Context`, the result depends only on the exact value and
    the rounding mode: ``round_fraction(Fraction(4825, 100), 1)`` is ``48.3``.

    Args:
        value: The exact value.
        places: Decimal places to keep (0 or more).
        rounding: A :mod:`decimal` rounding constant, half up by default.

    Returns:
        A :class:`~decimal.Decimal` with exactly *places* digits after the point.

    Raises:
        ValidationError: if *places* is negative or *rounding* is unknown.

    >>> round_fraction(Fraction(4825, 100), 1)
    Decimal('48.3')
    >>> round_fraction(Fraction(4825, 100), 1, decimal.ROUND_DOWN)
    Decimal('48.2')
    """
    check_places(places)
    check_rounding(rounding)
    return _round_quotient(value.numerator, value.denominator, places, rounding)


def _round_quotient(numerator: int, denominator: int, places: int, rounding: str) -> Decimal:
    """:func:`round_fraction` of ``numerator / denominator`` (denominator > 0, arguments
    checked), on integers: a report rounds hundreds of thousands of ratios, and
    building a :class:`~fractions.Fraction` for each costs more than the rounding."""
    negative = numerator < 0
    magnitude = (-numerator if negative else numerator) * 10**places
    quotient, remainder = divmod(magnitude, denominator)
    if remainder:
        twice = 2 * remainder
        half = denominator
        away: bool
        if rounding == decimal.ROUND_HALF_UP:
            away = twice >= half
        elif rounding == decimal.ROUND_HALF_DOWN:
            away = twice > half
        elif rounding == decimal.ROUND_HALF_EVEN:
            away = twice > half or (twice == half and quotient % 2 == 1)
        elif rounding == decimal.ROUND_DOWN:
            away = False
        elif rounding == decimal.ROUND_UP:
            away = True
        elif rounding == decimal.ROUND_CEILING:
            away = not negative
        else:  # ROUND_FLOOR
            away = negative
        if away:
            quotient += 1
    signed = -quotient if negative else quotient
    return Decimal(signed).scaleb(-places)


def _check_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be an integer", field=attribute.name, value=value)


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value <= 0:
        raise ValidationError("must be greater than 0", field=attribute.name, value=value)


@attrs.frozen(eq=False)
class Ratio:
    """An exact ratio of two integers, such as achieved over target.

    The ratio is kept as written (``Ratio(2, 4)`` keeps 2 and 4) so that a
    report can show what was divided by what; equality and :attr:`fraction`
    compare by value.

    >>> r = Ratio(1732, 1500)
    >>> r.percent(1)
    Decimal('115.5')
    >>> r.fraction
    Fraction(433, 375)
    """

    numerator: int = attrs.field(validator=_check_int)
    denominator: int = attrs.field(validator=[_check_int, _positive])

    @property
    def fraction(self) -> Fraction:
        """The exact value as a :class:`~fractions.Fraction`."""
        return Fraction(self.numerator, self.denominator)

    def percent(self, places: int = 1, rounding: str = decimal.ROUND_HALF_UP) -> Decimal:
        """The ratio as a percentage rounded to *places* decimals (half up by default).

        >>> Ratio(268, 350).percent(2)
        Decimal('76.57')
        >>> Ratio(193, 400).percent(1)  # 48.25 exactly: half up, not banker's
        Decimal('48.3')
        """
        check_places(places)
        check_rounding(rounding)
        return _round_quotient(100 * self.numerator, self.denominator, places, rounding)

    def quantize(self, places: int = 0, rounding: str = decimal.ROUND_HALF_UP) -> Decimal:
        """The ratio itself rounded to *places* decimals."""
        return round_fraction(self.fraction, places, rounding)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Ratio):
            return self.fraction == other.fraction
        if isinstance(other, int | Fraction):
            return self.fraction == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.fraction)

    def __lt__(self, other: Ratio | int | Fraction) -> bool:
        return self.fraction < _as_fraction(other)

    def __le__(self, other: Ratio | int | Fraction) -> bool:
        return self.fraction <= _as_fraction(other)

    def __gt__(self, other: Ratio | int | Fraction) -> bool:
        return self.fraction > _as_fraction(other)

    def __ge__(self, other: Ratio | int | Fraction) -> bool:
        return self.fraction >= _as_fraction(other)

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


def _as_fraction(value: Ratio | int | Fraction) -> Fraction:
    return value.fraction if isinstance(value, Ratio) else Fraction(value)


def _group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(parts)


def format_number(value: int | Decimal, locale: str = "vi") -> str:
    """Write a number with the locale's thousands separator and decimal mark.

    >>> format_number(4537)
    '4.537'
    >>> format_number(4537, "en")
    '4,537'
    >>> format_number(Decimal("1234.50"), "vi")
    '1.234,50'
    """
    loc = check_locale(locale)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValidationError("format_number takes an int or a Decimal", value=value)
    thousands, mark = _SEPARATORS[loc]
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValidationError("cannot format a non-finite number", value=value)
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    out = sign + _group(whole, thousands)
    if frac:
        out += mark + frac
    return out


def format_percent(value: Ratio | Decimal, places: int = 1, locale: str = "vi") -> str:
    """Write a percentage: a :class:`Ratio` is rounded half up first; a Decimal is a percent.

    >>> format_percent(Ratio(4537, 7500))
    '60,5%'
    >>> format_percent(Decimal("60.5"), 1, "en")
    '60.5%'
    """
    if isinstance(value, Ratio):
        number = value.percent(places)
    elif isinstance(value, Decimal):
        number = round_fraction(Fraction(value), places)
    else:
        raise ValidationError("format_percent takes a Ratio or a Decimal", value=value)
    return format_number(number, locale) + "%"


_NUMBER_RE = {
    "vi": re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$"),
    "en": re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$"),
}


def _clean(text: str) -> str:
    return nfc(text).replace("\u00a0", " ").replace("\u202f", " ").strip()


def parse_number(text: str, locale: str = "vi") -> int | Decimal:
    """Read a number written the locale's way: an :class:`int` if it has no decimals.

    In Vietnamese ``.`` groups thousands and ``,`` is the decimal mark, so
    ``"1.732"`` is 1732; in English it is the other way round.  A lone
    separator followed by exactly three digits is read as grouping, as
    reports write it; anything else ambiguous is an error.

    >>> parse_number("1.732")
    1732
    >>> parse_number("60,5")
    Decimal('60.5')
    >>> parse_number("1,732", "en")
    1732

    Raises:
        ParseError: quoting the text when it is not a number in that locale.
    """
    loc = check_locale(locale)
    if not isinstance(text, str):
        raise ParseError("expected text", value=text)
    cleaned = _clean(text).replace(" ", "")
    match = _NUMBER_RE[loc].match(cleaned)
    if match is None:
        raise ParseError(f"not a number in locale {loc!r}: {text!r}", value=text)
    sign, whole, frac = match.groups()
    digits = whole.replace(_SEPARATORS[loc][0], "")
    if frac is None:
        try:
            return int(sign + digits)
        except ValueError:  # past Python's limit on the digits of an int
            raise ParseError(
                f"a number of {len(digits):,} digits is too long", value=text
            ) from None
    return Decimal(f"{sign}{digits}.{frac}")


_PERCENT_RE = re.compile(r"^(.*?)\s*%$")


def parse_percent(text: str, locale: str = "vi") -> Decimal:
    """Read a percentage such as ``"76,57%"`` or ``"76,57 %"`` as the Decimal 76.57.

    The number of decimals written is kept (``Decimal("60.5")`` has one place),
    which is what :func:`percent_places` reads back.

    >>> parse_percent("76,57%")
    Decimal('76.57')
    >>> parse_percent("104.5 %", "en")
    Decimal('104.5')
    """
    if not isinstance(text, str):
        raise ParseError("expected text", value=text)
    match = _PERCENT_RE.match(_clean(text))
    if match is None:
        raise ParseError(f"not a percentage (no %): {text!r}", value=text)
    try:
        number = parse_number(match.group(1), locale)
    except ParseError:
        raise ParseError(f"not a percentage in locale {locale!r}: {text!r}", value=text) from None
    return Decimal(number)


def parse_count(value: str | int) -> int:
    """Read a count a clerk typed: a whole number, its thousands grouped either way.

    The rule, one for every count a ledger holds (targets, tallies and their
    breakdowns, memberships, stated counts): an :class:`int` is taken as it is
    (``True`` and ``False`` are not counts); text is read by :func:`parse_number`
    in Vietnamese and, if that gives no whole number, in English, and must give
    a whole number.  So ``"1.732"`` and ``"1,732"`` are both 1732, and
    ``"1732"``, ``"1 732"`` too; a group is always three digits, so ``"1.5"``,
    ``"1,5"`` and ``"1.73"`` are not counts.  At most one of the two readings
    of a text is whole, so the rule never has to choose.

    >>> parse_count("1.732"), parse_count("1,732"), parse_count(1732)
    (1732, 1732, 1732)

    Raises:
        ParseError: quoting the text when it is not a whole number.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ParseError("a count is a whole number or text such as '1.732'", value=value)
    if value.isascii() and value.isdigit() and len(value) <= 18:  # the common case: CSV cells
        return int(value)
    for loc in ("vi", "en"):
        try:
            number = parse_number(value, loc)
        except ParseError:
            continue
        if isinstance(number, int):
            return number
    raise ParseError(
        f"not a count (a whole number, thousands grouped by three: '1.732'): {value!r}",
        value=value,
    )


def parse_stated_percent(text: str, locale: str = "vi") -> Decimal:
    """Read a percent as a clerk or an article may write it: ``"60,5%"`` or ``"60.5%"``.

    :func:`parse_percent` in *locale* first, else in the other locale: the rule
    of stated claims and of ``partydev check --percent``.  A text both locales
    read (``"1.500%"``) takes *locale*'s reading.

    >>> parse_stated_percent("60,5%"), parse_stated_percent("60.5%")
    (Decimal('60.5'), Decimal('60.5'))

    Raises:
        ParseError: quoting the text when neither locale reads it.
    """
    loc = check_locale(locale)
    for each in (loc, "en" if loc == "vi" else "vi"):
        try:
            return parse_percent(text, each)
        except ParseError:
            continue
    raise ParseError(f"not a percentage (such as '60,5%' or '60.5%'): {text!r}", value=text)


def percent_places(value: str | Decimal, locale: str = "vi") -> int:
    """How many decimals a stated percent carries: ``"76,57%"`` has 2, ``"91%"`` 0."""
    number = parse_percent(value, locale) if isinstance(value, str) else value
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ParseError("a percent must be finite", value=value)
    return max(0, -exponent)


def format_date(value: date, locale: str = "vi") -> str:
    """Write a date as reports do: ``30/6/2023`` in Vietnamese, ISO ``2023-06-30`` in English.

    >>> format_date(date(2023, 6, 30))
    '30/6/2023'
    >>> format_date(date(2023, 6, 30), "en")
    '2023-06-30'
    """
    loc = check_locale(locale)
    if loc == "vi":
        return f"{value.day}/{value.month}/{value.year}"
    return value.isoformat()


_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DMY_RE = re.compile(r"^(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", re.IGNORECASE)


def parse_date(text: str, locale: str = "vi") -> date:
    """Read a date: ISO ``2023-06-30`` in any locale, or day/month/year ``30/6/2023``.

    Vietnamese and English reports alike write day first; month-first dates
    are not accepted, because ``6/7/2023`` would be ambiguous.

    >>> parse_date("30/6/2023")
    datetime.date(2023, 6, 30)
    >>> parse_date("ngày 7/7/2023")
    datetime.date(2023, 7, 7)

    Raises:
        ParseError: quoting the text when it is not a valid date.
    """
    check_locale(locale)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # the common case, bulk CSV: plain ISO, no cleaning needed
            return date.fromisoformat(text)
        except ValueError:
            pass  # the general path gives the error
    cleaned = _clean(text)
    match = _ISO_DATE_RE.match(cleaned)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY_RE.match(cleaned)
        if match is None:
            raise ParseError(
                f"not a date (expected 30/6/2023 or 2023-06-30): {text!r}", value=text
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ParseError(f"not a valid date: {text!r} ({exc})", value=text) from None


def to_fraction(value: object, what: str = "value") -> Fraction:
    """Convert an exact number to a Fraction; floats and non-finite Decimals are refused."""
    if isinstance(value, bool | float):
        raise ValidationError(f"{what} must be exact (int, Fraction or Decimal)", value=value)
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(f"{what} must be finite", value=value)
        return Fraction(value)
    raise ValidationError(f"{what} must be exact (int, Fraction or Decimal)", value=value)
