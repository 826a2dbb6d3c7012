import pytest

from opb_portal.comparators.models import Authority, FormerCode, PublishedMeasure


@pytest.fixture(autouse=True)
def nothing_shipped(db):
    """
    These tests build the authorities and mappings they need in code, to say exactly what
    the portal knows before a file arrives (Cumbria and not its successors; one Dorset; one
    mapping of the file). So the register and the mappings migration 0004 ships are emptied
    first. What is shipped is tested in tests/comparators/test_shipped_reference.py, and an
    import over it in tests/comparators/test_published_benchmarks.py.
    """
    PublishedMeasure.objects.all().delete()
    FormerCode.objects.all().delete()
    Authority.objects.all().delete()
