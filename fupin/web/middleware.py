"""The language of a request: the one the user chose, else Chinese."""

from django.conf import settings
from django.utils import translation


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
