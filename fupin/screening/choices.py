"""Codes of department screening: the rules, with their labels and the risk type each suggests."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.registry.choices import RiskType


class Rule(models.TextChoices):
    ASSISTANCE_MISMATCH = "assistance_mismatch", _("享受低保或特困供养但未纳入帮扶")
    DISASTER = "disaster", _("受灾损失大")
    DROPOUT = "dropout", _("义务教育阶段辍学")
    INCOME_DROP = "income_drop", _("收入大幅下降")
    LOW_INCOME = "low_income", _("人均纯收入低于监测标准")
    MEDICAL_BURDEN = "medical_burden", _("医疗自付费用负担重")
    SEVERE_DISABILITY = "severe_disability", _("新增一、二级重度残疾")
    UNSAFE_HOUSE = "unsafe_house", _("住房鉴定为 C 级或 D 级危房")


# The risk type a rule suggests for the case; the village's home check confirms or changes it.
RULE_RISK = {
    Rule.ASSISTANCE_MISMATCH: RiskType.OTHER,
    Rule.DISASTER: RiskType.DISASTER,
    Rule.DROPOUT: RiskType.SCHOOLING,
    Rule.INCOME_DROP: RiskType.OTHER,
    Rule.LOW_INCOME: RiskType.OTHER,
    Rule.MEDICAL_BURDEN: RiskType.ILLNESS,
    Rule.SEVERE_DISABILITY: RiskType.DISABILITY,
    Rule.UNSAFE_HOUSE: RiskType.OTHER,
}

# The policy keys of the rules' parameters, in the order of analytics.screening.Params.
PARAM_KEYS = {
    "income_threshold": "monitoring.income_threshold",
    "income_drop_ratio": "screening.income_drop_ratio",
    "medical_abs": "screening.medical_abs",
    "medical_ratio": "screening.medical_ratio",
    "disaster_abs": "screening.disaster_abs",
    "disaster_ratio": "screening.disaster_ratio",
}
