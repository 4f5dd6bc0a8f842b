from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class RegistryConfig(spine.FupinAppConfig):
    name = "fupin.registry"
    label = "registry"
    verbose_name = _("建档立卡")
    routers = (spine.Router("/households", "fupin.registry.api:router"),)
    role_grants = "fupin.registry.roles:GRANTS"
