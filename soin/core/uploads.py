"""Checking uploaded files by their content, not by the name or type the browser claims."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


def sniff(head: bytes, data: bytes) -> tuple[str, str] | None:
    """Return (content type, file ending) for the kinds of file we accept, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, kind in OFFICE_TYPES.items():
                if any(n.startswith(prefix) for n in names):
                    return kind
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return "text/plain; charset=utf-8", "txt"


def check_upload(upload: UploadedFile) -> tuple[bytes, str, str]:
    """Read the upload and return (content, content type, ending); raise ValidationError for a
    file that is too large or of a kind we do not accept."""
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    data = upload.read()
    if not data:
        raise ValidationError(_("The file is empty."))
    kind = sniff(data[:16], data)
    if kind is None:
        raise ValidationError(
            _("Only PDF, Word, Excel, PowerPoint, PNG, JPEG and plain text files can be attached.")
        )
    return data, kind[0], kind[1]
