from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The longest time a policy may name, in months (20 years).
MAX_MONTHS = 240


class ErasureRecord(models.Model):
    """That an erasure or a retention run happened: when, how and how many records it touched,
    never whose. ``subject_hash`` is a keyed hash of the address (soin.retention.erasure), so
    the same person's second request can be recognised without the address being kept."""

    PARTNERSHIP_PATH = "partnership"

    class Via(models.TextChoices):
        SELF_SERVICE = "self-service", pgettext_lazy("erasure via", "The person's own request")
        STAFF = "staff", pgettext_lazy("erasure via", "Staff on the person's request")
        REPLAY = "replay", pgettext_lazy("erasure via", "Repeated after a restore")
        RETENTION = "retention", pgettext_lazy("erasure via", "Retention time passed")

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="erasure_records",
        verbose_name=_("partnership"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    via = models.CharField(_("how"), max_length=20, choices=Via.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    subject_hash = models.CharField(_("whose (keyed hash)"), max_length=64, blank=True)
    counts = models.JSONField(_("records touched"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"{self.get_via_display()} {self.created_at:%Y-%m-%d}"

    @property
    def total(self) -> int:
        return sum(int(v) for v in (self.counts or {}).values())


def _months(default: int, verbose_name: object) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,  # type: ignore[arg-type]
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )


class RetentionPolicy(models.Model):
    """How long a partnership keeps personal data that is no longer needed, in months."""

    PARTNERSHIP_PATH = "partnership"

    DEFAULT_IDEA_MONTHS = 36
    DEFAULT_REGISTRATION_MONTHS = 12
    DEFAULT_SUBSCRIBER_MONTHS = 1

    partnership = models.OneToOneField(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="retention_policy",
        verbose_name=_("partnership"),
    )
    idea_months = _months(
        DEFAULT_IDEA_MONTHS, _("carriers' contact details, months after the idea was closed")
    )
    registration_months = _months(
        DEFAULT_REGISTRATION_MONTHS, _("registrations, months after the event ended")
    )
    subscriber_months = _months(
        DEFAULT_SUBSCRIBER_MONTHS, _("unsubscribed subscribers, months after unsubscribing")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                name="retention_months_in_range",
                condition=models.Q(idea_months__gte=1, idea_months__lte=MAX_MONTHS)
                & models.Q(registration_months__gte=1, registration_months__lte=MAX_MONTHS)
                & models.Q(subscriber_months__gte=1, subscriber_months__lte=MAX_MONTHS),
            )
        ]

    def __str__(self) -> str:
        return str(self.partnership)
