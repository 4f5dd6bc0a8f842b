"""Pages of assistance plans: keep a household's plan, add measures and move their status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fupin.assistance import choices as c
from fupin.assistance.forms import MeasureForm, MoveForm, PlanForm
from fupin.assistance.selectors import (
    measure_get,
    plan_events,
    plan_panel,
    plan_responsible_candidates,
)
from fupin.assistance.services import (
    CHANGE,
    measure_add,
    measure_move,
    measure_update,
    plan_update,
)
from fupin.core.errors import Forbidden, FupinError
from fupin.registry.selectors import household_get

EVENT_LABELS = {
    "plan.required": gettext_lazy("纳入监测，要求建立帮扶计划"),
    "plan.due_date_set": gettext_lazy("调整措施落实期限"),
    "plan.created": gettext_lazy("帮扶计划已建立"),
    "plan.updated": gettext_lazy("修改帮扶计划"),
    "measure.added": gettext_lazy("添加措施"),
    "measure.updated": gettext_lazy("修改措施"),
    "measure.moved": gettext_lazy("变更措施状态"),
}


def _household_to_change(user, household_no: str):
    """Return a household in the user's scope whose plan the user may change (404 / 403 otherwise)."""
    household = household_get(user=user, household_no=household_no)
    if not user.has_perm(CHANGE, household):
        raise PermissionDenied
    return household


def _plan_url(household) -> str:
    return reverse("assistance:plan", args=[household.household_no])


def _page(request, household, *, plan_form=None, measure_form=None, status=200):
    panel = plan_panel(user=request.user, household=household)
    plan = panel.plan
    candidates = plan_responsible_candidates(household=household)
    if plan_form is None:
        initial = (
            {
                "responsible_name": plan.responsible_name,
                "responsible_user": plan.responsible_user_id,
                "note": plan.note,
            }
            if plan
            else {}
        )
        plan_form = PlanForm(initial=initial, candidates=candidates)
    if measure_form is None and plan is not None:
        measure_form = MeasureForm()
    events = plan_events(plan=plan) if plan is not None else []
    labels = {str(m.pk): m.get_category_display() for m in panel.measures}
    return render(
        request,
        "assistance/plan.html",
        {
            "household": household,
            "panel": panel,
            "plan_form": plan_form,
            "measure_form": measure_form,
            "events": [
                {
                    "event": e,
                    "label": EVENT_LABELS.get(e.verb, e.verb),
                    "subject": labels.get(e.object_id, "")
                    if e.object_type == "assistance.measure"
                    else "",
                    "to": c.MeasureStatus(e.data["to"]).label
                    if e.verb == "measure.moved" and e.data.get("to") in c.MeasureStatus.values
                    else "",
                }
                for e in events
            ],
        },
        status=status,
    )


@login_required
def plan_page(request, household_no):
    """Show the household's plan with its measures; a POST sets who keeps it (creating it if absent)."""
    household = _household_to_change(request.user, household_no)
    if request.method != "POST":
        return _page(request, household)
    form = PlanForm(request.POST, candidates=plan_responsible_candidates(household=household))
    if form.is_valid():
        try:
            plan_update(household=household, actor=request.user, **form.cleaned_data)
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("帮扶计划已保存"))
            return redirect(_plan_url(household))
    return _page(request, household, plan_form=form, status=422)


@require_POST
@login_required
def measure_new(request, household_no):
    """Add a measure to the household's plan."""
    household = _household_to_change(request.user, household_no)
    panel = plan_panel(user=request.user, household=household)
    if panel.plan is None:
        messages.error(request, _("请先建立帮扶计划"))
        return redirect(_plan_url(household))
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            measure_add(plan=panel.plan, actor=request.user, **form.cleaned_data)
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已添加帮扶措施"))
            return redirect(_plan_url(household))
    return _page(request, household, measure_form=form, status=422)


@login_required
def measure_edit(request, household_no, measure_id):
    """Change a measure that is planned or in progress."""
    household = _household_to_change(request.user, household_no)
    measure = measure_get(user=request.user, household_no=household_no, measure_id=measure_id)
    if request.method == "POST":
        form = MeasureForm(request.POST)
        if form.is_valid():
            try:
                measure_update(measure=measure, actor=request.user, **form.cleaned_data)
            except FupinError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("帮扶措施已保存"))
                return redirect(_plan_url(household))
        status = 422
    else:
        form = MeasureForm(initial=MeasureForm.initial_of(measure))
        status = 200
    return render(
        request,
        "assistance/measure_edit.html",
        {"household": household, "measure": measure, "form": form},
        status=status,
    )


@require_POST
@login_required
def measure_status(request, household_no, measure_id):
    """Move a measure's status (start, finish, cancel) and go back to the plan."""
    household = _household_to_change(request.user, household_no)
    measure = measure_get(user=request.user, household_no=household_no, measure_id=measure_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要变更的状态"))
        return redirect(_plan_url(household))
    try:
        measure = measure_move(measure=measure, actor=request.user, **form.cleaned_data)
    except Forbidden:
        raise PermissionDenied from None
    except FupinError as error:
        fields = (error.details or {}).get("fields") or {}
        messages.error(request, "；".join(str(m) for m in fields.values()) or str(error.message))
    else:
        messages.success(
            request,
            _("“%(category)s”已改为“%(status)s”")
            % {"category": measure.get_category_display(), "status": measure.get_status_display()},
        )
    return redirect(_plan_url(household) + f"#measure-{measure.pk}")
