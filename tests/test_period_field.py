"""
`PeriodField`: a reporting month kept as its first day in a date column, a `Period` in code.

These run on PostgreSQL with the suite and on SQLite with the demo walk (`make walk-sqlite`):
the column is each database's own date type, so both must read and write it the same way.
"""

import datetime

import pytest
from django.contrib import admin
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import connection
from django.db.models import Max
from django.forms import modelform_factory

from opb_portal.accounts.models import Role
from opb_portal.core.admin_site import PeriodListFilter
from opb_portal.core.forms import MonthInput
from opb_portal.core.reporting import latest_period
from opb_portal.periods import Period
from opb_portal.submissions.models import LockedPeriod
from workforce.models import Service

from .factories import KpiValueFactory, UserFactory

JANUARY, FEBRUARY, MARCH, APRIL = (Period(2025, month) for month in (1, 2, 3, 4))


def service(first_month, last_month=None, code="AI") -> Service:
    return Service(code=code, name=code, first_month=first_month, last_month=last_month)


# --- assignment -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        pytest.param(MARCH, id="a-period"),
        pytest.param(datetime.date(2025, 3, 1), id="the-first-of-the-month"),
        pytest.param(datetime.datetime(2025, 3, 1), id="midnight-on-the-first"),
        pytest.param("2025-03", id="a-month-written-as-the-api-writes-it"),
        pytest.param("2025-03-01", id="the-first-written-as-a-fixture-writes-it"),
        pytest.param(" 2025-03 ", id="with-spaces-around"),
    ],
)
def test_it_takes_a_month_on_assignment_and_gives_a_period(given):
    found = service(given)
    assert found.first_month == MARCH
    assert type(found.first_month) is Period


@pytest.mark.parametrize(
    ("given", "message"),
    [
        pytest.param(
            datetime.date(2025, 3, 15),
            r"2025-03-15 is not the first of a month: a reporting month is stored as its first "
            r"day \(2025-03-01\)",
            id="the-15th-is-not-read-as-its-month",
        ),
        pytest.param(datetime.date(2025, 3, 31), "2025-03-31 is not the first", id="a-month-end"),
        pytest.param("2025-03-15", "2025-03-15 is not the first", id="the-15th-written-out"),
        pytest.param(
            datetime.datetime(2025, 3, 1, 12), "is not a reporting month", id="noon-on-the-first"
        ),
        pytest.param("March 2025", "is not a reporting month", id="words-are-read-by-forms"),
        pytest.param("2025-13", "is not a reporting month", id="a-13th-month"),
        pytest.param("2025-02-30", "is not a reporting month", id="a-day-that-does-not-exist"),
        pytest.param(202503, "is not a reporting month", id="a-number"),
    ],
)
def test_it_refuses_anything_but_a_month_on_assignment(given, message):
    with pytest.raises(ValidationError, match=message):
        service(given)


def test_an_empty_month_stays_empty_where_the_field_allows_it():
    assert service(MARCH, last_month=None).last_month is None


# --- the database ---------------------------------------------------------------------------


@pytest.fixture
def services(db) -> None:
    """Four services starting January to April 2025; the first stopped in February."""
    service(JANUARY, FEBRUARY, code="S1").save()
    for code, month in (("S2", FEBRUARY), ("S3", MARCH), ("S4", APRIL)):
        service(month, code=code).save()


def test_it_is_stored_as_the_first_day_and_read_back_as_a_period(services):
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_month FROM workforce_service WHERE code = %s", ["S3"])
        (stored,) = cursor.fetchone()
    # PostgreSQL gives a date, SQLite the text it keeps.
    assert str(stored) == "2025-03-01"
    assert Service.objects.get(code="S3").first_month == MARCH


@pytest.mark.parametrize(
    ("lookup", "codes"),
    [
        pytest.param({"first_month": MARCH}, ["S3"], id="a-period"),
        pytest.param({"first_month": datetime.date(2025, 3, 1)}, ["S3"], id="a-first-day"),
        pytest.param({"first_month": "2025-03"}, ["S3"], id="text-as-the-admin-sends-it"),
        pytest.param({"first_month__gte": MARCH}, ["S3", "S4"], id="from-a-month"),
        pytest.param({"first_month__lt": MARCH}, ["S1", "S2"], id="before-a-month"),
        pytest.param({"first_month__in": [JANUARY, APRIL]}, ["S1", "S4"], id="in-a-list"),
        pytest.param({"first_month__range": (FEBRUARY, MARCH)}, ["S2", "S3"], id="a-range"),
        pytest.param(
            {"first_month__year": 2025, "first_month__month": 2}, ["S2"], id="a-dates-parts"
        ),
        pytest.param({"last_month": FEBRUARY}, ["S1"], id="a-nullable-month"),
        pytest.param({"last_month__isnull": True}, ["S2", "S3", "S4"], id="no-month"),
    ],
)
def test_it_filters_by_month(services, lookup, codes):
    assert list(Service.objects.filter(**lookup).values_list("code", flat=True)) == codes


def test_a_filter_on_a_day_other_than_the_first_is_refused(services):
    with pytest.raises(ValidationError, match="2025-03-15 is not the first of a month"):
        Service.objects.filter(first_month__gte=datetime.date(2025, 3, 15))


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        pytest.param(
            lambda rows: list(rows.values_list("first_month", flat=True)),
            [JANUARY, FEBRUARY, MARCH, APRIL],
            id="values-list",
        ),
        pytest.param(
            lambda rows: [row["last_month"] for row in rows.values("last_month")],
            [FEBRUARY, None, None, None],
            id="values",
        ),
        pytest.param(
            lambda rows: rows.aggregate(latest=Max("first_month"))["latest"], APRIL, id="max"
        ),
        pytest.param(lambda rows: latest_period(rows, "first_month"), APRIL, id="latest-period"),
        pytest.param(
            # The parts of a compound query may not be ordered (SQLite refuses).
            lambda rows: list(
                rows.order_by()
                .filter(code="S1")
                .values_list("last_month", flat=True)
                .union(rows.order_by().filter(code="S4").values_list("first_month", flat=True))
                .order_by("-last_month")
            ),
            [APRIL, FEBRUARY],
            id="a-union",
        ),
    ],
)
def test_what_the_database_gives_back_is_a_period(services, read, expected):
    found = read(Service.objects.order_by("code"))
    assert found == expected
    months = found if isinstance(found, list) else [found]
    assert all(type(month) is Period for month in months if month is not None)


def test_the_latest_month_of_an_empty_table_is_none(db):
    assert latest_period(Service.objects, "first_month") is None


def test_an_update_takes_a_period(services):
    Service.objects.filter(code="S1").update(last_month=MARCH)
    assert Service.objects.get(code="S1").last_month == MARCH


def test_a_unique_month_is_checked_as_a_period(db):
    admin_user = UserFactory(role=Role.ADMINISTRATOR)
    LockedPeriod.objects.create(period=MARCH, locked_by=admin_user)
    with pytest.raises(ValidationError, match="with this Period already exists"):
        LockedPeriod(period=datetime.date(2025, 3, 1), locked_by=admin_user).full_clean()


# --- fixtures -------------------------------------------------------------------------------


def test_a_dump_writes_the_first_day_and_loads_back_as_a_period(services):
    dumped = serializers.serialize("json", Service.objects.filter(code="S1"))
    assert '"first_month": "2025-01-01"' in dumped
    assert '"last_month": "2025-02-01"' in dumped
    (loaded,) = serializers.deserialize("json", dumped)
    assert (loaded.object.first_month, loaded.object.last_month) == (JANUARY, FEBRUARY)


def test_a_fixture_with_a_day_other_than_the_first_is_refused(db):
    fixture = (
        '[{"model": "workforce.service", "pk": 1, "fields": '
        '{"code": "AI", "name": "AI", "order": 0, "first_month": "2025-03-15"}}]'
    )
    with pytest.raises(DeserializationError, match="2025-03-15 is not the first of a month"):
        list(serializers.deserialize("json", fixture))


# --- forms and the admin --------------------------------------------------------------------

ServiceForm = modelform_factory(Service, fields=["code", "name", "first_month", "last_month"])


def typed(first_month: str) -> dict[str, str]:
    return {"code": "AI", "name": "AI", "first_month": first_month, "last_month": ""}


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        pytest.param("2025-03", MARCH, id="as-a-month-picker-sends-it"),
        pytest.param("Mar-25", MARCH, id="as-a-table-writes-it"),
        pytest.param("March 2025", MARCH, id="as-a-heading-writes-it"),
    ],
)
def test_a_model_form_reads_a_month_as_people_write_it(db, written, cleaned):
    form = ServiceForm(data=typed(written))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["first_month"], form.cleaned_data["last_month"]) == (cleaned, None)
    assert form.instance.first_month == cleaned


def test_a_model_form_says_why_a_month_is_not_one(db):
    form = ServiceForm(data=typed("Smarch 2025"))
    assert form.errors["first_month"] == [
        "'Smarch 2025' is not a month: write it as 2025-03, Mar-25 or March 2025"
    ]


def test_a_model_form_shows_a_month_picker_holding_the_month():
    form = ServiceForm(instance=service(MARCH))
    assert 'type="month"' in str(form["first_month"])
    assert 'value="2025-03"' in str(form["first_month"])
    assert ServiceForm(data=typed("Mar-25"), instance=service(MARCH)).changed_data == []


def test_the_admin_offers_a_month_not_a_calendar_of_days():
    field = Service._meta.get_field("first_month")
    form_field = admin.site._registry[Service].formfield_for_dbfield(field, request=None)
    assert isinstance(form_field.widget, MonthInput)


def test_the_admin_filters_a_table_by_the_months_it_holds(client, db):
    KpiValueFactory(period=FEBRUARY)
    KpiValueFactory(period=MARCH)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    response = client.get("/admin/kpis/kpivalue/", {"period__exact": "2025-03"})
    assert response.status_code == 200
    assert [str(value.period) for value in response.context["cl"].result_list] == ["2025-03"]
    (months,) = [f for f in response.context["cl"].filter_specs if isinstance(f, PeriodListFilter)]
    assert [choice["display"] for choice in months.choices(response.context["cl"])][1:] == [
        "2025-02",
        "2025-03",
    ]
