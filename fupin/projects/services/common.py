"""What the writes of projects share: the actor's role and permission, the scope, the row
locked, and the parsers of submitted fields."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from fupin.core.errors import Forbidden, NotFound
from fupin.projects import choices as c
from fupin.projects.models import Project
from fupin.regions.models import Region
from fupin.regions.selectors import region_get

S = c.ProjectStatus
CENT = Decimal("0.01")


def _allowed(actor, roles, perm: str, obj=None) -> bool:
    """Tell whether the actor holds one of the roles and the permission (None = a system run)."""
    if actor is None:
        return True
    return actor.role in roles and actor.has_perm(perm, obj)


def _require(actor, roles, perm: str, obj=None) -> None:
    if not _allowed(actor, roles, perm, obj):
        from fupin.accounts.choices import Role

        raise Forbidden(
            _("此操作应由%(roles)s办理") % {"roles": "、".join(str(Role(r).label) for r in roles)},
            {"roles": list(roles)},
        )


def _scoped(model, actor):
    return model.objects.all() if actor is None else model.objects.restrict(actor)


def _region(code: str, actor) -> Region:
    if actor is not None:
        return region_get(user=actor, code=code)
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise NotFound("region", {"code": code}) from None


def _locked(project: Project | int, actor) -> Project:
    pk = project.pk if isinstance(project, Project) else project
    try:
        return _scoped(Project, actor).select_for_update().select_related("region").get(pk=pk)
    except Project.DoesNotExist:
        raise NotFound("project", {"id": pk}) from None


def _text(data: dict, name: str, errors: dict, message=None) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        errors[name] = message or _("必填")
    return value


def _date(data: dict, name: str, errors: dict, default: dt.date | None = None) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if default is None:
            errors[name] = _("必填")
        return default
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[name] = _("日期格式应为 YYYY-MM-DD")
        return default


def _money(data: dict, name: str, errors: dict, *, required: bool = True) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors[name] = _("必填")
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = _("应为金额（元，两位小数）")
        return None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        errors[name] = _("应为不小于 0 的金额（元，两位小数）")
        return None
    return amount


def _user(actor):
    return actor if getattr(actor, "pk", None) else None
