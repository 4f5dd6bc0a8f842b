"""Writes of rectification and revival plans under council resolutions."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import Conflict, InvalidInput, NotFound
from fupin.core.services import event_record, history_attribute
from fupin.core.states import role_of, transition_check
from fupin.projects import choices as c
from fupin.projects.models import Project, RectificationPlan
from fupin.projects.services.common import S, _locked, _require, _scoped, _user
from fupin.projects.services.moves import resolution_for


@transaction.atomic
def plan_add(
    *,
    project: Project | int,
    kind: str,
    measures: list[str],
    deadline: dt.date,
    responsible_name: str,
    actor,
    description: str = "",
) -> RectificationPlan:
    """Draw up a rectification plan for a weak project or a revival plan for an idle one."""
    project = _locked(project, actor)
    _require(actor, c.PLAN_ROLES, "projects.add_rectificationplan", project)
    if kind not in c.PlanKind.values:
        raise InvalidInput({"kind": _("方案类别不正确")})
    if project.status != c.PLAN_FOR[c.PlanKind(kind)]:
        raise Conflict(
            "plan_not_needed",
            _("%(kind)s方案只适用于%(status)s项目")
            % {
                "kind": c.PlanKind(kind).label,
                "status": S(c.PLAN_FOR[c.PlanKind(kind)]).label,
            },
            {"status": project.status, "kind": kind},
        )
    if project.plans.filter(kind=kind, status__in=c.OPEN_PLAN_STATUSES).exists():
        raise Conflict("plan_open_exists", _("该项目已有未完成的同类方案"), {"kind": kind})
    errors: dict[str, str] = {}
    measures = list(dict.fromkeys(measures or []))
    if not measures or not set(measures) <= set(c.PlanMeasure.values):
        errors["measures"] = _("请选择至少一项有效的措施")
    if deadline is None:
        errors["deadline"] = _("必填")
    elif deadline < timezone.localdate():
        errors["deadline"] = _("完成期限不能早于今天")
    if not responsible_name.strip():
        errors["responsible_name"] = _("必填")
    if errors:
        raise InvalidInput(errors)
    plan = RectificationPlan(
        project=project,
        kind=kind,
        measures=measures,
        deadline=deadline,
        responsible_name=responsible_name.strip(),
        description=description.strip(),
        created_by=_user(actor),
    )
    history_attribute(plan, actor)
    plan.save()
    event_record(
        actor=actor, verb=f"project.{kind}_plan_added", obj=project, data={"plan": plan.pk}
    )
    return plan


@transaction.atomic
def plan_approve(*, plan: RectificationPlan | int, resolution_id: int | None, actor):
    """Record the council resolution that lets a plan take effect."""
    pk = plan.pk if isinstance(plan, RectificationPlan) else plan
    try:
        plan = (
            _scoped(RectificationPlan, actor)
            .select_for_update()
            .select_related("project__region")
            .get(pk=pk)
        )
    except RectificationPlan.DoesNotExist:
        raise NotFound("plan", {"id": pk}) from None
    _require(actor, c.PLAN_ROLES, "projects.change_rectificationplan", plan)
    transition_check(
        c.PLAN_TRANSITIONS,
        plan.status,
        c.PlanStatus.APPROVED,
        role=role_of(actor),
        message=_("该方案已决议"),
    )
    resolution = resolution_for(
        project=plan.project,
        resolution_id=resolution_id,
        kinds={c.PLAN_RESOLUTION_KIND[c.PlanKind(plan.kind)]},
    )
    plan.resolution = resolution
    plan.status = c.PlanStatus.APPROVED
    plan.approved_at = timezone.now()
    history_attribute(plan, actor)
    plan.save(update_fields=["resolution", "status", "approved_at"])
    event_record(
        actor=actor,
        verb=f"project.{plan.kind}_plan_approved",
        obj=plan.project,
        data={"plan": plan.pk, "resolution": resolution.pk},
    )
    return plan
