"""Admissions held column by column, and the index that counts them.

A national ledger holds about a million admissions.  As objects they cost
about a hundred bytes and a constructor call each, and every count a report
makes would walk them.  An :class:`AdmissionTable` keeps the same records as
columns instead (unit ids, day ordinals, person ids, birth dates, ages and an
index into the distinct attribute sets, which a million rows share a few
thousand of); it is a read-only :class:`~collections.abc.Sequence` of
:class:`~partydev.records.Admission`, each object made when asked for
(iteration, indexing, writing the ledger back).

An :class:`AdmissionIndex` orders the rows by unit and date once, as one
sorted array of integer keys ``(unit number << DAY_BITS) | day``: a unit's
rows are one run of it, and the admissions of any unit over any span are
counted with two bisections.  :meth:`AdmissionIndex.figures` is the one
method the counting engine (:mod:`partydev.achieved`) calls for a unit's own
admissions: the count and the sum of a per-row code over each window.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, chain, compress, count, repeat
from operator import add, and_, attrgetter, lshift, mul, or_, rshift, sub
from typing import Any

from .columnar import CodedColumn, RecordTable
from .kernels import Kernels
from .records import Admission, admission_from_checked, whole_years

__all__ = ["DAY_BITS", "AdmissionIndex", "AdmissionTable", "Attributes"]

Attributes = tuple[tuple[str, str], ...]
"""An admission's attributes: sorted ``(name, value)`` pairs, as :class:`Admission` holds them."""

DAY_BITS = 22
"""Bits of an index key that hold the day ordinal (9999-12-31 is 3,652,059 < 2**22)."""

_DAY_MASK = (1 << DAY_BITS) - 1


def _optional(column: Sequence[Any] | None) -> Sequence[Any] | None:
    """*column*, or ``None`` when there is none or every cell is ``None`` (no column
    to keep)."""
    return None if column is None or column.count(None) == len(column) else column


class AdmissionTable(RecordTable[Admission]):
    """Admissions as columns; a read-only sequence of :class:`Admission`.

    Build one with :meth:`from_records` (any admissions), :meth:`from_columns`
    (a bulk reader's checked columns) or :meth:`concat`.  Rows keep the order
    they were given in, so ``table[i]`` is the ``admissions[i]`` errors name.
    Two tables are equal when their rows are; a table also equals any sequence
    of the same admissions.

    Columns are held as tuples, not lists: a tuple of strings, numbers, dates
    and ``None`` leaves the garbage collector's care at its first collection,
    while a list is walked cell by cell at every full collection for as long
    as it lives.  A national load triggers about twenty of those; with six
    columns of a million cells as lists they took 3.9 s, as tuples 2.1 s.
    The units are a :class:`~partydev.model.columnar.CodedColumn` (each id once,
    a number per row), which the :class:`AdmissionIndex` numbers units by.
    """

    __slots__ = ("_age", "_birth", "_day", "_person", "_profile", "_profiles", "_unit", "_years")

    def __init__(
        self,
        units: Sequence[str],
        days: Sequence[int],
        profile: Sequence[int],
        profiles: list[Attributes],
        persons: Sequence[str | None] | None = None,
        births: Sequence[dt.date | None] | None = None,
        ages: Sequence[int | None] | None = None,
    ) -> None:
        # Private: the columns are trusted (see from_columns), and kept as tuples
        # (see the class docstring); the units coded, each id once.
        self._unit = units if isinstance(units, CodedColumn) else CodedColumn.from_cells(units)
        self._day = tuple(days)
        self._profile = tuple(profile)
        self._profiles = profiles
        self._person = None if persons is None else tuple(persons)
        self._birth = None if births is None else tuple(births)
        self._age = None if ages is None else tuple(ages)
        self._years: tuple[int | None, ...] | None = None

    @classmethod
    def from_columns(
        cls,
        *,
        units: Sequence[str],
        days: Sequence[int],
        profile: Sequence[int],
        profiles: list[Attributes],
        persons: Sequence[str | None] | None = None,
        births: Sequence[dt.date | None] | None = None,
        ages: Sequence[int | None] | None = None,
    ) -> AdmissionTable:
        """A table from columns a bulk reader has checked row by row.

        Each column has one cell per row: *units* the unit ids (kept as they
        are when a :class:`~partydev.model.columnar.CodedColumn`), *days* the
        admission dates as ordinals, *profile* an index into *profiles* (the
        distinct attribute sets, each as :func:`~partydev.records.attribute_pairs`
        returns it); *persons*, *births* and *ages* may be ``None`` when no row
        has one.  The cells must be what :class:`Admission` would accept
        unchanged (no birth after the admission, ages not negative): this
        constructor checks lengths only, as :func:`~partydev.records.admission_from_checked`
        does nothing.  The table keeps each column as a tuple (see the class's
        note on the garbage collector).
        """
        n = len(units)
        for name, column in (
            ("days", days),
            ("profile", profile),
            ("persons", persons),
            ("births", births),
            ("ages", ages),
        ):
            if column is not None and len(column) != n:
                raise ValueError(f"column {name} has {len(column)} cells, units has {n}")
        return cls(
            units,
            days,
            profile,
            profiles,
            _optional(persons),
            _optional(births),
            _optional(ages),
        )

    @classmethod
    def from_records(cls, admissions: Iterable[Admission]) -> AdmissionTable:
        """A table of *admissions* (an :class:`AdmissionTable` is returned as is)."""
        if isinstance(admissions, AdmissionTable):
            return admissions
        items = admissions if isinstance(admissions, list | tuple) else list(admissions)
        dates = list(map(attrgetter("date"), items))
        ordinal = {day: day.toordinal() for day in set(dates)}
        sets = list(map(attrgetter("attributes"), items))
        number = {attributes: k for k, attributes in enumerate(dict.fromkeys(sets))}
        return cls(
            list(map(attrgetter("unit"), items)),
            list(map(ordinal.__getitem__, dates)),
            list(map(number.__getitem__, sets)),
            list(number),
            _optional(list(map(attrgetter("person"), items))),
            _optional(list(map(attrgetter("birth_date"), items))),
            _optional(list(map(attrgetter("age"), items))),
        )

    @classmethod
    def concat(cls, parts: Iterable[Iterable[Admission]]) -> AdmissionTable:
        """One table of the rows of *parts*, in order (tables are joined column by column)."""
        tables = [cls.from_records(part) for part in parts]
        if len(tables) == 1:
            return tables[0]
        units: list[str] = []
        days: list[int] = []
        profile: list[int] = []
        number: dict[Attributes, int] = {}
        for table in tables:
            units.extend(table.units)
            days.extend(table._day)
            remap = [number.setdefault(a, len(number)) for a in table._profiles]
            profile.extend(map(remap.__getitem__, table._profile))

        def joined(column: Callable[[AdmissionTable], Sequence[Any] | None]) -> list[Any] | None:
            if all(column(t) is None for t in tables):
                return None
            return list(chain.from_iterable(column(t) or repeat(None, len(t)) for t in tables))

        return cls(
            units,
            days,
            profile,
            list(number),
            joined(lambda t: t._person),
            joined(lambda t: t._birth),
            joined(lambda t: t._age),
        )

    # -- the sequence ------------------------------------------------------------------

    noun = "admission"

    def __len__(self) -> int:
        return len(self._unit)

    def _row(self, i: int) -> Admission:
        return admission_from_checked(
            self._unit[i],
            dt.date.fromordinal(self._day[i]),
            None if self._person is None else self._person[i],
            None if self._birth is None else self._birth[i],
            None if self._age is None else self._age[i],
            self._profiles[self._profile[i]],
        )

    def rows(self, numbers: Iterable[int]) -> list[Admission]:
        """The admissions of the given row numbers, in that order."""
        return list(map(self._row, numbers))

    def __iter__(self) -> Iterator[Admission]:
        n = len(self)
        return map(
            admission_from_checked,
            self._unit,
            map(dt.date.fromordinal, self._day),
            repeat(None, n) if self._person is None else self._person,
            repeat(None, n) if self._birth is None else self._birth,
            repeat(None, n) if self._age is None else self._age,
            map(self._profiles.__getitem__, self._profile),
        )

    def _key(self) -> tuple[Any, ...]:
        n = len(self)
        return (
            self._unit,
            self._day,
            list(map(self._profiles.__getitem__, self._profile)),
            self._person or (None,) * n,  # tuples, as the columns are: a list never equals one
            self._birth or (None,) * n,
            self._age or (None,) * n,
        )

    def _same(self, other: RecordTable[Admission]) -> bool:
        assert isinstance(other, AdmissionTable)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(tuple(map(tuple, self._key())))

    # -- columns -------------------------------------------------------------------------

    @property
    def units(self) -> CodedColumn[str]:
        """The unit id of each row, coded: its :attr:`~CodedColumn.values` are the
        distinct ids in order of first appearance, its codes each row's number
        among them."""
        return self._unit

    @property
    def days(self) -> Sequence[int]:
        """The admission date of each row, as a day ordinal."""
        return self._day

    @property
    def persons(self) -> Sequence[str | None]:
        """The person id of each row (``None`` where not recorded)."""
        return _nones(len(self)) if self._person is None else self._person

    @property
    def attribute_sets(self) -> Sequence[Attributes]:
        """The distinct attribute sets; :attr:`profile` indexes them."""
        return self._profiles

    @property
    def profile(self) -> Sequence[int]:
        """Per row, the index of its attributes in :attr:`attribute_sets`."""
        return self._profile

    def ages_at_admission(self) -> Sequence[int | None]:
        """Per row, whole years of age on the admission date (as
        :meth:`Admission.age_at_admission`), computed once per table."""
        if self._years is None:
            n = len(self)
            ages = self._age or [None] * n
            births = self._birth
            if births is None:
                self._years = tuple(ages)
            else:
                self._years = tuple(_ages_on(ages, births, self._day))
        return self._years

    def combinations(self, by_age: bool) -> tuple[list[int], list[tuple[Attributes, int | None]]]:
        """Per row, the index of its (attributes, age) pair among the distinct
        pairs, and those pairs (the age is ``None`` unless *by_age*: the pairs are
        then the attribute sets themselves)."""
        sets = self._profiles
        if not by_age:
            return list(self._profile), [(attributes, None) for attributes in sets]
        # Each row's pair as one integer (attribute set × distinct ages + age number):
        # a million pair tuples would be hashed twice and kept alive meanwhile.
        ages = self.ages_at_admission()
        age_of = list(set(ages))  # the distinct ages, None among them
        width = len(age_of)
        age_number = dict(zip(age_of, count()))
        keys = list(
            map(add, map(mul, self._profile, repeat(width)), map(age_number.__getitem__, ages))
        )
        number = dict(zip(dict.fromkeys(keys), count()))
        pairs = [(sets[key // width], age_of[key % width]) for key in number]
        return list(map(number.__getitem__, keys)), pairs

    def row_codes(self, code: Callable[[Attributes, int | None], int], by_age: bool) -> list[int]:
        """Per row, ``code(attributes, age)``: called once per distinct pair of
        :meth:`combinations`, the results shared."""
        combination, pairs = self.combinations(by_age)
        per_pair = [code(attributes, age) for attributes, age in pairs]
        return list(map(per_pair.__getitem__, combination))


def _nones(n: int) -> Sequence[None]:
    """A sequence of *n* ``None`` (a column nobody recorded)."""
    return (None,) * n


def _ages_on(
    ages: Sequence[int | None], births: Sequence[dt.date | None], days: Sequence[int]
) -> list[int | None]:
    """Per row, the stated age, else whole years from the birth date to the day.

    :func:`~partydev.records.whole_years` per row, by month-and-day numbers
    looked up once per distinct date; a birthday on 29 February (whose
    anniversary moves in common years) takes the function itself.
    """
    of_day: dict[int, tuple[int, int]] = {}  # day ordinal -> (year, month * 100 + day)
    for day in set(days):
        when = dt.date.fromordinal(day)
        of_day[day] = (when.year, when.month * 100 + when.day)
    years: list[int | None] = []
    for age, born, day in zip(ages, births, days, strict=True):
        if age is not None or born is None:
            years.append(age)
        elif born.month == 2 and born.day == 29:
            years.append(whole_years(born, dt.date.fromordinal(day)))
        else:
            year, month_day = of_day[day]
            years.append(year - born.year - (month_day < born.month * 100 + born.day))
    return years


class AdmissionIndex:
    """The rows of an :class:`AdmissionTable` by unit, in date order.

    Built once (one sort of integer keys, O(n log n)); every question after
    that is a bisection.  Positions (``start``, ``stop``) are places in that
    order; :meth:`order` turns them back into row numbers.
    """

    __slots__ = ("_keys", "_number", "_order", "_starts", "_units", "table")

    def __init__(self, table: AdmissionTable) -> None:
        self.table = table
        units = table.units
        codes: Sequence[int] = units.codes
        sizes = Counter(codes)
        number = dict(zip(units.values, count()))
        if len(sizes) < len(number) or len(number) < len(units.values):
            # Some id numbers no row, or one id has two codes: number the used ids once.
            units = CodedColumn.from_cells(units)
            codes = units.codes
            sizes = Counter(codes)
            number = dict(zip(units.values, count()))
        # One sort of plain ints, no key function: each key carries its row number
        # in its low bits, so that the sort gives the order and the keys at once.
        row_bits = max(len(codes), 1).bit_length()
        shift = DAY_BITS + row_bits
        keyed = list(
            map(
                or_,
                map(
                    or_,
                    map(lshift, codes, repeat(shift)),
                    map(lshift, table.days, repeat(row_bits)),
                ),
                range(len(codes)),
            )
        )
        keyed.sort()
        self._number = number
        self._units = units  # its codes are the rows' unit numbers (a view: kept as the column)
        self._keys = array("q", map(rshift, keyed, repeat(row_bits)))
        self._order = array("q", map(and_, keyed, repeat((1 << row_bits) - 1)))
        self._starts = [0, *accumulate(sizes[k] for k in range(len(number)))]

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._number

    def __len__(self) -> int:
        return len(self._order)

    def units(self) -> Iterable[str]:
        """The units with admissions, in order of first appearance (their numbers)."""
        return self._number.keys()

    def number(self, unit_id: str) -> int | None:
        """*unit_id*'s number (see :meth:`units`), or ``None`` if it has no admissions."""
        return self._number.get(unit_id)

    def numbers(self, unit_ids: Iterable[str], missing: int = -1) -> list[int]:
        """Each of *unit_ids*' number (:meth:`number`), *missing* for one without
        admissions: one look-up in C per unit."""
        return list(map(self._number.get, unit_ids, repeat(missing)))

    @property
    def unit_numbers(self) -> Sequence[int]:
        """Per row of the table, its unit's number."""
        return self._units.codes

    def window_figures(
        self,
        kernels: Kernels,
        windows: Sequence[tuple[int, int]],
        combinations: Sequence[int] | None = None,
        hits: Sequence[Sequence[int]] = (),
        opens: Sequence[Sequence[int]] = (),
    ) -> tuple[list[list[int]], list[list[list[int | None]]] | None]:
        """Every unit's counts in every window at once, through *kernels*
        (:mod:`partydev.model.kernels`): ``counts[w][number]`` and, given each row's
        *combinations* index into the *hits* and *opens* tables (per
        combination, per category), ``categories[w][c][number]`` (``None``
        where undetermined).  What :meth:`figures` gives one unit at a time."""
        days = self.table.days
        n = len(self._number)
        codes = self._units.codes
        counts = kernels.count_by_unit_and_window(codes, days, n, windows)
        if combinations is None:
            return counts, None
        sums = kernels.sum_categories_by_unit_and_window(
            codes, days, combinations, hits, opens, n, windows
        )
        return counts, sums

    def run(self, unit_id: str) -> tuple[int, int]:
        """The positions ``(start, stop)`` of *unit_id*'s rows (empty if it has none)."""
        k = self._number.get(unit_id)
        if k is None:
            return 0, 0
        return self._starts[k], self._starts[k + 1]

    def bounds(self, unit_id: str, first: int, last: int) -> tuple[int, int]:
        """The positions of *unit_id*'s rows dated from day *first* to *last* (ordinals)."""
        k = self._number.get(unit_id)
        if k is None:
            return 0, 0
        base = k << DAY_BITS
        start, stop = self._starts[k], self._starts[k + 1]
        keys = self._keys
        return (
            bisect_left(keys, base | first, start, stop),
            bisect_right(keys, base | last, start, stop),
        )

    def count(self, unit_id: str, first: int, last: int) -> int:
        """How many admissions *unit_id* recorded from day *first* to *last*."""
        low, high = self.bounds(unit_id, first, last)
        return high - low

    def days(self, unit_id: str) -> tuple[int, ...]:
        """The day ordinals of *unit_id*'s admissions, in order."""
        start, stop = self.run(unit_id)
        return tuple(key & _DAY_MASK for key in self._keys[start:stop])

    def order(self, start: int, stop: int) -> Sequence[int]:
        """The row numbers at positions *start* to *stop*."""
        return self._order[start:stop]

    def last_day(self, unit_id: str) -> int | None:
        """The day ordinal of *unit_id*'s latest admission, or ``None``."""
        start, stop = self.run(unit_id)
        return self._keys[stop - 1] & _DAY_MASK if stop > start else None

    def window_sums(
        self,
        windows: Sequence[tuple[int, int]],
        codes: Sequence[int] | None = None,
        block: int = 64,
    ) -> list[int]:
        """Per unit number (:meth:`number`), its rows' counts in every window at once,
        packed in one integer: window *j*'s sum of *codes* (a per-row column in index
        order, see :meth:`in_order`; 1 per row without) shifted left by ``j * block``
        bits.  What :meth:`figures` gives one unit at a time, for every unit in a few
        passes over the rows in C: each row adds its code times its day's weight
        (one bit per window holding the day), and a unit's figure is the difference
        of the running total across its rows.

        The caller makes *block* wide enough that no window's sum over every row
        overflows it (codes may pack several fields, each as wide as that sum)."""
        n = len(self._number)
        if not n or not windows:
            return [0] * n
        days = self.table.days
        weight = {
            day: sum(
                1 << j * block for j, (first, last) in enumerate(windows) if first <= day <= last
            )
            for day in set(days)
        }
        contributions: Iterable[int] = map(weight.__getitem__, map(days.__getitem__, self._order))
        if codes is not None:
            contributions = map(mul, codes, contributions)
        ends = bytearray(len(self._order))
        for stop in self._starts[1:]:
            ends[stop - 1] = 1
        totals = list(compress(accumulate(contributions), ends))
        return [totals[0], *map(sub, totals[1:], totals[:-1])]

    def in_order(self, column: Sequence[int]) -> list[int]:
        """A per-row *column* (such as :meth:`AdmissionTable.row_codes`) in index order."""
        return list(map(column.__getitem__, self._order))

    def figures(
        self,
        unit_id: str,
        windows: Sequence[tuple[int, int]],
        codes: Sequence[int] | None = None,
    ) -> list[tuple[int, int]]:
        """Per window ``(first, last)`` (day ordinals), *unit_id*'s admission count
        and the sum of *codes* (a per-row column in index order, see
        :meth:`in_order`) over those admissions; 0 for the sum without *codes*."""
        k = self._number.get(unit_id)
        if k is None:
            return [(0, 0)] * len(windows)
        base = k << DAY_BITS
        start, stop = self._starts[k], self._starts[k + 1]
        keys = self._keys
        out: list[tuple[int, int]] = []
        for first, last in windows:
            low = bisect_left(keys, base | first, start, stop)
            high = bisect_right(keys, base | last, low, stop)
            if codes is None or high == low:
                out.append((high - low, 0))
            else:
                out.append((high - low, sum(codes[low:high])))
        return out
