"""The acting user of a command (`--by USERNAME`)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from fupin.core.errors import Refused


def acting_user(username: str | None):
    """Return the active user named on the command line, or None for a system run."""
    if not username:
        return None
    user = (
        get_user_model()
        .objects.filter(username=username, is_active=True)
        .select_related("region")
        .first()
    )
    if user is None:
        raise Refused("unknown_user", _("用户不存在"), {"username": username})
    return user
