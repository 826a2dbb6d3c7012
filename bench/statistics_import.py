"""
Benchmark: previewing a published statistics file (EES CSV), against pandas reading it.

    .venv/bin/python bench/statistics_import.py [--runs 3]

Builds two explore-education-statistics CSVs in the published format (tests/comparators/
ees.py): England, the 9 regions and 153 authorities, 10 years, and one row per value of a
filter column with three indicators. The ~4 MB file has 20 filter values, the ~20 MB one
100: the same 3 mappings select the same 4,890 figures from each, so what grows is only
what is read and dropped. For each it times `statistics_import_preview` (read, check,
compare with the stored figures, summarise; on a throwaway PostgreSQL database made by
bench/_harness.py) and `pandas.read_csv` on the same bytes, the yardstick, and measures
each one's peak memory with tracemalloc in a run of its own (the file's bytes, held
before, not counted). Then it times the import of the 4 MB file (writing its 4,890
figures, 163 new authorities and the history).

Goal: a 4 MB file previewed in seconds, and a peak memory that does not grow with the file
(the 20 MB file's peak about the 4 MB file's). pandas is a benchmark-only dependency
(requirements-bench.txt): without it the yardstick is skipped and its figures are null. It
asserts nothing about time; the last line of the output is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness  # noqa: E402

YEARS = [str(year) for year in range(2015, 2025)]
SIZES = {"4MB": 20, "20MB": 100}
INDICATORS = ("number", "percentage")
CHOSEN = ("Category 1", "Category 2", "Category 3")


def places():
    from tests.comparators import ees

    regions = [ees.Place(ees.REGIONAL, f"Region {n}", f"E120000{n:02d}") for n in range(1, 10)]
    # Codes no real authority has (E99..., LA codes 600 to 752): the reference data the
    # portal ships (Northumberland's old and new codes, E06000048 and E06000057) would
    # otherwise make two of these one authority, and the file would be refused.
    authorities = [
        ees.la(f"E99{n:06d}", f"Authority {n}", f"{600 + n}", regions[n % 9]) for n in range(153)
    ]
    return [ees.ENGLAND, *regions, *authorities]


def build(filter_values: int) -> bytes:
    from tests.comparators import ees

    values = [f"Category {n}" for n in range(1, filter_values + 1)]

    def rate(place, period, chosen):
        n = zlib.crc32(f"{place.code}{period}{chosen['category']}".encode()) % 20000
        # One figure in seven as pandas leaves a double, with its float noise.
        return ees.noisy(n / 10) if n % 7 == 0 else f"{n / 10:.1f}"

    def number(place, period, chosen):
        return "c" if place.code.endswith("7") else str(len(place.name) * 10)

    return ees.grid(
        places=places(),
        periods=YEARS,
        value=rate,
        indicator="rate_per_10000",
        filters={"category": values},
        extra_indicators={"number": number, "percentage": lambda *_: "12.5"},
    )


def mappings() -> None:
    from tests.comparators import ees

    for n, value in enumerate(CHOSEN, start=1):
        ees.measure(
            code=f"bench_measure_{n}",
            file_pattern="bench_*.csv",
            filters={"category": value},
        )


def peak_of(function) -> tuple[float, int, object]:
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per file (3)")
    runs = max(1, parser.parse_args().runs)
    _harness.setup_django()
    try:
        import pandas
    except ImportError:
        pandas = None
        _harness.say("pandas is not installed (requirements-bench.txt): no yardstick")
    from opb_portal.accounts.models import Role, User
    from opb_portal.comparators.statistics.services import (
        statistics_import_apply,
        statistics_import_preview,
    )

    figures: dict[str, dict] = {}
    files: dict[str, tuple] = {}
    with _harness.throwaway_database():
        mappings()
        admin = User.objects.create(username="bench-admin", role=Role.ADMINISTRATOR)
        for name, filter_values in SIZES.items():
            data = build(filter_values)
            rows = data.count(b"\n") - 1
            filename = f"bench_{name}.csv"
            _harness.say(f"{name}: {len(data) / 1e6:.1f} MB, {rows:,} rows")
            ours, theirs = [], []
            for _ in range(runs):
                # Timed without tracemalloc, which slows Python (not pandas' C) several times.
                started = time.perf_counter()
                plan = statistics_import_preview(data=data, filename=filename, user=admin)
                ours.append(time.perf_counter() - started)
                assert plan.ok, plan.problems[:3]
                if pandas is not None:
                    started = time.perf_counter()
                    pandas.read_csv(io.BytesIO(data))
                    theirs.append(time.perf_counter() - started)
            _, ours_peak, _ = peak_of(
                lambda data=data, filename=filename: statistics_import_preview(
                    data=data, filename=filename, user=admin
                )
            )
            theirs_peak = 0
            if pandas is not None:
                _, theirs_peak, _ = peak_of(lambda data=data: pandas.read_csv(io.BytesIO(data)))
            ours_s = statistics.median(ours)
            theirs_s = statistics.median(theirs) if theirs else None
            files[name] = (data, filename, plan)
            figures[name] = {
                "bytes": len(data),
                "rows": rows,
                "figures_selected": plan.added + plan.changed + plan.unchanged,
                "preview_seconds": round(ours_s, 3),
                "preview_rows_per_second": round(rows / ours_s),
                "preview_peak_mb": round(ours_peak / 1e6, 1),
                "pandas_seconds": round(theirs_s, 3) if theirs_s else None,
                "pandas_rows_per_second": round(rows / theirs_s) if theirs_s else None,
                "pandas_peak_mb": round(theirs_peak / 1e6, 1) if theirs_peak else None,
                "time_ratio": round(ours_s / theirs_s, 2) if theirs_s else None,
                "memory_ratio": round(ours_peak / theirs_peak, 2) if theirs_peak else None,
            }
        # Both previewed against an empty store; then the 4 MB file is imported.
        data, filename, plan = files["4MB"]
        started = time.perf_counter()
        record = statistics_import_apply(
            data=data, filename=filename, user=admin, fingerprint=plan.fingerprint
        )
        figures["4MB"]["import_seconds"] = round(time.perf_counter() - started, 3)
        figures["4MB"]["import_added"] = record.added
    print(f"{'file':<6} {'rows':>9} {'preview s':>10} {'rows/s':>9} {'peak MB':>8} "
          f"{'pandas s':>9} {'peak MB':>8} {'time x':>7} {'mem x':>6}")  # fmt: skip
    for name, f in figures.items():
        print(
            f"{name:<6} {f['rows']:>9,} {f['preview_seconds']:>10} "
            f"{f['preview_rows_per_second']:>9,} {f['preview_peak_mb']:>8} "
            f"{f['pandas_seconds'] if f['pandas_seconds'] is not None else '-':>9} "
            f"{f['pandas_peak_mb'] if f['pandas_peak_mb'] is not None else '-':>8} "
            f"{f['time_ratio'] if f['time_ratio'] is not None else '-':>7} "
            f"{f['memory_ratio'] if f['memory_ratio'] is not None else '-':>6}"
        )
    if "import_seconds" in figures.get("4MB", {}):
        f = figures["4MB"]
        print(f"Import of the 4 MB file: {f['import_added']:,} figures in {f['import_seconds']} s")
    grows = figures["20MB"]["preview_peak_mb"] / max(figures["4MB"]["preview_peak_mb"], 0.1)
    print(f"Peak memory, 20 MB file / 4 MB file: {grows:.2f}")
    print(
        json.dumps({"bench": "statistics_import", "files": figures, "peak_growth": round(grows, 2)})
    )


if __name__ == "__main__":
    main()
