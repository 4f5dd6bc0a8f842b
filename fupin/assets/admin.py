from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.assets.models import Asset, AssetFunding, IncomeEntry
from fupin.core.admin_mixins import NoDeleteAdminMixin


@admin.register(Asset)
class AssetAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "category", "owner_kind", "village", "value", "formed_on"]
    list_filter = ["category", "owner_kind"]
    search_fields = ["name", "village__code"]
    raw_id_fields = ["project", "village", "household"]


@admin.register(AssetFunding)
class AssetFundingAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["asset", "source", "amount"]
    raw_id_fields = ["asset", "source"]


@admin.register(IncomeEntry)
class IncomeEntryAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["asset", "kind", "received_on", "amount", "voucher_no"]
    list_filter = ["kind"]
    search_fields = ["voucher_no"]
    raw_id_fields = ["asset"]
