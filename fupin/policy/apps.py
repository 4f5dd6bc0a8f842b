from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_defaults(sender, **kwargs):
    from fupin.policy.services import policy_seed_defaults

    policy_seed_defaults()


class PolicyConfig(AppConfig):
    name = "fupin.policy"
    label = "policy"
    verbose_name = _("政策参数")

    def ready(self):
        # Keys added to defaults.toml after the first migration get their shipped values on the next migrate.
        post_migrate.connect(_seed_defaults, sender=self)
