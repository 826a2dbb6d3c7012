import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opb_portal.accounts.models import User
from opb_portal.submissions import registry, services, uploads
from opb_portal.submissions.pipeline import check_upload


class Command(BaseCommand):
    help = (
        "Check and store a return workbook (.xlsx) or CSV, as the upload page does (without "
        "the preview). "
        "Prints one line per problem and exits non-zero when anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("domain", help=f"the return: {registry.domains_in_words()}")
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="the Trust submitter sending the return")
        parser.add_argument(
            "--submit", action="store_true", help="submit each month after a clean import"
        )
        parser.add_argument(
            "--reason", default="", help="why, when the import corrects an approved return"
        )

    def handle(self, *args, domain, path, user, submit, reason, **options):
        try:
            spec = registry.get(domain)
        except KeyError as exc:
            known = ", ".join(s.domain for s in registry.all_specs())
            raise CommandError(f"No return is called {domain!r}: use one of {known}.") from exc
        person = User.objects.filter(username=user).select_related("organisation").first()
        if person is None:
            raise CommandError(f"No user called {user!r}.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        data = path.read_bytes()
        checked = check_upload(
            spec=spec, organisation=person.organisation, data=data, filename=path.name
        )
        for problem in checked.problems:
            self.stdout.write(f"{problem.severity.upper()}: {problem}")
        if checked.errors:
            raise CommandError(
                f"{len(checked.errors)} error(s) in {path.name}: nothing was stored."
            )
        # Only the sheets the return was read from are kept, as on the upload page.
        kept, left_out = uploads.only_what_was_read(
            data=data, filename=path.name, reading=checked.reading
        )
        for sheet in left_out:
            self.stdout.write(f"Left out and not kept: sheet '{sheet}'.")
        try:
            versions = services.upload_store(
                spec=spec,
                organisation=person.organisation,
                user=person,
                data=kept,
                filename=path.name,
                checked=checked,
                reason=reason,
                original_sha256=hashlib.sha256(data).hexdigest(),
                sheets_left_out=left_out,
            )
        except services.ReturnError as exc:
            raise CommandError(f"{exc.message} Nothing was stored.") from exc
        for version in versions:
            self.stdout.write(f"Saved version {version.number} of the {version.ret}.")
        if submit:
            self._submit(versions, person)

    def _submit(self, versions, person):
        refused = 0
        for version in versions:
            try:
                services.return_submit(ret=version.ret, user=person)
            except services.ReturnError as exc:
                refused += 1
                self.stdout.write(f"NOT SUBMITTED: the {version.ret}: {exc.message}")
                for problem in exc.problems:
                    self.stdout.write(f"  {problem.severity.upper()}: {problem}")
            else:
                self.stdout.write(f"Submitted the {version.ret}.")
        if refused:
            raise CommandError(f"{refused} return(s) were saved as drafts but not submitted.")
