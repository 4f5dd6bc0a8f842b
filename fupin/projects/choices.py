"""Codes of projects: categories, the life states and the TRANSITIONS table with the roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.accounts.choices import Role


class ProjectCategory(models.TextChoices):
    """What a project builds (项目类别)."""

    INDUSTRY = "industry", _("产业发展")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    PHOTOVOLTAIC = "photovoltaic", _("光伏扶贫")
    TOURISM = "tourism", _("乡村旅游")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    """The states of a project's life."""

    PROPOSED = "proposed", _("申报")
    SCREENED = "screened", _("筛选")
    APPRAISED = "appraised", _("论证")
    APPROVED = "approved", _("审批")
    BUILDING = "building", _("建设")
    ACCEPTED = "accepted", _("验收")
    OPERATING = "operating", _("运营")
    REJECTED = "rejected", _("未通过")
    WEAK = "weak", _("弱质")
    RECTIFYING = "rectifying", _("整改")
    IDLE = "idle", _("闲置")
    REVIVING = "reviving", _("盘活")
    DISPOSED = "disposed", _("处置")


S = ProjectStatus
COUNTY = (Role.COUNTY_OFFICER, Role.CITY_ADMIN)
TOWN = (Role.TOWN_OFFICER,)

# status -> {status it may move to: the roles that may make the move}. Rejected and disposed
# are final. Proposing (creating a project in `proposed`) is the village officer's.
TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    S.PROPOSED: {S.SCREENED: TOWN, S.REJECTED: TOWN},
    S.SCREENED: {S.APPRAISED: COUNTY, S.REJECTED: COUNTY},
    S.APPRAISED: {S.APPROVED: COUNTY, S.REJECTED: COUNTY},
    S.APPROVED: {S.BUILDING: TOWN},
    S.BUILDING: {S.ACCEPTED: COUNTY},
    S.ACCEPTED: {S.OPERATING: TOWN},
    S.OPERATING: {S.WEAK: COUNTY, S.IDLE: COUNTY, S.DISPOSED: COUNTY},
    S.WEAK: {S.RECTIFYING: TOWN, S.DISPOSED: COUNTY},
    S.RECTIFYING: {S.OPERATING: TOWN},
    S.IDLE: {S.REVIVING: TOWN, S.DISPOSED: COUNTY},
    S.REVIVING: {S.OPERATING: TOWN},
    S.REJECTED: {},
    S.DISPOSED: {},
}
PROPOSE_ROLES = (Role.VILLAGE_OFFICER, Role.TOWN_OFFICER)
PROGRESS_ROLES = TOWN
QUALIFY_ROLES = COUNTY
OPERATOR_ROLES = (Role.TOWN_OFFICER, *COUNTY)
CONTRACT_ROLES = (Role.TOWN_OFFICER, *COUNTY)
RECORD_ROLES = (Role.VILLAGE_OFFICER, Role.TOWN_OFFICER, *COUNTY)
PLAN_ROLES = (Role.VILLAGE_OFFICER, Role.TOWN_OFFICER)
REVIEW_ROLES = COUNTY

# Named sets of states, for other apps to import instead of restating the strings.
# States of a project in operation whose income the look-back review (回头看) weighs.
IN_OPERATION = (S.OPERATING, S.WEAK, S.RECTIFYING, S.IDLE, S.REVIVING)
# States of a project that has formed assets: built and accepted, and not disposed of. Its assets
# are registered (assets) and contracts signed from acceptance on.
FORMED_ASSETS = (S.ACCEPTED, *IN_OPERATION)
CONTRACTABLE = FORMED_ASSETS
# States of a project that may receive money (funds): approved and not disposed of.
FUNDABLE = (S.APPROVED, S.BUILDING, *FORMED_ASSETS)
# States of a project still being decided on (proposed, not yet approved).
UNDECIDED = (S.PROPOSED, S.SCREENED, S.APPRAISED)
# The final states: no move leaves them.
FINAL = (S.REJECTED, S.DISPOSED)


class OperatorKind(models.TextChoices):
    """The kind of an operator (经营主体)."""

    ENTERPRISE = "enterprise", _("企业")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    FAMILY_FARM = "family_farm", _("家庭农场")
    COLLECTIVE = "collective", _("村集体经济组织")
    INDIVIDUAL = "individual", _("个体工商户")


class ContractKind(models.TextChoices):
    """How an operator runs a project's assets."""

    LEASE = "lease", _("租赁经营")
    SHARES = "shares", _("资产入股")
    COOPERATIVE = "cooperative", _("合作经营")


class PlanKind(models.TextChoices):
    RECTIFICATION = "rectification", _("整改")
    REVIVAL = "revival", _("盘活")


class PlanMeasure(models.TextChoices):
    """Measures of a rectification or revival plan."""

    CAPITAL_INJECTION = "capital_injection", _("资金注入")
    ASSETS_AS_SHARES = "assets_as_shares", _("资产入股")
    COOPERATIVE = "cooperative", _("合作经营")
    CHANGE_OPERATOR = "change_operator", _("更换经营主体")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("待理事会决议")
    APPROVED = "approved", _("已决议，实施中")
    DONE = "done", _("已完成")


# A plan's status -> {status: roles}. The council's resolution approves a draft (the village or
# town records it); the plan is done when its project is back in operation, a move of the town.
PLAN_TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    PlanStatus.DRAFT: {PlanStatus.APPROVED: PLAN_ROLES},
    PlanStatus.APPROVED: {PlanStatus.DONE: TOWN},
    PlanStatus.DONE: {},
}
OPEN_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.APPROVED)
# The project state a plan answers, the state it starts and the council resolution it needs.
PLAN_FOR = {PlanKind.RECTIFICATION: S.WEAK, PlanKind.REVIVAL: S.IDLE}
PLAN_STARTS = {PlanKind.RECTIFICATION: S.RECTIFYING, PlanKind.REVIVAL: S.REVIVING}
PLAN_RESOLUTION_KIND = {
    PlanKind.RECTIFICATION: "rectification_plan",
    PlanKind.REVIVAL: "revival_plan",
}
DISPOSAL_RESOLUTION_KIND = "disposal"


class ReviewClass(models.TextChoices):
    """The look-back review's verdict on a project's year."""

    HEALTHY = "healthy", _("正常")
    WEAK = "weak", _("弱质")
    IDLE = "idle", _("闲置")
