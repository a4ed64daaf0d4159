"""An issue as a mail (HTML and plain text) and as a web page, rendered once per language.

Each recipient's mail differs only in its unsubscribe and subscription links, which are put
into the rendered text as it is sent (``personalise``), so that a send of 200 000 mails renders
its templates twice, not 200 000 times."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from soin.core.tokens import object_token
from soin.newsletter.models import Issue, Section

UNSUBSCRIBE = "%%UNSUBSCRIBE%%"
SUBSCRIPTION = "%%SUBSCRIPTION%%"
RECIPIENT = "recipient-placeholder@soin.invalid"
MESSAGE_ID = "<message-id-placeholder@soin.invalid>"


def image_token(section: Section) -> str:
    return object_token("newsletter-image", section.pk, section.image.name)


def image_url(section: Section, *, absolute: bool = True) -> str:
    """The image's address: absolute in a mail, from the site's root on its own pages."""
    path = reverse("newsletter_image", kwargs={"token": image_token(section)})
    return settings.SITE_URL + path if absolute else path


def issue_language(issue: Issue, wanted: str) -> str:
    """The language a reader of ``wanted`` gets: theirs if the issue has it, else the other."""
    if issue.has_language(wanted):
        return wanted
    return "en" if wanted == "sv" else "sv"


@dataclass
class Rendered:
    language: str
    subject: str
    html: str
    text: str


def render(issue: Issue, language: str, *, web: bool = False) -> Rendered:
    """Render ``issue`` in ``language`` (one it has). In a mail the links to unsubscribe and
    to the subscription are placeholders."""
    with translation.override(language):
        sections = list(issue.sections.all())
        context = {
            "issue": issue,
            "partnership": issue.partnership,
            "sections": [(s, image_url(s, absolute=not web) if s.image else "") for s in sections],
            "language": language,
            "web": web,
            "unsubscribe": UNSUBSCRIBE,
            "subscription": SUBSCRIPTION,
            "archive": settings.SITE_URL
            + reverse(
                "public:newsletter_issue",
                kwargs={
                    "partnership": issue.partnership.slug,
                    "year": issue.year,
                    "number": issue.number,
                },
            ),
            "subscribe": settings.SITE_URL
            + reverse(
                "public:newsletter_subscribe", kwargs={"partnership": issue.partnership.slug}
            ),
            "friend": settings.SITE_URL
            + reverse("public:newsletter_friend", kwargs={"partnership": issue.partnership.slug}),
        }
        subject = _("%(title)s – %(name)s") % {
            "name": issue.partnership.name,
            "title": issue.title,
        }
        return Rendered(
            language=language,
            subject=subject,
            html=render_to_string(
                "newsletter/_issue_body.html" if web else "newsletter/mail/issue.html", context
            ),
            text=render_to_string("newsletter/mail/issue.txt", context),
        )


def personalise(
    rendered: Rendered, *, to: str, unsubscribe_url: str, subscription_url: str
) -> EmailMultiAlternatives:
    """One recipient's mail, with the one-click unsubscribe of RFC 8058: a
    ``List-Unsubscribe`` HTTPS address that a mail program POSTs to, announced by
    ``List-Unsubscribe-Post``."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    text = rendered.text.replace(UNSUBSCRIBE, unsubscribe_url).replace(
        SUBSCRIPTION, subscription_url
    )
    html = rendered.html.replace(UNSUBSCRIBE, unsubscribe_url).replace(
        SUBSCRIPTION, subscription_url
    )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": make_msgid(domain=host),
            "Content-Language": rendered.language,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class Prepared:
    """A mail serialised once, with placeholders for what differs per recipient; ``raw``
    gives one recipient's bytes. Built only when every placeholder came through the MIME
    encoding whole (a soft line break inside one would make replacing unsafe)."""

    template: bytes
    envelope_from: str
    host: str

    def raw(self, *, to: str, unsubscribe_url: str, subscription_url: str) -> bytes:
        return (
            self.template.replace(RECIPIENT.encode(), to.encode())
            .replace(MESSAGE_ID.encode(), f"<{uuid.uuid4().hex}@{self.host}>".encode())
            .replace(UNSUBSCRIBE.encode(), unsubscribe_url.encode())
            .replace(SUBSCRIPTION.encode(), subscription_url.encode())
        )


def prepare(rendered: Rendered) -> Prepared | None:
    """Serialise ``rendered`` once for a send; None if it cannot be done safely (the sender
    then builds each mail in full)."""
    message = personalise(
        rendered, to=RECIPIENT, unsubscribe_url=UNSUBSCRIBE, subscription_url=SUBSCRIPTION
    )
    message.extra_headers["Message-ID"] = MESSAGE_ID
    template = message.message().as_bytes(linesep="\r\n")
    expected = {
        UNSUBSCRIBE: rendered.text.count(UNSUBSCRIBE) + rendered.html.count(UNSUBSCRIBE) + 1,
        SUBSCRIPTION: rendered.text.count(SUBSCRIPTION) + rendered.html.count(SUBSCRIPTION),
        RECIPIENT: 1,
        MESSAGE_ID: 1,
    }
    if any(template.count(k.encode()) != n for k, n in expected.items()):
        return None
    return Prepared(
        template=template,
        envelope_from=parseaddr(message.from_email)[1],
        host=urlsplit(settings.SITE_URL).hostname or "localhost",
    )
