from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.councils.models import Council, CouncilMember, Meeting, Resolution


@admin.register(Council)
class CouncilAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "village", "established_on")
    search_fields = ("name", "village__code")


@admin.register(CouncilMember)
class CouncilMemberAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "council", "role", "represents_poor", "start_date", "end_date")
    list_filter = ("role", "represents_poor")


@admin.register(Meeting)
class MeetingAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ("council", "held_on", "attendees")


@admin.register(Resolution)
class ResolutionAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "meeting", "votes_for", "adopted")
    list_filter = ("kind", "adopted")
