"""
A KPI's own comparators join the one comparator store, under the KPI's code.

Each `kpis.Comparator` becomes the store's figure that says the same thing:

- England: the figure of the authority of kind England (made "England" if there is none);
- West Midlands: the figure of the region "West Midlands" (made if there is none);
- statistical neighbours: the published average of the neighbour group in force at
  March of the year (if no group covers that March, a group covering only it is made,
  with no members: the average is kept as published, and no neighbour's figure is
  invented).

`refers_to` gives the year and how it was worded: "March 2024" (or "2024", "31 March
2024") is 2024 at March; "2023-24" is 2024, the financial year to then. A figure the
store already holds with the same value is not written twice (it is the same figure).

No figure is lost: a `refers_to` that names no year, or a store figure with another
value for the same authority or group, code and year, stops the migration with a
message naming each, to be corrected in the KPI's admin page before upgrading.
Undone, the figures stay in the store (the KPI comparators table comes back empty).
"""

import datetime
import re

from django.db import migrations

ENGLAND, WEST_MIDLANDS = "England", "West Midlands"
MEMBERS_NOT_RECORDED = "Statistical neighbours {year} (published with the KPIs; members not recorded)"
_MARCH = re.compile(r"(?:(?:31\s+)?march\s+)?(\d{4})", re.IGNORECASE)
_FINANCIAL_YEAR = re.compile(r"(\d{4})\s*[-/]\s*(\d{2}|\d{4})")


def year_of(refers_to: str) -> tuple[int, str] | None:
    """(2024, "at_march") for "March 2024"; (2024, "financial_year") for "2023-24"."""
    text = " ".join(refers_to.split())
    found = _MARCH.fullmatch(text)
    if found:
        return int(found[1]), "at_march"
    found = _FINANCIAL_YEAR.fullmatch(text)
    if found:
        start, end = int(found[1]), int(found[2])
        if end % 100 == (start + 1) % 100 and (end < 100 or end == start + 1):
            return start + 1, "financial_year"
    return None


def fold(apps, schema_editor):
    db = schema_editor.connection.alias
    Comparator = apps.get_model("kpis", "Comparator")
    Authority = apps.get_model("comparators", "Authority")
    NeighbourGroup = apps.get_model("comparators", "NeighbourGroup")
    ComparatorValue = apps.get_model("comparators", "ComparatorValue")
    PublishedAverage = apps.get_model("comparators", "PublishedAverage")

    def authority(kind):
        if kind == "england":
            found = Authority.objects.using(db).filter(kind="england").order_by("pk").first()
            return found or Authority.objects.using(db).create(name=ENGLAND, kind="england")
        found = Authority.objects.using(db).filter(name__iexact=WEST_MIDLANDS).first()
        return found or Authority.objects.using(db).create(name=WEST_MIDLANDS, kind="region")

    def group(year):
        march = datetime.date(year, 3, 31)
        for found in NeighbourGroup.objects.using(db).order_by("effective_from", "pk"):
            if (found.effective_from is None or found.effective_from <= march) and (
                found.effective_to is None or march <= found.effective_to
            ):
                return found
        return NeighbourGroup.objects.using(db).create(
            name=MEMBERS_NOT_RECORDED.format(year=year),
            effective_from=datetime.date(year, 3, 1),
            effective_to=march,
            source="KPI comparators",
        )

    refused = []
    for comparator in Comparator.objects.using(db).select_related("kpi__framework"):
        name = (
            f"{comparator.kpi.code} ({comparator.kpi.framework.code}) {comparator.kind} "
            f"{comparator.value} ({comparator.refers_to!r})"
        )
        found = year_of(comparator.refers_to)
        if found is None:
            refused.append(f"{name}: no year such as 'March 2024' or '2023-24'")
            continue
        year, basis = found
        fields = {"value": comparator.value, "source": comparator.source, "year_basis": basis}
        if comparator.kind == "statistical_neighbour":
            store = PublishedAverage.objects.using(db)
            key = {"code": comparator.kpi.code, "group": group(year), "year": year}
        else:
            store = ComparatorValue.objects.using(db)
            key = {"code": comparator.kpi.code, "authority": authority(comparator.kind), "year": year}
        stored = store.filter(**key).first()
        if stored is None:
            store.create(**key, **fields)
        elif stored.value != comparator.value:
            refused.append(f"{name}: the store already holds {stored.value} for it")
    if refused:
        raise RuntimeError(
            "These KPI comparators cannot join the comparator store without losing a figure; "
            "correct them in the KPI's admin page, then migrate again: " + "; ".join(refused)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0005_childpopulation_to_reference"),
        ("comparators", "0002_year_basis"),
    ]

    operations = [
        migrations.RunPython(fold, migrations.RunPython.noop),
    ]
