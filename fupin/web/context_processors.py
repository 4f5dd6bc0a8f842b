"""Template context shared by every page: the navigation by capability."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission needed or None)
NAVIGATION = [
    ("web:home", _("首页"), None),
    ("web:household_list", _("农户档案"), "registry.view_household"),
    ("monitoring:case_list", _("监测案件"), "monitoring.view_case"),
    ("pairing:my_visits", _("我的走访"), "pairing.add_visit"),
    ("pairing:coverage", _("结对帮扶"), "pairing.view_pairing"),
    ("oversight:scorecard", _("考核"), "oversight.view_scorecard"),
    ("projects:list", _("项目资产"), "projects.view_project"),
    ("funds:balances", _("资金资产"), "funds.view_fundsource"),
    ("councils:list", _("理事会"), "councils.view_council"),
    ("distribution:list", _("收益分配"), "distribution.view_distributionplan"),
    ("web:household_import", _("数据导入"), "registry.import_household"),
    ("screening:run_list", _("部门筛查"), "screening.view_screeningrun"),
    ("screening:feed_list", _("数据报送"), "screening.add_feedupload"),
    ("web:policy_list", _("政策参数"), "regions.view_region"),
]


def navigation(request):
    """Return the navigation entries the user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for name, label, perm in NAVIGATION:
        if perm is None or user.has_perm(perm):
            items.append(
                {
                    "url": reverse(name),
                    "label": label,
                    "active": request.resolver_match is not None
                    and request.resolver_match.view_name == name,
                }
            )
    return {"navigation": items}
