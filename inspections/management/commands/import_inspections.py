"""
`manage.py import_inspections PATH --user USERNAME [--confirm]`: Ofsted's management
information from the command line, through the very checks and preview of the page.

Without `--confirm` it prints what the import would add, change and leave, and stores
nothing; with it, it stores them as the page's confirm does (the fingerprint of the
preview it has just computed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections import services
from opb_portal.accounts.models import User
from opb_portal.spreadsheets import MAX_FILE_BYTES


class Command(BaseCommand):
    help = (
        "Check (with --confirm, import) Ofsted's management information on LA children's services."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="The administrator importing it.")
        parser.add_argument("--confirm", action="store_true", help="Store it (else: preview only).")

    def handle(self, *args, path, user, confirm, **options):
        person = User.objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No user called {user!r}.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path} is not a file.")
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(
                f"{file.name} is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit."
            )
        data = file.read_bytes()
        try:
            plan = services.inspections_import_preview(data=data, filename=file.name, user=person)
            if not plan.ok:
                for problem in plan.problems:
                    self.stderr.write(f"{problem.location}: {problem.message}")
                raise CommandError(
                    f"{file.name} has {len(plan.problems)} problem(s): nothing stored."
                )
            for entry in plan.by_authority:
                self.stdout.write(
                    f"{entry.name}{' (new authority)' if entry.new else ''}: "
                    f"{len(entry.added)} added, {len(entry.changed)} changed, "
                    f"{len(entry.unchanged)} unchanged"
                )
                for planned in entry.changed:
                    for what, old, new in planned.differences:
                        self.stdout.write(
                            f"  {planned.row.kind_label} from {planned.row.start_date:%d/%m/%Y}: "
                            f"{what}: {old} -> {new}"
                        )
            summary = (
                f"{len(plan.added)} to add, {len(plan.changed)} to change, "
                f"{len(plan.unchanged)} unchanged."
            )
            if not confirm:
                self.stdout.write(f"{summary} Nothing stored: run again with --confirm to import.")
                return
            record = services.inspections_import_apply(
                data=data, filename=file.name, user=person, fingerprint=plan.fingerprint
            )
        except services.InspectionError as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(
            f"Imported {file.name}: {record.added} added, {record.changed} changed, "
            f"{record.unchanged} unchanged."
        )
