from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from orgunits.services import import_orgunits


class Command(BaseCommand):
    help = "Import the party hierarchy from a CSV or XLSX file (all-or-nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", default="vi", help="Language of the messages (vi, en).")

    def handle(self, *args, file: Path, language: str, **options) -> None:
        translation.activate(language)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from error
        result = import_orgunits(data=data)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s error(s); nothing was saved.") % {"count": len(result.errors)}
            )
        self.stdout.write(
            _(
                "Import done: %(created)s added, %(updated)s updated, %(moved)s moved, "
                "%(unchanged)s unchanged."
            )
            % vars(result)
        )
