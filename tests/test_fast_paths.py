"""The fast paths for national scale agree with the general paths they stand in for."""

from __future__ import annotations

import gc
import importlib.util
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.model_strategies import TERM, person_ledgers, rich_ledgers
from tests.reference_counts import reference_vectors

from partydev import PartydevError, build_report, load_ledger, parse_period, sample_ledger
from partydev.calc import arithmetic as calc_module
from partydev.calc.achieved import ROLLUPS, Achievements
from partydev.model import codec
from partydev.model.coverage import Coverage
from partydev.model.kernels import Kernels, NumpyKernels, PythonKernels
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.model.records import Admission, Category, Tally
from partydev.model.units import Unit

# -- codec: plain records ------------------------------------------------------------------

_ANY = st.sampled_from(
    [None, True, False, 0, 3, -1, 7.5, "", "x", "c1", "2023", "2023-H1", "bad period",
     "2023-02-30", "2023-03-11", "province", "cell", "exact", "range", "minimum",
     "share_of_members", "assigned", "internal", "start_of_term", "3", [], {}]
)  # fmt: skip
_KEYS = {
    "units": ["id", "name", "level", "parent", "other"],
    "targets": ["unit", "term", "value", "kind", "high", "percent", "reference", "per_year",
                "period", "source", "category", "derived", "note", "other"],
    "memberships": ["unit", "date", "members", "other"],
}  # fmt: skip
_TYPICAL = {
    "units": {"id": "c1", "name": "Chi bộ 1", "level": "cell", "parent": "p"},
    "targets": {"unit": "c1", "term": "t", "value": 3, "period": "2023", "source": "assigned"},
    "memberships": {"unit": "c1", "date": "2023-03-11", "members": 40},
}


def _outcome(collection: str, items: list[Any], general: bool) -> object:
    """The records or error of *items*; with *general*, each record a read-only mapping.

    The fast readers take plain dicts only: any other mapping goes through the
    general reader, so wrapping the same records compares the two paths.
    """
    if general:
        items = [MappingProxyType(item) if type(item) is dict else item for item in items]
    try:
        return codec.read_records(collection, items)
    except PartydevError as error:
        return ("error", type(error).__name__, str(error), error.path)
    except (TypeError, ValueError) as error:  # what the general reader lets through
        return ("crash", type(error).__name__, str(error))


@st.composite
def _records(draw: st.DrawFn) -> tuple[str, list[Any]]:
    collection = draw(st.sampled_from(sorted(_KEYS)))
    keys = _KEYS[collection]
    base = _TYPICAL[collection]
    items = draw(
        st.lists(
            st.one_of(
                st.just(dict(base)),
                st.dictionaries(st.sampled_from(keys), _ANY).map(lambda d: {**base, **d}),
                st.dictionaries(st.sampled_from(keys), _ANY),
                st.sampled_from([None, "x", [1]]),
            ),
            max_size=4,
        )
    )
    return collection, items


@settings(max_examples=400, deadline=None)
@given(_records())
def test_codec_fast_and_general_paths_agree(case: tuple[str, list[Any]]) -> None:
    """Any list of unit, target or membership records gives the same records or error."""
    collection, items = case
    assert _outcome(collection, items, general=False) == _outcome(collection, items, True)


def test_codec_fast_path_reads_typical_records() -> None:
    """Plain records come out as the general reader builds them, period parsed."""
    targets = codec.read_records("targets", [_TYPICAL["targets"], _TYPICAL["targets"]])
    assert targets[0].period == Period.year(2023)
    assert targets[0].source == "assigned"
    assert targets == _outcome("targets", [_TYPICAL["targets"]] * 2, general=True)


@pytest.mark.parametrize(
    ("collection", "record"),
    [
        ("targets", {**_TYPICAL["targets"], "period": "1700"}),
        ("targets", {**_TYPICAL["targets"], "period": "3001-H1"}),
        ("memberships", {**_TYPICAL["memberships"], "date": "1700-03-11"}),
    ],
)
def test_codec_fast_path_refuses_dates_outside_the_calendar(
    collection: str, record: dict[str, Any]
) -> None:
    """A period or date outside the ledger's years is refused on both paths alike."""
    outcome = _outcome(collection, [record], general=False)
    assert outcome == _outcome(collection, [record], general=True)
    assert isinstance(outcome, tuple)
    assert outcome[0] == "error"


def test_targets_of_one_shape_share_a_model_but_not_units() -> None:
    """Targets alike but for unit and term keep their own unit and term, the rest equal."""
    items = [
        {"unit": f"c{i}", "term": "t", "value": 3, "period": "2023", "note": "Cafe\u0301"}
        for i in range(3)
    ]
    targets = codec.read_records("targets", items)
    assert [t.unit for t in targets] == ["c0", "c1", "c2"]
    assert {attrs.evolve(t, unit="c") for t in targets} == {attrs.evolve(targets[0], unit="c")}
    assert targets[0].note == "Caf\u00e9"
    with pytest.raises(PartydevError, match=r"targets\[3\]\.value"):  # True is not 1
        codec.read_records("targets", [*items, {**items[0], "value": True}])


_TARGET = cast(dict[str, Any], _TYPICAL["targets"])


def _ledger_targets(items: list[Any], general: bool) -> object:
    """The targets (or error) of a ledger whose targets are *items*; with *general*,
    each record a read-only mapping (which only the general reader takes)."""
    if general:
        items = [MappingProxyType(item) if type(item) is dict else item for item in items]
    data = {
        "units": [{"id": "c1", "name": "C", "level": "cell"}],
        "terms": [{"id": "t", "label": "T", "start": "2020-10-01", "end": "2025-12-31"}],
        "targets": items,
    }
    try:
        return tuple(codec.ledger_from_data(data).targets)
    except PartydevError as error:
        return ("error", type(error).__name__, str(error), error.path)
    except (TypeError, ValueError) as error:
        return ("crash", type(error).__name__, str(error))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.just(dict(_TARGET)),
            st.dictionaries(st.sampled_from(_KEYS["targets"]), _ANY).map(
                lambda d: {**_TARGET, **d}
            ),
            st.sampled_from([None, [1]]),
        ),
        max_size=4,
    )
)
def test_ledger_targets_read_as_columns_agree_with_the_general_path(items: list[Any]) -> None:
    """A ledger's targets read straight into the table's columns are the targets, or the
    error, the general reader gives for the same records."""
    assert _ledger_targets(items, general=False) == _ledger_targets(items, general=True)


def test_targets_with_no_field_but_unit_and_term_get_the_general_error() -> None:
    """Two or more targets that give only a unit and a term are the general reader's
    error (an exact target needs a value); their shape keys, made from no field at all,
    were once an endless zip that filled the memory."""
    items: list[Any] = [{"unit": "c1", "term": "t"}, {"unit": "c1", "term": "t"}]
    expected = _ledger_targets(items, general=True)
    assert isinstance(expected, tuple)
    assert expected[3] == "targets[0]"
    assert "needs a value" in str(expected[2])
    assert _ledger_targets(items, general=False) == expected
    assert _outcome("targets", items, general=False) == _outcome("targets", items, True)


def test_ledger_targets_are_a_table_of_shapes() -> None:
    """Plain targets of one shape are one shape of the ledger's table, each row its own."""
    items = [{"unit": "c1", "term": "t", "value": 3}] * 3
    data = {
        "units": [{"id": "c1", "name": "C", "level": "cell"}],
        "terms": [{"id": "t", "label": "T", "start": "2020-10-01", "end": "2025-12-31"}],
        "targets": items,
    }
    targets = codec.ledger_from_data(data).targets
    assert (len(targets), len(targets.shapes), targets.shape) == (3, 1, (0, 0, 0))
    assert targets == codec.read_records("targets", items)


# -- load_ledger: the collector is restored ---------------------------------------------------


@pytest.fixture
def collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector")
@pytest.mark.parametrize("enabled", [True, False])
def test_load_ledger_restores_the_collector(tmp_path: Path, enabled: bool) -> None:
    """load_ledger leaves the garbage collector as it found it, on success and on error."""
    good = tmp_path / "ledger.json"
    good.write_text(
        '{"units": [{"id": "c1", "name": "C", "level": "cell"}], "terms": []}', encoding="utf-8"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"units": [{"id": 1}]}', encoding="utf-8")
    if enabled:
        gc.enable()
    else:
        gc.disable()
    assert [u.id for u in load_ledger(good).units] == ["c1"]
    assert gc.isenabled() is enabled
    with pytest.raises(PartydevError):
        load_ledger(bad)
    assert gc.isenabled() is enabled


# -- Achievements: the inline count against the general path -----------------------------

YOUNG = Category("young", "Trẻ", "Young", max_age=30)


@st.composite
def _tallied_ledgers(draw: st.DrawFn) -> Ledger:
    ledger = draw(person_ledgers())
    ids = [unit.id for unit in ledger.units]
    keys = draw(
        st.sets(
            st.tuples(st.sampled_from(ids), st.integers(2021, 2025), st.booleans()), max_size=5
        )
    )
    tallies = [
        Tally(unit, Period.year(year), draw(st.integers(0, 50)), inclusive=inclusive)
        for unit, year, inclusive in sorted(keys)
    ]
    return attrs.evolve(ledger, tallies=tallies)


@settings(max_examples=150, deadline=None)
@given(
    ledger=_tallied_ledgers(),
    as_of=st.dates(date(2021, 1, 1), date(2026, 3, 1)),
    year=st.integers(2021, 2025),
)
def test_inline_counts_agree_with_the_general_path(ledger: Ledger, as_of: date, year: int) -> None:
    """Counts without categories (inline bisection) equal the count column of the
    category vectors, which every unit computes on the general path."""
    engine = Achievements(ledger, as_of)
    for period in (
        Period.year(year),
        TERM.target_period,
        Period.between(date(2021, 3, 5), max(as_of, date(2021, 3, 5))),
    ):
        for rollup in ROLLUPS:
            fast = engine.vectors(period, rollup)
            general = engine.vectors(period, rollup, [YOUNG])
            assert {u: v[0] for u, v in fast.items()} == {u: v[0] for u, v in general.items()}


def test_inline_counts_on_the_sample() -> None:
    """The sample's counts (merges and reported totals included) agree on both paths."""
    ledger = sample_ledger()
    engine = Achievements(ledger, date(2023, 6, 30))
    for year in (2021, 2022, 2023):
        fast = engine.vectors(Period.year(year))
        general = engine.vectors(Period.year(year), categories=[YOUNG])
        assert {u: v[0] for u, v in fast.items()} == {u: v[0] for u, v in general.items()}
    assert engine.count("quang-nam", Period.year(2021)) == 1732


# -- report: remembered percentages ------------------------------------------------------

_small = st.integers(0, 400)
_positive = st.integers(1, 400)


@settings(max_examples=60, deadline=None)
@given(
    ledger=rich_ledgers(),
    places=st.integers(0, 3),
    as_of=st.dates(date(2021, 6, 1), date(2025, 12, 31)),
)
def test_report_percents_equal_calc(ledger: Ledger, places: int, as_of: date) -> None:
    """Every percentage the report remembers and shares equals the calc function's."""
    report = build_report(ledger, as_of=as_of, places=places)
    for row in report.summary.records():
        got, target, members = row["achieved"], row["target"], row["members"]
        if isinstance(got, int) and isinstance(target, int) and target:
            assert row["percent"] == calc_module.achievement(got, target).percent(places)
        if isinstance(got, int) and isinstance(members, int) and members:
            expected = calc_module.share_of_membership(got, members).percent(places)
            assert row["share_of_members"] == expected
    for row in report.table("composition").records():
        count, base = row["count"], row["base"]
        assert isinstance(count, int)
        assert isinstance(base, int)
        expected = calc_module.composition({"c": count}, base)["c"].percent(places)
        assert row["share"] == expected


@settings(max_examples=50, deadline=None)
@given(ledger=person_ledgers(), as_of=st.dates(date(2020, 1, 1), date(2026, 3, 1)))
def test_without_events_the_shortcut_equals_the_lineage(ledger: Ledger, as_of: date) -> None:
    """Without events, Achievements' hierarchy and sources are what the lineage gives."""
    engine = Achievements(ledger, as_of)
    assert engine.hierarchy == ledger.lineage.hierarchy(as_of)
    carriers = ledger.lineage.carriers(as_of)
    for unit in ledger.units:
        assert engine.sources(unit.id) == tuple(u for u, c in carriers.items() if c == unit.id)


CATEGORIES = [
    YOUNG,
    Category("female", "Nữ", "Women", attribute="sex", values=("female",)),
    Category("degree", "Đại học", "University", attribute="education", values=("university",)),
]


@st.composite
def _categorised_ledgers(draw: st.DrawFn) -> Ledger:
    ledger = draw(rich_ledgers())
    ids = [unit.id for unit in ledger.units]
    admissions = [
        attrs.evolve(a, age=None, birth_date=draw(st.none() | st.dates(date(1960, 2, 28), a.date)))
        if draw(st.booleans())
        else a
        for a in ledger.admissions
    ]
    keys = draw(
        st.sets(
            st.tuples(st.sampled_from(ids), st.integers(2021, 2025), st.booleans()), max_size=4
        )
    )
    tallies = []
    # Counts of every size, so that the engine's packed fields take each machine width
    # (8 to 64 bits) and, past 64, the shifts.
    scale = draw(st.sampled_from([1, 10**3, 10**8, 10**16, 10**18]))
    for unit, year, inclusive in sorted(keys):
        count = draw(st.integers(0, 30)) * scale + draw(st.integers(0, scale - 1))
        names = draw(st.sets(st.sampled_from(["young", "female", "degree"])))
        breakdown = {name: draw(st.integers(0, count)) for name in sorted(names)}
        tallies.append(Tally(unit, Period.year(year), count, breakdown, inclusive))
    covers = draw(
        st.lists(
            st.builds(
                Coverage,
                st.sampled_from([TERM.period, Period.years(2021, 2022), Period.year(2023)]),
                st.none() | st.lists(st.sampled_from(ids), min_size=1, max_size=2).map(tuple),
                st.booleans(),
            ),
            max_size=2,
        )
    )
    inside = [
        a
        for a in admissions
        if not covers
        or any(c.period.contains(a.date) for c in covers if c.units is None)
        or all(c.units is not None for c in covers)
    ]
    try:
        return attrs.evolve(
            ledger, admissions=inside, tallies=tallies, categories=CATEGORIES, covers=covers
        )
    except PartydevError:  # an admission outside its unit's stated coverage
        return attrs.evolve(ledger, admissions=[], tallies=tallies, categories=CATEGORIES)


def _backends() -> list[Kernels | None]:
    """Unit by unit (None), and every kernel backend installed."""
    found: list[Kernels | None] = [None, PythonKernels()]
    if importlib.util.find_spec("numpy") is not None:
        found.append(NumpyKernels())
    return found


@settings(max_examples=150, deadline=None)
@given(
    ledger=_categorised_ledgers(),
    as_of=st.dates(date(2021, 1, 1), date(2026, 3, 1)),
    year=st.integers(2021, 2025),
    max_age=st.none() | st.integers(20, 40),
    kernels=st.sampled_from(_backends()),
)
def test_category_vectors_agree_with_the_general_path(
    ledger: Ledger, as_of: date, year: int, max_age: int | None, kernels: Kernels | None
) -> None:
    """Counts and category counts equal the rules' day-by-day reference, whether the
    engine counts unit by unit or through the Python or numpy kernels."""
    engine = Achievements(ledger, as_of, max_age=max_age, kernels=kernels)
    for period in (Period.year(year), TERM.target_period):
        for rollup in ROLLUPS:
            for categories in ([], CATEGORIES, CATEGORIES[1:]):
                expected = reference_vectors(engine, period, rollup, categories)
                assert engine.vectors(period, rollup, categories) == expected


def test_an_even_number_of_unknown_category_cells_stays_unknown() -> None:
    """Two admissions whose sex and education are not recorded leave those category
    counts unknown, not 0 (a window's unknown fields were once tested on their lowest
    bit only, which an even count of unknown parts leaves clear)."""
    units = [Unit("u0", "Tỉnh 0", "province"), Unit("u1", "Đơn vị 1", "district", "u0")]
    admissions = [
        Admission("u0", date(2021, 2, 12), person="a", age=51),
        Admission("u0", date(2021, 2, 12), person="b", age=51, attributes={"ethnic": "yes"}),
        Admission("u0", date(2022, 7, 26), person="c", birth_date=date(2000, 1, 1)),
    ]
    covers = [Coverage(Period(date(2021, 1, 1), date(2022, 12, 31), "range"), None, False)]
    ledger = Ledger(
        units=units, terms=[TERM], admissions=admissions, categories=CATEGORIES, covers=covers
    )
    for kernels in _backends():
        engine = Achievements(ledger, date(2021, 8, 26), kernels=kernels)
        vectors = engine.vectors(TERM.target_period, "reported", CATEGORIES)
        assert vectors == {"u0": (2, 0, None, None), "u1": (0, 0, 0, 0)}
        assert vectors == reference_vectors(engine, TERM.target_period, "reported", CATEGORIES)


@settings(max_examples=150, deadline=None)
@given(
    ledger=_categorised_ledgers(),
    as_of=st.dates(date(2021, 1, 1), date(2026, 3, 1)),
    batch=st.lists(st.integers(2020, 2026), min_size=1, max_size=4),
    kernels=st.sampled_from(_backends()),
)
def test_counts_of_several_periods_agree_with_the_general_path(
    ledger: Ledger, as_of: date, batch: list[int], kernels: Kernels | None
) -> None:
    """Counts computed for several periods in one pass equal the rules' reference, with
    or without kernels."""
    periods = [Period.year(year) for year in batch] + [TERM.target_period]
    for rollup in ROLLUPS:
        engine = Achievements(ledger, as_of, kernels=kernels)
        engine.count_periods(periods, rollup)
        for period in periods:
            expected = reference_vectors(engine, period, rollup, [])
            assert engine.counts(period, rollup) == {u: v[0] for u, v in expected.items()}
            assert list(engine.counts(period, rollup)) == list(expected)  # hierarchy order


@given(born=st.dates(date(1900, 1, 1), date(2030, 12, 31)), on=st.dates(date(1900, 1, 1)))
def test_whole_years_equal_relativedelta(born: date, on: date) -> None:
    """Ages at admission in whole years agree with dateutil's relativedelta, 29 February
    included."""
    from dateutil.relativedelta import relativedelta

    if born > on:
        born, on = on, born
    admission = Admission("u", on, birth_date=born)
    assert admission.age_at_admission() == relativedelta(on, born).years


def test_ledger_from_data_leaves_its_argument_alone() -> None:
    """The public ledger_from_data does not drop collections from the caller's dict."""
    data = {
        "units": [{"id": "c1", "name": "C", "level": "cell"}],
        "terms": [{"id": "t", "label": "T", "start": "2020-10-01", "end": "2025-12-31"}],
        "targets": [{"unit": "c1", "term": "t", "value": 3}],
    }
    ledger = codec.ledger_from_data(data)
    assert sorted(data) == ["targets", "terms", "units"]
    assert ledger.targets[0].value == 3


@settings(max_examples=100, deadline=None)
@given(ledger=rich_ledgers(), source=st.none() | st.sampled_from(["resolution", "assigned"]))
def test_report_targets_equal_resolve_target(ledger: Ledger, source: Any) -> None:
    """The targets of the per-period table (each unit's targets filtered once for all
    periods) are, per period, what resolve_target gives."""
    from partydev.errors import UndeterminedError
    from partydev.model.targets import resolve_target

    report = build_report(ledger, as_of=date(2025, 12, 31), target_source=source)
    for row in report.table("periods").records():
        unit, period = row["unit_id"], parse_period(str(row["period"]))
        assert isinstance(unit, str)
        try:
            found = resolve_target(
                ledger.targets_of(unit),
                TERM,
                period,
                source=source,
                members_at=lambda day, u=unit: ledger.members(u, day),
            )
        except UndeterminedError:
            found = None
        assert row["target"] == (None if found is None else found.count)
