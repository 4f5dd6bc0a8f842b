"""How pages show a refusal (`FupinError`): its message, with the code only in a tooltip."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def error_text(error, message: str | None = None) -> SafeString:
    """Return the message of a refusal to show in a form error or a flash message.

    The code is for support staff and tests: it is in the element's `data-error-code` and its
    tooltip, not in the text people read (not "…（invalid_input）").
    """
    return format_html(
        '<span data-error-code="{}" title="{}">{}</span>',
        error.code,
        _("错误代码：%(code)s") % {"code": error.code},
        error.message if message is None else message,
    )
