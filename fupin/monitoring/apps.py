from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class MonitoringConfig(spine.FupinAppConfig):
    name = "fupin.monitoring"
    label = "monitoring"
    verbose_name = _("动态监测")
    event_verbs = "fupin.monitoring.events:Verb"
    event_data = "fupin.monitoring.events:DATA"
    urls = "fupin.monitoring.urls"
    routers = (
        spine.Router(
            "/declarations",
            "fupin.monitoring.api:declarations_router",
            "农户自主申报、照片、进度查询（公开）。Residents' declarations (public).",
        ),
        spine.Router(
            "/cases",
            "fupin.monitoring.api:cases_router",
            "监测案件：审核、公示、异议、附件、退出。Monitoring cases from review to exit.",
        ),
        spine.Router("/households", "fupin.monitoring.api:household_cases_router"),
    )
    role_grants = "fupin.monitoring.roles:GRANTS"
    home_panels = (spine.Panel(10, "monitoring/_queue.html", "fupin.monitoring.panels:home_panel"),)
    household_panels = (
        spine.Panel(
            20, "monitoring/_household_cases.html", "fupin.monitoring.panels:household_panel"
        ),
    )
    demo_steps = (spine.DemoStep(110, "fupin.monitoring.demo:monitoring_demo_step"),)
    navigation = (
        spine.NavEntry(
            "monitoring", 10, "monitoring:case_list", _("监测案件"), "monitoring.view_case"
        ),
    )
