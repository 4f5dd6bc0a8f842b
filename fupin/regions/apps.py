from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class RegionsConfig(spine.FupinAppConfig):
    name = "fupin.regions"
    label = "regions"
    verbose_name = _("行政区划")
    event_verbs = "fupin.regions.events:Verb"
    routers = (
        spine.Router(
            "/regions",
            "fupin.regions.api:router",
            "行政区划（国家统计局 12 位代码）及其下级。Administrative divisions by NBS code.",
        ),
    )
    importers = (
        spine.Importer(
            "regions",
            "fupin.regions.services:region_import",
            "division codes and names (代码/code, 名称/name)",
        ),
    )
