"""Forms of the screening pages: a department's upload, a county officer's run, the result filters."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.regions.choices import Level
from fupin.regions.selectors import region_list
from fupin.screening.choices import FeedName, Rule


def counties_in_scope(user):
    """Return the county-level regions under the user's region (the region itself if a county)."""
    return region_list(user=user).filter(level=Level.COUNTY).order_by("code")


class FeedUploadForm(forms.Form):
    region = forms.ChoiceField(label=_("县（市、区）"))
    feed = forms.ChoiceField(label=_("数据类别"), choices=FeedName.choices)
    file = forms.FileField(label=_("文件（CSV 或 Parquet）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in counties_in_scope(user)]


class RunForm(forms.Form):
    region = forms.ChoiceField(label=_("县（市、区）"))
    year = forms.IntegerField(label=_("筛查年度"), min_value=2016)
    create_cases = forms.BooleanField(label=_("对预警农户发起监测案件"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in counties_in_scope(user)]
        self.fields["year"].initial = timezone.localdate().year - 1
        self.fields["year"].max_value = timezone.localdate().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > dt.date.today().year:
            raise forms.ValidationError(_("年度不能晚于今年"))
        return year


class FlagFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("预警规则"), required=False)
    town = forms.ChoiceField(label=_("乡镇"), required=False)
    village = forms.ChoiceField(label=_("村"), required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, towns, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("全部规则")), *Rule.choices]
        self.fields["town"].choices = [("", _("全部乡镇")), *[(r.code, r.name) for r in towns]]
        self.fields["village"].choices = [("", _("全部村")), *[(r.code, r.name) for r in villages]]
