from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from fupin.core import spine


def _seed_defaults(sender, **kwargs):
    from fupin.policy.services import policy_seed_defaults

    policy_seed_defaults()


class PolicyConfig(spine.FupinAppConfig):
    name = "fupin.policy"
    label = "policy"
    verbose_name = _("政策参数")
    event_verbs = "fupin.policy.events:Verb"
    role_grants = "fupin.policy.roles:GRANTS"
    urls = "fupin.policy.urls"
    navigation = (
        spine.NavEntry("data", 20, "policy:policy_list", _("政策参数"), "regions.view_region"),
    )

    def ready(self):
        # Keys added to defaults.toml after the first migration get their shipped values on the next migrate.
        post_migrate.connect(_seed_defaults, sender=self)
