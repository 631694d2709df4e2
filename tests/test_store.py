"""The columnar admission store: the same admissions as objects, counted by bisection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partydev.model.columnar import CodedColumn
from partydev.model.records import Admission, Category
from partydev.model.store import AdmissionIndex, AdmissionTable

UNITS = ("a", "b", "c", "d")

admissions = st.builds(
    Admission,
    unit=st.sampled_from(UNITS),
    date=st.dates(date(2019, 1, 1), date(2026, 12, 31)),
    person=st.none() | st.text("pqr", min_size=1, max_size=3),
    birth_date=st.none() | st.dates(date(1950, 1, 1), date(2018, 12, 31)),
    age=st.none() | st.integers(0, 90),
    attributes=st.dictionaries(
        st.sampled_from(["sex", "ethnicity"]), st.sampled_from(["female", "male", "Kinh", "Tày"])
    ),
)
lists = st.lists(admissions, max_size=40)
windows = st.tuples(
    st.dates(date(2018, 6, 1), date(2027, 6, 1)), st.dates(date(2018, 6, 1), date(2027, 6, 1))
).map(lambda pair: (min(pair).toordinal(), max(pair).toordinal()))


@given(lists)
def test_a_table_gives_back_the_admissions_it_was_made_of(items: list[Admission]) -> None:
    """Rows come back equal, in order, by iteration, index and slice (a tuple, as the
    ledger's tuple of admissions gave); the table equals the list."""
    table = AdmissionTable.from_records(items)
    assert list(table) == items
    assert [table[i] for i in range(len(items))] == items
    assert table[1:-1:2] == tuple(items[1:-1:2])
    assert table == items
    assert items == table
    if items:
        assert table[-1] == items[-1]


def test_a_row_past_the_end_is_an_index_error() -> None:
    """Indexing past the last row raises IndexError, as a list does."""
    table = AdmissionTable.from_records([Admission("a", date(2021, 1, 1))])
    with pytest.raises(IndexError):
        table[1]
    with pytest.raises(IndexError):
        table[-2]


@given(lists, lists, lists)
def test_concatenated_tables_hold_the_rows_of_their_parts(
    first: list[Admission], second: list[Admission], third: list[Admission]
) -> None:
    """concat keeps every row in order, whether the parts are tables or lists."""
    joined = AdmissionTable.concat(
        [AdmissionTable.from_records(first), second, AdmissionTable.from_records(third)]
    )
    assert list(joined) == first + second + third
    assert joined == AdmissionTable.from_records(first + second + third)
    assert hash(joined) == hash(AdmissionTable.from_records(first + second + third))


@given(lists, st.lists(windows, min_size=1, max_size=4))
def test_the_index_counts_what_a_scan_counts(
    items: list[Admission], spans: list[tuple[int, int]]
) -> None:
    """Per unit and window, the index's count and code sum equal a scan of the rows."""
    table = AdmissionTable.from_records(items)
    index = AdmissionIndex(table)
    codes = [hash(a.attributes) % 1000 for a in table]
    ordered = index.in_order(codes)
    for unit in (*UNITS, "none"):
        mine = [(i, a) for i, a in enumerate(items) if a.unit == unit]
        expected = [
            (
                sum(1 for _, a in mine if first <= a.date.toordinal() <= last),
                sum(codes[i] for i, a in mine if first <= a.date.toordinal() <= last),
            )
            for first, last in spans
        ]
        assert index.figures(unit, spans, ordered) == expected
        assert [n for n, _ in index.figures(unit, spans)] == [n for n, _ in expected]
        days = sorted(a.date.toordinal() for _, a in mine)
        assert list(index.days(unit)) == days
        assert index.last_day(unit) == (days[-1] if days else None)
        start, stop = index.run(unit)
        assert sorted(index.order(start, stop)) == [i for i, _ in mine]


@given(lists, st.lists(windows, max_size=4), st.booleans())
def test_window_sums_pack_what_figures_gives_unit_by_unit(
    items: list[Admission], spans: list[tuple[int, int]], with_codes: bool
) -> None:
    """window_sums holds, per unit number, each window's count (or code sum) in its own
    block of bits: the figures the index gives one unit at a time."""
    table = AdmissionTable.from_records(items)
    index = AdmissionIndex(table)
    ordered = index.in_order([hash(a.attributes) % 1000 for a in table]) if with_codes else None
    block = 20  # wider than any sum here: 40 rows of codes below 1000
    packed = index.window_sums(spans, ordered, block)
    assert len(packed) == len(list(index.units()))
    for unit in index.units():
        number = index.number(unit)
        assert number is not None
        figures = index.figures(unit, spans, ordered)
        expected = sum(
            (total if with_codes else count) << j * block
            for j, (count, total) in enumerate(figures)
        )
        assert packed[number] == expected


@given(lists)
def test_row_codes_match_each_admission_as_categories_do(items: list[Admission]) -> None:
    """A code computed per distinct (attributes, age) equals the one computed per admission."""
    young = Category("young", "trẻ", "young", max_age=30)
    women = Category("women", "nữ", "women", attribute="sex", values=("female",))

    def code(attributes: tuple[tuple[str, str], ...], age: int | None) -> int:
        found = (young.holds(attributes, age), women.holds(attributes, age))
        return hash(found) % 10_000

    table = AdmissionTable.from_records(items)
    expected = [hash((young.matches(a), women.matches(a))) % 10_000 for a in items]
    assert table.row_codes(code, by_age=True) == expected
    assert list(table.ages_at_admission()) == [a.age_at_admission() for a in items]


def test_units_are_coded_and_the_index_numbers_units_by_them() -> None:
    """A table's units are a coded column (each id once, in order of first appearance);
    the index numbers units by those codes, and ids no row uses are not units of it."""
    items = [Admission("c", date(2023, 1, 2)), Admission("a", date(2023, 1, 3))]
    table = AdmissionTable.from_records([*items, Admission("c", date(2023, 1, 1))])
    assert isinstance(table.units, CodedColumn)
    assert table.units.values == ("c", "a")
    assert table.units == ("c", "a", "c")
    unused = AdmissionTable.from_columns(
        units=CodedColumn(("b", "c", "a"), [1, 2, 1]),
        days=[date(2023, 1, d).toordinal() for d in (2, 3, 1)],
        profile=[0, 0, 0],
        profiles=[()],
    )
    assert unused == table
    index = AdmissionIndex(unused)
    assert list(index.units()) == ["c", "a"]
    assert "b" not in index
    assert index.numbers(["c", "b", "a"]) == [0, -1, 1]
    assert index.days("c") == (date(2023, 1, 1).toordinal(), date(2023, 1, 2).toordinal())
    assert index.count("a", 0, date(2024, 1, 1).toordinal()) == 1


def test_the_index_counts_a_unit_whose_id_two_codes_number() -> None:
    """A coded unit column whose values repeat an id (as a column's values may, e.g.
    names after with_values) is indexed as the table of its cells: each unit's rows
    all counted, not those of one of its codes only (or an IndexError)."""
    day = date(2023, 1, 1).toordinal()
    table = AdmissionTable.from_columns(
        units=CodedColumn(("a", "b", "a"), [0, 1, 2, 0]),
        days=[day, day, day + 1, day + 2],
        profile=[0, 0, 0, 0],
        profiles=[()],
    )
    assert table.units == ("a", "b", "a", "a")
    index = AdmissionIndex(table)
    assert list(index.units()) == ["a", "b"]
    assert index.count("a", 0, day + 10) == 3
    assert index.count("b", 0, day + 10) == 1
    assert index.days("a") == (day, day + 1, day + 2)


def test_a_column_of_none_equals_no_column() -> None:
    """A table given a person, birth or age column of None only equals the table of the
    same admissions without it (the missing column was compared as a list with the
    given tuple, which never equals it), alone or joined to another table."""
    day = date(2023, 1, 1).toordinal()
    given = AdmissionTable(["u", "u"], [day, day], [0, 0], [()], [None, None], [None, None])
    plain = AdmissionTable.from_records([Admission("u", date(2023, 1, 1))] * 2)
    assert given == plain
    assert plain == given
    assert hash(given) == hash(plain)
    joined = AdmissionTable.concat([plain, given])
    assert joined == AdmissionTable.from_records(list(joined))
