from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class DistributionConfig(spine.FupinAppConfig):
    name = "fupin.distribution"
    label = "distribution"
    verbose_name = _("差异化分配")
    event_verbs = "fupin.distribution.events:Verb"
    urls = "fupin.distribution.urls"
    routers = (
        spine.Router(
            "/distribution",
            "fupin.distribution.api:router",
            "资产收益分配方案、到户支付、村扶贫基金。Income distribution to households.",
        ),
    )
    role_grants = "fupin.distribution.roles:GRANTS"
    household_panels = (
        spine.Panel(
            60, "distribution/_household.html", "fupin.distribution.panels:household_panel"
        ),
    )
    extensions = (
        spine.Extension(
            "assets.ledger_distribution", "fupin.distribution.selectors:ledger_distribution"
        ),
        spine.Extension("assets.project_plans", "fupin.distribution.selectors:plans_of_income"),
    )
    demo_steps = (spine.DemoStep(100, "fupin.distribution.demo:distribution_demo_step"),)
    navigation = (
        spine.NavEntry(
            "projects",
            40,
            "distribution:list",
            _("收益分配"),
            "distribution.view_distributionplan",
        ),
    )
