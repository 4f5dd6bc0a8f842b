"""Region-scoped querysets: every read starts from what the user's role and region grant."""

from django.db import models


def user_prefix(user) -> str | None:
    """Return the code prefix of the user's region ('' = everything, None = nothing)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "scope_prefix", None)


class ScopedQuerySet(models.QuerySet):
    """A queryset whose `restrict(user, action)` keeps the rows the user may act on.

    A row is in scope when its region code starts with the user's prefix AND the user holds the
    permission of the action on the model, `<app_label>.<action>_<model_name>` (NetBox's
    RestrictedQuerySet); without it nothing is returned. Subclasses name the lookup that holds
    the row's 12-digit region code in `region_lookup`.
    """

    region_lookup = "region__code"

    def permission(self, action: str = "view") -> str:
        """Return the permission codename of an action on this queryset's model."""
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    def in_region(self, user):
        """Return the rows under the user's region whatever the role may do (to tell 403 from 404)."""
        prefix = user_prefix(user)
        if prefix is None:
            return self.none()
        return self.filter(**{f"{self.region_lookup}__startswith": prefix}) if prefix else self

    def restrict(self, user, action: str = "view", *, perm: str | None = None):
        """Return the rows inside the user's region on which the role may do the action.

        `perm` names the permission where its codename is not `<app>.<action>_<model>`.
        """
        perm = perm or self.permission(action)
        if not getattr(user, "is_authenticated", False) or not user.has_perm(perm):
            return self.none()
        return self.in_region(user)

    def get_restricted(self, user, action: str = "view", *, perm: str | None = None, **lookup):
        """Return the one row matching `lookup` on which the user may do the action.

        Raise `Forbidden` when the row is in the user's region but the role may not do the
        action, `NotFound` when it is absent or outside the region (never tell which).
        """
        from fupin.core.errors import Forbidden, NotFound

        row = self.restrict(user, action, perm=perm).filter(**lookup).first()
        if row is not None:
            return row
        if user_prefix(user) is not None and self.in_region(user).filter(**lookup).exists():
            raise Forbidden(details={"what": self.model._meta.model_name})
        raise NotFound(self.model._meta.model_name, {k: str(v) for k, v in lookup.items()})
