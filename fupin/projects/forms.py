"""Forms of the project pages: proposal, operator, contract, plan, review run, and the fields
each state move asks for."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.projects import choices as c
from fupin.web.forms import ServiceErrorsMixin

DATE = {"type": "date"}
S = c.ProjectStatus

# target state -> the record fields its move asks for: (name, label, input type, required).
MOVE_FIELDS: dict[str, list[tuple[str, str, str, bool]]] = {
    S.SCREENED: [("opinion", _("筛选意见"), "textarea", True)],
    S.APPRAISED: [("opinion", _("论证意见"), "textarea", True)],
    S.APPROVED: [
        ("document_no", _("批复文号"), "text", True),
        ("approved_on", _("批复日期"), "date", False),
        ("expected_annual_return", _("预期年收益（元）"), "money", True),
        ("total_investment", _("核定总投资（元）"), "money", False),
    ],
    S.BUILDING: [("started_on", _("开工日期"), "date", False)],
    S.ACCEPTED: [
        ("accepted_on", _("验收日期"), "date", False),
        ("report_no", _("验收报告编号"), "text", True),
        ("findings", _("验收结论"), "textarea", True),
    ],
    S.DISPOSED: [
        ("document_no", _("县级批复文号"), "text", True),
        ("method", _("处置方式"), "text", False),
    ],
}
# Labels of the keys a move's record may hold (the page shows them instead of the keys).
RECORD_LABELS = {
    "opinion": _("意见"),
    "document_no": _("文号"),
    "approved_on": _("批复日期"),
    "expected_annual_return": _("预期年收益（元）"),
    "total_investment": _("核定总投资（元）"),
    "started_on": _("开工日期"),
    "accepted_on": _("验收日期"),
    "report_no": _("验收报告编号"),
    "findings": _("验收结论"),
    "contract": _("经营合同"),
    "operator": _("经营主体"),
    "plan": _("方案"),
    "deadline": _("完成期限"),
    "review": _("回头看"),
    "method": _("处置方式"),
    "resolution": _("理事会决议"),
}
# Moves that need a reason in the note.
NOTE_REQUIRED = (S.REJECTED, S.DISPOSED)


class ProjectForm(ServiceErrorsMixin, forms.Form):
    """A project proposed by a village (or a town)."""

    region_code = forms.ChoiceField(label=_("实施区划"))
    name = forms.CharField(label=_("项目名称"), max_length=100)
    category = forms.ChoiceField(label=_("项目类别"), choices=c.ProjectCategory.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    total_investment = forms.DecimalField(
        label=_("总投资（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    description = forms.CharField(
        label=_("建设内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = [(r.code, f"{r.name}（{r.code}）") for r in regions]
        self.fields["year"].initial = timezone.localdate().year


class OperatorForm(ServiceErrorsMixin, forms.Form):
    """An operator (经营主体) registered by an officer."""

    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=c.OperatorKind.choices)
    licence_no = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    legal_person = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    registered_capital = forms.DecimalField(
        label=_("注册资本（元）"), max_digits=14, decimal_places=2, min_value=0
    )
    credit_clean = forms.BooleanField(label=_("信用记录良好"), required=False, initial=True)
    credit_record = forms.CharField(
        label=_("信用记录"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credit_clean"].widget.attrs["class"] = "form-check-input"


class ContractForm(ServiceErrorsMixin, forms.Form):
    """An operating contract with a qualified operator."""

    operator = forms.ChoiceField(label=_("经营主体"))
    kind = forms.ChoiceField(label=_("经营方式"), choices=c.ContractKind.choices)
    contract_no = forms.CharField(label=_("合同编号"), max_length=50, required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs=DATE))
    end_date = forms.DateField(
        label=_("结束日期"), widget=forms.DateInput(attrs=DATE), required=False
    )
    annual_amount = forms.DecimalField(
        label=_("年租金/约定年收益（元）"), max_digits=14, decimal_places=2, min_value=0
    )

    def __init__(self, *args, operators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [(o.pk, o.name) for o in operators]


class BeneficiariesForm(ServiceErrorsMixin, forms.Form):
    """Households a project benefits in a year: one household number a line, persons optional."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    lines = forms.CharField(
        label=_("受益户"),
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "370481101201001\n370481101201002,3"}
        ),
        help_text=_("每行一户：户编号，或“户编号,受益人数”（省略人数时按在册人数计）"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def households(self) -> list[tuple[str, int | None]]:
        """Return (household number, persons or None) of each non-blank line."""
        rows = []
        for line in self.cleaned_data["lines"].splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",") if p.strip()]
            if not parts:
                continue
            persons = None
            if len(parts) > 1:
                try:
                    persons = int(parts[1])
                except ValueError:
                    persons = -1
            rows.append((parts[0], persons))
        return rows


class PlanForm(ServiceErrorsMixin, forms.Form):
    """A rectification or revival plan."""

    measures = forms.MultipleChoiceField(
        label=_("措施"), choices=c.PlanMeasure.choices, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs=DATE))
    responsible_name = forms.CharField(label=_("责任人"), max_length=50)
    description = forms.CharField(
        label=_("方案内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].widget.attrs["class"] = "form-check-input"


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """A look-back review run for a region and year."""

    region = forms.ChoiceField(label=_("区划"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["year"].initial = timezone.localdate().year - 1
