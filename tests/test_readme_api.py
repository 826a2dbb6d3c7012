"""The README's pandas example, run as written against the portal's API."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from opb_portal.accounts.models import ApiToken

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_block(after: str, language: str) -> str:
    """The first ```language block after the words `after` in the README."""
    text = README.read_text()
    return re.search(rf"```{language}\n(.*?)```", text[text.index(after) :], re.S)[1]


@pytest.fixture
def requests_to_the_test_client(client, monkeypatch):
    """`requests.get` answered by Django's test client: the same JSON a live server sends."""

    def get(url, params=None, headers=None, timeout=None):
        answer = client.get(urlsplit(url).path, params, headers=headers)
        response = requests.Response()
        response.status_code, response._content, response.url = (
            answer.status_code,
            answer.content,
            url,
        )
        response.headers.update(answer.headers)
        return response

    monkeypatch.setattr(requests, "get", get)


def test_the_readmes_pandas_example_reads_the_kpis_and_averages_their_values(
    demo, reviewer, requests_to_the_test_client, capsys
):
    _, key = ApiToken.issue(user=reviewer)
    code = readme_block("**pandas**", "python").replace("<key>", key)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 (the README's own example)

    kpis = namespace["kpis"]
    assert len(kpis) == 15
    # The values are numbers, so pandas averages them (strings would raise).
    assert kpis["value"].dtype.kind == "f"
    assert round(kpis["value"].mean(), 6) == round(sum(kpis["value"]) / 15, 6)
    assert "mean of the month's values:" in capsys.readouterr().out


def test_the_readmes_power_query_sends_the_key_in_a_header_to_a_fixed_url():
    query = readme_block("**Power BI or Excel**", "m")
    assert 'Web.Contents(\n            "https://opb.example.org/api/v1/kpis/"' in query
    assert 'Headers = [Authorization = "Token <key>"]' in query
    assert 'Query = [period = "2025-03"]' in query
