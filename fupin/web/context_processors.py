"""Template context shared by every page: the navigation by capability."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.web.access import may_open

# A link is (url name, label, permission needed or None); a menu is (label, [links]). A menu with
# one link the user may use is shown as that link. A link is shown only if the user holds its
# permission and may open its page (the page's own, fupin.web.access), so no link leads to a 403.
NAVIGATION = [
    ("web:home", _("首页"), None),
    ("web:household_list", _("农户档案"), "registry.view_household"),
    (
        _("动态监测"),
        [
            ("monitoring:case_list", _("监测案件"), "monitoring.view_case"),
            ("screening:run_list", _("部门筛查"), "screening.view_screeningrun"),
            ("screening:feed_list", _("数据报送"), "screening.add_feedupload"),
        ],
    ),
    ("pairing:my_visits", _("我的走访"), "pairing.add_visit"),
    (
        _("帮扶考核"),
        [
            ("pairing:coverage", _("结对帮扶"), "pairing.view_pairing"),
            ("oversight:scorecard", _("考核"), "oversight.view_scorecard"),
        ],
    ),
    (
        _("项目资金"),
        [
            ("projects:list", _("项目资产"), "projects.view_project"),
            ("funds:balances", _("资金资产"), "funds.view_fundsource"),
            ("councils:list", _("理事会"), "councils.view_council"),
            ("distribution:list", _("收益分配"), "distribution.view_distributionplan"),
        ],
    ),
    (
        _("数据与参数"),
        [
            ("web:household_import", _("数据导入"), "registry.import_household"),
            ("web:policy_list", _("政策参数"), "regions.view_region"),
        ],
    ),
]


def navigation(request):
    """Return the navigation entries the user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    current = request.resolver_match.view_name if request.resolver_match else None

    def links(entries) -> list[dict]:
        return [
            {"url": reverse(name), "label": label, "active": name == current}
            for name, label, perm in entries
            if (perm is None or user.has_perm(perm)) and may_open(user, name)
        ]

    items = []
    for entry in NAVIGATION:
        if isinstance(entry[1], list):
            children = links(entry[1])
            if len(children) > 1:
                active = any(child["active"] for child in children)
                items.append({"label": entry[0], "children": children, "active": active})
            else:
                items.extend(children)
        else:
            items.extend(links([entry]))
    return {"navigation": items}
