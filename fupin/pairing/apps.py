from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class PairingConfig(spine.FupinAppConfig):
    name = "fupin.pairing"
    label = "pairing"
    verbose_name = _("结对帮扶")
    urls = "fupin.pairing.urls"
    routers = (spine.Router("/pairing", "fupin.pairing.api:router"),)
    role_grants = "fupin.pairing.roles:GRANTS"
