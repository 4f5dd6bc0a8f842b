"""Forms of the policy page: which values to show, and setting a value (through `policy_set`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.policy.keys import policy_keys
from fupin.regions.choices import Level
from fupin.regions.selectors import region_list
from fupin.web.errors import error_text

LEVELS = [level.value for level in Level]
INDENT = "\u3000"
NATIONAL = ""


def policy_region_choices(user, depth: int = 2) -> list[tuple[str, str]]:
    """Return the user's region and its subtree down to `depth` levels below, as indented choices."""
    if user.is_superuser:
        levels = LEVELS[:depth]
        choices = [(NATIONAL, _("全国"))]
    elif getattr(user, "region", None) is not None:
        start = LEVELS.index(user.region.level)
        levels = LEVELS[start : start + depth + 1]
        choices = []
    else:
        return []
    regions = (
        region_list(user=user)
        .filter(level__in=levels)
        .order_by("code")
        .only("code", "name", "level")
    )
    offset = 1 if user.is_superuser else 0
    choices += [(r.code, INDENT * (levels.index(r.level) + offset) + r.name) for r in regions]
    return choices


def key_choices() -> list[tuple[str, str]]:
    """Return every policy key with its label (the key is the option's value, not its text)."""
    return [(k.key, k.display_label) for k in policy_keys().values()]


class PolicyViewForm(forms.Form):
    """The region and date whose values in force are shown."""

    region = forms.ChoiceField(label=_("区划"), required=False)
    on = forms.DateField(
        label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].choices = policy_region_choices(user)

    def region_code(self) -> str | None:
        """Return the chosen region code, the user's own region by default (None = national)."""
        code = getattr(self, "cleaned_data", {}).get("region")
        if code:
            return code
        if self.user.is_superuser:
            return None
        return self.user.region_id

    def on_date(self):
        """Return the chosen date, today by default."""
        return getattr(self, "cleaned_data", {}).get("on") or timezone.localdate()


class PolicySetForm(forms.Form):
    """A new value of a key for a region from a date, with the reason for the change."""

    key = forms.ChoiceField(label=_("参数"))
    value = forms.CharField(label=_("值"), max_length=64)
    region = forms.ChoiceField(label=_("区划"), required=False)
    valid_from = forms.DateField(
        label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("变更原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label=_("出处（文件名、文号）"), max_length=500, required=False)

    # Which field a coded error of policy_set belongs to.
    ERROR_FIELDS = {
        "invalid_policy_value": "value",
        "unknown_policy_key": "key",
        "reason_required": "reason",
        "unknown_region": "region",
        "forbidden": "region",
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = key_choices()
        self.fields["region"].choices = policy_region_choices(user)
        if not user.is_superuser:
            self.fields["region"].required = True

    def add_service_error(self, error) -> None:
        """Show a coded error of the policy service on the field it concerns."""
        self.add_error(self.ERROR_FIELDS.get(error.code), error_text(error))
