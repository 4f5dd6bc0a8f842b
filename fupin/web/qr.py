"""QR codes as inline SVG (segno): they print with the page and need no image request."""

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, size: str = "40mm", title: str = "") -> SafeString:
    """Return an inline SVG QR code of `data` (error correction M) drawn `size` wide and high."""
    qr = segno.make(data, error="m")
    svg = qr.svg_inline(border=2, omitsize=True, title=title or None)
    # role="img" lets a screen reader read the title; data-qr lets support staff and tests read it.
    attributes = (
        f'role="img" width="{escape(size)}" height="{escape(size)}" data-qr="{escape(data)}"'
    )
    return mark_safe(svg.replace("<svg ", f"<svg {attributes} ", 1))
