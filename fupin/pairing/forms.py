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


class VisitForm(forms.Form):
    """A visit an officer records for a cadre (reported on paper or by telephone)."""

    cadre_id = forms.IntegerField(label=_("帮扶责任人"))
    visited_at = forms.DateTimeField(
        label=_("走访时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    found = forms.CharField(label=_("了解到的情况"), required=False, widget=forms.Textarea)
    done = forms.CharField(label=_("开展的帮扶"), required=False, widget=forms.Textarea)
    problems = forms.CharField(label=_("反映的问题"), required=False, widget=forms.Textarea)
    problems_solved = forms.BooleanField(label=_("问题已解决"), required=False)
    # Made when the form is shown, so that sending the same form twice records one visit.
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
