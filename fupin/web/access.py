"""Who may open a page: the permission a page needs, refused with 403, and the menu's test of it.

A logged-in user whose role lacks a page's permission is told so (403, the Chinese 403 page); an
object or a region outside the user's scope stays 404, so that scope cannot be probed
(docs/decisions/0045, 0049).
"""

from functools import cache, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import resolve, reverse


def page_permission_required(perm: str):
    """Open the page to a logged-in user whose role holds ``perm``; ask others to log in, else 403.

    The permission is checked before anything is looked up, so the refusal says nothing about the
    object or region asked for. The view keeps it as ``page_permission`` for the menu and tests.
    """

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.page_permission = perm
        return login_required(guarded)

    return decorate


def page_permission(url_name: str, **kwargs) -> str | None:
    """Return the permission the page named ``url_name`` needs (None: any logged-in user);
    ``kwargs`` are the URL's parameters, if it has any."""
    return _view_permission(reverse(url_name, kwargs=kwargs or None))


@cache
def _view_permission(path: str) -> str | None:
    return getattr(resolve(path).func, "page_permission", None)


def may_open(user, url_name: str) -> bool:
    """Tell whether the user may open the page named ``url_name`` (a URL without parameters)."""
    perm = page_permission(url_name)
    return perm is None or user.has_perm(perm)
