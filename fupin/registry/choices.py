"""Registry codes (docs/domain.md "Households and their standing"): keys in code, labels in the UI;
the TRANSITIONS tables of a household's poverty status and risk state."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fupin.accounts.choices import Role


class PovertyStatus(models.TextChoices):
    NONE = "none", _("一般农户")
    NOT_LIFTED = "not_lifted", _("未脱贫")
    LIFTED = "lifted", _("已脱贫")


# status -> {status: roles}. The poverty status is the national register's (建档立卡): it changes
# only when an import restates the record, never by a user's move, so every move is the system's.
# A household is registered poor (识别), lifted out (脱贫) or falls back (返贫); one registered by
# mistake is removed (清退, a removal reason), it does not go back to 一般农户.
POVERTY_TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    PovertyStatus.NONE: {PovertyStatus.NOT_LIFTED: ()},
    PovertyStatus.NOT_LIFTED: {PovertyStatus.LIFTED: ()},
    PovertyStatus.LIFTED: {PovertyStatus.NOT_LIFTED: ()},
}


class HouseholdType(models.TextChoices):
    GENERAL = "general", _("一般户")
    DIBAO = "dibao", _("低保户")
    TEKUN = "tekun", _("特困供养户")


class MonitoringType(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    EDGE = "edge", _("边缘易致贫户")
    SUDDEN = "sudden", _("突发严重困难户")


class RiskState(models.TextChoices):
    OPEN = "open", _("风险未消除")
    ELIMINATED = "eliminated", _("风险已消除")


# state -> {state: roles}. The county's decision on a monitoring case moves a monitored household's
# risk: an exit eliminates it, a new inclusion opens it again, undoing a wrong mark puts back the
# state before the mark (monitoring). An import restates it as the system. Putting a mark on or
# taking it off (the empty state of an unmarked household) is not a move of the risk.
RISK_TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    RiskState.OPEN: {RiskState.ELIMINATED: (Role.COUNTY_OFFICER,)},
    RiskState.ELIMINATED: {RiskState.OPEN: (Role.COUNTY_OFFICER,)},
}


class RemovalReason(models.TextChoices):
    WRONG_IDENTIFICATION = "wrong_identification", _("识别不准清退")
    DECEASED = "deceased", _("整户死亡")
    MOVED = "moved", _("整户迁出")


class SupportCategory(models.TextChoices):
    """Derived standing used by pairing, distribution and reports; first match wins, in this order."""

    NOT_LIFTED = "not_lifted", _("未脱贫")
    MONITORED = "monitored", _("监测对象")
    LIFTED_SUPPORTED = "lifted_supported", _("脱贫享受政策")
    LIFTED = "lifted", _("脱贫不享受政策")
    ORDINARY = "ordinary", _("一般农户")


# Categories whose households must each have at least one active cadre.
CATEGORIES_NEEDING_CADRE = (
    SupportCategory.NOT_LIFTED,
    SupportCategory.MONITORED,
    SupportCategory.LIFTED_SUPPORTED,
)


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    LACK_LAND = "lack_land", _("缺土地")
    LACK_WATER = "lack_water", _("缺水")
    LACK_SKILLS = "lack_skills", _("缺技术")
    LACK_LABOR = "lack_labor", _("缺劳力")
    LACK_CAPITAL = "lack_capital", _("缺资金")
    TRANSPORT = "transport", _("交通条件落后")
    LOW_MOTIVATION = "low_motivation", _("自身发展动力不足")
    MARRIAGE = "marriage", _("因婚")
    FUNERAL = "funeral", _("因丧")
    OTHER = "other", _("其他")


class RiskType(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    LACK_LABOR = "lack_labor", _("缺劳动力")
    ACCIDENT = "accident", _("意外事故")
    INDUSTRY_FAILURE = "industry_failure", _("产业失败")
    UNSTABLE_EMPLOYMENT = "unstable_employment", _("务工就业不稳")
    OTHER = "other", _("其他")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    DAUGHTER_IN_LAW = "daughter_in_law", _("之儿媳")
    SON_IN_LAW = "son_in_law", _("之女婿")
    GRANDSON = "grandson", _("之孙子")
    GRANDDAUGHTER = "granddaughter", _("之孙女")
    FATHER = "father", _("之父")
    MOTHER = "mother", _("之母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS = "serious", _("患有大病")
    DISABLED = "disabled", _("残疾")


class DisabilityGrade(models.IntegerChoices):
    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


class LaborAbility(models.TextChoices):
    SKILLED = "skilled", _("技能劳动力")
    ORDINARY = "ordinary", _("普通劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


class Schooling(models.TextChoices):
    NONE = "none", _("非在校生")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("普通高中")
    VOCATIONAL = "vocational", _("中职")
    HIGHER_VOCATIONAL = "higher_vocational", _("高职")
    COLLEGE = "college", _("大专及以上")


class LeftReason(models.TextChoices):
    DECEASED = "deceased", _("死亡")
    MOVED = "moved", _("迁出")
    MARRIED_OUT = "married_out", _("嫁出")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
