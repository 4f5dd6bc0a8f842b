"""Writes of the registry: importing households with their members, and incomes."""

from pathlib import Path

from fupin.core.importing import ImportResult
from fupin.registry.importing import HouseholdFile, IncomeFile


def household_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update households and members from a file, one row per person; all or nothing.

    Counts are of households; `details["persons"]` counts the persons. Members stored but absent
    from the file are left as they are (docs/decisions). Without an actor the import is a system
    import with the whole country in scope.
    """
    return HouseholdFile(path=path, actor=actor).run()


def income_import(*, path: str | Path, actor=None) -> ImportResult:
    """Create or update household incomes from a file, one row per household and year; all or nothing."""
    return IncomeFile(path=path, actor=actor).run()
