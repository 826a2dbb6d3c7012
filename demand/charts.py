"""What the demand pages draw, in the terms of the one chart module."""

from decimal import Decimal

from opb_portal.charts import ReferenceLine, Series, bar_chart, line_chart


def benchmark_chart(bench, *, width=900, height=320):
    """Sandwell and each neighbour as bars, highest first; the averages as dashed lines."""
    labels = [row.name for row in bench.ranked]
    home = [row.value if row.kind == "home" else None for row in bench.ranked]
    neighbours = [row.value if row.kind != "home" else None for row in bench.ranked]
    references = [
        ReferenceLine(label=f"{row.name} {row.value}", value=row.value)
        for row in bench.others
        if row.value is not None and row.kind != "published_average"
    ]
    # Stacked with one figure per column: every bar is full width, and Sandwell's
    # bar has its own colour and pattern (the second series), not colour alone.
    return bar_chart(
        title=f"{bench.measure.title}, {bench.year}: Sandwell and its statistical neighbours",
        labels=labels,
        series=[
            Series(name="Statistical neighbours", values=neighbours),
            Series(name="Sandwell", values=home),
        ],
        stacked=True,
        reference_lines=references,
        y_label=bench.unit_label,
        width=width,
        height=height,
    )


def history_chart(history, *, width=720, height=280):
    """Sandwell's figure over the years beside the neighbour average, the region and England."""
    years = history.years
    series = [
        Series(name="Sandwell", values=[b.home.value for b in years]),
        Series(name="Statistical neighbour average", values=[b.average.mean for b in years]),
    ]
    series += [
        Series(name=name, values=[history.value(b, name) for b in years])
        for name in history.comparators
    ]
    return line_chart(
        title=f"{years[-1].measure.title}: Sandwell and its comparators over time",
        labels=[str(b.year) for b in years],
        series=series,
        y_label=years[-1].unit_label,
        width=width,
        height=height,
        y_min=Decimal(0),
    )


def trend_chart(title: str, labels: list[str], series: list[Series], *, y_label="Children"):
    return line_chart(
        title=title,
        labels=labels,
        series=series,
        y_label=y_label,
        width=720,
        height=280,
        y_min=Decimal(0),
    )


def placements_chart(title: str, labels: list[str], series: list[Series]):
    return bar_chart(title=title, labels=labels, series=series, y_label="Children", width=720)


def trends_chart(position, codes, *, title, y_label="Children"):
    """Yearly figures at March (or to March) for the given measures, one line each."""
    trends = [t for t in position.trends if t.measure.code in codes]
    return trend_chart(
        title,
        [str(p.year) for p in position.year_ends],
        [
            Series(
                name=t.measure.title, values=[_number(t.figures.get(p)) for p in position.year_ends]
            )
            for t in trends
        ],
        y_label=y_label,
    )


def foster_chart(position):
    return trend_chart(
        "Foster placements by month",
        [p.short for p in position.months],
        [
            Series(
                name=t.measure.title, values=[_number(t.figures.get(p)) for p in position.months]
            )
            for t in position.foster
        ],
    )


def placements_by_type_chart(position):
    return placements_chart(
        f"Children in care by placement type, latest by {position.period.long}",
        [f.measure.title.removeprefix("Placed ").capitalize() for f in position.placements],
        [Series(name="Children", values=[f.number for f in position.placements])],
    )


def _number(found):
    return None if found is None else found.number


def rate_chart(trend, year_ends, comparators, *, width=680, height=210):
    """
    A measure's rate per 10,000 at each year end that has one (worked out from the child
    population, or as published), with its comparators as dashed lines.
    """
    rates = [(p, _rate(trend.figures.get(p))) for p in year_ends]
    rates = [(p, rate) for p, rate in rates if rate is not None]
    return bar_chart(
        title=f"{trend.measure.title}: rate per 10,000 children, Sandwell and its comparators",
        labels=[str(p.year) for p, _ in rates],
        series=[Series(name="Sandwell", values=[rate for _, rate in rates])],
        reference_lines=[
            ReferenceLine(label=f"{c.get_kind_display()} {c.value} ({c.refers_to})", value=c.value)
            for c in comparators
        ],
        y_label="Rate per 10,000",
        width=width,
        height=height,
    )


def _rate(found):
    if found is None:
        return None
    return found.rate if found.rate is not None else found.value.published_rate
