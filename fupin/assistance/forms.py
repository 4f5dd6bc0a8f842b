"""Forms of the plan page: who keeps the plan, a measure, and a measure's status move."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.assistance import choices as c
from fupin.web.forms import ServiceErrorsMixin

DATE = {"type": "date"}


class PlanForm(ServiceErrorsMixin, forms.Form):
    """Who keeps the plan, and a note."""

    responsible_name = forms.CharField(label=_("帮扶责任人"), max_length=50, required=False)
    responsible_user = forms.ModelChoiceField(
        label=_("责任人账号"),
        queryset=None,
        required=False,
        empty_label=_("（不指定）"),
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"].queryset = candidates
        self.fields["responsible_user"].label_from_instance = lambda u: (
            f"{u}（{u.get_role_display()}）"
        )


class MeasureForm(ServiceErrorsMixin, forms.Form):
    """A measure from the catalogue with its amount, dates and responsible person."""

    category = forms.ChoiceField(label=_("措施类别"), choices=c.MeasureCategory.choices)
    description = forms.CharField(
        label=_("措施内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trade = forms.CharField(
        label=_("培训工种"),
        max_length=100,
        required=False,
        help_text=_("技能培训必填：农户希望学习的工种"),
    )
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    start_date = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    end_date = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    responsible_name = forms.CharField(label=_("责任人"), max_length=50, required=False)

    @classmethod
    def initial_of(cls, measure) -> dict:
        """Return the form's initial values from a measure."""
        return {name: getattr(measure, name) for name in cls.base_fields}


class MoveForm(ServiceErrorsMixin, forms.Form):
    """A move of a measure's status, with a note (a cancellation needs one)."""

    status = forms.ChoiceField(label=_("状态"), choices=c.MeasureStatus.choices)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
