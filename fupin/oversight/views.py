"""Pages of the assessment: a region's scorecard with drill-down, closing, export, closed periods."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin.accounts.choices import Position
from fupin.core.dates import quarter_period
from fupin.core.errors import FupinError, NotFound
from fupin.oversight.choices import Indicator, Status
from fupin.oversight.exporting import scorecard_workbook
from fupin.oversight.forms import QUARTER_SHORT, PeriodForm
from fupin.oversight.selectors import (
    VIEW,
    ScorecardData,
    can_close,
    records_cases,
    records_households,
    scorecard_get,
    scorecard_list,
)
from fupin.oversight.services import scorecard_close
from fupin.regions.choices import Level
from fupin.regions.selectors import region_get, region_path
from fupin.web.access import page_permission_required

PAGE_SIZE = 100
RATIOS = {Indicator.PAIRING, Indicator.VISITS, Indicator.ONTIME, Indicator.PLANS, Indicator.ROUNDS}


def _query(region: str, start: dt.date, end: dt.date, **extra) -> str:
    return urlencode({"region": region, "start": start, "end": end, **extra})


def _value_text(indicator: str, value) -> str:
    if value is None:
        return "—"
    if indicator in RATIOS:
        return f"{value * 100:.1f}%"
    return _("%(days)s 天") % {"days": value}


def _cells(card: ScorecardData, row) -> list[dict]:
    cells = []
    for indicator in Indicator:
        figure = row.figures[indicator]
        cells.append(
            {
                "key": indicator.value,
                "text": _value_text(indicator, figure.value),
                "detail": ""
                if not figure.count
                else f"{figure.hits}/{figure.count}"
                if figure.hits is not None
                else _("%(n)s 件") % {"n": figure.count},
                "score": figure.score,
                "url": reverse("oversight:records")
                + "?"
                + _query(row.region, card.start, card.end, indicator=indicator.value),
            }
        )
    return cells


def _scope_path(user, region) -> list:
    prefix = user.scope_prefix
    return [
        r for r in region_path(region=region) if prefix is not None and r.code.startswith(prefix)
    ]


@page_permission_required(VIEW)
def scorecard_page(request):
    """Show the ranking of a region's children for a period, each figure linked to its records."""
    form = PeriodForm(request.GET)
    start, end = form.period()
    try:
        card = scorecard_get(
            user=request.user, region_code=form.region_code(), start=start, end=end
        )
    except NotFound:
        raise
    except FupinError as error:
        messages.error(request, error.message)
        return redirect("oversight:scorecard")
    today = timezone.localdate()
    rows = [
        {
            "row": row,
            "cells": _cells(card, row),
            "drill": row.level < Level.VILLAGE,
            "query": _query(row.region, start, end),
        }
        for row in card.rows
    ]
    year = start.year
    return render(
        request,
        "oversight/scorecard.html",
        {
            "card": card,
            "rows": rows,
            "form": form,
            "path": _scope_path(request.user, card.region),
            "query": _query(card.region.code, start, end),
            "closed": card.status == Status.CLOSED,
            "can_close": card.status == Status.LIVE
            and can_close(user=request.user, region=card.region)
            and end < today,
            "not_over": end >= today,
            "shortcuts": [
                (str(y), _query(card.region.code, *quarter_period(y, None)))
                for y in (year - 1, year, year + 1)
                if y <= today.year
            ],
            "quarters": [
                (QUARTER_SHORT[q], _query(card.region.code, *quarter_period(year, q)))
                for q in (1, 2, 3, 4)
                if quarter_period(year, q)[0] <= today
            ],
        },
    )


@login_required
@require_POST
def close(request):
    """Close a period of the officer's own region and publish its frozen ranking."""
    form = PeriodForm(request.POST)
    start, end = form.period()
    region = form.region_code() or request.user.region_id
    try:
        scorecard_close(parent_code=region, start=start, end=end, actor=request.user)
    except NotFound:
        raise
    except FupinError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("考核期已关闭，排名已冻结发布"))
    return redirect(reverse("oversight:scorecard") + "?" + _query(region, start, end))


@page_permission_required(VIEW)
def export(request):
    """Download the scorecard of a region and period as an Excel sheet."""
    form = PeriodForm(request.GET)
    start, end = form.period()
    card = scorecard_get(user=request.user, region_code=form.region_code(), start=start, end=end)
    content = scorecard_workbook(card=card, user=request.user)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"scorecard-{card.region.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page_permission_required(VIEW)
def closed_list(request):
    """List the closed periods of the user's scope."""
    page = Paginator(scorecard_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for snapshot in page.object_list:
        snapshot.query = _query(snapshot.region_id, snapshot.start, snapshot.end)
    return render(request, "oversight/closed.html", {"page": page})


@page_permission_required(VIEW)
def records(request):
    """List the records behind one figure of one region: households, cases or leaders."""
    from fupin.pairing.selectors import overdue_households, rounds_progress

    form = PeriodForm(request.GET)
    start, end = form.period()
    indicator = request.GET.get("indicator", "")
    if indicator not in Indicator.values:
        raise Http404
    code = form.region_code()
    region = region_get(user=request.user, code=code) if code else request.user.region
    if region is None:
        raise Http404
    on = min(end, timezone.localdate())
    missing = request.GET.get("all") != "1"
    context = {
        "region": region,
        "indicator": Indicator(indicator),
        "start": start,
        "end": end,
        "on": on,
        "missing": missing,
        "path": _scope_path(request.user, region),
        "back": reverse("oversight:scorecard")
        + "?"
        + _query(region.parent_id or region.code, start, end),
        "query": _query(region.code, start, end, indicator=indicator),
    }
    if indicator in (Indicator.PAIRING, Indicator.PLANS):
        rows = records_households(
            user=request.user, indicator=indicator, region=region, on=on, missing=missing
        )
        context["kind"] = "households"
    elif indicator in (Indicator.ONTIME, Indicator.DAYS):
        rows = records_cases(user=request.user, region=region, start=start, end=end)
        context["kind"] = "cases"
    elif indicator == Indicator.VISITS:
        rows = overdue_households(user=request.user, region_code=region.code, on=on)
        context["kind"] = "visits"
    else:
        leaders = rounds_progress(user=request.user, region_code=region.code, start=start, end=end)
        labels = dict(Position.choices)
        rows = [
            {
                "name": leader.name,
                "position": labels.get(leader.position, leader.position),
                "region_code": leader.region_code,
                "targets": leader.targets,
                "visited": leader.visited,
            }
            for leader in leaders
        ]
        context["kind"] = "rounds"
    context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "oversight/records.html", context)
