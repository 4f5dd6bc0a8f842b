"""Base class of fupin's management commands: coded errors are printed and exit non-zero."""

from django.core.management.base import BaseCommand, CommandError

from fupin.core.errors import FupinError


class FupinCommand(BaseCommand):
    """A management command whose FupinError becomes `code: message` on stderr and exit 1."""

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except FupinError as exc:
            raise CommandError(
                f"{exc.code}: {exc.message}", returncode=exc_returncode(exc)
            ) from exc


def exc_returncode(exc: FupinError) -> int:
    """Return the exit code of a refused command (2 for bad input or a file too large, else 1)."""
    return 2 if exc.status in (413, 422) else 1
