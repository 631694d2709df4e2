"""Eligibility checks on person-level admissions: warnings, never silent changes.

The rules partydev checks, each a warning about one admission (the record is
kept as it is):

``under_age`` / ``over_age``
    The age at admission, counted in whole months from the birth date
    (``relativedelta``), is below ``min_age`` years (216 months for 18) or above
    ``max_age`` years (more than 720 months for 60: 60 years and some days is
    still 60).  The regulations implementing the Party Charter (*Điều lệ Đảng*,
    Article 1, clause 2) ask that a person be from full 18 to full 60 years of
    age, counted by months, when the cell considers the admission; admitting an
    older person needs a decision of the committee directly under the Central
    Committee.  partydev counts at the admission date it is given.  An admission
    above the bound with a decision reference (the attribute named by
    ``exception_attribute``) is not warned about.  An admission with only a whole
    ``age`` is warned about when the age alone settles it (17, or 61 and over).
``awareness_after_admission``
    The date of the awareness class (*lớp bồi dưỡng nhận thức về Đảng*), the
    attribute named by ``awareness_attribute``, is after the admission, or is not
    a date.
``education_below_minimum``
    The level in the attribute named by ``education_attribute`` comes before
    ``min_education`` in ``education_levels`` (lowest first), or is not among them.
    Without levels in the ledger this rule is off.

The rules are data: a ledger's top-level ``eligibility`` table
(:class:`Eligibility`) overrides the defaults.

>>> from datetime import date
>>> from partydev.model.records import Admission
>>> young = Admission("x", date(2023, 5, 1), birth_date=date(2005, 5, 2))
>>> [w.message("en") for w in check_admission(young)]
['x: Under the minimum age: 17 years 11 months']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
from dateutil.relativedelta import relativedelta

from ..errors import ParseError, ValidationError
from ..labels import label
from ..numbers import nfc, parse_date
from .records import Admission

__all__ = [
    "RULES",
    "Eligibility",
    "EligibilityWarning",
    "age_in_months",
    "check_admission",
    "check_admissions",
]

RULES: tuple[str, ...] = (
    "under_age",
    "over_age",
    "awareness_after_admission",
    "education_below_minimum",
)
"""The codes of the eligibility rules, in the order they are checked."""


def _levels(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise ValidationError("education_levels is a list", field="education_levels", value=value)
    return tuple(nfc(v) for v in value)


@attrs.frozen
class Eligibility:
    """The data the eligibility rules check against.

    Args:
        min_age: The youngest age at admission, in full years (18).
        max_age: The oldest age at admission, in full years (60).
        exception_attribute: The admission attribute holding the decision that
            allows an admission above *max_age* (``"age_decision"``).
        awareness_attribute: The attribute holding the awareness class's date.
        education_attribute: The attribute holding the education level.
        education_levels: The levels, lowest first (empty: the rule is off).
        min_education: The lowest acceptable level, one of *education_levels*.
    """

    min_age: int = 18
    max_age: int = 60
    exception_attribute: str = "age_decision"
    awareness_attribute: str = "awareness_class"
    education_attribute: str = "general_education"
    education_levels: tuple[str, ...] = attrs.field(default=(), converter=_levels)
    min_education: str | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("min_age", "max_age"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 150:
                raise ValidationError("an age in whole years", field=name, value=value)
        if self.min_age >= self.max_age:
            raise ValidationError(
                "min_age must be below max_age", field="min_age", value=self.min_age
            )
        if (self.min_education is None) != (not self.education_levels):
            raise ValidationError(
                "education_levels and min_education go together", field="min_education"
            )
        if self.min_education is not None and self.min_education not in self.education_levels:
            raise ValidationError(
                "min_education is not among education_levels",
                field="min_education",
                value=self.min_education,
            )


@attrs.frozen
class EligibilityWarning:
    """One admission that a rule flags.

    Args:
        rule: The rule's code (:data:`RULES`).
        unit: The admitting unit.
        index: The admission's position in the ledger (``admissions[index]``).
        person: The person id, if any.
        detail: The offending value as recorded (a date, a level), for the
            other rules than age.
        months: For an age rule, the age in whole months (from whole years
            when no birth date is recorded).
        whole_years: Whether the age was recorded in whole years only.
    """

    rule: str
    unit: str
    index: int
    person: str | None
    detail: str = ""
    months: int | None = None
    whole_years: bool = False

    @property
    def path(self) -> str:
        """Where the admission is: ``admissions[12]``."""
        return f"admissions[{self.index}]"

    def message(self, locale: str = "vi") -> str:
        """The warning in *locale*: the rule and the value."""
        who = f" ({self.person})" if self.person else ""
        detail = self.detail
        if self.months is not None:
            years, months = divmod(self.months, 12)
            vi = locale == "vi"
            detail = f"{years} tuổi" if vi else f"{years} years"
            if not self.whole_years:
                detail += f" {months} tháng" if vi else f" {months} months"
        return f"{self.unit}{who}: {label(self.rule, locale)}: {detail}"


def age_in_months(born: dt.date, on: dt.date) -> int:
    """Whole months of age on *on* (``relativedelta``: 29 February counts as 28 February).

    >>> age_in_months(dt.date(2005, 5, 2), dt.date(2023, 5, 1))
    215
    """
    delta = relativedelta(on, born)
    return delta.years * 12 + delta.months


def check_admission(
    admission: Admission, rules: Eligibility | None = None, index: int = 0
) -> list[EligibilityWarning]:
    """The warnings *rules* (default: :class:`Eligibility`'s defaults) give *admission*."""
    rules = rules or Eligibility()
    out: list[EligibilityWarning] = []

    def warn(rule: str, detail: str = "", months: int | None = None, whole: bool = False) -> None:
        out.append(
            EligibilityWarning(
                rule, admission.unit, index, admission.person, detail, months, whole
            )
        )

    low, high = rules.min_age * 12, rules.max_age * 12
    excepted = admission.attribute(rules.exception_attribute) is not None
    if admission.birth_date is not None:
        months = age_in_months(admission.birth_date, admission.date)
        if months < low:
            warn("under_age", months=months)
        elif months > high and not excepted:
            warn("over_age", months=months)
    elif admission.age is not None:
        if admission.age < rules.min_age:
            warn("under_age", months=admission.age * 12, whole=True)
        elif admission.age > rules.max_age and not excepted:
            warn("over_age", months=admission.age * 12, whole=True)
    awareness = admission.attribute(rules.awareness_attribute)
    if awareness is not None:
        try:
            day = parse_date(awareness)
        except (ParseError, ValidationError):
            warn("awareness_after_admission", repr(awareness))
        else:
            if day > admission.date:
                warn("awareness_after_admission", day.isoformat())
    if rules.min_education is not None:
        level = admission.attribute(rules.education_attribute)
        if level is not None:
            levels = rules.education_levels
            if level not in levels or levels.index(level) < levels.index(rules.min_education):
                warn("education_below_minimum", level)
    return out


def check_admissions(
    admissions: Iterable[Admission], rules: Eligibility | None = None
) -> list[EligibilityWarning]:
    """Every warning of every admission, in ledger order."""
    rules = rules or Eligibility()
    out: list[EligibilityWarning] = []
    for index, admission in enumerate(admissions):
        out.extend(check_admission(admission, rules, index))
    return out
