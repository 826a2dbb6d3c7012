"""The hand-typed import never joins a figure to an authority by a name two authorities share."""

import pytest

from opb_portal.comparators import imports
from opb_portal.comparators.models import Authority

from .. import ees


@pytest.fixture
def two_dorsets(db):
    for place in (ees.DORSET_COUNTY, ees.DORSET):
        Authority.objects.create(
            name=place.name, kind=Authority.Kind.LOCAL_AUTHORITY, code=place.code
        )
    Authority.objects.create(name="Sandwell", kind=Authority.Kind.LOCAL_AUTHORITY)


def authority_problems(text: str) -> list[str]:
    _, problems = imports.typed_row(
        code="x", authority=text, year="2024", value="1", source="", lookups=imports.Lookups.load()
    )
    return [p.message for p in problems if p.field == "authority"]


def test_a_shared_name_is_refused_asking_for_the_ons_code(two_dorsets):
    assert authority_problems("dorset") == [
        "2 authorities are called Dorset (E10000009, E06000059): give the ONS code of the one "
        "you mean instead of the name."
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("E06000059", id="its-code"),
        pytest.param("Dorset (E06000059)", id="its-name-with-its-code"),
        pytest.param("Sandwell", id="a-name-no-other-has"),
    ],
)
def test_an_authority_is_found_by_its_code_or_a_name_only_it_has(two_dorsets, text):
    assert authority_problems(text) == []


def test_the_typed_form_names_a_shared_name_with_its_code(two_dorsets):
    lookups = imports.Lookups.load()
    assert [lookups.label(a) for a in lookups.authority_list] == [
        "Dorset (E10000009)",
        "Dorset (E06000059)",
        "Sandwell",
    ]
