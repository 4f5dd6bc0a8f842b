"""The `fupin` console script: Django's management commands with fupin's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (`fupin migrate`, `fupin import households FILE`, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fupin", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
