"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.core.spine import DataName
from fupin.registry import choices as rc


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    HOUSEHOLD_CREATED_FROM_CASE = "household.created_from_case", _("由监测案件建档")
    HOUSEHOLD_MONITORING_MARK_UNDONE = "household.monitoring_mark_undone", _("撤销监测标识")
    PERSON_ID_REVEALED = "person.id_revealed", _("查看完整证件号码")
    REGISTRY_HOUSEHOLDS_EXPORTED = "registry.households_exported", _("导出农户档案")
    REGISTRY_HOUSEHOLDS_IMPORTED = "registry.households_imported", _("导入农户档案")
    REGISTRY_INCOMES_IMPORTED = "registry.incomes_imported", _("导入年度收入")


#: The names in the data of the events about households, with their labels.
DATA = {
    "monitoring_type": DataName(_("监测类型"), rc.MonitoringType),
    "risk_types": DataName(_("风险类型"), rc.RiskType),
}
