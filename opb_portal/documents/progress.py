"""
WeasyPrint's page progress, told to a job: "Laying out the PDF: page 7 of about 19".

WeasyPrint logs each page it lays out to the `weasyprint.progress` logger ("Step 5 -
Creating layout - Page %d"). `weasyprint_pages(report)` listens to that logger while a
document is written and calls `report(page)` for each page laid out by this thread (a
threaded server may lay out two documents at once). The logger is quiet otherwise: the
settings keep its INFO lines out of the console (LOGGING, `weasyprint.progress`). One
helper for every PDF the portal writes as a job (the board pack, the annual review, the
reports).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

LOGGER = "weasyprint.progress"
_LAYOUT = "Step 5 - Creating layout - Page"


class _PageHandler(logging.Handler):
    def __init__(self, report: Callable[[int], None]):
        super().__init__(level=logging.INFO)
        self.report = report
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        message = str(record.msg)
        if record.thread != self.thread or not message.startswith(_LAYOUT):
            return
        if message.endswith("(up-to-date)"):  # a page kept from the last pass: no work done
            return
        if record.args and isinstance(record.args[0], int):
            # Progress must never stop the document: a failing report is dropped.
            with contextlib.suppress(Exception):
                self.report(record.args[0])


@contextlib.contextmanager
def weasyprint_pages(report: Callable[[int], None]) -> Iterator[None]:
    """While inside, `report(n)` is called as WeasyPrint lays out page n in this thread."""
    logger = logging.getLogger(LOGGER)
    handler = _PageHandler(report)
    level = logger.level
    if not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@contextlib.contextmanager
def pdf_pages(progress, *, before: int, about: int, what: str = "the PDF") -> Iterator[None]:
    """
    A job's progress while WeasyPrint lays out a document: "Laying out the PDF: page 7 of
    about 19", counted after the `before` steps already done. `about` is the page count
    expected (the last time this document was made); a longer document raises it as it goes.
    """

    furthest = 0

    def report(page: int) -> None:
        # Pages laid out again (WeasyPrint repaginates for page counters) do not move the
        # bar back: only a page further on does.
        nonlocal furthest
        if page <= furthest:
            return
        furthest = page
        pages = max(about, page)
        progress(before + page, before + pages, f"Laying out {what}: page {page} of about {pages}")

    with weasyprint_pages(report):
        yield
