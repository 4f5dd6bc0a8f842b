"""Base class of fupin's management commands: one operation each; coded errors exit non-zero."""

from django.core.management.base import BaseCommand, CommandError

from fupin.core.errors import FupinError
from fupin.core.operations import operation_scope


class FupinCommand(BaseCommand):
    """A management command run as one operation (its events share one id), whose FupinError
    becomes `code: message` on stderr and a non-zero exit."""

    def execute(self, *args, **options):
        try:
            with operation_scope():
                return super().execute(*args, **options)
        except FupinError as exc:
            raise CommandError(
                f"{exc.code}: {exc.message}", returncode=exc_returncode(exc)
            ) from exc


def exc_returncode(exc: FupinError) -> int:
    """Return the exit code of a refused command (2 for bad input or a file too large, else 1)."""
    return 2 if exc.status in (413, 422) else 1
