"""The policy page: the values in force for a region on a date, their history, and setting one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import FupinError
from fupin.policy.forms import PolicySetForm, PolicyViewForm
from fupin.policy.keys import policy_keys
from fupin.policy.selectors import policy_history, policy_resolve_all
from fupin.policy.services import policy_set
from fupin.web.access import page_permission_required

PAGE_SIZE = 50


@page_permission_required("regions.view_region")
def policy_list(request):
    """Show the policy values in force for a region on a date, their history, and the form to set one."""
    view_form = PolicyViewForm(request.GET, user=request.user)
    view_form.is_valid()
    can_set = request.user.has_perm("policy.change_policyvalue")
    set_form = None
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied
        set_form = PolicySetForm(request.POST, user=request.user)
        if set_form.is_valid():
            data = set_form.cleaned_data
            try:
                row = policy_set(
                    key=data["key"],
                    value=data["value"],
                    region_code=data["region"] or None,
                    valid_from=data["valid_from"],
                    reason=data["reason"],
                    actor=request.user,
                    source=data["source"],
                    sourced=bool(data["source"]),
                )
            except FupinError as error:
                set_form.add_service_error(error)
            else:
                messages.success(
                    request,
                    _("已设定 %(key)s = %(value)s（%(region)s，自 %(date)s 起）")
                    % {
                        "key": row.key,
                        "value": row.value,
                        "region": row.region or _("全国"),
                        "date": row.valid_from.isoformat(),
                    },
                )
                query = request.GET.urlencode()
                return redirect(reverse("policy:policy_list") + (f"?{query}" if query else ""))
    elif can_set:
        set_form = PolicySetForm(
            user=request.user,
            initial={"region": request.user.region_id or "", "valid_from": timezone.localdate()},
        )
    region_code, on = view_form.region_code(), view_form.on_date()
    prefix = request.user.scope_prefix or ""
    rows = policy_history(region_prefix=prefix, ancestors_of=request.user.region_id or "")
    history = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    keys = policy_keys()
    for row in history:
        row.label = keys[row.key].display_label if row.key in keys else row.key
    return render(
        request,
        "policy/policy.html",
        {
            "view_form": view_form,
            "set_form": set_form,
            "on": on,
            "region_code": region_code,
            "resolved": policy_resolve_all(region_code=region_code, on=on).values(),
            "history": history,
        },
    )
