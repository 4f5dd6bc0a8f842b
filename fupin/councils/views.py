"""Pages of village councils: the councils of a region, and one council's members and meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.core.errors import FupinError, InvalidInput
from fupin.core.masking import mask_phone
from fupin.councils.forms import MeetingForm, MemberEndForm, MemberForm
from fupin.councils.selectors import council_get, council_list, council_meetings, council_members
from fupin.councils.services import MANAGE, ResolutionDraft, meeting_record, member_add, member_end
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text

PAGE_SIZE = 100


def _council_to_manage(user, council_id: int):
    council = council_get(user=user, council_id=council_id)
    if not user.has_perm(MANAGE, council):
        raise PermissionDenied
    return council


@page_permission_required("councils.view_council")
def council_list_page(request):
    """List the councils of the user's scope with their serving members and last meeting."""
    rows = council_list(user=request.user, region_code=request.GET.get("region", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "councils/list.html", {"page": page})


def _detail(request, council, member_form=None, meeting_form=None, status=200):
    members = list(council_members(council=council))
    for member in members:
        member.phone_masked = mask_phone(member.phone) if member.phone else ""
    can_manage = request.user.has_perm(MANAGE, council)
    return render(
        request,
        "councils/detail.html",
        {
            "council": council,
            "members": members,
            "meetings": council_meetings(council=council),
            "can_manage": can_manage,
            "member_form": member_form or MemberForm(),
            "meeting_form": meeting_form or MeetingForm(),
        },
        status=status,
    )


@login_required
def council_detail_page(request, council_id: int):
    """Show one council: members (serving and past), meetings, minutes and resolutions."""
    return _detail(request, council_get(user=request.user, council_id=council_id))


@login_required
@require_POST
def member_add_view(request, council_id: int):
    """Seat a member from the council page."""
    council = _council_to_manage(request.user, council_id)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            member_add(council=council, actor=request.user, **form.cleaned_data)
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已增补理事会成员"))
            return redirect("councils:detail", council_id=council.pk)
    return _detail(request, council, member_form=form, status=422)


@login_required
@require_POST
def member_end_view(request, council_id: int, member_id: int):
    """End a member's term from the council page."""
    council = _council_to_manage(request.user, council_id)
    member = council_members(council=council).filter(pk=member_id).first()
    if member is None:
        raise Http404
    form = MemberEndForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(
                {name: errors[0] for name, errors in form.errors.items()},
                {name: "invalid" for name in form.errors},
                _("请填写离任日期和原因"),
            )
        member_end(member=member, actor=request.user, **form.cleaned_data)
    except FupinError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("已办理成员离任"))
    return redirect("councils:detail", council_id=council.pk)


@login_required
@require_POST
def meeting_record_view(request, council_id: int):
    """Record a meeting, its minutes and resolutions from the council page."""
    council = _council_to_manage(request.user, council_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting_record(
                council=council,
                held_on=form.cleaned_data["held_on"],
                attendees=form.cleaned_data["attendees"],
                minutes=form.cleaned_data["minutes"],
                place=form.cleaned_data["place"],
                resolutions=[ResolutionDraft(**row) for row in form.resolutions()],
                actor=request.user,
            )
        except FupinError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已记录理事会会议"))
            return redirect("councils:detail", council_id=council.pk)
    return _detail(request, council, meeting_form=form, status=422)
