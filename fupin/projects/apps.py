from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class ProjectsConfig(spine.FupinAppConfig):
    name = "fupin.projects"
    label = "projects"
    verbose_name = _("扶贫项目")
    event_verbs = "fupin.projects.events:Verb"
    urls = "fupin.projects.urls"
    routers = (
        spine.Router(
            "/projects",
            "fupin.projects.api:router",
            "扶贫项目、经营主体、合同、受益户、回头看。Projects, operators, reviews.",
        ),
    )
    role_grants = "fupin.projects.roles:GRANTS"
    household_panels = (
        spine.Panel(50, "projects/_household.html", "fupin.projects.panels:household_panel"),
    )
    demo_steps = (
        spine.DemoStep(50, "fupin.projects.demo:projects_demo_step"),
        spine.DemoStep(75, "fupin.projects.demo:review_demo_step"),
    )
    navigation = (
        spine.NavEntry("projects", 10, "projects:list", _("项目资产"), "projects.view_project"),
    )
