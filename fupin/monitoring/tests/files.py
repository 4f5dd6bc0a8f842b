"""Small real files for attachment tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

# The smallest valid PDF: a header, one empty page, and the trailer.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def commitment_scan(
    name: str = "承诺书.pdf", content: bytes = PDF, content_type: str = "application/pdf"
):
    """Return an uploaded PDF as a browser would send it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(name: str = "photo.png", size: int = 16):
    """Return an uploaded PNG photo (a real image, drawn by the app icon painter)."""
    from fupin.monitoring.icons import icon_png

    return SimpleUploadedFile(name, icon_png(size), content_type="image/png")
