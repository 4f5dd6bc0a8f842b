from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class PairingConfig(spine.FupinAppConfig):
    name = "fupin.pairing"
    label = "pairing"
    verbose_name = _("结对帮扶")
    event_verbs = "fupin.pairing.events:Verb"
    urls = "fupin.pairing.urls"
    routers = (
        spine.Router(
            "/pairing",
            "fupin.pairing.api:router",
            "结对帮扶、走访登记、书记遍访。Pairings, cadres' visits, leaders' rounds.",
        ),
    )
    role_grants = "fupin.pairing.roles:GRANTS"
    household_panels = (
        spine.Panel(10, "pairing/_household_cadres.html", "fupin.pairing.panels:household_panel"),
    )
    demo_steps = (
        spine.DemoStep(20, "fupin.pairing.demo:pairing_demo_step"),
        spine.DemoStep(90, "fupin.pairing.demo:visits_demo_step"),
    )
    importers = (
        spine.Importer(
            "units",
            "fupin.pairing.importing:unit_import",
            "aid units and their villages (单位名称/name, 单位层级/level, ...)",
        ),
        spine.Importer(
            "cadres",
            "fupin.pairing.importing:cadre_import",
            "cadres by ID number (姓名/name, 身份证号码/id_number, 单位名称/unit, ...)",
        ),
        spine.Importer(
            "pairings",
            "fupin.pairing.importing:pairing_import",
            "cadre–household pairings (帮扶责任人身份证号码/cadre_id_number, 户编号, ...)",
        ),
    )
    navigation = (
        spine.NavEntry("visits", 10, "pairing:my_visits", _("我的走访"), "pairing.add_visit"),
        spine.NavEntry("oversight", 10, "pairing:coverage", _("结对帮扶"), "pairing.view_pairing"),
    )
