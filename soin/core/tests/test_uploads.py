"""Uploads are checked by content, kind and size, stored under random names where no URL
serves them, and sent back only through views that check who asks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from soin.core import uploads
from soin.core.testing import ADVISOR, COORDINATOR, PNG, login
from soin.ideas.models import Attachment
from soin.knowledge.models import EntryImage
from soin.newsletter.models import Section, Subscriber

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"
RANDOM_NAME = re.compile(r"^[a-z]+/\d{4}/(\d{2}/)?[0-9a-f]{32}\.(png|jpg|pdf|docx|xlsx|pptx|txt)$")


def _stored_files() -> set[str]:
    root = Path(default_storage.location)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _staff(role: str, world: Any) -> Client:
    client = Client()
    login(client, world.users[role])
    return client


def _attach(client: Client, world: Any, name: str, content: bytes) -> str:
    url = reverse(
        "staff:idea_attachment_add", kwargs={"partnership": "orebro", "pk": world.idea.pk}
    )
    return client.post(
        url, {"file": SimpleUploadedFile(name, content)}, follow=True
    ).content.decode()


def test_an_html_file_named_pdf_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    client = _staff(ADVISOR, world)
    before, files = Attachment.objects.count(), _stored_files()
    for name, content in (
        ("rapport.pdf", HTML),
        ("rapport.pdf", b"   \n<html><head></head></html>"),
        ("bild.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notes.txt", b"Hello\n<script>alert(1)</script>"),
    ):
        page = _attach(client, world, name, content)
        assert "Only PDF" in page or "Endast PDF" in page, name
    assert Attachment.objects.count() == before
    assert _stored_files() == files


def test_a_png_claiming_to_be_a_pdf_is_stored_and_sent_as_a_png(world) -> None:  # type: ignore[no-untyped-def]
    client = _staff(ADVISOR, world)
    _attach(client, world, "../../etc/avtal.pdf", PNG)
    attachment = Attachment.objects.latest("pk")
    assert (attachment.name, attachment.content_type) == ("avtal.png", "image/png")
    assert RANDOM_NAME.match(attachment.file.name), attachment.file.name
    assert "avtal" not in attachment.file.name and ".." not in attachment.file.name
    url = reverse(
        "staff:idea_attachment",
        kwargs={"partnership": "orebro", "pk": world.idea.pk, "attachment": attachment.pk},
    )
    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="avtal.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_oversize_file_is_refused_with_a_clear_message_and_nothing_is_saved(world) -> None:  # type: ignore[no-untyped-def]
    client = _staff(ADVISOR, world)
    before, files = Attachment.objects.count(), _stored_files()
    page = _attach(client, world, "stor.pdf", PDF + b"0" * uploads.MAX_UPLOAD_BYTES)
    assert "larger than 10 MB" in page or "större än 10 MB" in page
    assert Attachment.objects.count() == before
    assert _stored_files() == files


def test_images_take_only_images(world) -> None:  # type: ignore[no-untyped-def]
    client = _staff(COORDINATOR, world)
    entry = world.draft_entry
    before = EntryImage.objects.count()
    for content in (PDF, HTML, b"plain words"):
        client.post(
            reverse("staff:bank_image_add", kwargs={"partnership": "orebro", "pk": entry.pk}),
            {"upload": SimpleUploadedFile("bild.png", content), "alt_sv": "Bild", "alt_en": "Pic"},
        )
    assert EntryImage.objects.count() == before
    client.post(
        reverse("staff:bank_image_add", kwargs={"partnership": "orebro", "pk": entry.pk}),
        {"upload": SimpleUploadedFile("../x.pdf", PNG), "alt_sv": "Bild", "alt_en": "Pic"},
    )
    image = EntryImage.objects.latest("pk")
    assert image.content_type == "image/png" and RANDOM_NAME.match(image.file.name)
    issue = world.draft_issue
    sections = Section.objects.count()
    client.post(
        reverse("staff:newsletter_section_add", kwargs={"partnership": "orebro", "pk": issue.pk}),
        {
            "heading_sv": "Rubrik",
            "text_sv": "Text",
            "image": SimpleUploadedFile("a.png", PDF),
            "image_alt_sv": "Bild",
        },
    )
    assert Section.objects.count() == sections


def test_a_subscriber_list_must_be_csv_text(world) -> None:  # type: ignore[no-untyped-def]
    client = _staff(COORDINATOR, world)
    url = reverse("staff:newsletter_import", kwargs={"partnership": "orebro"})
    before = Subscriber.objects.count()
    for name, content in (("lista.csv", PNG), ("lista.csv", HTML), ("lista.csv", PDF)):
        response = client.post(
            url,
            {
                "file": SimpleUploadedFile(name, content),
                "consent_note": "Anmälda via formuläret",
                "language": "sv",
            },
        )
        assert response.status_code == 200
        assert "CSV" in response.content.decode()
    assert Subscriber.objects.count() == before
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("lista.csv", b"email,name\nny@example.org,Ny\n"),
            "consent_note": "Anmälda via formuläret",
            "language": "sv",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Subscriber.objects.filter(email="ny@example.org").exists(), response["Location"]


def test_the_upload_limits_are_set_deliberately() -> None:
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5
    assert Path(settings.MEDIA_ROOT) == Path(settings.VAR_DIR) / "media"


def _routes(patterns: list, prefix: str = "") -> list[str]:  # type: ignore[type-arg]
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def test_no_address_serves_the_uploaded_files(world) -> None:  # type: ignore[no-untyped-def]
    assert settings.MEDIA_URL in ("", "/")
    from django.views.static import serve

    def views(patterns: list) -> list:  # type: ignore[type-arg]
        out = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                out += views(entry.url_patterns)
            else:
                out.append(entry.callback)
        return out

    assert serve not in views(get_resolver().url_patterns)
    assert not [r for r in _routes(get_resolver().url_patterns) if "media" in r]
    stored = world.attachment.file.name
    client = _staff(COORDINATOR, world)
    for path in (
        f"/media/{stored}",
        f"/{stored}",
        f"/static/../var/media/{stored}",
        f"/sv/media/{stored}",
    ):
        assert client.get(path).status_code == 404, path


def test_every_file_download_says_what_it_is_and_how_to_show_it(world) -> None:  # type: ignore[no-untyped-def]
    """Each view that sends a stored file: the sniffed type, nosniff, and a Content-
    Disposition (attachment for documents; inline only for images that pages show)."""
    from soin.newsletter.rendering import image_token

    coordinator = _staff(COORDINATOR, world)
    entry = world.entry
    cases = [
        (
            coordinator,
            reverse(
                "staff:idea_attachment",
                kwargs={
                    "partnership": "orebro",
                    "pk": world.idea.pk,
                    "attachment": world.attachment.pk,
                },
            ),
            "attachment",
        ),
        (
            coordinator,
            reverse(
                "staff:bank_image_file",
                kwargs={"partnership": "orebro", "pk": world.entry_image.pk},
            ),
            "inline",
        ),
        (
            Client(),
            reverse(
                "public:bank_image",
                kwargs={"partnership": "orebro", "slug": entry.slug, "pk": world.entry_image.pk},
            ),
            "inline",
        ),
        (
            Client(),
            reverse("newsletter_image", kwargs={"token": image_token(world.section)}),
            "inline",
        ),
    ]
    for client, url, disposition in cases:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        kind = uploads.sniff(body[:16], body)
        assert kind is not None and response["Content-Type"] == kind[0], url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Content-Disposition"].startswith(f"{disposition}; filename="), url
        if disposition == "inline":
            assert response["Content-Type"].startswith("image/"), url


def test_check_upload_refuses_what_its_use_does_not_take() -> None:
    def check(content: bytes, kinds: frozenset[str]) -> str:
        return uploads.check_upload(SimpleUploadedFile("f", content), kinds=kinds)[2]

    assert check(PNG, uploads.IMAGES) == "png"
    assert check(b"email\na@example.org\n", uploads.TABLES) == "csv"
    assert check(PDF, uploads.DOCUMENTS) == "pdf"
    for content, kinds in (
        (PDF, uploads.IMAGES),
        (b"words", uploads.IMAGES),
        (PNG, uploads.TABLES),
        (b"\xff\xfe\x00b\x00a", uploads.TABLES),
        (HTML, uploads.DOCUMENTS),
        (b"", uploads.DOCUMENTS),
    ):
        with pytest.raises(ValidationError):
            check(content, kinds)
    big = SimpleUploadedFile("f", PNG + b"0" * 20)
    with pytest.raises(ValidationError):
        uploads.check_upload(big, kinds=uploads.IMAGES, max_bytes=10)


@pytest.mark.parametrize("name", ["💡.pdf", "💡", "....pdf", "🇸🇪 🎉.PDF"])
def test_a_file_whose_name_has_no_letters_is_kept_under_a_plain_name(world, name) -> None:  # type: ignore[no-untyped-def]
    client = _staff(ADVISOR, world)
    before = Attachment.objects.count()
    url = reverse(
        "staff:idea_attachment_add", kwargs={"partnership": "orebro", "pk": world.idea.pk}
    )
    response = client.post(url, {"file": SimpleUploadedFile(name, PDF)})
    assert response.status_code in (302, 303), response.status_code
    assert Attachment.objects.count() == before + 1
    attachment = Attachment.objects.latest("pk")
    # Named after what it is, in the staff's language, with the ending of its sniffed kind.
    assert attachment.name == "bilaga.pdf"
    assert RANDOM_NAME.match(attachment.file.name), attachment.file.name
    download = client.get(
        reverse(
            "staff:idea_attachment",
            kwargs={"partnership": "orebro", "pk": world.idea.pk, "attachment": attachment.pk},
        )
    )
    assert download["Content-Disposition"] == 'attachment; filename="bilaga.pdf"'


def test_the_stored_name_keeps_the_letters_and_digits_of_any_script(world) -> None:  # type: ignore[no-untyped-def]
    assert uploads.display_name("Årsrapport 2025 💡.pdf", "pdf") == "Årsrapport_2025.pdf"
    assert uploads.display_name("💡.pdf", "pdf") == "bilaga.pdf"
