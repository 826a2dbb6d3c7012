"""
An administrator loads a new statistical neighbour group (a file or typed members): the
group in force the day before is closed in the same transaction; every problem names its
file, sheet and cell (or line) and nothing changes. The seeds' June 2025 change is the case
in point: the group to May 2025, then the LIAT group from June 2025.
"""

import csv
import datetime
import importlib
import io
from decimal import Decimal

import openpyxl
import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from opb_portal.accounts.models import Role
from opb_portal.comparators import demo, services
from opb_portal.comparators.models import NeighbourGroup, PublishedAverage
from opb_portal.comparators.services import ComparatorError

SHIPPED = importlib.import_module("opb_portal.comparators.migrations.0004_stats_reference_shipped")
JUNE_2025 = datetime.date(2025, 6, 1)
LIAT = "Statistical neighbours from June 2025 (LIAT)"
HEADING = ["Rank", "Authority", "ONS code"]


def code(name: str) -> str:
    return demo.AUTHORITIES[name][0]


def rows_of(names: list[str]) -> list[list]:
    return [[rank, name, code(name)] for rank, name in enumerate(names, start=1)]


def as_csv(rows: list[list], heading=HEADING) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(heading)
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(rows: list[list], heading=HEADING) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Neighbours"
    sheet.append(heading)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def administrator(people):
    return people[Role.ADMINISTRATOR]


@pytest.fixture
def before_june_2025(db):
    """The register shipped, and the group to May 2025 as the one in force (no end yet)."""
    SHIPPED.ship(django_apps, None)
    neighbours = demo.load_demo_neighbours()
    neighbours.from_june_2025.delete()
    old = neighbours.to_may_2025
    old.effective_to = None
    old.save()
    return old


def state() -> list[tuple]:
    """Every group with its dates and members: what a refused load must leave as it was."""
    return [
        (g.pk, g.name, g.effective_from, g.effective_to, sorted(m.code for m in g.members.all()))
        for g in NeighbourGroup.objects.prefetch_related("members").order_by("pk")
    ]


def load(user, **given):
    arguments = {"name": LIAT, "effective_from": JUNE_2025, "source": "LAIT, June 2025"}
    return services.neighbour_group_load(user=user, **{**arguments, **given})


# --- the June 2025 change, and groups one after another -------------------------------------


@pytest.mark.parametrize(
    ("filename", "build"),
    [
        pytest.param("neighbours.csv", as_csv, id="csv"),
        pytest.param("neighbours.xlsx", as_xlsx, id="xlsx"),
    ],
)
def test_the_june_2025_group_loads_from_a_file_and_closes_the_group_before_it(
    before_june_2025, administrator, filename, build
):
    data = build(rows_of(demo.GROUP_FROM_JUNE_2025))

    group = load(administrator, data=data, filename=filename)

    old = NeighbourGroup.objects.get(pk=before_june_2025.pk)
    assert old.effective_to == datetime.date(2025, 5, 31)
    assert (group.name, group.effective_from, group.effective_to, group.source) == (
        LIAT,
        JUNE_2025,
        None,
        "LAIT, June 2025",
    )
    assert {m.name for m in group.members.all()} == set(demo.GROUP_FROM_JUNE_2025)
    # March 2025's figures keep the old group; the workforce census of September 2025 the new.
    march, september = datetime.date(2025, 3, 31), datetime.date(2025, 9, 30)
    assert [old.covers(march), group.covers(march)] == [True, False]
    assert [old.covers(september), group.covers(september)] == [False, True]


def test_the_members_may_be_typed_by_name_or_code_one_a_line(before_june_2025, administrator):
    typed = [code(n) if i % 2 else n for i, n in enumerate(demo.GROUP_FROM_JUNE_2025)]

    group = load(administrator, members="\n".join(typed) + "\n\n")

    assert {m.code for m in group.members.all()} == {code(n) for n in demo.GROUP_FROM_JUNE_2025}


def test_a_file_of_codes_only_and_headed_as_the_dfe_heads_it_loads(before_june_2025, administrator):
    rows = [[code(n), n] for n in demo.GROUP_FROM_JUNE_2025]

    group = load(administrator, data=as_csv(rows, ["new_la_code", "la_name"]), filename="sn.csv")

    assert group.members.count() == 10


def test_a_second_new_group_closes_the_first_and_earlier_groups_keep_their_dates(
    before_june_2025, administrator
):
    first = load(administrator, members="\n".join(demo.GROUP_FROM_JUNE_2025))
    later = [*demo.GROUP_FROM_JUNE_2025[:9], "Birmingham"]

    second = load(
        administrator,
        name="Statistical neighbours from April 2027",
        effective_from=datetime.date(2027, 4, 1),
        members="\n".join(later),
    )

    dates = {g.pk: (g.effective_from, g.effective_to) for g in NeighbourGroup.objects.all()}
    assert dates == {
        before_june_2025.pk: (None, datetime.date(2025, 5, 31)),
        first.pk: (JUNE_2025, datetime.date(2027, 3, 31)),
        second.pk: (datetime.date(2027, 4, 1), None),
    }


def test_a_group_after_a_gap_closes_nothing(before_june_2025, administrator):
    before_june_2025.effective_to = datetime.date(2025, 3, 31)
    before_june_2025.save()

    load(administrator, members="\n".join(demo.GROUP_FROM_JUNE_2025))

    before_june_2025.refresh_from_db()
    assert before_june_2025.effective_to == datetime.date(2025, 3, 31)


# --- every bad input, and nothing changes ----------------------------------------------------

JUNE = demo.GROUP_FROM_JUNE_2025


def _swap(names: list[str], index: int, row) -> list[list]:
    rows = rows_of(names)
    rows[index] = row
    return rows


BAD_FILES = [
    pytest.param(
        _swap(JUNE, 2, [3, "Atlantis", "E08999999"]),
        "sn.csv, cell C4",
        "'E08999999' is not an ONS code in the authority register",
        id="unknown-code",
    ),
    pytest.param(
        _swap(JUNE, 0, [1, "Walsall", code("Coventry")]),
        "sn.csv, cell B2",
        f"'Walsall' does not match {code('Coventry')}, which is Coventry",
        id="name-and-code-disagree",
    ),
    pytest.param(
        _swap(JUNE, 4, [5, "Rochdail", ""]),
        "sn.csv, cell B6",
        "'Rochdail' is not an authority in the register",
        id="unknown-name",
    ),
    pytest.param(
        _swap(JUNE, 4, [5, "Dorset", ""]),
        "sn.csv, cell B6",
        "2 authorities are called Dorset (",
        id="ambiguous-name",
    ),
    pytest.param(
        _swap(JUNE, 9, [10, "West Midlands", "E12000005"]),
        "sn.csv, cell C11",
        "West Midlands is a region, not a local authority",
        id="a-region",
    ),
    pytest.param(
        _swap(JUNE, 9, [10, "England", ""]),
        "sn.csv, cell B11",
        "England is the whole of England, not a local authority",
        id="england",
    ),
    pytest.param(
        _swap(JUNE, 1, [2, "Cumbria", "E10000006"]),
        "sn.csv, cell C3",
        "Cumbria (E10000006) ended on 31 March 2023 (Cumberland and Westmorland and Furness "
        "took over), before the group starts on 1 June 2025.",
        id="an-authority-that-ended",
    ),
    pytest.param(
        _swap(JUNE, 1, [2, "Coventry", code("Coventry")]),
        "sn.csv, cell C9",
        "Coventry is listed twice (also at cell C3): each neighbour counts once.",
        id="listed-twice",
    ),
    pytest.param(
        rows_of(JUNE[:9]),
        "sn.csv",
        "sn.csv gives 9 authorities: a statistical neighbour group has 10, one a row.",
        id="nine-members",
    ),
    pytest.param(
        [*rows_of(JUNE), [11, "Derby", code("Derby")]],
        "sn.csv",
        "sn.csv gives 11 authorities",
        id="eleven-members",
    ),
]


@pytest.mark.parametrize(("rows", "where", "message"), BAD_FILES)
def test_a_bad_file_is_refused_naming_the_cell_and_nothing_changes(
    before_june_2025, administrator, rows, where, message
):
    before = state()

    with pytest.raises(ComparatorError) as refused:
        load(administrator, data=as_csv(rows), filename="sn.csv")

    found = [(p.location, p.message) for p in refused.value.problems]
    assert any(location == where and message in said for location, said in found), found
    assert refused.value.message == "The group has errors: nothing was changed."
    assert state() == before


UNREADABLE = [
    pytest.param(
        b"Neighbours of Sandwell\nCoventry\nWalsall\n",
        "sn.csv has no heading row naming Authority in its first 10 rows",
        id="no-heading-row",
    ),
    pytest.param(
        as_csv(rows_of(JUNE), ["Rank", "Name", "LA name"]),
        "A second Authority column (the first is B): keep one",
        id="two-authority-columns",
    ),
    pytest.param(b"\x00\x01\x02 not a table", "sn.csv", id="not-a-table"),
]


@pytest.mark.parametrize(("data", "message"), UNREADABLE)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_changes(
    before_june_2025, administrator, data, message
):
    before = state()

    with pytest.raises(ComparatorError) as refused:
        load(administrator, data=data, filename="sn.csv")

    assert any(message in p.message for p in refused.value.problems), refused.value.problems
    assert refused.value.message == "sn.csv cannot be read: nothing was changed."
    assert state() == before


BAD_TYPED = [
    pytest.param(
        {"members": "\n".join([*JUNE[:2], "Atlantis", *JUNE[3:]])},
        ("members", "Members, line 3", "'Atlantis' is not an authority in the register"),
        id="unknown-name-on-line-3",
    ),
    pytest.param(
        {"members": "\n".join([*JUNE[:9], code(JUNE[0])])},
        (
            "members",
            "Members, line 10",
            "Wolverhampton is listed twice (also at Members, line 1)",
        ),
        id="listed-twice-by-name-and-code",
    ),
    pytest.param(
        {"members": "\n".join(JUNE), "name": "Statistical neighbours to May 2025"},
        ("name", "", "A group is already called Statistical neighbours to May 2025"),
        id="a-name-taken",
    ),
    pytest.param(
        {"members": "\n".join(JUNE), "effective_from": datetime.date(2009, 4, 1)},
        ("effective_from", "", "1 April 2009 is before 2010"),
        id="before-the-first-year",
    ),
    pytest.param(
        {
            "members": "\n".join([*JUNE[:9], "Cumberland"]),
            "effective_from": datetime.date(2022, 4, 1),
        },
        (
            "members",
            "Members, line 10",
            "Cumberland (E06000063) started on 1 April 2023, after the group starts on "
            "1 April 2022.",
        ),
        id="an-authority-not-yet-started",
    ),
]


@pytest.mark.parametrize(("given", "expected"), BAD_TYPED)
def test_a_bad_typed_group_is_refused_naming_the_line_or_field_and_nothing_changes(
    before_june_2025, administrator, given, expected
):
    before = state()

    with pytest.raises(ComparatorError) as refused:
        load(administrator, **given)

    field, location, message = expected
    found = [(p.field, p.location, p.message) for p in refused.value.problems]
    assert any((f, where) == (field, location) and message in said for f, where, said in found), (
        found
    )
    assert state() == before


def test_a_group_cannot_start_before_a_group_already_stored(before_june_2025, administrator):
    load(administrator, members="\n".join(JUNE))
    before = state()

    with pytest.raises(ComparatorError) as refused:
        load(
            administrator,
            name="Back-dated",
            effective_from=datetime.date(2025, 1, 1),
            members="\n".join(JUNE),
        )

    (problem,) = refused.value.problems
    assert problem.message == (
        f"{LIAT} already starts on 1 June 2025: a new group starts after the last one stored, "
        "so it cannot start on 1 January 2025."
    )
    assert state() == before


def test_a_published_average_the_new_group_would_cover_stops_the_load(
    before_june_2025, administrator
):
    PublishedAverage.objects.create(
        code="PI12", group=before_june_2025, year=2025, year_basis="at_september", value=Decimal(30)
    )
    before = state()

    with pytest.raises(ComparatorError) as refused:
        load(administrator, members="\n".join(JUNE))

    (problem,) = refused.value.problems
    assert problem.message.startswith(
        "Statistical neighbours to May 2025 holds the published average of PI12 for "
        "September 2025, which the new group would cover from 1 June 2025"
    )
    assert state() == before


def test_only_an_administrator_loads_a_group(before_june_2025, reviewer):
    before = state()

    with pytest.raises(ComparatorError, match="only administrators change comparators"):
        load(reviewer, members="\n".join(JUNE))

    assert state() == before


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_the_groups_page_lists_each_group_with_its_dates_and_members(
    before_june_2025, administrator, admin_client
):
    load(administrator, members="\n".join(JUNE))

    page = admin_client.get(reverse("comparators:groups")).content.decode()

    for said in (LIAT, "1 June 2025", "31 May 2025"):
        assert said in page
    assert "Kingston upon Hull, City of (E06000010)" in page


def test_the_groups_page_runs_a_fixed_number_of_queries(
    before_june_2025, administrator, admin_client, django_assert_num_queries
):
    load(administrator, members="\n".join(JUNE))
    # 6 queries: session, user, the request's savepoint, the groups, their members (one
    # prefetch), the savepoint's release
    with django_assert_num_queries(6):
        admin_client.get(reverse("comparators:groups"))


def test_loading_a_group_from_the_page_saves_it_and_says_so(before_june_2025, admin_client):
    data = as_csv(rows_of(JUNE))
    upload = io.BytesIO(data)
    upload.name = "sn.csv"

    response = admin_client.post(
        reverse("comparators:group_load"),
        {"name": LIAT, "effective_from": "2025-06-01", "source": "LAIT", "file": upload},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("comparators:groups"), 302)]
    assert f"Saved {LIAT}, in force from 1 June 2025" in response.content.decode()
    assert NeighbourGroup.objects.get(name=LIAT).members.count() == 10


def test_a_refused_group_shows_every_problem_escaped_and_changes_nothing(
    before_june_2025, admin_client
):
    before = state()

    response = admin_client.post(
        reverse("comparators:group_load"),
        {
            "name": LIAT,
            "effective_from": "2025-06-01",
            "members": "\n".join([*JUNE[:9], "<b>Atlantis</b>"]),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "The group has errors: nothing was changed." in page
    assert "&#x27;&lt;b&gt;Atlantis&lt;/b&gt;&#x27; is not an authority" in page
    assert "<b>Atlantis</b>" not in page
    assert state() == before


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        pytest.param(
            {"members": "Coventry", "file": "f"},
            "Give the members one way: choose a file or type them, not both.",
            id="both",
        ),
        pytest.param({}, "Give the ten members: choose a file or type them.", id="neither"),
        pytest.param(
            {"members": "Coventry", "effective_from": "June"},
            "Enter the day as a date, such as 2025-06-01.",
            id="not-a-date",
        ),
    ],
)
def test_the_form_asks_for_the_members_one_way_and_a_real_date(
    before_june_2025, admin_client, posted, message
):
    given = {"name": LIAT, "effective_from": "2025-06-01", **posted}
    if "file" in given:
        upload = io.BytesIO(as_csv(rows_of(JUNE)))
        upload.name = "sn.csv"
        given["file"] = upload

    response = admin_client.post(reverse("comparators:group_load"), given)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert NeighbourGroup.objects.filter(name=LIAT).count() == 0
