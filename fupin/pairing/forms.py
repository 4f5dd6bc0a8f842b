"""Forms of pairing pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AllocateForm(forms.Form):
    dry_run = forms.BooleanField(label=_("只试算，不写入"), required=False)
