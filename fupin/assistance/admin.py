from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.assistance.models import AssistancePlan, Measure
from fupin.core.admin_mixins import NoDeleteAdminMixin


@admin.register(AssistancePlan)
class AssistancePlanAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["household", "due_date", "responsible_name", "updated_at"]
    list_filter = ["due_date"]
    search_fields = ["household__household_no", "responsible_name"]
    raw_id_fields = ["household", "responsible_user"]


@admin.register(Measure)
class MeasureAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["plan", "category", "status", "amount", "start_date", "end_date"]
    list_filter = ["category", "status"]
    search_fields = ["plan__household__household_no", "responsible_name"]
    raw_id_fields = ["plan"]
