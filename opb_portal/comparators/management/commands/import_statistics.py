import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opb_portal.accounts.models import User
from opb_portal.comparators.services import ComparatorError
from opb_portal.comparators.statistics import services
from opb_portal.comparators.statistics.plan import StatisticsPlan


class Command(BaseCommand):
    help = (
        "Check a published statistics file (an explore-education-statistics CSV, as "
        "downloaded) and print what importing it would change; store it only with --confirm, "
        "as the page's confirm does. Problems go to stderr, naming file, row and column, and "
        "the command exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="the administrator importing it")
        parser.add_argument("--confirm", action="store_true", help="store the figures")
        parser.add_argument(
            "--published-on",
            type=datetime.date.fromisoformat,
            default=None,
            help="the release's publication date, YYYY-MM-DD",
        )

    def handle(self, *args, path, user, confirm, published_on, **options):
        person = User.objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No user called {user!r}.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        data = path.read_bytes()
        try:
            plan = services.statistics_import_preview(data=data, filename=path.name, user=person)
        except ComparatorError as refused:
            raise CommandError(refused.message) from refused
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(f"{problem.severity.upper()}: {problem}")
            raise CommandError(
                f"{len(plan.problems)} problem(s) in {path.name}: nothing was stored."
            )
        self._summary(plan)
        if not confirm:
            self.stdout.write("Nothing was stored: run again with --confirm to import.")
            return
        if not plan.added and not plan.changed:
            self.stdout.write(
                "Nothing to change: every figure is already stored. Nothing was stored."
            )
            return
        try:
            record = services.statistics_import_apply(
                data=data,
                filename=path.name,
                user=person,
                fingerprint=plan.fingerprint,
                published_on=published_on,
            )
        except ComparatorError as refused:
            for problem in refused.problems:
                self.stderr.write(f"ERROR: {problem}")
            raise CommandError(f"{refused.message} Nothing was stored.") from refused
        self.stdout.write(
            f"Imported {path.name} (import {record.pk}): {record.added:,} added, "
            f"{record.changed:,} changed, {record.unchanged:,} unchanged."
        )

    def _summary(self, plan: StatisticsPlan) -> None:
        summary, write = plan.summary, self.stdout.write
        write(f"{plan.filename}: {summary['publication']}")
        write(f"{plan.added:,} to add, {plan.changed:,} to change, {plan.unchanged:,} unchanged.")
        levels = [f"{level} {rows:,}" for level, rows in summary["levels"].items()]
        levels += [
            f"{level} {rows:,} (not read)" for level, rows in summary["other_levels"].items()
        ]
        write(
            f"Rows: {summary['rows']:,} ({', '.join(levels)}); "
            f"{summary['skipped']:,} of other filters."
        )
        for period in summary["periods"]:
            write(f"Year {period['meaning']}")
        for measure in summary["measures"]:
            symbols = ", ".join(f"{s} x{n}" for s, n in measure["symbols"].items())
            line = (
                f"{measure['code']} {measure['year']}: {measure['added']:,} added, "
                f"{measure['changed']:,} changed, {measure['unchanged']:,} unchanged"
            )
            if symbols:
                line += f", symbols {symbols}"
            if measure["blank"]:
                line += f", {measure['blank']:,} blank"
            write(line)
            for change in measure["examples"]:
                write(
                    f"  {change['authority']} ({change['code']}): "
                    f"{change['old']} -> {change['new']}"
                )
            if measure["more"]:
                write(f"  and {measure['more']:,} more")
        for authority in summary["new_authorities"]:
            same = authority["same_name_as"]
            note = f" (a new authority, not {' or '.join(same)})" if same else ""
            write(
                f"New authority: {authority['name']} ({authority['code']}, "
                f"{authority['kind']}){note}"
            )
        for note in summary["notes"]:
            write(f"Note: {note}")
        for measure in summary["not_read"]:
            write(f"Not read: {measure['code']}: no column {', '.join(measure['missing'])}")
