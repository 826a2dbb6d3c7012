"""
The demand page of the board pack, built from the dashboard's own selector.

`register()` is meant for `DemandConfig.ready()`; it is not called there yet, so
installing the app does not change the pack's contents until the board pack's
tests have been updated for the new page.
"""

from opb_portal.boardpack.sections import HeadlineItem, Section
from opb_portal.boardpack.sections import register as register_section
from opb_portal.periods import Period

from . import charts, selectors

HEADLINE_CODES = ("children_in_care", "cp_plans", "referrals")


def build(period: Period) -> dict:
    position = selectors.demand_position(period)
    return {
        "period": period,
        "position": position,
        "trend_chart": charts.trends_chart(
            position,
            ("children_in_care", "cp_plans", "children_in_need", "care_experienced"),
            title="Children we care for, on a plan and in need, at 31 March",
        ),
        "foster_chart": charts.foster_chart(position),
    }


def headline(period: Period) -> list[HeadlineItem]:
    """Children we care for, on a plan and referred, with their rates; then residential."""
    position = selectors.demand_position(period)
    items = []
    for found in position.rates:
        if found.measure.code not in HEADLINE_CODES:
            continue
        rate = f" ({found.rate} per 10,000)" if found.rate is not None else ""
        items.append(
            HeadlineItem(
                found.measure.title,
                f"{found.measure.format_value(found.number)}{rate}",
                note=found.value.label,
                status=found.status.value if found.status else None,
            )
        )
    plan = position.plan
    if plan.children is not None and plan.plan_children is not None:
        items.append(
            HeadlineItem(
                "Children in residential placements",
                f"{plan.children} against a plan of {plan.plan_children}",
            )
        )
    return items


def register() -> None:
    register_section(
        Section(
            key="demand",
            title="Demand",
            order=400,
            template="demand/pack.html",
            build=build,
            headline=headline,
            headline_title="Demand",
        )
    )
