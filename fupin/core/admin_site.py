"""The admin site of fupin: for superusers only.

The admin shows every row unscoped and unmasked (full ID numbers, no reveal event), so a role
user may never enter it, whatever their staff flag says (docs/decisions/0046).
"""

from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    """An admin site that only an active superuser may open."""

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_superuser)
