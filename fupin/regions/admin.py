from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.regions.models import Region


@admin.register(Region)
class RegionAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "is_key"]
    list_filter = ["level", "is_key"]
    search_fields = ["code", "name"]
