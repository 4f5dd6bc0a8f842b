"""Pages of the web shell; they read through selectors and write through services."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from fupin.core.errors import NotFound
from fupin.registry import choices as c
from fupin.registry.selectors import category_counts, household_get


@login_required
def home(request):
    """Show the counts of households by support category in the user's region."""
    counts = category_counts(user=request.user)
    categories = [{"key": cat.value, "label": cat.label, "count": counts[cat.value]} for cat in c.SupportCategory]
    return render(request, "web/home.html", {
        "categories": categories, "removed": counts["removed"],
        "total": sum(item["count"] for item in categories),
    })


@login_required
def household_list(request):
    return render(request, "web/placeholder.html")


@login_required
def household_detail(request, household_no):
    try:
        household = household_get(user=request.user, household_no=household_no)
    except NotFound:
        raise Http404 from None
    return render(request, "web/placeholder.html", {"household": household})


@login_required
def household_import(request):
    return render(request, "web/placeholder.html")


@login_required
def policy_list(request):
    return render(request, "web/placeholder.html")
