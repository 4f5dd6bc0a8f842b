from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class OversightConfig(spine.FupinAppConfig):
    name = "fupin.oversight"
    label = "oversight"
    verbose_name = _("考核")
    event_verbs = "fupin.oversight.events:Verb"
    urls = "fupin.oversight.urls"
    policy_names = "fupin.oversight.choices:Indicator"
    routers = (
        spine.Router(
            "/oversight",
            "fupin.oversight.api:router",
            "考核记分卡与排名。Assessment scorecards and rankings.",
        ),
    )
    role_grants = "fupin.oversight.roles:GRANTS"
    demo_steps = (spine.DemoStep(120, "fupin.oversight.demo:oversight_demo_step"),)
    navigation = (
        spine.NavEntry(
            "oversight", 20, "oversight:scorecard", _("考核"), "oversight.view_scorecard"
        ),
    )
