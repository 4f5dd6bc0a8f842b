from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class CouncilsConfig(spine.FupinAppConfig):
    name = "fupin.councils"
    label = "councils"
    verbose_name = _("村级扶贫理事会")
    event_verbs = "fupin.councils.events:Verb"
    urls = "fupin.councils.urls"
    routers = (
        spine.Router(
            "/councils",
            "fupin.councils.api:router",
            "村级扶贫理事会：成员、会议、决议。Village councils, members, resolutions.",
        ),
    )
    role_grants = "fupin.councils.roles:GRANTS"
    demo_steps = (spine.DemoStep(40, "fupin.councils.demo:councils_demo_step"),)
    navigation = (
        spine.NavEntry("projects", 30, "councils:list", _("理事会"), "councils.view_council"),
    )
