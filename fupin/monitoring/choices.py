"""Codes of monitoring cases, and the TRANSITIONS table of the identification and exit procedure."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.accounts.choices import Role


class CaseKind(models.TextChoices):
    IDENTIFICATION = "identification", _("监测识别")
    EXIT = "exit", _("风险消除/退出")


class Route(models.TextChoices):
    DECLARATION = "declaration", _("农户自主申报")
    CADRE = "cadre", _("基层干部排查")
    SCREENING = "screening", _("部门筛查预警")


class Stage(models.TextChoices):
    VERIFY = "verify", _("入户核查")
    COMPARE = "compare", _("信息比对")
    APPRAISE = "appraise", _("民主评议")
    NOTICE = "notice", _("村级公示")
    TOWN_REVIEW = "town_review", _("乡镇审核")
    COUNTY_DECIDE = "county_decide", _("县级审定")
    CLOSED = "closed", _("已办结")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    APPROVED = "approved", _("已审定")
    REJECTED = "rejected", _("未通过")


class Decision(models.TextChoices):
    PASS = "pass", _("通过")
    RETURN = "return", _("退回")
    REJECT = "reject", _("不予通过")


class ExitReason(models.TextChoices):
    RISK_ELIMINATED = "risk_eliminated", _("风险消除")
    INCOME_STABLE = "income_stable", _("收入持续稳定")
    DECEASED = "deceased", _("整户死亡")
    MOVED = "moved", _("整户迁出")
    # The mark was wrong: the household goes back to the standing it had before (docs/decisions/0050).
    WRONG_IDENTIFICATION = "wrong_identification", _("标识错误（撤销监测标识）")
    # The household should never have been registered: 清退 (removal reason wrong_identification).
    REMOVAL = "removal", _("识别不准清退（不应建档）")


# Exit reasons that end the household's record rather than its risk (mapped to a removal reason).
REMOVAL_BY_EXIT_REASON = {
    ExitReason.DECEASED: "deceased",
    ExitReason.MOVED: "moved",
    ExitReason.REMOVAL: "wrong_identification",
}

# The stages of the procedure in order, each with the one role that acts on it.
STAGE_ROLE = {
    Stage.VERIFY: Role.VILLAGE_OFFICER,
    Stage.COMPARE: Role.VILLAGE_OFFICER,
    Stage.APPRAISE: Role.VILLAGE_OFFICER,
    Stage.NOTICE: Role.VILLAGE_OFFICER,
    Stage.TOWN_REVIEW: Role.TOWN_OFFICER,
    Stage.COUNTY_DECIDE: Role.COUNTY_OFFICER,
}
ORDER = list(STAGE_ROLE)

# (stage, decision) -> next stage. A pass of the last stage and every reject close the case.
TRANSITIONS: dict[tuple[str, str], str] = {}
for _index, _stage in enumerate(ORDER):
    TRANSITIONS[(_stage, Decision.PASS)] = (
        ORDER[_index + 1] if _index + 1 < len(ORDER) else Stage.CLOSED
    )
    TRANSITIONS[(_stage, Decision.REJECT)] = Stage.CLOSED
    if _index > 0:
        TRANSITIONS[(_stage, Decision.RETURN)] = ORDER[_index - 1]
