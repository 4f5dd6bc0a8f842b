"""Attachments: documents of a case and photos of a declaration."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.errors import (
    InvalidInput,
    NotFound,
    Refused,
)
from fupin.core.idempotency import key_read, replayed
from fupin.core.services import event_record
from fupin.core.uploads import DOCUMENTS, IMAGES, upload_checked
from fupin.monitoring.models import (
    Attachment,
    Case,
    Declaration,
)
from fupin.monitoring.services.cases import _policy_int


def _attachment_create(*, case: Case, kind: str, upload, actor=None, **extra) -> Attachment:
    """Check the file by its first bytes and keep it with the case under a random name."""
    if kind not in Attachment.Kind.values:
        raise InvalidInput({"kind": _("附件类别无效")})
    content_type = upload_checked(
        upload, accept=IMAGES if kind == Attachment.Kind.PHOTO else DOCUMENTS
    )
    attachment = Attachment.objects.create(
        case=case,
        kind=kind,
        file=upload,
        content_type=content_type,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        **extra,
    )
    event_record(
        actor=actor,
        verb="case.attachment_added",
        obj=case,
        data={"kind": kind, "attachment": attachment.pk},
    )
    return attachment


@transaction.atomic
def attachment_add(*, case: Case, kind: str, upload, actor=None) -> Attachment:
    """Keep a file with a case: the signed commitment (JPEG, PNG or PDF) or a photo (JPEG or PNG)."""
    if actor is not None and not actor.has_perm("monitoring.add_case", case):
        raise NotFound("case", {"id": case.pk})
    return _attachment_create(case=case, kind=kind, upload=upload, actor=actor)


@transaction.atomic
def declaration_photo_add(
    *, declaration: Declaration, upload, idempotency_key: str
) -> tuple[Attachment, bool]:
    """Add a resident's photo to their declaration once per key; return (photo, created)."""
    key = key_read(idempotency_key, limit=120)
    existing = replayed(
        Attachment.objects.filter(idempotency_key=key),
        same=lambda earlier: earlier.declaration_id == declaration.pk,
        what=_("申报"),
    )
    if existing is not None:
        return existing, False
    # Locking the declaration keeps two photos sent at once from both passing the count.
    Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
    limit = _policy_int(
        "monitoring.declaration_photos", declaration.village_id, timezone.localdate()
    )
    if declaration.photos.count() >= limit:
        raise Refused(
            "too_many_photos",
            _("每份申报最多附 %(n)s 张照片") % {"n": limit},
            {"limit": limit},
        )
    photo = _attachment_create(
        case=declaration.case,
        kind=Attachment.Kind.PHOTO,
        upload=upload,
        declaration=declaration,
        idempotency_key=key,
    )
    return photo, True
