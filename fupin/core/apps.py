from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class CoreConfig(spine.FupinAppConfig):
    name = "fupin.core"
    label = "core"
    verbose_name = _("基础")
    event_verbs = "fupin.core.events:Verb"
