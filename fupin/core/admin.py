from django.contrib import admin

from fupin.core.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "object_type", "object_id", "region_code"]
    list_filter = ["verb"]
    search_fields = ["object_id", "region_code"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
