"""Permission backend: a role's permissions, limited to objects in the user's region subtree."""

from django.contrib.auth.backends import ModelBackend

from fupin.accounts.roles import role_permissions


def object_region_code(obj) -> str | None:
    """Return the region code an object belongs to (its `region_code` attribute)."""
    return getattr(obj, "region_code", None)


class RegionScopeBackend(ModelBackend):
    """Answer `has_perm(perm, obj)` from the user's role and region."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(role_permissions(user_obj.role)) | super().get_all_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if perm not in self.get_all_permissions(user_obj):
            return False
        if obj is None:
            return True
        prefix = user_obj.scope_prefix
        code = object_region_code(obj)
        return prefix is not None and code is not None and code.startswith(prefix)
