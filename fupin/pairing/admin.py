from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.pairing.models import (
    AidUnit,
    AllocationRun,
    Cadre,
    Pairing,
    RoundVisit,
    UnitVillage,
    VillagePost,
    Visit,
)


@admin.register(AidUnit)
class AidUnitAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "level", "region", "active"]
    list_filter = ["level", "active"]
    search_fields = ["name", "region__code"]
    raw_id_fields = ["region"]


@admin.register(UnitVillage)
class UnitVillageAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "village", "start_date", "end_date"]
    search_fields = ["unit__name", "village__code"]
    raw_id_fields = ["unit", "village"]


@admin.register(Cadre)
class CadreAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "position", "active"]
    list_filter = ["active"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit", "user"]
    exclude = ["id_number"]


@admin.register(VillagePost)
class VillagePostAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["village", "role", "cadre", "start_date", "end_date"]
    list_filter = ["role"]
    raw_id_fields = ["cadre", "village"]


@admin.register(Pairing)
class PairingAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["cadre", "household", "start_date", "end_date", "end_reason"]
    list_filter = ["end_reason"]
    search_fields = ["household__household_no", "cadre__name"]
    raw_id_fields = ["cadre", "household"]


@admin.register(AllocationRun)
class AllocationRunAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    list_display = ["region", "created_at", "dry_run", "kept", "ended", "added", "uncovered"]
    raw_id_fields = ["region", "actor"]


@admin.register(Visit)
class VisitAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["household", "cadre", "visited_at", "problems_solved", "recorded_by"]
    list_filter = ["problems_solved"]
    search_fields = ["household__household_no", "cadre__name"]
    raw_id_fields = ["cadre", "household", "recorded_by"]
    readonly_fields = ["idempotency_key", "visited_on"]


@admin.register(RoundVisit)
class RoundVisitAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["leader", "region", "household", "visited_at"]
    search_fields = ["leader__username", "region__code", "household__household_no"]
    raw_id_fields = ["leader", "region", "household"]
    readonly_fields = ["idempotency_key", "visited_on"]
