"""Forms of the council pages: a member, a meeting with up to three resolutions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.councils import choices as c
from fupin.web.forms import ServiceErrorsMixin

DATE = {"type": "date"}
RESOLUTION_ROWS = 3


class MemberForm(ServiceErrorsMixin, forms.Form):
    """A new member of the council."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("职务"), choices=c.MemberRole.choices)
    start_date = forms.DateField(label=_("任职日期"), widget=forms.DateInput(attrs=DATE))
    represents_poor = forms.BooleanField(label=_("贫困户代表"), required=False)
    household_no = forms.CharField(label=_("所代表农户的户编号"), max_length=32, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["represents_poor"].widget.attrs["class"] = "form-check-input"


class MeetingForm(ServiceErrorsMixin, forms.Form):
    """A meeting, its minutes and the resolutions put to the vote (blank rows are skipped)."""

    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs=DATE))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.IntegerField(label=_("出席人数"), min_value=1)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [("", "—"), *c.ResolutionKind.choices]
        for n in range(RESOLUTION_ROWS):
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=_("决议事项"), choices=kinds, required=False
            )
            self.fields[f"title_{n}"] = forms.CharField(
                label=_("决议标题"), max_length=200, required=False
            )
            for vote, label in (("for", _("赞成")), ("against", _("反对")), ("abstain", _("弃权"))):
                self.fields[f"{vote}_{n}"] = forms.IntegerField(
                    label=label, min_value=0, required=False
                )
        # The rows are added after the mixin styled the fixed fields.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def resolution_rows(self) -> list[dict]:
        """Return the bound fields of each resolution row, for the template."""
        return [
            {name: self[f"{name}_{n}"] for name in ("kind", "title", "for", "against", "abstain")}
            for n in range(RESOLUTION_ROWS)
        ]

    def resolutions(self) -> list[dict]:
        """Return the filled resolution rows as keyword arguments of ResolutionDraft."""
        data = self.cleaned_data
        rows = []
        for n in range(RESOLUTION_ROWS):
            if not data.get(f"kind_{n}") and not data.get(f"title_{n}"):
                continue
            rows.append(
                {
                    "kind": data.get(f"kind_{n}") or "",
                    "title": data.get(f"title_{n}") or "",
                    "votes_for": data.get(f"for_{n}") or 0,
                    "votes_against": data.get(f"against_{n}") or 0,
                    "votes_abstain": data.get(f"abstain_{n}") or 0,
                }
            )
        return rows


class MemberEndForm(forms.Form):
    """The end of a member's term."""

    end_date = forms.DateField(label=_("离任日期"), widget=forms.DateInput(attrs=DATE))
    reason = forms.CharField(label=_("离任原因"), max_length=100)
