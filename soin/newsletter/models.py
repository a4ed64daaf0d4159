"""The newsletter (seed 003 §7.1, seed 004): subscribers on consent, numbered issues with
sections, and sends that are durable jobs with a row per recipient."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.emails import CanonicalEmailField, with_canonical
from soin.core.i18n import Localized

LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]


class Subscriber(models.Model):
    """A person who receives the newsletter, on their consent (double opt-in)."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("subscriber", "Waiting for confirmation")
        ACTIVE = "active", pgettext_lazy("subscriber", "Subscribes")
        UNSUBSCRIBED = "unsubscribed", pgettext_lazy("subscriber", "Unsubscribed")
        HELD = "held", pgettext_lazy("subscriber", "On hold: mail bounced")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="subscribers",
        verbose_name=_("partnership"),
    )
    email = models.EmailField(_("e-mail"))
    email_canonical = CanonicalEmailField(_("e-mail as compared"), source="email")
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="sv")
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    # The consent record: what the person was told, when, and through what.
    consent_text = models.TextField(_("information shown at consent"), blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    source = models.CharField(_("came through"), max_length=300, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    held_at = models.DateTimeField(_("put on hold"), null=True, blank=True)
    bounces = models.PositiveIntegerField(_("bounced mails"), default=0)
    # The private links (confirm, my subscription) are derived from this (soin.core.tokens).
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            # One subscriber per address, however it was typed (soin.core.emails).
            models.UniqueConstraint(
                fields=["partnership", "email_canonical"], name="subscriber_email_canonical"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "state"])]

    def __str__(self) -> str:
        # Not the address: this is what the audit log keeps of the record.
        return f"{_('subscriber')} {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)


class SubscriberEvent(models.Model):
    """A row on a subscriber's timeline."""

    PARTNERSHIP_PATH = "subscriber__partnership"

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up", pgettext_lazy("subscriber event", "Signed up")
        CONFIRMED = "confirmed", pgettext_lazy("subscriber event", "Confirmed")
        IMPORTED = "imported", pgettext_lazy("subscriber event", "Imported")
        LANGUAGE = "language", pgettext_lazy("subscriber event", "Language changed")
        UNSUBSCRIBED = "unsubscribed", pgettext_lazy("subscriber event", "Unsubscribed")
        RESUBSCRIBED = "resubscribed", pgettext_lazy("subscriber event", "Subscribed again")
        BOUNCED = "bounced", pgettext_lazy("subscriber event", "Mail bounced")
        HELD = "held", pgettext_lazy("subscriber event", "Put on hold")
        RELEASED = "released", pgettext_lazy("subscriber event", "Taken off hold")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="events", verbose_name=_("subscriber")
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    issue = models.ForeignKey(
        "newsletter.Issue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issue"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("subscriber event")
        verbose_name_plural = _("subscriber events")

    def __str__(self) -> str:
        return self.get_kind_display()


class Suppression(models.Model):
    """An erased subscriber: only a keyed hash of the address, so that an import never adds
    them again. Subscribing again themselves (double opt-in) lifts it."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    email_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("erased address")
        verbose_name_plural = _("erased addresses")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "email_hash"], name="suppression_once")
        ]

    def __str__(self) -> str:
        return self.email_hash[:8]


class FriendTip(models.Model):
    """A "tip a friend" invitation: the friend's address only until the mail has gone, then
    only a keyed hash of it, so that one address gets at most one invitation a year."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    email_hash = models.CharField(max_length=64, db_index=True)
    email = models.EmailField(blank=True)
    sender_name = models.CharField(max_length=60, blank=True)
    language = models.CharField(max_length=2, default="sv")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("friend invitation")
        verbose_name_plural = _("friend invitations")

    def __str__(self) -> str:
        return self.email_hash[:8]


class Issue(models.Model):
    """A numbered issue of the newsletter (2018:1) in Swedish and/or English."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("newsletter issue", "Draft")
        SENDING = "sending", pgettext_lazy("newsletter issue", "Sending")
        SENT = "sent", pgettext_lazy("newsletter issue", "Sent")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.PROTECT,
        related_name="newsletter_issues",
        verbose_name=_("partnership"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    title_sv = models.CharField(_("title (Swedish)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_sv = models.TextField(_("introduction (Swedish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    title = Localized("title")
    intro = Localized("intro")

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "number"], name="issue_number_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}:{self.number}"

    @property
    def code(self) -> str:
        return f"{self.year}:{self.number}"

    def has_language(self, language: str) -> bool:
        return bool(getattr(self, f"title_{language}") or getattr(self, f"intro_{language}"))


class Section(models.Model):
    """A section of an issue: heading, text, an image with alternative text, a link."""

    PARTNERSHIP_PATH = "issue__partnership"

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="sections", verbose_name=_("issue")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading_sv = models.CharField(_("heading (Swedish)"), max_length=200, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=200, blank=True)
    text_sv = models.TextField(_("text (Swedish)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    image = models.FileField(_("image"), upload_to="newsletter/%Y/", blank=True)
    image_alt_sv = models.CharField(_("image description (Swedish)"), max_length=300, blank=True)
    image_alt_en = models.CharField(_("image description (English)"), max_length=300, blank=True)
    link_url = models.URLField(_("link"), blank=True)
    link_text_sv = models.CharField(_("link text (Swedish)"), max_length=200, blank=True)
    link_text_en = models.CharField(_("link text (English)"), max_length=200, blank=True)

    heading = Localized("heading")
    text = Localized("text")
    image_alt = Localized("image_alt")
    link_text = Localized("link_text")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.heading_sv or self.heading_en


class Dispatch(models.Model):
    """The send of an issue: a durable job with a row per recipient (Delivery)."""

    PARTNERSHIP_PATH = "issue__partnership"

    class State(models.TextChoices):
        PREPARING = "preparing", pgettext_lazy("dispatch", "Preparing")
        SENDING = "sending", pgettext_lazy("dispatch", "Sending")
        WAITING = "waiting", pgettext_lazy("dispatch", "Waiting for the mail server")
        DONE = "done", pgettext_lazy("dispatch", "Done")

    issue = models.OneToOneField(
        Issue, on_delete=models.CASCADE, related_name="dispatch", verbose_name=_("issue")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PREPARING
    )
    total = models.PositiveIntegerField(_("recipients"), default=0)
    # Who is sending now, and when it last showed progress: a send whose runner has gone quiet
    # is taken over (soin.newsletter.sender.recover).
    owner = models.CharField(max_length=40, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("send")
        verbose_name_plural = _("sends")

    def __str__(self) -> str:
        return str(self.issue)


class Delivery(models.Model):
    """One recipient of one send. Its state moves forward only:
    pending → claimed (by a runner) → sending → sent | failed | bounced; a runner that is gone
    gives its claimed rows back as pending, and a row it left in "sending" (the one mail it
    was handing to the server) becomes "unconfirmed" and is never sent again."""

    PARTNERSHIP_PATH = "dispatch__issue__partnership"

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery", "Waiting")
        CLAIMED = "claimed", pgettext_lazy("delivery", "Being prepared")
        SENDING = "sending", pgettext_lazy("delivery", "Being sent")
        SENT = "sent", pgettext_lazy("delivery", "Sent")
        UNCONFIRMED = "unconfirmed", pgettext_lazy("delivery", "Handed over, not confirmed")
        FAILED = "failed", pgettext_lazy("delivery", "Failed")
        BOUNCED = "bounced", pgettext_lazy("delivery", "Bounced")
        WITHDRAWN = "withdrawn", pgettext_lazy("delivery", "Not sent: left before it was sent")

    dispatch = models.ForeignKey(
        Dispatch, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("send")
    )
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    email = models.EmailField(_("e-mail"))
    email_canonical = CanonicalEmailField(_("e-mail as compared"), source="email")
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    owner = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed through it"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "email"], name="delivery_once"),
        ]
        indexes = [models.Index(fields=["dispatch", "state", "id"])]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
