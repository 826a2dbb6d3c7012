"""/inspections/: Sandwell's inspections and visits, and its neighbours' latest judgements."""

import datetime

import pytest
from django.urls import reverse

from inspections.demo import load_demo_inspections
from inspections.models import Grade, Inspection, Kind
from opb_portal.accounts import roles
from opb_portal.comparators.models import Authority

URL = "/inspections/"


@pytest.fixture
def history(neighbours):
    load_demo_inspections()
    walsall = Authority.objects.get(name="Walsall")
    Inspection.objects.create(
        authority=walsall,
        kind=Kind.ILACS_FULL,
        start_date=datetime.date(2023, 1, 9),
        end_date=datetime.date(2023, 1, 20),
        overall=Grade.GOOD,
        leaders=Grade.GOOD,
    )
    Inspection.objects.create(
        authority=walsall, kind=Kind.FOCUSED_VISIT, start_date=datetime.date(2024, 6, 4)
    )
    return neighbours


def test_the_page_lists_sandwells_history_newest_first_with_its_judgements_in_words(
    client, people, history
):
    client.force_login(people["board_member"])
    text = client.get(URL).content.decode()
    visits = ["15 and 16 April 2025", "30 and 31 October 2024", "May 2022", "30 and 31 May 2018"]
    where = [text.index(day) for day in visits]
    assert where == sorted(where)
    assert "Overall effectiveness: <strong>Requires improvement to be good</strong>" in text
    assert "No judgement (a focused visit is not graded)" in text


def test_each_neighbour_shows_its_latest_judgement_or_says_none_is_stored(client, people, history):
    client.force_login(people["reviewer"])
    response = client.get(URL)
    text = response.content.decode()
    # The group in force today is June 2025's (LIAT): Walsall is in it, Birmingham is not.
    assert "Statistical neighbours from June 2025 (LIAT)" in text
    walsall = text[text.index('<th scope="row">Walsall</th>') :].split("</tr>")[0]
    assert "<strong>Good</strong>" in walsall
    assert "ILACS full inspection, 9 to 20 January 2023" in walsall
    assert "Focused visit, 4 June 2024" in walsall
    rochdale = text[text.index('<th scope="row">Rochdale</th>') :].split("</tr>")[0]
    assert "None stored" in rochdale
    assert '<th scope="row">Birmingham</th>' not in text


@pytest.mark.parametrize("role", roles.values())
def test_every_role_reads_the_page(client, people, history, role):
    client.force_login(people[role])
    assert client.get(URL).status_code == 200


def test_a_visitor_is_sent_to_sign_in_and_a_revoked_role_is_refused(client, people, history):
    assert client.get(URL).status_code == 302
    client.force_login(people["none"])
    assert client.get(URL).status_code == 403


def test_the_navigation_links_the_page_for_everyone_and_the_imports_for_administrators(
    client, people, history
):
    client.force_login(people["board_member"])
    text = client.get(URL).content.decode()
    assert f'href="{reverse("inspections:history")}"' in text
    assert f'href="{reverse("inspections:imports")}"' not in text
    client.force_login(people["administrator"])
    assert f'href="{reverse("inspections:imports")}"' in client.get(URL).content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    client, people, history, django_assert_num_queries
):
    client.force_login(people["board_member"])
    # 9 queries: session, user, the request's savepoint, Sandwell by its ONS code, its
    # inspections, the neighbour groups, their members, the members' inspections, the
    # savepoint's release
    with django_assert_num_queries(9):
        client.get(URL)
