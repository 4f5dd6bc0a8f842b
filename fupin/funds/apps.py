from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class FundsConfig(spine.FupinAppConfig):
    name = "fupin.funds"
    label = "funds"
    verbose_name = _("扶贫资金")
    event_verbs = "fupin.funds.events:Verb"
    urls = "fupin.funds.urls"
    routers = (
        spine.Router(
            "/funds",
            "fupin.funds.api:router",
            "资金来源、下达、拨付、小额信贷。Fund sources, allocations, microcredit.",
        ),
    )
    role_grants = "fupin.funds.roles:GRANTS"
    household_panels = (
        spine.Panel(70, "funds/_household_loans.html", "fupin.funds.panels:household_panel"),
    )
    demo_steps = (spine.DemoStep(60, "fupin.funds.demo:funds_demo_step"),)
    navigation = (
        spine.NavEntry("projects", 20, "funds:balances", _("资金资产"), "funds.view_fundsource"),
    )
