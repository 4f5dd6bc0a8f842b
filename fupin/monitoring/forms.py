"""Forms of the monitoring pages: case filters, the form of each stage, exit cases, cadre findings.

The forms only shape what was typed into the data the services take; every rule (two verifiers,
votes, notice days, exit conditions …) is the service's, and its coded errors are shown on the
fields they name (`add_service_error`).
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.core.errors import FupinError
from fupin.monitoring import choices as c
from fupin.monitoring.labels import evidence_text
from fupin.monitoring.selectors import CaseFilters
from fupin.regions.choices import Level
from fupin.regions.selectors import region_list
from fupin.registry import choices as rc
from fupin.registry.filters import region_choices

NAME_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _optional(choices) -> list[tuple[str, str]]:
    return [("", _("全部")), *choices]


WIDGET_CLASSES = {
    "select": "form-select",
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "form-check-input",
}


class ServiceErrorsMixin:
    """Bootstrap classes on the widgets; a coded service error shown on the fields it names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = field.widget.__class__.__name__.lower().removesuffix("input")
            field.widget.attrs.setdefault("class", WIDGET_CLASSES.get(kind, "form-control"))

    # The code of the last service error, for the page's `data-error-code` (never in the text).
    error_code = ""

    def add_service_error(self, error: FupinError) -> None:
        self.error_code = error.code
        fields = error.details.get("fields") if isinstance(error.details, dict) else None
        if fields:
            for name, message in fields.items():
                self.add_error(name if name in self.fields else None, str(message))
            return
        self.add_error(None, str(error.message))


class CaseFilterForm(ServiceErrorsMixin, forms.Form):
    """Stage, status, kind, region and overdue; every field is optional."""

    stage = forms.ChoiceField(
        label=_("当前环节"), required=False, choices=_optional(c.Stage.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_optional(c.CaseStatus.choices)
    )
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=_optional(c.CaseKind.choices))
    region = forms.ChoiceField(label=_("区划"), required=False)
    overdue = forms.BooleanField(label=_("仅看逾期"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _optional(region_choices(user))

    def to_filters(self) -> CaseFilters:
        """Return the selector filters of the valid fields."""
        data = getattr(self, "cleaned_data", {})
        return CaseFilters(
            stage=data.get("stage") or "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            region=data.get("region") or "",
            overdue=bool(data.get("overdue")),
        )


# The forms of the stages -------------------------------------------------------------------------


def _text(label, *, rows: int = 3, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        strip=True,
        **kwargs,
    )


class StageForm(ServiceErrorsMixin, forms.Form):
    """The decision's note; subclasses add what a pass of their stage records."""

    # The fields a pass of the stage requires, marked with an asterisk (the service decides).
    needed: tuple[str, ...] = ()

    note = _text(_("办理说明（退回、不予通过时必填）"), rows=2, max_length=2000)
    # The case's version when the page was made: a move since then makes the page stale.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["version"].initial = case.version
        for name in self.needed:
            self.fields[name].widget.attrs["data-needed"] = "true"

    def stage_fields(self):
        """Return the bound fields of the stage's record (all but the note and the version)."""
        return [field for field in self if field.name not in ("note", "version")]

    def data_for_service(self) -> dict:
        """Return the `data` of `case_advance` for a pass."""
        return {}


class VerifyForm(StageForm):
    needed = ("verifiers", "findings", "commitment_signed")

    verifiers = forms.CharField(
        label=_("核查人（至少两人，用顿号或逗号分隔）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：张三、李四")}),
    )
    findings = _text(_("核查情况"), rows=4, max_length=4000)
    commitment_signed = forms.BooleanField(
        label=_("农户已签署承诺授权书（同意查询家庭经济状况）"), required=False
    )

    def data_for_service(self) -> dict:
        data = self.cleaned_data
        names = [name for name in NAME_SEPARATORS.split(data.get("verifiers") or "") if name]
        return {
            "verifiers": names,
            "findings": data.get("findings") or "",
            "commitment_signed": bool(data.get("commitment_signed")),
        }


def screening_summary(screening) -> str:
    """Return the department data of a screening as labelled lines to pre-fill the comparison."""
    return evidence_text(screening)


class CompareForm(StageForm):
    findings = _text(_("信息比对结果"), rows=4, max_length=4000)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        screening = case.records.get("screening")
        if screening:
            self.fields["findings"].initial = screening_summary(screening)
        else:
            self.fields["findings"].widget.attrs["data-needed"] = "true"

    def data_for_service(self) -> dict:
        return {"findings": self.cleaned_data.get("findings") or ""}


class AppraiseForm(StageForm):
    needed = ("date", "representatives", "votes_for", "votes_against", "minutes")

    date = forms.DateField(
        label=_("评议日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    representatives = forms.IntegerField(label=_("参会代表人数"), required=False, min_value=0)
    votes_for = forms.IntegerField(label=_("赞成票"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("反对票"), required=False, min_value=0)
    minutes = _text(_("评议记录"), rows=4, max_length=4000)

    def data_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"].isoformat() if data.get("date") else "",
            "representatives": data.get("representatives"),
            "votes_for": data.get("votes_for"),
            "votes_against": data.get("votes_against"),
            "minutes": data.get("minutes") or "",
        }


class NoticeForm(StageForm):
    """Nothing is recorded: the notice passes once its days are over and every objection answered."""


class TownReviewForm(StageForm):
    needed = ("opinion",)

    opinion = _text(_("乡镇审核意见"), rows=3, max_length=4000)

    def data_for_service(self) -> dict:
        return {"opinion": self.cleaned_data.get("opinion") or ""}


class IdentificationDecideForm(StageForm):
    needed = ("monitoring_type", "risk_types")

    monitoring_type = forms.ChoiceField(
        label=_("监测类型"), required=False, choices=[("", "—"), *rc.MonitoringType.choices]
    )
    risk_types = forms.MultipleChoiceField(
        label=_("风险类型"),
        required=False,
        choices=rc.RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["risk_types"].initial = case.risk_types

    def data_for_service(self) -> dict:
        return {
            "monitoring_type": self.cleaned_data.get("monitoring_type") or "",
            "risk_types": list(self.cleaned_data.get("risk_types") or []),
        }


class ExitDecideForm(StageForm):
    needed = ("exit_reason",)

    exit_reason = forms.ChoiceField(
        label=_("退出原因"), required=False, choices=[("", "—"), *c.ExitReason.choices]
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["exit_reason"].initial = case.exit_reason

    def data_for_service(self) -> dict:
        return {"exit_reason": self.cleaned_data.get("exit_reason") or ""}


STAGE_FORMS = {
    c.Stage.VERIFY: VerifyForm,
    c.Stage.COMPARE: CompareForm,
    c.Stage.APPRAISE: AppraiseForm,
    c.Stage.NOTICE: NoticeForm,
    c.Stage.TOWN_REVIEW: TownReviewForm,
}


def stage_form_class(*, stage: str, kind: str) -> type[StageForm] | None:
    """Return the form of a stage (the county's depends on the kind of case), None when closed."""
    if stage == c.Stage.COUNTY_DECIDE:
        return IdentificationDecideForm if kind == c.CaseKind.IDENTIFICATION else ExitDecideForm
    return STAGE_FORMS.get(stage)


# Other forms -------------------------------------------------------------------------------------


class ObjectionAnswerForm(ServiceErrorsMixin, forms.Form):
    answer = _text(_("答复内容"), rows=2, max_length=2000)


class ObjectionRecordForm(ServiceErrorsMixin, forms.Form):
    """An objection a resident raised in person, written down by the village officer."""

    text = _text(_("异议内容"), rows=2, max_length=2000)
    name = forms.CharField(label=_("提出人（可不填）"), required=False, max_length=50)
    contact = forms.CharField(label=_("联系方式（可不填）"), required=False, max_length=50)


class PublicObjectionForm(ServiceErrorsMixin, forms.Form):
    """A resident's objection on the public notice page; its key makes a resend harmless."""

    text = _text(_("异议内容"), rows=4, required=True, max_length=500)
    name = forms.CharField(label=_("您的姓名（可不填）"), required=False, max_length=50)
    contact = forms.CharField(label=_("联系电话（可不填）"), required=False, max_length=50)
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["maxlength"] = "500"
        self.fields["contact"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class ExitCaseForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("退出原因"), choices=[("", "—"), *c.ExitReason.choices])
    note = _text(_("情况说明"), rows=3, max_length=4000)


def village_choices(user) -> list[tuple[str, str]]:
    """Return the villages in the user's scope, named with their town."""
    villages = region_list(user=user).filter(level=Level.VILLAGE).select_related("parent")
    return [(v.code, f"{v.parent.name if v.parent else ''} {v.name}".strip()) for v in villages]


class CadreFindingForm(ServiceErrorsMixin, forms.Form):
    """A finding of a village officer or cadre about a registered household or a person not yet in it."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    id_number = forms.CharField(label=_("证件号码"), required=False, max_length=20)
    phone = forms.RegexField(
        label=_("联系电话"),
        required=False,
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("请填写以 1 开头的 11 位手机号码")},
    )
    village = forms.ChoiceField(label=_("村"), required=False)
    household_size = forms.IntegerField(
        label=_("家庭人口数"), required=False, min_value=1, max_value=30
    )
    risk_types = forms.MultipleChoiceField(
        label=_("风险类型"),
        choices=rc.RiskType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择至少一项风险类型")},
    )
    description = _text(_("发现的情况"), rows=4, required=True, max_length=4000)

    # The fields about the person, asked only when the finding is not about a registered household.
    PERSON_FIELDS = ("name", "id_number", "phone", "village", "household_size")

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        if household is not None:
            for name in self.PERSON_FIELDS:
                del self.fields[name]
        else:
            self.fields["village"].choices = [("", "—"), *village_choices(user)]

    def clean(self):
        data = super().clean()
        if self.household is None and not data.get("village"):
            self.add_error("village", _("请选择所在的村"))
        return data
