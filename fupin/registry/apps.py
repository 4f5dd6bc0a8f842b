from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class RegistryConfig(spine.FupinAppConfig):
    name = "fupin.registry"
    label = "registry"
    verbose_name = _("建档立卡")
    event_verbs = "fupin.registry.events:Verb"
    event_data = "fupin.registry.events:DATA"
    urls = "fupin.registry.urls"
    policy_names = "fupin.registry.choices:SupportCategory"
    routers = (
        spine.Router(
            "/households",
            "fupin.registry.api:router",
            "农户一户一档：成员、收入。Households with their members and incomes.",
        ),
    )
    navigation = (
        spine.NavEntry(
            "households", 10, "registry:household_list", _("农户档案"), "registry.view_household"
        ),
        spine.NavEntry(
            "data", 10, "registry:household_import", _("数据导入"), "registry.import_household"
        ),
    )
    role_grants = "fupin.registry.roles:GRANTS"
    home_panels = (
        spine.Panel(20, "registry/_home_categories.html", "fupin.registry.panels:home_panel"),
    )
    # The members and incomes follow the lines about the household (orders below 30), the
    # history comes after every other section (docs/new-app.md lists the orders taken).
    household_panels = (
        spine.Panel(30, "registry/_members.html", "fupin.registry.panels:members_panel"),
        spine.Panel(40, "registry/_incomes.html", "fupin.registry.panels:incomes_panel"),
        spine.Panel(90, "registry/_timeline.html", "fupin.registry.panels:timeline_panel"),
    )
    demo_steps = (
        spine.DemoStep(10, "fupin.registry.demo:registry_demo_step"),
        spine.DemoStep(80, "fupin.registry.demo:accounts_demo_step"),
    )
    importers = (
        spine.Importer(
            "households",
            "fupin.registry.services:household_import",
            "one row per person (户编号/household_no, 证件号码/id_number, ...)",
        ),
        spine.Importer(
            "incomes",
            "fupin.registry.services:income_import",
            "one row per household and year (户编号/household_no, 年度/year, ...)",
        ),
    )
