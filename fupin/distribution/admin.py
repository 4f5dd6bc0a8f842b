from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.distribution.models import DistributionLine, DistributionPlan, VillageFundEntry


@admin.register(DistributionPlan)
class DistributionPlanAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["village", "year", "amount", "households_total", "village_fund", "status"]
    list_filter = ["status", "year"]
    search_fields = ["village__code", "village__name"]
    raw_id_fields = ["village", "resolution", "created_by"]


@admin.register(DistributionLine)
class DistributionLineAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["plan", "household", "amount", "paid", "paid_on", "voucher_no"]
    list_filter = ["paid"]
    search_fields = ["household__household_no"]
    raw_id_fields = ["plan", "household"]


@admin.register(VillageFundEntry)
class VillageFundEntryAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["village", "date", "kind", "amount", "reason", "voucher_no"]
    list_filter = ["kind"]
    search_fields = ["village__code", "reason", "voucher_no"]
    raw_id_fields = ["village", "plan", "created_by"]
