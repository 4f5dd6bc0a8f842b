from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class ProjectsConfig(spine.FupinAppConfig):
    name = "fupin.projects"
    label = "projects"
    verbose_name = _("扶贫项目")
    urls = "fupin.projects.urls"
    routers = (spine.Router("/projects", "fupin.projects.api:router"),)
    role_grants = "fupin.projects.roles:GRANTS"
