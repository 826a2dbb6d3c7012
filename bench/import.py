"""
Benchmark: checking an uploaded workbook, against pandas merely reading it.

    .venv/bin/python bench/import.py [--runs 3] [--profile]

Builds, in a temporary directory, the two big shapes a return arrives in:

1. "wide": 60 measures (PI1..PI60) as rows, 120 months as date-cell columns
   (a ten-year tracker), title rows above the header on row 4, a quarter of the
   measures typed as fractions in cells formatted 0.0%, one figure in twenty blank;
2. "long": 50,000 rows of KPI, Period, Value, Numerator, Denominator, Commentary
   (periods alternately as 2025-03 text and date cells, a comment on one row in ten).

For each it times our whole check, `read_returns` (intake, zip and sheet checks,
parsing, layout detection) plus `to_decimal` on every numeric field of every record,
against `pandas.read_excel(path, engine="openpyxl")`, which only reads the cells into a
DataFrame. Median of --runs runs each. The goal: our check is no slower than pandas
reading alone (ratio <= 1). It also times refusing two hostile files (a 200 MB zip
bomb, and reading a sheet that claims A1:XFD1048576) and measures the peak memory
of the check with tracemalloc.

pandas is a benchmark-only dependency (requirements-dev.txt); without it the script
still times our check and prints null ratios. It reports figures, never asserts a
time; the last line of the output is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import io
import json
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEASURES = 60
MONTHS = 120
LONG_ROWS = 50_000
LAST_MONTH = (2025, 3)


def say(message: str) -> None:
    print(f"bench/import: {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (3)")
    parser.add_argument(
        "--profile", action="store_true", help="profile our check of the long file, print hotspots"
    )
    return parser.parse_args()


# --- the files -----------------------------------------------------------------------


def month_starts(count: int) -> list[datetime.datetime]:
    year, month = LAST_MONTH
    index = year * 12 + month - 1
    return [
        datetime.datetime((index - back) // 12, (index - back) % 12 + 1, 1)
        for back in range(count - 1, -1, -1)
    ]


def spec():
    from opb_portal.spreadsheets import LayoutSpec

    codes = [f"PI{number}" for number in range(1, MEASURES + 1)]
    return LayoutSpec(
        domain="kpis",
        template_sheet="KPI return",
        measure_headers=("kpi", "code", "measure", "kpi code"),
        fields={
            "value": ("value",),
            "numerator": ("numerator",),
            "denominator": ("denominator",),
            "commentary": ("commentary", "comment", "comments"),
        },
        measure_labels={code.lower(): code for code in codes}
        | {f"measure number {code[2:]}": code for code in codes},
        other_domains={"finance": ("forecast outturn", "budget")},
        measure_noun="KPI",
    )


def percent_codes() -> frozenset[str]:
    return frozenset(f"PI{number}" for number in range(1, MEASURES + 1, 4))


def write_wide(path: Path) -> int:
    import openpyxl

    chance = random.Random(1)
    months = month_starts(MONTHS)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "KPI history"
    sheet.append(["Sandwell Children's Trust: KPI history"])
    sheet.append(["Ten years of monthly figures"])
    sheet.append([])
    sheet.append(["Code", "Title", *months])
    for column in range(3, MONTHS + 3):
        sheet.cell(row=4, column=column).number_format = "mmm-yy"
    percents = percent_codes()
    figures = 0
    for number in range(1, MEASURES + 1):
        code = f"PI{number}"
        row = [code, f"Measure number {number}"]
        for _month in months:
            if chance.random() < 0.05:
                row.append(None)
            elif code in percents:
                row.append(round(chance.uniform(0.5, 1.0), 3))
            else:
                row.append(round(chance.uniform(0, 500), 1))
            figures += row[-1] is not None
        sheet.append(row)
        if code in percents:
            for column in range(3, MONTHS + 3):
                sheet.cell(row=sheet.max_row, column=column).number_format = "0.0%"
    workbook.save(path)
    return figures


def write_long(path: Path) -> int:
    import openpyxl

    chance = random.Random(2)
    months = month_starts(LONG_ROWS // MEASURES + 1)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "KPI data"
    sheet.append(["KPI figures, long format"])
    sheet.append([])
    sheet.append(["KPI", "Period", "Value", "Numerator", "Denominator", "Commentary"])
    for index in range(LONG_ROWS):
        month = months[index // MEASURES]
        period = month if index % 2 else f"{month.year}-{month.month:02d}"
        denominator = chance.randint(50, 600)
        numerator = chance.randint(0, denominator)
        sheet.append(
            [
                f"PI{index % MEASURES + 1}",
                period,
                round(100 * numerator / denominator, 1),
                numerator,
                denominator,
                "Within the expected range" if index % 10 == 0 else None,
            ]
        )
    workbook.save(path)
    return LONG_ROWS


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    return buffer.getvalue()


def enormous_dimension() -> bytes:
    """A small long table whose sheet claims to span A1:XFD1048576."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["KPI", "Period", "Value"])
    for number in range(1, MEASURES + 1):
        sheet.append([f"PI{number}", "2025-03", number])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<dimension ref="A1:C61"', b'<dimension ref="A1:XFD1048576"'
                )
            target.writestr(info, content)
    return out.getvalue()


# --- the two things timed ------------------------------------------------------------


def our_check(data: bytes, filename: str, layout_spec, percents: frozenset[str]) -> dict:
    """Everything the upload does before the domain's own rules: read, then every figure."""
    from opb_portal.spreadsheets import Problem, read_returns, to_decimal

    reading = read_returns(data, filename=filename, spec=layout_spec)
    figures = problems = 0
    text_fields = layout_spec.text_fields
    for record in reading.records:
        percent = record.code in percents
        for name, cell in record.fields.items():
            if name in text_fields:
                continue
            found = to_decimal(cell, percent=percent, file=filename, field=name)
            if isinstance(found, Problem):
                problems += 1
            elif found is not None:
                figures += 1
    return {
        "layout": reading.layout,
        "records": len(reading.records),
        "figures": figures,
        "problems": len(reading.problems) + problems,
    }


def pandas_read(path: Path):
    import pandas

    return pandas.read_excel(path, engine="openpyxl")


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def peak_mb(function) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / (1024 * 1024), 1)


def refusal_seconds(data: bytes, layout_spec) -> tuple[float, str]:
    from opb_portal.spreadsheets import SpreadsheetRejected, read_returns

    started = time.perf_counter()
    try:
        reading = read_returns(data, filename="hostile.xlsx", spec=layout_spec)
        outcome = f"read: {len(reading.records)} records"
    except SpreadsheetRejected as rejection:
        outcome = "refused: " + rejection.problem.message[:70] + "..."
    return time.perf_counter() - started, outcome


def main() -> int:
    options = parse_args()
    sys.path.insert(0, str(REPO))
    try:
        import pandas
    except ImportError:
        pandas = None
        say("pandas is not installed (requirements-dev.txt): timing our check only")
    layout_spec = spec()
    percents = percent_codes()

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="opb-bench-import-") as folder:
        files = {"wide": Path(folder) / "wide.xlsx", "long": Path(folder) / "long.xlsx"}
        say("writing a wide workbook of 60 measures x 120 months")
        expected = {"wide": write_wide(files["wide"])}
        say("writing a long workbook of 50,000 rows")
        expected["long"] = write_long(files["long"])

        for case, path in files.items():
            data = path.read_bytes()
            say(f"timing {case} ({len(data) / 1024:.0f} KB), {options.runs} runs each")
            ours, found = timed(
                lambda data=data, path=path: our_check(data, path.name, layout_spec, percents),
                options.runs,
            )
            theirs = shape = None
            if pandas is not None:
                theirs, frame = timed(lambda path=path: pandas_read(path), options.runs)
                shape = list(frame.shape)
            results[case] = {
                "bytes": len(data),
                "ours_s": round(ours, 3),
                "pandas_s": round(theirs, 3) if theirs is not None else None,
                "ratio": round(ours / theirs, 3) if theirs else None,
                "records": found["records"],
                "figures": found["figures"],
                "expected_figures": expected[case] if case == "wide" else None,
                "problems": found["problems"],
                "layout": found["layout"],
                "pandas_shape": shape,
                "ours_peak_mb": peak_mb(
                    lambda data=data, path=path: our_check(data, path.name, layout_spec, percents)
                ),
                "pandas_peak_mb": peak_mb(lambda path=path: pandas_read(path)) if pandas else None,
            }

        hotspots = ""
        if options.profile:
            data = files["long"].read_bytes()
            profiler = cProfile.Profile()
            profiler.runcall(our_check, data, "long.xlsx", layout_spec, percents)
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(15)
            hotspots = stream.getvalue()

    say("timing refusals of hostile files")
    bomb_s, bomb_outcome = refusal_seconds(zip_bomb(), layout_spec)
    dimension_s, dimension_outcome = refusal_seconds(enormous_dimension(), layout_spec)
    maxrss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    print("Checking an upload (read_returns + to_decimal on every figure) vs pandas.read_excel")
    print(f"median of {options.runs} runs; peak = tracemalloc peak during one run")
    print()
    header = f"{'case':<6} {'KB':>6} {'records':>8} {'ours s':>8} {'pandas s':>9} {'ratio':>6}"
    header += f" {'ours MB':>8} {'pandas MB':>10}"
    print(header)
    for case, figures in results.items():
        print(
            f"{case:<6} {figures['bytes'] / 1024:>6.0f} {figures['records']:>8}"
            f" {figures['ours_s']:>8.3f} {_show(figures['pandas_s'], 9)}"
            f" {_show(figures['ratio'], 6)}"
            f" {figures['ours_peak_mb']:>8.1f} {_show(figures['pandas_peak_mb'], 10)}"
        )
    print()
    print(f"zip bomb (200 MB of zeros):         {bomb_s:.3f} s, {bomb_outcome}")
    print(f"sheet claiming A1:XFD1048576:       {dimension_s:.3f} s, {dimension_outcome}")
    print(f"process peak RSS:                   {maxrss_mb} MB")
    ratios = [figures["ratio"] for figures in results.values() if figures["ratio"] is not None]
    worst = max(ratios) if ratios else None
    if worst is not None:
        verdict = "met" if worst <= 1 else "NOT met"
        print(f"goal (our check no slower than pandas reading): {verdict}, worst ratio {worst}")
    if hotspots:
        print()
        print(hotspots)

    summary = {
        "runs": options.runs,
        "wide": results["wide"],
        "long": results["long"],
        "ratio": worst,
        "goal_met": worst is not None and worst <= 1,
        "zip_bomb_refused_s": round(bomb_s, 3),
        "enormous_dimension_s": round(dimension_s, 3),
        "maxrss_mb": maxrss_mb,
    }
    print(json.dumps(summary))
    return 0


def _show(value, width: int) -> str:
    if value is None:
        return f"{'-':>{width}}"
    return f"{value:>{width}.3f}" if isinstance(value, float) else f"{value:>{width}}"


if __name__ == "__main__":
    sys.exit(main())
