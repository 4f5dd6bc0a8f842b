from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class RegionsConfig(spine.FupinAppConfig):
    name = "fupin.regions"
    label = "regions"
    verbose_name = _("行政区划")
    routers = (spine.Router("/regions", "fupin.regions.api:router"),)
