"""The web shell's middleware: the language of a request, and NotFound answered as a 404."""

from django.conf import settings
from django.http import Http404
from django.utils import translation

from fupin.core.errors import NotFound


class ChosenLanguageMiddleware:
    """Activate the language chosen with the switcher (its cookie), else zh-hans.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted: officials'
    machines often run English browsers, and fupin is Chinese first (docs/decisions/0007).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NotFoundIs404Middleware:
    """Answer Django's 404 page when a page view raises NotFound (absent or out of scope alike).

    The API never reaches it: django-ninja answers its own errors in the JSON shape first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            # Django's exception wrapper turns this into the 404 response with its template.
            raise Http404 from None
        return None
