from django.contrib import admin
from django.urls import include, path

from fupin.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("fupin.assistance.urls")),
    path("", include("fupin.monitoring.urls")),
    path("", include("fupin.pairing.urls")),
    path("", include("fupin.oversight.urls")),
    path("", include("fupin.councils.urls")),
    path("", include("fupin.distribution.urls")),
    path("", include("fupin.projects.urls")),
    path("", include("fupin.funds.urls")),
    path("", include("fupin.assets.urls")),
    path("", include("fupin.screening.urls")),
    path("", include("fupin.web.urls")),
]
