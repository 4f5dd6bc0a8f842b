"""Codes of department screening: the rules, with their labels and the risk type each suggests;
the runs' statuses and their TRANSITIONS table."""

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


class FeedName(models.TextChoices):
    """The department feeds (analytics.screening.FEEDS), labelled by the department that sends each."""

    POPULATION = "population", _("户籍人口（公安）")
    INCOME = "income", _("家庭收入（收入调查）")
    MEDICAL = "medical", _("医保结算（医保）")
    DISABILITY = "disability", _("残疾人证（残联）")
    DISASTER = "disaster", _("受灾损失（应急管理）")
    EDUCATION = "education", _("学籍（教育）")
    HOUSING = "housing", _("住房安全鉴定（住建）")
    CIVIL = "civil", _("低保特困（民政）")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


# status -> {status: roles}. The county queues a run (it is created queued); from then on only the
# run's own work moves it, so every move is the system's: it starts, then ends done or failed, and
# a run a restart interrupted is failed by the next start. Done and failed are final.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    RunStatus.QUEUED: {RunStatus.RUNNING: (), RunStatus.FAILED: ()},
    RunStatus.RUNNING: {RunStatus.DONE: (), RunStatus.FAILED: ()},
    RunStatus.DONE: {},
    RunStatus.FAILED: {},
}
# The runs at work (a county has at most one).
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)


# The phases a run reports while it works (the engine's, then the cases).
PHASE_LABELS = {
    "read": _("读取并校验数据"),
    "match": _("与人口数据比对"),
    "rules": _("执行筛查规则"),
    "write": _("写出结果"),
    "findings": _("汇总预警户"),
    "flags": _("保存预警结果"),
    "cases": _("发起监测案件"),
}
