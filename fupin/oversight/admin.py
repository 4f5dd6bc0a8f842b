from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.oversight.models import Scorecard, ScorecardRow


class ScorecardRowInline(admin.TabularInline):
    model = ScorecardRow
    fields = ["region", "rank", "total", "figures"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    """A published ranking is read-only: closing is the only way one comes to exist."""

    list_display = ["region", "start", "end", "closed_at", "closed_by"]
    search_fields = ["region__code", "region__name"]
    readonly_fields = ["region", "start", "end", "as_of", "weights", "targets", "closed_by"]
    inlines = [ScorecardRowInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
