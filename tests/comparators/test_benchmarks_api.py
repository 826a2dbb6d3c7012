"""`/api/v1/benchmarks/`: any code's benchmark in any year the stored figures cover."""

import datetime

import pytest
from django.urls import reverse

from opb_portal.accounts.models import Role
from opb_portal.comparators.models import ComparatorImport, ComparatorValue

from . import store


@pytest.fixture
def authorities(db):
    found = store.build()
    store.figures(found, 2024, store.YEAR_2024)
    return found


def get(client, **params):
    return client.get(reverse("api:benchmarks"), params)


@pytest.mark.parametrize("role", [pytest.param(role, id=role) for role in Role.values])
def test_every_role_may_read_a_benchmark(client, authorities, people, role):
    client.force_login(people[role])
    assert get(client, measure=store.CODE, year="2024").status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [pytest.param("none", 403, id="no-role"), pytest.param(None, 401, id="anonymous")],
)
def test_a_visitor_or_a_revoked_person_is_refused(client, authorities, people, who, status):
    if who:
        client.force_login(people[who])
    assert get(client, measure=store.CODE, year="2024").status_code == status


def test_it_answers_sandwell_the_neighbours_the_ranks_and_the_band(client, authorities, people):
    client.force_login(people[Role.REVIEWER])
    ComparatorValue.objects.filter(authority__name="Sandwell").update(
        comparator_import=ComparatorImport.objects.create(
            source=ComparatorImport.Source.STATISTICS,
            publication="Children looked after in England including adoptions",
            published_on=datetime.date(2024, 11, 14),
            user=people[Role.ADMINISTRATOR],
        )
    )

    data = get(client, measure=store.CODE, year="2024").json()

    assert data["home"]["value"] == 94.0
    assert (data["rank"], data["of"], data["national_rank"], data["national_of"]) == (4, 9, 5, 12)
    assert data["band"] == "B"
    assert data["neighbours"]["mean"] == 90.0
    assert (data["neighbours"]["published"], data["neighbours"]["of"]) == (8, 10)
    assert data["neighbours"]["not_published"] == ["N01: c (suppressed)", "N02: no figure"]
    suppressed = next(m for m in data["neighbours"]["members"] if m["name"] == "N01")
    assert (suppressed["value"], suppressed["symbol"], suppressed["rank"]) == (None, "c", None)
    assert data["england"] == {"name": "England", "code": "E92000001", "value": 70}
    assert data["region"]["name"] == "West Midlands"
    assert (data["source"], data["published_on"]) == ("DfE, children looked after", "2024-11-14")
    assert data["sentence"] == (
        "Sandwell 94.0, neighbours 90.0 (8 of 10), England 70.0"
        " (DfE, children looked after, year to 31 March 2024)"
    )


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        pytest.param(
            {"measure": "nothing", "year": "2024"},
            404,
            "No published figures are stored under the code 'nothing'.",
            id="unknown-code",
        ),
        pytest.param(
            {"measure": store.CODE, "year": "2019"},
            404,
            "cla_rate has no published figures for 2019: it has figures for 2024.",
            id="year-without-figures",
        ),
        pytest.param({"measure": store.CODE, "year": "24"}, 400, "year must be", id="bad-year"),
        pytest.param({"measure": store.CODE, "year": "2009"}, 400, "year must be", id="too-early"),
        pytest.param({"year": "2024"}, 400, "measure is required", id="no-measure"),
        pytest.param({"measure": store.CODE}, 400, "year is required", id="no-year"),
    ],
)
def test_bad_or_unknown_input_is_answered_in_json_with_a_sentence(
    client, authorities, people, params, status, message
):
    client.force_login(people[Role.REVIEWER])
    response = client.get(reverse("api:benchmarks"), params)
    assert response.status_code == status
    assert response.json()["error"].startswith(message)
