from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class ScreeningConfig(spine.FupinAppConfig):
    name = "fupin.screening"
    label = "screening"
    verbose_name = _("部门筛查预警")
    event_verbs = "fupin.screening.events:Verb"
    urls = "fupin.screening.urls"
    routers = (
        spine.Router(
            "/screening",
            "fupin.screening.api:router",
            "部门数据报送与批量筛查预警。Department feeds and screening runs with flags.",
        ),
    )
    role_grants = "fupin.screening.roles:GRANTS"
    # Before monitoring's cases (110): it hands over the opener of screening-route cases.
    demo_steps = (spine.DemoStep(105, "fupin.screening.demo:screening_demo_step"),)
    navigation = (
        spine.NavEntry(
            "monitoring", 20, "screening:run_list", _("部门筛查"), "screening.view_screeningrun"
        ),
        spine.NavEntry(
            "monitoring", 30, "screening:feed_list", _("数据报送"), "screening.add_feedupload"
        ),
    )
