"""A person's request for their own data: the private link is made from the request's id and
nonce (``soin.core.tokens``) and opens once, for one address in one partnership, for a day."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRequest(models.Model):
    """A link sent to ``email`` that opens that address's data in ``partnership`` once."""

    PARTNERSHIP_PATH = "partnership"

    partnership = models.ForeignKey(
        "regions.Partnership",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partnership"),
    )
    email = models.EmailField(_("e-mail"))
    nonce = models.CharField(max_length=64)
    # The language of the page the person asked on: the mail and the link speak it.
    language = models.CharField(_("language"), max_length=2, default="sv")
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for one's own data")
        verbose_name_plural = _("requests for one's own data")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.partnership_id}:{self.pk}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
