"""Pages of department screening: a department's uploads, a county officer's runs and results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fupin.core.errors import FupinError, NotFound
from fupin.regions.choices import Level
from fupin.regions.models import Region
from fupin.regions.selectors import region_get
from fupin.screening.choices import PHASE_LABELS, FeedName, Rule
from fupin.screening.forms import FeedUploadForm, FlagFilterForm, RunForm, counties_in_scope
from fupin.screening.selectors import flag_list, run_get, run_list, upload_list
from fupin.screening.services import feed_upload, feeds_latest, run_folder, run_start
from fupin.web.access import page_permission_required
from fupin.web.errors import error_text

PAGE_SIZE = 50
OUTPUTS = ("warnings.csv", "summary.csv", "rejected.csv", "run.json")
RULE_LABELS = dict(Rule.choices)


def _field_errors(form, error: FupinError) -> None:
    fields = error.details.get("fields") or {}
    for name, message in fields.items():
        form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, error_text(error))


@page_permission_required("screening.add_feedupload")
def feed_list(request):
    """Take a department's file of one feed for a county, and list the uploads in scope."""
    form = FeedUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            region = region_get(user=request.user, code=form.cleaned_data["region"])
            row = feed_upload(
                actor=request.user,
                region=region,
                feed=form.cleaned_data["feed"],
                upload=form.cleaned_data["file"],
            )
        except NotFound:
            raise
        except FupinError as error:
            _field_errors(form, error)
        else:
            messages.success(
                request,
                _("已报送 %(feed)s：%(name)s")
                % {"feed": row.get_feed_display(), "name": row.original_name},
            )
            return redirect("screening:feed_list")
    uploads = Paginator(upload_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/feed_list.html", {"form": form, "uploads": uploads})


@page_permission_required("screening.view_screeningrun")
def run_list_page(request):
    """List the runs in scope with each county's latest feeds; a POST starts a run."""
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not request.user.has_perm("screening.add_screeningrun"):
            raise PermissionDenied
        if form.is_valid():
            try:
                region = region_get(user=request.user, code=form.cleaned_data["region"])
                run = run_start(
                    actor=request.user,
                    region=region,
                    year=form.cleaned_data["year"],
                    create_cases=form.cleaned_data["create_cases"],
                )
            except NotFound:
                raise
            except FupinError as error:
                _field_errors(form, error)
            else:
                return redirect("screening:run_detail", run_id=run.pk)
    counties = []
    for county in counties_in_scope(request.user):
        latest = feeds_latest(region=county)
        counties.append({"region": county, "cells": [latest.get(f) for f in FeedName.values]})
    runs = Paginator(run_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/run_list.html",
        {
            "form": form,
            "runs": runs,
            "counties": counties,
            "feed_names": FeedName.choices,
            "can_start": request.user.has_perm("screening.add_screeningrun"),
        },
    )


@never_cache
@login_required
@permission_required("screening.view_screeningrun", raise_exception=True)
def run_detail(request, run_id: int):
    """Show a run's progress, then its counts and flagged households (filter by rule, town, village)."""
    run = run_get(user=request.user, run_id=run_id)
    context = {"run": run, "phase": PHASE_LABELS.get(run.phase, ""), "outputs": OUTPUTS}
    if request.headers.get("HX-Request") == "true" and request.GET.get("part") == "status":
        if not run.active:
            # The finished page replaces the progress bar in one go.
            response = render(request, "screening/_run_status.html", context)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "screening/_run_status.html", context)
    towns = Region.objects.filter(parent_id=run.region_id, level=Level.TOWN).order_by("code")
    form = FlagFilterForm(request.GET, towns=towns, villages=[])
    town = request.GET.get("town", "")
    villages = (
        Region.objects.filter(parent_id=town, level=Level.VILLAGE).order_by("code")
        if town.startswith(run.region.prefix)
        else Region.objects.none()
    )
    form = FlagFilterForm(request.GET, towns=towns, villages=villages)
    page = None
    if not run.active and form.is_valid():
        flags = flag_list(
            user=request.user,
            run=run,
            rule=form.cleaned_data["rule"],
            town=form.cleaned_data["town"],
            village=form.cleaned_data["village"],
        )
        page = Paginator(flags, PAGE_SIZE).get_page(form.cleaned_data.get("page"))
        for flag in page.object_list:
            flag.rule_labels = [RULE_LABELS.get(r, r) for r in flag.rule_list]
    summary = run.summary or {}
    context.update(
        {
            "form": form,
            "page": page,
            "rule_counts": [
                (code, label, (summary.get("flags") or {}).get(code))
                for code, label in Rule.choices
            ],
            "summary": summary,
        }
    )
    template = (
        "screening/_flag_results.html"
        if request.headers.get("HX-Request") == "true"
        else "screening/run_detail.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@permission_required("screening.view_screeningrun", raise_exception=True)
def flag_detail(request, run_id: int, household_no: str):
    """Show one flagged household of a run with the department figures behind each rule."""
    run = run_get(user=request.user, run_id=run_id)
    flag = run.flags.restrict(request.user).filter(household_no=household_no).first()
    if flag is None:
        raise Http404
    in_registry = bool(flag.registry_category)
    return render(
        request,
        "screening/flag_detail.html",
        {
            "run": run,
            "flag": flag,
            "rules": [(r, RULE_LABELS.get(r, r)) for r in flag.rule_list],
            "figures": sorted(flag.figures.items()),
            "in_registry": in_registry,
        },
    )


@never_cache
@login_required
@permission_required("screening.view_screeningrun", raise_exception=True)
def run_file(request, run_id: int, name: str):
    """Send one of a run's four output files."""
    run = run_get(user=request.user, run_id=run_id)
    if name not in OUTPUTS or run.active:
        raise Http404
    path = run_folder(run) / name
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"run{run.pk}-{name}")
