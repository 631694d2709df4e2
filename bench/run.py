"""Benchmark partydev at national scale, side by side with pandas and the raw writers.

``python bench/run.py --scale 0.01`` (or ``--scales 0.01,0.1,1.0``) generates
the synthetic ledger (``bench/generate.py``, cached under ``bench/.data``), then
runs every stage of the registry in a fresh subprocess, so that each stage's
peak resident memory is its own: the child does the stage's untimed setup,
resets the kernel's peak-RSS mark, runs the stage once under a timer and
reports seconds, the peak RSS of the process and the growth over the RSS
before the stage.  See ``bench/README.md`` for how to read the table.

Not a test: nothing here asserts a time.  It exits non-zero only when a stage
fails or the pandas figures differ from partydev's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
import generate  # noqa: E402

AS_OF = date(2025, 12, 31)


@dataclass
class Stage:
    """A benchmark stage: untimed *setup* (returns the state), timed *run*."""

    name: str
    run: Callable[[Path, Any], Any]
    setup: Callable[[Path], Any] = lambda data: None
    baseline: str | None = None
    available: Callable[[], str | None] = lambda: None
    note: str = ""
    needs: list[str] = field(default_factory=list)


STAGES: dict[str, Stage] = {}
NOTES: list[str] = []


def stage(name: str, **kwargs: Any) -> Callable[[Callable[[Path, Any], Any]], Any]:
    """Register a timed stage under *name*."""

    def register(run: Callable[[Path, Any], Any]) -> Any:
        STAGES[name] = Stage(name, run, **kwargs)
        return run

    return register


# -- availability guards -------------------------------------------------------------------


def _has_pandas() -> str | None:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return "pandas is not installed (pip install -e '.[bench]'): baseline (a) skipped"
    return None


def _has_xlsxwriter() -> str | None:
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        return "XlsxWriter is not installed (pip install -e '.[bench]'): raw XLSX skipped"
    return None


def _exporter(fmt: str) -> Any:
    """The registered partydev exporter *fmt*, or ``None`` if there is none yet."""
    import warnings

    try:
        from partydev.plugins import exporters
    except ImportError:
        return None
    with warnings.catch_warnings():  # a broken plugin is the plugin tests' business
        warnings.simplefilter("ignore")
        found = exporters()
    items = found.values() if isinstance(found, dict) else found
    for item in items:
        if getattr(item, "name", item) == fmt:
            return item
    return None


def _has_exporter(fmt: str) -> Callable[[], str | None]:
    def check() -> str | None:
        if _exporter(fmt) is None:
            return f"partydev has no {fmt} exporter yet: skipped"
        return None

    return check


# -- partydev stages -----------------------------------------------------------------------


def _parse(data: Path) -> dict[str, Any]:
    """Files to records, without the cross-record validation of :class:`Ledger`."""
    from partydev.codec import COLLECTIONS, read_records
    from partydev.io import _parse_text, read_admissions_csv, read_tallies_csv

    path = data / "ledger.json"
    document = _parse_text(path.read_text(encoding="utf-8-sig"), path.name)
    collections = {name: read_records(name, document.get(name, [])) for name in COLLECTIONS}
    for relative in document["files"]["admissions"]:
        collections["admissions"].extend(read_admissions_csv(data / relative))
    for relative in document["files"]["tallies"]:
        collections["tallies"].extend(read_tallies_csv(data / relative))
    return {"title": document.get("title", ""), "source": document.get("source", ""),
            **collections}  # fmt: skip


def _load(data: Path) -> Any:
    from partydev import load_ledger

    return load_ledger(data / "ledger.json")


def _report(ledger: Any, level: str | None = None) -> Any:
    try:
        from partydev import build_report
    except ImportError:  # not exported yet
        from partydev.progress import build_report

    return build_report(ledger, as_of=AS_OF, level=level)


@stage("parse", baseline="pandas.load", note="JSON + CSV → records")
def _stage_parse(data: Path, state: Any) -> Any:
    return _parse(data)


@stage("validate", setup=_parse, note="records → Ledger (indexes, checks)")
def _stage_validate(data: Path, state: Any) -> Any:
    from partydev import Ledger

    return Ledger(**state)


@stage("load_ledger", baseline="pandas.load", note="public load_ledger: parse + validate")
def _stage_load(data: Path, state: Any) -> Any:
    return _load(data)


@stage("report.district", setup=_load, note="build_report(level='district')")
def _stage_report_district(data: Path, state: Any) -> Any:
    return _report(state, "district")


@stage("report.full", setup=_load, baseline="pandas.report", note="build_report(), every unit")
def _stage_report_full(data: Path, state: Any) -> Any:
    return _report(state)


@stage("pipeline", baseline="pandas.pipeline", note="load_ledger + build_report(), from files")
def _stage_pipeline(data: Path, state: Any) -> Any:
    return _report(_load(data))


def _load_and_report(data: Path) -> Any:
    return _report(_load(data))


def _xlsx_report(data: Path) -> Any:
    """The full report, less any table too long for one worksheet: the XLSX exporter
    continues those on further sheets but the raw baseline writes one sheet per table,
    so both XLSX stages write what fits, on identical cells."""
    import attrs

    report = _load_and_report(data)
    fits = tuple(t for t in report.tables if len(t.rows) < baseline.EXCEL_ROWS)
    NOTES.extend(
        f"table {t.key!r} ({len(t.rows):,} rows) left out: an Excel sheet holds "
        f"{baseline.EXCEL_ROWS - 1:,}"
        for t in report.tables
        if t not in fits
    )
    return attrs.evolve(report, tables=fits)


def _export_stage(fmt: str, suffix: str) -> None:
    @stage(
        f"export.{fmt}",
        setup=_xlsx_report if fmt == "xlsx" else _load_and_report,
        baseline=f"raw.{fmt}",
        available=_has_exporter(fmt),
        note=f"partydev.export(report, {fmt!r}, …)",
    )
    def _run(data: Path, state: Any) -> Any:
        import partydev

        target = data / "out" / f"report{suffix}"
        target.parent.mkdir(exist_ok=True)
        return partydev.export(state, fmt, target)


for _fmt, _suffix in (("csv", ".csv"), ("json", ".json"), ("xlsx", ".xlsx")):
    _export_stage(_fmt, _suffix)


# -- baselines -----------------------------------------------------------------------------


@stage("pandas.load", available=_has_pandas, note="read_csv + json → DataFrames")
def _stage_pandas_load(data: Path, state: Any) -> Any:
    return baseline.pandas_load(data)


@stage("pandas.report", setup=baseline.pandas_load, available=_has_pandas,
       note="groupby unit/year, roll-up, targets, percents")  # fmt: skip
def _stage_pandas_report(data: Path, state: Any) -> Any:
    return baseline.pandas_report(state)


@stage("pandas.pipeline", available=_has_pandas, note="pandas.load + pandas.report, from files")
def _stage_pandas_pipeline(data: Path, state: Any) -> Any:
    return baseline.pandas_report(baseline.pandas_load(data))


def _cells(data: Path) -> Any:
    return baseline.report_cells(_load_and_report(data))


def _xlsx_cells(data: Path) -> Any:
    return baseline.report_cells(_xlsx_report(data))


@stage("raw.csv", setup=_cells, note="csv.writer, the summary's cells")
def _stage_raw_csv(data: Path, state: Any) -> Any:
    baseline.raw_csv(state, data / "out" / "raw.csv")


@stage("raw.json", setup=_cells, note="json module, every table's cells")
def _stage_raw_json(data: Path, state: Any) -> Any:
    baseline.raw_json(state, data / "out" / "raw.json")


@stage("raw.xlsx", setup=_xlsx_cells, available=_has_xlsxwriter,
       note="XlsxWriter constant_memory, same cells")  # fmt: skip
def _stage_raw_xlsx(data: Path, state: Any) -> Any:
    baseline.raw_xlsx(state, data / "out" / "raw.xlsx")


# -- the identity check --------------------------------------------------------------------


def check(data: Path) -> list[str]:
    """Compare partydev's full-depth report with the pandas one; the differences found."""
    import pandas as pd

    report = _load_and_report(data)
    mine = baseline.pandas_report(baseline.pandas_load(data))
    problems: list[str] = []
    places = 1

    def as_int(value: Any) -> Any:
        if value is None:
            return pd.NA
        return int(value * 10**places) if isinstance(value, Decimal) else value

    summary = report.summary
    keys = [c.key for c in summary.columns]
    theirs = pd.DataFrame(
        [[as_int(v) for v in row] for row in summary.rows], columns=keys, dtype=object
    ).set_index("unit_id")
    wanted = list(mine["summary"].columns)
    for key in wanted:
        if key not in theirs:
            problems.append(f"summary: partydev has no column {key}")
            continue
        a = theirs[key].astype("Int64")
        b = mine["summary"][key].reindex(theirs.index).astype("Int64")
        differ = ~((a == b).fillna(False) | (a.isna() & b.isna()))
        if differ.any():
            first = differ[differ].index[0]
            problems.append(
                f"summary.{key}: {int(differ.sum())} units differ, e.g. {first}: "
                f"partydev {a[first]} pandas {b[first]}"
            )
    periods = report.table("periods")
    pkeys = [c.key for c in periods.columns]
    rows = pd.DataFrame(
        [[as_int(v) if k in {"achieved", "target", "percent", "change"} else v
          for k, v in zip(pkeys, row, strict=True)] for row in periods.rows],
        columns=pkeys, dtype=object,
    )  # fmt: skip
    rows["year"] = rows["period"].astype("int64")
    rows = rows.set_index(["unit_id", "year"])
    for key in ("achieved", "target", "percent", "change"):
        a = rows[key].astype("Int64")
        b = mine["periods"][key].reindex(rows.index).astype("Int64")
        differ = ~((a == b).fillna(False) | (a.isna() & b.isna()))
        if differ.any():
            first = differ[differ].index[0]
            problems.append(
                f"periods.{key}: {int(differ.sum())} rows differ, e.g. {first}: "
                f"partydev {a[first]} pandas {b[first]}"
            )
    compared = len(theirs) * len(wanted) + len(rows) * 4
    print(f"  check: {compared:,} figures compared between partydev and pandas", flush=True)
    return problems


# -- measurement ---------------------------------------------------------------------------


def _status(field_name: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/self/status, in bytes (0 if unavailable)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux ≥ 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def run_child(name: str, data: Path) -> dict[str, Any]:
    """Run stage *name* in this process and return its measurements."""
    item = STAGES[name]
    # Imports are not part of a stage: load the libraries it uses first.
    import partydev  # noqa: F401

    if name.startswith("pandas."):
        import pandas  # noqa: F401
    if name.endswith(".xlsx"):
        import xlsxwriter  # noqa: F401
    state = item.setup(data)
    gc.collect()
    reset = _reset_peak()
    before = _status("VmRSS")
    start = time.perf_counter()
    result = item.run(data, state)
    seconds = time.perf_counter() - start
    peak = _status("VmHWM")
    if not reset:  # peak since process start: includes the setup
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    del result
    return {"seconds": seconds, "peak": peak, "before": before, "reset": reset, "notes": NOTES}


def measure(name: str, data: Path) -> dict[str, Any]:
    """Run stage *name* in a fresh interpreter (its own peak RSS)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--data", str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_data(scale: float, root: Path) -> tuple[Path, dict[str, int]]:
    """The generated ledger for *scale* (generated once, then reused)."""
    data = root / f"scale-{scale:g}"
    source = (HERE / "generate.py").read_bytes()
    stamp = str(hash(source) & 0xFFFFFFFF)  # per interpreter; see below
    marker = data / "sizes.json"
    signature = data / "generator.sig"
    import hashlib

    stamp = hashlib.sha256(source).hexdigest()
    if marker.exists() and signature.exists() and signature.read_text() == stamp:
        return data, json.loads(marker.read_text())
    start = time.perf_counter()
    sizes = generate.generate(scale, data)
    signature.write_text(stamp)
    print(f"  generated scale {scale:g} in {time.perf_counter() - start:.1f} s: {sizes}")
    return data, sizes


def _mb(value: float) -> str:
    return f"{value / 2**20:,.0f}"


def run_scale(scale: float, root: Path, only: list[str] | None) -> tuple[dict[str, Any], bool]:
    """Every stage at *scale*; prints the table and returns the results."""
    data, sizes = ensure_data(scale, root)
    print(
        f"\n== scale {scale:g}: {sizes['admissions']:,} admissions, {sizes['units']:,} units "
        f"({sizes['tally_only']:,} tally-only organisations, {sizes['tallies']:,} tallies), "
        f"{sizes['targets']:,} targets",
        flush=True,
    )
    results: dict[str, Any] = {}
    for name, item in STAGES.items():
        if only and name not in only:
            continue
        skip = item.available()
        if skip:
            print(f"  note: {name}: {skip}", flush=True)
            results[name] = {"skipped": skip}
            continue
        results[name] = measure(name, data)
        if "error" in results[name]:
            print(f"  error: {name}: {results[name]['error']}", flush=True)
        for note in results[name].get("notes", []):
            print(f"  note: {name}: {note}", flush=True)
    header = (
        f"{'stage':<17} {'seconds':>9} {'peak MB':>8} {'+MB':>7} "
        f"{'baseline':<16} {'×time':>6} {'×peak':>6}  what"
    )
    print(header)
    print("-" * len(header))
    for name, item in STAGES.items():
        result = results.get(name)
        if not result or "seconds" not in result:
            continue
        ratio_time = ratio_peak = ""
        base = results.get(item.baseline or "", {})
        if "seconds" in base:
            ratio_time = f"{result['seconds'] / base['seconds']:.2f}"
            ratio_peak = f"{result['peak'] / base['peak']:.2f}"
        print(
            f"{name:<17} {result['seconds']:>9.3f} {_mb(result['peak']):>8} "
            f"{_mb(result['peak'] - result['before']):>7} {item.baseline or '':<16} "
            f"{ratio_time:>6} {ratio_peak:>6}  {item.note}"
        )
    ok = all("error" not in r for r in results.values())
    if (only is None or "check" in only) and _has_pandas() is None:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--check", "--data", str(data)],
            capture_output=True,
            text=True,
            check=False,
        )
        print(done.stdout.rstrip())
        if done.returncode != 0:
            ok = False
            print(done.stderr.rstrip()[-2000:])
    elif _has_pandas():
        print(f"  note: {_has_pandas()}; the identity check is skipped too")
    results["_sizes"] = sizes
    return results, ok


def main(argv: list[str] | None = None) -> int:
    """Command line; see the module documentation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, help="one scale factor (1.0 = national)")
    parser.add_argument("--scales", help="comma-separated scale factors, e.g. 0.01,0.1,1.0")
    parser.add_argument("--data", type=Path, default=HERE / ".data", help="where data goes")
    parser.add_argument("--only", help="comma-separated stage names (and 'check')")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.child, args.data)))
        return 0
    if args.check:
        problems = check(args.data)
        for problem in problems:
            print(f"  MISMATCH {problem}")
        print("  check: identical numbers" if not problems else "  check: FAILED")
        return 1 if problems else 0
    scales = (
        [float(s) for s in args.scales.split(",")]
        if args.scales
        else [args.scale if args.scale is not None else 0.01]
    )
    only = args.only.split(",") if args.only else None
    every: dict[str, Any] = {}
    ok = True
    for scale in scales:
        every[f"{scale:g}"], fine = run_scale(scale, args.data, only)
        ok = ok and fine
    print("\n== cost per admission (pipeline = load + validate + full report)")
    print(f"{'scale':>6} {'admissions':>11} {'partydev µs':>12} {'pandas µs':>10} {'×0.1':>6}")
    reference = every.get("0.1", {}).get("pipeline", {})
    for key, results in every.items():
        count = results["_sizes"]["admissions"] or 1
        mine = results.get("pipeline", {})
        if "seconds" not in mine:
            continue
        theirs = results.get("pandas.pipeline", {})
        cost = mine.get("seconds", 0) / count * 1e6
        base = theirs.get("seconds", 0) / count * 1e6 if "seconds" in theirs else None
        growth = ""
        if "seconds" in reference and "seconds" in mine:
            growth = (
                f"{cost / (reference['seconds'] / every['0.1']['_sizes']['admissions'] * 1e6):.2f}"
            )
        print(
            f"{key:>6} {count:>11,} {cost:>12.1f} "
            f"{'' if base is None else f'{base:.1f}':>10} {growth:>6}"
        )
    if args.json:
        args.json.write_text(json.dumps(every, indent=1) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
