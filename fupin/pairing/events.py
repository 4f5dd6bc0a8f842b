"""The events this app records: each verb, as stored, with the label the timeline shows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    """The verbs of the events this app records (fupin.core.services.event_record refuses others)."""

    PAIRING_ADDED = "pairing.added", _("结对帮扶")
    PAIRING_ALLOCATED = "pairing.allocated", _("分配结对")
    PAIRING_ALLOCATION_DRY_RUN = "pairing.allocation_dry_run", _("试算结对分配")
    PAIRING_CADRE_ACTIVATED = "pairing.cadre_activated", _("启用帮扶责任人")
    PAIRING_CADRE_LEFT = "pairing.cadre_left", _("帮扶责任人离岗")
    PAIRING_CADRE_ADDED = "pairing.cadre_added", _("登记帮扶责任人")
    PAIRING_CADRE_UPDATED = "pairing.cadre_updated", _("修改帮扶责任人")
    PAIRING_CADRES_IMPORTED = "pairing.cadres_imported", _("导入帮扶责任人")
    PAIRING_ENDED = "pairing.ended", _("结束结对")
    PAIRING_PAIRINGS_IMPORTED = "pairing.pairings_imported", _("导入结对关系")
    PAIRING_ROUND_VISIT_RECORDED = "pairing.round_visit_recorded", _("记录遍访")
    PAIRING_UNIT_ADDED = "pairing.unit_added", _("登记帮扶单位")
    PAIRING_UNIT_UPDATED = "pairing.unit_updated", _("修改帮扶单位")
    PAIRING_UNIT_VILLAGE_ADDED = "pairing.unit_village_added", _("帮扶单位包村")
    PAIRING_UNITS_IMPORTED = "pairing.units_imported", _("导入帮扶单位")
    PAIRING_VILLAGE_POST_ADDED = "pairing.village_post_added", _("村级岗位任职")
    PAIRING_VISIT_PHOTO_ADDED = "pairing.visit_photo_added", _("上传走访照片")
    PAIRING_VISIT_RECORDED = "pairing.visit_recorded", _("记录走访")
