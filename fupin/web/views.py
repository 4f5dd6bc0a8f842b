"""Pages of the web shell; they read through selectors and write through services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fupin.web.panels import home_panels_for


@login_required
def home(request):
    """Show the sections the apps put on the home page (the cases waiting for the user's role,
    the households by support category, …), each in its order."""
    return render(request, "web/home.html", {"panels": home_panels_for(request)})
