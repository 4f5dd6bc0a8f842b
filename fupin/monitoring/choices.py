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

S = Stage
D = Decision
VILLAGE = (Role.VILLAGE_OFFICER,)
TOWN = (Role.TOWN_OFFICER,)
COUNTY = (Role.COUNTY_OFFICER,)

# stage -> {stage it may move to: the roles that may make the move}: the owner of a stage passes
# it on, returns it one stage back (not from the first) or closes it by rejecting it; the
# county's pass closes it too. Closed is final.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    S.VERIFY: {S.COMPARE: VILLAGE, S.CLOSED: VILLAGE},
    S.COMPARE: {S.APPRAISE: VILLAGE, S.VERIFY: VILLAGE, S.CLOSED: VILLAGE},
    S.APPRAISE: {S.NOTICE: VILLAGE, S.COMPARE: VILLAGE, S.CLOSED: VILLAGE},
    S.NOTICE: {S.TOWN_REVIEW: VILLAGE, S.APPRAISE: VILLAGE, S.CLOSED: VILLAGE},
    S.TOWN_REVIEW: {S.COUNTY_DECIDE: TOWN, S.NOTICE: TOWN, S.CLOSED: TOWN},
    S.COUNTY_DECIDE: {S.CLOSED: COUNTY, S.TOWN_REVIEW: COUNTY},
    S.CLOSED: {},
}

# stage -> {decision: the stage it leads to}: what picks the move of TRANSITIONS.
DECISIONS: dict[str, dict[str, str]] = {
    S.VERIFY: {D.PASS: S.COMPARE, D.REJECT: S.CLOSED},
    S.COMPARE: {D.PASS: S.APPRAISE, D.RETURN: S.VERIFY, D.REJECT: S.CLOSED},
    S.APPRAISE: {D.PASS: S.NOTICE, D.RETURN: S.COMPARE, D.REJECT: S.CLOSED},
    S.NOTICE: {D.PASS: S.TOWN_REVIEW, D.RETURN: S.APPRAISE, D.REJECT: S.CLOSED},
    S.TOWN_REVIEW: {D.PASS: S.COUNTY_DECIDE, D.RETURN: S.NOTICE, D.REJECT: S.CLOSED},
    S.COUNTY_DECIDE: {D.PASS: S.CLOSED, D.RETURN: S.TOWN_REVIEW, D.REJECT: S.CLOSED},
    S.CLOSED: {},
}

# status -> {status: roles}. A case is approved by the county's pass of its last stage and
# rejected by the owner of the stage it is at; approved and rejected are final.
STATUS_TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    CaseStatus.OPEN: {CaseStatus.APPROVED: COUNTY, CaseStatus.REJECTED: (*VILLAGE, *TOWN, *COUNTY)},
    CaseStatus.APPROVED: {},
    CaseStatus.REJECTED: {},
}
# The status a case closed by each decision ends in.
CLOSED_BY = {D.PASS: CaseStatus.APPROVED, D.REJECT: CaseStatus.REJECTED}
