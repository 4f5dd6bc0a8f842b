"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.spine import DataName
from fupin.monitoring.choices import ExitReason


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    CASE_ATTACHMENT_ADDED = "case.attachment_added", _("上传案件材料")
    CASE_JOINED = "case.joined", _("并入在办案件")
    CASE_OBJECTION_ANSWERED = "case.objection_answered", _("答复公示异议")
    CASE_OBJECTION_LODGED = "case.objection_lodged", _("登记公示异议")
    CASE_OPENED = "case.opened", _("新建监测案件")
    HOUSEHOLD_MONITORING_EXITED = "household.monitoring_exited", _("退出监测")
    HOUSEHOLD_MONITORING_INCLUDED = "household.monitoring_included", _("纳入监测")

    # A stage's decision on a case: case.<Decision> (case_advance).
    CASE_PASS = "case.pass", _("案件通过")
    CASE_RETURN = "case.return", _("案件退回")
    CASE_REJECT = "case.reject", _("案件不予通过")


#: The names in the data of the events of cases, with their labels.
DATA = {
    "case": DataName(_("监测案件编号")),
    "inclusion": DataName(_("所撤销的纳入案件编号")),
    "plan_due_date": DataName(_("帮扶计划期限")),
    "exit_reason": DataName(_("退出原因"), ExitReason),
}
