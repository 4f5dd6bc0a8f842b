"""The app config that makes the superuser-only site (fupin.core.admin_site) Django's `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class FupinAdminConfig(AdminConfig):
    """django.contrib.admin with `SuperuserAdminSite` as the default site."""

    default_site = "fupin.core.admin_site.SuperuserAdminSite"
