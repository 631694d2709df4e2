"""Baselines for the benchmark: the report computed with pandas, and raw writers.

(a) :func:`pandas_load` + :func:`pandas_report` compute, from the same
``ledger.json``, ``admissions.csv`` and ``tallies.csv`` that partydev reads,
what a competent analyst would write with pandas: count admissions by unit
and year, add the tallies, roll the counts up the hierarchy level by level,
join the targets and compute percent of target, composition shares and the
change on the previous year, rounded half up with integer arithmetic (a float
``round`` would disagree with the published convention at exact halves).

(b) :func:`raw_csv`, :func:`raw_json` and :func:`raw_xlsx` write the cells of
a partydev report with the standard ``csv`` and ``json`` modules and with
XlsxWriter in constant-memory mode: the floor an exporter can be compared to.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

AS_OF = date(2025, 12, 31)
EXCEL_ROWS = 1_048_576


def pandas_load(data: Path) -> dict[str, Any]:
    """Read the ledger JSON and the two CSV files into data frames."""
    import pandas as pd

    with open(data / "ledger.json", encoding="utf-8") as handle:
        ledger = json.load(handle)
    small = {"sex", "ethnicity", "ethnic_minority", "education"}
    admissions = pd.read_csv(
        data / "admissions.csv",
        dtype={
            "unit": "category",
            "person": str,
            "age": "Int64",
            **dict.fromkeys(small, "category"),
        },
        keep_default_na=False,
        na_values={"age": [""], "birth_date": [""]},
    )
    admissions["date"] = pd.to_datetime(admissions["date"], format="%Y-%m-%d")
    admissions["birth_date"] = pd.to_datetime(admissions["birth_date"], format="%Y-%m-%d")
    tallies = pd.read_csv(data / "tallies.csv", dtype={"unit": str, "period": str})
    return {
        "units": pd.DataFrame(ledger["units"]),
        "targets": pd.DataFrame(ledger["targets"]),
        "memberships": pd.DataFrame(ledger["memberships"]),
        "categories": ledger["categories"],
        "admissions": admissions,
        "tallies": tallies,
    }


def _half_up(numerator: Any, denominator: Any, places: int) -> Any:
    """Exact half-up rounding of numerator/denominator·10^places, as integers (nullable)."""
    import pandas as pd

    scale = 10**places
    magnitude = numerator.abs() * scale
    quotient = (2 * magnitude + denominator) // (2 * denominator)
    sign = numerator.where(numerator >= 0, -1).where(numerator < 0, 1)
    out = (quotient * sign).astype("Int64")
    return out.where(denominator > 0, pd.NA)


def pandas_report(frames: dict[str, Any], places: int = 1) -> dict[str, Any]:
    """The summary and per-year figures of every unit, computed with pandas.

    Returns:
        ``summary`` (one row per unit: achieved, target, percent, achieved_<year>,
        members, share_<category>, percents as integers in units of 10^-places)
        and ``periods`` (unit × year: achieved, target, percent, change).
    """
    import pandas as pd

    units = frames["units"]
    admissions = frames["admissions"]
    categories = frames["categories"]
    day = admissions["date"]
    born = admissions["birth_date"]
    # partydev's convention (dateutil's relativedelta): someone born on 29 February
    # has a birthday on 28 February in a common year.
    year = day.dt.year
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    birthday = born.dt.day.where(~((born.dt.month == 2) & (born.dt.day == 29) & ~leap), 28)
    before = (day.dt.month * 100 + day.dt.day) < (born.dt.month * 100 + birthday)
    age = (day.dt.year - born.dt.year - before.astype("int64")).astype("Int64")
    age = age.where(born.notna(), admissions["age"])
    counted = admissions["date"] <= pd.Timestamp(AS_OF)
    own = pd.DataFrame({"unit": admissions["unit"].astype(str), "year": day.dt.year, "n": 1})
    keys = [c["id"] for c in categories]
    for category in categories:
        if category.get("max_age") is not None:
            own[category["id"]] = (age <= category["max_age"]).astype("int64")
        else:
            values = admissions[category["attribute"]].astype(str)
            own[category["id"]] = values.isin(category["values"]).astype("int64")
    own = own[counted.to_numpy()]
    tallies = frames["tallies"].rename(
        columns={"count": "n", **{f"breakdown.{k}": k for k in keys}}
    )
    tallies["year"] = tallies["period"].astype("int64")
    columns = ["n", *keys]
    both = pd.concat([own[["unit", "year", *columns]], tallies[["unit", "year", *columns]]])
    totals = both.groupby(["unit", "year"], sort=False).sum()

    # Roll up the hierarchy, deepest level first.
    parent = units.set_index("id")["parent"]
    depth = pd.Series(0, index=units["id"])
    frontier = units.loc[units["parent"].isna(), "id"]
    level = 0
    children = units.dropna(subset=["parent"])
    while len(frontier):
        depth[frontier.to_numpy()] = level
        frontier = children.loc[children["parent"].isin(frontier), "id"]
        level += 1
    unit_level = depth.reindex(totals.index.get_level_values("unit")).to_numpy()
    for d in range(level - 1, 0, -1):
        rows = totals[unit_level == d]
        up = rows.groupby(
            [parent.reindex(rows.index.get_level_values("unit")).to_numpy(),
             rows.index.get_level_values("year")]
        ).sum()  # fmt: skip
        up.index.names = ["unit", "year"]
        totals = totals.add(up, fill_value=0).astype("int64")
        unit_level = depth.reindex(totals.index.get_level_values("unit")).to_numpy()

    years = list(range(2021, 2026))
    full = pd.MultiIndex.from_product([units["id"], years], names=["unit", "year"])
    totals = totals.reindex(full, fill_value=0)

    targets = frames["targets"]
    if "period" not in targets:
        targets["period"] = None
    term_targets = targets[targets["period"].isna()].drop_duplicates("unit").set_index("unit")
    year_targets = targets[targets["period"].notna()].copy()
    year_targets["year"] = year_targets["period"].astype("int64")
    year_targets = year_targets.drop_duplicates(["unit", "year"]).set_index(["unit", "year"])

    by_year = totals["n"].unstack("year")
    term = totals.groupby(level="unit", sort=False).sum()
    summary = pd.DataFrame(index=units["id"])
    summary["achieved"] = term["n"].reindex(summary.index)
    summary["target"] = term_targets["value"].reindex(summary.index).astype("Int64")
    summary["percent"] = _half_up(100 * summary["achieved"], summary["target"].fillna(0), places)
    for year in years:
        summary[f"achieved_{year}"] = by_year[year].reindex(summary.index)
    members = frames["memberships"]
    members = members[members["date"] <= AS_OF.isoformat()].sort_values("date", kind="stable")
    summary["members"] = members.groupby("unit").last()["members"].reindex(summary.index)
    summary["members"] = summary["members"].astype("Int64")
    for key in keys:
        summary[f"share_{key}"] = _half_up(
            100 * term[key].reindex(summary.index), summary["achieved"], places
        )

    periods = totals[["n"]].rename(columns={"n": "achieved"})
    periods["target"] = year_targets["value"].reindex(periods.index).astype("Int64")
    periods["percent"] = _half_up(100 * periods["achieved"], periods["target"].fillna(0), places)
    previous = periods["achieved"].groupby(level="unit", sort=False).shift(1)
    previous = previous.astype("Int64")
    periods["change"] = _half_up(
        100 * (periods["achieved"] - previous), previous.fillna(0), places
    ).where(previous.notna())
    return {"summary": summary, "periods": periods}


# -- raw writers ----------------------------------------------------------------------------


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def report_cells(report: Any) -> list[tuple[str, list[str], Any]]:
    """(table key, Vietnamese column headings, rows) of every table of a partydev report."""
    return [(t.key, [c.label_vi for c in t.columns], t.rows) for t in report.tables]


def raw_csv(tables: list[tuple[str, list[str], Any]], out: Path) -> None:
    """The first table (the summary, as the CSV exporter writes by default), with the csv
    module: UTF-8 with a byte-order mark, one header row, raw cells."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _, columns, rows = tables[0]
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([_text(c) for c in row] for row in rows)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value))


def raw_json(tables: list[tuple[str, list[str], Any]], out: Path) -> None:
    """Every table (column headings, then one row array per line), with the json module."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write('{\n  "tables": [')
        for number, (key, columns, rows) in enumerate(tables):
            head = json.dumps({"key": key, "columns": columns}, ensure_ascii=False)
            handle.write(("," if number else "") + "\n    " + head[:-1] + ', "rows": [')
            dumps = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
            handle.write(",".join("\n      " + dumps(row) for row in rows))
            handle.write("\n    ]}")
        handle.write("\n  ]\n}\n")


def raw_xlsx(tables: list[tuple[str, list[str], Any]], out: Path) -> None:
    """One sheet per table (continued on further sheets past Excel's row limit),
    with XlsxWriter in constant-memory mode; numbers as numbers."""
    import xlsxwriter

    out.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    for key, columns, rows in tables:
        part = 0
        sheet = None
        r = EXCEL_ROWS
        for row in rows:
            if r >= EXCEL_ROWS:
                part += 1
                sheet = book.add_worksheet(key if part == 1 else f"{key} ({part})")
                sheet.write_row(0, 0, columns)
                r = 1
            assert sheet is not None
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                if isinstance(cell, bool):
                    sheet.write_boolean(r, c, cell)
                elif isinstance(cell, int | Decimal):
                    sheet.write_number(r, c, cell)
                elif isinstance(cell, date):
                    sheet.write_string(r, c, cell.isoformat())
                else:
                    sheet.write_string(r, c, cell)
            r += 1
        if sheet is None:
            book.add_worksheet(key).write_row(0, 0, columns)
    book.close()
