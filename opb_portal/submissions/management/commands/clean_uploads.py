from django.core.management.base import BaseCommand

from opb_portal.submissions import uploads


class Command(BaseCommand):
    help = (
        "Remove expired staged uploads and problem lists, files left by uploads that never "
        "committed, stored files no upload names, and the kept copies of uploads older than "
        "DJANGO_UPLOAD_RETENTION_DAYS (their figures stay). Prints each thing it removes; run it "
        "hourly or daily from the scheduler."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed, remove nothing"
        )

    def handle(self, *args, dry_run, **options):
        done = uploads.clean(dry_run=dry_run)
        for line in done:
            self.stdout.write(line)
        summary = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(done)} item(s) {summary}." if done else "Nothing to clean.")
