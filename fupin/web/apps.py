from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class WebConfig(spine.FupinAppConfig):
    name = "fupin.web"
    label = "web"
    verbose_name = _("网页")
    urls = "fupin.web.urls"
    navigation = (spine.NavEntry("home", 10, "web:home", _("首页")),)
