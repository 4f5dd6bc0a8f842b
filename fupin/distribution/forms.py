"""Forms of the distribution pages: a draft, the steps of a plan, payments, fund entries."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.distribution import choices as c
from fupin.web.forms import ServiceErrorsMixin

DATE = {"type": "date"}


class DraftForm(ServiceErrorsMixin, forms.Form):
    """A village, a year of incomes and the amount to distribute."""

    village_code = forms.ChoiceField(label=_("村"))
    year = forms.IntegerField(label=_("收入年度"), min_value=2000, max_value=2100)
    amount = forms.CharField(label=_("分配金额（元）"), max_length=20)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village_code"].choices = [(v.code, f"{v.name}（{v.code}）") for v in villages]


class ResolveForm(ServiceErrorsMixin, forms.Form):
    """The council resolution that adopts the plan."""

    resolution_id = forms.TypedChoiceField(label=_("理事会决议"), coerce=int)

    def __init__(self, *args, resolutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution_id"].choices = [
            (r.pk, f"{r.meeting.held_on:%Y-%m-%d} {r.title}（#{r.pk}）") for r in resolutions
        ]


class NoticeForm(ServiceErrorsMixin, forms.Form):
    started_on = forms.DateField(label=_("公示开始日期"), widget=forms.DateInput(attrs=DATE))


class EffectForm(ServiceErrorsMixin, forms.Form):
    on = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs=DATE))
    voucher_no = forms.CharField(label=_("基金入账凭证号"), max_length=50, required=False)


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class PayForm(ServiceErrorsMixin, forms.Form):
    """A payment date and voucher for the ticked households (none ticked: every unpaid one)."""

    paid_on = forms.DateField(label=_("发放日期"), widget=forms.DateInput(attrs=DATE))
    voucher_no = forms.CharField(label=_("凭证号"), max_length=50)


class FundEntryForm(ServiceErrorsMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs=DATE))
    kind = forms.ChoiceField(label=_("收支"), choices=c.FundEntryKind.choices)
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    reason = forms.CharField(label=_("摘要"), max_length=200)
    voucher_no = forms.CharField(label=_("凭证号"), max_length=50, required=False)
