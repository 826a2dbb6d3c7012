"""Every role against the demand pages and API (the rows the role matrix will hold)."""

import pytest

from opb_portal.accounts import roles

URLS = {
    "demand:dashboard": "/demand/?period=2025-03",
    "demand:benchmark": "/benchmarks/children_in_care/?year=2024",
    "api:demand": "/api/v1/demand/?period=2025-03",
    "api:benchmarks": "/api/v1/benchmarks/?measure=children_in_care&year=2024",
}


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", [*roles.values(), "none"])
def test_every_role_may_read_demand_and_a_revoked_person_may_not(
    client, demand, people, name, role
):
    client.force_login(people[role])
    response = client.get(URLS[name])
    assert response.status_code == (403 if role == "none" else 200)


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("demand:dashboard", 302, id="dashboard-asks-to-sign-in"),
        pytest.param("demand:benchmark", 302, id="benchmark-asks-to-sign-in"),
        pytest.param("api:demand", 401, id="api-demand-401"),
        pytest.param("api:benchmarks", 401, id="api-benchmarks-401"),
    ],
)
def test_a_visitor_is_asked_to_sign_in(client, demand, name, status):
    response = client.get(URLS[name])
    assert response.status_code == status
