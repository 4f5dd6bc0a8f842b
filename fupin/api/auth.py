"""API authentication: `Authorization: Bearer TOKEN`, or the browser session with its CSRF token.

The token is tried first: a request that carries a valid token is judged by the token alone,
since a browser never adds that header to a cross-site request. The session is tried only when
it holds a logged-in user, and then an unsafe method needs the CSRF token (docs/decisions/0040).
"""

from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from fupin.accounts.services import token_authenticate
from fupin.core.errors import Forbidden


class BearerToken(HttpBearer):
    """A hashed API token created with `fupin token create`."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods also need the CSRF token."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def _get_key(self, request):
        # Only a session that logs someone in is worth forging; without one there is nothing to
        # check, and the request is simply unauthenticated (401), not a CSRF refusal.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise Forbidden(_("缺少或错误的 CSRF 令牌：请刷新页面后重试"), code="csrf_failed")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
