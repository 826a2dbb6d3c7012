"""`python manage.py board_pack 2025-03 --output pack.pdf`: build a month's pack, never issue it."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opb_portal.periods import Period, PeriodError

from ... import render, selectors
from ...models import Meeting


class Command(BaseCommand):
    help = (
        "Build the board pack for a reporting month as a PDF, as the Preview button does. "
        "It is not issued: nothing is stored and no issue number is used."
    )

    def add_arguments(self, parser):
        parser.add_argument("month", help="The reporting month: 2025-03, Mar-25 or March 2025.")
        parser.add_argument("--output", "-o", required=True, help="Where to write the PDF.")
        parser.add_argument(
            "--meeting",
            help="The meeting's date (YYYY-MM-DD) for the cover; by default the latest "
            "meeting that considers the month, if there is one.",
        )

    def handle(self, *args, month, output, meeting=None, **options):
        try:
            period = Period.parse(month)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        found = self._meeting(period, meeting)
        pack = selectors.pack_contents(period, meeting=found)
        rendered = render.render_pack(pack)
        Path(output).write_bytes(rendered.pdf)
        state = "DRAFT (" + "; ".join(pack.draft_reasons) + ")" if pack.draft else "issuable"
        self.stdout.write(
            f"Wrote {output}: the board pack for {period.long}, {rendered.pages} pages, {state}."
        )

    @staticmethod
    def _meeting(period: Period, text: str | None) -> Meeting | None:
        if text is None:
            # The OPB's meeting on the month, else the latest of any board's.
            found = Meeting.objects.filter(period=period).order_by("-date")
            return found.filter(board=Meeting.Board.OPB).first() or found.first()
        try:
            date = datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"{text!r} is not a date: write it as 2025-04-17.") from exc
        meeting = Meeting.objects.filter(date=date).first()
        if meeting is None:
            raise CommandError(f"There is no OPB meeting on {text}.")
        return meeting
