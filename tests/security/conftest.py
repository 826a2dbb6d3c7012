import logging

import pytest

from opb_portal.core.audit import JsonFormatter


@pytest.fixture
def audit_lines():
    """The lines the "opb.audit" logger writes, formatted as in production."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("opb.audit")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)
