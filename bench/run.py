"""Benchmark partydev at national scale, beside pandas, polars, duckdb and raw writers.

``python bench/run.py --scale 0.01`` (or ``--scales 0.01,0.1,1.0``) generates
the synthetic ledger (``bench/generate.py``, cached under ``bench/.data``), then
runs every stage of the registry in a fresh subprocess, so that each stage's
peak resident memory is its own: the child does the stage's untimed setup,
resets the kernel's peak-RSS mark, runs the stage once under a timer and
reports seconds, the peak RSS of the process and the growth over the RSS
before the stage (``--rounds N``: every stage N times, medians).  polars and
duckdb (``bench/engines.py``) are optional and skipped when not installed.  See
``bench/README.md`` for how to read the table.

Not a test: nothing here asserts a time.  It exits non-zero only when a stage
fails or an engine's figures (pandas, polars, duckdb) differ from partydev's.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import baseline  # noqa: E402
import engines  # noqa: E402
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


def _has_polars() -> str | None:
    try:
        import polars  # noqa: F401
    except ImportError:
        return "polars is not installed (pip install -e '.[bench-more]'): skipped"
    return None


def _has_duckdb() -> str | None:
    try:
        import duckdb  # noqa: F401
        import numpy  # noqa: F401
    except ImportError:
        return "duckdb is not installed (pip install -e '.[bench-more]'): skipped"
    return None


ENGINES: dict[str, Callable[[], str | None]] = {
    "pandas": _has_pandas,
    "polars": _has_polars,
    "duckdb": _has_duckdb,
}
"""The baselines that compute the report's figures, and what says whether each can run."""


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
    from partydev.model.codec import COLLECTIONS, covers_from_data, read_records
    from partydev.model.store import AdmissionTable
    from partydev.shell.io import read_admissions_csv, read_tallies_csv

    path = data / "ledger.json"
    document = json.loads(path.read_text(encoding="utf-8-sig"))
    collections = {name: read_records(name, document.get(name, [])) for name in COLLECTIONS}
    if "covers" in document:
        collections["covers"] = covers_from_data(document["covers"])
    collections["admissions"] = AdmissionTable.concat(  # columns, as load_ledger keeps them
        [collections["admissions"]]
        + [read_admissions_csv(data / relative) for relative in document["files"]["admissions"]]
    )
    for relative in document["files"]["tallies"]:
        collections["tallies"].extend(read_tallies_csv(data / relative))
    return {"title": document.get("title", ""), "source": document.get("source", ""),
            **collections}  # fmt: skip


def _load(data: Path, fast: bool = False) -> Any:
    """The public ``load_ledger``; *fast* parses the CSV files with pyarrow when it is
    installed (``engine="pyarrow"``, ``partydev[fast]``), else with the csv module."""
    from partydev import load_ledger

    if not fast or _has_pyarrow() is not None:
        return load_ledger(data / "ledger.json")
    return load_ledger(data / "ledger.json", engine="pyarrow")


def _report(ledger: Any, level: str | None = None, fast: bool = False) -> Any:
    try:
        from partydev import build_report
    except ImportError:  # not exported yet
        from partydev.report.progress import build_report

    if not fast:
        return build_report(ledger, as_of=AS_OF, level=level)
    from partydev.model.kernels import kernels

    return build_report(ledger, as_of=AS_OF, level=level, kernels=kernels("numpy"))


def _has_numpy() -> str | None:
    try:
        import numpy  # noqa: F401
    except ImportError:
        return "numpy is not installed (pip install -e '.[fast]'): skipped"
    return None


def _has_pyarrow() -> str | None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return "pyarrow is not installed (pip install -e '.[fast]'): skipped"
    return _has_numpy()


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


@stage("load_ledger.fast", baseline="polars.load", available=_has_pyarrow,
       note="load_ledger(engine='pyarrow'): CSV parsed by pyarrow")  # fmt: skip
def _stage_load_fast(data: Path, state: Any) -> Any:
    return _load(data, fast=True)


@stage("report.district", setup=_load, note="build_report(level='district')")
def _stage_report_district(data: Path, state: Any) -> Any:
    return _report(state, "district")


@stage("report.full", setup=_load, baseline="pandas.report", note="build_report(), every unit")
def _stage_report_full(data: Path, state: Any) -> Any:
    return _report(state)


@stage("pipeline", baseline="pandas.pipeline", note="load_ledger + build_report(), from files")
def _stage_pipeline(data: Path, state: Any) -> Any:
    return _report(_load(data))


@stage("report.fast", setup=_load, baseline="pandas.report", available=_has_numpy,
       note="build_report(kernels=numpy), every unit")  # fmt: skip
def _stage_report_fast(data: Path, state: Any) -> Any:
    return _report(state, fast=True)


@stage("pipeline.fast", baseline="polars.pipeline", available=_has_numpy,
       note="load_ledger(engine=pyarrow if installed) + build_report(kernels=numpy)")  # fmt: skip
def _stage_pipeline_fast(data: Path, state: Any) -> Any:
    return _report(_load(data, fast=True), fast=True)


def _load_and_report(data: Path) -> Any:
    return _report(_load(data))


def _xlsx_report(data: Path) -> Any:
    """The full report, less any table too long for one worksheet: the XLSX exporter
    continues those on further sheets but the raw baseline writes one sheet per table,
    so both XLSX stages write what fits, on identical cells."""
    import attrs

    report = _load_and_report(data)
    fits = tuple(t for t in report.tables if t.row_count < baseline.EXCEL_ROWS)
    NOTES.extend(
        f"table {t.key!r} ({t.row_count:,} rows) left out: an Excel sheet holds "
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


ENGINE_CALLS: dict[str, tuple[Callable[[Path], Any], Callable[[Any], Any]]] = {
    "pandas": (baseline.pandas_load, baseline.pandas_report),
    "polars": (engines.polars_load, engines.polars_report),
    "duckdb": (engines.duckdb_load, engines.duckdb_report),
}
"""Each baseline engine's load (files → its data) and report (its data → the figures)."""


def _engine_stages(engine: str, load_note: str, report_note: str) -> None:
    """Register *engine*'s ``load``, ``report`` and ``pipeline`` stages; an engine other
    than pandas is measured against pandas' stage of the same name."""
    load, report = ENGINE_CALLS[engine]
    for part, note in (
        ("load", load_note),
        ("report", report_note),
        ("pipeline", f"{engine}.load + {engine}.report, from files"),
    ):
        stage(
            f"{engine}.{part}",
            setup=load if part == "report" else (lambda data: None),
            baseline=None if engine == "pandas" else f"pandas.{part}",
            available=ENGINES[engine],
            note=note,
        )(
            (lambda data, state: load(data)) if part == "load" else
            (lambda data, state: report(state)) if part == "report" else
            (lambda data, state: report(load(data)))
        )  # fmt: skip


_engine_stages("pandas", "read_csv + json → DataFrames",
               "groupby unit/year, roll-up, targets, percents")  # fmt: skip
_engine_stages("polars", "read_csv + json → polars frames",
               "the same figures with polars expressions")  # fmt: skip
_engine_stages("duckdb", "read_csv into tables + json → tables",
               "the same figures in SQL, into tables")  # fmt: skip


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


def _engine_result(engine: str, data: Path) -> Any:
    """An engine's report from the files (the same calls as its pipeline stage)."""
    load, report = ENGINE_CALLS[engine]
    return report(load(data))


def check(data: Path) -> list[str]:
    """Compare partydev's full-depth report with every baseline engine installed
    (pandas, polars, duckdb), figure by figure; the differences found."""
    mine = engines.figures("partydev", _load_and_report(data))
    expected = engines.expected_columns(engines.read_ledger(data)["categories"])
    problems: list[str] = []
    for engine, available in ENGINES.items():
        skip = available()
        if skip:
            print(f"  check: {engine}: {skip}", flush=True)
            continue
        theirs = engines.figures(engine, _engine_result(engine, data))
        compared, found = engines.compare(mine, theirs, engine, expected)
        del theirs
        problems.extend(found)
        verdict = f"{len(found)} columns differ" if found else "identical"
        print(f"  check: {compared:,} figures compared between partydev and {engine}: {verdict}",
              flush=True)  # fmt: skip
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
    if name.startswith("polars."):
        import polars  # noqa: F401
    if name.startswith("duckdb."):
        import duckdb  # noqa: F401
        import numpy  # noqa: F401
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


PIPELINES = {"partydev": "pipeline", "pandas": "pandas.pipeline",
             "polars": "polars.pipeline", "duckdb": "duckdb.pipeline"}  # fmt: skip
"""The stage of each engine that computes the report's figures from the files."""


def _median_result(rounds: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """Stage *name* over the rounds: the median seconds, peak and start RSS, every round
    kept; an error if any round failed."""
    runs = [r[name] for r in rounds if name in r]
    for run in runs:
        if "seconds" not in run:
            return run
    out = {key: statistics.median(run[key] for run in runs)
           for key in ("seconds", "peak", "before")}  # fmt: skip
    out["rounds"] = [{key: run[key] for key in ("seconds", "peak", "before")} for run in runs]
    return out


def _ratio(rounds: list[dict[str, Any]], name: str, base: str, key: str) -> float | None:
    """The median over rounds of *name*'s *key* over *base*'s, each ratio from one round."""
    pairs = [
        r[name][key] / r[base][key]
        for r in rounds
        if key in r.get(name, {}) and key in r.get(base, {}) and r[base][key]
    ]
    return statistics.median(pairs) if pairs else None


def _fmt_ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _print_machine() -> None:
    """The cores, the load on them and the threads the engines may use: timings on a
    busy machine are not comparable with a quiet one's."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    threads = os.environ.get("BENCH_THREADS")
    print(
        f"  machine: {os.cpu_count()} cores"
        + (f", load average {load[0]:.1f} (1 min) {load[2]:.1f} (15 min)" if load else "")
        + f"; polars and duckdb on {threads or 'all'} thread{'s' if threads != '1' else ''}",
        flush=True,
    )


def run_scale(
    scale: float, root: Path, only: list[str] | None, rounds: int = 1
) -> tuple[dict[str, Any], bool]:
    """Every stage at *scale*, *rounds* times (each round runs every stage once, so a
    ratio compares runs made close together); prints the medians and returns them."""
    data, sizes = ensure_data(scale, root)
    print(
        f"\n== scale {scale:g}: {sizes['admissions']:,} admissions, {sizes['units']:,} units "
        f"({sizes['tally_only']:,} tally-only organisations, {sizes['tallies']:,} tallies), "
        f"{sizes['targets']:,} targets" + (f"; median of {rounds} rounds" if rounds > 1 else ""),
        flush=True,
    )
    _print_machine()
    results: dict[str, Any] = {}
    chosen = [name for name in STAGES if not only or name in only]
    for name in chosen:
        skip = STAGES[name].available()
        if skip:
            print(f"  note: {name}: {skip}", flush=True)
            results[name] = {"skipped": skip}
    every: list[dict[str, Any]] = []
    for number in range(rounds):
        one: dict[str, Any] = {}
        for name in chosen:
            if name in results:
                continue
            one[name] = measure(name, data)
            if "error" in one[name]:
                print(f"  error: {name}: {one[name]['error']}", flush=True)
            for note in one[name].get("notes", []) if number == 0 else []:
                print(f"  note: {name}: {note}", flush=True)
        every.append(one)
    for name in chosen:
        if name not in results:
            results[name] = _median_result(every, name)
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
        base = item.baseline or ""
        print(
            f"{name:<17} {result['seconds']:>9.3f} {_mb(result['peak']):>8} "
            f"{_mb(result['peak'] - result['before']):>7} {base:<16} "
            f"{_fmt_ratio(_ratio(every, name, base, 'seconds')):>6} "
            f"{_fmt_ratio(_ratio(every, name, base, 'peak')):>6}  {item.note}"
        )
    ran = {e: s for e, s in PIPELINES.items() if "seconds" in results.get(s, {})}
    if "pipeline" in ran.values() and len(ran) > 1:
        print("\n  the same figures from the files: partydev's pipeline over each engine's")
        print(f"  {'engine':<10} {'seconds':>9} {'peak MB':>8} {'partydev ×time':>15} ×peak")
        for engine, name in ran.items():
            print(
                f"  {engine:<10} {results[name]['seconds']:>9.3f} "
                f"{_mb(results[name]['peak']):>8} "
                f"{_fmt_ratio(_ratio(every, 'pipeline', name, 'seconds')):>15} "
                f"{_fmt_ratio(_ratio(every, 'pipeline', name, 'peak')):>6}"
            )
    ok = all("error" not in r for r in results.values())
    missing = [f"{engine}: {skip}" for engine, has in ENGINES.items() if (skip := has())]
    if (only is None or "check" in only) and len(missing) < len(ENGINES):
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
    elif missing and (only is None or "check" in only):
        print(f"  note: no baseline engine installed ({'; '.join(missing)}): no identity check")
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
    parser.add_argument(
        "--rounds", type=int, default=1, help="run every stage this many times; medians"
    )
    parser.add_argument(
        "--threads", type=int, help="threads polars and duckdb may use (default: all cores)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads:  # read by the children: polars at import, engines.duckdb_load
        os.environ["POLARS_MAX_THREADS"] = os.environ["BENCH_THREADS"] = str(args.threads)
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
        every[f"{scale:g}"], fine = run_scale(scale, args.data, only, max(1, args.rounds))
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
