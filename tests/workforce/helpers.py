"""What the workforce page and API tests share: addresses and how to read a page."""

import re

DASHBOARD = "/workforce/"
API = "/api/v1/workforce/"


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]+)<', html)[1]


def tables_read(queries) -> list[str]:
    """The table each query reads first, or the SQL verb for transaction statements."""
    found = []
    for query in queries:
        table = re.search(r'\bFROM "(\w+)"', query["sql"])
        found.append(table[1] if table else query["sql"].split()[0])
    return found
