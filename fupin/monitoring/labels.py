"""The labels of a screening warning's evidence (`Case.records["screening"]`): its names and values.

Department screening (analytics.screening through fupin.screening) records a flagged household's
figures under the engine's names (`per_capita_income`, `registry_category`, `rules`) and codes
(`low_income`, `lifted`); the case page and the comparison's pre-filled text show labels. Screening
opens cases through monitoring, so monitoring does not import screening: the rules' names are
repeated here (a test holds them equal to fupin.screening.choices.Rule and the engine's RULES).
"""

import json
import re
from typing import NamedTuple

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fupin.core.masking import mask_id_number
from fupin.registry import choices as rc
from fupin.web.templatetags.fupin_web import NONE_SHOWN, yuan

# The screening rules (fupin.screening.choices.Rule), by their names.
RULE_LABELS = {
    "assistance_mismatch": _("享受低保或特困供养但未纳入帮扶"),
    "disaster": _("受灾损失大"),
    "dropout": _("义务教育阶段辍学"),
    "income_drop": _("收入大幅下降"),
    "low_income": _("人均纯收入低于监测标准"),
    "medical_burden": _("医疗自付费用负担重"),
    "severe_disability": _("新增一、二级重度残疾"),
    "unsafe_house": _("住房鉴定为 C 级或 D 级危房"),
}

# Every name a warning's evidence can hold, in the order shown: the screening year and rules that
# fupin.screening adds, the engine's findings (analytics.screening.run.FINDING_FIELDS) and the
# shorter names of the demo's findings (`net`, `net_prev`).
EVIDENCE_LABELS = {
    "year": _("筛查年度"),
    "rules": _("预警规则"),
    "household_no": _("户编号"),
    "village_code": _("村代码"),
    "registry_category": _("帮扶类别"),
    "size": _("家庭人口数"),
    "per_capita_income": _("人均纯收入（元）"),
    "income_threshold": _("监测收入标准（元/人）"),
    "net_income": _("家庭纯收入（元）"),
    "net": _("家庭纯收入（元）"),
    "net_income_previous_year": _("上年家庭纯收入（元）"),
    "net_prev": _("上年家庭纯收入（元）"),
    "medical_self_pay": _("医疗自付费用（元）"),
    "disaster_loss": _("受灾损失（元）"),
    "severe_disability_certificates": _("新发一、二级残疾证数"),
    "dropout_members": _("义务教育阶段辍学人数"),
    "housing_grade": _("住房安全鉴定等级"),
    "housing_assessed_date": _("住房鉴定日期"),
    "civil_kinds": _("享受低保特困"),
    "head_name": _("户主姓名"),
    "head_id_number": _("户主身份证号"),
    "head_relation": _("与户主关系"),
}
MONEY = {
    "per_capita_income",
    "income_threshold",
    "net_income",
    "net",
    "net_income_previous_year",
    "net_prev",
    "medical_self_pay",
    "disaster_loss",
}
# Codes in the evidence's values, by name: the engine's support categories (the demo writes the
# registry's poverty status, whose `none` is an ordinary household), civil kinds and relations.
VALUE_LABELS = {
    "rules": RULE_LABELS,
    "registry_category": {
        rc.PovertyStatus.NONE: rc.PovertyStatus.NONE.label,
        **dict(rc.SupportCategory.choices),
    },
    "civil_kinds": dict(rc.HouseholdType.choices),
    "head_relation": dict(rc.Relation.choices),
}
# A name that is a program's code rather than words (a department may name its figures in Chinese).
CODE = re.compile(r"^[A-Za-z0-9_.\-]+$")


class FieldLine(NamedTuple):
    """A name of a record and its value as shown; the name's code for a tooltip, and for a details
    line (`detail`) when the label does not say what it is."""

    label: str
    value: str
    code: str = ""
    detail: str = ""


def evidence_value(name: str, value) -> str:
    """Return one value of the evidence as shown: codes by their labels, money in yuan."""
    if value is None or value == "" or value == []:
        return NONE_SHOWN
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if name in MONEY:
        return yuan(value)
    if name == "head_id_number":
        return mask_id_number(str(value))
    if name == "housing_grade":
        return gettext("%(grade)s 级") % {"grade": value}
    labels = VALUE_LABELS.get(name)
    if labels is not None:
        items = value if isinstance(value, list) else str(value).split(";")
        return "、".join(str(labels.get(item, item)) for item in items if item) or NONE_SHOWN
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def evidence_lines(evidence) -> list[FieldLine]:
    """Return the evidence's names and values as shown, known names first in their order.

    A name without a label is shown as written when it is words, else as "其他数据" with the name
    kept for a tooltip; evidence recorded as text is one line."""
    if not isinstance(evidence, dict):
        text = str(evidence or "")
        return [FieldLine(gettext("部门筛查数据"), text)] if text else []
    known = [name for name in EVIDENCE_LABELS if name in evidence]
    lines = [
        FieldLine(str(EVIDENCE_LABELS[name]), evidence_value(name, evidence[name]), name)
        for name in known
    ]
    for name, value in evidence.items():
        if name in EVIDENCE_LABELS:
            continue
        if CODE.match(str(name)):
            label, detail = gettext("其他数据"), str(name)
        else:
            label, detail = str(name), ""
        lines.append(FieldLine(label, evidence_value(name, value), str(name), detail))
    return lines


def evidence_text(evidence) -> str:
    """Return the evidence as "名称：值" lines (the comparison's pre-filled text)."""
    return "\n".join(f"{line.label}：{line.value}" for line in evidence_lines(evidence))
