"""Small development grants: an association's application for a small sum, its budget, the
partnership's decision, the payments in parts, the follow-up report and the timeline."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from soin.core.emails import CanonicalEmailField, with_canonical
from soin.regions.models import Municipality, Partnership

# The largest sum a partnership grants, in kronor, unless SOIN_GRANT_MAX_AMOUNT says otherwise.
DEFAULT_MAX_AMOUNT = 25_000


def max_amount() -> int:
    """Return the largest sum one application may ask for, in kronor."""
    return int(getattr(settings, "SOIN_GRANT_MAX_AMOUNT", DEFAULT_MAX_AMOUNT))


class Grant(models.Model):
    """An application for a small development grant and, once decided, the grant itself."""

    PARTNERSHIP_PATH = "partnership"

    class State(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("grant state", "Received")
        APPROVED = "approved", pgettext_lazy("grant state", "Approved")
        REJECTED = "rejected", pgettext_lazy("grant state", "Rejected")
        PARTLY_PAID = "partly_paid", pgettext_lazy("grant state", "Partly paid")
        PAID = "paid", pgettext_lazy("grant state", "Paid")
        CLOSED = "closed", pgettext_lazy("grant state", "Closed")

    class Channel(models.TextChoices):
        WEB = "web", pgettext_lazy("grant channel", "Web form")
        POST = "post", pgettext_lazy("grant channel", "Letter")
        EMAIL = "email", pgettext_lazy("grant channel", "E-mail")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grants", verbose_name=_("partnership")
    )
    number = models.CharField(_("number"), max_length=20)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RECEIVED
    )
    channel = models.CharField(_("received by"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received"))
    language = models.CharField(_("language"), max_length=2, default="sv")
    # The applicant.
    association_name = models.CharField(_("association"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=11)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_email_canonical = CanonicalEmailField(_("e-mail as compared"), source="contact_email")
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The project.
    title = models.CharField(_("project title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    amount_applied = models.PositiveIntegerField(_("amount applied for (SEK)"))
    co_financing = models.PositiveIntegerField(_("co-financing and own contribution (SEK)"))
    # The decision.
    amount_granted = models.PositiveIntegerField(_("amount granted (SEK)"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # The follow-up report.
    followup_done = models.TextField(_("what was done"), blank=True)
    followup_outcome = models.TextField(_("outcome"), blank=True)
    followup_costs = models.PositiveIntegerField(_("actual costs (SEK)"), null=True, blank=True)
    followup_at = models.DateTimeField(_("follow-up received"), null=True, blank=True)
    # Consent and the private link.
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    nonce = models.CharField(max_length=32)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [
            models.Index(
                fields=["partnership", "contact_email_canonical"], name="grant_contact_email"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="grants_unique_number"),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True)
                | Q(amount_granted__lte=models.F("amount_applied")),
                name="grants_granted_within_applied",
            ),
        ]

    def __str__(self) -> str:
        # No personal data: this is what the audit log shows.
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The canonical form of the address follows it, also in a save of a few fields.
        kwargs["update_fields"] = with_canonical(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def budget_total(self) -> int:
        return sum(line.amount for line in self.budget_lines.all())

    @property
    def has_followup(self) -> bool:
        return self.followup_at is not None


class BudgetLine(models.Model):
    """One line of an application's budget."""

    PARTNERSHIP_PATH = "grant__partnership"

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("grant")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    item = models.CharField(_("item"), max_length=200)
    amount = models.PositiveIntegerField(_("amount (SEK)"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class Payment(models.Model):
    """A part of a grant paid out."""

    PARTNERSHIP_PATH = "grant__partnership"

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="payments", verbose_name=_("grant")
    )
    paid_on = models.DateField(_("paid"))
    amount = models.PositiveIntegerField(_("amount (SEK)"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.grant.number} {self.paid_on:%Y-%m-%d} {self.amount}"


class GrantEvent(models.Model):
    """A row on a grant's timeline, written in the same transaction as the change."""

    PARTNERSHIP_PATH = "grant__partnership"

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("grant event", "Application received")
        APPROVED = "approved", pgettext_lazy("grant event", "Approved")
        REJECTED = "rejected", pgettext_lazy("grant event", "Rejected")
        PAID = "paid", pgettext_lazy("grant event", "Payment")
        FOLLOWUP = "followup", pgettext_lazy("grant event", "Follow-up report received")
        CLOSED = "closed", pgettext_lazy("grant event", "Closed")

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="events", verbose_name=_("grant")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    amount = models.PositiveIntegerField(_("amount (SEK)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
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
        verbose_name = _("grant event")
        verbose_name_plural = _("grant events")

    def __str__(self) -> str:
        return f"{self.grant.number} {self.kind}"

    @property
    def to_state_label(self) -> str:
        return str(Grant.State(self.to_state).label) if self.to_state else ""
