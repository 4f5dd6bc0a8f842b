"""The labels pages show for business events: their verbs, the names in their data and its values.

Events are recorded with English codes (`household.monitoring_included`, `{"monitoring_type":
"unstable"}`); people read labels. Every verb an app records has a label here (a test reads the
code for `verb="…"` and fails on a verb without one); a verb recorded with a computed suffix
(`case.pass`, `project.building`) is labelled from its prefix and the suffix's choice label.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.monitoring import choices as mc
from fupin.oversight.choices import Indicator
from fupin.policy.keys import policy_keys
from fupin.projects import choices as pc
from fupin.registry import choices as rc

VERB_LABELS = {
    "assets.asset_added": _("登记资产"),
    "assets.funding_added": _("登记资产资金构成"),
    "assets.income_added": _("登记资产收益"),
    "case.attachment_added": _("上传案件材料"),
    "case.joined": _("并入在办案件"),
    "case.objection_answered": _("答复公示异议"),
    "case.objection_lodged": _("登记公示异议"),
    "case.opened": _("新建监测案件"),
    "councils.created": _("成立理事会"),
    "councils.meeting_recorded": _("记录理事会会议"),
    "councils.member_added": _("增补理事会成员"),
    "councils.member_ended": _("理事会成员离任"),
    "demo.loaded": _("装入演示数据"),
    "distribution.fund_entry_added": _("登记村级资金收支"),
    "distribution.lines_paid": _("发放收益分配"),
    "distribution.plan_cancelled": _("撤销分配方案"),
    "distribution.plan_drafted": _("拟定分配方案"),
    "distribution.plan_effective": _("分配方案生效"),
    "distribution.plan_noticed": _("公示分配方案"),
    "distribution.plan_resolved": _("理事会决议分配方案"),
    "funds.allocated": _("安排资金到项目"),
    "funds.disbursed": _("拨付资金"),
    "funds.loan_added": _("登记小额信贷"),
    "funds.repaid": _("登记还款"),
    "funds.source_added": _("登记资金来源"),
    "household.created_from_case": _("由监测案件建档"),
    "household.monitoring_exited": _("退出监测"),
    "household.monitoring_included": _("纳入监测"),
    "household.monitoring_mark_undone": _("撤销监测标识"),
    "measure.added": _("添加帮扶措施"),
    "measure.moved": _("变更措施状态"),
    "measure.updated": _("修改帮扶措施"),
    "oversight.scorecard_closed": _("考核结果定稿"),
    "oversight.scorecard_exported": _("导出考核结果"),
    "pairing.added": _("结对帮扶"),
    "pairing.allocation_dry_run": _("试算结对分配"),
    "pairing.cadre_activated": _("启用帮扶责任人"),
    "pairing.cadre_added": _("登记帮扶责任人"),
    "pairing.cadres_imported": _("导入帮扶责任人"),
    "pairing.ended": _("结束结对"),
    "pairing.pairings_imported": _("导入结对关系"),
    "pairing.round_visit_recorded": _("记录遍访"),
    "pairing.unit_added": _("登记帮扶单位"),
    "pairing.unit_village_added": _("帮扶单位包村"),
    "pairing.units_imported": _("导入帮扶单位"),
    "pairing.village_post_added": _("村级岗位任职"),
    "pairing.visit_photo_added": _("上传走访照片"),
    "pairing.visit_recorded": _("记录走访"),
    "person.id_revealed": _("查看完整证件号码"),
    "plan.created": _("建立帮扶计划"),
    "plan.due_date_set": _("调整措施落实期限"),
    "plan.required": _("要求建立帮扶计划"),
    "plan.updated": _("修改帮扶计划"),
    "policy.set": _("设定政策参数"),
    "project.beneficiaries": _("登记项目受益户"),
    "project.contract_added": _("登记经营合同"),
    "project.list_exported": _("导出项目清单"),
    "project.operator_added": _("登记经营主体"),
    "project.operator_qualified": _("认定经营主体资质"),
    "project.progress": _("登记项目进度"),
    "project.proposed": _("申报项目"),
    "project.review": _("项目回头看"),
    "project.review_exported": _("导出回头看结果"),
    "region.key_set": _("设定重点镇村"),
    "regions.imported": _("导入行政区划"),
    "registry.households_exported": _("导出农户档案"),
    "registry.households_imported": _("导入农户档案"),
    "registry.incomes_imported": _("导入年度收入"),
    "screening.feed_uploaded": _("报送筛查数据"),
    "screening.run_started": _("开始部门筛查"),
    "token.created": _("创建接口令牌"),
    "user.added": _("新建用户"),
    "user.position_set": _("设定职务"),
}

# Verbs recorded as `<prefix><choice>`: the label of the prefix and the label of the choice.
VERB_FAMILIES = {
    "case.": (_("案件%(choice)s"), mc.Decision),
    "project.": (_("项目转入%(choice)s"), pc.ProjectStatus),
}


def verb_label(verb: str) -> str:
    """Return the label of an event's verb; a verb with no label reads as a generic action."""
    if verb in VERB_LABELS:
        return str(VERB_LABELS[verb])
    for prefix, (text, choices) in VERB_FAMILIES.items():
        suffix = verb.removeprefix(prefix)
        if verb.startswith(prefix) and suffix in choices.values:
            return gettext(str(text)) % {"choice": choices(suffix).label}
        if verb.startswith(prefix) and suffix.endswith(("_plan_added", "_plan_approved")):
            kind, _sep, step = suffix.partition("_plan_")
            if kind in pc.PlanKind.values:
                label = _("%(kind)s方案：提出") if step == "added" else _("%(kind)s方案：批准")
                return gettext(str(label)) % {"kind": pc.PlanKind(kind).label}
    return gettext("其他操作")


# The names in events' data, and the choices their values are codes of.
DATA_LABELS = {
    "case": _("监测案件编号"),
    "inclusion": _("所撤销的纳入案件编号"),
    "monitoring_type": _("监测类型"),
    "risk_types": _("风险类型"),
    "plan_due_date": _("帮扶计划期限"),
    "exit_reason": _("退出原因"),
    "reason": _("原因"),
    "from": _("原状态"),
    "to": _("新状态"),
}
DATA_CHOICES = {
    "monitoring_type": rc.MonitoringType,
    "risk_types": rc.RiskType,
    "exit_reason": mc.ExitReason,
}

# Reasons written by the system rather than typed by a person.
REASON_LABELS = {"demo": _("演示数据")}


def reason_label(reason: str) -> str:
    """Return a history or event reason as shown: a system reason by its label, a person's as typed."""
    head, sep, rest = reason.partition(": ")
    if head in REASON_LABELS:
        return str(REASON_LABELS[head]) + (f"：{rest}" if sep else "")
    return reason


def data_value(name: str, value) -> str:
    """Return one value of an event's data as shown: a code by its choice label, a list joined."""
    choices = DATA_CHOICES.get(name)
    values = value if isinstance(value, list) else [value]
    shown = []
    for item in values:
        if choices is not None and item in choices.values:
            shown.append(str(choices(item).label))
        elif isinstance(item, bool):
            shown.append(gettext("是") if item else gettext("否"))
        else:
            shown.append(str(item))
    return "、".join(shown) or "—"


def data_lines(data: dict) -> list[tuple[str, str]]:
    """Return the labelled names and values of an event's data; names without a label are left out."""
    return [
        (str(DATA_LABELS[name]), data_value(name, value))
        for name, value in data.items()
        if name in DATA_LABELS and not isinstance(value, dict)
    ]


# Names used inside policy values (weights tables, lists of categories), by their labels.
def _policy_names() -> dict[str, str]:
    return {**dict(rc.SupportCategory.choices), **dict(Indicator.choices)}


@dataclass
class PolicyShown:
    """A policy value as shown: a text, a list of labels, or a table of labelled numbers."""

    text: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (label, code, number)
    table: bool = False


def policy_value_shown(key: str, text: str) -> PolicyShown:
    """Return how a policy value's stored text is shown: weights as a table, codes by label."""
    kind = getattr(policy_keys().get(key), "type", "")
    if kind not in {"weights", "categories"}:
        return PolicyShown(text)
    names = _policy_names()
    items = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _sep, number = (s.strip() for s in part.partition("="))
        items.append((str(names.get(name, name)), name, number))
    return PolicyShown(text, items, table=kind == "weights")
