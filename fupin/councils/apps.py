from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "fupin.councils"
    label = "councils"
    verbose_name = _("村级扶贫理事会")
