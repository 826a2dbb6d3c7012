import pytest

from opb_portal.core.text import joined


@pytest.mark.parametrize(
    ("parts", "sentence"),
    [
        pytest.param([], "", id="nothing"),
        pytest.param(["PI1"], "PI1", id="one"),
        pytest.param(["PI1", "PI2"], "PI1 and PI2", id="two"),
        pytest.param(["PI1", "PI2", "PI3"], "PI1, PI2 and PI3", id="three-without-an-oxford-comma"),
    ],
)
def test_a_list_reads_as_a_sentence_says_it(parts, sentence):
    assert joined(parts) == sentence
