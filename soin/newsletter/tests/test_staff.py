"""Composing and sending an issue through the back office."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from soin.core.testing import PNG, login
from soin.newsletter import sender
from soin.newsletter.models import Dispatch, Issue

pytestmark = pytest.mark.django_db


def test_compose_preview_and_send(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.users["coordinator"])
    slug = world.partnership.slug
    response = client.post(
        reverse("staff:newsletter_issue_create", kwargs={"partnership": slug}),
        {"year": "2018", "title_sv": "Nyhetsbrev 2018:3", "intro_sv": "Hej alla!"},
    )
    issue = Issue.objects.get(title_sv="Nyhetsbrev 2018:3")
    assert (issue.year, issue.number) == (2018, 3)  # after 2018:1 and 2018:2
    assert response["Location"].endswith(f"/newsletter/{issue.pk}/")
    add = reverse("staff:newsletter_section_add", kwargs={"partnership": slug, "pk": issue.pk})
    # An image without a description is refused, and nothing is kept.
    client.post(
        add,
        {"heading_sv": "Seminarium", "image": SimpleUploadedFile("a.png", PNG)},
    )
    assert not issue.sections.exists()
    client.post(
        add,
        {
            "heading_sv": "Seminarium",
            "text_sv": "Välkommen den 8 mars.",
            "image": SimpleUploadedFile("a.png", PNG),
            "image_alt_sv": "Ungdomar spelar handboll",
            "link_url": "https://example.org/seminarium",
            "link_text_sv": "Anmäl dig",
        },
    )
    section = issue.sections.get()
    assert section.image.name.endswith(".png")
    preview = client.get(
        reverse("staff:newsletter_preview", kwargs={"partnership": slug, "pk": issue.pk})
    ).content.decode()
    assert 'alt="Ungdomar spelar handboll"' in preview and "Anmäl dig" in preview
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("staff:newsletter_send", kwargs={"partnership": slug, "pk": issue.pk}))
    assert len(callbacks) == 1
    dispatch = Dispatch.objects.get(issue=issue)
    assert sender.run(dispatch.pk) == "done"
    progress = client.get(
        reverse("staff:newsletter_progress", kwargs={"partnership": slug, "pk": issue.pk})
    ).json()
    assert progress["state"] == "done" and progress["sent"] == progress["total"] == 1
    issue.refresh_from_db()
    assert issue.state == "sent"
    # A sent issue is in the public archive and cannot be changed.
    archive = client.get(
        reverse("public:newsletter_issue", kwargs={"partnership": slug, "year": 2018, "number": 3})
    )
    assert "Välkommen den 8 mars." in archive.content.decode()
    client.post(add, {"heading_sv": "För sent"})
    assert issue.sections.count() == 1


def test_the_image_of_a_section_is_served_only_with_its_key(world) -> None:  # type: ignore[no-untyped-def]
    from soin.newsletter.rendering import image_token

    client = Client()
    ok = client.get(reverse("newsletter_image", kwargs={"token": image_token(world.section)}))
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PNG
    pk = world.section.pk
    assert client.get(reverse("newsletter_image", kwargs={"token": f"{pk}-x"})).status_code == 404


def test_a_test_mail_goes_to_the_person_asking_in_each_language(world, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core import mail

    from soin.newsletter import services
    from soin.newsletter.tasks import send_test_mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    issue = world.draft_issue
    services.issue_update(issue=issue, actor=None, title_en="Newsletter 2018:2")
    mail.outbox.clear()
    send_test_mail.call(issue_id=issue.pk, user_id=world.users["coordinator"].pk)
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]] * 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("[TEST] Newsletter 2018:2")
    assert subjects[1].startswith("[TEST] Nyhetsbrev 2018:2")
    html = mail.outbox[0].alternatives[0][0]
    assert 'lang="' in html and "<h1" in html
