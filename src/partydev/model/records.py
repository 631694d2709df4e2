"""What happened: admissions, period tallies, membership snapshots, and categories.

Real data mixes two grains.  An :class:`Admission` is one person admitted on
one date in one unit, with optional attributes (sex, ethnicity, education …).
A :class:`Tally` is a count for a unit and a period, optionally with counts by
category, as the official statistical forms report it.  A :class:`Membership`
is a unit's total members on a date.  A :class:`Category` ("young",
"female", "university") says which admissions belong to it: category lists
are data, loaded with the ledger, never hard-coded.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from ..errors import ValidationError
from ..numbers import nfc
from ._fields import (
    check_date,
    check_optional_date,
    check_period,
    to_date,
    to_optional_date,
    to_period,
)
from .periods import Period

__all__ = [
    "Admission",
    "Category",
    "Membership",
    "Tally",
    "admission_from_checked",
    "attribute_pairs",
    "optional_count",
    "whole_count",
    "whole_years",
]


def attribute_pairs(
    value: Mapping[str, object] | Iterable[tuple[str, object]] | None,
) -> tuple[tuple[str, str], ...]:
    """Attributes as an :class:`Admission` holds them: text keys and values, NFC,
    sorted by key, each combination one shared tuple (a million admissions share a
    few hundred).  ``True``/``False`` become ``"yes"``/``"no"``, numbers text.

    >>> attribute_pairs({"sex": "female", "ethnic_minority": True})
    (('ethnic_minority', 'yes'), ('sex', 'female'))
    """
    if value is None:
        return ()
    items = tuple(value.items() if isinstance(value, Mapping) else value)
    try:
        # Text only: True == 1 as a cache key, yet they normalise differently.
        plain = all(type(k) is str and type(v) is str for k, v in items)
    except (TypeError, ValueError):
        plain = False
    return _normalized_pairs(items) if plain else _normalize_pairs(items)


@functools.lru_cache(maxsize=65536)
def _normalized_pairs(items: tuple[tuple[str, object], ...]) -> tuple[tuple[str, str], ...]:
    """:func:`_normalize_pairs`, remembered: a million admissions share a few hundred
    attribute combinations, and sharing one tuple for each also saves memory."""
    return _normalize_pairs(items)


def _normalize_pairs(items: Iterable[tuple[str, object]]) -> tuple[tuple[str, str], ...]:
    out: dict[str, str] = {}
    for key, item in items:
        if not isinstance(key, str) or not isinstance(item, str | bool | int):
            raise ValidationError("attributes map text to text", field=str(key), value=item)
        text = ("yes" if item else "no") if isinstance(item, bool) else str(item)
        out[nfc(key)] = nfc(text)
    return tuple(sorted(out.items()))


def _counts(
    value: Mapping[str, int] | Iterable[tuple[str, int]] | None,
) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    out: dict[str, int] = {}
    for key, count in items:
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValidationError(
                "a breakdown count must be a whole number", field=key, value=count
            )
        out[nfc(key)] = count
    return tuple(sorted(out.items()))


def _whole(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            "must be a whole number",
            unit=getattr(instance, "unit", None),
            field=attribute.name,
            value=value,
        )
    if value < 0:
        raise ValidationError(
            "cannot be negative",
            unit=getattr(instance, "unit", None),
            field=attribute.name,
            value=value,
        )


def _optional_whole(
    instance: object, attribute: attrs.Attribute[int | None], value: object
) -> None:
    if value is not None:
        _whole(instance, attribute, value)


whole_count = _whole
"""An attrs validator: a whole number, 0 or more; errors name the record's unit and field."""

optional_count = _optional_whole
""":data:`whole_count`, or ``None``."""


def whole_years(born: dt.date, on: dt.date) -> int:
    """Whole years from *born* to *on*: ``relativedelta(on, born).years`` without
    building a relativedelta.

    As relativedelta does, a birthday on 29 February falls on 28 February in a
    common year.  Counting ages one admission at a time made relativedelta the
    largest cost of composition at national scale.
    """
    if on < born:
        return relativedelta(on, born).years
    # Only a day past the 28th can be missing from the month in another year.
    day = born.day
    birthday_day = day if day <= 28 else min(day, calendar.monthrange(on.year, born.month)[1])
    return on.year - born.year - ((on.month, on.day) < (born.month, birthday_day))


@attrs.frozen
class Admission:
    """One person admitted to the party.

    Args:
        unit: The id of the admitting unit.
        date: The date of the admission decision.
        person: An identifier of the person, if known (kept for de-duplication).
        birth_date: The person's birth date, if known.
        age: The age at admission, if known and no birth date is given.
        attributes: Other facts as text (``{"sex": "female", "education": "university"}``).
    """

    unit: str
    date: dt.date = attrs.field(converter=to_date, validator=check_date)
    person: str | None = None
    birth_date: dt.date | None = attrs.field(
        default=None, converter=to_optional_date, validator=check_optional_date
    )
    age: int | None = attrs.field(default=None, validator=_optional_whole)
    attributes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=attribute_pairs)

    def __attrs_post_init__(self) -> None:
        if self.birth_date is not None and self.birth_date > self.date:
            raise ValidationError(
                "born after being admitted",
                unit=self.unit,
                field="birth_date",
                value=self.birth_date.isoformat(),
            )

    def age_at_admission(self) -> int | None:
        """Whole years of age on the admission date, from *age* or *birth_date*."""
        if self.age is not None:
            return self.age
        if self.birth_date is None:
            return None
        return whole_years(self.birth_date, self.date)

    def attribute(self, name: str) -> str | None:
        """The value of attribute *name*, or ``None`` if not recorded."""
        for key, value in self.attributes:
            if key == name:
                return value
        return None


def admission_from_checked(
    unit: str,
    date: dt.date,
    person: str | None,
    birth_date: dt.date | None,
    age: int | None,
    attributes: tuple[tuple[str, str], ...],
) -> Admission:
    """An :class:`Admission` from fields its constructor would accept unchanged.

    For a bulk reader that has already checked every field: *age* ``None`` or
    an int of 0 or more, *birth_date* not after *date*, and *attributes* as
    :func:`attribute_pairs` returns them (sorted, NFC, shared).  It skips the validators
    and the converter, which cost more than the object at a million admissions;
    the bulk path's property test compares the result with the constructor's.
    """
    admission: Admission = object.__new__(Admission)
    setattr_ = object.__setattr__
    setattr_(admission, "unit", unit)
    setattr_(admission, "date", date)
    setattr_(admission, "person", person)
    setattr_(admission, "birth_date", birth_date)
    setattr_(admission, "age", age)
    setattr_(admission, "attributes", attributes)
    return admission


@attrs.frozen
class Tally:
    """A count of admissions for a unit over a period.

    Args:
        unit: The unit id.
        period: The period counted.
        count: How many were admitted.
        breakdown: Counts by category id (``{"young": 300}``); each at most *count*.
        inclusive: ``True`` when the count is the unit's reported total
            including its sub-units (a province's figure), ``False`` when it
            counts the unit's own admissions only.
    """

    unit: str
    period: Period = attrs.field(converter=to_period, validator=check_period)
    count: int = attrs.field(validator=_whole)
    breakdown: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_counts)
    inclusive: bool = False

    def __attrs_post_init__(self) -> None:
        for category, number in self.breakdown:
            if number < 0:
                raise ValidationError(
                    "a breakdown count cannot be negative",
                    unit=self.unit,
                    field=f"breakdown.{category}",
                    value=number,
                )
            if number > self.count:
                raise ValidationError(
                    f"the breakdown exceeds the count ({number} > {self.count})",
                    unit=self.unit,
                    field=f"breakdown.{category}",
                    value=number,
                )

    def category_count(self, category: str) -> int | None:
        """The breakdown count for *category*, or ``None`` if not reported."""
        for key, value in self.breakdown:
            if key == category:
                return value
        return None


@attrs.frozen
class Membership:
    """A unit's total members on a date (*tổng số đảng viên*), including its sub-units."""

    unit: str
    date: dt.date = attrs.field(converter=to_date, validator=check_date)
    members: int = attrs.field(validator=_whole)


def _nfc_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(nfc(value) for value in values)


@attrs.frozen
class Category:
    """A category of admissions, defined by data.

    An admission belongs to the category when its attribute *attribute* has one
    of *values*, or, for an age category (*max_age* set), when its age at
    admission is at most *max_age* (a report may override the bound).

    Args:
        id: The key used in breakdowns and reports (``"young"``).
        label_vi: The Vietnamese name.
        label_en: The English name.
        attribute: The admission attribute tested (``"sex"``), if not an age category.
        values: The attribute values that belong.
        max_age: The highest age at admission that belongs, for an age category.
        group: Mutually exclusive categories share a group (``"education"``), so
            that their shares can be made to add up to 100.
    """

    id: str
    label_vi: str = attrs.field(converter=nfc)
    label_en: str = attrs.field(converter=nfc)
    attribute: str | None = None
    values: tuple[str, ...] = attrs.field(default=(), converter=_nfc_tuple)
    max_age: int | None = None
    group: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.attribute is None) == (self.max_age is None):
            raise ValidationError(
                "a category tests either an attribute or an age", field="category", value=self.id
            )

    def label(self, locale: str = "vi") -> str:
        """The category's name in *locale*."""
        return self.label_vi if locale == "vi" else self.label_en

    def matches(self, admission: Admission, max_age: int | None = None) -> bool | None:
        """Whether *admission* belongs; ``None`` when the data needed is missing."""
        age = admission.age_at_admission() if self.max_age is not None else None
        return self.holds(admission.attributes, age, max_age)

    def holds(
        self, attributes: tuple[tuple[str, str], ...], age: int | None, max_age: int | None = None
    ) -> bool | None:
        """Whether an admission with *attributes* and *age* at admission belongs
        (:meth:`matches` on the values alone, as a columnar store holds them)."""
        if self.max_age is not None:
            if age is None:
                return None
            return age <= (max_age if max_age is not None else self.max_age)
        assert self.attribute is not None
        for key, value in attributes:
            if key == self.attribute:
                return value in self.values
        return None
