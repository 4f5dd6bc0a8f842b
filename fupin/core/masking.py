"""Masking of personal data for lists and exports (PIPL)."""


def mask_id_number(value: str) -> str:
    """Return a resident ID with the birth date and sequence hidden: 370481********1234."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """Return a phone number with the middle four digits hidden: 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
