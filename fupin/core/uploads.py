"""Uploaded files: their type told by their first bytes, their size bounded, a random name.

The name and the browser's content type of an upload can lie, so fupin keeps a file only when its
first bytes are those of an accepted type, under a name of its own choosing.
"""

import secrets

from django.utils.translation import gettext as _

from fupin.core.errors import InvalidInput

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
IMAGES = frozenset({JPEG, PNG})
DOCUMENTS = frozenset({JPEG, PNG, PDF})

# Accepted types by their first bytes: magic -> (content type, extension).
SIGNATURES = {
    b"\xff\xd8\xff": (JPEG, "jpg"),
    b"\x89PNG\r\n\x1a\n": (PNG, "png"),
    b"%PDF-": (PDF, "pdf"),
}
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# What the refusal names, by the set of types accepted.
ACCEPTED_TEXT = {
    IMAGES: lambda: _("只接受 JPEG 或 PNG 图片"),
    DOCUMENTS: lambda: _("只接受 JPEG、PNG 图片或 PDF 文件"),
}


def file_type(head: bytes) -> tuple[str, str] | None:
    """Return (content type, extension) of a file by its first bytes, None when not accepted."""
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def upload_checked(upload, *, accept: frozenset[str], field: str = "file") -> str:
    """Check an upload's size and type by its first bytes and give it a random name.

    Returns its content type; raises InvalidInput on ``field`` when it is too large or of a type
    not in ``accept``.
    """
    if upload.size > UPLOAD_MAX_BYTES:
        raise InvalidInput({field: _("文件不能超过 10 MB")})
    head = upload.read(8)
    upload.seek(0)
    kind = file_type(head)
    if kind is None or kind[0] not in accept:
        raise InvalidInput({field: ACCEPTED_TEXT[accept]()})
    content_type, extension = kind
    upload.name = f"{secrets.token_hex(8)}.{extension}"
    return content_type
