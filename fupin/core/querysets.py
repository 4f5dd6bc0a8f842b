"""Region-scoped querysets: every read starts from what the user's region grants."""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `restrict(user)` keeps the rows under the user's region.

    Subclasses name the lookup that holds the row's 12-digit region code in `region_lookup`.
    """

    region_lookup = "region__code"

    def restrict(self, user):
        """Return the rows inside the user's scope (none for a user without one)."""
        prefix = (
            getattr(user, "scope_prefix", None)
            if getattr(user, "is_authenticated", False)
            else None
        )
        if prefix is None:
            return self.none()
        return self.filter(**{f"{self.region_lookup}__startswith": prefix}) if prefix else self
