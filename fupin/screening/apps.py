from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "fupin.screening"
    label = "screening"
    verbose_name = _("部门筛查预警")
