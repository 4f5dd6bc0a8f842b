from django.utils.translation import gettext_lazy as _

from fupin.core import spine


class AccountsConfig(spine.FupinAppConfig):
    name = "fupin.accounts"
    label = "accounts"
    verbose_name = _("账户")
    event_verbs = "fupin.accounts.events:Verb"
