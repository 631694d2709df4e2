"""Reading admissions from an XLSX sheet: partydev-xlsx against pandas.read_excel.

The national benchmark's admissions (``bench/generate.py``; one million at scale 1.0,
more than the 1,048,575 data rows a sheet holds, so the default is scale 0.5) are
written once to ``admissions-<scale>.xlsx`` under ``bench/.data`` as a workbook with
one sheet, *Kết nạp*, in the layout of the xlsx ledger format: dates as date cells,
age as a number, empty cells where nothing is recorded.  Then, each in a fresh
interpreter, best of ``--repeat`` runs:

* ``partydev``: ``partydev_xlsx.ledger.read_sheet_records``, what ``load_ledger``
  runs for a ``files`` entry naming the workbook: validated :class:`Admission`
  records, errors located by cell;
* ``pandas.read_excel`` with the ``openpyxl`` engine (pandas' default for .xlsx up
  to 3.x) and with the ``calamine`` engine: a DataFrame, nothing checked.

Run: ``python bench/xlsx_read.py --scale 0.5`` (``--scale 0.01`` as a smoke run).
Nothing asserts a time; the ratios are printed and, with ``--json``, saved.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

SHEET = "Kết nạp"
HEADERS = {"unit": "Mã đơn vị", "date": "Ngày kết nạp", "person": "Mã người",
           "birth_date": "Ngày sinh", "age": "Tuổi"}  # fmt: skip


def workbook(scale: float, data: Path) -> Path:
    """The admissions of *scale* as an XLSX sheet, written once."""
    folder = data / f"scale-{scale:g}"
    path = data / f"admissions-{scale:g}.xlsx"
    if path.exists() and path.stat().st_mtime >= Path(generate.__file__).stat().st_mtime:
        return path
    if not (folder / "admissions.csv").exists():
        generate.generate(scale, folder)
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(SHEET)
    day = book.add_format({"num_format": "d/m/yyyy"})
    with open(folder / "admissions.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sheet.write_row(0, 0, [HEADERS.get(key, key) for key in header])
        dates = {i for i, key in enumerate(header) if key in ("date", "birth_date")}
        age = header.index("age")
        for number, row in enumerate(reader, start=1):
            for col, text in enumerate(row):
                if not text:
                    continue
                if col in dates:
                    sheet.write_datetime(number, col, datetime.fromisoformat(text), day)
                elif col == age:
                    sheet.write_number(number, col, int(text))
                else:
                    sheet.write_string(number, col, text)
    book.close()
    return path


def _partydev(path: Path) -> int:
    from partydev_xlsx.ledger import read_sheet_records

    from partydev.plugins import LedgerSource

    source = LedgerSource.of(path, max_bytes=1 << 32)
    return len(read_sheet_records(source, "admissions", {}))


def _pandas(path: Path, engine: str) -> int:
    import pandas

    return len(pandas.read_excel(path, sheet_name=SHEET, engine=engine))


STAGES = {
    "partydev": _partydev,
    "pandas.openpyxl": lambda path: _pandas(path, "openpyxl"),
    "pandas.calamine": lambda path: _pandas(path, "calamine"),
}


def child(stage: str, path: Path) -> dict[str, Any]:
    """Run one stage once in this interpreter (imports untimed)."""
    if stage == "partydev":
        import partydev_xlsx.ledger  # noqa: F401
        import python_calamine  # noqa: F401
    else:
        import pandas  # noqa: F401
    start = time.perf_counter()
    rows = STAGES[stage](path)
    return {"seconds": time.perf_counter() - start, "rows": rows}


def measure(stage: str, path: Path, repeat: int) -> dict[str, Any]:
    """The best of *repeat* runs, each in a fresh interpreter."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--child", stage, "--path", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    best = min(runs, key=lambda run: run["seconds"])
    return {"seconds": round(best["seconds"], 3), "rows": best["rows"]}


def main(argv: list[str] | None = None) -> int:
    """Write the workbook if needed, time each reader, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--only", help="comma-separated stages")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.path)))
        return 0
    path = workbook(args.scale, args.data)
    stages = args.only.split(",") if args.only else list(STAGES)
    results = {stage: measure(stage, path, args.repeat) for stage in stages}
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, measured {date.today():%Y-%m-%d}")
    base = results.get("partydev", {}).get("seconds")
    for stage, result in results.items():
        ratio = f"  partydev is {base / result['seconds']:.2f}× its time" if base else ""
        print(f"{stage:16} {result['seconds']:8.2f} s  {result['rows']:>9,} rows{ratio}")
    if args.json:
        args.json.write_text(json.dumps({"scale": args.scale, **results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
