from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class AssistanceConfig(spine.FupinAppConfig):
    name = "fupin.assistance"
    label = "assistance"
    verbose_name = _("帮扶计划")
    event_verbs = "fupin.assistance.events:Verb"
    urls = "fupin.assistance.urls"
    routers = (
        spine.Router(
            "/households",
            "fupin.assistance.api:router",
            "帮扶计划与措施、逾期未落实的计划。Assistance plans, measures, overdue plans.",
        ),
        spine.Router("/plans", "fupin.assistance.api:plans_router"),
    )
    role_grants = "fupin.assistance.roles:GRANTS"
    household_panels = (
        spine.Panel(80, "assistance/_plan_section.html", "fupin.assistance.panels:household_panel"),
    )
    demo_steps = (spine.DemoStep(30, "fupin.assistance.demo:assistance_demo_step"),)
