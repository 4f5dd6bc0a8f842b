"""The acting user of a command (`--by USERNAME`)."""

from django.utils.translation import gettext as _

from fupin.core.errors import FupinError


def acting_user(username: str | None):
    """Return the active user named on the command line, or None for a system run."""
    if not username:
        return None
    from fupin.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).select_related("region").first()
    if user is None:
        raise FupinError("unknown_user", _("用户不存在"), {"username": username})
    return user
