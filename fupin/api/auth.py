"""API authentication: the browser session, or `Authorization: Bearer TOKEN`."""

from ninja.security import APIKeyCookie, HttpBearer

from fupin.accounts.services import token_authenticate


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

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
