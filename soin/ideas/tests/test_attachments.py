from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from soin.core.testing import login
from soin.ideas.models import Attachment


def upload(client: Client, idea, name: str, content: bytes):  # type: ignore[no-untyped-def]
    url = reverse("staff:idea_attachment_add", kwargs={"partnership": "orebro", "pk": idea.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_files_are_checked_by_content_and_size(world, settings) -> None:  # type: ignore[no-untyped-def]
    advisor = Client()
    login(advisor, world.users["advisor"])
    idea = world.idea
    before = Attachment.objects.count()
    upload(advisor, idea, "program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff")
    page = upload(advisor, idea, "bild.png", b"\x00\x01binary\x00").content.decode()
    assert "Endast PDF" in page or "Only PDF" in page
    assert Attachment.objects.count() == before
    response = upload(advisor, idea, "skiss.PDF", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n")
    assert response.status_code == 200
    attachment = Attachment.objects.latest("pk")
    assert (attachment.name, attachment.content_type) == ("skiss.pdf", "application/pdf")
    assert "skiss" not in attachment.file.name  # stored under a random name
    import soin.core.uploads as uploads

    big = b"%PDF-" + b"0" * (uploads.MAX_UPLOAD_BYTES)
    upload(advisor, idea, "stor.pdf", big)
    assert Attachment.objects.count() == before + 1


def test_files_are_served_only_to_those_who_may_see_the_idea(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse(
        "staff:idea_attachment",
        kwargs={"partnership": "orebro", "pk": world.idea.pk, "attachment": world.attachment.pk},
    )
    advisor = Client()
    login(advisor, world.users["advisor"])
    response = advisor.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="anteckningar.txt"'
    assert b"".join(response.streaming_content) == "Anteckningar från mötet".encode()
    contact = Client()
    login(contact, world.users["partner_contact"])
    assert contact.get(url).status_code == 404
    # An attachment asked for through another idea is not found either.
    other = reverse(
        "staff:idea_attachment",
        kwargs={
            "partnership": "orebro",
            "pk": world.referred_idea.pk,
            "attachment": world.attachment.pk,
        },
    )
    assert advisor.get(other).status_code == 404
