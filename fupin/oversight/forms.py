"""The period of a scorecard: a year (and quarter), or start and end dates."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.dates import quarter_period

QUARTERS = [
    ("", _("全年")),
    ("1", _("第一季度")),
    ("2", _("第二季度")),
    ("3", _("第三季度")),
    ("4", _("第四季度")),
]
# The short names of the quarters on the period links (一季度…四季度; Q1…Q4 in English).
QUARTER_SHORT = {1: _("一季度"), 2: _("二季度"), 3: _("三季度"), 4: _("四季度")}


class PeriodForm(forms.Form):
    """A period given by start and end, else by year and quarter (this year by default)."""

    region = forms.RegexField(regex=r"^\d{12}$", required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"), required=False, choices=QUARTERS, coerce=int, empty_value=None
    )
    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> tuple[dt.date, dt.date]:
        """Return the asked period: the dates when both are given, else the year and quarter."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        year = data.get("year") or timezone.localdate().year
        return quarter_period(year, data.get("quarter"))

    def region_code(self) -> str | None:
        """Return the asked region code, or None for the user's own region."""
        return (self.cleaned_data if self.is_valid() else {}).get("region") or None
