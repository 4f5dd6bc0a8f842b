from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.projects.models import (
    OperatingContract,
    Operator,
    ProgressEntry,
    Project,
    ProjectBeneficiary,
    ProjectMove,
    ProjectReview,
    RectificationPlan,
    ReviewResult,
)


class ReadOnlyAdmin(NoDeleteAdminMixin, admin.ModelAdmin):
    """Records written only by the services (moves, review runs): shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "region", "year", "category", "status"]
    list_filter = ["status", "category", "year"]
    search_fields = ["code", "name", "region__code"]
    raw_id_fields = ["region"]
    # The state moves only through project_move, which records the move and its checks.
    readonly_fields = ["status", "operating_since", "status_changed_at"]


@admin.register(ProjectMove)
class ProjectMoveAdmin(ReadOnlyAdmin):
    list_display = ["project", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["project__code"]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "on", "percent"]
    search_fields = ["project__code"]
    raw_id_fields = ["project", "actor"]


@admin.register(Operator)
class OperatorAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "licence_no", "region", "credit_clean", "qualified_at"]
    list_filter = ["kind", "credit_clean"]
    search_fields = ["name", "licence_no"]
    raw_id_fields = ["region", "qualified_by"]
    readonly_fields = ["qualified_by", "qualified_at"]


@admin.register(OperatingContract)
class OperatingContractAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "operator", "kind", "start_date", "end_date", "annual_amount"]
    list_filter = ["kind"]
    search_fields = ["project__code", "operator__name"]
    raw_id_fields = ["project", "operator"]


@admin.register(ProjectBeneficiary)
class ProjectBeneficiaryAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "household", "year", "persons"]
    list_filter = ["year"]
    search_fields = ["project__code", "household__household_no"]
    raw_id_fields = ["project", "household"]


@admin.register(RectificationPlan)
class RectificationPlanAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["project", "kind", "deadline", "status", "responsible_name"]
    list_filter = ["kind", "status"]
    search_fields = ["project__code"]
    raw_id_fields = ["project", "resolution", "created_by"]
    readonly_fields = ["status", "resolution", "approved_at", "completed_on"]


@admin.register(ProjectReview)
class ProjectReviewAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "reviewed", "healthy", "weak", "idle", "created_at"]
    list_filter = ["year"]


@admin.register(ReviewResult)
class ReviewResultAdmin(ReadOnlyAdmin):
    list_display = ["review", "project", "verdict", "expected", "actual", "last_income_on"]
    list_filter = ["verdict"]
