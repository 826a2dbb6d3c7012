"""Ofsted's published outcomes: files built in Ofsted's own layout, and the neighbours."""

import io

import pytest
from openpyxl import Workbook

from opb_portal.accounts.models import Role
from opb_portal.comparators.demo import load_demo_neighbours

# The headings of Ofsted's management information for local authority children's services,
# as it published them to 2023 (one judgement for children in care and care leavers).
HEADINGS = [
    "Local authority",
    "ONS code",
    "LA code",
    "Region",
    "Inspection type",
    "Inspection start date",
    "Inspection end date",
    "Publication date",
    "Overall effectiveness",
    "Impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care (and care leavers)",
    "Web link",
]
RI = "Requires improvement to be good"


def sandwell_row(**changes) -> list:
    """Sandwell's ILACS inspection of May 2022, as a row under `HEADINGS`."""
    row = {
        "Local authority": "Sandwell",
        "ONS code": "E08000028",
        "LA code": "333",
        "Region": "West Midlands",
        "Inspection type": "ILACS standard inspection",
        "Inspection start date": "09/05/2022",
        "Inspection end date": "20/05/2022",
        "Publication date": "12/07/2022",
        "Overall effectiveness": RI,
        "Impact of leaders on social work practice with children and families": RI,
        "The experiences and progress of children who need help and protection": RI,
        "The experiences and progress of children in care (and care leavers)": "Good",
        "Web link": "https://reports.ofsted.gov.uk/provider/44/80530",
    }
    row.update(changes)
    return [row[heading] for heading in HEADINGS]


def visit_row(name="Sandwell", code="E08000028", start="30/10/2024", end="31/10/2024", **more):
    row = dict(zip(HEADINGS, [""] * len(HEADINGS), strict=True))
    row.update(
        {
            "Local authority": name,
            "ONS code": code,
            "Inspection type": "Focused visit",
            "Inspection start date": start,
            "Inspection end date": end,
        }
    )
    row.update(more)
    return [row[heading] for heading in HEADINGS]


def workbook(*rows, headings=HEADINGS, title="LA level data") -> bytes:
    """An .xlsx as Ofsted publishes it: a title row, then the headings, then a row an event."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["Management information: local authority children's services inspections"])
    sheet.append(headings)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(*rows, headings=HEADINGS) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def neighbours(db):
    """The demonstration's authorities (Sandwell with its ONS code) and neighbour groups."""
    return load_demo_neighbours()


@pytest.fixture
def administrator(people, neighbours):
    return people[Role.ADMINISTRATOR]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client
