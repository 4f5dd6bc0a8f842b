"""Residents' tracking codes (查询码): eight characters without look-alikes, shown as ABCD-EFGH.

Codes issued before decision 0056 are 16 mixed-case URL-safe characters; they are still looked up
exactly as typed (see `monitoring.selectors.declaration_by_tracking_code`).
"""

import secrets
from urllib.parse import urlencode

from django.urls import reverse

# Digits 2–9 and the letters without I, L and O: nothing that reads as 0/O or 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def tracking_code_new() -> str:
    """Return a fresh random code of LENGTH characters from ALPHABET (no dash)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def tracking_code_normalise(text: str) -> str | None:
    """Return the canonical code of what a resident typed (any case, with or without the dash
    and spaces), or None when it cannot be a code of this form."""
    code = "".join((text or "").split()).replace("-", "").replace("—", "").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def tracking_code_grouped(code: str) -> str:
    """Return a code as it is shown and printed: ABCD-EFGH (an older code unchanged)."""
    if len(code) == LENGTH and all(ch in ALPHABET for ch in code):
        return f"{code[:4]}-{code[4:]}"
    return code


def tracking_link(request, code: str) -> str:
    """Return the absolute address of the progress page of a code (what its QR code holds)."""
    query = urlencode({"code": tracking_code_grouped(code)})
    return request.build_absolute_uri(f"{reverse('monitoring:track')}?{query}")
