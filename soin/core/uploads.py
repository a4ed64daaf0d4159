"""Checking uploaded files by their content, not by the name or type the browser claims, and
sending stored files back.

Every upload goes through ``check_upload`` with the kinds its use allows (``IMAGES`` for a
picture on a page, ``DOCUMENTS`` for an idea's files, ``TABLES`` for an imported list). The
stored name is random and carries the ending of the sniffed kind; the file is sent back only by
``file_response``, from a view that has checked who asks, with the sniffed type, ``nosniff``
and a ``Content-Disposition`` (inline only for images that pages show).
"""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import Any

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}

# The kinds each use accepts, by the ending sniff() gives.
IMAGES = frozenset({"png", "jpg"})
DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "pptx", "txt", "png", "jpg"})
TABLES = frozenset({"csv"})

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    **{ending: content_type for content_type, ending in OFFICE_TYPES.values()},
}

# Text that a browser would take for markup (the leading tags of the WHATWG MIME sniffing
# standard, and SVG): never accepted as "plain text", whatever its name says.
MARKUP = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<script",
    b"<iframe",
    b"<h1",
    b"<div",
    b"<font",
    b"<table",
    b"<a",
    b"<style",
    b"<title",
    b"<b",
    b"<body",
    b"<br",
    b"<p",
    b"<!--",
    b"<?xml",
    b"<svg",
)


def _looks_like_markup(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n\x0c").lower()
    if any(
        head.startswith(tag) and head[len(tag) : len(tag) + 1] in (b" ", b">", b"\t", b"\n", b"")
        for tag in MARKUP
    ):
        return True
    return any(tag in data.lower() for tag in (b"<script", b"<html", b"<svg", b"<iframe"))


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
    if "\x00" in text or _looks_like_markup(data):
        return None
    return "text/plain; charset=utf-8", "txt"


def _refusal(kinds: frozenset[str]) -> str:
    if kinds <= IMAGES:
        return _("Choose a PNG or JPEG image.")
    if kinds <= TABLES:
        return _("Choose a CSV file (text in UTF-8).")
    return _("Only PDF, Word, Excel, PowerPoint, PNG, JPEG and plain text files can be attached.")


def check_upload(
    upload: UploadedFile, *, kinds: frozenset[str] = DOCUMENTS, max_bytes: int = MAX_UPLOAD_BYTES
) -> tuple[bytes, str, str]:
    """Read the upload and return (content, content type, ending); raise ValidationError for a
    file that is too large, empty, or not of one of ``kinds``."""
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB. Choose a smaller file.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB. Choose a smaller file.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    kind = sniff(data[:16], data)
    if kind is not None and kind[1] == "txt" and "csv" in kinds:
        kind = (CONTENT_TYPES["csv"], "csv")
    if kind is None or kind[1] not in kinds:
        raise ValidationError(_refusal(kinds))
    return data, kind[0], kind[1]


def display_name(name: str, ending: str) -> str:
    """Return the name a file is offered under: the letters and digits of the uploader's file
    name (no folders, no marks a file system could take amiss) and the ending of its sniffed
    kind. A name with nothing of that left (emoji alone, dots) becomes "attachment" in the
    active language, so the file is kept all the same."""
    stem = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    try:
        stem = get_valid_filename(stem.strip(". "))
    except SuspiciousFileOperation:
        stem = ""
    stem = stem.strip("._-")[:80].strip("._-")
    if not any(c.isalnum() for c in stem):
        stem = pgettext("the name of a file with no name of its own", "attachment")
    return f"{stem}.{ending}"


def stored_name(ending: str) -> str:
    """Return a random file name with ``ending``: nothing of the uploader's name or path."""
    return f"{secrets.token_hex(16)}.{ending}"


def content_type_of(name: str) -> str:
    """Return the content type of a stored file, from the ending its sniffed kind gave it."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def file_response(
    field_file: Any,
    *,
    content_type: str,
    filename: str,
    inline: bool = False,
    cache: str = "private, no-store",
) -> FileResponse:
    """Send a stored file: as a download (``Content-Disposition: attachment``), or inline for
    an image a page shows; always with the sniffed type and ``nosniff``."""
    if inline and not content_type.startswith("image/"):
        raise ValueError("Only images are shown inline.")
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response
