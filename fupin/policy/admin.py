from django.contrib import admin

from fupin.policy.models import PolicyValue


@admin.register(PolicyValue)
class PolicyValueAdmin(admin.ModelAdmin):
    """Read-only: values are set with `fupin policy set` or the policy page, which record who and why."""

    list_display = ["key", "region", "value", "valid_from", "sourced", "created_by", "created_at"]
    list_filter = ["key", "sourced"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
