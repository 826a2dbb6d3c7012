"""What the demand pages draw, in the terms of the one chart module."""

from decimal import Decimal

from opb_portal import formatting
from opb_portal.charts import Bar, ReferenceLine, Series, bar_chart, line_chart, ranking_chart
from opb_portal.comparators.selectors import STATISTICAL_NEIGHBOURS
from opb_portal.reference.models import Unit

# A page's charts are drawn this wide: a full-width column of a laptop's screen, where
# 720 would be scaled up to text of 20 pixels (a phone has its own drawing).
PAGE_WIDTH = 900


def benchmark_chart(bench, *, width=PAGE_WIDTH):
    """
    Every authority with a figure as a bar, largest first, Sandwell highlighted (and its
    figure's date beside its name when it is not the year's); the neighbour average and
    England (and the region) as lines.
    """
    measure = bench.measure
    bars = [
        Bar(
            label=f"{row.name} ({row.other_date})" if row.other_date else row.name,
            value=row.value,
            text=row.text,
            highlight=row.kind == "home",
        )
        for row in bench.ranked
    ]
    references = [
        ReferenceLine(label=f"{_short(row.name)}: {row.text}", value=row.value)
        for row in bench.others
        if row.value is not None and row.kind in ("average", "england", "region")
    ]
    return ranking_chart(
        title=f"{measure.title}, {bench.when}: Sandwell and its statistical neighbours",
        bars=bars,
        reference_lines=references,
        x_label=bench.unit_label.capitalize(),
        width=width,
        fluid=True,
    )


def _short(name: str) -> str:
    return "Neighbour average" if name == STATISTICAL_NEIGHBOURS else name


def history_chart(history, *, width=PAGE_WIDTH, height=280):
    """Sandwell's figure over the years beside the neighbour average, the region and England.
    A year whose Sandwell figure is of another date has none here: a line puts it in its year."""
    years = history.years
    series = [
        Series(
            name="Sandwell",
            values=[None if b.home.other_date else b.home.value for b in years],
        ),
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
        y_unit="%" if years[-1].measure.unit == Unit.PERCENT else "",
        width=width,
        height=height,
        y_min=Decimal(0),
        fluid=True,
    )


def trend_chart(
    title: str, labels: list[str], series: list[Series], *, y_label="Children", fluid=False
):
    return line_chart(
        title=title,
        labels=labels,
        series=series,
        y_label=y_label,
        width=PAGE_WIDTH if fluid else 720,
        height=280,
        y_min=Decimal(0),
        fluid=fluid,
    )


def trends_chart(position, codes, *, title, y_label="Children", fluid=False):
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
        fluid=fluid,
    )


def foster_chart(position, *, fluid=False):
    return trend_chart(
        "Foster placements by month",
        [p.short for p in position.months],
        [
            Series(
                name=t.measure.title, values=[_number(t.figures.get(p)) for p in position.months]
            )
            for t in position.foster
        ],
        fluid=fluid,
    )


def placements_by_type_chart(position, *, fluid=False):
    """
    The latest figure of each placement type by the month. Types counted in different
    months are never silently mixed: each bar then names its month, and the title says so.
    """
    months = {f.value.label for f in position.placements}
    same = len(months) == 1
    when = (
        f"at {next(iter(months))}"
        if same
        else f"latest of each by {position.period.long} (months differ)"
    )

    def label(f):
        name = f.measure.title.removeprefix("Placed ").capitalize()
        return name if same else f"{name} ({f.value.label})"

    # Long names read across, largest first, each with its figure (a column chart slants them).
    return ranking_chart(
        title=f"Children in care by placement type, {when}",
        bars=[
            Bar(label=label(f), value=f.number, text=f.measure.format_value(f.number))
            for f in position.placements
        ],
        x_label="Children",
        width=PAGE_WIDTH,
        fluid=fluid,
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
            # A rate per 10,000 at its published place, grouped.
            ReferenceLine(
                label=f"{c.get_kind_display()}: {formatting.number(c.value, 1)} ({c.refers_to})",
                value=c.value,
            )
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


YEARS_BEFORE = 3


def looking_ahead_chart(position, *, fluid=False):
    """
    Children we care for as counted (monthly, or at 31 March where that is all there is),
    then the projection month by month, dashed, from the count it starts from.
    """
    ahead, history = position.ahead, position.history
    first = ahead.model.origin.shift(-12 * YEARS_BEFORE)
    last = ahead.months[-1].period
    months = [first.shift(k) for k in range(last.months_since(first) + 1)]
    origin = ahead.model.origin
    counted = [
        history.count("children_in_care", p) if p <= position.period else None for p in months
    ]
    # One line: the counts, then the projection from the month after the count it starts
    # from, drawn as a forecast (dashed, hollow, after a divider) by the chart module.
    values = [counted[i] if p <= origin else ahead.children.at(p) for i, p in enumerate(months)]
    # No zero floor: a change of a few dozen children in 800 must be visible.
    return line_chart(
        title=(
            f"Children we care for: counted to {origin.short}, then the projection to {last.short}"
        ),
        labels=[p.short for p in months],
        series=[
            Series(
                name="Children we care for",
                values=values,
                forecast_from=months.index(origin) + 1,
            ),
        ],
        y_label="Children",
        width=PAGE_WIDTH if fluid else 720,
        height=280,
        fluid=fluid,
    )
