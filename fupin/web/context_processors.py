"""Template context shared by every page: the navigation by capability."""

from functools import cache

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.spine import collected
from fupin.web.access import may_open

# The menus of the bar, in order: key -> label. Each app puts its links under one of them with a
# NavEntry on its AppConfig (fupin.core.spine); a new app may open a menu of its own by giving its
# label, placed after these. A menu with one link the user may use is shown as that link.
MENUS = {
    "home": _("首页"),
    "households": _("农户档案"),
    "monitoring": _("动态监测"),
    "visits": _("我的走访"),
    "oversight": _("帮扶考核"),
    "projects": _("项目资金"),
    "data": _("数据与参数"),
}


@cache
def navigation_menus() -> list[tuple[str, list[tuple[str, str, str | None]]]]:
    """Return the menus as (label, [(url name, label, permission or None)]), from every app."""
    labels = dict(MENUS)
    links: dict[str, list] = {key: [] for key in MENUS}
    for entry in collected("navigation"):
        if entry.menu not in labels:
            labels[entry.menu] = entry.menu_label or entry.label
            links[entry.menu] = []
        links[entry.menu].append(entry)
    return [
        (
            labels[key],
            [(e.url_name, e.label, e.permission) for e in sorted(entries, key=lambda e: e.order)],
        )
        for key, entries in links.items()
        if entries
    ]


def navigation(request):
    """Return the navigation entries the user may use.

    A link is shown only if the user holds its permission and may open its page (the page's own,
    fupin.web.access), so no link leads to a 403.
    """
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
    for label, entries in navigation_menus():
        children = links(entries)
        if len(children) > 1:
            active = any(child["active"] for child in children)
            items.append({"label": label, "children": children, "active": active})
        else:
            items.extend(children)
    return {"navigation": items}
