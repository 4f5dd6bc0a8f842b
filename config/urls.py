from django.contrib import admin
from django.urls import include, path

from fupin.api.api import api
from fupin.core.spine import fupin_apps

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Each app's pages, in the order of INSTALLED_APPS (the web shell's last).
    *(path("", include(config.urls)) for config in fupin_apps() if config.urls),
]
