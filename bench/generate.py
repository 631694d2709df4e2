"""A deterministic synthetic national ledger for the benchmark.

At scale 1.0: one nation, 60 provinces, 700 district-level units (districts,
cities and blocs), 50,000 grassroots organisations, 250,000 cells, and
1,000,000 person-level admissions over the target years 2021–2025 of the
2020–2025 term, plus yearly tallies of the grassroots organisations that
report only counts (about 15 %), targets per term and per year at every level
above the cell, and membership snapshots.

Written as partydev reads it: ``ledger.json`` (schema ``partydev-ledger/1``)
whose ``files`` table names ``admissions.csv`` and ``tallies.csv``.  The same
seed and scale always give the same bytes.

Usage: ``python bench/generate.py --scale 0.01 --out DIR``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

TERM_ID = "2020-2025"
YEARS = (2021, 2022, 2023, 2024, 2025)
AS_OF = date(2025, 12, 31)
TALLY_ONLY_SHARE = 0.15
EDUCATION = (
    ("none", 0.25),
    ("vocational", 0.20),
    ("college", 0.10),
    ("university", 0.40),
    ("postgraduate", 0.05),
)
MINORITIES = ("Tày", "Thái", "Mường", "Khmer", "Hmông", "Nùng", "Dao", "Gia Rai", "Ê Đê")

CATEGORIES: list[dict[str, Any]] = [
    {"id": "young", "label_vi": "Đảng viên trẻ (đến 30 tuổi)", "label_en": "Young (30 or under)",
     "max_age": 30},
    {"id": "female", "label_vi": "Nữ", "label_en": "Women", "attribute": "sex",
     "values": ["female"]},
    {"id": "ethnic_minority", "label_vi": "Dân tộc thiểu số", "label_en": "Ethnic minorities",
     "attribute": "ethnic_minority", "values": ["yes"]},
    {"id": "no_professional", "label_vi": "Chưa qua đào tạo chuyên môn",
     "label_en": "No professional education", "attribute": "education", "values": ["none"],
     "group": "education"},
    {"id": "vocational", "label_vi": "Trung cấp", "label_en": "Vocational (intermediate)",
     "attribute": "education", "values": ["vocational"], "group": "education"},
    {"id": "college_university", "label_vi": "Cao đẳng, đại học",
     "label_en": "College or university", "attribute": "education",
     "values": ["college", "university"], "group": "education"},
    {"id": "postgraduate", "label_vi": "Sau đại học", "label_en": "Postgraduate",
     "attribute": "education", "values": ["postgraduate"], "group": "education"},
]  # fmt: skip
"""The categories of the report; ``CATEGORY_VALUES`` says what each matches."""

ADMISSION_COLUMNS = (
    "unit", "date", "person", "birth_date", "age", "sex", "ethnicity", "ethnic_minority",
    "education",
)  # fmt: skip
TALLY_COLUMNS = ("unit", "period", "count", *(f"breakdown.{c['id']}" for c in CATEGORIES))


def sizes(scale: float) -> dict[str, int]:
    """How many units of each level, and admissions, at *scale*."""
    provinces = max(1, round(60 * scale))
    districts = max(provinces, round(700 * scale))
    grassroots = max(districts, round(50_000 * scale))
    cells = max(grassroots, round(250_000 * scale))
    return {
        "provinces": provinces,
        "districts": districts,
        "grassroots": grassroots,
        "cells": cells,
        "admissions": round(1_000_000 * scale),
    }


def _spread(rng: random.Random, children: int, parents: int) -> list[int]:
    """Parent index of each child: every parent gets one, the rest at random."""
    out = list(range(parents)) + [rng.randrange(parents) for _ in range(children - parents)]
    out.sort()
    return out


def generate(scale: float, out: Path, seed: int = 2025) -> dict[str, int]:
    """Write ``ledger.json``, ``admissions.csv`` and ``tallies.csv`` into *out*.

    Returns:
        The sizes written (units by level, admissions, tallies, targets).
    """
    rng = random.Random(seed)
    n = sizes(scale)
    out.mkdir(parents=True, exist_ok=True)
    units: list[dict[str, str]] = [
        {"id": "vn", "name": "Đảng bộ toàn quốc (tổng hợp)", "level": "nation"}
    ]
    for p in range(n["provinces"]):
        units.append({"id": f"p{p}", "name": f"Đảng bộ tỉnh số {p + 1}", "level": "province",
                      "parent": "vn"})  # fmt: skip
    district_parent = _spread(rng, n["districts"], n["provinces"])
    for d, p in enumerate(district_parent):
        roll = rng.random()
        level, word = (
            ("bloc", "Đảng bộ Khối") if roll < 0.1 else
            ("city", "Đảng bộ thành phố") if roll < 0.2 else ("district", "Đảng bộ huyện")
        )  # fmt: skip
        units.append({"id": f"d{d}", "name": f"{word} số {d + 1}", "level": level,
                      "parent": f"p{p}"})  # fmt: skip
    grassroots_parent = _spread(rng, n["grassroots"], n["districts"])
    for g, d in enumerate(grassroots_parent):
        units.append({"id": f"g{g}", "name": f"Đảng bộ cơ sở số {g + 1}", "level": "grassroots",
                      "parent": f"d{d}"})  # fmt: skip
    cell_parent = _spread(rng, n["cells"], n["grassroots"])
    for c, g in enumerate(cell_parent):
        units.append({"id": f"c{c}", "name": f"Chi bộ số {c + 1}", "level": "cell",
                      "parent": f"g{g}"})  # fmt: skip

    tally_only = {g for g in range(n["grassroots"]) if rng.random() < TALLY_ONLY_SHARE}
    if len(tally_only) == n["grassroots"]:
        tally_only.discard(0)
    person_cells = [c for c, g in enumerate(cell_parent) if g not in tally_only]
    cells_of: dict[int, int] = {}
    for g in cell_parent:
        cells_of[g] = cells_of.get(g, 0) + 1

    # Admissions, person-level, in cells of person-level organisations.
    first = date(YEARS[0], 1, 1).toordinal()
    last = date(YEARS[-1], 12, 31).toordinal()
    education_values = [v for v, _ in EDUCATION]
    education_weights = [w for _, w in EDUCATION]
    expected: dict[str, int] = {}
    with open(out / "admissions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ADMISSION_COLUMNS)
        for i in range(n["admissions"]):
            cell = person_cells[rng.randrange(len(person_cells))]
            day = date.fromordinal(rng.randint(first, last))
            age = 18 + int(rng.betavariate(1.6, 5.0) * 40)
            born = day - timedelta(days=365 * age + rng.randrange(365))
            minority = rng.random() < 0.12
            row = [
                f"c{cell}",
                day.isoformat(),
                f"P{i:07d}",
                "" if i % 10 == 3 else born.isoformat(),
                str(age) if i % 10 == 3 else "",
                "female" if rng.random() < 0.45 else "male",
                rng.choice(MINORITIES) if minority else "Kinh",
                "yes" if minority else "no",
                rng.choices(education_values, education_weights)[0],
            ]
            writer.writerow(row)
            expected[f"g{cell_parent[cell]}"] = expected.get(f"g{cell_parent[cell]}", 0) + 1

    # Tallies: the tally-only organisations report a yearly count with a breakdown.
    per_cell_year = n["admissions"] / max(1, len(person_cells)) / len(YEARS)
    tally_rows = 0
    with open(out / "tallies.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TALLY_COLUMNS)
        for g in sorted(tally_only):
            for year in YEARS:
                count = max(0, round(rng.gauss(per_cell_year * cells_of[g], 1.5)))
                expected[f"g{g}"] = expected.get(f"g{g}", 0) + count
                young = round(count * rng.uniform(0.6, 0.8))
                female = round(count * rng.uniform(0.35, 0.55))
                minority = round(count * rng.uniform(0.0, 0.25))
                edu = [0, 0, 0, 0]
                for _ in range(count):
                    edu[rng.choices(range(4), (0.25, 0.2, 0.5, 0.05))[0]] += 1
                writer.writerow([f"g{g}", str(year), count, young, female, minority, *edu])
                tally_rows += 1

    # Targets per term and per year at every level above the cell.
    totals: dict[str, int] = {}
    parent = {u["id"]: u.get("parent") for u in units}
    for unit_id, count in expected.items():
        current: str | None = unit_id
        while current is not None:
            totals[current] = totals.get(current, 0) + count
            current = parent[current]
    targets: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    members: dict[str, int] = {}
    for unit in units:
        if unit["level"] == "grassroots":
            members[unit["id"]] = rng.randint(30, 600)
    for unit in reversed(units):
        if unit.get("parent") and unit["level"] != "cell":
            key = unit["parent"]
            members[key] = members.get(key, 0) + members.get(unit["id"], 0)
    for unit in units:
        if unit["level"] == "cell":
            continue
        yearly = max(1, round(totals.get(unit["id"], 0) / len(YEARS) * rng.uniform(0.85, 1.15)))
        targets.append({"unit": unit["id"], "term": TERM_ID, "value": yearly * len(YEARS)})
        for year in YEARS:
            plan = max(1, round(yearly * rng.uniform(0.9, 1.1)))
            targets.append({"unit": unit["id"], "term": TERM_ID, "value": plan,
                            "period": str(year), "source": "assigned"})  # fmt: skip
        memberships.append({"unit": unit["id"], "date": "2021-01-01",
                            "members": members[unit["id"]]})  # fmt: skip
        if unit["level"] in ("nation", "province", "district", "city", "bloc"):
            for year in YEARS[1:]:
                members[unit["id"]] += rng.randint(0, 50)
                memberships.append({"unit": unit["id"], "date": f"{year}-01-01",
                                    "members": members[unit["id"]]})  # fmt: skip

    ledger = {
        "schema": "partydev-ledger/1",
        "title": f"Sổ phát triển đảng viên toàn quốc (tổng hợp, tỉ lệ {scale:g})",
        "source": "bench/generate.py (synthetic)",
        "files": {"admissions": ["admissions.csv"], "tallies": ["tallies.csv"]},
        # The admissions file is complete for every unit over the term: a unit
        # with no row admitted nobody (a known 0, as the pandas baseline counts it).
        "covers": {"start": "2020-10-01", "end": "2025-12-31"},
        "units": units,
        "terms": [
            {
                "id": TERM_ID,
                "label": "2020–2025",
                "start": "2020-10-01",
                "end": "2025-12-31",
                "congress": "XIII",
            }
        ],
        "targets": targets,
        "memberships": memberships,
        "categories": CATEGORIES,
    }
    with open(out / "ledger.json", "w", encoding="utf-8") as handle:
        json.dump(ledger, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    stats = dict(n)
    stats.update(
        units=len(units),
        tally_only=len(tally_only),
        tallies=tally_rows,
        targets=len(targets),
        memberships=len(memberships),
    )
    (out / "sizes.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> None:
    """Command line: ``--scale S --out DIR [--seed N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.scale, args.out, args.seed)))


if __name__ == "__main__":
    main()
