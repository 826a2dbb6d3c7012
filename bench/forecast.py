"""
Benchmark: how accurate the forecasts are, and how cheap, on series with known structure
and on every KPI and demand series of the demonstration.

    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/forecast.py

Three parts.

1. Synthetic series (pure Python, no database): five structures (a trend, a season over
   a trend, a level shift, pure noise, a random walk), five seeds each, 60 to 120 months.
   For each: the rolling-origin backtest `opb_portal.forecasting` runs (origins from month
   6, horizon 6), the method it chose, and
   - MASE: the chosen method's mean absolute error one month ahead over the last value's
     on the same origins, as `Accuracy.mase` reports it. The choice was made on these
     same errors, so this flatters a little;
   - honest MASE: the whole procedure replayed as it would have run: at each origin the
     method is chosen from the errors known then, and its forecast from that origin is
     scored. This is the figure to judge "never worse than the last value" by;
   - coverage: the share of backtested actuals (1 to 6 months ahead) inside the 80%
     interval made at their origin from the errors known then (goal 70-90%).
   Goal: MASE below 1 where there is structure, about 1 (the fallback) on a random walk.
2. The demonstration (`load_demo` into a throwaway PostgreSQL database, bench/_harness.py):
   every KPI's monthly figures in period order, every demand measure's monthly and
   yearly figures (a missing month is a gap, None); the same figures where a forecast
   can be made (6 figures or more; a yearly series is forecast 1 year ahead with no
   season).
3. Time: one forecast of a 36-month series 6 months ahead, and a full refresh of 15 KPIs
   (15 such forecasts), median of repeated runs, CPU and wall clock.

It reports figures and never asserts a time or an accuracy; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _harness  # noqa: E402

from opb_portal.forecasting import forecast  # noqa: E402
from opb_portal.forecasting.backtest import run_backtest  # noqa: E402

HORIZON = 6
MIN_HISTORY = 6
SEEDS = range(5)
KPIS_PER_REFRESH = 15


# --- series ----------------------------------------------------------------------------


def synthetic(kind: str, seed: int) -> list[float]:
    """One series of `kind`, 60 to 120 months, noise of standard deviation 2 (4 for noise)."""
    rng = random.Random(f"{kind}-{seed}")
    months = 60 + 15 * seed
    noise = [rng.gauss(0, 2) for _ in range(months)]
    season = [6 * rng.choice((-1, 1)) * ((m % 12) - 5.5) / 5.5 for m in range(12)]
    if kind == "trend":
        return [50 + 0.6 * m + noise[m] for m in range(months)]
    if kind == "season":
        return [50 + 0.2 * m + season[m % 12] + noise[m] for m in range(months)]
    if kind == "level shift":
        shift_at = rng.randrange(months // 3, 2 * months // 3)
        return [50 + (15 if m >= shift_at else 0) + noise[m] for m in range(months)]
    if kind == "noise":
        return [50 + 2 * noise[m] for m in range(months)]
    if kind == "random walk":
        level, values = 50.0, []
        for m in range(months):
            level += noise[m]
            values.append(level)
        return values
    raise ValueError(kind)


KINDS = ("trend", "season", "level shift", "noise", "random walk")


# --- judging one series ------------------------------------------------------------------


def honest_mase(values: list[float], *, horizon: int, season: int) -> float | None:
    """
    The procedure as it would have run: at each origin, the method chosen from the errors
    known then, scored on its forecast one month on; over the last value's on those origins.
    """
    backtest = run_backtest(values, horizon=horizon, season=season, min_history=MIN_HISTORY)
    baseline = backtest.tried["last_value"]
    ours = theirs = 0.0
    for origin in baseline.origins(1):
        method, _ = backtest.choose(known_at=origin)
        ours += abs(backtest.tried[method.name].error(origin, 1))
        theirs += abs(baseline.error(origin, 1))
    if theirs == 0:
        return None
    return ours / theirs


def judge(values: list[float | None], *, horizon: int = HORIZON, season: int = 12) -> dict | None:
    result = forecast(values, horizon=horizon, season=season, min_history=MIN_HISTORY)
    if result is None or result.accuracy.mase is None:
        return None
    figures = [float(v) for v in values if v is not None]
    return {
        "months": len(figures),
        "method": result.method,
        "fallback": result.accuracy.fallback,
        "mase": result.accuracy.mase,
        "honest_mase": honest_mase(figures, horizon=horizon, season=season),
        "coverage": result.accuracy.coverage,
    }


def summary(judged: list[dict]) -> dict:
    """Medians of MASE, the mean coverage, how often the fallback, the methods chosen."""

    def median(key):
        found = [j[key] for j in judged if j[key] is not None]
        return round(statistics.median(found), 3) if found else None

    coverages = [j["coverage"] for j in judged if j["coverage"] is not None]
    return {
        "series": len(judged),
        "months": f"{min(j['months'] for j in judged)}-{max(j['months'] for j in judged)}",
        "mase": median("mase"),
        "honest_mase": median("honest_mase"),
        "worst_honest_mase": round(max(j["honest_mase"] or 0 for j in judged), 3),
        "coverage": round(statistics.mean(coverages), 3) if coverages else None,
        "fallback_share": round(sum(j["fallback"] for j in judged) / len(judged), 2),
        "methods": dict(Counter(j["method"] for j in judged).most_common()),
    }


# --- the demonstration -------------------------------------------------------------------


def monthly(rows) -> list[float | None]:
    """(period, value) rows in period order as one month a place, None where one is missing."""
    if not rows:
        return []
    first = rows[0][0]
    series: list[float | None] = [None] * (rows[-1][0].months_since(first) + 1)
    for period, value in rows:
        series[period.months_since(first)] = float(value)
    return series


def demo_series() -> dict[str, list[tuple[str, list]]]:
    from demand.models import MeasureValue
    from kpis.models import KpiValue

    kpis: dict[str, list] = {}
    for value in KpiValue.objects.select_related("kpi__framework").order_by("kpi", "period"):
        name = f"{value.kpi.framework} {value.kpi.code}"
        kpis.setdefault(name, []).append((value.period, value.value))
    months: dict[str, list] = {}
    years: dict[str, list] = {}
    for value in MeasureValue.objects.select_related("measure").order_by(
        "measure", "span", "period"
    ):
        into = months if value.span == MeasureValue.Span.MONTH else years
        into.setdefault(value.measure.code, []).append((value.period, value.value))
    return {
        "demo KPIs": [(name, monthly(rows)) for name, rows in kpis.items()],
        "demo demand, months": [(name, monthly(rows)) for name, rows in months.items()],
        "demo demand, years": [(name, [float(v) for _, v in rows]) for name, rows in years.items()],
    }


def judge_demo(series: dict[str, list[tuple[str, list]]]) -> tuple[dict, dict]:
    """Figures per group, and how many series were too short to forecast."""
    groups, too_short = {}, {}
    for group, named in series.items():
        yearly = group.endswith("years")
        judged = []
        for _name, values in named:
            # A year has no season, and 6 years ahead is too far to mean anything.
            found = judge(values, horizon=1 if yearly else HORIZON, season=10**6 if yearly else 12)
            if found is not None:
                judged.append(found)
        too_short[group] = len(named) - len(judged)
        if judged:
            groups[group] = summary(judged)
    return groups, too_short


# --- time -------------------------------------------------------------------------------


def timing(runs: int) -> dict:
    series = [synthetic("season", seed)[:36] for seed in range(KPIS_PER_REFRESH)]
    wall, cpu, _ = _harness.timed(lambda: forecast(series[0], horizon=HORIZON), runs)
    refresh_wall, refresh_cpu, _ = _harness.timed(
        lambda: [forecast(s, horizon=HORIZON) for s in series], max(3, runs // 10)
    )
    return {
        "forecast_36_months_ms": round(statistics.median(wall) * 1000, 2),
        "forecast_36_months_cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "refresh_15_kpis_ms": round(statistics.median(refresh_wall) * 1000, 1),
        "refresh_15_kpis_cpu_ms": round(statistics.median(refresh_cpu) * 1000, 1),
    }


# --- output -----------------------------------------------------------------------------


def table(groups: dict[str, dict]) -> str:
    head = (
        f"{'series':<22} {'n':>3} {'length':>8} {'MASE':>6} {'honest':>7} {'worst':>6}"
        f" {'cover80':>8} {'fallback':>9}  methods chosen"
    )
    lines = [head, "-" * len(head)]
    for name, s in groups.items():
        methods = ", ".join(f"{m} {n}" for m, n in s["methods"].items())
        lines.append(
            f"{name:<22} {s['series']:>3} {s['months']:>8} {fmt(s['mase']):>6}"
            f" {fmt(s['honest_mase']):>7} {fmt(s['worst_honest_mase']):>6}"
            f" {fmt(s['coverage'], '.0%'):>8} {s['fallback_share']:>9.0%}  {methods}"
        )
    return "\n".join(lines)


def fmt(value, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="timed forecasts (200)")
    parser.add_argument(
        "--no-demo", action="store_true", help="synthetic series and time only (no database)"
    )
    runs = max(10, parser.parse_args().runs)
    args = parser.parse_args()

    groups = {kind: summary([judge(synthetic(kind, seed)) for seed in SEEDS]) for kind in KINDS}
    too_short: dict[str, int] = {}
    if not args.no_demo:
        _harness.setup_django()
        from opb_portal.core.demo import load_demo

        with _harness.throwaway_database():
            _harness.say("loading the demonstration")
            load_demo()
            demo, too_short = judge_demo(demo_series())
        groups.update(demo)
    times = timing(runs)

    print("Rolling-origin backtest, 1 month ahead (MASE against the last value; below 1 beats it)")
    print(table(groups))
    print("MASE: as Accuracy reports it (chosen on the same errors); honest: the method chosen")
    print("at each origin from the errors known then; worst: the highest honest MASE of a group;")
    print("cover80: share of actuals 1-6 months ahead inside the 80% interval made at the time.")
    for group, count in too_short.items():
        if count:
            print(
                f"{group}: {count} series with fewer than {MIN_HISTORY + 1} figures, not forecast"
            )
    print(
        f"Time: one forecast of 36 months, 6 ahead: {times['forecast_36_months_ms']} ms"
        f" ({times['forecast_36_months_cpu_ms']} ms CPU); a refresh of {KPIS_PER_REFRESH} KPIs:"
        f" {times['refresh_15_kpis_ms']} ms ({times['refresh_15_kpis_cpu_ms']} ms CPU)"
    )
    print(json.dumps({"groups": groups, "too_short": too_short, "time": times}))


if __name__ == "__main__":
    main()
