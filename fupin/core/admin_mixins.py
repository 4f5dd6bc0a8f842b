"""Admin behaviour shared by every app: nothing a user entered is ever hard-deleted."""


class NoDeleteAdminMixin:
    """Hide the delete action and refuse deletion; records are ended or removed by services instead."""

    def has_delete_permission(self, request, obj=None):
        return False
