"""Filters of the household list page: a form whose cleaned data becomes `HouseholdFilters`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fupin.regions.choices import Level
from fupin.regions.selectors import region_list
from fupin.registry import choices as c
from fupin.registry.selectors import HouseholdFilters

LEVELS = [level.value for level in Level]
INDENT = "\u3000"
# The fields of HouseholdFilterForm that filter (the page number aside).
FILTER_FIELDS = ("region", "code", "category", "household_type", "main_cause", "q")


def region_choices(user, depth: int = 2) -> list[tuple[str, str]]:
    """Return the regions of the user's subtree down to `depth` levels below theirs, as indented choices."""
    region = getattr(user, "region", None)
    start = LEVELS.index(region.level) + 1 if region is not None and not user.is_superuser else 0
    levels = LEVELS[start : start + depth]
    if not levels:
        return []
    regions = (
        region_list(user=user)
        .filter(level__in=levels)
        .order_by("code")
        .only("code", "name", "level")
    )
    return [(r.code, INDENT * levels.index(r.level) + r.name) for r in regions]


def _optional(choices) -> list[tuple[str, str]]:
    return [("", _("全部")), *choices]


class HouseholdFilterForm(forms.Form):
    """Region, category, type, cause and a search text; every field is optional."""

    region = forms.ChoiceField(label=_("区划"), required=False)
    code = forms.RegexField(
        label=_("区划代码"),
        regex=r"^\d{2,12}$",
        required=False,
        max_length=12,
        error_messages={"invalid": _("区划代码应为 2 至 12 位数字")},
    )
    category = forms.ChoiceField(
        label=_("帮扶类别"),
        required=False,
        choices=_optional([*c.SupportCategory.choices, ("removed", _("已清退"))]),
    )
    household_type = forms.ChoiceField(
        label=_("户属性"), required=False, choices=_optional(c.HouseholdType.choices)
    )
    main_cause = forms.ChoiceField(
        label=_("主要致贫原因"), required=False, choices=_optional(c.PovertyCause.choices)
    )
    q = forms.CharField(
        label=_("姓名、证件号码或户编号"), required=False, max_length=50, strip=True
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _optional(region_choices(user))

    def to_filters(self) -> HouseholdFilters:
        """Return the selector filters of the valid fields (an invalid field filters nothing)."""
        data = getattr(self, "cleaned_data", {})
        return HouseholdFilters(
            region=data.get("code") or data.get("region") or "",
            category=data.get("category") or "",
            household_type=data.get("household_type") or "",
            main_cause=data.get("main_cause") or "",
            q=data.get("q") or "",
        )

    def page_number(self) -> int:
        """Return the asked page number, the first by default."""
        return getattr(self, "cleaned_data", {}).get("page") or 1
