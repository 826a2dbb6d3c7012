"""`python manage.py restore_drill --pack-root /scratch/packs`: restore a dump and check it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opb_portal.core.restore_drill import NotPostgres, RestoreDrill

# Exit codes: 0 the drill passed, 1 it failed (a problem named), 2 it cannot run here.
FAILED, CANNOT_RUN = 1, 2


class Command(BaseCommand):
    help = (
        "The restore drill (docs/operations.md): pg_dump the database in DATABASE_URL, restore "
        "it into a scratch database as the documented roles (docs/database-roles.md), check "
        "every stored document's file under the pack root against its SHA-256 and every "
        "approved version's figures against the live database, report the time each step "
        "took, then drop the scratch database. Exits 1 on any problem, 2 on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pack-root",
            type=Path,
            default=None,
            help="The directory of stored packs and documents to check, usually the copy "
            "brought back from the backup host (default: DJANGO_PACK_ROOT).",
        )
        parser.add_argument(
            "--upload-root",
            type=Path,
            default=None,
            help="The directory of uploaded workbooks to check, usually the copy brought back "
            "from the backup host (default: DJANGO_UPLOAD_ROOT).",
        )
        parser.add_argument(
            "--dump",
            type=Path,
            default=None,
            help="Restore this custom-format dump (last night's) rather than taking one now; "
            "versions approved after it was taken are left out of the comparison.",
        )
        parser.add_argument("--owner-role", default="opb_owner", help="Default: opb_owner.")
        parser.add_argument("--app-role", default="opb_app", help="Default: opb_app.")
        parser.add_argument(
            "--keep", action="store_true", help="Keep the scratch database to look at."
        )

    def handle(self, *args, pack_root, upload_root, dump, owner_role, app_role, keep, **options):
        pack_root = pack_root or Path(settings.PACK_ROOT)
        if not pack_root.is_dir():
            raise CommandError(f"{pack_root} is not a directory.", returncode=CANNOT_RUN)
        try:
            drill = RestoreDrill(
                pack_root=pack_root,
                upload_root=upload_root,
                owner_role=owner_role,
                app_role=app_role,
                dump=dump,
            )
        except NotPostgres as error:
            raise CommandError(str(error), returncode=CANNOT_RUN) from error
        report = drill.run(keep=keep)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                f"The restore drill failed: {len(report.problems)} problem(s), listed above.",
                returncode=FAILED,
            )
