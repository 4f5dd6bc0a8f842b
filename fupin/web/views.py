"""Pages of the web shell; they read through selectors and write through services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fupin.monitoring.choices import STAGE_ROLE
from fupin.monitoring.selectors import case_counts, case_queue, case_rows
from fupin.registry import choices as c
from fupin.registry.selectors import category_counts

QUEUE_SHOWN = 20


@login_required
def home(request):
    """Show the cases waiting for the user's role, then the households by support category."""
    counts = category_counts(user=request.user)
    categories = [
        {"key": cat.value, "label": cat.label, "count": counts[cat.value]}
        for cat in c.SupportCategory
    ]
    queue = None
    if request.user.has_perm("monitoring.view_case"):
        queue = {
            "rows": case_rows(cases=case_queue(user=request.user)[:QUEUE_SHOWN]),
            "counts": case_counts(user=request.user),
            "shown": QUEUE_SHOWN,
            "owns_stages": request.user.role in STAGE_ROLE.values(),
        }
    return render(
        request,
        "web/home.html",
        {
            "categories": categories,
            "removed": counts["removed"],
            "total": sum(item["count"] for item in categories),
            "queue": queue,
        },
    )
