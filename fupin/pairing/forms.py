"""Forms of pairing pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AllocateForm(forms.Form):
    dry_run = forms.BooleanField(label=_("只试算，不写入"), required=False)


class RoundVisitForm(forms.Form):
    # "region:CODE" or "household:NUMBER", chosen from the leader's targets.
    target = forms.CharField(label=_("走访对象"), max_length=64)
    visited_at = forms.DateTimeField(
        label=_("走访时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notes = forms.CharField(
        label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
