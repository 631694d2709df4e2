"""Peak Python memory (tracemalloc) and size of an XLSX export, streaming on and off.

Run: ``python plugins/partydev-xlsx/bench/memory.py --rows 200000``.  Prints
figures only; no assertions (timings and memory vary by machine).
"""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from datetime import date
from decimal import Decimal

import partydev_xlsx

from partydev.report import Column, Report, Table


def synthetic(rows: int) -> Report:
    """A summary table of *rows* units with every column type."""
    columns = [
        Column("unit_id", "text", "Mã đơn vị", "Unit id"),
        Column("unit_name", "text", "Tên đơn vị", "Unit"),
        Column("level", "code", "Cấp", "Level"),
        Column("depth", "integer", "Cấp độ", "Depth"),
        Column("target", "integer", "Chỉ tiêu", "Target"),
        Column("achieved", "integer", "Đã kết nạp", "Admitted"),
        Column("percent", "percent", "Tỷ lệ", "Achieved", places=1),
        Column("elapsed_percent", "percent", "Thời gian đã qua", "Elapsed", places=1),
        Column("as_of", "date", "Tính đến", "As of"),
    ]
    body = [
        (
            f"U{i:06d}",
            f"Chi bộ số {i} xã Đông Hưng",
            "cell",
            i % 4,
            100 + i % 50,
            i % 97,
            Decimal(i % 1000) / 10,
            Decimal("50.0"),
            date(2023, 6, 30),
        )
        for i in range(rows)
    ]
    table = Table("summary", "Tổng hợp", "Summary", columns, body)
    return Report("Báo cáo", "Report", [table], {"as_of": date(2023, 6, 30)})


def main() -> None:
    """Export the synthetic report in both modes and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    rows = parser.parse_args().rows
    report = synthetic(rows)
    for streaming in ("off", "on"):
        buffer = io.BytesIO()
        tracemalloc.start()
        started = time.perf_counter()
        partydev_xlsx.write(report, buffer, {"streaming": streaming})
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = len(buffer.getvalue())
        print(
            f"rows={rows} streaming={streaming}: peak {peak / 2**20:.1f} MiB, "
            f"file {size / 2**20:.2f} MiB ({size:,} bytes), {seconds:.1f} s (under tracemalloc)"
        )


if __name__ == "__main__":
    main()
