from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class AssetsConfig(spine.FupinAppConfig):
    name = "fupin.assets"
    label = "assets"
    verbose_name = _("扶贫资产")
    event_verbs = "fupin.assets.events:Verb"
    urls = "fupin.assets.urls"
    routers = (
        spine.Router(
            "/assets",
            "fupin.assets.api:router",
            "扶贫资产、资金来源、收益与三资台账。Assets, their funding, income, ledger.",
        ),
    )
    role_grants = "fupin.assets.roles:GRANTS"
    extensions = (spine.Extension("projects.returns", "fupin.assets.selectors:project_returns"),)
    demo_steps = (spine.DemoStep(70, "fupin.assets.demo:assets_demo_step"),)
