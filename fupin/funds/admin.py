from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.funds.models import Allocation, Disbursement, FundSource, Loan, Repayment


@admin.register(FundSource)
class FundSourceAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "region", "kind", "level", "amount", "document_no"]
    list_filter = ["kind", "level", "year"]
    search_fields = ["document_no", "region__code"]
    raw_id_fields = ["region"]


@admin.register(Allocation)
class AllocationAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["allocated_on", "source", "project", "amount", "document_no"]
    raw_id_fields = ["source", "project"]


@admin.register(Disbursement)
class DisbursementAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["paid_on", "allocation", "amount", "voucher_no"]
    search_fields = ["voucher_no"]
    raw_id_fields = ["allocation"]


@admin.register(Loan)
class LoanAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["household", "bank", "amount", "start_date", "due_date", "status"]
    list_filter = ["status"]
    search_fields = ["household__household_no", "contract_no"]
    raw_id_fields = ["household"]


@admin.register(Repayment)
class RepaymentAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["paid_on", "loan", "principal", "interest", "voucher_no"]
    raw_id_fields = ["loan"]
