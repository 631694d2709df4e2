"""More baselines: the pandas report's figures computed with polars and with duckdb.

Both read the same ``ledger.json`` (with the ``json`` module), ``admissions.csv``
and ``tallies.csv`` as :func:`baseline.pandas_load`, and compute exactly what
:func:`baseline.pandas_report` computes: admissions counted by unit and year
(age at admission by partydev's 29 February rule), the tallies added, every
count rolled up to the unit's ancestors, the term and yearly targets joined,
percent of target, composition shares and the change on the previous year,
rounded half up with integer arithmetic (never a float ``round``), and the
latest membership snapshot.  Keys of the ledger the baselines do not need
(``covers``, ``terms``, names, levels) are ignored: the generated admissions
file covers the term for every unit, so a unit without rows is a known 0.

Each engine returns its own native result (polars data frames; duckdb tables
in an in-memory database); :func:`figures` turns any engine's result, and
partydev's report, into plain columns for the identity check in ``run.py``.

polars and duckdb are optional (``pip install -e ".[bench-more]"``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

AS_OF = date(2025, 12, 31)
YEARS = tuple(range(2021, 2026))
PERIOD_FIGURES = ("achieved", "target", "percent", "change")

Columns = dict[str, list[Any]]
"""A table as plain columns: key column(s) first, ``None`` for a missing figure."""


def read_ledger(data: Path) -> dict[str, Any]:
    """The ledger JSON document, with the ``json`` module."""
    with open(data / "ledger.json", encoding="utf-8") as handle:
        ledger: dict[str, Any] = json.load(handle)
    return ledger


# -- polars --------------------------------------------------------------------------------


def polars_load(data: Path) -> dict[str, Any]:
    """Read the ledger JSON and the CSV files its ``files`` table names into polars frames."""
    import polars as pl

    ledger = read_ledger(data)
    small = ("sex", "ethnicity", "ethnic_minority", "education")
    schema = {
        "unit": pl.Utf8,
        "date": pl.Date,
        "person": pl.Utf8,
        "birth_date": pl.Date,
        "age": pl.Int64,
        **dict.fromkeys(small, pl.Categorical),
    }
    admissions = pl.concat(
        pl.read_csv(data / name, schema_overrides=schema) for name in ledger["files"]["admissions"]
    )
    tallies = pl.concat(
        pl.read_csv(data / name, schema_overrides={"unit": pl.Utf8, "period": pl.Utf8})
        for name in ledger["files"]["tallies"]
    )
    units, targets, memberships = ledger["units"], ledger["targets"], ledger["memberships"]
    return {
        "units": pl.DataFrame(
            {"id": [u["id"] for u in units], "parent": [u.get("parent") for u in units]},
            schema={"id": pl.Utf8, "parent": pl.Utf8},
        ),
        "targets": pl.DataFrame(
            {
                "unit": [t["unit"] for t in targets],
                "period": [t.get("period") for t in targets],
                "value": [t["value"] for t in targets],
            },
            schema={"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Int64},
        ),
        "memberships": pl.DataFrame(
            {
                "unit": [m["unit"] for m in memberships],
                "date": [m["date"] for m in memberships],
                "members": [m["members"] for m in memberships],
            },
            schema={"unit": pl.Utf8, "date": pl.Utf8, "members": pl.Int64},
        ),
        "categories": ledger["categories"],
        "admissions": admissions,
        "tallies": tallies,
    }


def _pl_half_up(numerator: Any, denominator: Any, places: int) -> Any:
    """Exact half-up rounding of numerator/denominator·10^places as an integer expression;
    null where the denominator is missing or not positive."""
    import polars as pl

    quotient = (2 * numerator.abs() * 10**places + denominator) // (2 * denominator)
    return pl.when(denominator > 0).then(
        pl.when(numerator < 0).then(-quotient).otherwise(quotient)
    )


def _pl_age() -> Any:
    """Age at admission: whole years from birth (born on 29 February: birthday on 28
    February in a common year, as partydev's relativedelta), else the stated age."""
    import polars as pl

    day, born = pl.col("date"), pl.col("birth_date")
    year = day.dt.year().cast(pl.Int64)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_born = born.dt.month().cast(pl.Int64)
    day_born = born.dt.day().cast(pl.Int64)
    birthday = pl.when((month_born == 2) & (day_born == 29) & ~leap).then(28).otherwise(day_born)
    today = day.dt.month().cast(pl.Int64) * 100 + day.dt.day().cast(pl.Int64)
    before = (today < month_born * 100 + birthday).cast(pl.Int64)
    return (
        pl.when(born.is_not_null())
        .then(year - born.dt.year().cast(pl.Int64) - before)
        .otherwise(pl.col("age"))
    )


def polars_report(frames: dict[str, Any], places: int = 1) -> dict[str, Any]:
    """The figures of :func:`baseline.pandas_report`, computed with polars.

    Returns:
        ``summary`` (one row per unit) and ``periods`` (unit × year), polars frames with
        the pandas baseline's column names and a ``unit`` (and ``year``) key column.
    """
    import polars as pl

    categories = frames["categories"]
    keys = [c["id"] for c in categories]
    columns = ["n", *keys]
    age = _pl_age()
    flags = [
        (age <= c["max_age"]).fill_null(False).alias(c["id"])
        if c.get("max_age") is not None
        else pl.col(c["attribute"]).cast(pl.Utf8).is_in(c["values"]).alias(c["id"])
        for c in categories
    ]
    own = (
        frames["admissions"]
        .filter(pl.col("date") <= AS_OF)
        .select("unit", pl.col("date").dt.year().cast(pl.Int64).alias("year"), *flags)
        .group_by("unit", "year")
        .agg(pl.len().cast(pl.Int64).alias("n"), *(pl.col(k).sum().cast(pl.Int64) for k in keys))
    )
    tallies = frames["tallies"].select(
        "unit",
        pl.col("period").cast(pl.Int64).alias("year"),
        pl.col("count").cast(pl.Int64).alias("n"),
        *(pl.col(f"breakdown.{k}").cast(pl.Int64).alias(k) for k in keys),
    )
    totals = pl.concat([own, tallies]).group_by("unit", "year").agg(pl.col(columns).sum())

    # Roll up the hierarchy, deepest level first.
    units = frames["units"]
    depth = units.filter(pl.col("parent").is_null()).select("id", pl.lit(0).alias("depth"))
    frontier = depth
    while frontier.height:
        frontier = units.join(
            frontier.select(pl.col("id").alias("parent"), pl.col("depth") + 1), on="parent"
        ).select("id", "depth")
        depth = pl.concat([depth, frontier])
    parents = units.select(pl.col("id").alias("unit"), "parent")
    placed = totals.join(depth.rename({"id": "unit"}), on="unit", how="left")
    deepest = int(depth["depth"].max() or 0)
    levels = {d: placed.filter(pl.col("depth") == d).drop("depth") for d in range(deepest + 1)}
    for d in range(deepest, 0, -1):
        up = (
            levels[d]
            .join(parents, on="unit")
            .group_by("parent", "year")
            .agg(pl.col(columns).sum())
            .rename({"parent": "unit"})
        )
        levels[d - 1] = (
            pl.concat([levels[d - 1], up]).group_by("unit", "year").agg(pl.col(columns).sum())
        )
    totals = pl.concat(levels.values())

    grid = units.select(pl.col("id").alias("unit")).join(
        pl.DataFrame({"year": YEARS}, schema={"year": pl.Int64}), how="cross"
    )
    periods = grid.join(totals, on=["unit", "year"], how="left").with_columns(
        pl.col(columns).fill_null(0)
    )

    targets = frames["targets"]
    term_targets = (
        targets.filter(pl.col("period").is_null())
        .unique("unit", keep="first", maintain_order=True)
        .select("unit", pl.col("value").alias("target"))
    )
    year_targets = (
        targets.filter(pl.col("period").is_not_null())
        .with_columns(pl.col("period").cast(pl.Int64).alias("year"))
        .unique(["unit", "year"], keep="first", maintain_order=True)
        .select("unit", "year", pl.col("value").alias("target"))
    )
    members = (
        frames["memberships"]
        .filter(pl.col("date") <= AS_OF.isoformat())
        .sort("date", maintain_order=True)
        .group_by("unit")
        .agg(pl.col("members").last())
    )

    achieved = pl.col("achieved")
    shown = ["unit", "achieved", "target", "percent", *(f"achieved_{y}" for y in YEARS),
             "members", *(f"share_{k}" for k in keys)]  # fmt: skip
    summary = (
        periods.group_by("unit")
        .agg(
            pl.col("n").sum().alias("achieved"),
            *(pl.col("n").filter(pl.col("year") == y).sum().alias(f"achieved_{y}") for y in YEARS),
            *(pl.col(k).sum() for k in keys),
        )
        .join(term_targets, on="unit", how="left")
        .join(members, on="unit", how="left")
        .with_columns(
            _pl_half_up(100 * achieved, pl.col("target"), places).alias("percent"),
            *(_pl_half_up(100 * pl.col(k), achieved, places).alias(f"share_{k}") for k in keys),
        )
        .select(shown)
    )
    previous = pl.col("previous")
    by_year = (
        periods.join(year_targets, on=["unit", "year"], how="left")
        .with_columns(pl.col("n").shift(1).over("unit", order_by="year").alias("previous"))
        .select(
            "unit",
            "year",
            pl.col("n").alias("achieved"),
            "target",
            _pl_half_up(100 * pl.col("n"), pl.col("target"), places).alias("percent"),
            _pl_half_up(100 * (pl.col("n") - previous), previous, places).alias("change"),
        )
    )
    return {"summary": summary, "periods": by_year}


# -- duckdb --------------------------------------------------------------------------------


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def duckdb_load(data: Path) -> Any:
    """An in-memory duckdb database holding the ledger's tables: the CSV files read by
    duckdb, the JSON collections read with the ``json`` module and scanned from columns."""
    import duckdb
    import numpy as np

    ledger = read_ledger(data)
    threads = os.environ.get("BENCH_THREADS")  # run.py --threads
    con = duckdb.connect(config={"threads": int(threads)} if threads else {})
    types = {"unit": "VARCHAR", "date": "DATE", "person": "VARCHAR", "birth_date": "DATE",
             "age": "BIGINT", "sex": "VARCHAR", "ethnicity": "VARCHAR",
             "ethnic_minority": "VARCHAR", "education": "VARCHAR"}  # fmt: skip
    spelled = "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in types.items()) + "}"
    for table, kind, options in (
        ("admissions", "admissions", f"types = {spelled}"),
        ("tallies", "tallies", "types = {'unit': 'VARCHAR', 'period': 'VARCHAR'}"),
    ):
        files = "[" + ", ".join(_literal(str(data / n)) for n in ledger["files"][kind]) + "]"
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv({files}, header = true, {options})"
        )

    def column(rows: list[dict[str, Any]], key: str) -> Any:
        return np.array([row.get(key) for row in rows], dtype=object)

    units, targets, memberships = ledger["units"], ledger["targets"], ledger["memberships"]
    scans = {
        "units": ({"id": column(units, "id"), "parent": column(units, "parent")},
                  "id::VARCHAR AS id, parent::VARCHAR AS parent"),
        "targets": ({"unit": column(targets, "unit"), "period": column(targets, "period"),
                     "value": column(targets, "value"), "idx": np.arange(len(targets))},
                    "unit::VARCHAR AS unit, period::VARCHAR AS period, value::BIGINT AS value,"
                    " idx::BIGINT AS idx"),
        "memberships": ({"unit": column(memberships, "unit"),
                         "date": column(memberships, "date"),
                         "members": column(memberships, "members"),
                         "idx": np.arange(len(memberships))},
                        "unit::VARCHAR AS unit, date::DATE AS date, members::BIGINT AS members,"
                        " idx::BIGINT AS idx"),
    }  # fmt: skip
    for table, (scan, select) in scans.items():
        con.register(f"{table}_scan", scan)
        con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM {table}_scan")
        con.unregister(f"{table}_scan")
    con.execute("CREATE TABLE categories (document VARCHAR)")
    con.execute("INSERT INTO categories VALUES (?)", [json.dumps(ledger["categories"])])
    return con


def _flag(category: dict[str, Any]) -> str:
    """A category as a SQL integer (1 if the admission belongs to it, else 0)."""
    if category.get("max_age") is not None:
        return f"coalesce(age_at <= {int(category['max_age'])}, false)::BIGINT"
    values = ", ".join(_literal(str(v)) for v in category["values"])
    return f"({_name(category['attribute'])} IN ({values}))::BIGINT"


def duckdb_report(con: Any, places: int = 1) -> Any:
    """The figures of :func:`baseline.pandas_report`, computed in SQL by duckdb.

    Returns:
        The connection, now holding the tables ``summary`` (one row per unit) and
        ``by_year`` (unit × year), with the pandas baseline's column names.
    """
    (document,) = con.execute("SELECT document FROM categories").fetchone()
    categories = json.loads(document)
    keys = [c["id"] for c in categories]
    names = [_name(k) for k in keys]
    scale = 10**places
    con.execute(
        "CREATE OR REPLACE MACRO half_up(num, den) AS CASE WHEN den > 0 THEN "
        f"(sign(num) * ((2 * abs(num) * {scale} + den) // (2 * den)))::BIGINT END"
    )
    year = "year(date)"
    leap = f"({year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0))"
    birthday = (
        f"CASE WHEN month(birth_date) = 2 AND day(birth_date) = 29 AND NOT {leap} "
        "THEN 28 ELSE day(birth_date) END"
    )
    before = f"(month(date) * 100 + day(date) < month(birth_date) * 100 + {birthday})::BIGINT"
    sums = ", ".join(f"sum({n})::BIGINT AS {n}" for n in ["n", *names])
    sums_of = ", ".join(f"sum(o.{n})::BIGINT AS {n}" for n in ["n", *names])
    filled = ", ".join(f"coalesce(r.{n}, 0) AS {n}" for n in ["n", *names])
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE periods AS
        WITH RECURSIVE ancestors(unit, ancestor) AS (
            SELECT id, id FROM units
            UNION ALL
            SELECT a.unit, u.parent FROM ancestors a JOIN units u ON u.id = a.ancestor
            WHERE u.parent IS NOT NULL
        ),
        aged AS (
            SELECT *, {year} AS year,
                CASE WHEN birth_date IS NULL THEN age
                     ELSE {year} - year(birth_date) - {before} END AS age_at
            FROM admissions WHERE date <= DATE '{AS_OF.isoformat()}'
        ),
        flagged AS (
            SELECT unit, year, {", ".join(f"{_flag(c)} AS {_name(c['id'])}" for c in categories)}
            FROM aged
        ),
        own AS (
            SELECT unit, year, count(*)::BIGINT AS n,
                {", ".join(f"sum({n})::BIGINT AS {n}" for n in names)}
            FROM flagged GROUP BY unit, year
        ),
        counted AS (
            SELECT unit, year, {sums} FROM (
                SELECT * FROM own
                UNION ALL BY NAME
                SELECT unit, period::BIGINT AS year, "count"::BIGINT AS n,
                    {", ".join(f'{_name("breakdown." + k)}::BIGINT AS {n}'
                               for k, n in zip(keys, names, strict=True))}
                FROM tallies
            ) GROUP BY unit, year
        ),
        rolled AS (
            SELECT a.ancestor AS unit, o.year, {sums_of}
            FROM counted o JOIN ancestors a ON a.unit = o.unit GROUP BY a.ancestor, o.year
        )
        SELECT g.id AS unit, g.year, {filled}
        FROM (SELECT id, y.range AS year FROM units CROSS JOIN range({YEARS[0]},
              {YEARS[-1] + 1}) y) g
        LEFT JOIN rolled r ON r.unit = g.id AND r.year = g.year
    """)  # fmt: skip
    con.execute(f"""
        CREATE OR REPLACE TABLE summary AS
        WITH term AS (
            SELECT unit, {sums},
                {", ".join(f"sum(n) FILTER (WHERE year = {y})::BIGINT AS achieved_{y}"
                           for y in YEARS)}
            FROM periods GROUP BY unit
        ),
        term_targets AS (
            SELECT unit, arg_min(value, idx) AS target FROM targets
            WHERE period IS NULL GROUP BY unit
        ),
        members AS (
            SELECT unit, members FROM memberships WHERE date <= DATE '{AS_OF.isoformat()}'
            QUALIFY row_number() OVER (PARTITION BY unit ORDER BY date DESC, idx DESC) = 1
        )
        SELECT term.unit, n AS achieved, target, half_up(100 * n, target) AS percent,
            {", ".join(f"achieved_{y}" for y in YEARS)}, members,
            {", ".join(f"half_up(100 * {n}, n) AS share_{k}"
                       for k, n in zip(keys, names, strict=True))}
        FROM term LEFT JOIN term_targets USING (unit) LEFT JOIN members USING (unit)
    """)  # fmt: skip
    con.execute("""
        CREATE OR REPLACE TABLE by_year AS
        WITH year_targets AS (
            SELECT unit, period::BIGINT AS year, arg_min(value, idx) AS target FROM targets
            WHERE period IS NOT NULL GROUP BY ALL
        ),
        shifted AS (
            SELECT unit, year, n, lag(n) OVER (PARTITION BY unit ORDER BY year) AS previous
            FROM periods
        )
        SELECT unit, year, n AS achieved, target, half_up(100 * n, target) AS percent,
            half_up(100 * (n - previous), previous) AS change
        FROM shifted LEFT JOIN year_targets USING (unit, year)
    """)
    return con


# -- plain columns for the identity check --------------------------------------------------


def figures(engine: str, result: Any, places: int = 1) -> dict[str, Columns]:
    """``summary`` (keyed by ``unit``) and ``periods`` (keyed by ``unit``, ``year``) of an
    engine's result as plain columns; percents as integers in units of 10^-places."""
    if engine == "partydev":
        return _partydev_figures(result, places)
    if engine == "pandas":
        return {
            "summary": _pandas_columns(result["summary"].rename_axis("unit").reset_index()),
            "periods": _pandas_columns(result["periods"].reset_index()),
        }
    if engine == "polars":
        return {name: result[name].to_dict(as_series=False) for name in ("summary", "periods")}
    if engine == "duckdb":
        return {
            "summary": _duckdb_columns(result, "summary"),
            "periods": _duckdb_columns(result, "by_year"),
        }
    raise ValueError(f"unknown engine {engine!r}")


def _pandas_columns(frame: Any) -> Columns:
    out: Columns = {}
    for key in frame.columns:
        column = frame[key].astype(object)
        out[str(key)] = column.where(column.notna(), None).tolist()
    return out


def _duckdb_columns(con: Any, table: str) -> Columns:
    cursor = con.execute(f"SELECT * FROM {table}")
    keys = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    return {key: [row[i] for row in rows] for i, key in enumerate(keys)}


def _partydev_figures(report: Any, places: int) -> dict[str, Columns]:
    def as_int(value: Any) -> Any:
        return int(value * 10**places) if isinstance(value, Decimal) else value

    summary = report.summary
    keys = [c.key for c in summary.columns]
    columns: Columns = {("unit" if k == "unit_id" else k): [] for k in keys}
    lists = list(columns.values())
    for row in summary.rows:
        for into, value in zip(lists, row, strict=True):
            into.append(as_int(value))
    periods = report.table("periods")
    pkeys = [c.key for c in periods.columns]
    position = {k: i for i, k in enumerate(pkeys)}
    per: Columns = {"unit": [], "year": [], **{k: [] for k in PERIOD_FIGURES}}
    for row in periods.rows:
        per["unit"].append(row[position["unit_id"]])
        per["year"].append(int(row[position["period"]]))
        for key in PERIOD_FIGURES:
            per[key].append(as_int(row[position[key]]))
    return {"summary": columns, "periods": per}


def expected_columns(categories: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The figures every engine must give, by table: those of the pandas baseline."""
    return {
        "summary": ["achieved", "target", "percent", *(f"achieved_{y}" for y in YEARS),
                    "members", *(f"share_{c['id']}" for c in categories)],
        "periods": list(PERIOD_FIGURES),
    }  # fmt: skip


def compare(
    mine: dict[str, Columns],
    theirs: dict[str, Columns],
    engine: str,
    expected: dict[str, list[str]],
) -> tuple[int, list[str]]:
    """Compare an engine's *expected* figures with partydev's: (figures compared,
    differences)."""
    problems: list[str] = []
    compared = 0
    for table, key in (("summary", ("unit",)), ("periods", ("unit", "year"))):
        ours, other = mine[table], theirs[table]
        ours_keys = list(_keys(ours, key))
        where = {k: i for i, k in enumerate(_keys(other, key))}
        missing = [k for k in ours_keys if k not in where]
        if missing or len(where) != len(ours_keys):
            problems.append(
                f"{table}: {engine} has {len(where):,} rows, partydev {len(ours_keys):,}"
                + (f"; {engine} lacks e.g. {missing[0]}" if missing else "")
            )
            continue
        order = [where[k] for k in ours_keys]
        for column in expected[table]:
            if column not in other or column not in ours:
                lacking = engine if column not in other else "partydev"
                problems.append(f"{table}: {lacking} has no column {column}")
                continue
            values = other[column]
            differ = [
                k for k, a, i in zip(ours_keys, ours[column], order, strict=True) if a != values[i]
            ]
            compared += len(ours_keys)
            if differ:
                first = differ[0]
                problems.append(
                    f"{table}.{column}: {len(differ):,} differ from {engine}, e.g. {first}: "
                    f"partydev {ours[column][ours_keys.index(first)]} "
                    f"{engine} {values[where[first]]}"
                )
    return compared, problems


def _keys(columns: Columns, key: Iterable[str]) -> Iterable[Any]:
    parts = [columns[k] for k in key]
    return parts[0] if len(parts) == 1 else zip(*parts, strict=True)
